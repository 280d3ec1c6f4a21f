"""The preview's build: load, convert and render the book's HTML document after every change,
reconverting only the chapters whose text changed.

Input: the `BuildRequest` the command line made. Output: a `Page`, the decorated document and
the table of files it may load, or, when the content has errors, the last document that built
with the errors over it (`page.py`). Nothing is written to disk.

Markdown conversion is two thirds of the convert stage; `MemoConverter` keeps its result per
chapter text (a SHA-256 of the Markdown), so a save reconverts one chapter. Ids, links, images
and sections are resolved again for every chapter, because they depend on the other chapters
(a renamed heading changes the links to it).
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field

import jinja2

from guidebook.build import BuildRequest, build_time, prepare, print_setup, report_layout_error
from guidebook.convert.memo import MemoConverter
from guidebook.diagnostics import BookError, Diagnostic, Reporter
from guidebook.model import Asset, Book
from guidebook.render.document import BookDocument, book_document
from guidebook.serve.page import blank_document, decorate


@dataclass(frozen=True)
class Page:
    version: int  # counts rebuilds: the browser reloads when it differs from its page's
    html: bytes
    nonce: str  # the one script the page's Content-Security-Policy allows
    files: dict[str, Asset]  # what the page may load, by the relative URL it uses
    problems: tuple[Diagnostic, ...] = ()
    book: Book | None = None  # the last book that loaded, for what to watch


@dataclass
class Rebuilder:
    request: BuildRequest
    strict: bool = False
    pdf: bool = False  # the status bar links the PDF
    converter: MemoConverter = field(default_factory=MemoConverter)
    _version: int = 0
    _last: BookDocument | None = None
    _book: Book | None = None

    def rebuild(self) -> tuple[Page, str]:
        """The new page, and a line saying what was done."""
        started = time.perf_counter()
        self._version += 1
        reporter = Reporter(strict=self.strict)  # diagnostics go to the terminal as well
        problems: tuple[Diagnostic, ...] = ()
        try:
            edition = prepare(
                self.request, reporter, lambda _line: None, False, converter=self.converter
            )
            self._book = edition.book
            setup = print_setup(self.request, edition.book.config)
            self._last = book_document(edition, setup, build_time(reporter), kind="html")
            chapters = len(edition.chapters)
        except jinja2.TemplateError as exc:
            report_layout_error(exc, reporter)
            problems = tuple(reporter.errors)
        except BookError as exc:
            problems = tuple(exc.diagnostics)
        seconds = time.perf_counter() - started
        converted = self.converter.converted
        self.converter.forget_unused()
        page = self._page(list(problems))
        if problems:
            count = len(problems)
            return page, f"{count} problem{'s' if count != 1 else ''} to fix ({seconds:.2f} s)"
        return page, (
            f"rebuilt in {seconds:.2f} s ({converted} of {chapters} chapters converted, "
            f"{len(reporter.warnings)} warnings)"
        )

    def _page(self, problems: list[Diagnostic]) -> Page:
        nonce = secrets.token_urlsafe(16)
        if self._last is None:
            document, files = blank_document("guidebook preview"), {}
        else:
            document, files = self._last.html, dict(self._last.assets)
        html = decorate(document, self._version, problems, self.pdf, nonce)
        return Page(self._version, html.encode("utf-8"), nonce, files, tuple(problems), self._book)
