"""The book's PDF laid out in chunks by worker processes, then joined (`-j N`).

1. **Plan.** The book is cut at its units: the front matter (title page, copyright, contents),
   each part opener and chapter, the indexes. Runs of units make chunks of about equal weight,
   several per worker, so that the work stays balanced and a worker never holds more than its
   share of the book's boxes.
2. **Lay out.** Each worker lays out its chunks (`chunked.lay_out`, with the figure pass), each
   from a guessed first page number and side and guessed pages for the anchors it refers to in
   other chunks, and sends back its page count and where its anchors are.
3. **Number.** With every chunk's count the real numbers follow: chapter one is page 1, each
   chunk starts where the one before ended. Each chunk whose guesses were wrong gets the real
   ones (`Laid.renumber`: WeasyPrint re-makes only the pages whose text changes; a chunk whose
   first page changes side is laid out again). This repeats until nothing moves: a reference
   that grows a digit can push a line, and a page, further.
4. **Write and join.** Each worker writes its chunks and forgets them; the parent joins the
   files (`join.py`) with the bookmarks, destinations and page labels of one document.

The scheduler talks to its workers through queues, and the workers are started by a
`concurrent.futures` executor: another executor (a cluster's) could run them elsewhere, as
long as the queues reach it (`benchmarks/README.md` says what that would take).

What a chunk cannot see is said here once. Our layout's running heads take the book's title
from the title page, so each chunk is given it. `counter(pages)` and `target-text()` in a
layout override's CSS need the whole book in one layout, as does a tagged PDF (PDF/UA: one
structure tree) and an overridden `pdf/book.html.j2` (it does not know about chunks): those
books are laid out in one process (`reason_for_one_process`).
"""

from __future__ import annotations

import datetime as dt
import math
import multiprocessing
import os
import queue
import tempfile
from collections.abc import Sequence
from concurrent import futures
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from guidebook import progressbar
from guidebook import workers as workers_
from guidebook.diagnostics import Reporter
from guidebook.model import Asset, Edition, PrintSetup
from guidebook.render.chunked import ChunkJob, Facts, Written, lay_out, references, write
from guidebook.render.context import BookView
from guidebook.render.document import BACK, FRONT, Chunk, book_html
from guidebook.render.holes import Settled
from guidebook.render.join import Part, join
from guidebook.render.pagemap import PageMap, joined_map
from guidebook.render.renumber import check_internals
from guidebook.render.resources import layout_folders, static_assets
from guidebook.render.session import Session, captured
from guidebook.render.trim import Geometry

CHUNKS_PER_WORKER = 4  # more: better balance, less held per worker; fewer: less repeated work
MAX_ROUNDS = 6  # numbering rounds before we give up and lay the book out in one process
WAIT = 1.0  # seconds between looks at the workers while waiting for a message
ONE_PROCESS_CSS = ("counter(pages", "counters(pages", "target-text(")


class OneProcess(Exception):
    """The chunks did not settle: lay the book out in one process instead."""


@dataclass(frozen=True)
class Unit:
    anchor: str  # FRONT, BACK, or a part's or chapter's anchor
    first: str | None  # the anchor on its first page (None: the front matter)
    weight: int  # a rough measure of its length: characters, and more for each image
    right: bool  # it always starts on a right-hand page (a guess from the book's settings)


@dataclass(frozen=True)
class Plan:
    jobs: list[ChunkJob]  # in book order: the front matter first, the indexes last
    worker_of: dict[int, int]  # chunk id -> worker
    estimate: int  # pages the book is guessed to have


@dataclass(frozen=True)
class Laid:
    """The whole book, numbered, written in chunk files."""

    pages: int
    front: int
    anchors: dict[str, int]  # anchor -> index of its page in the book
    settled: Settled
    page_map: PageMap | None


