"""The chunks' PDFs joined into the book's one PDF (pikepdf: qpdf copies pages and their
resources without decoding them, ten times faster than doing it in Python).

Each chunk's file holds its pages and then the pages of the unit after it (which only showed
where the chunk ends); only the first `pages` of each are taken. What a one-process PDF has
for the whole book is rebuilt across the chunks:

- **named destinations**: every chunk's own anchors, in one name tree; the links in a chunk
  that point into another keep their names and so reach it;
- **bookmarks**: the chunks' outline entries in book order, nested again by their levels (a
  chapter's part may be in the chunk before it);
- **page labels**: roman for the front matter, arabic from chapter one;
- the document information (dated by the join), language, output intent and XMP metadata of
  the first chunk that has them (every chunk has the same head). The file identifier is
  derived from the content, so that two builds of the same book are byte-identical.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, NameTree, OutlineItem, Pdf

_CATALOG_KEYS = ("/Lang", "/MarkInfo", "/ViewerPreferences", "/OutputIntents", "/Metadata")


@dataclass(frozen=True)
class Part:
    """One chunk's file and what of it goes into the book."""

    path: Path
    pages: int
    names: Sequence[str]  # its own anchors (stand-ins for other chunks' are left out)
    bookmarks: Sequence[tuple[int, str, str]]  # (level, label, state) on its pages, in order


def join(parts: Sequence[Part], path: Path, front_pages: int, date: str) -> int:
    """Write the book to `path`, dated `date` (a PDF date); the number of pages."""
    book = Pdf.new()
    with ExitStack() as files:
        chunks = [files.enter_context(Pdf.open(part.path)) for part in parts]
        destinations = NameTree.new(book)
        outline: list[tuple[int, str, str, int, Array]] = []
        for part, chunk in zip(parts, chunks, strict=True):
            offset = len(book.pages)
            with warnings.catch_warnings():  # it warns that names are not copied: we do that
                warnings.simplefilter("ignore")
                book.pages.extend(chunk.pages[: part.pages])
            where = {chunk.pages[i].obj.objgen: offset + i for i in range(part.pages)}
            own = set(part.names)
            for name, target in _destinations(chunk):
                page = where.get(target[0].objgen) if len(target) else None
                if name in own and page is not None:
                    destinations[name] = _on(book, page, target)
            for (level, label, state), target in zip(part.bookmarks, _outline(chunk), strict=False):
                page = where.get(target[0].objgen) if len(target) else None
                if page is not None:
                    outline.append((level, label, state, page, target))
        book.Root.Names = Dictionary(Dests=destinations.obj)
        _bookmarks(book, outline)
        _catalog(book, chunks, date)
        _page_labels(book, front_pages)
        version = max(chunk.pdf_version for chunk in chunks)
        streams = pikepdf.ObjectStreamMode.generate
        book.save(path, min_version=version, deterministic_id=True, object_stream_mode=streams)
    return len(book.pages)


def _destinations(chunk: Pdf) -> Iterator[tuple[str, Array]]:
    """(name, destination array) of every entry of the file's /Dests name tree."""
    names = chunk.Root.get("/Names")
    if names is None or "/Dests" not in names:
        return
    for name, target in NameTree(names.Dests).items():
        target = target.get("/D", target) if isinstance(target, Dictionary) else target
        if isinstance(target, Array):
            yield str(name), target


def _on(book: Pdf, page: int, target: Array) -> Array:
    """`target` (/XYZ left top zoom) on the joined book's `page`."""
    return Array([book.pages[page].obj, *list(target)[1:]])


def _outline(chunk: Pdf) -> Iterator[Array]:
    """The destinations of the file's outline entries, in order (depth first)."""

    def walk(items: list[OutlineItem]) -> Iterator[Array]:
        for item in items:
            target = item.destination
            yield target if isinstance(target, Array) else Array()
            yield from walk(item.children)

    with chunk.open_outline() as outline:
        yield from walk(list(outline.root))


def _bookmarks(book: Pdf, outline: list[tuple[int, str, str, int, Array]]) -> None:
    """Nest the entries by level: each under the last one before it with a lower level."""
    with book.open_outline() as tree:
        stack: list[tuple[int, OutlineItem]] = []
        for level, label, state, page, target in outline:
            while stack and stack[-1][0] >= level:
                stack.pop()
            item = OutlineItem(label, _on(book, page, target))
            item.is_closed = state == "closed"
            (stack[-1][1].children if stack else tree.root).append(item)
            stack.append((level, item))


def _catalog(book: Pdf, chunks: list[Pdf], date: str) -> None:
    """The document-wide entries, each from the first chunk that has it (WeasyPrint writes an
    output intent only into a file whose pages use its colour profile)."""
    for key in _CATALOG_KEYS:
        for chunk in chunks:
            if key in chunk.Root:
                value = chunk.Root[key]
                if not value.is_indirect:  # qpdf copies only indirect objects (and theirs)
                    value = chunk.make_indirect(value)
                book.Root[key] = book.copy_foreign(value)
                break
    info: dict[str, Any] = {str(k): v for k, v in chunks[0].docinfo.items()}
    book.docinfo = book.make_indirect(Dictionary(info))
    book.docinfo["/CreationDate"] = book.docinfo["/ModDate"] = date


def _page_labels(book: Pdf, front_pages: int) -> None:
    numbers: list[Any] = []
    if front_pages:
        numbers += [0, Dictionary(S=Name.r)]
    if front_pages < len(book.pages):
        numbers += [front_pages, Dictionary(S=Name.D)]
    book.Root.PageLabels = Dictionary(Nums=Array(numbers))
