"""The print edition's pages, found again in the EPUB: page-break markers (the page-list that
lists them: `pagelist.py`).

A reader with the ebook in a class that uses the printed book needs "page 47" to mean the same
place in both. The PDF target knows, from WeasyPrint's layout, which words each page begins
with; `page_map` reads that off the laid-out boxes as a position in the chapter's *key*: its
letters and digits, case-folded, in print order (running heads and folios left out). The EPUB
target finds the same position in the chapter's XHTML (`mark_pages`) and puts a marker there,
before the word the page begins with:

    <span epub:type="pagebreak" role="doc-pagebreak" id="<anchor>--pb_47" aria-label="47">

Print adds text the EPUB does not have (step numbers, "(p. 12)" after a cross-reference, the
address under a link) and hyphenates, so the position is found by text, not by counting: the
page's first characters are looked for in the EPUB's key from the previous marker on, skipping
up to `_SKIP` leading characters print generated, with the longest stretch that is found.

Only main-matter pages are listed (arabic folios): the title page and contents have no place in
the EPUB's reading order. A page without chapter text (a blank verso, a part opener) is marked
where the next page begins; a page whose words cannot be found (very rare) likewise.
"""

from __future__ import annotations

import bisect
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from lxml import etree, html

from guidebook.convert.tree import parse_fragment, to_xhtml

_SKIP = 24  # leading characters of a page that may be print's own (a step number, "p 12")
_WINDOWS = (40, 24, 14, 8, 5)  # lengths of the stretch looked for, longest first


@dataclass(frozen=True)
class PageStart:
    label: str  # the folio printed on the page
    chapter: str | None  # the anchor of the chapter whose text the page begins with
    offset: int  # where in that chapter's key the page begins


@dataclass(frozen=True)
class PageMap:
    pages: tuple[PageStart, ...]  # main-matter pages, in order
    keys: dict[str, str]  # chapter anchor -> its key in print
    source: str  # what the pages are of: "the PDF edition, 6 × 9 in"


@dataclass(frozen=True)
class Marker:
    label: str
    file: str  # the EPUB file it is in
    id: str


def key(text: str) -> str:
    """Letters and digits, case-folded and NFKC-normalised: what print and EPUB share."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum())


# --- the PDF side ------------------------------------------------------------------------------


def page_map(document: Any, anchors: set[str], front_pages: int, source: str) -> PageMap:
    """Where each main-matter page of the laid-out `document` begins, by chapter key."""
    main = document.pages[front_pages:]
    pages, keys = page_starts(main, anchors, lambda index: str(index + 1))
    return joined_map([pages], [keys], source)


def page_starts(
    pages: list[Any], anchors: set[str], label: Callable[[int], str]
) -> tuple[list[PageStart], dict[str, str]]:
    """Where each of WeasyPrint's `pages` begins (`label(i)`: the folio of the i-th), and the
    key of each chapter in `anchors` whose text is on them. A chunk of the book laid out on its
    own (`render/chunked.py`) gives its own; `joined_map` puts them together."""
    return PageTexts.of([page._page_box for page in pages], anchors, label).starts()


@dataclass
class PageTexts:
    """The chapters' text on each page, in key pieces: what `page_starts` reads, kept by a
    chunk whose pages are patched later (`render/refpatch.py`), to read those pages again."""

    pieces: list[list[tuple[str, str]]]  # per page: (chapter anchor, piece of its key)
    anchors: set[str]
    label: Callable[[int], str]

    @classmethod
    def of(cls, boxes: list[Any], anchors: set[str], label: Callable[[int], str]) -> PageTexts:
        texts = cls([], anchors, label)
        texts.pieces = [texts._pieces(box) for box in boxes]
        return texts

    def read(self, boxes: dict[int, Any]) -> None:
        """Read again the pages whose boxes changed (page index -> page box)."""
        for index, box in boxes.items():
            self.pieces[index] = self._pieces(box)

    def starts(self) -> tuple[list[PageStart], dict[str, str]]:
        parts: dict[str, list[str]] = {anchor: [] for anchor in self.anchors}
        lengths = dict.fromkeys(self.anchors, 0)
        starts = []
        for index, pieces in enumerate(self.pieces):
            label = self.label(index)
            if pieces:
                anchor = pieces[0][0]
                starts.append(PageStart(label, anchor, lengths[anchor]))
            else:
                starts.append(PageStart(label, None, 0))
            for anchor, piece in pieces:
                parts[anchor].append(piece)
                lengths[anchor] += len(piece)
        keys = {anchor: "".join(pieces) for anchor, pieces in parts.items() if pieces}
        return starts, keys

    def _pieces(self, page_box: Any) -> list[tuple[str, str]]:
        from weasyprint.formatting_structure import boxes  # here: an EPUB build never loads it

        kinds = (boxes.MarginBox, boxes.TextBox)
        found = []
        for anchor, text in _texts(page_box, None, self.anchors, kinds):
            piece = key(text)
            if anchor is not None and piece:
                found.append((anchor, piece))
        return found


def joined_map(pages: list[list[PageStart]], keys: list[dict[str, str]], source: str) -> PageMap:
    """One map from the pieces `page_starts` gave, in book order."""
    every = [page for piece in pages for page in piece]
    merged = {anchor: text for piece in keys for anchor, text in piece.items()}
    return PageMap(_with_blank_pages_placed(every), merged, source)


def _with_blank_pages_placed(pages: list[PageStart]) -> tuple[PageStart, ...]:
    """A page without chapter text is marked where the next page with some begins; pages after
    the last chapter text (a back-matter page, a closing blank) are left out."""
    placed: list[PageStart] = []
    following: PageStart | None = None
    for page in reversed(pages):
        if page.chapter is not None:
            following = page
        elif following is not None:
            page = PageStart(page.label, following.chapter, following.offset)
        else:
            continue
        placed.append(page)
    return tuple(reversed(placed))


def _texts(
    box: Any, anchor: str | None, anchors: set[str], kinds: tuple[Any, Any]
) -> Iterator[tuple[str | None, str]]:
    """(chapter anchor, text) of every text box under `box`, in layout order; `kinds` are
    WeasyPrint's margin box and text box classes."""
    margin_box, text_box = kinds
    box = getattr(box, "_box", box)  # an absolutely positioned box's placeholder
    if isinstance(box, margin_box):
        return  # running heads and folios
    element = getattr(box, "element", None)
    if element is not None and (name := element.get("id")) in anchors:
        anchor = name
    if isinstance(box, text_box):
        yield anchor, box.text
        return
    for child in getattr(box, "children", ()):
        yield from _texts(child, anchor, anchors, kinds)


