"""Figure holes: a post-layout pass over WeasyPrint's pages, for the book and the handouts.

WeasyPrint has no page floats. A figure block (`div.figures`, or a lone `<figure>`) is set
`break-inside: avoid`, so one that does not fit goes to the next page and leaves the rest of
the page empty: a *hole*. Here we read the laid-out pages (each page's box tree), find every
figure block that starts a page while the previous page of the same chapter has at least
`LOWER` of its text area empty below its last line, and edit the parsed document:

* **shrink**: when the images, scaled to no less than `SHRINK_MIN` of their size, make the
  block fit the space left, they get that size (inline `width`/`height`, so the ratio stays);
* **move**: otherwise the block moves later in its chapter, after the paragraphs, lists and
  sections that follow it and fill the space, so text flows up into the hole and the figure
  lands at the top of the next page. Only blocks of the same chapter are passed, never more
  than `MAX_PASSED` and no more than fill the page but `ENOUGH`, and only when the hole
  left afterwards is under `LOWER`.

Then the document is laid out again, at most `MAX_LAYOUTS` times in all, and only while the
last layout found a hole it could help; the caller writes the final layout, so every fact it
reads (page numbers, chapter starts, contents) is the final one. A block is edited once.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from weasyprint.formatting_structure import boxes

from guidebook.render.session import Draft

LOWER = 0.25  # a page is a hole when this fraction of its text area is empty at the bottom
SHRINK_MIN = 0.65  # images shrink to no less than this fraction of their laid-out size
ENOUGH = 0.15  # ... and passes no more blocks once the page is filled but this fraction
MAX_PASSED = 6  # a figure moves past at most this many blocks (reading order stays sane)
MAX_LAYOUTS = 3  # the first layout and at most two more
SAFETY = 3.0  # CSS px kept free when shrinking (rounding, collapsing margins)

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


@dataclass
class Settled:
    """What the pass did: holes found in each layout, and blocks shrunk or moved."""

    holes: list[int] = field(default_factory=list)
    shrunk: int = 0
    moved: int = 0
    layouts: int = 0


def settle(draft: Draft, max_layouts: int | None = None) -> tuple[Any, Settled]:
    """Lay out `draft`, fill its figure holes and lay out again (at most `max_layouts` times,
    default `MAX_LAYOUTS`; 1 is the layout without the pass); the final layout and what was
    done."""
    max_layouts = max_layouts or MAX_LAYOUTS
    done = Settled()
    edited: set[int] = set()
    document = draft.layout()
    while True:
        done.layouts += 1
        holes = find_holes(document)
        done.holes.append(len(holes))
        if done.layouts >= max_layouts:
            break
        parents = _parents(draft.root)
        changed = False
        for hole in holes:
            how = remedy(hole, parents, edited)
            done.shrunk += how == "shrunk"
            done.moved += how == "moved"
            changed = changed or how is not None
        if not changed:
            break
        document = draft.layout()
    return document, done


@dataclass(frozen=True)
class Hole:
    figure: Block
    space: float  # empty height at the bottom of the page before the figure's
    lead: float  # headings that went to the figure's page with it
    page: Page
    after: list[Block]  # the blocks of the chapter after the figure, in order


def find_holes(document: Any) -> list[Hole]:
    """Every figure block that starts a page and left a hole on the page before."""
    pages, flow = read_pages(document)
    holes = []
    for page in pages[1:]:
        before = pages[page.index - 1]
        lead = 0.0
        for block in page.blocks:
            if block.kind == "heading" and block.parts[0][0] == page.index:
                lead += block.height
                continue
            if block.kind == "figure" and block.parts[0][0] == page.index:
                space = before.bottom - before.last
                same = any(b.chapter is block.chapter for b in before.blocks)
                if same and space >= LOWER * before.height:
                    chapter = flow[id(block.chapter)]
                    after = chapter[chapter.index(block) + 1 :]
                    holes.append(Hole(block, space, lead, before, after))
            break
    return holes


def remedy(hole: Hole, parents: dict[Any, Any], edited: set[int]) -> str | None:
    """Shrink or move the hole's figure block in the tree: "shrunk", "moved" or None.
    `edited` holds the ids of the elements edited before, which are left alone (the layout
    we read no longer shows where they are); those edited now are added."""
    if id(hole.figure.element) in edited:
        return None
    if _shrink(hole):
        edited.add(id(hole.figure.element))
        return "shrunk"
    return "moved" if _move(hole, parents, edited) else None


def _shrink(hole: Hole) -> bool:
    _page, top, bottom, box = hole.figure.parts[0]
    height = bottom - top
    images = [b for b in _descendants(box) if isinstance(b, boxes.ReplacedBox)]
    rows: dict[float, float] = {}
    for image in images:
        row = round(image.position_y)
        rows[row] = max(rows.get(row, 0.0), image.height)
    pictured = sum(rows.values())
    if not pictured:
        return False
    room = hole.space - hole.lead - box.margin_top - SAFETY
    scale = (room - (height - pictured)) / pictured
    if not SHRINK_MIN <= scale < 1:
        return False
    for image in images:
        style = (image.element.get("style") or "").rstrip("; ")
        size = f"width: {image.width * scale:.2f}px; height: {image.height * scale:.2f}px"
        image.element.set("style", f"{style}; {size}" if style else size)
    return True


def _move(hole: Hole, parents: dict[Any, Any], edited: set[int]) -> bool:
    """Move the figure block, with the figure blocks right after it (photos of one movement
    go together), past the blocks that fill the space."""
    run = [hole.figure]
    for block in hole.after:
        if block.kind != "figure":
            break
        run.append(block)
    if any((block.element.tail or "").strip() for block in run):
        return False  # text follows it inside its parent: not a block of its own
    if any(id(block.element) in edited for block in run):
        return False
    filled, passed = hole.lead, []
    for block in hole.after[len(run) - 1 :][:MAX_PASSED]:
        if filled + block.height <= hole.space:
            filled += block.height
            passed.append(block)
            if hole.space - filled <= ENOUGH * hole.page.height and block.kind != "heading":
                break  # pass as few blocks as will do
            continue
        if not block.atomic:
            filled = hole.space  # its lines flow into what is left
            passed.append(block)
        break
    while passed and passed[-1].kind == "heading":
        filled -= passed.pop().height  # a heading goes to the next page with what follows it
    if not passed or hole.space - filled >= LOWER * hole.page.height:
        return False
    last = passed[-1].element
    parent = parents[last]
    for offset, block in enumerate(run, 1):
        edited.add(id(block.element))
        parents[block.element].remove(block.element)
        parent.insert(list(parent).index(last) + offset, block.element)
        parents[block.element] = parent
    return True


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


def _descendants(box: Any) -> Iterator[Any]:
    for child in getattr(box, "children", ()):
        yield child
        yield from _descendants(child)


def _parents(root: Any) -> dict[Any, Any]:
    return {child: parent for parent in root.iter() for child in parent}
