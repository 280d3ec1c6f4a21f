"""The laid-out pages read back: each page's blocks, each chapter's flow, figure blocks.

WeasyPrint gives no API for where things landed; its page objects keep their box trees
(`page._page_box`), which the figure pass (`holes.py`, `spill.py`) walks here. The block of
an element is its outermost in-flow box below the page, a section or a chapter body; a block
split across pages has a part on each.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from weasyprint.formatting_structure import boxes

SHRINK_MIN = 0.65  # the figure pass shrinks images to no less than this fraction of their size

# Elements whose children are the flow's blocks; every other element is one block.
_CONTAINERS = frozenset({"html", "body", "main", "article", "section"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


@dataclass
class Block:
    """One block of a chapter's flow, with its parts on the pages it spans."""

    element: Any
    chapter: Any  # the element of its chapter (article.chapter, else body)
    kind: str  # "figure", "heading" or "text"
    atomic: bool  # break-inside: avoid (it moves to the next page whole)
    parts: list[tuple[int, float, float, Any]] = field(default_factory=list)  # page, top, bottom

    @property
    def height(self) -> float:
        return sum(bottom - top for _page, top, bottom, _box in self.parts)


@dataclass
class Page:
    index: int
    bottom: float  # the bottom of the text area
    height: float  # the text area's height
    last: float  # the bottom of the last line or image on the page
    blocks: list[Block] = field(default_factory=list)


def read_pages(document: Any) -> tuple[list[Page], dict[int, list[Block]]]:
    """The pages with the blocks on each, and each chapter's blocks in order (by the id of
    the chapter's element)."""
    pages: list[Page] = []
    blocks: dict[int, Block] = {}
    flow: dict[int, list[Block]] = {}
    for index, page in enumerate(document.pages):
        area = page._page_box
        top = area.content_box_y()
        found = Page(index, top + area.height, area.height, top)
        for root in area.children:
            if isinstance(root, boxes.MarginBox):
                continue
            for box, chapter in _flow(root, None):
                block = blocks.get(id(box.element))
                if block is None:
                    block = _new_block(box, chapter)
                    blocks[id(box.element)] = block
                    flow.setdefault(id(chapter), []).append(block)
                bottom = _content_bottom(box)
                block.parts.append((index, box.position_y, bottom + box.margin_bottom, box))
                found.blocks.append(block)
                found.last = max(found.last, bottom)
        pages.append(found)
    return pages, flow


def _new_block(box: Any, chapter: Any) -> Block:
    tag = box.element_tag
    if _is_figure(box.element):
        kind = "figure"
    elif tag in _HEADINGS:
        kind = "heading"
    else:
        kind = "text"
    atomic = kind == "figure" or box.style["break_inside"] in ("avoid", "avoid-page")
    return Block(box.element, chapter, kind, atomic)


def _is_figure(element: Any) -> bool:
    classes = (element.get("class") or "").split()
    return element.tag == "figure" or (element.tag == "div" and "figures" in classes)


def _flow(box: Any, chapter: Any) -> Iterator[tuple[Any, Any]]:
    """The flow's blocks under `box` (in-flow block boxes of our elements), with their
    chapter element."""
    for child in getattr(box, "children", ()):
        if not isinstance(child, boxes.BlockLevelBox) or child.element is None:
            continue
        if child.style["position"] in ("absolute", "fixed"):
            continue
        element = child.element
        classes = (element.get("class") or "").split()
        if (element.tag == "article" and "chapter" in classes) or element.tag == "body":
            inner = element if element.tag == "article" else chapter or element
        else:
            inner = chapter
        container = element.tag in _CONTAINERS or "chapter-body" in classes
        nested = any(isinstance(c, boxes.BlockLevelBox) for c in child.children)
        if container and nested and child.style["break_inside"] not in ("avoid", "avoid-page"):
            yield from _flow(child, inner)
        else:
            yield child, chapter


def _content_bottom(box: Any) -> float:
    """The bottom of what is drawn in `box` on its page. A box split across pages is as tall
    as the rest of the page, so its lines and images tell, not its own height."""
    children = getattr(box, "children", None)
    if isinstance(box, boxes.LineBox):
        return float(box.position_y + box.height)
    if not children or isinstance(box, boxes.ReplacedBox):
        return float(box.position_y + box.margin_top + box.border_height())
    return max(_content_bottom(child) for child in children)


def descendants(box: Any) -> Iterator[Any]:
    for child in getattr(box, "children", ()):
        yield child
        yield from descendants(child)


def shrink_images(box: Any, by: float, smallest: float) -> bool:
    """Make the images of the figure block laid out as `box` smaller so that the block is `by`
    CSS px shorter (rows of images shrink together); False when that would take them below
    `smallest` of their size."""
    images = [b for b in descendants(box) if isinstance(b, boxes.ReplacedBox)]
    rows: dict[float, float] = {}
    for image in images:
        row = round(image.position_y)
        rows[row] = max(rows.get(row, 0.0), image.height)
    pictured = sum(rows.values())
    if not pictured or by <= 0:
        return False
    scale = (pictured - by) / pictured
    if not smallest <= scale < 1:
        return False
    for image in images:
        style = (image.element.get("style") or "").rstrip("; ")
        size = f"width: {image.width * scale:.2f}px; height: {image.height * scale:.2f}px"
        image.element.set("style", f"{style}; {size}" if style else size)
    return True
