"""The form's marks, drawn as filled shapes straight into the PDF page after layout.

The layout reserves the room; the marks are drawn when the page is written, where the boxes
really are (as the QR code is, `qr.py`):

- the **log grid** (`.grid`): its column edges (`data-edges`, in % of its width), a rule under
  each of its rows (`data-row`, in mm) and the set numbers, as outlines of Inter's digits;
- the **notes** (`.notes`): whole writing rows of `NOTES_ROW_MM` from the top of the box to
  the bottom of the page's content area, at most `data-max-rows` of them, framed;
- a **tick box** before the first line of every `.cue` and `.watch-item`.

Drawn rather than styled: WeasyPrint lays out each line of text and each inline box at a cost
(a set number or an empty tick-box span costs about as much as a line of a step), gradient
stripes are slow to paint, and only after layout is it known where the notes start, so that
the first row is as high as the others.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

PX_PER_MM = 96 / 25.4
LINE_PX = 1.0  # 0.75 pt: a CSS px is 0.75 pt
NOTES_ROW_MM = 7.5
INK = b"0.333 0.333 0.333 rg"  # #555: frames and the grid
FAINT = b"0.6 0.6 0.6 rg"  # #999: writing rules
MID = b"0.267 0.267 0.267 rg"  # #444: set numbers
BLACK = b"0.067 0.067 0.067 rg"  # #111: tick boxes
BOX_MM, BOX_INDENT_MM = 3.2, 5.0  # a tick box, and the hanging indent it sits in
NUMBER_PT = 8.0
FONT = Path(__file__).resolve().parents[2] / "assets" / "fonts" / "Inter-Regular.otf"


def boxes(page: Any, css_class: str) -> Iterator[Any]:
    """The outermost boxes of the page whose element has `css_class`, in tree order (not
    their line and text boxes, which share the element)."""
    stack = [page._page_box]
    while stack:
        box = stack.pop()
        element = getattr(box, "element", None)
        if element is not None and css_class in (element.get("class") or "").split():
            yield box
            continue
        stack.extend(reversed(getattr(box, "children", ())))


def operators(page: Any) -> list[bytes]:
    """PDF operators (y down, CSS px) for every grid and notes area of the page."""
    ops: list[bytes] = []
    for box in boxes(page, "grid"):
        ops += _grid(box)
    area = page._page_box
    bottom = area.content_box_y() + area.height
    for box in boxes(page, "notes"):
        ops += _notes(box, bottom)
    ticks = [*boxes(page, "cue"), *boxes(page, "watch-item")]
    if ticks:
        ops += [b"q", BLACK, *(op for box in ticks for op in _tick(box)), b"f", b"Q"]
    return ops


def _tick(box: Any) -> list[bytes]:
    """An open square (0.75 pt) centred on the first line, in the box's hanging indent."""
    line = next(iter(getattr(box, "children", ())), None)
    top, height = (line.position_y, line.height) if line is not None else (box.content_box_y(), 0)
    size = BOX_MM * PX_PER_MM
    x = box.content_box_x() - BOX_INDENT_MM * PX_PER_MM
    y = top + max(0.0, (height - size) / 2)
    return [
        _rect(x, y, size, LINE_PX),
        _rect(x, y + size - LINE_PX, size, LINE_PX),
        _rect(x, y, LINE_PX, size),
        _rect(x + size - LINE_PX, y, LINE_PX, size),
    ]


def _rect(x: float, y: float, w: float, h: float) -> bytes:
    return f"{x:.2f} {y:.2f} {w:.2f} {h:.2f} re".encode()


def _grid(box: Any) -> list[bytes]:
    x, y = box.border_box_x(), box.border_box_y()
    width, height = box.border_width(), box.border_height()
    row = float(box.element.get("data-row", "8")) * PX_PER_MM
    edges = [float(e) for e in (box.element.get("data-edges") or "").split(",") if e]
    ops = [b"q", INK]
    for edge in edges:  # inner column edges, right-aligned on the edge like a border
        ops.append(_rect(x + width * edge / 100 - LINE_PX, y, LINE_PX, height))
    rows = round(height / row)
    for n in range(1, rows + 1):
        ops.append(_rect(x, y + n * row - LINE_PX, width, LINE_PX))
    ops += [_rect(x, y, LINE_PX, height), _rect(x + width - LINE_PX, y, LINE_PX, height)]
    ops += [b"f", MID]
    size = NUMBER_PT / 0.75  # CSS px
    for n in range(1, rows + 1):  # the set numbers, on the row's baseline
        ops += _text(str(n), x + 1.5 * PX_PER_MM, y + n * row - (row - size * 0.72) / 2, size)
    return [*ops, b"f", b"Q"]


def _text(text: str, x: float, baseline: float, size: float) -> list[bytes]:
    """`text` as filled outlines of Inter's glyphs (no text object: nothing to lay out)."""
    outlines, units = _glyphs()
    ops: list[bytes] = []
    scale = size / units
    for char in text:
        path, advance = outlines[char]
        ops += [op(x, baseline, scale) for op in path]
        x += advance * scale
    return ops


@lru_cache(maxsize=1)
def _glyphs() -> tuple[dict[str, tuple[list[Any], float]], int]:
    """Inter's digit outlines as operator makers (x, baseline, scale) -> bytes."""
    from fontTools.pens.recordingPen import RecordingPen  # type: ignore[import-untyped]
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    font = TTFont(str(FONT), lazy=True)
    glyphs, cmap = font.getGlyphSet(), font.getBestCmap()
    found: dict[str, tuple[list[Any], float]] = {}
    for char in "0123456789":
        pen = RecordingPen()
        glyph = glyphs[cmap[ord(char)]]
        glyph.draw(pen)
        found[char] = ([_maker(op, args) for op, args in pen.value], glyph.width)
    return found, int(font["head"].unitsPerEm)


def _maker(op: str, points: tuple[Any, ...]) -> Any:
    codes = {"moveTo": "m", "lineTo": "l", "curveTo": "c", "closePath": "h", "endPath": "h"}

    def make(x: float, baseline: float, scale: float) -> bytes:
        coords = " ".join(f"{x + px * scale:.2f} {baseline - py * scale:.2f}" for px, py in points)
        return f"{coords} {codes[op]}".strip().encode()

    return make


def _notes(box: Any, bottom: float) -> list[bytes]:
    x, top, width = box.border_box_x(), box.border_box_y(), box.border_width()
    row = NOTES_ROW_MM * PX_PER_MM
    rows = int((bottom - top + 0.01) // row)
    limit = box.element.get("data-max-rows")
    rows = min(rows, int(limit)) if limit else rows
    if rows < 1:
        return []
    height = rows * row
    ops = [b"q", FAINT]
    ops += [_rect(x, top + n * row - LINE_PX, width, LINE_PX) for n in range(1, rows)]
    ops += [
        b"f",
        INK,
        _rect(x, top, LINE_PX, height),
        _rect(x + width - LINE_PX, top, LINE_PX, height),
    ]
    ops.append(_rect(x, top + height - LINE_PX, width, LINE_PX))
    return [*ops, b"f", b"Q"]


def notes_rows(page: Any) -> int:
    """How many writing rows the page's notes area got (0 without one)."""
    area = page._page_box
    bottom = area.content_box_y() + area.height
    found = next(boxes(page, "notes"), None)
    if found is None:
        return 0
    rows = int((bottom - found.border_box_y() + 0.01) // (NOTES_ROW_MM * PX_PER_MM))
    limit = found.element.get("data-max-rows")
    return min(rows, int(limit)) if limit else rows
