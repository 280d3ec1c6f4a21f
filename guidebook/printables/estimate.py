"""Guess which density a form sheet needs before laying it out, to save failed layouts.

Laying a sheet out costs most of its time; trying densities one by one (FITS) costs a layout
per try. The fixed part of the sheet (header, fields, log grid, notes heading) is measured
once per density with an empty checklist (`FixedHeights`); the checklist and watch-for columns
are estimated from their text: characters per line from the column width and Inter's average
glyph width, lines times line height. The renderer starts at the first density whose estimate
fits, and still checks the page count, stepping on if the guess was short.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from guidebook.printables.checklist import Group

PT_MM = 25.4 / 72
AVERAGE_GLYPH_EM = 0.48  # Inter, running English text (calibrated: never under the true need)
FONT_PT = {0: 9.0, 1: 8.5, 2: 8.0, 3: 7.5}
LINE_HEIGHT = {0: 1.3, 1: 1.3, 2: 1.22, 3: 1.22}
CHECKLIST_MM = 184 * 0.61 - 5 - 5  # column, less its gutter and the box indent
WATCH_MM = 184 * 0.39 - 9 - 1.2  # column, less the item's padding and rules
SAFETY_MM = 0.0


@dataclass(frozen=True)
class Estimate:
    density: int
    cues: int
    mistakes: int


def body_height_mm(groups: Sequence[Group], mistakes: Sequence[str], fit: Estimate) -> float:
    """Estimated height of the checklist/watch-for row at a density (the taller column)."""
    size = FONT_PT[fit.density]
    line = size * LINE_HEIGHT[fit.density] * PT_MM

    def lines(text: str, width_mm: float) -> int:
        per_line = max(10, int(width_mm / (size * AVERAGE_GLYPH_EM * PT_MM)))
        return max(1, math.ceil(len(text) / per_line))

    checklist = 6.0  # the column heading
    for group in groups:
        shown = group.cues[: fit.cues]
        checklist += 2.2 + 8 * PT_MM * 1.3  # group heading and its margins
        checklist += sum(
            lines(cue, CHECKLIST_MM) * line + (0.9 if fit.density < 3 else 0.4) for cue in shown
        )
        if len(group.cues) > fit.cues:
            checklist += line
    item_pad = 2.8 if fit.density < 3 else 1.6
    watch = 6.0 + 14.0  # the column heading, the result block
    watch += sum(lines(m, WATCH_MM) * line + item_pad + 1.6 for m in mistakes[: fit.mistakes])
    return max(checklist, watch)


def first_fitting(
    groups: Sequence[Group],
    mistakes: Sequence[str],
    budgets: Sequence[tuple[Estimate, float]],
) -> int:
    """Index of the first (density, limits) whose estimate fits its measured budget."""
    for index, (fit, budget) in enumerate(budgets):
        if body_height_mm(groups, mistakes, fit) + SAFETY_MM <= budget:
            return index
    return len(budgets) - 1
