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

from dataclasses import dataclass, field
from typing import Any

from guidebook.render.pages import SHRINK_MIN, Block, Page, read_pages, shrink_images
from guidebook.render.session import Draft
from guidebook.render.spill import find_spills, tighten

LOWER = 0.25  # a page is a hole when this fraction of its text area is empty at the bottom
ENOUGH = 0.15  # ... and passes no more blocks once the page is filled but this fraction
MAX_PASSED = 6  # a figure moves past at most this many blocks (reading order stays sane)
MAX_LAYOUTS = 3  # the first layout and at most two more
SAFETY = 3.0  # CSS px kept free when shrinking (rounding, collapsing margins)


@dataclass
class Settled:
    """What the pass did: holes found in each layout, and blocks shrunk or moved."""

    holes: list[int] = field(default_factory=list)
    shrunk: int = 0
    moved: int = 0
    tightened: int = 0  # figures made smaller to win back a chapter's spilled last page
    layouts: int = 0


def settle(draft: Draft, max_layouts: int | None = None, first: Any = None) -> tuple[Any, Settled]:
    """Lay out `draft` (or take `first`, its layout already made), fill its figure holes and
    lay out again (at most `max_layouts` times, default `MAX_LAYOUTS`; 1 is the layout without
    the pass); the final layout and what was done."""
    max_layouts = max_layouts or MAX_LAYOUTS
    done = Settled()
    edited: set[int] = set()
    document = first if first is not None else draft.layout()
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
        for spill in find_spills(*read_pages(document)):
            tightened = tighten(spill, edited)
            done.tightened += tightened
            changed = changed or tightened
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
    room = hole.space - hole.lead - box.margin_top - SAFETY
    return shrink_images(box, (bottom - top) - room, SHRINK_MIN)


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


def _parents(root: Any) -> dict[Any, Any]:
    return {child: parent for parent in root.iter() for child in parent}
