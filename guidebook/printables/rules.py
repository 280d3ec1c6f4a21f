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

import math
from collections.abc import Iterator
from typing import Any

from guidebook.printables import outlines

PX_PER_MM = 96 / 25.4
LINE_PX = 1.0  # 0.75 pt: a CSS px is 0.75 pt
NOTES_ROW_MM = 7.5
INK = b"0.333 0.333 0.333 rg"  # #555: frames and the grid
FAINT = b"0.6 0.6 0.6 rg"  # #999: writing rules
MID = b"0.267 0.267 0.267 rg"  # #444: set numbers
BLACK = b"0.067 0.067 0.067 rg"  # #111: tick boxes
BOX_MM, BOX_INDENT_MM = 3.2, 5.0  # a tick box, and the hanging indent it sits in
NUMBER_PT = 8.0
LABEL_PT, TRACKING = 7.0, 0.05  # write-in labels and column heads: SemiBold capitals


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


# What a layout may ask for in its data- attributes (a layout override may come from anyone):
# anything else is clamped, so no attribute can make the drawing large or slow.
MAX_ITEMS = 16  # fields in a row, columns in a grid
MAX_LABEL = 60  # characters of a drawn label


def _number(element: Any, name: str, default: float, low: float, high: float) -> float:
    """A data- attribute as a finite number within [low, high]; the default when it is none."""
    try:
        value = float(element.get(name, default))
    except ValueError:
        return default
    return min(max(value, low), high) if math.isfinite(value) else default


def _list(text: str | None, separator: str) -> list[str]:
    return [item[:MAX_LABEL] for item in (text or "").split(separator) if item][:MAX_ITEMS]


