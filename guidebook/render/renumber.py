"""A laid-out chunk of the book that can take other page numbers without being laid out again.

A chunk of chapters is laid out before the pages of the chapters ahead of it are counted, so
its folios and its "(p. N)" references to other chunks start as guesses. WeasyPrint already
knows how to change a number cheaply inside one document: pagination records, per page, the
counter values it started with and the boxes whose content uses a page number, and on a
second pass it makes again only the pages whose content changed (`make_all_pages`); margin
boxes (the folios, the running heads) are made after pagination, from those recorded values.

`Kept` holds that state for one layout (`recording` captures it while WeasyPrint lays out) and
`Kept.renumber` gives it the real numbers: every recorded page counter moves by the same
amount, references to anchors in other chunks take their real pages, references inside the
chunk move with the folios, and WeasyPrint then re-makes only the pages whose text changed
and makes the margin boxes again. A page side cannot change this way (the margins mirror):
`sides_match` tells the caller when a chunk must be laid out afresh instead.

`recording` also spares WeasyPrint two passes per page: a page holding a "(p. N)" reference
is made three times, for a counter the reference does not use (`externals.final_references`); a
reference to another chunk is final when it is built, so its page is made once.

This reaches into WeasyPrint's layout internals (`weasyprint.layout`, `css.targets`), which
are not an API: `check_internals` verifies what is used, and the parallel path falls back to
one process when it fails (a WeasyPrint release that moved them).
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import weasyprint
import weasyprint.document as wp_document
import weasyprint.layout as wp_layout
import weasyprint.layout.page as wp_page
from weasyprint.css import targets as wp_targets
from weasyprint.document import Document, Page
from weasyprint.formatting_structure import boxes as wp_boxes

from guidebook.render.externals import PAGE, external_item, final_references, reference_of

TESTED_WEASYPRINT = "70"  # the major release whose internals this module was tested with
MAX_PAGINATIONS = 8  # passes over the pages marked as changed (WeasyPrint's own limit)


def check_internals() -> bool:
    """The release is the one this was tested with (a later one may keep the names and change
    what they do) and the functions and fields used are where we expect them."""
    tested = weasyprint.__version__.split(".", 1)[0] == TESTED_WEASYPRINT
    needed = (
        (wp_document, "layout_document"),
        (wp_layout, "layout_document"),
        (wp_layout, "make_all_pages"),
        (wp_layout, "initialize_page_maker"),
        (wp_targets, "TargetLookupItem"),
        (wp_page, "set_page_type_computed_styles"),
        (wp_page, "PageType"),
        (wp_page, "page_width"),
        (wp_page, "page_height"),
        (wp_page, "resolve_percentages"),
    )
    return tested and all(hasattr(owner, name) for owner, name in needed)


@dataclass
class Kept:
    """One layout's WeasyPrint state, kept so that the numbers can change afterwards."""

    html: Any = None
    root_box: Any = None
    context: Any = None
    untailed: list[tuple[Any, Any, Any]] = field(default_factory=list)  # before margin boxes
    externals: dict[str, int] = field(default_factory=dict)  # anchor -> the page it took

    def renumber(
        self, shift: int, externals: Mapping[str, int], document: Document, flip: bool = False
    ) -> Document | None:
        """The same layout with every folio and internal reference moved by `shift`, the
        references to other chunks on the pages given and, with `flip`, every page on the
        other side; pages are made again only where their text changed (a reference that grows
        a digit may move a line, and what follows) or, after a flip, from the first break to a
        given side on. None when a page's text area differs between the sides: then the chunk
        must be laid out afresh."""
        context, page_maker = self.context, self.context.page_maker
        collector = context.target_collector
        for page, children, root_children in self.untailed:  # take the margin boxes off
            page.children = children
            page.children[0].children = root_children
        if flip and not self._flip():
            return None
        if shift:
            for entry in page_maker:
                values = entry[3][1]
                if PAGE in values:
                    values[PAGE] = [value + shift for value in values[PAGE]]
        moved: set[str] = set()
        for name, item in collector.target_lookup_items.items():
            values = item.cached_page_counter_values
            if name in self.externals:
                if externals.get(name, self.externals[name]) != self.externals[name]:
                    item.cached_page_counter_values = {PAGE: [externals[name]]}
                    moved.add(name)
            elif shift and PAGE in values:
                shifted = [value + shift for value in values[PAGE]]
                item.cached_page_counter_values = {**values, PAGE: shifted}
                moved.add(name)
        self.externals.update({name: externals[name] for name in moved if name in self.externals})
        self._refresh(moved, shift)
        pages = self._paginate([page for page, _children, _root in self.untailed])
        context.string_set = defaultdict(lambda: defaultdict(list))
        with _tail_only(pages):  # running heads, folios, bookmarks: WeasyPrint's last steps
            boxes = list(wp_layout.layout_document(self.html, self.root_box, context))
        renumbered = Document(
            [Page(box) for box in boxes],
            document.metadata,
            document.url_fetcher,
            document.font_config,
            document.color_profiles,
            document.output_intent,
        )
        renumbered._html = self.html
        return renumbered

    def forget_element_styles(self) -> None:
        """Drop what WeasyPrint's cascade kept for the chunk's elements (a quarter of a held
        chunk's memory: the cascaded declarations, and the styles of pseudo-elements that made
        no box). Renumbering makes only pages and margin boxes again: it needs the page types'
        styles and the root's, which a page's style inherits from; each box keeps its own."""
        style_for, root = self.context.style_for, self.html.etree_element
        for styles in (style_for._cascaded_styles, style_for._computed_styles):
            for key in [key for key in styles if key[0] is not root]:
                if not isinstance(key[0], wp_page.PageType):
                    del styles[key]

    def _refresh(self, moved: set[str], shift: int = 0) -> None:
        """Parse again the content that refers to a `moved` anchor (or, after a `shift`, that
        prints its own page's number), and mark its page to be made again."""
        page_maker = self.context.page_maker
        for (box, token), lookup in self.context.target_collector.counter_lookup_items.items():
            if token != "content" or lookup.page_maker_index is None:
                continue
            own_page = shift and PAGE in lookup.missing_counters
            if own_page or reference_of(box) in moved:
                values = copy.deepcopy(lookup.cached_page_counter_values)
                if shift and PAGE in values:
                    values[PAGE] = [value + shift for value in values[PAGE]]
                lookup.cached_page_counter_values = values
                lookup.parse_again(values)  # the content again, with the targets' new pages
                page_maker[lookup.page_maker_index][-1]["content_changed"] = True

    def _paginate(self, pages: list[Any]) -> list[Any]:
        """Make again the pages marked as changed, until nothing changes: a page made again
        can move an anchor of this chunk, and the references to it change in turn
        (WeasyPrint's own bookkeeping keys `attr()` references by None, so it cannot tell)."""
        context = self.context
        page_maker = context.page_maker
        items = context.target_collector.target_lookup_items
        for _loop in range(MAX_PAGINATIONS):
            before = {name: _page_of(item) for name, item in items.items()}
            pages = list(wp_layout.make_all_pages(context, self.root_box, self.html, pages))
            moved = {
                name
                for name, item in items.items()
                if name not in self.externals and _page_of(item) != before[name]
            }
            self._refresh(moved)
            if not any(entry[-1]["content_changed"] for entry in page_maker):
                break
        self.untailed = [(page, page.children, page.children[0].children) for page in pages]
        return pages

    def _flip(self) -> bool:
        """Every page to the other side: its content moved to where that side's margins put
        it. False (nothing changed) when a side's text area has another size."""
        flipped = []
        for page, children, root_children in self.untailed:
            other = _other_side(page, self.context, self.html)
            if other is None:
                return False
            flipped.append((page, other, children, root_children))
        for index, (page, other, children, root_children) in enumerate(flipped):
            dx = other.content_box_x() - page.content_box_x()
            dy = other.content_box_y() - page.content_box_y()
            for child in children:
                child.translate(dx, dy)
            for name, value in vars(page).items():  # what pagination recorded (fixed boxes...)
                if name not in vars(other):
                    setattr(other, name, value)
            other.children = children
            self.untailed[index] = (other, children, root_children)
        page_maker = self.context.page_maker
        sided = False
        for index, (resume, following, right, state, remake) in enumerate(page_maker):
            page_maker[index] = (resume, following, not right, state, remake)
            if not sided and following.get("break") in ("left", "right", "recto", "verso"):
                remake["content_changed"] = True  # a blank page comes or goes from here on
                sided = True
        return True


