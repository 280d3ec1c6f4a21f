"""Anchors in other chunks, as WeasyPrint sees them in a chunk's layout (`renumber.py`).

A chunk refers to anchors laid out by other workers. Each is given to WeasyPrint as already
resolved, on the page the parent says (`external_item`), so a "(p. N)" reference to it prints
that page from the start, and its page is made once (`final_references`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from weasyprint.css import targets as wp_targets

PAGE = "page"


class External:
    """WeasyPrint's record of an anchor that lives in another chunk: already resolved, on the
    page the caller says (its box is never laid out here)."""

    cached_counter_values: ClassVar[dict[str, list[int]]] = {}

    def extract_text(self, *_args: Any) -> str:
        return ""


def external_item(page: int) -> Any:
    item = wp_targets.TargetLookupItem(state="up-to-date")
    item.target_box = External()
    item.page_maker_index = -1
    item.cached_page_counter_values = {PAGE: [page]}
    return item


def reference_of(box: Any) -> str | None:
    """The anchor a box's `target-counter(attr(href url), ...)` names: WeasyPrint keys such
    a reference by None, not by its anchor, so it is read from the element's link again."""
    element = getattr(box, "element", None)
    href = element.get("href") if element is not None else None
    return href.split("#", 1)[1] if href and "#" in href else None


def final_references(collector: Any, externals: Mapping[str, int]) -> None:
    """A reference to another chunk's anchor prints its page when its box is built (the
    `External` record is resolved), so its page need not be made again for it. WeasyPrint 70
    would make it twice more: it records every `target-counter()` as also printing its own
    page's counter (`_compute_content_list` reuses one list for both), and a page holding
    such a box is made again until that counter stops changing, three passes in all. For
    the contents, the indexes and most "(p. N)" references, that is two layouts too many."""
    for (box, token), lookup in collector.counter_lookup_items.items():
        if token != "content" or reference_of(box) not in externals:
            continue
        content = box.style["content"]
        if isinstance(content, (list, tuple)) and not any(
            kind in ("counter()", "counters()") for kind, _value in content
        ):
            lookup.missing_counters = []


def keep_links(pages: list[Any]) -> None:
    """Keep the links of `pages` to anchors they do not hold (in another chunk, or on a page
    not written with them): WeasyPrint drops a link to an anchor it has not seen, so each is
    given a stand-in destination on the last page, which the join replaces by the real one."""
    linked = {target for page in pages for kind, target, *_rest in page.links if kind == "internal"}
    present = {name for page in pages for name in page.anchors}
    if pages:
        for name in sorted(linked - present):
            pages[-1].anchors[name] = (0, 0, 0, 0)