def reason_for_one_process(edition: Edition, setup: PrintSetup, workers: int) -> str | None:
    """Why this book must be laid out in one process, or None when chunks will do."""
    if workers <= 1:
        return "one worker"
    if setup.variant == "pdf/ua-1":
        return "a tagged PDF (PDF/UA-1) has one structure tree for the whole book"
    if not check_internals():
        return "this WeasyPrint release lays out differently from the one guidebook knows"
    if any(
        (folder / "pdf" / "book.html.j2").is_file() for folder in layout_folders(edition.book)[:-1]
    ):
        return "the book's own pdf/book.html.j2 lays out the whole book"
    styles = [a for a in (*static_assets("pdf"), *edition.assets) if a.name.endswith(".css")]
    for asset in styles:
        text = asset.read().decode("utf-8", "replace")
        if any(word in text for word in ONE_PROCESS_CSS):
            return f"{asset.name} uses counter(pages) or target-text(), which need the whole book"
    if len(edition.chapters) < 2:
        return "a book of one chapter"
    return None


def render_chunks(
    edition: Edition,
    setup: PrintSetup,
    when: dt.datetime,
    reporter: Reporter,
    workers: int,
    page: Geometry,
    folder: Path,
    options: dict[str, Any],
    finisher: Any,
    view: BookView,
) -> tuple[Laid, list[Written]]:
    """Lay the book out in chunks over `workers` processes and write each chunk's PDF into
    `folder`; `finisher` is WeasyPrint's finisher for each file (it must pickle)."""
    plan = _plan(edition, view, setup, when, page, workers)
    assets = {a.name: a for a in (*static_assets("pdf"), *edition.assets)}
    title = view.title
    context = multiprocessing.get_context("fork")  # workers start with WeasyPrint imported
    count = len(set(plan.worker_of.values()))
    pool = futures.ProcessPoolExecutor(
        count, mp_context=context, initializer=workers_.started, initargs=(os.getpid(),)
    )
    manager = context.Manager()
    try:
        inboxes = [manager.Queue() for _ in range(count)]
        outbox = manager.Queue()
        running = [
            pool.submit(
                _serve,
                [job for job in plan.jobs if plan.worker_of[job.id] == worker],
                assets,
                options,
                title,
                finisher,
                inboxes[worker],
                outbox,
            )
            for worker in range(count)
        ]
        mail = _Mail(outbox, running, reporter)
        laid, written = _conduct(plan, inboxes, mail, folder)
        for future in running:
            future.result()
        return laid, written
    except BaseException:
        workers_.kill(pool)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        manager.shutdown()


def join_chunks(laid: Laid, written: list[Written], path: Path, identity: str) -> int:
    """Join the chunk files into the book's PDF at `path`; its page count."""
    parts = [Part(w.path, w.pages, w.names, w.bookmarks) for w in written]
    return join(parts, path, laid.front, identity)


# --- the plan ----------------------------------------------------------------------------------


def _units(edition: Edition, view: BookView) -> list[Unit]:
    cfg = edition.book.config
    part_pages = cfg.chapter_start == "right"
    units = [Unit(FRONT, None, 4000, True)]
    for part in view.parts:
        if part.title and part_pages:
            units.append(Unit(part.anchor, part.anchor, 1500, True))
        for ch in part.chapters:
            right = (
                ch.first
                or cfg.chapter_start == "right"
                or (cfg.chapter_start == "auto" and ch.kind != "exercise")
            )
            weight = len(ch.body) + 20000 * str(ch.body).count("<img")
            units.append(Unit(ch.anchor, ch.anchor, weight, right))
    if view.indexes:
        units.append(Unit(BACK, view.indexes[0].anchor, 6000, True))
    return units


def _plan(
    edition: Edition,
    view: BookView,
    setup: PrintSetup,
    when: dt.datetime,
    page: Geometry,
    workers: int,
) -> Plan:
    units = _units(edition, view)
    main = units[1:-1] if units[-1].anchor == BACK else units[1:]
    wanted = max(1, min(len(main), workers * CHUNKS_PER_WORKER))
    runs = _runs(main, wanted)
    groups = [[units[0]], *runs] + ([[units[-1]]] if units[-1].anchor == BACK else [])
    per_page = 2600  # weight of a page, for the first guesses of page numbers
    rendered, starts = [], []
    guess = 1
    for index, group in enumerate(groups):
        following = groups[index + 1][0] if index + 1 < len(groups) else None
        anchors = {unit.anchor for unit in group} | ({following.anchor} if following else set())
        html = book_html(edition, view, setup, when, page, chunk=Chunk(frozenset(anchors)))
        rendered.append((html, following, *references(html)))
        start = None if index <= 1 else guess | (1 if group[0].right else 0)
        starts.append(start)
        if index:
            guess = (start or 1) + max(1, math.ceil(sum(u.weight for u in group) / per_page))
    home = {}  # anchor -> the first folio guessed for the chunk that holds it
    for (_html, _following, _wants, holds), start in zip(rendered, starts, strict=True):
        for name in holds:
            home.setdefault(name, start or 1)
    jobs = []
    for index, ((html, following, wants, holds), start) in enumerate(zip(rendered, starts)):
        jobs.append(
            ChunkJob(
                id=index,
                html=html,
                tail=following.first if following else None,
                start=start,
                right=start is None or start % 2 == 1,
                externals={name: home[name] for name in sorted(wants - holds) if name in home},
                sections=frozenset(_sections(view, groups[index])),
                main=index > 0,
            )
        )
    return Plan(jobs, _assign(jobs, groups, workers), guess)


