"""SVG images made safe to carry: parsed, cleaned to an allow-list, and bounded in size.

`sanitize_svg(data)` parses the file (no entities, DTDs or network), removes what could run
code or load other files (`clean.py`, with styles checked by `css.py`), refuses a drawing whose
references would expand beyond what can be printed (`expand.py`) and returns the bytes to carry
in the outputs together with what was removed, for one warning.
"""

from __future__ import annotations

from dataclasses import dataclass

from guidebook.svg.clean import CheckRaster, Removed, SvgProblem, clean, parse
from guidebook.svg.expand import MAX_DEPTH, MAX_ELEMENTS, check_expansion

__all__ = ["MAX_DEPTH", "MAX_ELEMENTS", "CleanSvg", "SvgProblem", "sanitize_svg"]


@dataclass(frozen=True)
class CleanSvg:
    data: bytes  # the drawing as the outputs carry it
    removed: tuple[str, ...]  # phrases completing "image 'x.svg' ...", empty if nothing was


def sanitize_svg(data: bytes, check_raster: CheckRaster) -> CleanSvg:
    """Clean `data`; raise SvgProblem if it cannot be used at all.

    `check_raster(bytes)` raises ValueError for an embedded picture that is not a usable
    PNG, JPEG or GIF (the caller's image check, so both follow one rule).
    """
    root = parse(data)
    removed = Removed()
    cleaned = clean(root, removed, check_raster)
    check_expansion(root)
    return CleanSvg(cleaned, tuple(removed.phrases()))
