"""The book's trims and the page geometry each one gets: one table, one stylesheet per build.

A trim is the size the printed page is cut to. Each has its own design values (`Design`):
type size, margins, the side column for the exercise's metadata box (only where the page is
wide enough for it beside a ~65-character text column), figure heights and the openers'
drops, in proportion to the page. `geometry_css` writes them as CSS custom properties and
the `@page` size, bleed and marks; pdf.css uses the properties and nothing else that depends
on the trim, so one stylesheet serves every trim.

**Margins for print-on-demand.** A press preset (`kdp`, `ingram`) sets the inside margin by
the page count, as the printers' tables ask: the thicker the book, the more the binding takes
(`inside_margin`). The design's own inside margin is what a thin book gets; each band of the
table adds what the table adds over its first band. Since the page count depends on the
margin, the PDF target lays the book out, reads the count and, only when the band moved, lays
it out again (`render/pdf.py`). Ingram also wants at least 0.5 in on every side, KDP at least
0.25 in outside (0.375 in with bleed); every design here clears both (a test holds it).

**Bleed** (0.125 in) is added at the top, the bottom and the outer edge only, never at the
spine; art that touches the edge (the part openers' colour panel) runs into it. **Crop marks**
need room outside the bleed, so with marks the page is extended by a further 0.25 in on every
side, and the PDF's BleedBox is set to the real bleed afterwards (WeasyPrint would put it at
the edge of the marks' room).
"""

from __future__ import annotations

from dataclasses import dataclass

from guidebook.model import Press, PrintSetup, Trim

INCH = 25.4  # mm
BLEED_MM = 0.125 * INCH
MARKS_ROOM_MM = 0.25 * INCH  # beyond the bleed: where crop marks are drawn


@dataclass(frozen=True)
class Design:
    """One trim's geometry, in millimetres and points."""

    label: str  # as summaries name it: "A4", "6 × 9 in"
    width: float
    height: float
    font_pt: float
    top: float
    bottom: float
    inside: float  # the design's inside margin: a thin book's
    outside: float
    side: float  # the side column with its gap (0: the metadata box sits in the text)
    title_pt: float  # the title page's title

    @property
    def scale(self) -> float:
        """The page's height against A4's: figure heights and openers' drops follow it."""
        return self.height / 297


TRIMS: dict[Trim, Design] = {
    "a4": Design("A4", 210, 297, 10.5, 20, 22, 22, 18, 52, 34),
    "letter": Design("Letter", 215.9, 279.4, 10.5, 20, 22, 22, 18, 52, 34),
    "8.5x11": Design("8.5 × 11 in", 215.9, 279.4, 10.5, 20, 22, 22, 18, 52, 34),
    "7x10": Design("7 × 10 in", 177.8, 254, 10, 20, 21, 17, 14, 44, 30),
    "6x9": Design("6 × 9 in", 152.4, 228.6, 10, 20, 20, 16, 14, 0, 28),
    "a5": Design("A5", 148, 210, 9.5, 20, 20, 16, 14, 0, 26),
    "5.5x8.5": Design("5.5 × 8.5 in", 139.7, 215.9, 9.5, 20, 20, 15, 13, 0, 26),
}

# Inside-margin minimums by page count (KDP's table, inches); Ingram asks 0.5 in at least.
GUTTER_BANDS: tuple[tuple[int, float], ...] = (
    (150, 0.375),
    (300, 0.5),
    (500, 0.625),
    (700, 0.75),
    (828, 0.875),
)
PRESS_FLOOR_MM: dict[Press, float] = {"kdp": 0.0, "ingram": 0.5 * INCH, "none": 0.0}
OUTSIDE_MIN_MM: dict[Press, float] = {"kdp": 0.25 * INCH, "ingram": 0.5 * INCH, "none": 0.0}
KDP_PAGES = (24, 828)  # the page counts KDP prints as a paperback


