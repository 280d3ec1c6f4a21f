"""QR codes drawn as vector rectangles straight into the PDF page.

WeasyPrint can draw an inline SVG of the code, but parsing a QR path of a few hundred segments
costs as much as laying out half a sheet. Instead the layout reserves an empty box of the
code's printed size (`QrCode.size_mm`, quiet zone included) and, when the page is written,
`draw_into` appends one filled path of the dark modules to the page's content stream: the same
vector result, drawn in about a millisecond.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import segno

from guidebook.printables.rules import boxes

QUIET_ZONE = 4  # modules, as the QR specification asks
MIN_MODULE_MM = 0.3  # a phone camera at arm's length reads modules this small, not smaller
SYMBOL_MM = 20.5  # printed size of the code itself, without the quiet zone (>= 2 cm)
CLASS = "qr-code"  # the placeholder the layout reserves


@dataclass(frozen=True)
class QrCode:
    url: str

    @cached_property
    def matrix(self) -> tuple[tuple[bool, ...], ...]:
        code = segno.make(self.url, error="m", micro=False)
        return tuple(tuple(bool(v) for v in row) for row in code.matrix)

    @property
    def modules(self) -> int:
        return len(self.matrix)

    @property
    def size_mm(self) -> float:
        """The printed size, quiet zone included, for a SYMBOL_MM symbol."""
        return SYMBOL_MM * (self.modules + 2 * QUIET_ZONE) / self.modules

    def runs(self) -> list[tuple[int, int, int]]:
        """(row, first column, length) of every horizontal run of dark modules."""
        found = []
        for y, row in enumerate(self.matrix):
            x = 0
            while x < len(row):
                if row[x]:
                    start = x
                    while x < len(row) and row[x]:
                        x += 1
                    found.append((y, start, x - start))
                else:
                    x += 1
        return found

    def operators(self, x: float, y: float, size: float) -> list[bytes]:
        """PDF drawing operators for the code in a box at (x, y) of `size`, y pointing down."""
        module = size / (self.modules + 2 * QUIET_ZONE)
        left, top = x + QUIET_ZONE * module, y + QUIET_ZONE * module
        ops = [b"q", b"0 0 0 rg"]
        ops.extend(
            f"{left + col * module:.3f} {top + row * module:.3f} {length * module:.3f} "
            f"{module:.3f} re".encode()
            for row, col, length in self.runs()
        )
        ops.extend([b"f", b"Q"])
        return ops


def qr_problem(url: str) -> str | None:
    """Why `url` makes no usable code at the printed size, or None: too long for any QR code,
    or so long that its modules print smaller than `MIN_MODULE_MM`."""
    try:
        modules = QrCode(url).modules
    except segno.DataOverflowError:
        return f"its address ({len(url):,} characters) is too long for a QR code"
    if (size := SYMBOL_MM / modules) < MIN_MODULE_MM:
        return (
            f"its address ({len(url):,} characters) makes a QR code of {modules} x {modules} "
            f"modules, {size:.2f} mm each at {SYMBOL_MM} mm: too small for a phone to read"
        )
    return None


def find_placeholder(page: Any) -> tuple[float, float, float] | None:
    """(x, y, size) in CSS px of the page's QR placeholder box, if it has one."""
    box = next((box for box in boxes(page, CLASS) if box.width), None)
    return (box.content_box_x(), box.content_box_y(), box.width) if box is not None else None


def finisher(operators: list[bytes]) -> Any:
    """A WeasyPrint finisher appending drawing `operators` (y down, CSS px) to the first page."""

    def finish(_document: Any, pdf: Any) -> None:
        page = pdf.objects[int(pdf.pages["Kids"][0])]
        stream = pdf.objects[int(page["Contents"].split()[0])]
        # WeasyPrint's page stream flips y and scales CSS px to pt (0.75) inside its own q/Q;
        # after it, only the flip is left, so the px scale is set again here.
        stream.stream.extend([b"q", b"0.75 0 0 0.75 0 0 cm", *operators, b"Q"])

    return finish
