"""The parent's side of the chunked layout (`parallel.py`): collect the chunks' facts, send
the real numbers until nothing moves, lay out the late chunks, have every chunk written.

It talks to the workers through queues only (an inbox each, one outbox), so a test can play
the workers (`tests/test_chunk_numbers.py`).
"""

from __future__ import annotations

import queue
import time
from concurrent import futures
from dataclasses import replace
from pathlib import Path
from typing import Any

from guidebook import progressbar
from guidebook.diagnostics import Reporter
from guidebook.render import chunkplan
from guidebook.render.chunkcache import Entry
from guidebook.render.chunked import ChunkJob, Facts, Written
from guidebook.render.chunkplan import NumberedBook, Plan

MAX_ROUNDS = 6  # numbering rounds before we give up and lay the book out in one process
WAIT = 1.0  # seconds between looks at the workers while waiting for a message


class OneProcess(Exception):
    """The chunks did not settle: lay the book out in one process instead."""


class Mail:
    """The workers' messages; a warning is reported once (a chunk's tail is laid out twice).
    Facts and written chunks may come in any order: each waits for the step that asks."""

    def __init__(self, outbox: Any, running: list[futures.Future[None]], reporter: Reporter):
        self.outbox, self.running, self.reporter = outbox, running, reporter
        self.said: set[tuple[str, str]] = set()
        self.early: dict[str, list[Any]] = {"facts": [], "written": [], "patched": []}

    def say(self, text: str, path: Any) -> None:
        if (text, str(path)) not in self.said:
            self.said.add((text, str(path)))
            self.reporter.warning(text, path)

    def next(self, kind: str) -> Any:
        if self.early[kind]:
            return self.early[kind].pop(0)
        while True:
            try:
                message = self.outbox.get(timeout=WAIT)
            except queue.Empty:
                for future in self.running:
                    if future.done():
                        future.result()  # raises what the worker raised
                if all(future.done() for future in self.running) and self.outbox.empty():
                    raise RuntimeError("the layout workers stopped before they were done") from None
                continue
            if message[0] == "warning":
                self.say(message[1], message[2])
                continue
            if message[0] == "error":
                raise message[1]
            if message[0] == kind:
                return message[1]
            if message[0] not in self.early:
                raise RuntimeError(f"a layout worker said {message[0]!r} when {kind!r} was due")
            self.early[message[0]].append(message[1])


Numbers = tuple[int | None, bool, dict[str, int]]  # a chunk's first folio, side, references


