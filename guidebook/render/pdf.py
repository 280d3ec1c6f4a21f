"""PDF target: the book document laid out by WeasyPrint in the build's session.

After layout, the figure pass (`holes.py`) moves or shrinks the figure blocks that left a
hole and lays the book out again; everything below is read from that final layout. We know
on which page the main matter starts; a finisher writes /PageLabels so that viewers show
roman numbers for the front matter and arabic from chapter one, matching the printed folios
(WeasyPrint does not write page labels itself).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pydyf

from guidebook.contract import Needs, Output, RenderContext, Renderer
from guidebook.diagnostics import Reporter
from guidebook.model import Edition, Paper
from guidebook.render.document import book_document
from guidebook.render.holes import Settled, settle
from guidebook.render.session import PAPERS, Session, captured


class PdfTarget(Renderer):
    name = "pdf"
    needs = Needs(print_images=True)

    def render(self, context: RenderContext) -> list[Output]:
        final = context.out_dir / f"{context.edition.book.config.output}.pdf"
        (path,) = context.staging.claim([final])
        result = render_pdf(
            context.edition, path, context.paper, context.when, context.reporter, context.session
        )
        return [Output(final, f"{result.pages} pages, {PAPERS[context.paper].css}")]


@dataclass(frozen=True)
class PdfResult:
    pages: int
    chapter_pages: dict[str, int]  # slug -> 0-based page index where the chapter starts
    front_pages: int
    figures: Settled  # what the figure pass did


def render_pdf(
    edition: Edition,
    path: Path,
    paper: Paper,
    when: dt.datetime,
    reporter: Reporter,
    session: Session | None = None,
) -> PdfResult:
    """Write the book's PDF to `path`; WeasyPrint's warnings become the reporter's."""
    session = session or Session()
    doc = book_document(edition, paper, when)
    with captured(reporter.warning, doc.assets):
        draft = session.draft(doc.html, doc.assets)
        document, settled = settle(draft)
        starts = _anchor_pages(
            document, {ch.anchor for ch in doc.view.chapters} | {doc.view.first_main_id}
        )
        front = starts.get(doc.view.first_main_id, 0)
        document.write_pdf(path, finisher=_page_labels(front))
    for url in dict.fromkeys(draft.fetcher.refused):
        reporter.warning(
            f"the PDF renderer was refused '{url}' (only the book's own files may be loaded)"
        )
    pages = len(document.pages)
    chapters = {ch.slug: starts[ch.anchor] for ch in doc.view.chapters if ch.anchor in starts}
    return PdfResult(pages, chapters, front, settled)


def _anchor_pages(document: Any, wanted: set[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, page in enumerate(document.pages):
        for anchor in page.anchors:
            if anchor in wanted and anchor not in found:
                found[anchor] = index
    return found


def _page_labels(front_pages: int) -> Any:
    def finish(_document: Any, pdf: Any) -> None:
        nums = pydyf.Array()
        if front_pages:
            nums.extend([0, pydyf.Dictionary({"S": "/r"})])
        nums.extend([front_pages, pydyf.Dictionary({"S": "/D"})])
        pdf.catalog["PageLabels"] = pydyf.Dictionary({"Nums": nums})

    return finish