def _runs(units: Sequence[Unit], wanted: int) -> list[list[Unit]]:
    """`units` cut into `wanted` runs of about equal weight, in order."""
    total = sum(unit.weight for unit in units) or 1
    runs: list[list[Unit]] = [[]]
    done = 0
    for unit in units:
        if runs[-1] and done >= total * len(runs) / wanted:
            runs.append([])
        runs[-1].append(unit)
        done += unit.weight
    return runs


def _assign(jobs: list[ChunkJob], groups: list[list[Unit]], workers: int) -> dict[int, int]:
    """Chunks to workers, heaviest first, each to the least loaded (the small front and back
    chunks fill the gaps)."""
    load = [0] * min(workers, len(jobs))
    owner: dict[int, int] = {}
    weights = {job.id: sum(u.weight for u in groups[job.id]) for job in jobs}
    for job_id in sorted(weights, key=lambda i: (-weights[i], i)):
        worker = min(range(len(load)), key=lambda w: (load[w], w))
        owner[job_id] = worker
        load[worker] += weights[job_id]
    return owner


def _sections(view: BookView, group: list[Unit]) -> set[str]:
    mine = {unit.anchor for unit in group}
    found = {part.anchor for part in view.parts if part.title and part.anchor in mine}
    for part in view.parts:
        for ch in part.chapters:
            if ch.anchor in mine:
                found.add(ch.anchor)
                if part.title and ch is part.chapters[0]:
                    found.add(part.anchor)
    if BACK in mine:
        found |= {index.anchor for index in view.indexes}
    return found


# --- the conductor -----------------------------------------------------------------------------


class _Mail:
    """The workers' messages; a warning is reported once (a chunk's tail is laid out twice)."""

    def __init__(self, outbox: Any, running: list[futures.Future[None]], reporter: Reporter):
        self.outbox, self.running, self.reporter = outbox, running, reporter
        self.said: set[tuple[str, str]] = set()

    def next(self, kind: str) -> Any:
        while True:
            try:
                message = self.outbox.get(timeout=WAIT)
            except queue.Empty:
                for future in self.running:
                    if future.done():
                        future.result()  # raises what the worker raised
                        raise RuntimeError("a layout worker stopped before it was done")
                continue
            if message[0] == "warning":
                _, text, path = message
                if (text, str(path)) not in self.said:
                    self.said.add((text, str(path)))
                    self.reporter.warning(text, path)
                continue
            if message[0] == "error":
                raise message[1]
            if message[0] == kind:
                return message[1]
            raise RuntimeError(f"a layout worker said {message[0]!r} when {kind!r} was due")


def _conduct(
    plan: Plan, inboxes: list[Any], mail: _Mail, folder: Path
) -> tuple[Laid, list[Written]]:
    facts: dict[int, Facts] = {}
    with progressbar.items(plan.estimate, "laying out the PDF", "pages") as done:
        while len(facts) < len(plan.jobs):
            got: Facts = mail.next("facts")
            facts[got.id] = got
            done(got.pages)
    for _round in range(MAX_ROUNDS):
        numbers = _numbers(plan, facts)
        stale = {
            job.id: numbers[job.id]
            for job in plan.jobs
            if (facts[job.id].start, facts[job.id].right, facts[job.id].externals)
            != numbers[job.id]
        }
        if not stale:
            break
        for worker, inbox in enumerate(inboxes):
            mine = {i: n for i, n in stale.items() if plan.worker_of[i] == worker}
            if mine:
                inbox.put(("number", mine))
        for _ in stale:
            got = mail.next("facts")
            facts[got.id] = got
    else:
        raise OneProcess(f"page numbers still moved after {MAX_ROUNDS} rounds")
    for worker, inbox in enumerate(inboxes):
        paths = {
            job.id: folder / f"chunk-{job.id:04d}.pdf"
            for job in plan.jobs
            if plan.worker_of[job.id] == worker
        }
        inbox.put(("write", paths))
    written = sorted((mail.next("written") for _ in plan.jobs), key=lambda w: w.id)
    return _book(plan, facts, written), written


