"""The parent's side of the chunked layout (`parallel.py`): collect the chunks' facts, send
the real numbers until nothing moves, lay out the late chunks, have every chunk written.

It talks to the workers through queues only (an inbox each, one outbox), so a test can play
the workers (`tests/test_chunk_numbers.py`).
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from guidebook import progressbar
from guidebook.render import chunkplan
from guidebook.render.chunkcache import Entry
from guidebook.render.chunked import ChunkJob, Facts, Written
from guidebook.render.chunkplan import NumberedBook, Plan
from guidebook.render.mail import Mail

MAX_ROUNDS = 6  # numbering rounds before we give up and lay the book out in one process


class OneProcess(Exception):
    """The chunks did not settle: lay the book out in one process instead."""


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
        self.mapped: dict[int, Any] = {}  # patched chunks' page starts, with the real numbers

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
        for _round in range(MAX_ROUNDS):  # the chunks not written yet: their kept pages too
            rest = [j.id for j in plan.jobs if j.id not in self.idle and j.id not in self.sent]
            if not rest:
                break
            for job_id in rest:
                self._write(job_id, folder)
            self._patch()
        else:
            raise OneProcess(f"chunks were still laid out again after {MAX_ROUNDS} rounds")
        for inbox in self.inboxes:
            inbox.put(("stop", (None, None)))
        written: dict[int, Written] = {}
        for _ in range(self.writing):
            got: Written = self.mail.next("written")
            written[got.id] = got  # a chunk laid out again after its patch failed: the last
        for job_id, (starts, keys) in self.mapped.items():
            written[job_id] = replace(written[job_id], page_starts=starts, keys=keys)
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
        the first one told a wrong number, or a wrong page for an anchor before it, is
        renumbered (its page count may change: the walk stops there); the others are written,
        keeping for a patch the pages that show a reference to an anchor further on
        (`_write`). One whose references cannot be patched (or one from the cache) stops the
        walk while it has such references.

        What a chunk prints must not depend on the order the workers' messages came in, nor
        on the guesses it was laid out with (the PDF is byte-identical between runs, with a
        layout cache or without): a chunk renumbered here keeps the pages it was told for
        anchors further on, and every chunk's file leaves the pages with such references to
        its patch, written early or not (`refpatch.py`)."""
        numbers = chunkplan.numbers(self.plan, self.facts)
        holder = self._holders()
        for job in self.plan.jobs:
            if not job.main or job.late:
                continue
            if job.id not in self.facts or job.id in self.busy:
                return
            facts, real = self.facts[job.id], numbers[job.id]
            forward = self._forward(job.id, holder)
            before = {name: page for name, page in real[2].items() if name not in forward}
            if (facts.start, facts.right) != real[:2] or any(
                facts.externals.get(name) != page for name, page in before.items()
            ):
                self._renumber(job.id, (*real[:2], {**facts.externals, **before}))
                return
            if forward and (job.id in self.idle or not facts.patchable):
                return
            if job.id not in self.sent and job.id not in self.idle:
                self._write(job.id, folder)

    def _forward(self, job_id: int, holder: dict[str, int]) -> frozenset[str]:
        """The anchors the chunk refers to that are not in a chapter chunk before it (those
        are in chunks further on, or in the contents or the indexes)."""
        jobs = self.plan.jobs

        def earlier(name: str) -> bool:
            at = holder.get(name)
            return at is not None and at < job_id and jobs[at].main and not jobs[at].late

        return frozenset(name for name in jobs[job_id].externals if not earlier(name))

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
            job_id, patched, starts = self.mail.next("patched")
            if patched:
                self.facts[job_id] = replace(self.facts[job_id], externals=numbers[job_id][2])
                if starts is not None:
                    self.mapped[job_id] = starts
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

    def _write(self, job_id: int, folder: Path) -> None:
        """Have the chunk written. A chapter chunk whose references can be patched leaves the
        pages that refer to anchors further on to its patch (`_patch`), whether their pages
        are known yet or not: its file is then made the same way however it was numbered."""
        job, facts = self.plan.jobs[job_id], self.facts[job_id]
        pending: frozenset[str] = frozenset()
        if job.main and not job.late and facts.patchable:
            pending = self._forward(job_id, self._holders())
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
