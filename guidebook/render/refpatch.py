"""A chunk written before the pages of the chunks it refers to are known, and put right after.

A worker frees a chapter chunk once its first page number is final (`conductor.py`), but
its "(p. N)" references to anchors later in the book still print guessed pages. The layout
does not depend on those numbers beyond the width of the reference's text, so instead of the
whole layout the worker keeps only the pages that show such a reference (`Held`), and once
the real pages are known it shapes each reference's text again with its real number
(`Held.patch`), writes those pages on their own and puts them in place of the guessed ones
in the chunk's file (`put_pages`).

A reference is patched only where the result is the page a whole layout would make:

- its text shows the guessed number once, in one text box (`laid_references` says so when the
  chunk is laid out: `Facts.patchable`; otherwise the chunk is kept whole and renumbered);
- if the new number is wider or narrower, the box ends its line, the line is set flush
  left and not justified, no float stands beside it, and the line still fits; nothing
  between the line and the page takes its width from its content (a table, an inline
  block, a flex or grid item, a float, an absolutely placed box, a page-margin box);
- if it is narrower, the line is also its paragraph's only line: a whole layout could
  otherwise pull the next line's first word up, or the reference itself onto the line
  before.

Otherwise `patch` says no, and the chunk is laid out again with the real numbers.

The guessed numbers never reach the chunk's file: `chunked.write` leaves the kept pages
blank, and the patch draws them. What the file holds then depends on the real numbers alone,
whenever and however often the chunk was numbered (`conductor.py`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pikepdf
from weasyprint.document import Document, Page
from weasyprint.formatting_structure import boxes as wp_boxes
from weasyprint.text.line_break import create_layout, split_first_line

from guidebook.render.externals import keep_links, reference_of
from guidebook.render.pagemap import PageStart, PageTexts

EPSILON = 1e-6  # CSS px: a width difference smaller than this is none (Pango's unit: 1/1024)


@dataclass
class Reference:
    """One reference to another chunk's anchor, as laid out on a page."""

    page: int  # index of its page in the chunk's layout
    anchor: str
    told: int  # the page it prints
    box: Any  # its text box
    path: tuple[Any, ...]  # the boxes from the page box down to the text box's parent
    alone: bool  # its line is its paragraph's only line


def laid_references(
    document: Any, kept: Any, pages: int | None = None
) -> tuple[list[Reference], bool]:
    """The references to other chunks' anchors on the chunk's `pages` first pages (by default
    all: the tail's are the next chunk's), and whether all can be patched: each content on
    them that prints one (WeasyPrint's lookup items) made exactly one text box, which shows
    the printed number once."""
    externals = kept.externals
    wanted: dict[tuple[int, str], str] = {}
    for (box, token), _lookup in kept.context.target_collector.counter_lookup_items.items():
        anchor = reference_of(box)
        if token == "content" and anchor is not None and anchor in externals:
            wanted[_key(box)] = anchor
    found: list[Reference] = []
    seen: set[tuple[int, str]] = set()  # the wanted elements with a box on the chunk's pages
    own = len(document.pages) if pages is None else pages
    fragments: dict[tuple[int, str, int], list[Any]] = {}  # an element's block boxes, on all pages
    for index, page in enumerate(document.pages):
        for box, path in _walk(page._page_box, ()):
            if isinstance(box, wp_boxes.BlockContainerBox):  # (an anonymous one: its own style)
                fragments.setdefault((*_key(box), id(box.style)), []).append(box)
            key = _key(box)
            if index < own and key in wanted:
                seen.add(key)
                if isinstance(box, wp_boxes.TextBox):
                    anchor = wanted[key]
                    found.append(Reference(index, anchor, externals[anchor], box, path, False))
    for ref in found:
        line = _line_of(ref)
        if line is not None and line > 0:
            block = ref.path[line - 1]
            alone = fragments.get((*_key(block), id(block.style))) == [block]
            ref.alone = alone and block.children == [ref.path[line]]
    keys = [_key(r.box) for r in found]
    patchable = len(keys) == len(set(keys)) == len(seen) and all(
        _once(r.told, r.box.text) for r in found
    )
    return found, patchable


