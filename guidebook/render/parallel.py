"""The book's PDF laid out in chunks by worker processes, then joined (`-j N`).

1. **Plan** (`chunkplan.py`): the book cut into runs of parts and chapters, several per worker.
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
books are laid out in one process (`chunkplan.reason_for_one_process`).
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import queue
import tempfile
from concurrent import futures
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from guidebook import progressbar
from guidebook import workers as worker_processes
from guidebook.diagnostics import Reporter
from guidebook.model import Asset, Edition, PrintSetup
from guidebook.render import chunkplan
from guidebook.render.chunked import ChunkJob, Facts, Written, lay_out, write
from guidebook.render.chunkplan import Plan
from guidebook.render.context import BookView
from guidebook.render.document import book_assets
from guidebook.render.holes import Settled
from guidebook.render.join import Part, join
from guidebook.render.pagemap import PageMap, joined_map
from guidebook.render.session import Session, captured
from guidebook.render.trim import Geometry

MAX_ROUNDS = 6  # numbering rounds before we give up and lay the book out in one process
WAIT = 1.0  # seconds between looks at the workers while waiting for a message


class OneProcess(Exception):
    """The chunks did not settle: lay the book out in one process instead."""


@dataclass(frozen=True)
class Laid:
    """The whole book, numbered, written in chunk files."""

    pages: int
    front: int
    anchors: dict[str, int]  # anchor -> index of its page in the book
    settled: Settled
    page_map: PageMap | None


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
    plan = chunkplan.plan(edition, view, setup, when, page, workers)
    assets = book_assets(edition, setup)
    title = view.title
    context = multiprocessing.get_context("fork")  # workers start with WeasyPrint imported
    count = len(set(plan.worker_of.values()))
    pool = futures.ProcessPoolExecutor(
        count, mp_context=context, initializer=worker_processes.started, initargs=(os.getpid(),)
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
        worker_processes.kill(pool)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        manager.shutdown()


def join_chunks(laid: Laid, written: list[Written], path: Path, identity: str) -> int:
    """Join the chunk files into the book's PDF at `path`; its page count."""
    parts = [Part(w.path, w.pages, w.names, w.bookmarks) for w in written]
    return join(parts, path, laid.front, identity)


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
                        raise RuntimeError("a layout worker stopped before it was done") from None
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
                        facts = chunk.renumber(start, right, externals)
                        if facts is None:
                            chunk = lay_out(chunk.job, session, assets, options, title, start,
                                            right, externals)  # fmt: skip
                            laid[job_id], facts = chunk, chunk.facts()
                        outbox.put(("facts", facts))
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