def _numbers(
    plan: Plan, facts: dict[int, Facts]
) -> dict[int, tuple[int | None, bool, dict[str, int]]]:
    """Each chunk's first folio and side, and the folios of the anchors it needs, from the
    page counts and anchors the chunks reported."""
    starts: dict[int, int | None] = {}
    folio = 1
    for job in plan.jobs:
        if not job.main or job.start is None:
            starts[job.id] = None
            folio = 1 + (facts[job.id].pages if job.main else 0)
            continue
        starts[job.id] = folio
        folio += facts[job.id].pages
    where: dict[str, int] = {}
    for job in plan.jobs:
        first = starts[job.id] or 1
        for name, index in facts[job.id].anchors.items():
            where.setdefault(name, first + index)
    numbers = {}
    for job in plan.jobs:
        start = starts[job.id]
        right = start is None or start % 2 == 1
        externals = {name: where[name] for name in job.externals if name in where}
        numbers[job.id] = (start, right, externals)
    return numbers


def _book(plan: Plan, facts: dict[int, Facts], written: list[Written]) -> Laid:
    anchors: dict[str, int] = {}
    offset = 0
    front = 0
    for job in plan.jobs:
        for name, index in facts[job.id].anchors.items():
            anchors.setdefault(name, offset + index)
        if not job.main:
            front = facts[job.id].pages
        offset += facts[job.id].pages
    settled = Settled()
    for fact in facts.values():
        settled.holes.extend(fact.settled.holes)
        settled.shrunk += fact.settled.shrunk
        settled.moved += fact.settled.moved
        settled.tightened += fact.settled.tightened
        settled.layouts = max(settled.layouts, fact.settled.layouts)
    pieces = [w for w in written if plan.jobs[w.id].main]
    page_map = joined_map([w.page_starts for w in pieces], [w.keys for w in pieces], "")
    return Laid(offset, front, anchors, settled, page_map)


# --- the workers -------------------------------------------------------------------------------


def _serve(
    jobs: list[ChunkJob],
    assets: dict[str, Asset],
    options: dict[str, Any],
    title: str,
    finisher: Any,
    inbox: Any,
    outbox: Any,
) -> None:
    """A worker's life: lay out its chunks, renumber them as told, write them, forget them."""
    session = Session()
    laid = {}
    try:
        with captured(lambda text, path: outbox.put(("warning", text, path)), assets):
            for job in jobs:
                laid[job.id] = lay_out(job, session, assets, options, title)
                outbox.put(("facts", laid[job.id].facts()))
            while True:
                command, orders = inbox.get()
                if command == "number":
                    for job_id, (start, right, externals) in orders.items():
                        chunk = laid[job_id]
                        if right != chunk.right:
                            chunk = lay_out(chunk.job, session, assets, options, title, start,
                                            right, externals)  # fmt: skip
                            laid[job_id] = chunk
                            outbox.put(("facts", chunk.facts()))
                        else:
                            outbox.put(("facts", chunk.renumber(start, externals)))
                elif command == "write":
                    for job_id, path in orders.items():
                        chunk = laid.pop(job_id)
                        done = write(chunk, path, finisher, options)
                        outbox.put(("written", done))
                    return
    except Exception as exc:
        try:
            outbox.put(("error", exc))
        except Exception:
            outbox.put(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))
        raise


def scratch(out_dir: Path) -> tempfile.TemporaryDirectory[str]:
    """A folder for the chunk files, beside the outputs (the same disk: joined, not copied)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    return tempfile.TemporaryDirectory(prefix=".guidebook-chunks-", dir=out_dir)
