"""One chunk of the book in a worker: laid out, given its real page numbers, written.

A chunk is a run of the book's units (the front matter, part openers, chapters, the indexes)
rendered by the book's own layout (`document.Chunk`). To know where it ends, the unit after
it (`ChunkJob.tail`) is laid out too: the chunk's pages are those before that unit's first
page, so a blank verso the next chapter asks for is the chunk's last page, as in the whole
book; the tail's pages are dropped when the chunks are joined.

The chunk starts on the side and with the page number the parent guessed (`ChunkJob.start`,
`right`), and its references to other chunks' anchors print the pages the parent guessed for
them. `LaidChunk.renumber` puts the real ones in (`renumber.py`) without a new layout; a chunk
whose first page changes side is laid out again (`lay_out`). A chunk written while some of
its references still print guesses keeps the pages that show them, to patch (`refpatch.py`).
"""

from __future__ import annotations

import html as html_text
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup

from guidebook.model import Asset
from guidebook.render.externals import keep_links
from guidebook.render.holes import Settled, settle
from guidebook.render.pagemap import PageStart, PageTexts
from guidebook.render.refpatch import Held, Reference, laid_references
from guidebook.render.renumber import Kept, recording
from guidebook.render.session import DiskImages, Session

_CHUNK_STYLE = '<style id="chunk"></style>'


@dataclass(frozen=True)
class ChunkJob:
    """What a worker is told about one chunk."""

    id: int
    html: str  # rendered with `document.Chunk`: it holds an empty <style id="chunk">
    tail: str | None  # anchor of the unit laid out after it (None: the book's last chunk)
    start: int | None  # folio of its first page (None: the CSS sets it, as at chapter one)
    right: bool  # its first page is a right-hand page
    externals: dict[str, int]  # anchors of other chunks it refers to -> their folios
    sections: frozenset[str]  # chapter, part and index anchors: the EPUB's page-list reads them
    main: bool  # main matter: its pages have arabic folios and go to the page-list
    late: bool = False  # laid out once the chapters' pages are known (the contents, the indexes)


@dataclass(frozen=True)
class Facts:
    """What the parent needs back from a layout: enough to number the whole book."""

    id: int
    pages: int
    start: int | None
    right: bool
    anchors: dict[str, int]  # anchor -> index of its page in the chunk
    externals: dict[str, int]  # the folios its references to other chunks print
    settled: Settled
    patchable: bool = False  # those references can take other numbers once written (refpatch)


@dataclass(frozen=True)
class Written:
    id: int
    path: Path
    pages: int  # the chunk's pages: its file's (the tail's are not written)
    bookmarks: list[tuple[int, str, str]]  # (level, label, state), in order
    names: list[str]  # the anchors whose destinations the chunk's file holds for the book
    page_starts: list[PageStart]  # main-matter chunks: where each page begins (the EPUB's)
    keys: dict[str, str]
    refused: list[str]  # what the layout asked for and the sandbox refused
    warnings: list[tuple[str, Any]] = field(default_factory=list)  # WeasyPrint's, (text, file)


def chunk_css(right: bool, book: str) -> Markup:
    """The side the chunk starts on, and the book's title for the running heads (the title
    page that sets it is in another chunk). Its first page number is set by `recording`."""
    side = "right" if right else "left"
    return Markup(f"html {{ break-before: {side}; string-set: book {css_string(book)}; }}")


def css_string(text: str) -> str:
    """`text` as a CSS string: every character but letters, digits and spaces escaped."""
    escaped = "".join(ch if ch.isalnum() or ch == " " else f"\\{ord(ch):x} " for ch in text)
    return f'"{escaped}"'


