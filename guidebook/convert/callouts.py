"""Callouts writers already type, as boxes in print and in the EPUB.

Two spellings, one result:

- GitHub's alerts: a quote whose first line is `[!NOTE]`, `[!TIP]`, `[!IMPORTANT]`,
  `[!WARNING]` or `[!CAUTION]` (any case);
- Python-Markdown's admonitions: `!!! warning "Keep the bar close"` and an indented body.
  Their many kinds are folded into those five (`danger` and `error` are cautions, `hint` a tip).

Both become `<aside class="callout callout-KIND">` opening with `<p class="callout-title">`
(the kind's name, or the admonition's own title), styled in `base.css`: warnings and cautions
are framed, with a heavy rule and a mark, so they stand out in greyscale print too. After
sanitising, `mark_callouts` gives each box `role="note"`, so a screen reader announces it.
"""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET

import markdown
from lxml import etree
from markdown.treeprocessors import Treeprocessor

KINDS = {
    "note": "Note",
    "tip": "Tip",
    "important": "Important",
    "warning": "Warning",
    "caution": "Caution",
}
# Admonition types (mkdocs-material's and reStructuredText's) -> our five.
_FOLDED = {
    "info": "note", "abstract": "note", "summary": "note", "seealso": "note", "todo": "note",
    "hint": "tip", "success": "tip", "check": "tip", "done": "tip", "example": "tip",
    "attention": "important", "question": "important",
    "danger": "caution", "error": "caution", "failure": "caution", "bug": "caution",
}  # fmt: skip
# The marker on a line of its own, as GitHub wants, or followed by the text (we forgive that).
_ALERT = re.compile(r"\A\s*\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\][ \t]*\n?", re.I)


class CalloutExtension(markdown.Extension):  # type: ignore[misc]  # untyped base
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # After the inline pass (20), smarty (6) and the guard's tail restore (5.5), so the
        # alert's marker and the titles are final text; before unescaping (0).
        md.treeprocessors.register(_Callouts(md), "guidebook_callouts", 4)


class _Callouts(Treeprocessor):  # type: ignore[misc]  # untyped base
    def run(self, root: ET.Element) -> None:
        for parent in list(root.iter()):
            for element in list(parent):
                if element.tag == "blockquote":
                    _alert(element, parent)
        for element in list(root.iter()):
            if element.tag == "div" and "admonition" in (element.get("class") or "").split():
                _admonition(element)


def _alert(quote: ET.Element, parent: ET.Element) -> None:
    """Turn a quote that opens with an alert marker into a box. Python-Markdown joins quotes
    that only a blank line separates, so a marker further down starts a box of its own."""
    starts = [i for i, child in enumerate(quote) if _marker(child) is not None]
    if not starts:
        return
    children = list(quote)
    cuts = [*starts, len(children)]
    boxes = [children[a:b] for a, b in itertools.pairwise(cuts)]
    place = list(parent).index(quote)
    if starts[0] == 0:
        parent.remove(quote)
    else:
        for child in children[starts[0] :]:
            quote.remove(child)
        place += 1
    for offset, members in enumerate(boxes):
        first = members[0]
        match = _marker(first)
        assert match is not None
        kind = match[1].lower()
        first.text = (first.text or "")[match.end() :] or None
        box = ET.Element("aside")
        for member in members:
            if member is first and not (first.text or "").strip() and not len(first):
                continue  # the marker's own line
            box.append(member)
        _make_box(box, kind, KINDS[kind])
        parent.insert(place + offset, box)


def _marker(child: ET.Element) -> re.Match[str] | None:
    return _ALERT.match(child.text or "") if child.tag == "p" else None


def _admonition(box: ET.Element) -> None:
    classes = (box.get("class") or "").split()
    named = next((c for c in classes if c != "admonition"), "note").lower()
    kind = named if named in KINDS else _FOLDED.get(named, "note")
    title = box[0] if len(box) and box[0].get("class") == "admonition-title" else None
    # Python-Markdown writes the type's name when no title is given, nothing for `""`.
    text = "".join(title.itertext()).strip() if title is not None else ""
    if title is not None:
        box.remove(title)
    _make_box(box, kind, text)


def _make_box(element: ET.Element, kind: str, title: str) -> None:
    element.tag = "aside"
    element.attrib.clear()
    element.set("class", f"callout callout-{kind}")
    if title:
        heading = ET.Element("p", {"class": "callout-title"})
        heading.text = title
        element.insert(0, heading)


def mark_callouts(root: etree._Element) -> None:
    """`role="note"` on each callout (sanitising drops roles, so it is added after)."""
    for aside in root.iter("aside"):
        if "callout" in (aside.get("class") or "").split():
            aside.set("role", "note")