# --- the EPUB side -----------------------------------------------------------------------------


def mark_pages(xhtml: str, anchor: str, file: str, pages: PageMap) -> tuple[str, list[Marker]]:
    """The chapter's XHTML with a marker where each of its print pages begins, and the markers
    in page order (for the page-list). A page whose words are not found gets no marker."""
    wanted = [page for page in pages.pages if page.chapter == anchor]
    if not wanted:
        return xhtml, []
    root = parse_fragment(xhtml)
    epub_key, where = _epub_key(_slots(root))
    print_key = pages.keys[anchor]
    placed: list[tuple[PageStart, int]] = []
    start = 0
    for page in wanted:
        at = _find(print_key, page.offset, epub_key, start)
        if at is not None:
            placed.append((page, at))
            start = at
    # From the last to the first: a split never moves a position still to be used, and two
    # pages at one place (a blank verso and the page after it) keep their order.
    for page, at in reversed(placed):
        _insert(*where.slot(at), _marker(page.label, f"{anchor}--pb_{page.label}"))
    markers = [Marker(page.label, file, f"{anchor}--pb_{page.label}") for page, _ in placed]
    return to_xhtml(root), markers


def _slots(element: etree._Element) -> Iterator[tuple[etree._Element, str, str]]:
    """Every text under `element` in reading order: (element, "text" or "tail", the string)."""
    if isinstance(element.tag, str) and element.text:  # not a comment's
        yield element, "text", element.text
    for child in element:
        yield from _slots(child)
        if child.tail:
            yield child, "tail", child.tail


@dataclass(frozen=True)
class _Where:
    """Where the EPUB's key comes from: the texts with a key, and where each one's starts."""

    texts: list[tuple[etree._Element, str, str]]
    starts: list[int]

    def slot(self, at: int) -> tuple[etree._Element, str, int]:
        """(element, "text" or "tail", index in that string) of the key's character `at`."""
        which = bisect.bisect_right(self.starts, at) - 1
        (element, attr, text), left = self.texts[which], at - self.starts[which]
        for index, ch in enumerate(text):
            size = len(key(ch))
            if left < size:
                return element, attr, index
            left -= size
        raise IndexError(at)


def _epub_key(slots: Iterable[tuple[etree._Element, str, str]]) -> tuple[str, _Where]:
    """The texts' key, each character keyed alone (so each key character has one source)."""
    pieces: list[str] = []
    where = _Where([], [])
    length = 0
    for element, attr, text in slots:
        piece = _char_key(text)
        if piece:
            where.texts.append((element, attr, text))
            where.starts.append(length)
            pieces.append(piece)
            length += len(piece)
    return "".join(pieces), where


def _char_key(text: str) -> str:
    """`key` of each character in turn; ASCII's is its letters and digits, lower-cased."""
    if text.isascii():
        return "".join(filter(str.isalnum, text)).lower()
    return "".join(key(ch) for ch in text)


def _find(print_key: str, offset: int, epub_key: str, start: int) -> int | None:
    """Where in `epub_key` (from `start` on) the print text at `offset` begins."""
    for skip in range(min(_SKIP, max(len(print_key) - offset, 0))):
        for size in _WINDOWS:
            stretch = print_key[offset + skip : offset + skip + size]
            if len(stretch) < min(size, 5):
                continue
            found = epub_key.find(stretch, start)
            if found >= 0:
                return found
    return None


def _marker(label: str, marker_id: str) -> etree._Element:
    span = html.Element("span")
    span.set("epub:type", "pagebreak")
    span.set("role", "doc-pagebreak")
    span.set("id", marker_id)
    span.set("aria-label", label)
    span.text = ""  # written <span ...></span>: an HTML parser reads <span/> as an open tag
    return span


def _insert(element: etree._Element, attr: str, index: int, span: etree._Element) -> None:
    """Put `span` into the text at `index`, before the word that character is in."""
    text = (element.text if attr == "text" else element.tail) or ""
    index = min(index, len(text))  # a later marker in this text already split it before here
    while index > 0 and key(text[index - 1]):
        index -= 1
    before, after = text[:index], text[index:]
    span.tail = after
    if attr == "text":
        element.text = before
        element.insert(0, span)
    else:
        element.tail = before
        parent = element.getparent()
        parent.insert(parent.index(element) + 1, span)
