"""The chunks' PDFs joined into the book's one PDF (pypdf).

Each chunk's file holds its pages and then the pages of the unit after it (which only showed
where the chunk ends); only the first `pages` of each are taken. What a one-process PDF has
for the whole book is rebuilt across the chunks:

- **named destinations**: every chunk's own anchors, in one sorted name tree; the links in a
  chunk that point into another keep their names and so reach it;
- **bookmarks**: the chunks' outline entries in book order, nested again by their levels (a
  chapter's part may be in the chunk before it);
- **page labels**: roman for the front matter, arabic from chapter one;
- the document information, language, output intent and XMP metadata of the first chunk
  (every chunk has the same head), and a file identifier derived from the book, so that two
  builds of the same book are byte-identical.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.constants import PageLabelStyle
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DictionaryObject,
    Fit,
    FloatObject,
    NameObject,
    NumberObject,
)

_CATALOG_KEYS = ("/Lang", "/MarkInfo", "/ViewerPreferences", "/OutputIntents", "/Metadata")


@dataclass(frozen=True)
class Part:
    """One chunk's file and what of it goes into the book."""

    path: Path
    pages: int
    names: Sequence[str]  # its own anchors (stand-ins for other chunks' are left out)
    bookmarks: Sequence[tuple[int, str, str]]  # (level, label, state) on its pages, in order


def join(parts: Sequence[Part], path: Path, front_pages: int, identity: str) -> int:
    """Write the book to `path`; the number of pages."""
    writer = PdfWriter()
    readers = [PdfReader(part.path) for part in parts]
    first = readers[0]
    writer.pdf_header = first.pdf_header
    names: list[tuple[bytes, Any, ArrayObject]] = []
    outline: list[tuple[int, str, str, int, Any]] = []
    for part, reader in zip(parts, readers, strict=True):
        offset = len(writer.pages)
        where = {}
        for index in range(part.pages):
            added = writer.add_page(reader.pages[index])
            where[_idnum(reader.pages[index].indirect_reference)] = (offset + index, added)
        own = set(part.names)
        for key, target in _names(reader):
            page = where.get(_page_number(target))
            if str(key) in own and page is not None:
                names.append((_sort_key(key), key, _retarget(target, page[1])))
        for (level, label, state), dest in zip(part.bookmarks, _outline(reader), strict=False):
            page = where.get(dest.page.idnum if hasattr(dest.page, "idnum") else -1)
            if page is not None:
                outline.append((level, label, state, page[0], dest))
    _name_tree(writer, names)
    _bookmarks(writer, outline)
    _catalog(writer, readers)
    _page_labels(writer, front_pages)
    digest = hashlib.md5(f"{identity}|{len(writer.pages)}".encode(), usedforsecurity=False)
    writer._ID = ArrayObject([ByteStringObject(digest.digest())] * 2)
    with open(path, "wb") as handle:
        writer.write(handle)
    return len(writer.pages)


def _names(reader: PdfReader) -> Iterator[tuple[Any, Any]]:
    """(name, destination) of every entry of the file's /Dests name tree."""
    root: Any = reader.trailer["/Root"]
    tree = root.get("/Names", DictionaryObject()).get_object().get("/Dests")
    if tree is None:
        return
    pending = [tree.get_object()]
    while pending:
        node = pending.pop()
        entries = node.get("/Names", ArrayObject())
        for index in range(0, len(entries) - 1, 2):
            yield entries[index], entries[index + 1].get_object()
        pending.extend(kid.get_object() for kid in reversed(node.get("/Kids", ArrayObject())))


def _page_number(target: Any) -> int:
    array = target.get("/D") if isinstance(target, DictionaryObject) else target
    return _idnum(array[0]) if array else -1


def _idnum(reference: Any) -> int:
    return int(getattr(reference, "idnum", -1))


def _retarget(target: Any, page: Any) -> ArrayObject:
    """The destination `target` on the joined book's `page`."""
    array: Any = target.get("/D") if isinstance(target, DictionaryObject) else target
    fresh = ArrayObject([page.indirect_reference])
    fresh.extend(NameObject(str(v)) if isinstance(v, NameObject) else _number(v) for v in array[1:])
    return fresh


def _number(value: Any) -> Any:
    if value is None or str(value) == "null":
        return NumberObject(0)
    return FloatObject(float(value))


def _sort_key(key: Any) -> bytes:
    raw = getattr(key, "original_bytes", None)
    return bytes(raw) if raw is not None else str(key).encode("utf-16-be")


def _name_tree(writer: PdfWriter, names: list[tuple[bytes, Any, ArrayObject]]) -> None:
    array = ArrayObject()
    for _sort, key, target in sorted(names, key=lambda entry: entry[0]):
        array.append(key)
        array.append(writer._add_object(target))
    dests = DictionaryObject({NameObject("/Names"): array})
    names_dict = DictionaryObject({NameObject("/Dests"): writer._add_object(dests)})
    writer.root_object[NameObject("/Names")] = writer._add_object(names_dict)


def _outline(reader: PdfReader) -> Iterator[Any]:
    """The file's outline entries, in order (depth first)."""

    def walk(items: list[Any]) -> Iterator[Any]:
        for item in items:
            if isinstance(item, list):
                yield from walk(item)
            else:
                yield item

    yield from walk(reader.outline)


def _bookmarks(writer: PdfWriter, outline: list[tuple[int, str, str, int, Any]]) -> None:
    """Nest the entries by level: each under the last one before it with a lower level."""
    stack: list[tuple[int, Any]] = []
    for level, label, state, page, dest in outline:
        while stack and stack[-1][0] >= level:
            stack.pop()
        parent = stack[-1][1] if stack else None
        left, top = dest.get("/Left"), dest.get("/Top")  # a pypdf Destination
        fit = Fit.xyz(
            float(left) if left is not None else None, float(top) if top is not None else None, 0
        )
        item = writer.add_outline_item(
            title=label, page_number=page, parent=parent, fit=fit, is_open=state != "closed"
        )
        stack.append((level, item))


def _catalog(writer: PdfWriter, readers: list[PdfReader]) -> None:
    """The document-wide entries, each from the first chunk that has it (WeasyPrint writes an
    output intent only into a file whose pages use its colour profile)."""
    for key in _CATALOG_KEYS:
        for reader in readers:
            root: Any = reader.trailer["/Root"]
            if key in root:
                writer.root_object[NameObject(key)] = root.raw_get(key).clone(writer)
                break
    info = readers[0].metadata
    if info:
        writer.add_metadata({key: info[key] for key in info})


def _page_labels(writer: PdfWriter, front_pages: int) -> None:
    total = len(writer.pages)
    if front_pages:
        writer.set_page_label(0, front_pages - 1, PageLabelStyle.LOWERCASE_ROMAN, start=1)
    if front_pages < total:
        writer.set_page_label(front_pages, total - 1, PageLabelStyle.DECIMAL, start=1)
