"""Chapter structure: H2 sections wrapped in `<section>`s and the exercise sections recognised.

An exercise page's known sections (Quick answer, How to perform, Pro tips, Common mistakes, FAQ,
Related exercises) get a role class the layouts style: numbered steps, tip and mistake boxes,
FAQ as question and answer. Other sections pass through as plain `<section class="sec">`.
The `---` rules the seeds put between sections are dropped where a section starts anyway; a
rule before ordinary text ends the current section (the seeds' closing call to action).

`read_content` then reads the finished tree back as data (`ChapterContent`): the sections,
the numbered steps, tips, mistakes, FAQ and images, for the printables.
"""

from __future__ import annotations

import re

from lxml import etree

from guidebook.convert.tree import text_of
from guidebook.model import ChapterContent, ChapterImage, Question, Section, SectionRole

# Heading text (lower case, punctuation dropped) -> role.
ROLES: dict[str, SectionRole] = {
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


# A section element `structure_sections` made, with its role (None: a plain section).
Made = tuple[SectionRole | None, etree._Element]


def role_of(heading_text: str) -> SectionRole | None:
    key = re.sub(r"[^a-z ]+", "", heading_text.lower()).strip()
    return ROLES.get(" ".join(key.split()))


def structure_sections(root: etree._Element) -> list[Made]:
    """Wrap each H2 and what follows it in a `<section>`; return those sections in order."""
    _drop_section_rules(root)
    children = list(root)
    made: list[Made] = []
    section: etree._Element | None = None
    for child in children:
        if child.tag == "h2":
            role = role_of(text_of(child))
            section = etree.Element("section")
            section.set("class", f"sec sec-{role}" if role else "sec")
            section.set("aria-labelledby", child.get("id", ""))
            child.addprevious(section)
            made.append((role, section))
        elif child.tag == "hr":
            section = None  # a rule inside a section ends it: what follows is a closing note
        if section is not None:
            section.append(child)  # moves the child, with its tail text
    made = [(role, section) for role, section in made if not _drop_if_empty(role, section)]
    for section in root.iter("section"):
        classes = section.get("class") or ""
        if "sec-steps" in classes:
            for ol in section.iter("ol"):
                ol.set("class", "steps")
        elif "sec-faq" in classes:
            _group_questions(section)
    return made


def _drop_if_empty(role: SectionRole | None, section: etree._Element) -> bool:
    """ "How to perform" with no steps under it would print a heading over nothing: it goes,
    and an empty span keeps its id for links. Other sections may be a heading on purpose."""
    parent = section.getparent()
    if role != "steps" or len(section) > 1 or parent is None:
        return False
    if text_of(section) != text_of(section[0]):
        return False
    anchor = etree.Element("span")
    if section[0].get("id"):
        anchor.set("id", section[0].get("id", ""))
    anchor.tail = section.tail
    parent.replace(section, anchor)
    return True


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


def read_content(root: etree._Element, sections: list[Made]) -> ChapterContent:
    """The chapter's content as data, from its finished tree and `structure_sections`' result.

    Steps are the items of the numbered list under "How to perform" (`_steps`); tips and
    mistakes are every list item of their sections, footnotes left out; FAQ
    entries are the question groups `_group_questions` made; images are all the chapter's,
    sections or not.
    """

    def items(role: SectionRole, path: str) -> tuple[str, ...]:
        return tuple(
            text_of(li)
            for r, section in sections
            if r == role
            for li in section.xpath(path)
            if "--fn-" not in (li.get("id") or "")  # a footnote's text is no tip or mistake
        )

    return ChapterContent(
        sections=tuple(
            Section(role, text_of(section[0]), section[0].get("id", ""))
            for role, section in sections
        ),
        steps=tuple(
            step for role, section in sections if role == "steps" for step in _steps(section)
        ),
        tips=items("tips", ".//li"),
        mistakes=items("mistakes", ".//li"),
        faq=tuple(
            Question(text_of(group[0]), text_of(group[1]))
            for role, section in sections
            if role == "faq"
            for group in section.iterchildren("div")
            if group.get("class") == "qa"
        ),
        images=tuple(
            ChapterImage(img.get("src", ""), img.get("alt", ""), img.get("title"), _caption(img))
            for img in root.iter("img")
        ),
    )


_NUMBERED_LINE = re.compile(r"^\s*\d{1,3}[.)]\s+(?=\S)", re.MULTILINE)


def _steps(section: etree._Element) -> list[str]:
    """The steps of a "How to perform" section, in order: the items of its first numbered list
    (a sub-list's text stays in its step), and of the lists after it that only pictures
    separate from it (a picture between two steps splits Markdown's list in two). A paragraph
    of text ends the steps: a list after it is commentary. Numbered lines that Markdown ran into
    a paragraph ("2. Breathe.\n\n   Keep ...\n3. Lower ..." with a 3-space indent) are the
    steps the writer meant: the lines before the first number go with the step before."""
    steps: list[str] = []
    started = False
    for child in section.iterchildren():
        if child.tag == "ol":
            steps.extend(text_of(li) for li in child.iterchildren("li"))
            started = True
        elif not started or not isinstance(child.tag, str) or child.tag.startswith("h"):
            continue
        elif child.tag == "figure" or "figures" in (child.get("class") or "").split():
            continue  # a picture between steps (a figure block, convert/figures.py)
        elif child.tag in ("p", "div") and not _words(child):
            continue  # an image alone in its paragraph
        elif child.tag == "p" and _NUMBERED_LINE.search(text := "".join(child.itertext())):
            head, *numbered = _NUMBERED_LINE.split(text)
            if head.strip() and steps:
                steps[-1] = f"{steps[-1]} {' '.join(head.split())}"
            steps.extend(" ".join(item.split()) for item in numbered if item.strip())
        else:
            break
    return steps


def _words(element: etree._Element) -> bool:
    return bool("".join(element.itertext()).strip())


def _caption(img: etree._Element) -> str | None:
    """The caption of the figure `img` is in (convert/figures.py); None when it has none."""
    figure = img.getparent()
    if figure is None or figure.tag != "figure" or (caption := figure.find("figcaption")) is None:
        return None
    return text_of(caption) or None
