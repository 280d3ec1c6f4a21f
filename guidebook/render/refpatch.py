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
  left and not justified, no float stands beside it, and the line still fits.

Otherwise `patch` says no, and the chunk is laid out again with the real numbers.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pikepdf
from weasyprint.document import Document, Page
from weasyprint.formatting_structure import boxes as wp_boxes
from weasyprint.text.line_break import create_layout, split_first_line

from guidebook.render.externals import keep_links, reference_of

EPSILON = 1e-3  # CSS px: a width difference smaller than this is none


@dataclass
class Reference:
    """One reference to another chunk's anchor, as laid out on a page."""

    page: int  # index of its page in the chunk's layout
    anchor: str
    told: int  # the page it prints
    box: Any  # its text box
    path: tuple[Any, ...]  # the boxes from the page box down to the text box's parent


def laid_references(document: Any, kept: Any) -> tuple[list[Reference], bool]:
    """The chunk's references to other chunks' anchors, and whether all can be patched: each
    content that prints one (WeasyPrint's lookup items) made exactly one text box, which
    shows the printed number once."""
    externals = kept.externals
    wanted: dict[tuple[int, str], str] = {}
    for (box, token), _lookup in kept.context.target_collector.counter_lookup_items.items():
        anchor = reference_of(box)
        if token == "content" and anchor is not None and anchor in externals:
            wanted[(id(box.element), box.element_tag)] = anchor
    found: list[Reference] = []
    for index, page in enumerate(document.pages):
        for box, path in _walk(page._page_box, ()):
            if isinstance(box, wp_boxes.TextBox):
                key = (id(box.element), box.element_tag)
                if key in wanted:
                    anchor = wanted[key]
                    found.append(Reference(index, anchor, externals[anchor], box, path))
    keys = [(id(r.box.element), r.box.element_tag) for r in found]
    patchable = len(keys) == len(set(keys)) == len(wanted) and all(
        r.box.text.count(str(r.told)) == 1 for r in found
    )
    return found, patchable


def _walk(box: Any, path: tuple[Any, ...]) -> Iterator[tuple[Any, tuple[Any, ...]]]:
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

    @classmethod
    def keep(cls, document: Any, found: list[Reference], pending: set[str], path: Path) -> Held:
        mine = [r for r in found if r.anchor in pending]
        pages = {r.page: document.pages[r.page]._page_box for r in mine}
        shell = Document(
            [],
            document.metadata,
            document.url_fetcher,
            document.font_config,
            document.color_profiles,
            document.output_intent,
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
            change = _reshaped(ref, str(page))
            if change is None:
                return False
            changes.append((ref, page, *change))
        for ref, page, layout, delta in changes:
            for box in _inline_ancestors(ref):
                box.width += delta
            ref.box.text, ref.box.pango_layout = layout.text, layout
            ref.box.width += delta
            ref.told = page
        self.patched = set(self.pages)
        return True

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


def _reshaped(ref: Reference, number: str) -> tuple[Any, float] | None:
    """The reference's text shaped again with `number`, and how much wider it is; None when
    the layout around it would change."""
    box, context = ref.box, _Context()
    text = box.text.replace(str(ref.told), number, 1)
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
    if abs(delta) > EPSILON and not _room_for(ref, delta):
        return None
    return layout, delta


def _inline_ancestors(ref: Reference) -> list[Any]:
    """The inline boxes between the reference's line box and its text box."""
    line = next(i for i in range(len(ref.path) - 1, -1, -1) if _is_line(ref.path[i]))
    return [box for box in ref.path[line + 1 :] if isinstance(box, wp_boxes.InlineBox)]


def _is_line(box: Any) -> bool:
    return isinstance(box, wp_boxes.LineBox)


def _room_for(ref: Reference, delta: float) -> bool:
    """The reference may grow or shrink by `delta`: it ends a flush-left, unjustified line
    with no float beside it, and the line still fits its block."""
    lines = [i for i, box in enumerate(ref.path) if _is_line(box)]
    if not lines or lines[-1] == 0:
        return False
    line, block = ref.path[lines[-1]], ref.path[lines[-1] - 1]
    style = line.style
    if style["direction"] != "ltr" or style["text_align_all"] not in ("start", "left"):
        return False
    if style["text_align_last"] not in ("auto", "start", "left"):
        return False
    leaves = [box for box, _path in _walk(line, ()) if not getattr(box, "children", None)]
    if not leaves or leaves[-1] is not ref.box:
        return False
    if any(getattr(b, "justification_spacing", 0) for b in leaves):
        return False
    top, bottom = line.position_y, line.position_y + line.height
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
