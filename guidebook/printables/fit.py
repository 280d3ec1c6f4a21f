"""How a one-page printable is set (`Fit`), and the arrangements a form sheet tries, best first.

A sheet prints every cue of its steps. What adapts is the arrangement: the watch-for column
beside the checklist or below it, the checklist in one or two columns, the type (9, 8.5, 8 pt:
never smaller for what the athlete reads) and leading, and the log rows (8 down to 3). The
ruled notes take what is left: three rows or more when they can be had.

`sheet_fits` estimates every arrangement's height from the text, wrapped word by word with
Inter's own glyph widths (`text_lines`), against the room the fixed parts leave (`Room`, measured
once per process on a laid-out probe), and orders the arrangements: the first that leaves
comfortable log and notes rows, then the tighter ones. The renderer lays out the first and
checks the page count, moving on only if the estimate was short. Only when even the tightest
cannot hold the steps are watch-for items, then the last steps, left out, and the sheet and
the build say so.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from guidebook.printables import outlines
from guidebook.printables.checklist import Group
from guidebook.printables.rules import NOTES_ROW_MM, notes_room_mm

PT_MM = 25.4 / 72
BOX_MM = 184.0  # the printable box's width (printables.css)
FONT_PT = {0: 9.0, 1: 8.5, 2: 8.0}
LEADING = {0: 1.3, 1: 1.25, 2: 1.2}
ROW_MM = {0: 8.0, 1: 7.5, 2: 7.0}  # log rows: room to write, never under 7 mm
CUE_GAP_MM = {0: 0.9, 1: 0.9, 2: 0.6}
WATCH_PAD_MM = {0: 2.4 + 1.4 + 0.6, 1: 2.4 + 1.4 + 0.6, 2: 1.6 + 1.0 + 0.6}
MAX_ROWS, MIN_ROWS = 8, 3

Column = tuple[tuple[str, str], ...]  # (group heading or "", cue)


@dataclass(frozen=True)
class Fit:
    """How densely a one-page printable is set; the sheet's arrangement."""

    density: int = 0  # CSS class dN: smaller type and leading
    rows: int = 8  # log grid rows
    row_mm: float = 8.0
    thumbnail: bool = True
    beside: bool = True  # the watch-for column beside the checklist (else below it)
    columns: tuple[Column, ...] = ()  # the checklist, split into one or two columns
    mistakes: int = 99  # watch-for items shown
    left_out: str = ""  # what the sheet says when it truly cannot hold every step
    sets: int = 99  # set cells per exercise on a session card


# A card's set boxes are `row_mm` high: taller than 8 mm only while the notes keep all their
# rows (`CARD_NOTES_MM`), so that room to spare goes to the boxes rather than to the notes.
CARD_FITS = (
    Fit(row_mm=10.0),
    Fit(row_mm=9.0),
    Fit(),
    Fit(density=1),
    Fit(density=2, row_mm=7.0),
    Fit(density=3, row_mm=7.0, thumbnail=False),
    Fit(density=3, row_mm=7.0, thumbnail=False, sets=6),
    Fit(density=3, row_mm=7.0, thumbnail=False, sets=5),
    Fit(density=3, row_mm=7.0, thumbnail=False, sets=4),
)
CARD_NOTES_MM = 8 * NOTES_ROW_MM
CARD_MIN_NOTES_MM = 3 * NOTES_ROW_MM


@dataclass(frozen=True)
class Room:
    """Heights measured on the probe sheet at one density (mm)."""

    body: float  # the checklist row may take this, with MIN_ROWS log rows and no notes
    head: float  # the probe's header: a kicker, one title line and one facts line
    title_line: float
    facts_line: float
    pictured_head: float  # a header with a thumbnail or QR code is at least this high


