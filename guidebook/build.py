"""Orchestration only: load -> convert -> render each requested target, written atomically.

Every output is rendered into a staging folder inside --out and the set replaces the previous
outputs only when all targets succeeded (and, under --strict, nothing warned), so a failed or
interrupted build leaves the previous outputs untouched and no temporary files behind. The
lock, the staging and the replacement are `writer.py`'s, shared with the printables.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jinja2

from guidebook.convert import ImageOptions, convert_book
from guidebook.convert.remote import RemoteImages
from guidebook.diagnostics import Reporter, shorten
from guidebook.load import load_book
from guidebook.model import Edition, Paper, Target
from guidebook.numbers import parse_whole
from guidebook.render.document import PAPER_CSS
from guidebook.render.epub import render_epub
from guidebook.render.html import render_html
from guidebook.render.pdf import render_pdf
from guidebook.writer import MARKER as HTML_MARKER
from guidebook.writer import MARKER_TEXT as MARKER_TEXT
from guidebook.writer import Written, check_replaceable, output_folder


@dataclass(frozen=True)
class BuildOptions:
    content_dir: Path
    out_dir: Path
    formats: tuple[Target, ...] = ("pdf", "epub")
    paper: Paper | None = None
    book_file: Path | None = None
    remote_images: bool = False  # --allow-remote-images: download http(s) images once


@dataclass(frozen=True)
class Output:
    path: Path
    summary: str  # e.g. "42 pages"
    seconds: float


Progress = Callable[[str], None]

# Cheap targets first: an EPUB problem shows in seconds rather than after the long PDF render,
# and the EPUB's working memory is reused by WeasyPrint instead of adding to its peak.
RENDER_ORDER: tuple[Target, ...] = ("epub", "html", "pdf")


# The last second a zip entry (the EPUB) can be dated: its DOS timestamps end with 2107.
MAX_SOURCE_DATE_EPOCH = 4_354_819_199  # 2107-12-31 23:59:59 UTC


def build_time(reporter: Reporter) -> dt.datetime:
    """Now, or SOURCE_DATE_EPOCH when set (reproducible builds), in UTC.

    The value must be what `date +%s` prints: ASCII digits, at most MAX_SOURCE_DATE_EPOCH.
    Anything else ('abc', '-5', '1e9', '١٧٠٠٠٠٠٠٠٠', a value past 2107) is a warning and the
    build uses the current time; the variable is then removed from the environment, because
    WeasyPrint's font code (fontTools) reads it too, and workers inherit it, and `int('abc')`
    there would end the render with a traceback. An empty value counts as not set.
    """
    raw = os.environ.get("SOURCE_DATE_EPOCH")
    epoch = parse_whole(raw, MAX_SOURCE_DATE_EPOCH) if raw is not None else None
    if epoch is not None:
        return dt.datetime.fromtimestamp(epoch, dt.UTC).replace(tzinfo=None)
    if raw is not None:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
        if raw.strip():
            reporter.warning(
                f"SOURCE_DATE_EPOCH={shorten(raw)!r}: not a Unix time (whole seconds since "
                f"1970, at most {MAX_SOURCE_DATE_EPOCH}); using the current time"
            )
    return dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)


def prepare(
    options: BuildOptions, reporter: Reporter, progress: Progress, for_print: bool | None = None
) -> Edition:
    """Load and convert; raise BookError if the content has errors.

    `for_print` checks images against their printed size (default: when a PDF is wanted).
    """
    started = time.perf_counter()
    book = load_book(options.content_dir, options.book_file, reporter)
    reporter.check()
    progress(
        f"loaded {len(book.chapters)} chapters in {len(book.parts)} part(s) "
        f"({time.perf_counter() - started:.2f} s)"
    )
    started = time.perf_counter()
    images = ImageOptions(
        remote=RemoteImages() if options.remote_images else None,
        for_print="pdf" in options.formats if for_print is None else for_print,
    )
    edition = convert_book(book, reporter, images)
    reporter.check()
    progress(
        f"converted {len(edition.chapters)} chapters, {len(edition.assets)} images "
        f"({time.perf_counter() - started:.2f} s)"
    )
    return edition


def build_book(
    options: BuildOptions, reporter: Reporter, progress: Progress, written: Written | None = None
) -> list[Output]:
    """Render every requested target into staging, then replace the previous outputs as a set
    (`writer.py`); `written` records what is in place if anything fails on the way."""
    edition = prepare(options, reporter, progress)
    when = build_time(reporter)
    paper = options.paper or edition.book.config.paper
    name = edition.book.config.output
    targets = sorted(options.formats, key=RENDER_ORDER.index)
    finals = {t: options.out_dir / (name if t == "html" else f"{name}.{t}") for t in targets}
    outputs: list[Output] = []
    with output_folder(options.out_dir, reporter, written or Written()) as staging:
        for target in targets:  # refuse before rendering, not after minutes of it
            check_replaceable(options.out_dir, finals[target], target == "html", reporter)
        reporter.check()
        for target in targets:
            started = time.perf_counter()
            progress(f"rendering {target}...")
            temp = staging.path_for(finals[target])
            summary = _render(target, edition, temp, paper, when, reporter)
            outputs.append(Output(finals[target], summary, time.perf_counter() - started))
        reporter.check()  # --strict: renderer warnings fail the build before anything moves
        staging.commit([output.path for output in outputs])
    return outputs


def _render(
    target: Target,
    edition: Edition,
    temp: Path,
    paper: Paper,
    when: dt.datetime,
    reporter: Reporter,
) -> str:
    """Write one target to `temp`; return its summary ("42 pages, A4")."""
    try:
        if target == "pdf":
            result = render_pdf(edition, temp, paper, when, reporter)
            return f"{result.pages} pages, {PAPER_CSS[paper]}"
        if target == "epub":
            return _chapters(render_epub(edition, temp, when))
        summary = _chapters(render_html(edition, temp, paper, when))
        (temp / HTML_MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        return summary
    except jinja2.TemplateError as exc:
        _layout_error(exc, reporter)
        raise  # not reached: _layout_error raises BookError


def _chapters(count: int) -> str:
    return f"{count} chapter{'s' if count != 1 else ''}"


def _layout_error(exc: jinja2.TemplateError, reporter: Reporter) -> None:
    filename: str | None = getattr(exc, "filename", None)  # set on syntax errors only
    line: int | None = getattr(exc, "lineno", None)
    where = Path(filename) if filename else None
    reporter.error(
        f"layout: {exc.message or type(exc).__name__}; fix the template or remove the override",
        where,
        line,
    )
    reporter.check()