def _once(page: int, text: str) -> bool:
    """`text` shows the number `page` once (a layout that prints it twice in one reference,
    or prints another number there, is patched only while the two can be told apart)."""
    return len(_number(page).findall(text)) == 1


def _key(box: Any) -> tuple[int, str]:
    return id(box.element), box.element_tag


def _number(page: int) -> re.Pattern[str]:
    """The number printed alone, not as part of a longer one."""
    return re.compile(rf"(?<!\d){page}(?!\d)")


def _walk(box: Any, path: tuple[Any, ...]) -> Iterator[tuple[Any, tuple[Any, ...]]]:
    box = getattr(box, "_box", box)  # an absolutely placed box's placeholder: the box
    yield box, path
    for child in getattr(box, "children", ()):
        yield from _walk(child, (*path, box))


class _Context:
    """What `split_first_line` asks of a layout context when the text fits: nothing but a
    place for hyphenation dictionaries."""

    def __init__(self) -> None:
        self.dictionaries: dict[Any, Any] = {}


@dataclass
class Held:
    """The pages of a written chunk that show references whose pages were not known yet."""

    path: Path  # the chunk's file
    pages: dict[int, Any]  # page index -> page box
    references: list[Reference]
    document: Any  # the chunk's document, emptied: its metadata, fonts and colour profiles
    images: Any = None  # the draft's image cache, closed once the pages are written
    patched: set[int] = field(default_factory=set)
    texts: PageTexts | None = None  # a main-matter chunk's text by page, for the EPUB's map

    @classmethod
    def keep(cls, document: Any, found: list[Reference], pending: set[str], path: Path) -> Held:
        """Keep the pages of `document` that show a reference to a `pending` anchor."""
        mine = [r for r in found if r.anchor in pending]
        pages = {r.page: document.pages[r.page]._page_box for r in mine}
        d = document  # its settings, for a document of the kept pages alone
        shell = Document(
            [], d.metadata, d.url_fetcher, d.font_config, d.color_profiles, d.output_intent
        )
        return cls(path, pages, mine, shell)

    def patch(self, real: dict[str, int]) -> bool:
        """Print the real pages; False when a reference could not take its new number
        without changing the layout (nothing is changed then). Every kept page is written
        again, changed or not: which pages a chunk's file takes from its patch then depends
        on the book alone."""
        changes = []
        for ref in self.references:
            page = real.get(ref.anchor, ref.told)
            if page == ref.told:
                continue
            change = _reshaped(ref, page)
            if change is None:
                return False
            changes.append((ref, page, *change))
        for ref, page, layout, width in changes:
            for box in _inline_ancestors(ref):
                box.width += width - ref.box.width
            ref.box.text, ref.box.pango_layout, ref.box.width = layout.text, layout, width
            ref.told = page
        self.patched = set(self.pages)
        if self.texts is not None:
            self.texts.read(self.pages)
        return True

    def starts(self) -> tuple[list[PageStart], dict[str, str]] | None:
        """Where each of a main-matter chunk's pages begins, with the real numbers in."""
        return self.texts.starts() if self.texts is not None else None

    def write(self, finisher: Any, options: dict[str, Any]) -> None:
        """Write the patched pages and put them in place of the old ones in the chunk's file."""
        if self.patched:
            order = sorted(self.patched)
            pages = [Page(self.pages[index]) for index in order]
            keep_links(pages)
            self.document.pages = pages
            patch_file = self.path.with_suffix(".patch.pdf")
            self.document.write_pdf(patch_file, finisher=finisher, **options)
            put_pages(self.path, patch_file, order)
            patch_file.unlink()

    def close(self) -> None:
        if self.images is not None and hasattr(self.images, "close"):
            self.images.close()
        self.pages, self.references, self.document, self.images = {}, [], None, None


