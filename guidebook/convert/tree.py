"""Parsing a sanitised HTML fragment into an lxml tree and writing it back as XHTML.

The tree passes (ids, links, images, sections) work here rather than as Python-Markdown
treeprocessors because raw HTML blocks never reach Markdown's tree: a link inside the guide's
call-to-action block must be resolved like any other.
"""

from __future__ import annotations

import re

from lxml import etree, html

# Classes content may use: the call-to-action block of exported guides and simple callouts.
USER_CLASS = re.compile(r"^(cta(-[a-z0-9]+)*|note|tip|warning|callout)$")


def parse_fragment(text: str) -> etree._Element:
    """A `<div>` holding the fragment's nodes."""
    root = html.fragment_fromstring(text or "<p></p>", create_parent="div")
    return root


def to_xhtml(root: etree._Element) -> str:
    """The children of `root` as well-formed XHTML (no XML declaration, no wrapper)."""
    parts = [_escape(root.text or "")]
    parts.extend(
        etree.tostring(child, method="xml", encoding="unicode", with_tail=True) for child in root
    )
    return "".join(parts)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def keep_user_classes(root: etree._Element) -> None:
    for element in root.iter():
        classes = element.get("class")
        if classes is None:
            continue
        kept = [c for c in classes.split() if USER_CLASS.match(c)]
        if kept:
            element.set("class", " ".join(kept))
        else:
            del element.attrib["class"]


def unwrap(element: etree._Element) -> None:
    """Replace an element by its content (used for links that cannot be kept)."""
    parent = element.getparent()
    if parent is None:
        return
    index = parent.index(element)
    previous = element.getprevious()
    text = element.text or ""
    if previous is not None:
        previous.tail = (previous.tail or "") + text
    else:
        parent.text = (parent.text or "") + text
    for offset, child in enumerate(list(element)):
        parent.insert(index + offset, child)
    last = element.getprevious()
    tail = element.tail or ""
    if last is not None:
        last.tail = (last.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(element)


def text_of(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())