class Conductor:
    """The parent's side: collect the chunks' facts, send the real numbers until nothing
    moves, have the chunks written.

    A chapter chunk is written as soon as its first page number is final (every chunk before
    it laid out and numbered), while the others are still being laid out: a worker then
    keeps of it only the pages that show references to anchors whose pages are not known
    yet, and patches them at the end (`refpatch.py`). A chunk whose references cannot be
    patched stays whole, to be renumbered, and what follows it waits.

    The late chunks (the contents and the indexes: every line of them prints a page number,
    so renumbering one costs about as much as laying it out) are laid out only once the
    chapters' numbers have settled, with the real numbers."""

    def __init__(self, plan: Plan, inboxes: list[Any], mail: Mail, owner: dict[int, int]):
        self.plan, self.inboxes, self.mail, self.owner = plan, inboxes, mail, owner
        self.facts: dict[int, Facts] = {}
        self.times: dict[str, float] = {}  # seconds of each step, for the build's summary
        self.laid: set[int] = set()  # the chunks laid out in this build (not reused)
        self.idle: dict[int, Entry] = {}  # chunks from the cache that no worker holds
        self.sent: set[int] = set()  # chunks sent to be written (their numbers are final)
        self.patching: set[int] = set()  # ... with references still to patch
        self.busy: set[int] = set()  # chunks told new numbers whose facts are due
        self.writing = 0  # how many "written" messages are due

    def run(self, cached: dict[int, Entry], folder: Path) -> tuple[NumberedBook, list[Written]]:
        plan = self.plan
        clock = time.perf_counter()
        self.facts = {job_id: entry.facts for job_id, entry in cached.items()}
        self.idle = dict(cached)
        late = [job.id for job in plan.jobs if job.late and job.id not in cached]
        first = [job.id for job in plan.jobs if job.id not in cached and job.id not in late]
        self.laid = set(first) | set(late)
        with progressbar.items(plan.estimate, "laying out the PDF", "pages") as done:
            self._stream(len(first), done, folder)
            if late:
                self._settle()
                numbers = chunkplan.numbers(plan, self.facts)
                for job_id in self._unmovable():  # first: the late layouts reuse their memory
                    if job_id not in self.sent:
                        self._write(job_id, folder)
                for job_id in late:
                    self._send(job_id, "lay", self._job(job_id, numbers[job_id]))
                self._gather(len(late), done)
        self.times["laid out"] = time.perf_counter() - clock
        clock = time.perf_counter()
        self._settle()
        self._patch()
        self.times["numbered"] = time.perf_counter() - clock
        clock = time.perf_counter()
        written: dict[int, Written] = {}
        for job in plan.jobs:
            if job.id not in self.idle and job.id not in self.sent:
                self._write(job.id, folder)
        for inbox in self.inboxes:
            inbox.put(("stop", (None, None)))
        for _ in range(self.writing):
            got: Written = self.mail.next("written")
            written[got.id] = got  # a chunk laid out again after its patch failed: the last
        written |= {job_id: entry.written for job_id, entry in self.idle.items()}
        self.times["written"] = time.perf_counter() - clock
        every = [written[job.id] for job in plan.jobs]
        return chunkplan.whole_book(plan, self.facts, every), every

    def _gather(self, count: int, done: Any) -> None:
        for _ in range(count):
            got: Facts = self.mail.next("facts")
            self.facts[got.id] = got
            done(got.pages)

    def _stream(self, count: int, done: Any, folder: Path) -> None:
        """Gather the chapter chunks' first layouts and, meanwhile, renumber and write those
        whose first page number is final (`_advance`)."""
        while count or self.busy:
            got: Facts = self.mail.next("facts")
            if got.id in self.busy:
                self.busy.discard(got.id)
            else:
                count -= 1
                done(got.pages)
            self.facts[got.id] = got
            self._advance(folder)

    def _advance(self, folder: Path) -> None:
        """Walk the chapter chunks in book order while each one's first page number is final:
        the first one told a wrong number is renumbered (its page count may change: the walk
        stops there); the others are written, keeping for a patch the pages that show a
        reference to a chunk not final yet. One whose references cannot be patched (or one
        from the cache) stops the walk while it has such references.

        What a chunk prints and keeps must not depend on the order the workers' messages came
        in (the PDF is byte-identical between runs): a chunk renumbered here keeps the pages
        it was told for anchors further on, and every chunk written with pages kept has them
        all written again by `_patch`, whether their numbers changed or not."""
        numbers = chunkplan.numbers(self.plan, self.facts)
        holder = self._holders()
        final: set[int] = set()
        for job in self.plan.jobs:
            if not job.main or job.late:
                continue
            if job.id not in self.facts or job.id in self.busy:
                return
            facts, real = self.facts[job.id], numbers[job.id]
            if (facts.start, facts.right) != real[:2]:  # what it refers to further on: as told
                final_pages = {k: v for k, v in real[2].items() if holder.get(k) in final}
                self._renumber(job.id, (*real[:2], {**facts.externals, **final_pages}))
                return
            pending = frozenset(
                name
                for name, page in facts.externals.items()
                if holder.get(name) not in final or real[2].get(name) != page
            )
            if pending and (job.id in self.idle or not facts.patchable):
                return
            final.add(job.id)
            if job.id not in self.sent and job.id not in self.idle:
                self._write(job.id, folder, pending)

    def _settle(self) -> None:
        """Send the real numbers to every chunk laid out (or from the cache) whose numbers
        changed, until none does. (A chunk written with references to patch is patched
        later, by `_patch`.)"""
        plan = self.plan
        for _round in range(MAX_ROUNDS):
            numbers = chunkplan.numbers(plan, self.facts)
            stale = [
                job.id
                for job in plan.jobs
                if job.id in self.facts and self._stale(job.id, numbers[job.id])
            ]
            if not stale:
                return
            for job_id in stale:
                self._renumber(job_id, numbers[job_id])
            for _ in stale:
                got = self.mail.next("facts")
                self.facts[got.id] = got
                self.busy.discard(got.id)
        raise OneProcess(f"page numbers still moved after {MAX_ROUNDS} rounds")

    def _stale(self, job_id: int, numbers: Numbers) -> bool:
        told = self._told(job_id)
        return told[:2] != numbers[:2] if job_id in self.patching else told != numbers

    def _renumber(self, job_id: int, numbers: Numbers) -> None:
        if job_id in self.sent:
            raise RuntimeError(f"chunk {job_id} was written before its numbers settled")
        self.busy.add(job_id)
        if job_id in self.idle:  # not in a worker: laid out afresh with the numbers
            del self.idle[job_id]
            self.laid.add(job_id)
            self.owner[job_id] = job_id % len(self.inboxes)
            self._send(job_id, "lay", self._job(job_id, numbers))
        else:
            self._send(job_id, "number", numbers)

    def _patch(self) -> None:
        """Give the chunks written with references to patch their real pages. One that cannot
        take them is laid out again with them; if that moved one of its pages, the book is
        laid out in one process instead (the chunks after it were written with its pages)."""
        numbers = chunkplan.numbers(self.plan, self.facts)
        todo = sorted(self.patching)  # all of them, numbers changed or not: see `_advance`
        for job_id in todo:
            self._send(job_id, "patch", numbers[job_id][2])
        again = []
        for _ in todo:
            job_id, patched = self.mail.next("patched")
            if patched:
                self.facts[job_id] = replace(self.facts[job_id], externals=numbers[job_id][2])
            else:
                again.append(job_id)
                self.sent.discard(job_id)
                self._send(job_id, "lay", self._job(job_id, numbers[job_id]))
        self.patching.clear()
        for _ in again:
            got: Facts = self.mail.next("facts")
            before = self.facts[got.id]
            if (got.pages, got.anchors) != (before.pages, before.anchors):
                raise OneProcess(f"the real page numbers moved the pages of chunk {got.id}")
            self.facts[got.id] = got

    def _holders(self) -> dict[str, int]:
        """Anchor -> the chunk that holds it, of those reported."""
        holder: dict[str, int] = {}
        for job_id in sorted(self.facts):
            for name in self.facts[job_id].anchors:
                holder.setdefault(name, job_id)
        return holder

    def _unmovable(self) -> list[int]:
        """The chapter chunks laid out now whose numbers no late chunk can move: those before
        the first chunk that refers to an anchor nobody has reported yet, referring only to
        anchors in the chunks before that one."""
        holder = self._holders()
        jobs = [job for job in self.plan.jobs if job.id in self.facts and job.main]
        unknown = [job.id for job in jobs if any(name not in holder for name in job.externals)]
        limit = min(unknown, default=len(self.plan.jobs))
        return [
            job.id
            for job in jobs
            if job.id < limit
            and job.id not in self.idle
            and all(holder[name] < limit for name in job.externals)
        ]

    def _job(self, job_id: int, numbers: Numbers) -> ChunkJob:
        start, right, externals = numbers
        return replace(self.plan.jobs[job_id], start=start, right=right, externals=externals)

    def _write(self, job_id: int, folder: Path, pending: frozenset[str] = frozenset()) -> None:
        """Have the chunk written; the pages that show a `pending` reference are patched later."""
        self.sent.add(job_id)
        if pending:
            self.patching.add(job_id)
        self.writing += 1
        self._send(job_id, "write", (folder / f"chunk-{job_id:04d}.pdf", pending))

    def _told(self, job_id: int) -> Numbers:
        """The numbers the chunk's layout has now."""
        facts = self.facts[job_id]
        return facts.start, facts.right, facts.externals

    def _send(self, job_id: int, command: str, what: Any) -> None:
        self.inboxes[self.owner[job_id]].put((command, (job_id, what)))
