"""HTML target: the exact document the PDF is rendered from, with its files, for a browser."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from guidebook.model import Edition, Paper
from guidebook.render.document import book_document


def render_html(edition: Edition, folder: Path, paper: Paper, when: dt.datetime) -> int:
    """Write folder/index.html and its assets; return the number of chapters."""
    doc = book_document(edition, paper, when, target="html")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text(doc.html, encoding="utf-8")
    for name, asset in doc.assets.items():
        destination = folder / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(asset.read())
    return len(doc.view.chapters)
