"""Parsing a sanitised HTML fragment into an lxml tree and writing it back as XHTML.

The tree passes (ids, links, images, sections) work here rather than as Python-Markdown
treeprocessors because raw HTML blocks never reach Markdown's tree: a link inside the guide's
call-to-action block must be resolved like any other.
"""

from __future__ import annotations

import re

from lxml import etree

from guidebook.text import DISALLOWED, without_disallowed

# Classes content may use: the call-to-action block of exported guides and simple callouts.
USER_CLASS = re.compile(
    r"^(cta(-[a-z0-9]+)*|note|tip|warning|callout"
    r"|callout-(note|tip|important|warning|caution|title))$"
)


# libxml2's HTML parser without lxml.html's element classes: lxml.html looks up a Python
# class for every element each time Python touches it, a third of the tree passes' time.
_PARSER = etree.HTMLParser()


def parse_fragment(text: str) -> etree._Element:
    """A `<div>` holding the fragment's nodes: leading text, then elements and their tails."""
    document = etree.fromstring(f"<html><body>{text or '<p></p>'}</body></html>", _PARSER)
    root = _PARSER.makeelement("div")
    body = document.find("body")
    if body is not None:
        if body.text and body.text.strip():  # (what Markdown makes starts with a tag)
            root.text = without_disallowed(body.text)
        root.extend(body)
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


_ALIGN = re.compile(r"text-align:\s*(left|right|center|justify)")


def tidy_attributes(root: etree._Element) -> None:
    """Keep only user classes we allow; turn table-cell alignment into a class.

    Python-Markdown writes column alignment as `style="text-align: ..."`; the outputs carry
    no style attributes, so the alignment travels as `align-left` and friends.
    """
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        classes = [c for c in (element.get("class") or "").split() if USER_CLASS.match(c)]
        style = element.attrib.pop("style", None)
        if style and (match := _ALIGN.search(style)):
            classes.append(f"align-{match.group(1)}")
        if classes:
            element.set("class", " ".join(classes))
        else:
            element.attrib.pop("class", None)


def unwrap(element: etree._Element) -> None:
    """Replace an element by its content (used for links that cannot be kept).

    An element carrying an id becomes a bare `<span id>` instead, so that links to it still
    find their target.
    """
    if element.get("id"):
        element_id = element.get("id")
        element.attrib.clear()
        element.set("id", element_id or "")
        element.tag = "span"
        return
    parent = element.getparent()
    if parent is None:
        return
    index = parent.index(element)
    _attach_text(parent, element.getprevious(), element.text)
    for offset, child in enumerate(list(element)):
        parent.insert(index + offset, child)
    remove(element)


def remove(element: etree._Element) -> None:
    """Remove an element and its content, keeping the text that follows it."""
    parent = element.getparent()
    if parent is not None:
        _attach_text(parent, element.getprevious(), element.tail)
        parent.remove(element)


def _attach_text(parent: etree._Element, after: etree._Element | None, text: str | None) -> None:
    """Put text right after `after` (in its tail) or, with no `after`, at the start of parent."""
    if not text:
        return
    if after is not None:
        after.tail = (after.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


# Deeper nesting is never real writing, and WeasyPrint's layout recursion fails on it (400
# nested blockquotes raise RecursionError), so content below this many levels is kept as text.
# A level is what a reader sees as one: a list (not also its items), a quote (not also its
# paragraphs), a table (not also its rows and cells), a div, an inline element.
MAX_DEPTH = 30
_PART_OF_A_LEVEL = frozenset(
    {"li", "dd", "dt", "p", "tbody", "thead", "tfoot", "tr", "td", "th", "caption"}
    | {"figcaption", "summary"}
)


def limit_depth(root: etree._Element, max_depth: int = MAX_DEPTH) -> bool:
    """Flatten content nested more than `max_depth` levels into its text; True if any was."""
    flattened = False
    stack = [(root, 0)]
    while stack:  # iterative: recursion is exactly what deep input exhausts
        element, depth = stack.pop()
        if depth > max_depth and len(element):
            element.text = text_of(element)
            for child in list(element):
                element.remove(child)
            flattened = True
            continue
        stack.extend(
            (child, depth + (child.tag not in _PART_OF_A_LEVEL))
            for child in element
            if isinstance(child.tag, str)
        )
    return flattened


def text_of(element: etree._Element) -> str:
    """The element's text with its whitespace folded; a line break (`<br>`) is a space."""
    return " ".join(_itertext(element).split())


def _footnote_mark(element: etree._Element) -> bool:
    """A footnote reference: `<sup><a href="#...--fn-1">1</a></sup>`."""
    return element.tag.rsplit("}", 1)[-1] == "sup" and any(
        "--fn-" in (a.get("href") or "") for a in element.iter("{*}a", "a")
    )


_BREAKS = frozenset({"br", "p", "div", "ol", "ul", "li", "table", "tr", "td", "th", "figure"})


def _itertext(element: etree._Element) -> str:
    """`itertext()` with a space for every line break and around every block (a step's text
    and its sub-list's do not run together); comments left out."""
    out: list[str] = []
    if element.text:
        out.append(element.text)
    for child in element:
        if isinstance(child.tag, str) and _footnote_mark(child):
            pass  # "parallel.[^1]": the mark is no part of the words
        elif isinstance(child.tag, str):
            block = child.tag.rsplit("}", 1)[-1] in _BREAKS
            out.extend((" ", _itertext(child), " ") if block else (_itertext(child),))
        if child.tail:
            out.append(child.tail)
    return "".join(out)


def drop_disallowed(root: etree._Element, source: str | None = None) -> int:
    """Remove control characters and noncharacters from the tree's text and attribute values;
    return how many went. The files were cleaned when read, but a character reference
    (`&#xFFFE;`) in Markdown or raw HTML decodes to one only now, and U+FFFE is not an XML
    character: one would make the EPUB unreadable. `source`, the HTML the tree was parsed
    from: when it holds no such character and no numeric reference, the tree cannot either
    (no named reference stands for one), and the walk is skipped."""
    if source is not None and "&#" not in source and DISALLOWED.search(source) is None:
        return 0
    removed = 0

    def clean(value: str | None) -> str | None:
        nonlocal removed
        if not value:
            return value
        kept = without_disallowed(value)
        removed += len(value) - len(kept)
        return kept

    for element in root.iter():
        element.tail = clean(element.tail)
        if not isinstance(element.tag, str):
            continue
        element.text = clean(element.text)
        for name, value in element.attrib.items():
            element.set(name, clean(value) or "")
    return removed