def _other_side(page: Any, context: Any, html: Any) -> Any:
    """An empty page box like `page`, on the other side; None when its text area has
    another size (the content would not fit as it is)."""
    kind = page.page_type
    kind = kind._replace(side="left" if kind.side == "right" else "right")
    wp_page.set_page_type_computed_styles(kind, html, context.style_for)
    style = context.style_for(kind)
    style["overflow"] = page.style["overflow"]
    other = wp_boxes.PageBox(kind, style)
    wp_page.resolve_percentages(other, other.style["size"])
    other.position_x = other.position_y = 0
    width, height = other.style["size"]
    wp_page.page_width(other, context, width)
    wp_page.page_height(other, context, height)
    same = (other.width, other.height) == (page.width, page.height)
    return other if same else None


@contextmanager
def recording(kept: Kept, externals: Mapping[str, int], start: int | None = None) -> Iterator[None]:
    """While the block lays out a document, its first page is numbered `start` (None: as its
    CSS says), anchors named in `externals` resolve to those pages, and the state of the
    (last) layout is kept in `kept`. The first number is set in WeasyPrint's initial counter
    state, not by a `counter-reset` in the CSS, which would reset it again whenever the first
    page is made again."""
    real_layout = wp_layout.layout_document
    real_initialize = wp_layout.initialize_page_maker

    def initialize_page_maker(context: Any, root_box: Any) -> None:
        real_initialize(context, root_box)
        if start is not None:
            _resume, _next, _right, state, _remake = context.page_maker[0]
            state[1][PAGE] = [start - 1]  # the first page adds one
            state[2][0].add(PAGE)

    real_make = wp_layout.make_all_pages
    real_collector = wp_document.TargetCollector

    def collector() -> Any:
        made = real_collector()
        for name, page in externals.items():
            made.target_lookup_items[name] = external_item(page)
        return made

    def make_all_pages(context: Any, root_box: Any, html: Any, pages: list[Any]) -> Any:
        made = list(real_make(context, root_box, html, pages))
        kept.untailed = [(page, page.children, page.children[0].children) for page in made]
        return iter(made)

    def layout_document(html: Any, root_box: Any, context: Any, max_loops: int = 8) -> Any:
        kept.html, kept.root_box, kept.context = html, root_box, context
        kept.externals = dict(externals)
        final_references(context.target_collector, externals)
        return list(real_layout(html, root_box, context, max_loops))

    with _patched(
        (wp_document, "TargetCollector", collector),
        (wp_document, "layout_document", layout_document),
        (wp_layout, "make_all_pages", make_all_pages),
        (wp_layout, "initialize_page_maker", initialize_page_maker),
    ):
        yield


@contextmanager
def _tail_only(pages: list[Any]) -> Iterator[None]:
    """`layout_document` taking `pages` as its pagination, for the steps after it."""
    with _patched(
        (wp_layout, "initialize_page_maker", lambda _context, _root: None),
        (wp_layout, "make_all_pages", lambda _context, _root, _html, _done: iter(pages)),
    ):
        yield


def _page_of(item: Any) -> list[int] | None:
    page: list[int] | None = item.cached_page_counter_values.get(PAGE)
    return page


@contextmanager
def _patched(*swaps: tuple[Any, str, Callable[..., Any]]) -> Iterator[None]:
    saved = [(owner, name, getattr(owner, name)) for owner, name, _new in swaps]
    try:
        for owner, name, new in swaps:
            setattr(owner, name, new)
        yield
    finally:
        for owner, name, old in saved:
            setattr(owner, name, old)
