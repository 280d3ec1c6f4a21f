"""Stage 1, load: a content folder (and optional book file) -> `Book`.

Two steps, one module each: `chapters.py` turns the folder's Markdown files into `Chapter`s
(front matter, title, exercise metadata, kind, slug); `order.py` puts them into the book's
`Part`s as the book file says (or by default: exercises by body part, then guides).
"""

from __future__ import annotations

from pathlib import Path

from guidebook.config import find_book_file, load_config
from guidebook.diagnostics import Reporter
from guidebook.load.chapters import load_chapters
from guidebook.load.order import order_chapters, read_order
from guidebook.model import Book
from guidebook.names import assign_anchors

__all__ = ["load_book"]


def load_book(content_dir: Path, book_path: Path | None, reporter: Reporter) -> Book:
    content_dir = content_dir.resolve()
    if not content_dir.is_dir():
        what = "is not a folder" if content_dir.exists() else "does not exist"
        reporter.error(
            f"content folder '{content_dir}' {what}; give the folder that holds the chapters "
            "(--content DIR)"
        )
        reporter.check()
    book_file = load_config(book_path or find_book_file(content_dir), reporter)
    chapters = load_chapters(content_dir, reporter)
    parts = order_chapters(chapters, read_order(book_file, reporter), reporter)
    return Book(book_file.config, assign_anchors(parts), content_dir)