def _percent(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        return 0.0
    return min(max(value, 0.0), 100.0) if math.isfinite(value) else 0.0


def operators(page: Any) -> list[bytes]:
    """PDF operators (y down, CSS px) for every grid and notes area of the page."""
    ops: list[bytes] = []
    area = page._page_box
    bottom = area.content_box_y() + area.height
    for box in boxes(page, "grid"):
        ops += _grid(box, bottom)
    for box in boxes(page, "notes"):
        ops += _notes(box, bottom)
    for box in boxes(page, "row"):
        ops += _fields(box)
    for box in boxes(page, "grid-head"):
        ops += _heads(box)
    for box in boxes(page, "drawn-label"):
        ops += _label(box)
    for box in boxes(page, "log-head"):
        ops += _result(box)
    ticks = [*boxes(page, "cue"), *boxes(page, "watch-item")]
    if ticks:
        ops += [b"q", BLACK, *(op for box in ticks for op in _tick(box)), b"f", b"Q"]
    return ops


def _fields(row: Any) -> list[bytes]:
    """Write-in fields (`data-fields`: "Label:left %:width %" separated by "|"): the label in
    small capitals and the line to write on, 4 mm short of the next field."""
    x, y, width = row.border_box_x(), row.border_box_y(), row.border_width()
    labels, lines = [b"q", MID], [b"q", BLACK]
    for field in _list(row.element.get("data-fields"), "|"):
        label, left, share = [*field.rsplit(":", 2), "0", "0"][:3]
        start = x + width * _percent(left) / 100
        size = LABEL_PT * outlines.PX_PER_PT
        labels += outlines.draw(label.upper(), start, y + size, LABEL_PT, "semibold", TRACKING)
        length = max(0.0, width * _percent(share) / 100 - 4 * PX_PER_MM)
        lines.append(_rect(start, y + row.border_height() - LINE_PX, length, LINE_PX))
    return [*labels, b"Q", *lines, b"f", b"Q"]


def _heads(box: Any) -> list[bytes]:
    """The log grid's column heads (`data-labels`, at `data-edges`), in small capitals."""
    x, y, width = box.border_box_x(), box.border_box_y(), box.border_width()
    edges = [0.0, *(_percent(e) for e in _list(box.element.get("data-edges"), ","))]
    ops = [b"q", MID]
    baseline = y + box.border_height() / 2 + LABEL_PT * outlines.PX_PER_PT * 0.36
    for label, edge in zip(_list(box.element.get("data-labels"), "|"), edges, strict=False):
        start = x + width * edge / 100 + 1.5 * PX_PER_MM
        ops += outlines.draw(label.upper(), start, baseline, LABEL_PT, "semibold", TRACKING)
    return [*ops, b"Q"]


def _label(box: Any) -> list[bytes]:
    """A fixed caption (`data-label`) in its reserved box: left, right or centre aligned
    (`data-align`), `data-size` pt, on the box's first-line baseline."""
    text = (box.element.get("data-label") or "")[:MAX_LABEL]
    align = box.element.get("data-align", "left")
    size = _number(box.element, "data-size", 7.0, 6.0, 24.0)
    drawn = outlines.width(text, size)
    x = box.content_box_x()
    if align == "right":
        x += box.width - drawn
    elif align == "center":
        x += (box.width - drawn) / 2
    baseline = box.content_box_y() + size * outlines.PX_PER_PT * 0.95
    return [b"q", MID, *outlines.draw(text, x, baseline, size), b"Q"]


def _result(heading: Any) -> list[bytes]:
    """ "[] Pass  [] Needs work" at the right end of the log's heading, for the coach's verdict."""
    size_pt, box = 9.0, BOX_MM * PX_PER_MM
    baseline = heading.content_box_y() + size_pt * outlines.PX_PER_PT * 0.9
    right = heading.content_box_x() + heading.width
    ops: list[bytes] = [b"q", BLACK]
    for word in ("Needs work", "Pass"):
        right -= outlines.width(word, size_pt)
        ops += outlines.draw(word, right, baseline, size_pt)
        right -= 1.8 * PX_PER_MM + box
        ops += [*_square(right, baseline - box + 0.5 * PX_PER_MM, box), b"f"]
        right -= 5 * PX_PER_MM
    return [*ops, b"Q"]


def _square(x: float, y: float, size: float) -> list[bytes]:
    return [
        _rect(x, y, size, LINE_PX),
        _rect(x, y + size - LINE_PX, size, LINE_PX),
        _rect(x, y, LINE_PX, size),
        _rect(x + size - LINE_PX, y, LINE_PX, size),
    ]


def _tick(box: Any) -> list[bytes]:
    """An open square (0.75 pt) centred on the first line, in the box's hanging indent."""
    line = next(iter(getattr(box, "children", ())), None)
    top, height = (line.position_y, line.height) if line is not None else (box.content_box_y(), 0)
    size = BOX_MM * PX_PER_MM
    x = box.content_box_x() - BOX_INDENT_MM * PX_PER_MM
    return _square(x, top + max(0.0, (height - size) / 2), size)


def _rect(x: float, y: float, w: float, h: float) -> bytes:
    return f"{x:.2f} {y:.2f} {w:.2f} {h:.2f} re".encode()


def _grid(box: Any, bottom: float) -> list[bytes]:
    """The grid's lines and set numbers, no lower than the foot of the page's content."""
    x, y = box.border_box_x(), box.border_box_y()
    width, height = box.border_width(), max(0.0, min(box.border_height(), bottom - y))
    row = _number(box.element, "data-row", 8.0, 5.0, 50.0) * PX_PER_MM
    edges = [_percent(e) for e in _list(box.element.get("data-edges"), ",")]
    ops = [b"q", INK]
    for edge in edges:  # inner column edges, right-aligned on the edge like a border
        ops.append(_rect(x + width * edge / 100 - LINE_PX, y, LINE_PX, height))
    rows = round(height / row)
    for n in range(1, rows + 1):
        ops.append(_rect(x, y + n * row - LINE_PX, width, LINE_PX))
    ops += [_rect(x, y, LINE_PX, height), _rect(x + width - LINE_PX, y, LINE_PX, height)]
    ops += [b"f", MID]
    cap = NUMBER_PT * outlines.PX_PER_PT * 0.73  # Inter's cap height: digits are as high
    for n in range(1, rows + 1):  # the set numbers, centred in their row
        baseline = y + n * row - (row - cap) / 2
        ops += outlines.draw(str(n), x + 1.5 * PX_PER_MM, baseline, NUMBER_PT)
    return [*ops, b"Q"]


def _notes(box: Any, bottom: float) -> list[bytes]:
    x, top, width = box.border_box_x(), box.border_box_y(), box.border_width()
    row = NOTES_ROW_MM * PX_PER_MM
    rows = int((bottom - top + 0.01) // row)
    if box.element.get("data-max-rows") is not None:
        rows = min(rows, int(_number(box.element, "data-max-rows", 0, 0, 100)))
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


def notes_room_mm(page: Any) -> float:
    """From the top of the notes area to the foot of the page's content area (0 without one:
    a layout override may leave the notes out)."""
    area = page._page_box
    notes = next(boxes(page, "notes"), None)
    if notes is None:
        return 0.0
    return float(area.content_box_y() + area.height - notes.border_box_y()) / PX_PER_MM
