"""The form's ruled areas, drawn as filled rectangles straight into the PDF page.

The layout reserves the room; the lines are drawn when the page is written, where the boxes
really are (as the QR code is, `qr.py`):

- the **log grid** (`.grid`): its column edges (`data-edges`, in % of its width) and a rule
  under each of its rows (`data-row`, in mm);
- the **notes** (`.notes`): whole writing rows of `NOTES_ROW_MM` from the top of the box to
  the bottom of the page's content area, at most `data-max-rows` of them, framed.

Drawn rather than styled: a page of gradient stripes costs WeasyPrint more to paint than the
rest of the sheet, and only after layout is it known where the notes start, so that the first
row is as high as the others.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

PX_PER_MM = 96 / 25.4
LINE_PX = 1.0  # 0.75 pt: a CSS px is 0.75 pt
NOTES_ROW_MM = 7.5
INK = b"0.333 0.333 0.333 rg"  # #555: frames and the grid
FAINT = b"0.6 0.6 0.6 rg"  # #999: writing rules


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
    return ops


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
    return [*ops, b"f", b"Q"]


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
