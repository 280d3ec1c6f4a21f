"""Spills: a chapter whose last page holds only a few lines wins that page back.

A chapter of one page and two lines costs a whole page (the next chapter opens on a new one).
When its last page uses no more than `SPILL` of the text area and an earlier page of the
chapter holds a figure block, the block's images are made smaller by the height the spilled
lines need (never below `pages.SHRINK_MIN` of their size); the next layout shows whether the
chapter now fits, and `holes.settle` keeps the layout either way. Part of the figure pass:
see `holes.py`, which reads the pages and lays out again.
"""

from __future__ import annotations

from dataclasses import dataclass

from guidebook.render.pages import SHRINK_MIN, Block, Page, shrink_images

SPILL = 0.12  # a last page using at most this fraction of its text area is a spill
SLACK = 12.0  # CSS px won beyond the spilled height (margins that collapse, rounding)


@dataclass(frozen=True)
class Spill:
    figure: Block  # the figure block that gives up height
    height: float  # what the last page uses


def find_spills(pages: list[Page], flow: dict[int, list[Block]]) -> list[Spill]:
    """Every chapter of two pages or more whose last page is a spill, with the tallest figure
    block on its earlier pages."""
    spills = []
    for blocks in flow.values():
        spread = sorted({part[0] for block in blocks for part in block.parts})
        if len(spread) < 2:
            continue
        last = pages[spread[-1]]
        used = last.last - (last.bottom - last.height)
        if any(other.chapter is not blocks[0].chapter for other in last.blocks):
            continue  # the page is shared with the next chapter: nothing to win
        if used > SPILL * last.height:
            continue
        figures = [b for b in blocks if b.kind == "figure" and b.parts[0][0] < last.index]
        if figures:
            spills.append(Spill(max(figures, key=lambda b: b.height), used))
    return spills


def tighten(spill: Spill, edited: set[int]) -> bool:
    """Make the spill's figure smaller by the spilled height; False when it cannot give
    that much (or was edited before)."""
    if id(spill.figure.element) in edited:
        return False
    box = spill.figure.parts[0][3]
    if shrink_images(box, spill.height + SLACK, SHRINK_MIN):
        edited.add(id(spill.figure.element))
        return True
    return False
