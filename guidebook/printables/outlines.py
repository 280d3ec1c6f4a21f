"""Fixed words of the form drawn as glyph outlines: labels, column heads, set numbers.

A form sheet prints the same words on every page: ATHLETE, COACH, SET, LOAD, REPS, "Print at
100 %". Laid out by WeasyPrint, each costs about a millisecond (a box, a line, a shaped run),
a fifth of a sheet's time in all. Drawn here they cost nothing: the outlines of Inter's glyphs
(read once with fontTools), placed by their advance widths, with letter-spacing and upper case
as the stylesheet would set them. Kerning is left out, which at 7 pt in capitals is not seen.
They are shapes, not text: a PDF search does not find them (the exercise's own words, which a
reader may search for, are all real text).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

Face = Literal["regular", "semibold"]
FONTS = Path(__file__).resolve().parents[2] / "assets" / "fonts"
FILES = {"regular": "Inter-Regular.otf", "semibold": "Inter-SemiBold.otf"}
PX_PER_PT = 96 / 72
Maker = Callable[[float, float, float], bytes]  # (x, baseline, scale) -> operator


@lru_cache(maxsize=2)
def _face(face: Face) -> tuple[Any, dict[int, str], int]:
    """The face's glyph set, character map and units per em (read once)."""
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    font = TTFont(str(FONTS / FILES[face]), lazy=True)
    return font.getGlyphSet(), font.getBestCmap(), int(font["head"].unitsPerEm)


@lru_cache(maxsize=8192)
def advance_em(char: str, face: Face = "regular") -> float | None:
    """The character's advance width in ems, or None when the face lacks it (kerning aside:
    what the sheet's estimate wraps text with, `fit.py`)."""
    glyphs, cmap, units = _face(face)
    name = cmap.get(ord(char))
    return None if name is None else float(glyphs[name].width) / units


@lru_cache(maxsize=4096)
def _glyph(face: Face, char: str) -> tuple[tuple[Maker, ...], float]:
    """A character's outline as operator makers and its advance, in font units; a character
    the face lacks is an empty gap half an em wide."""
    from fontTools.pens.recordingPen import RecordingPen  # type: ignore[import-untyped]

    glyphs, cmap, units = _face(face)
    name = cmap.get(ord(char))
    if name is None:
        return (), units / 2
    pen = RecordingPen()
    glyphs[name].draw(pen)
    return tuple(_maker(op, args) for op, args in pen.value), float(glyphs[name].width)


def _maker(op: str, points: tuple[tuple[float, float], ...]) -> Maker:
    code = {"moveTo": "m", "lineTo": "l", "curveTo": "c", "closePath": "h", "endPath": "h"}[op]

    def make(x: float, baseline: float, scale: float) -> bytes:
        coords = " ".join(f"{x + px * scale:.2f} {baseline - py * scale:.2f}" for px, py in points)
        return f"{coords} {code}".strip().encode()

    return make


def load() -> None:
    """Read both faces, their Latin outlines and widths now (a parent does, before it forks)."""
    for face in ("regular", "semibold"):
        for code in range(0x20, 0x17F):
            _glyph(face, chr(code))
            advance_em(chr(code), face)


def width(text: str, size_pt: float, face: Face = "regular", tracking_em: float = 0.0) -> float:
    """The drawn width of `text` in CSS px."""
    units = _face(face)[2]
    size = size_pt * PX_PER_PT
    advance = sum(_glyph(face, c)[1] for c in text) * size / units
    return advance + tracking_em * size * len(text)


def draw(
    text: str,
    x: float,
    baseline: float,
    size_pt: float,
    face: Face = "regular",
    tracking_em: float = 0.0,
) -> list[bytes]:
    """Operators (y down, CSS px) filling `text`'s outlines from (x, baseline) in the current
    colour, self-contained (q ... f Q). A character Inter lacks is left as a gap."""
    path = _path(text, size_pt, face, tracking_em)
    return [b"q", f"1 0 0 1 {x:.2f} {baseline:.2f} cm".encode(), path, b"f", b"Q"] if path else []


@lru_cache(maxsize=256)
def _path(text: str, size_pt: float, face: Face, tracking_em: float) -> bytes:
    """The outlines of `text` from (0, 0), made once per text: the same labels are on every
    sheet."""
    units = _face(face)[2]
    size = size_pt * PX_PER_PT
    scale = size / units
    ops: list[bytes] = []
    x = 0.0
    for char in text:
        path, advance = _glyph(face, char)
        ops += [make(x, 0.0, scale) for make in path]
        x += advance * scale + tracking_em * size
    return b"\n".join(ops)