def gutter_band(pages: int) -> float:
    """The table's inside-margin minimum for a book of `pages` pages, in mm."""
    for most, inches in GUTTER_BANDS:
        if pages <= most:
            return inches * INCH
    return GUTTER_BANDS[-1][1] * INCH


def inside_margin(setup: PrintSetup, pages: int | None) -> float:
    """The inside margin (mm) for a book of `pages` pages (None: not known yet, a thin one)."""
    design = TRIMS[setup.trim]
    if setup.press == "none":
        return design.inside
    band = gutter_band(pages or 0)
    grown = design.inside + band - gutter_band(0)
    return round(max(grown, band, PRESS_FLOOR_MM[setup.press]), 2)


@dataclass(frozen=True)
class Geometry:
    """What one layout of the book used: the inside margin, and the stylesheet that says it."""

    inside: float
    css: str


def geometry(setup: PrintSetup, pages: int | None = None) -> Geometry:
    """The page geometry stylesheet for `setup`, for a book of `pages` pages."""
    design = TRIMS[setup.trim]
    inside = inside_margin(setup, pages)
    outside = max(design.outside, OUTSIDE_MIN_MM[setup.press])
    bleed = BLEED_MM if setup.bleed else 0.0
    marks = MARKS_ROOM_MM if setup.crop_marks else 0.0
    text = design.width - inside - outside - design.side
    area_height = design.height - design.top - design.bottom
    s = design.scale
    props = {
        "--page-width": mm(design.width),
        "--page-height": mm(design.height),
        "--top": mm(design.top),
        "--bottom": mm(design.bottom),
        "--inside": mm(inside),
        "--outside": mm(outside),
        "--bleed": mm(bleed),
        "--side": mm(design.side),
        "--meta-width": mm(max(design.side - 6, 0)),
        "--text-width": mm(text),
        "--area-height": mm(area_height),
        "--font-size": f"{design.font_pt}pt",
        "--title-size": f"{design.title_pt}pt",
        "--title-drop": mm(55 * s),
        "--part-drop": mm(60 * s),
        "--figure-1": mm(110 * s),
        "--figure-2": mm(90 * s),
        "--figure-n": mm(65 * s),
        "--author-gap": mm(30 * s),
        "--publisher-gap": mm(70 * s),
        "--contents-right": mm(min(40, text * 0.34)),
    }
    root = "".join(f"{name}: {value}; " for name, value in props.items())
    # Bleed at the top, the bottom and the outer edge; marks need room on every side.
    edge, spine = mm(bleed + marks), mm(marks)
    page = f"size: {page_size(setup)};"
    if setup.bleed or setup.crop_marks:
        page += f" bleed-top: {edge}; bleed-bottom: {edge};"
    if setup.crop_marks:
        page += " marks: crop;"
    css = f":root {{ {root}}}\n@page {{ {page} }}\n"
    if setup.bleed or setup.crop_marks:
        css += (
            f"@page :right {{ bleed-left: {spine}; bleed-right: {edge}; }}\n"
            f"@page :left {{ bleed-left: {edge}; bleed-right: {spine}; }}\n"
        )
    return Geometry(inside, css)


def page_size(setup: PrintSetup) -> str:
    """The trim as a CSS page size: '152.4mm 228.6mm'."""
    design = TRIMS[setup.trim]
    return f"{mm(design.width)} {mm(design.height)}"


def body_classes(setup: PrintSetup) -> str:
    """Classes the book's <body> gets for the trim: `one-column` where there is no side
    column, `bleed` when art may run off the page."""
    classes = [f"trim-{setup.trim.replace('.', '_')}"]
    if not TRIMS[setup.trim].side:
        classes.append("one-column")
    if setup.bleed:
        classes.append("bleed")
    return " ".join(classes)


def mm(value: float) -> str:
    """A length for CSS: '152.4mm'."""
    return f"{value:.3f}".rstrip("0").rstrip(".") + "mm"
