"""The book's PDF laid out in chunks by worker processes, then joined (`-j N`).

1. **Plan** (`chunkplan.py`): the book cut into runs of parts and chapters, several per worker.
2. **Lay out.** Each worker lays out its chapter chunks (`chunked.lay_out`, with the figure
   pass), each from a guessed first page number and side and guessed pages for the anchors it
   refers to in other chunks, and sends back its page count and where its anchors are.
3. **Number, and write what is final.** With the chunks' counts the real numbers follow:
   chapter one is page 1, each chunk starts where the one before ended. While the workers
   go on laying out, the parent walks the chunks in book order: the first whose first page
   was guessed wrong gets the real one (`LaidChunk.renumber`: WeasyPrint re-makes only the
   pages whose text changes; a chunk whose first page changes side is laid out again), and
   each one after it whose first page is right is written and forgotten at once. Its
   references to chunks further on still print guesses: the worker keeps only the pages
   that show them (`refpatch.py`; a third of an exercise book's pages), left blank in the
   file until the patch draws them.
4. **The late chunks.** The front matter and the indexes print the page of every chapter
   (renumbering them costs as much as laying them out), so they are laid out only now, once,
   with the real numbers.
5. **Patch, write and join.** Each kept page gets its references' real pages (a reference
   that cannot take its new number without moving what follows has its chunk laid out
   again; should that move one of its pages, the book is laid out in one process); the
   chunks not written yet are written the same way, their pages with references further on
   drawn by a patch, so that a chunk's file does not depend on when it was written; the
   parent joins the files (`join.py`) with the bookmarks, destinations and page labels of
   one document.

A chunk whose references cannot be patched (a layout that prints them otherwise than as
digits) is kept whole until the numbers settle, as is every chunk after it.

The scheduler talks to its workers through queues, and the workers are started by a
`concurrent.futures` executor: another executor (a cluster's) could run them elsewhere, as
long as the queues reach it (`benchmarks/README.md` says what that would take).

A worker keeps the chunks it laid out (millions of boxes) until they are written, and
Python's cyclic garbage collector would walk all of them on each full collection. So a
worker turns automatic collection off and, after each layout or renumbering, collects once
and freezes what is left (`_collected`): a collection then walks only what the last step
made. The garbage of a step (the figure pass's first layout) is collected at once. A written
chunk's boxes hold cycles and were frozen with the rest: they go with one collection that
walks everything, made before the worker's next layout, which then reuses their memory.

What a chunk cannot see is said here once. Our layout's running heads take the book's title
from the title page, so each chunk is given it. `counter(pages)` and `target-text()` in a
layout override's CSS need the whole book in one layout, as does a tagged PDF (PDF/UA: one
structure tree) and an overridden `pdf/book.html.j2` (it does not know about chunks): those
books are laid out in one process (`chunkplan.reason_for_one_process`).
"""

from __future__ import annotations

import datetime as dt
import gc
import multiprocessing
import os
import queue
import tempfile
from collections.abc import Iterator
from concurrent import futures
from dataclasses import replace
from multiprocessing.managers import SyncManager
from pathlib import Path
from typing import Any

from guidebook import workers as worker_processes
from guidebook.diagnostics import Reporter
from guidebook.model import Edition, PrintSetup
from guidebook.render import chunkplan
from guidebook.render.chunkcache import ChunkCache, chunk_key
from guidebook.render.chunked import ChunkJob, Facts, LaidChunk, Written, lay_out, write
from guidebook.render.chunkplan import NumberedBook
from guidebook.render.conductor import Conductor
from guidebook.render.context import BookView
from guidebook.render.document import book_assets
from guidebook.render.join import Part, join
from guidebook.render.mail import Mail
from guidebook.render.refpatch import Held
from guidebook.render.session import Session, captured
from guidebook.render.trim import Geometry


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
    cache: ChunkCache | None,
) -> tuple[NumberedBook, list[Written], dict[str, tuple[Facts, Written]]]:
    """Lay the book out in chunks over `workers` processes and write each chunk's PDF into
    `folder` (one whose key and numbers are in `cache` is taken from it); `finisher` is
    WeasyPrint's finisher for each file (it must pickle). Also returns the chunks laid out
    now, by key, for the cache."""
    hints = cache.hints if cache else {}
    plan = chunkplan.plan(edition, view, setup, when, page, workers, hints)
    assets = book_assets(edition, setup)
    keys = {job.id: chunk_key(job, assets, options, repr(finisher)) for job in plan.jobs}
    cached = {}
    for job in plan.jobs:
        entry = cache.get(keys[job.id]) if cache else None
        if entry is not None:
            cached[job.id] = entry
    todo = [job for job in plan.jobs if job.id not in cached]
    count = len(set(plan.worker_of.values()))  # chunks from the cache may need laying out too
    context = multiprocessing.get_context("fork")  # workers start with WeasyPrint imported
    pool = futures.ProcessPoolExecutor(
        count, mp_context=context, initializer=worker_processes.started, initargs=(os.getpid(),)
    )
    manager = SyncManager(ctx=context)  # the queues' process: it ends with the command too
    manager.start(worker_processes.started, (os.getpid(),))
    try:
        inboxes = [manager.Queue() for _ in range(count)]
        outbox = manager.Queue()
        first = {job.id: plan.worker_of[job.id] % count for job in todo}
        running = [
            pool.submit(
                _serve,
                [job for job in todo if first[job.id] == worker and not job.late],
                (assets, options, view.title, finisher, folder),
                inboxes[worker],
                outbox,
            )
            for worker in range(count)
        ]
        conductor = Conductor(plan, inboxes, Mail(outbox, running, reporter), first)
        for entry in cached.values():
            for text, path in entry.written.warnings:
                conductor.mail.say(text, path)
        laid, written = conductor.run(cached, folder)
        for future in running:
            future.result()
    except BaseException:
        worker_processes.kill(pool)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        manager.shutdown()
    fresh = {keys[w.id]: (conductor.facts[w.id], w) for w in written if w.id in conductor.laid}
    reused = len(plan.jobs) - len(conductor.laid)
    laid = replace(laid, chunks=len(plan.jobs), reused=reused, workers=count)
    laid.times.update(conductor.times)
    return laid, written, fresh


