"""HTML target: the exact document the PDF is laid out from, with its files, for a browser."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from guidebook.contract import Needs, Output, RenderContext, Renderer
from guidebook.model import Edition, PrintSetup
from guidebook.render.document import book_document
from guidebook.render.epub import chapter_count
from guidebook.writer import MARKER, MARKER_TEXT


class HtmlTarget(Renderer):
    name = "html"
    needs = Needs()

    def render(self, context: RenderContext) -> list[Output]:
        final = context.out_dir / context.edition.book.config.output
        (folder,) = context.staging.claim([final], folder=True)
        count = render_html(context.edition, folder, context.setup, context.when)
        (folder / MARKER).write_text(MARKER_TEXT, encoding="utf-8")  # the next build may replace it
        return [Output(final, chapter_count(count))]


def render_html(edition: Edition, folder: Path, setup: PrintSetup, when: dt.datetime) -> int:
    """Write folder/index.html and its assets; return the number of chapters."""
    doc = book_document(edition, setup, when, kind="html")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text(doc.html, encoding="utf-8")
    for name, asset in doc.assets.items():
        destination = folder / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(asset.read())
    return len(doc.view.chapters)
