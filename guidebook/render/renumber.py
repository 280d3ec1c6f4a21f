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

import weasyprint.document as wp_document
import weasyprint.layout as wp_layout
from weasyprint.css import targets as wp_targets
from weasyprint.document import Document, Page

PAGE = "page"


def check_internals() -> bool:
    """The WeasyPrint functions and fields renumbering relies on are where we expect them."""
    needed = (
        (wp_document, "layout_document"),
        (wp_layout, "layout_document"),
        (wp_layout, "make_all_pages"),
        (wp_layout, "initialize_page_maker"),
        (wp_targets, "TargetLookupItem"),
        (wp_targets.TargetCollector, "cache_target_page_counters"),
    )
    return all(hasattr(owner, name) for owner, name in needed)


class External:
    """WeasyPrint's record of an anchor that lives in another chunk: already resolved, on the
    page the caller says (its box is never laid out here)."""

    cached_counter_values: dict[str, list[int]] = {}

    def extract_text(self, *_args: Any) -> str:
        return ""


def _external_item(page: int) -> Any:
    item = wp_targets.TargetLookupItem(state="up-to-date")
    item.target_box = External()
    item.page_maker_index = -1
    item.cached_page_counter_values = {PAGE: [page]}
    return item


@dataclass
class Kept:
    """One layout's WeasyPrint state, kept so that the numbers can change afterwards."""

    html: Any = None
    root_box: Any = None
    context: Any = None
    untailed: list[tuple[Any, Any, Any]] = field(default_factory=list)  # before margin boxes
    externals: dict[str, int] = field(default_factory=dict)  # anchor -> the page it took

    def renumber(self, shift: int, externals: Mapping[str, int], document: Document) -> Document:
        """The same layout with every folio and internal reference moved by `shift` and the
        references to other chunks on the pages given; pages are made again only where their
        text changed (a reference that grows a digit may move a line, and what follows)."""
        context, page_maker = self.context, self.context.page_maker
        collector = context.target_collector
        for page, children, root_children in self.untailed:  # take the margin boxes off
            page.children = children
            page.children[0].children = root_children
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
                item.cached_page_counter_values = {**values, PAGE: [v + shift for v in values[PAGE]]}
                moved.add(name)
        for (box, token), lookup in collector.counter_lookup_items.items():
            if token != "content" or lookup.page_maker_index is None:
                continue
            own_page = shift and PAGE in lookup.missing_counters  # counter(page) in the flow
            if own_page or _target(box) in moved:
                values = copy.deepcopy(lookup.cached_page_counter_values)
                if shift and PAGE in values:
                    values[PAGE] = [value + shift for value in values[PAGE]]
                lookup.cached_page_counter_values = values
                lookup.parse_again(values)  # the content again, with the targets' new pages
                page_maker[lookup.page_maker_index][-1]["content_changed"] = True
        self.externals.update({name: externals[name] for name in moved if name in self.externals})
        context.string_set = defaultdict(lambda: defaultdict(list))
        pages = [page for page, _children, _root in self.untailed]
        with _resumed(self, pages):
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


def _target(box: Any) -> str | None:
    """The anchor a box's `target-counter(attr(href url), ...)` names: WeasyPrint keys such
    a reference by None, not by its anchor, so it is read from the element's link again."""
    element = getattr(box, "element", None)
    href = element.get("href") if element is not None else None
    return href.split("#", 1)[1] if href and "#" in href else None


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
            made.target_lookup_items[name] = _external_item(page)
        return made

    def make_all_pages(context: Any, root_box: Any, html: Any, pages: list[Any]) -> Any:
        made = list(real_make(context, root_box, html, pages))
        kept.untailed = [(page, page.children, page.children[0].children) for page in made]
        return iter(made)

    def layout_document(html: Any, root_box: Any, context: Any, max_loops: int = 8) -> Any:
        kept.html, kept.root_box, kept.context = html, root_box, context
        kept.externals = dict(externals)
        return list(real_layout(html, root_box, context, max_loops))

    with _patched(
        (wp_document, "TargetCollector", collector),
        (wp_document, "layout_document", layout_document),
        (wp_layout, "make_all_pages", make_all_pages),
        (wp_layout, "initialize_page_maker", initialize_page_maker),
    ):
        yield


@contextmanager
def _resumed(kept: Kept, pages: list[Any]) -> Iterator[None]:
    """`layout_document` continuing from `kept`'s pagination instead of starting afresh."""
    real_make = wp_layout.make_all_pages
    first = [True]

    def make_all_pages(context: Any, root_box: Any, html: Any, done: list[Any]) -> Any:
        if first[0]:
            first[0] = False
            done = pages
        made = list(real_make(context, root_box, html, done))
        kept.untailed = [(page, page.children, page.children[0].children) for page in made]
        return iter(made)

    with _patched(
        (wp_layout, "initialize_page_maker", lambda _context, _root: None),
        (wp_layout, "make_all_pages", make_all_pages),
    ):
        yield


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
