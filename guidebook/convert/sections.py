"""Chapter structure: H2 sections wrapped in `<section>`s and the exercise sections recognised.

An exercise page's known sections (Quick answer, How to perform, Pro tips, Common mistakes, FAQ,
Related exercises) get a role class the layouts style: numbered steps, tip and mistake boxes,
FAQ as question and answer. Other sections pass through as plain `<section class="sec">`.
The `---` rules the seeds put between sections are dropped where a section starts anyway; a
rule before ordinary text ends the current section (the seeds' closing call to action).
"""

from __future__ import annotations

import re

from lxml import etree

from guidebook.convert.tree import text_of

# Heading text (lower case, punctuation dropped) -> role.
ROLES = {
    "quick answer": "quick",
    "in short": "quick",
    "summary": "quick",
    "how to perform": "steps",
    "how to do it": "steps",
    "instructions": "steps",
    "steps": "steps",
    "pro tips": "tips",
    "tips": "tips",
    "coaching tips": "tips",
    "common mistakes": "mistakes",
    "mistakes": "mistakes",
    "mistakes to avoid": "mistakes",
    "faq": "faq",
    "faqs": "faq",
    "frequently asked questions": "faq",
    "related exercises": "related",
    "related guides": "related",
    "related": "related",
}


def role_of(heading_text: str) -> str | None:
    key = re.sub(r"[^a-z ]+", "", heading_text.lower()).strip()
    return ROLES.get(" ".join(key.split()))


def structure_sections(root: etree._Element) -> None:
    _drop_section_rules(root)
    children = list(root)
    section: etree._Element | None = None
    for child in children:
        if child.tag == "h2":
            role = role_of(text_of(child))
            section = etree.Element("section")
            section.set("class", f"sec sec-{role}" if role else "sec")
            section.set("aria-labelledby", child.get("id", ""))
            child.addprevious(section)
        elif child.tag == "hr":
            section = None  # a rule inside a section ends it: what follows is a closing note
        if section is not None:
            section.append(child)  # moves the child, with its tail text
    for section in root.iter("section"):
        classes = section.get("class") or ""
        if "sec-steps" in classes:
            for ol in section.iter("ol"):
                ol.set("class", "steps")
        elif "sec-faq" in classes:
            _group_questions(section)


def _drop_section_rules(root: etree._Element) -> None:
    """An `<hr>` right before a heading, or at either end, only repeats the structure."""
    children = list(root)
    for index, child in enumerate(children):
        if child.tag != "hr":
            continue
        following = children[index + 1] if index + 1 < len(children) else None
        if index == 0 or following is None or following.tag in ("h2", "hr"):
            root.remove(child)


def _group_questions(section: etree._Element) -> None:
    """FAQ: each H3 and what follows it until the next H3 becomes a `<div class="qa">`."""
    group: etree._Element | None = None
    for child in list(section):
        if child.tag == "h3":
            group = etree.Element("div")
            group.set("class", "qa")
            child.addprevious(group)
            child.set("class", "question")
            group.append(child)
            answer = etree.SubElement(group, "div")
            answer.set("class", "answer")
        elif group is not None and child.tag not in ("h2",):
            group[-1].append(child)
