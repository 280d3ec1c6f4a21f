"""PDF target: the book document rendered by WeasyPrint through the sandboxed fetcher.

After layout we know on which page the main matter starts; a finisher writes /PageLabels so
that viewers show roman numbers for the front matter and arabic from chapter one, matching
the printed folios (WeasyPrint does not write page labels itself).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pydyf
from weasyprint import HTML

from guidebook.diagnostics import Reporter, display_path
from guidebook.model import Asset, Edition, Paper
from guidebook.render.document import book_document
from guidebook.render.fetcher import BASE_URL, SandboxFetcher


@dataclass(frozen=True)
class PdfResult:
    pages: int
    chapter_pages: dict[str, int]  # slug -> 0-based page index where the chapter starts
    front_pages: int


def render_pdf(
    edition: Edition, target: Path, paper: Paper, when: dt.datetime, reporter: Reporter
) -> PdfResult:
    doc = book_document(edition, paper, when)
    fetcher = SandboxFetcher(doc.assets)
    with captured_warnings(reporter, doc.assets):
        document = HTML(string=doc.html, base_url=BASE_URL, url_fetcher=fetcher).render()
        starts = _anchor_pages(
            document, {ch.anchor for ch in doc.view.chapters} | {doc.view.first_main_id}
        )
        front = starts.get(doc.view.first_main_id, 0)
        document.write_pdf(target, finisher=_page_labels(front))
    for url in fetcher.refused:
        reporter.warning(
            f"the PDF renderer was refused '{url}' (only the book's own files may be loaded)"
        )
    pages = len(document.pages)
    chapters = {ch.slug: starts[ch.anchor] for ch in doc.view.chapters if ch.anchor in starts}
    return PdfResult(pages, chapters, front)


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


# A file WeasyPrint names in a message, as the sandbox serves it: BASE_URL + the asset's name.
_SANDBOX_URL = re.compile(re.escape(BASE_URL) + r"([^'\"\s]+)")


class _ToReporter(logging.Handler):
    def __init__(self, reporter: Reporter, assets: Mapping[str, Asset]) -> None:
        super().__init__(logging.WARNING)
        self.reporter = reporter
        self.assets = assets

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage().splitlines()[0].rstrip(": ")
        if "guidebook refused" in message:
            return  # reported once, with the URL, by render_pdf
        # Name the user's file, not the sandbox's internal address for it.
        path = None
        if (match := _SANDBOX_URL.search(message)) and (asset := self.assets.get(match[1])):
            path = asset.source
            message = message.replace(match[0], display_path(path))
        self.reporter.warning(f"PDF renderer: {message}", path)


@contextmanager
def captured_warnings(reporter: Reporter, assets: Mapping[str, Asset]) -> Iterator[None]:
    """WeasyPrint logs problems instead of raising; count them as our warnings."""
    with weasyprint_logs_to(_ToReporter(reporter, assets)):
        yield


@contextmanager
def weasyprint_logs_to(handler: logging.Handler) -> Iterator[None]:
    """Route WeasyPrint's log records to `handler` alone while the block runs."""
    logger = logging.getLogger("weasyprint")
    old_propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.propagate = old_propagate