def text_lines(text: str, width_mm: float, size_pt: float) -> int:
    """Lines `text` takes, wrapped greedily at spaces in a column `width_mm` wide, by Inter's
    advance widths (kerning ignored: within 1-2 %); a character Inter lacks counts an em, as
    wide as the fallback fonts' CJK."""
    width_em = width_mm / (size_pt * PT_MM)
    space = outlines.advance_em(" ") or 0.28
    lines, used = 1, 0.0
    for word in text.split():
        w = sum(outlines.advance_em(c) or 1.0 for c in word)
        if used and used + space + w > width_em:
            lines, used = lines + 1, 0.0
        if w > width_em:  # a word longer than the line breaks anywhere
            lines += int(w // width_em)
            w = w % width_em
        used += (space if used else 0.0) + w
    return lines


def sheet_fits(
    groups: Sequence[Group],
    mistakes: Sequence[str],
    head_lines: tuple[int, int],
    pictured: bool,
    rooms: Sequence[Room],
) -> list[Fit]:
    """The arrangements to try for a sheet, best first (see the module).

    `head_lines`: the title's and the facts' lines at density 0 (`header_lines`)."""
    cues = [(g.name if i == 0 else "", cue) for g in groups for i, cue in enumerate(g.cues)]
    candidates: list[tuple[Fit, float]] = []  # (fit, mm left for the log rows and notes)
    shapes = [(True, 1)] if cues and mistakes else []
    shapes += [(False, 1 if len(cues) < 3 and mistakes else 2)] if cues else [(False, 1)]
    shapes += [(False, 2)] if cues and (False, 2) not in shapes else []
    for beside, count in shapes:
        for density in (0, 1, 2):
            columns = _split(cues, count, density, beside)
            body = _body_mm(columns, mistakes, density, beside)
            room = rooms[density]
            head = _head_mm(room, head_lines, density, pictured)
            free = room.body - body - (head - room.head) + MIN_ROWS * ROW_MM[density]
            fit = Fit(density, row_mm=ROW_MM[density], beside=beside, columns=columns)
            candidates.append((fit, free))
    ordered: list[Fit] = []
    for want_rows, want_notes in ((6, 3), (4, 2), (MIN_ROWS, 1)):
        for fit, free in candidates:
            rows = int((free - want_notes * NOTES_ROW_MM) // fit.row_mm)
            if rows >= want_rows and (chosen := _with_rows(fit, rows)) not in ordered:
                ordered.append(chosen)
    tightest = max(candidates, key=lambda c: c[1])[0] if candidates else Fit()
    ordered.append(_with_rows(tightest, MIN_ROWS))
    return ordered


def header_lines(title: str, facts: str, pictured_mm: float) -> tuple[int, int]:
    """Lines of the title (19 pt, SemiBold set as Regular: a slight overestimate is safe)
    and of the facts line (8 pt), beside `pictured_mm` of thumbnail and QR code."""
    width = BOX_MM - pictured_mm
    return text_lines(title, width, 19.0 * 1.04), text_lines(facts, width, 8.0 * 1.04)


def last_resort(fit: Fit, mistakes: int, steps: int) -> list[Fit]:
    """When nothing fits: fewer watch-for items, then fewer cues, each saying so."""
    tries = [replace(fit, mistakes=n) for n in range(mistakes - 1, -1, -1)]
    flat = [cue for column in fit.columns for cue in column]
    for keep in range(len(flat) - 1, 0, -1):
        shown = tuple(flat[:keep])
        half = (len(shown) + 1) // 2 if len(fit.columns) == 2 else len(shown)
        columns = (shown[:half], shown[half:]) if len(fit.columns) == 2 else (shown,)
        note = f"{len(flat) - keep} more cue{'s' * (len(flat) - keep > 1)} of the {steps} steps"
        tries.append(replace(fit, mistakes=0, columns=columns, left_out=f"{note}: see the book."))
    return tries


def _with_rows(fit: Fit, rows: int) -> Fit:
    return replace(fit, rows=max(MIN_ROWS, min(MAX_ROWS, rows)))


def _line_mm(density: int) -> float:
    return FONT_PT[density] * LEADING[density] * PT_MM


def _cue_mm(cue: str, width: float, density: int) -> float:
    lines = text_lines(cue, width - 5.0, FONT_PT[density])
    return lines * _line_mm(density) + CUE_GAP_MM[density]


def _heading_mm(density: int) -> float:
    return 8.0 * LEADING[density] * PT_MM + 2.2


def _column_width(count: int, beside: bool) -> float:
    return BOX_MM * (0.60 if beside else 1.0 if count == 1 else 0.485)


def _split(
    cues: list[tuple[str, str]], count: int, density: int, beside: bool
) -> tuple[Column, ...]:
    if count == 1 or len(cues) < 2:
        return (tuple(cues),) if cues else ()
    width = _column_width(count, beside)
    heights = [_cue_mm(cue, width, density) + (_heading_mm(density) if h else 0) for h, cue in cues]
    total, run, cut = sum(heights), 0.0, len(cues)
    for index, height in enumerate(heights):
        if run + height / 2 >= total / 2:
            cut = max(1, index)
            break
        run += height
    first, second = cues[:cut], cues[cut:]
    if second and not second[0][0]:  # the second column repeats the group it continues
        name = next((h for h, _cue in reversed(first) if h), "")
        second = [(name, second[0][1]), *second[1:]]
    return (tuple(first), tuple(second))


def _body_mm(
    columns: tuple[Column, ...], mistakes: Sequence[str], density: int, beside: bool
) -> float:
    line, title = _line_mm(density), 8.0 * 1.3 * PT_MM + 1.2
    width = _column_width(len(columns), beside)
    checklist = title + max(
        (
            sum(_cue_mm(cue, width, density) + (_heading_mm(density) if h else 0) for h, cue in c)
            for c in columns
        ),
        default=0.0,
    )
    if not columns:
        checklist = 0.0
    watch_width = BOX_MM * (0.37 if beside and columns else 0.485) - 9.2
    items = [
        text_lines(m, watch_width, FONT_PT[density]) * line + WATCH_PAD_MM[density]
        for m in mistakes
    ]
    if beside and columns:
        return max(checklist, title + sum(items)) + 2.0
    pairs = [max(items[i : i + 2]) for i in range(0, len(items), 2)]
    watch = title + sum(pairs) + 1.0 if items else 0.0
    return checklist + watch + 2.0


def _head_mm(room: Room, lines: tuple[int, int], density: int, pictured: bool) -> float:
    title_lines, facts_lines = lines
    title_scale = 16.0 / 19.0 if density == 2 else 1.0
    head = room.head + (title_lines - 1) * room.title_line * title_scale
    head += max(0, facts_lines - 1) * room.facts_line
    return max(head, room.pictured_head) if pictured else head


def first_accepted(
    fits: Sequence[Fit], make: Callable[[Fit], Any], accept: Callable[[Any, Fit], bool]
) -> tuple[Fit, Any] | None:
    """The first of `fits` whose layout is accepted, found by bisection: each fit is denser
    than the one before, so once one is accepted every later one would be."""
    low, high, found = 0, len(fits) - 1, None
    while low <= high:
        middle = (low + high) // 2
        document = make(fits[middle])
        if accept(document, fits[middle]):
            found, high = (fits[middle], document), middle - 1
        else:
            low = middle + 1
    return found


def card_accepts(document: Any, fit: Fit) -> bool:
    """One page, with all the notes rows while the set boxes are taller than 8 mm (room to
    spare goes to the boxes), and at least `CARD_MIN_NOTES` rows at the tightest settings."""
    if len(document.pages) != 1:
        return False
    if fit == CARD_FITS[-1]:
        return True  # all the exercises on one page matter more than notes rows
    notes = notes_room_mm(document.pages[0])
    return notes >= (CARD_NOTES_MM if fit.row_mm > Fit.row_mm else CARD_MIN_NOTES_MM)