def _reshaped(ref: Reference, number: int) -> tuple[Any, float] | None:
    """The reference's text shaped again with `number`, and its new width; None when the
    layout around it would change."""
    box, context = ref.box, _Context()
    text = _number(ref.told).sub(str(number), box.text, count=1)
    if not _once(number, text):  # as a layout told `number` would find it: not patchable
        return None
    spacing = box.justification_spacing
    layout, length, resume, width, height, _baseline = split_first_line(
        text, box.style, context, None, spacing
    )
    if resume is not None or length != len(text.encode()) or abs(height - box.height) > EPSILON:
        return None
    spaces = text.count(" ") + text.count("\xa0")
    if spacing and spaces:  # a justified line's spaces: as WeasyPrint's `add_word_spacing`
        layout = create_layout(text, box.style, context, None, spacing)
        layout.deactivate()  # as any laid-out text: Pango's objects are made again to draw it
        width += spacing * spaces
    delta = width - box.width
    if abs(delta) <= EPSILON:
        width = box.width
    elif not _room_for(ref, delta):
        return None
    return layout, width


def _inline_ancestors(ref: Reference) -> list[Any]:
    """The reference's line box and the inline boxes between it and the text box: their
    widths are their content's."""
    line = _line_of(ref)
    assert line is not None  # a text box is always on a line
    inline = [box for box in ref.path[line + 1 :] if isinstance(box, wp_boxes.InlineBox)]
    return [ref.path[line], *inline]


def _line_of(ref: Reference) -> int | None:
    """Where the reference's line box is in its path."""
    lines = [i for i, box in enumerate(ref.path) if isinstance(box, wp_boxes.LineBox)]
    return lines[-1] if lines else None


_SIZED_BY_CONTENT = (
    wp_boxes.TableBox,  # its columns: by their cells' content (caption and cells alike)
    wp_boxes.InlineBlockBox,
    wp_boxes.FlexContainerBox,  # its items
    wp_boxes.GridContainerBox,
    wp_boxes.MarginBox,  # the page-margin boxes share their band by content
)


def _room_for(ref: Reference, delta: float) -> bool:
    """The reference may grow or shrink by `delta`: it ends a flush-left, unjustified line
    with no float beside it, the line still fits its block, and no box around it is sized
    by its content; it may shrink only in a paragraph of one line."""
    line = _line_of(ref)
    if line is None or line == 0 or (delta < 0 and not ref.alone):
        return False
    for box in ref.path:
        if isinstance(box, _SIZED_BY_CONTENT) or box.is_floated():
            return False
        if box.is_absolutely_positioned() or box.is_running():
            return False
    line_box, block = ref.path[line], ref.path[line - 1]
    style = line_box.style
    if style["direction"] != "ltr" or style["text_align_all"] not in ("start", "left"):
        return False
    if style["text_align_last"] not in ("auto", "start", "left"):
        return False
    leaves = [box for box, _path in _walk(line_box, ()) if not getattr(box, "children", None)]
    if not leaves or leaves[-1] is not ref.box:
        return False
    if any(getattr(b, "justification_spacing", 0) for b in leaves):
        return False
    top, bottom = line_box.position_y, line_box.position_y + line_box.height
    for box, _path in _walk(ref.path[0], ()):
        if box.is_floated():
            y = box.position_y
            if y < bottom and y + box.margin_height() > top:
                return False
    outer = [*_inline_ancestors(ref), ref.box]
    right = max(box.position_x + box.margin_width() for box in outer)
    limit: float = block.content_box_x() + block.width
    return bool(right + delta <= limit + EPSILON)


def put_pages(path: Path, patch: Path, order: list[int]) -> None:
    """Give pages `order` of the PDF at `path` the content, resources and links of the
    pages of `patch`, in order. The page objects stay: the file's destinations and outline
    point to them."""
    with pikepdf.open(path, allow_overwriting_input=True) as pdf, pikepdf.open(patch) as new:
        for index, source in zip(order, new.pages, strict=True):
            page = pdf.pages[index].obj
            for key in ("/Contents", "/Resources", "/Annots"):
                if key in source.obj:
                    value = source.obj[key]
                    if not value.is_indirect:  # qpdf copies only indirect objects (and theirs)
                        value = new.make_indirect(value)
                    page[key] = pdf.copy_foreign(value)
                elif key in page:
                    del page[key]
        pdf.save(path, deterministic_id=True)
