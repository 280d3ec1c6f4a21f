"""Repair what the HTML parser lets through but XHTML forbids, so every EPUB passes EPUBCheck.

The sanitiser's HTML5 parser already closes paragraphs before blocks, moves stray text out of
tables and drops table cells outside tables. It keeps markup that parses but breaks XHTML's
content model, which pasted HTML is full of: a `<div>` inside `<b>`, a `<p>` inside a heading,
list items outside any list, text or paragraphs loose inside a `<ul>`, a `<figcaption>` outside
a figure, an empty heading. This pass fixes each in the way that keeps the writer's words and
their order.
"""

from __future__ import annotations

from lxml import etree

from guidebook.convert.tree import remove

# Elements whose content may only be phrasing (inline) content.
PHRASING_ONLY = frozenset(
    [
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "span",
        "b",
        "i",
        "em",
        "strong",
        "small",
        "s",
        "u",
        "cite",
        "q",
        "dfn",
        "abbr",
        "code",
        "kbd",
        "samp",
        "var",
        "sub",
        "sup",
        "mark",
        "time",
        "pre",
        "dt",
        "summary",
        "caption",
    ]
)
# Looked through: their content model is their parent's.
TRANSPARENT = frozenset({"a", "ins", "del"})
# Elements that are flow content but not phrasing content.
FLOW_ONLY = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "details",
        "div",
        "dl",
        "figure",
        "footer",
        "header",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "ul",
    ]
)
LISTS = frozenset({"ul", "ol"})
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# Elements that only make sense inside a particular parent, and what they become elsewhere.
ORPHANS = {"figcaption": ("figure", "p"), "summary": ("details", "p")}


def repair_content_model(root: etree._Element) -> None:
    _wrap_orphans(root, {"li"}, "ul", LISTS | {"menu"})
    _wrap_orphans(root, {"dt", "dd"}, "dl", frozenset({"dl"}))
    for heading in [e for e in root.iter(*HEADINGS) if not _has_content(e)]:
        remove(heading)  # an empty heading (left by the parser) would open an empty section
    for element in reversed([e for e in root.iter() if isinstance(e.tag, str)]):
        if element.tag in ORPHANS:
            parent_tag, replacement = ORPHANS[element.tag]
            parent = element.getparent()
            if parent is None or parent.tag != parent_tag:
                element.tag = replacement
        if element.tag in PHRASING_ONLY and _holds_flow(element):
            element.tag = "div"  # a block holding blocks; the text keeps its order
        elif element.tag in LISTS:
            _gather_into_items(element)
        elif element.tag == "dl":
            _gather_into_definitions(element)


def _has_content(element: etree._Element) -> bool:
    return bool("".join(element.itertext()).strip()) or element.find(".//img") is not None


def _holds_flow(element: etree._Element) -> bool:
    for child in element:
        if not isinstance(child.tag, str):
            continue
        if child.tag in FLOW_ONLY or (child.tag in TRANSPARENT and _holds_flow(child)):
            return True
    return False


def _box_leading_text(parent: etree._Element, tag: str) -> None:
    """Text before a list's first child goes into a new first `tag` element."""
    if (parent.text or "").strip():
        box = etree.Element(tag)
        box.text = parent.text
        parent.insert(0, box)
    parent.text = None


def _gather_into_items(listing: etree._Element) -> None:
    """Text and elements loose inside a list join the item before them (or a new first one)."""
    _box_leading_text(listing, "li")
    current = None
    for child in list(listing):
        if child.tag == "li":
            current = child
            if (child.tail or "").strip():
                extra = etree.SubElement(child, "span")
                extra.text, child.tail = child.tail, None
            continue
        if not isinstance(child.tag, str):
            remove(child)
            continue
        if current is None:
            current = etree.Element("li")
            listing.insert(listing.index(child), current)
        current.append(child)


def _gather_into_definitions(listing: etree._Element) -> None:
    """Every dl child a dt or dd, starting with a dt and ending with a dd."""
    _box_leading_text(listing, "dd")
    for child in list(listing):
        if child.tag not in ("dt", "dd"):
            if not isinstance(child.tag, str):
                remove(child)
                continue
            definition = etree.Element("dd")
            listing.replace(child, definition)
            definition.append(child)
            definition.tail, child.tail = child.tail, None
            child = definition
        if (child.tail or "").strip():
            definition = etree.Element("dd")
            definition.text, child.tail = child.tail, None
            child.addnext(definition)
    while len(listing) and listing[0].tag == "dd":  # a definition of no term: plain block
        leading = listing[0]
        leading.tag = "div"
        listing.addprevious(leading)
    if len(listing) and listing[-1].tag == "dt":
        etree.SubElement(listing, "dd")  # terms without a definition still need one


def _wrap_orphans(
    root: etree._Element, tags: set[str], wrapper: str, parents: frozenset[str]
) -> None:
    """Put runs of `tags` elements whose parent is not one of `parents` into a new `wrapper`."""
    for element in [e for e in root.iter() if e.tag in tags]:
        parent = element.getparent()
        if parent is None or parent.tag in parents:
            continue
        previous = element.getprevious()
        if (
            previous is not None
            and previous.tag == wrapper
            and previous.get("data-repaired") is not None
            and not (previous.tail or "").strip()
        ):
            tail, element.tail = element.tail, None
            previous.append(element)  # continue the run this pass started
            previous.tail = tail
            continue
        box = etree.Element(wrapper)
        box.set("data-repaired", "")
        box.tail = element.tail
        element.tail = None
        parent.replace(element, box)
        box.append(element)
    for box in root.iter(wrapper):
        box.attrib.pop("data-repaired", None)
