"""PDF target: the book document laid out by WeasyPrint in the build's session.

After layout, the figure pass (`holes.py`) moves or shrinks the figure blocks that left a
hole and lays the book out again; everything below is read from that final layout. With a
print-on-demand preset the inside margin depends on the page count (`trim.py`): when the
count lands in another band than the margin assumed, the book is laid out again with the
band's margin, until the two agree.

We know on which page the main matter starts; a finisher writes /PageLabels so that viewers
show roman numbers for the front matter and arabic from chapter one, matching the printed
folios (WeasyPrint does not write page labels itself), and sets each page's BleedBox to the
real bleed (`trim.py` says why WeasyPrint's is not).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from guidebook import progressbar
from guidebook import workers as worker_processes
from guidebook.contract import Needs, Output, RenderContext, Renderer
from guidebook.diagnostics import Reporter
from guidebook.model import Edition, PrintSetup
from guidebook.render import chunkplan, parallel
from guidebook.render.chunkcache import ChunkCache
from guidebook.render.cmyk import is_pdfx
from guidebook.render.conductor import OneProcess
from guidebook.render.context import book_view
from guidebook.render.document import BookDocument, book_document
from guidebook.render.finish import Finisher
from guidebook.render.holes import Settled, settle
from guidebook.render.pagemap import PageMap, page_map
from guidebook.render.paper import for_paper
from guidebook.render.session import Draft, Session, captured
from guidebook.render.trim import KDP_PAGES, TRIMS, geometry

MAX_MARGIN_LAYOUTS = 4  # the bands a page count can climb through before we settle
CHUNK_TIME = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)  # what a chunk's own file is dated


class PdfTarget(Renderer):
    name = "pdf"
    needs = Needs(print_images=True)

    def render(self, context: RenderContext) -> list[Output]:
        final = context.out_dir / f"{context.edition.book.config.output}.pdf"
        (path,) = context.staging.claim([final])
        result = render_pdf(
            context.edition,
            path,
            context.setup,
            context.when,
            context.reporter,
            context.session,
            context.inputs.workers,
            context.inputs.layout_cache,
        )
        if result.keep is not None:
            context.handover.once_in_place.append(result.keep)
        if result.how:
            context.progress(f"PDF laid out in {result.how}")
        context.handover.print_pages = result.page_map
        return [Output(final, describe(context.setup, result))]


@dataclass(frozen=True)
class PdfResult:
    pages: int
    chapter_pages: dict[str, int]  # slug -> 0-based page index where the chapter starts
    front_pages: int
    figures: Settled  # what the figure pass did
    inside: float = 0.0  # the inside margin the pages have, mm
    page_map: PageMap | None = None  # where each main-matter page begins, for the EPUB
    keep: Callable[[], None] | None = None  # records the layout cache, once the PDF is in place
    how: str = ""  # how it was laid out (chunks, workers, the time of each step)


def describe(setup: PrintSetup, result: PdfResult) -> str:
    """The summary line: '212 pages, 6 × 9 in, inside margin 19.2 mm (kdp), bleed'."""
    parts = [f"{result.pages} pages", TRIMS[setup.trim].label]
    if setup.press != "none":
        parts.append(f"inside margin {result.inside:.1f} mm ({setup.press})")
    parts += ["bleed"] * setup.bleed + ["crop marks"] * setup.crop_marks
    parts += [setup.variant.upper()] if setup.variant else []
    return ", ".join(parts)


def render_pdf(
    edition: Edition,
    path: Path,
    setup: PrintSetup,
    when: dt.datetime,
    reporter: Reporter,
    session: Session | None = None,
    workers: int = 1,
    cache: Path | None = None,
) -> PdfResult:
    """Write the book's PDF to `path`; WeasyPrint's warnings become the reporter's. With
    `workers` above one (0: every core) the book is laid out in chunks (`parallel.py`),
    unless it needs one layout of the whole."""
    workers = workers or worker_processes.cores()
    if chunkplan.reason_for_one_process(edition, setup, workers) is None:
        try:
            return _render_chunked(edition, path, setup, when, reporter, workers, cache)
        except OneProcess as why:
            reporter.note(f"laying the PDF out in one process: {why}")
    return _render_whole(edition, path, setup, when, reporter, session or Session())


def _render_whole(
    edition: Edition,
    path: Path,
    setup: PrintSetup,
    when: dt.datetime,
    reporter: Reporter,
    session: Session,
) -> PdfResult:
    doc = book_document(edition, setup, when)
    with captured(reporter.warning, doc.assets):
        with progressbar.pages("laying out the PDF"):
            doc, draft, document, settled = _lay_out(session, doc, setup)
        starts = _anchor_pages(
            document, {ch.anchor for ch in doc.view.chapters} | {doc.view.first_main_id}
        )
        front = starts.get(doc.view.first_main_id, 0)
        source = _source(setup)
        sections = {ch.anchor for ch in doc.view.chapters}
        sections |= {part.anchor for part in doc.view.parts if part.title}
        sections |= {index.anchor for index in doc.view.indexes}
        pages = page_map(document, sections, front, source)
        identity = f"{edition.book.config.title}|{when.isoformat()}"
        document.write_pdf(path, finisher=Finisher(front, setup, identity), **pdf_options(setup))
    _refused(draft.fetcher.refused, reporter)
    count = len(document.pages)
    _press_checks(setup, count, reporter)
    chapters = {ch.slug: starts[ch.anchor] for ch in doc.view.chapters if ch.anchor in starts}
    return PdfResult(count, chapters, front, settled, doc.geometry.inside, pages)


def _render_chunked(
    edition: Edition,
    path: Path,
    setup: PrintSetup,
    when: dt.datetime,
    reporter: Reporter,
    workers: int,
    cache_folder: Path | None,
) -> PdfResult:
    """The book laid out in chunks by `workers` processes and joined: the same pages as
    `_render_whole` (the inside margin is chosen from the page count the same way). Chunks
    are laid out with a fixed date, so that a chunk can come from `cache_folder` in a later
    build; the join dates the book (PDF/X chunks carry the date in their XMP: never reused)."""
    view = book_view(edition, when.date(), lambda doc: for_paper(doc.html))
    identity = f"{edition.book.config.title}|{when.isoformat()}"
    finisher = Finisher(0, setup, identity if is_pdfx(setup) else "", labels=False)
    chunk_time = when if is_pdfx(setup) else CHUNK_TIME
    cache = ChunkCache.load(cache_folder) if cache_folder else None
    if cache and cache.notice:
        reporter.note(cache.notice)
    page = geometry(setup)
    for tries in range(MAX_MARGIN_LAYOUTS + 1):
        with parallel.scratch(path.parent) as folder:
            laid, written, fresh = parallel.render_chunks(
                edition, setup, chunk_time, reporter, workers, page, Path(folder),
                pdf_options(setup), finisher, view, cache,
            )  # fmt: skip
            wanted = geometry(setup, laid.pages)
            if wanted.inside > page.inside and tries < MAX_MARGIN_LAYOUTS:
                page = wanted
                continue
            clock = time.perf_counter()
            count = parallel.join_chunks(laid, written, path, when)
            laid.times["joined"] = time.perf_counter() - clock
            if cache:
                front = laid.front
                folios = {name: at - front + 1 for name, at in laid.anchors.items() if at >= front}
                cache.stage(fresh, folios)
        break
    _refused([url for w in written for url in w.refused], reporter)
    _press_checks(setup, count, reporter)
    chapters = {
        ch.slug: laid.anchors[ch.anchor] for ch in view.chapters if ch.anchor in laid.anchors
    }
    pages = replace(laid.page_map, source=_source(setup)) if laid.page_map else None
    keep = cache.commit if cache else None
    steps = ", ".join(f"{step} {seconds:.1f} s" for step, seconds in laid.times.items())
    how = (f"{laid.chunks} chunks ({laid.reused} from the layout cache) on {laid.workers} "
           f"workers: {steps}")  # fmt: skip
    return PdfResult(count, chapters, laid.front, laid.settled, page.inside, pages, keep, how)


def _source(setup: PrintSetup) -> str:
    return f"the PDF edition, {TRIMS[setup.trim].label}"


def _refused(urls: list[str], reporter: Reporter) -> None:
    for url in dict.fromkeys(urls):
        reporter.warning(
            f"the PDF renderer was refused '{url}' (only the book's own files may be loaded)"
        )


def _lay_out(
    session: Session, doc: BookDocument, setup: PrintSetup
) -> tuple[BookDocument, Draft, Any, Settled]:
    """The book laid out with the inside margin its page count asks for. The margin is chosen
    from a first layout's count, before the figure pass (which moves the count by a page or
    two), and checked again after it. A margin only grows: the count could otherwise swing
    between two bands."""
    for tries in range(MAX_MARGIN_LAYOUTS + 1):
        draft = session.draft(doc.html, doc.assets, options=pdf_options(setup))
        document, settled = draft.layout(), None
        while True:
            wanted = geometry(setup, len(document.pages))
            wider = doc.regeometried(wanted) if wanted.inside > doc.geometry.inside else doc
            if wider is not doc and tries < MAX_MARGIN_LAYOUTS:
                doc = wider
                break  # lay out again with the wider margin
            if settled is not None:
                return doc, draft, document, settled
            document, settled = settle(draft, first=document)
    raise AssertionError("unreachable: the last try returns")


def pdf_options(setup: PrintSetup) -> dict[str, Any]:
    """WeasyPrint's options for the book's PDF: the variant, when one is asked for, brings its
    own (PDF/UA-1: PDF 1.7 and a structure tree; PDF/X: an output intent)."""
    return {"pdf_variant": setup.variant} if setup.variant else {}


def _press_checks(setup: PrintSetup, pages: int, reporter: Reporter) -> None:
    """What a print-on-demand service would refuse, said before the upload does."""
    if setup.press == "none":
        return
    least, most = KDP_PAGES
    if setup.press == "kdp" and not least <= pages <= most:
        reporter.warning(
            f"the PDF has {pages} pages; KDP prints paperbacks of {least} to {most} pages "
            "(split the book, or choose another trim)"
        )
    if setup.crop_marks:
        reporter.warning(
            f"crop marks are on, and {setup.press.upper()} refuses interiors with marks; "
            "leave out --crop-marks (or crop_marks) for the upload"
        )


def _anchor_pages(document: Any, wanted: set[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, page in enumerate(document.pages):
        for anchor in page.anchors:
            if anchor in wanted and anchor not in found:
                found[anchor] = index
    return found