@dataclass
class LaidChunk:
    """A chunk laid out in this worker, with the WeasyPrint state to renumber it."""

    job: ChunkJob
    start: int | None
    right: bool
    document: Any
    kept: Kept
    settled: Settled
    refused: list[str] = field(default_factory=list)
    warnings: list[tuple[str, Any]] = field(default_factory=list)
    images: dict[str, Any] | None = None  # the draft's image cache (closed once written)
    pages: int = 0
    anchors: dict[str, int] = field(default_factory=dict)
    references: list[Reference] = field(default_factory=list)  # to other chunks' anchors

    def facts(self) -> Facts:
        self.pages, self.anchors = _extent(self.document, self.job.tail)
        self.references, patchable = laid_references(self.document, self.kept, self.pages)
        return Facts(
            self.job.id,
            self.pages,
            self.start,
            self.right,
            self.anchors,
            dict(self.kept.externals),
            self.settled,
            patchable,
        )

    def renumber(self, start: int | None, right: bool, externals: dict[str, int]) -> Facts | None:
        """The facts after the chunk takes these numbers and side; None when it could not
        (its pages' text areas differ between the sides) and must be laid out afresh."""
        shift = (start or 0) - (self.start or 0)
        flip = right != self.right
        renumbered = self.kept.renumber(shift, externals, self.document, flip)
        if renumbered is None:
            return None
        self.document, self.start, self.right = renumbered, start, right
        return self.facts()


def lay_out(
    job: ChunkJob,
    session: Session,
    assets: dict[str, Asset],
    options: dict[str, Any],
    book: str,
    start: int | None = None,
    right: bool | None = None,
    externals: dict[str, int] | None = None,
) -> LaidChunk:
    """Lay the chunk out (with the figure pass) starting at `start` on the `right` side (by
    default the job's guesses)."""
    start = job.start if start is None and right is None else start
    right = job.right if right is None else right
    externals = dict(job.externals if externals is None else externals)
    style = f'<style id="chunk">{chunk_css(right, book)}</style>'
    draft = session.draft(job.html.replace(_CHUNK_STYLE, style, 1), assets, options=options)
    kept = Kept()
    with recording(kept, externals, start):
        document, settled = settle(draft)
    kept.forget_element_styles()
    return LaidChunk(
        job, start, right, document, kept, settled, draft.fetcher.refused, images=draft.images
    )


def write(
    laid: LaidChunk,
    path: Path,
    finisher: Any,
    options: dict[str, Any],
    pending: frozenset[str] = frozenset(),
) -> tuple[Written, Held | None]:
    """Write the chunk's PDF, its links to other chunks kept (`externals.keep_links`); the
    tail's pages are left out (they are the next chunk's). The pages that show a reference to
    a `pending` anchor are kept, to be patched (`refpatch.py`), and left blank until then."""
    document = laid.document
    document.pages = document.pages[: laid.pages]
    keep_links(document.pages)
    texts = None
    if laid.job.main:
        first = laid.start or 1
        boxes = [page._page_box for page in document.pages]
        texts = PageTexts.of(boxes, set(laid.job.sections), lambda i: str(first + i))
    held = None
    if pending:
        held = Held.keep(document, laid.references, set(pending), path)
        held.texts = texts
        if held.pages:  # their photos are read when they are written
            held.images = laid.images
        for index in held.pages:
            page = document.pages[index]
            page._page_box = page._page_box.copy_with_children([])
    document.write_pdf(path, finisher=finisher, **options)
    if (held is None or held.images is None) and isinstance(laid.images, DiskImages):
        laid.images.close()
    bookmarks = [
        (level, label, state)
        for page in document.pages
        for level, label, _target, state in page.bookmarks
    ]
    starts, keys = texts.starts() if texts is not None else ([], {})
    names = sorted(laid.anchors)
    written = Written(
        laid.job.id, path, laid.pages, bookmarks, names, starts, keys, laid.refused, laid.warnings
    )
    return written, held


def _extent(document: Any, tail: str | None) -> tuple[int, dict[str, int]]:
    """The chunk's page count (the pages before its tail begins) and the page of each of its
    anchors."""
    anchors: dict[str, int] = {}
    end = len(document.pages)
    for index, page in enumerate(document.pages):
        if tail is not None and tail in page.anchors:
            end = index
            break
        for name in page.anchors:
            anchors.setdefault(name, index)
    return end, anchors


_HREF = re.compile(r'\shref="#([^"]+)"')
_ID = re.compile(r'\sid="([^"]+)"')


def references(html: str) -> tuple[set[str], set[str]]:
    """The anchors a rendered chunk links to, and those it holds (the layout's attributes
    are escaped by Jinja and always double-quoted)."""
    return (
        {html_text.unescape(m) for m in _HREF.findall(html)},
        {html_text.unescape(m) for m in _ID.findall(html)},
    )
