"""The one-document HTML of the book, shared by the PDF and the `html` target."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from markupsafe import Markup

from guidebook.indexes import BookIndex
from guidebook.model import Asset, Edition, PrintSetup
from guidebook.render.cmyk import is_pdfx, pdfx_assets
from guidebook.render.context import BookView, book_view
from guidebook.render.paper import for_paper
from guidebook.render.resources import STYLESHEETS, static_assets, template_env
from guidebook.render.trim import Geometry, body_classes, geometry, page_size


@dataclass(frozen=True)
class BookDocument:
    html: str
    view: BookView
    assets: dict[str, Asset]  # every file the document may load, by its relative URL
    geometry: Geometry  # the page geometry its <style id="geometry"> holds

    def regeometried(self, new: Geometry) -> BookDocument:
        """The same document with another page geometry (a wider inside margin)."""
        old = _style(self.geometry)
        if self.html.count(old) != 1:  # a layout override that dropped or repeated it
            return self
        return replace(self, html=self.html.replace(old, _style(new)), geometry=new)


def _style(geo: Geometry) -> str:
    return f'<style id="geometry">{geo.css}</style>'


@dataclass(frozen=True)
class Chunk:
    """A run of the book laid out on its own (`render/parallel.py`): the units it prints (the
    anchors of its parts and chapters, plus FRONT and BACK for the front and back matter).
    A chunk ends with the first unit of the next, laid out to see where that one begins; the
    indexes, slow to lay out, are only shown as `back_shell`, the first without entries."""

    units: frozenset[str]
    css: str = ""  # the side it starts on: filled in by the worker (`chunked.lay_out`)
    back_shell: BookIndex | None = None  # the first index, empty: where the chunk's pages end

    @property
    def front(self) -> bool:
        return FRONT in self.units

    @property
    def back(self) -> bool:
        return BACK in self.units


FRONT, BACK = "guidebook:front", "guidebook:back"  # not XML names: no anchor can take them


def book_document(
    edition: Edition, setup: PrintSetup, when: dt.datetime, kind: str = "pdf"
) -> BookDocument:
    """The book as one HTML document for `kind` (pdf or html), and the files it may load."""
    # Paper shows each external link's address (paper.py); the screen (html) needs none.
    view = book_view(
        edition, when.date(), (lambda doc: for_paper(doc.html)) if kind == "pdf" else None
    )
    page = geometry(setup)
    html = book_html(edition, view, setup, when, page, kind)
    return BookDocument(html, view, book_assets(edition, setup, kind), page)


def book_assets(edition: Edition, setup: PrintSetup, kind: str = "pdf") -> dict[str, Asset]:
    """Every file the book's document may load, by its relative URL (for PDF/X, stylesheets
    with CMYK colours)."""
    assets = {a.name: a for a in (*static_assets(kind), *edition.assets)}
    if kind == "pdf" and is_pdfx(setup):
        assets = pdfx_assets(assets, STYLESHEETS[kind])
    return assets


def book_html(
    edition: Edition,
    view: BookView,
    setup: PrintSetup,
    when: dt.datetime,
    page: Geometry,
    kind: str = "pdf",
    chunk: Chunk | None = None,
) -> str:
    """The book's layout rendered: the whole book, or only `chunk` of it."""
    cfg = edition.book.config
    return (
        template_env(edition.book)
        .get_template("pdf/book.html.j2")
        .render(
            book=view,
            created=when.strftime("%Y-%m-%dT%H:%M:%SZ"),
            stylesheets=STYLESHEETS[kind],
            geometry=Markup(page.css),  # our own CSS, from numbers
            paper=page_size(setup),  # "152.4mm 228.6mm": for overrides written before trims
            trim_classes=body_classes(setup),
            chapter_start=cfg.chapter_start,
            part_pages=cfg.chapter_start == "right",
            chunk=chunk,
        )
    )
