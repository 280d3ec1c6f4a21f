"""The print cover: back, spine and front on one sheet with bleed, as print-on-demand
services take it (a separate upload from the interior).

The sheet is the trim's width twice plus the spine, by the trim's height, with 0.125 in of
bleed all round; WeasyPrint sets the TrimBox and BleedBox from the CSS bleed. The spine is as
wide as the interior is thick: its page count times the paper's thickness per page (KDP's
figures: white 0.002252 in, cream 0.0025 in; Ingram's differ a little by paper: their cover
template generator gives the exact width). So the cover is made in the same build as the
interior PDF, from its page count.

The design is the EPUB cover's (`cover.py`): dark ground, accent bar, the title in Inter. The
back holds the book's description and publisher and leaves the lower right free, where KDP
prints the ISBN barcode. The spine carries title and author, running top to bottom, only from
100 pages: thinner spines are too narrow to print on safely. A `cover:` image, when given,
fills the front panel and its bleed instead of the drawn front; under 300 dpi at that size the
build says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup
from pypdf import PdfReader

from guidebook.contract import Needs, Output, RenderContext, Renderer
from guidebook.diagnostics import Reporter
from guidebook.imagefile import inspect_image
from guidebook.model import Asset, Edition, PrintSetup
from guidebook.render.cmyk import colour_manage, is_pdfx, pdfx_assets
from guidebook.render.context import book_view
from guidebook.render.resources import STYLESHEETS, static_assets, template_env
from guidebook.render.session import Session, captured
from guidebook.render.trim import BLEED_MM, INCH, TRIMS, mm

STOCK_INCHES = {"white": 0.002252, "cream": 0.0025}  # paper thickness per page (KDP)
SPINE_TEXT_PAGES = 100  # KDP: spine text from 100 pages
SPINE_CLEAR_MM = 0.0625 * INCH  # kept free on either side of spine text
SAFE_MM = 0.375 * INCH  # text kept this far inside the trim
PRINT_DPI = 300


@dataclass(frozen=True)
class CoverSheet:
    """The cover's geometry in mm."""

    trim_width: float  # one panel
    height: float
    spine: float
    bleed: float = BLEED_MM

    @property
    def width(self) -> float:
        """Back + spine + front, without the bleed."""
        return 2 * self.trim_width + self.spine

    def front_pixels_needed(self) -> tuple[int, int]:
        """The pixels a front image needs to print at 300 dpi with its bleed."""
        width = (self.trim_width + self.bleed) / INCH * PRINT_DPI
        height = (self.height + 2 * self.bleed) / INCH * PRINT_DPI
        return round(width), round(height)


class CoverTarget(Renderer):
    name = "cover"
    needs = Needs()

    def chapters(self, context: RenderContext) -> Sequence[str]:
        return []  # prints no chapter's content

    def render(self, context: RenderContext) -> list[Output]:
        output = context.edition.book.config.output
        final = context.out_dir / f"{output}-cover.pdf"
        (path,) = context.staging.claim([final])
        # The interior this build wrote (the cover target runs after the pdf target, which
        # the command line requires with it): our own file, just made.
        interior = context.staging.path_for(context.out_dir / f"{output}.pdf")
        pages = len(PdfReader(interior).pages)
        sheet = render_cover(
            context.edition,
            context.setup,
            pages,
            path,
            context.when,
            context.reporter,
            context.session,
        )
        stock = context.edition.book.config.paper_stock
        return [
            Output(
                final,
                f"{sheet.width / INCH:.3f} × {sheet.height / INCH:.3f} in and 0.125 in of "
                f"bleed, spine {sheet.spine / INCH:.3f} in ({pages} pages, {stock} paper)",
            )
        ]


def cover_sheet(setup: PrintSetup, pages: int, stock: str) -> CoverSheet:
    design = TRIMS[setup.trim]
    spine = pages * STOCK_INCHES[stock] * INCH
    return CoverSheet(design.width, design.height, round(spine, 2))


def spine_text(pages: int, sheet: CoverSheet) -> float | None:
    """The spine's type size in points, or None when the spine is too thin to print on."""
    room = sheet.spine - 2 * SPINE_CLEAR_MM
    if pages < SPINE_TEXT_PAGES or room <= 0:
        return None
    return round(min(11.0, room * 72 / INCH * 0.7), 1)


def render_cover(
    edition: Edition,
    setup: PrintSetup,
    pages: int,
    path: Path,
    when: dt.datetime,
    reporter: Reporter,
    session: Session,
) -> CoverSheet:
    """Write the cover sheet for an interior of `pages` pages to `path`."""
    config = edition.book.config
    sheet = cover_sheet(setup, pages, config.paper_stock)
    spine_pt = spine_text(pages, sheet)
    assets = {a.name: a for a in static_assets("cover")}
    front = None
    if config.cover is not None:
        info = inspect_image(config.cover.read_bytes())  # checked when the book file was read
        front = f"images/cover{info.extension}"
        assets[front] = Asset(front, config.cover, info.media_type)
        _check_resolution(info.size, sheet, config.cover, config.path, reporter)
    design = TRIMS[setup.trim]
    geometry = (
        f"@page {{ size: {mm(sheet.width)} {mm(sheet.height)}; bleed: {mm(sheet.bleed)}; }}\n"
        f":root {{ --panel: {mm(sheet.trim_width)}; --spine: {mm(sheet.spine)}; "
        f"--height: {mm(sheet.height)}; --bleed: {mm(sheet.bleed)}; --safe: {mm(SAFE_MM)}; "
        f"--title-size: {design.title_pt * 1.15:.1f}pt; --spine-size: {spine_pt or 0}pt; }}"
    )
    html = (
        template_env(edition.book)
        .get_template("pdf/cover.html.j2")
        .render(
            book=book_view(edition, when.date(), None),
            created=when.strftime("%Y-%m-%dT%H:%M:%SZ"),
            geometry=Markup(geometry),  # our own CSS, from numbers
            spine_pt=spine_pt,
            front_image=front,
        )
    )
    options: dict[str, Any] = {}
    finisher = None
    if is_pdfx(setup):  # a printer who wants the interior as PDF/X wants the cover so too
        assets = pdfx_assets(assets, STYLESHEETS["cover"])
        options = {"pdf_variant": setup.variant}
        identity = f"{config.title}|cover|{when.isoformat()}"
        finisher = lambda _document, pdf: colour_manage(pdf, identity)  # noqa: E731
    with captured(reporter.warning, assets):
        document = session.draft(html, assets, options=options).layout()
        document.write_pdf(path, finisher=finisher, **options)
    return sheet


def _check_resolution(
    size: tuple[int, int] | None,
    sheet: CoverSheet,
    image: Path,
    book_file: Path | None,
    reporter: Reporter,
) -> None:
    if size is None:
        return
    need_w, need_h = sheet.front_pixels_needed()
    dpi = min(size[0] / need_w, size[1] / need_h) * PRINT_DPI
    if dpi < PRINT_DPI:
        reporter.warning(
            f"book file: cover: '{image.name}' is {size[0]}x{size[1]} px and prints on the "
            f"front of the print cover at {dpi:.0f} dpi; print needs {PRINT_DPI}: give at "
            f"least {need_w}x{need_h} px (the front and its bleed)",
            book_file,
        )
