"""Orchestration only: load and convert once, then render every requested target as one set.

`build` reads top to bottom: the book is loaded and converted (`prepare`), the program and
roster read when given, and each target (`targets.py`) renders into one staging folder inside
--out. The set replaces the previous outputs only when every target succeeded (and, under
--strict, nothing warned), so a failed or interrupted build leaves the previous outputs
untouched and no temporary files behind (`writer.py`). Targets that print chosen chapters
(handouts, sheets, cards) show only what the content says about those chapters.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import dataclass, replace
from pathlib import Path

import jinja2

from guidebook.cache import CACHE_FILE, OutputCache
from guidebook.contract import Output, Progress, RenderContext, Renderer
from guidebook.convert import ImageOptions, convert_book
from guidebook.convert.markdown import MarkdownConverter
from guidebook.convert.memo import MemoConverter
from guidebook.convert.prefetch import prefetch
from guidebook.convert.remote import RemoteImages
from guidebook.diagnostics import BookError, Reporter, UsageError, display_path, shorten
from guidebook.load import load_book
from guidebook.model import BookConfig, Edition, Press, PrintSetup, Target, Trim
from guidebook.numbers import parse_whole
from guidebook.printables.inputs import read_inputs
from guidebook.render.resources import layout_folders
from guidebook.targets import REGISTRY
from guidebook.workers import cores
from guidebook.writer import Written, output_folder


@dataclass(frozen=True)
class BuildRequest:
    content_dir: Path
    out_dir: Path = Path("build")
    targets: tuple[Target, ...] = ("pdf", "epub")
    paper: Trim | None = None  # the trim; default: the book's
    press: Press | None = None  # print-on-demand preset; default: the book's
    bleed: bool | None = None  # default: the book's
    crop_marks: bool | None = None
    pdf_variant: str | None = None
    book_file: Path | None = None
    remote_images: bool = False  # --allow-remote-images: download http(s) images once
    slugs: tuple[str, ...] = ()  # handouts and sheets of these chapters only
    program: Path | None = None  # for session cards
    roster: Path | None = None  # athletes: one sheet or card each
    workers: int = 0  # processes for the PDF's layout and the printables; 0: every core
    cache: Path | None = None  # the PDF's layout cache; default: <out>/.guidebook-chunks
    no_cache: bool = False  # --no-cache: lay out every chunk, keep nothing


def build(
    request: BuildRequest, reporter: Reporter, progress: Progress, written: Written | None = None
) -> list[Output]:
    """Every requested target from one load; `written` records what is in place if anything
    fails on the way (for the closing message)."""
    targets = [target for name, target in REGISTRY.items() if name in request.targets]
    found = Reporter(sink=None)  # what the content says, shown once we know what is printed
    cache = None if request.no_cache else request.cache or request.out_dir / LAYOUT_CACHE
    converter = MemoConverter.load(cache) if cache else MemoConverter()
    if converter.notice:
        reporter.note(converter.notice)
    print_images = any(t.needs.print_images for t in targets)
    try:
        edition = prepare(request, found, progress, print_images, converter, jobs(request))
    except BookError:
        _pass_on(found, reporter, unprinted=set())
        reporter.check()
        raise
    when = build_time(reporter)
    inputs = read_inputs(
        edition, reporter, request.slugs, request.program, request.roster, request.workers, cache
    )
    outputs: list[Output] = []
    with output_folder(request.out_dir, reporter, written or Written()) as staging:
        context = RenderContext(
            edition,
            inputs,
            print_setup(request, edition.book.config),
            when,
            request.out_dir,
            staging,
            reporter,
            progress,
        )
        printed = {slug for target in targets for slug in target.chapters(context)}
        unprinted = {d.chapter.path for d in edition.chapters if d.chapter.slug not in printed}
        _pass_on(found, reporter, unprinted)
        reporter.check()
        for target in targets:
            started = time.perf_counter()
            progress(f"rendering {target.name}...")
            made = _render(target, context)
            seconds = time.perf_counter() - started
            book_file = len(made) == 1 and made[0].key is None  # printables are counted
            outputs += [replace(made[0], seconds=seconds)] if book_file else made
        reporter.check()  # --strict: renderer warnings fail the build before anything moves
        staging.commit([output.path for output in outputs if not output.unchanged])
        for keep in context.handover.once_in_place:
            keep()
        if cache:
            converter.save(cache)
        if not OutputCache.load(request.out_dir).remember(outputs):
            reporter.note(
                f"cannot record what the outputs were made from in {CACHE_FILE}; "
                "the next build renders them again"
            )
    return outputs


def print_setup(request: BuildRequest, config: BookConfig) -> PrintSetup:
    """How the PDF is made: the command line's choices over the book file's."""
    return PrintSetup(
        trim=request.paper or config.paper,
        press=request.press or config.press,
        bleed=config.bleed if request.bleed is None else request.bleed,
        crop_marks=config.crop_marks if request.crop_marks is None else request.crop_marks,
        variant=request.pdf_variant or config.pdf_variant,
    )


def jobs(request: BuildRequest) -> int:
    """The worker processes the build may start (`-j`; 0 means one per core)."""
    return request.workers or cores()


def prepare(
    request: BuildRequest,
    reporter: Reporter,
    progress: Progress,
    print_images: bool = True,
    converter: MarkdownConverter | None = None,
    workers: int = 1,
) -> Edition:
    """Load and convert; raise BookError if the content has errors. With `print_images`,
    images are checked against their printed size too; `converter` is kept between builds (a
    `MemoConverter` remembers conversions); with `workers` > 1, a big book's Markdown and
    images are done ahead in that many processes (`convert/prefetch.py`)."""
    started = time.perf_counter()
    book = load_book(request.content_dir, request.book_file, reporter)
    reporter.check()
    progress(
        f"loaded {len(book.chapters)} chapters in {len(book.parts)} part(s) "
        f"({time.perf_counter() - started:.2f} s)"
    )
    started = time.perf_counter()
    ahead = prefetch(book, converter, workers) if isinstance(converter, MemoConverter) else None
    images = ImageOptions(
        remote=RemoteImages() if request.remote_images else None,
        print_images=print_images,
        checked=ahead.checked if ahead else {},
    )
    try:
        edition = convert_book(book, reporter, images, converter)
    finally:
        if ahead:
            ahead.close()
    reporter.check()
    kept = ""
    if isinstance(converter, MemoConverter):
        kept = f" ({len(edition.chapters) - converter.converted} from the cache)"
    progress(
        f"converted {len(edition.chapters)} chapters{kept}, {len(edition.assets)} images "
        f"({time.perf_counter() - started:.2f} s)"
    )
    return edition


LAYOUT_CACHE = ".guidebook-chunks"  # the PDF's laid-out chunks, inside the output folder

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


def _pass_on(found: Reporter, reporter: Reporter, unprinted: set[Path]) -> None:
    """Pass on what the content said: errors always, warnings and notes unless they are about
    a chapter no target prints."""
    say = {"error": reporter.error, "warning": reporter.warning, "note": reporter.note}
    for diagnostic in found.diagnostics:
        if diagnostic.severity == "error" or diagnostic.path not in unprinted:
            say[diagnostic.severity](diagnostic.message, diagnostic.path, diagnostic.line)


def _render(target: Renderer, context: RenderContext) -> list[Output]:
    """The target's outputs; a mistake in a layout override is the user's, reported at its line.
    So is a layout WeasyPrint cannot lay out (an override's CSS can reach corners of its code
    that raise, e.g. a leader inside an inline block): one error, never a traceback."""
    try:
        return target.render(context)
    except jinja2.TemplateError as exc:
        report_layout_error(exc, context.reporter)
        context.reporter.check()
        raise  # not reached: check raises BookError
    except (BookError, OSError, UsageError):
        raise
    except (ValueError, TypeError, AttributeError, IndexError, KeyError, AssertionError) as exc:
        overrides = layout_folders(context.edition.book)[:-1]  # the last is the built-in
        if not overrides:
            raise  # the built-in layout: our bug, shown as one
        context.reporter.error(
            f"the {target.name} renderer failed on this layout ({type(exc).__name__}: "
            f"{shorten(str(exc), 120)}); check the CSS of the layout overrides in "
            f"{display_path(overrides[0])}, or move them aside to see whether the built-in "
            "layout builds"
        )
        context.reporter.check()
        raise  # not reached


def report_layout_error(exc: jinja2.TemplateError, reporter: Reporter) -> None:
    """A template's mistake as the user's error, at the template's line when Jinja knows it."""
    filename: str | None = getattr(exc, "filename", None)  # set on syntax errors only
    line: int | None = getattr(exc, "lineno", None)
    reporter.error(
        f"layout: {exc.message or type(exc).__name__}; fix the template or remove the override",
        Path(filename) if filename else None,
        line,
    )