def join_chunks(laid: NumberedBook, written: list[Written], path: Path, when: dt.datetime) -> int:
    """Join the chunk files into the book's PDF at `path`, dated `when`; its page count."""
    parts = [Part(w.path, w.pages, w.names, w.bookmarks) for w in written]
    return join(parts, path, laid.front, when.strftime("D:%Y%m%d%H%M%SZ"))


# --- the workers -------------------------------------------------------------------------------


def _serve(jobs: list[ChunkJob], shared: tuple[Any, ...], inbox: Any, outbox: Any) -> None:
    """A worker's life: lay out its chunks, then do as told (renumber one, lay out one more,
    write one and forget it but the pages it must patch, patch those) until told to stop;
    what it is told while it lays out its first chunks is done between two of them.
    Warnings are sent at once, and kept with the chunk they came from (a chunk taken from
    the cache says them again)."""
    assets, options, title, finisher, folder = shared
    session = Session(spill=folder / f"images-{os.getpid()}")  # a held chunk's photos wait there
    laid: dict[int, LaidChunk] = {}
    held: dict[int, Held] = {}  # written chunks' pages with references to patch
    heard: list[tuple[str, Any]] = []
    written: list[int] = []  # chunks written since the last full collection

    def say(text: str, path: Any) -> None:
        heard.append((text, path))
        outbox.put(("warning", text, path))

    def lay(job: ChunkJob, *numbers: Any) -> Facts:
        if written:  # their boxes are garbage still frozen: this layout can reuse the memory
            _collected(everything=True)
            written.clear()
        heard.clear()
        laid[job.id] = lay_out(job, session, assets, options, title, *numbers)
        laid[job.id].warnings = list(heard)
        _collected()
        return laid[job.id].facts()

    def do(command: str, job_id: int, what: Any) -> None:
        if command == "lay":
            outbox.put(("facts", lay(what)))
        elif command == "number":
            start, right, externals = what
            facts = laid[job_id].renumber(start, right, externals)
            if facts is None:  # the other side's text area differs: afresh
                facts = lay(laid[job_id].job, start, right, externals)
            else:
                _collected()  # (`lay` collects its own)
            outbox.put(("facts", facts))
        elif command == "write":
            path, pending = what
            done, pages = write(laid.pop(job_id), path, finisher, options, pending)
            if pages is not None:
                held[job_id] = pages
            outbox.put(("written", done))
            written.append(job_id)
            _collected()
        elif command == "patch":
            pages = held.pop(job_id)
            try:
                patched = pages.patch(what)
                if patched:
                    pages.write(finisher, options)
                starts = pages.starts() if patched else None
            finally:  # its photos' files too, should the patch fail
                pages.close()
            outbox.put(("patched", (job_id, patched, starts)))

    gc.disable()  # collected after each step instead (the module's docstring)
    try:
        with captured(say, assets):
            for job in jobs:
                outbox.put(("facts", lay(job)))
                for command, job_id, what in asked(inbox):  # meanwhile (no reply is awaited)
                    if command == "stop":
                        return
                    do(command, job_id, what)
            while True:
                command, (job_id, what) = inbox.get()
                if command == "stop":
                    return
                do(command, job_id, what)
    except Exception as exc:
        try:
            outbox.put(("error", exc))
        except Exception:
            outbox.put(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))
        raise
    finally:
        for pages in held.values():
            pages.close()


def asked(inbox: Any) -> Iterator[tuple[str, Any, Any]]:
    """What the parent has asked and the worker not done yet, without waiting for more."""
    while True:
        try:
            command, (job_id, what) = inbox.get_nowait()
        except queue.Empty:
            return
        yield command, job_id, what


def _collected(everything: bool = False) -> None:
    """Collect the garbage of the step just done; freeze what survives, so that the next
    collection does not walk it again. With `everything`, the frozen objects are walked too
    (the chunks written since: their boxes hold cycles)."""
    if everything:
        gc.unfreeze()
    gc.collect()
    gc.freeze()


def scratch(out_dir: Path) -> tempfile.TemporaryDirectory[str]:
    """A folder for the chunk files, beside the outputs (the same disk: joined, not copied)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    return tempfile.TemporaryDirectory(prefix=".guidebook-chunks-", dir=out_dir)
