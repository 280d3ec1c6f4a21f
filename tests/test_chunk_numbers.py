"""How the chunked layout numbers its chunks (render/parallel.py, chunkplan.py, renumber.py),
with workers played by a thread: the contents and the indexes are laid out once, after the
chapters, with the real numbers; chapter chunks that cannot move are written before that;
a reference to another chunk's anchor makes its page once. The whole build against the
one-process layout is in test_parallel_pdf.py."""

from __future__ import annotations

import gc
import io
import queue
import time
import weakref
from concurrent import futures
from pathlib import Path
from typing import Any

import pytest
import weasyprint.layout.page as wp_page
from pypdf import PdfReader

from guidebook.diagnostics import Reporter
from guidebook.render import chunkplan, parallel
from guidebook.render.chunked import ChunkJob, Facts, Written
from guidebook.render.chunkplan import Plan
from guidebook.render.conductor import Conductor, OneProcess
from guidebook.render.holes import Settled
from guidebook.render.mail import Mail
from guidebook.render.renumber import Kept, recording
from guidebook.render.session import Session

PAGES = {0: 4, 1: 10, 2: 12, 3: 9, 4: 6}  # chunk -> the pages it lays out


def _job(job_id: int, start: int | None, externals: dict[str, int], late: bool = False) -> ChunkJob:
    return ChunkJob(
        id=job_id,
        html="",
        tail=None,
        start=start,
        right=start is None or start % 2 == 1,
        externals=externals,
        sections=frozenset(),
        main=job_id > 0,
        late=late,
    )


def _plan() -> Plan:
    """The front matter (its contents refers to every chapter chunk), three chapter chunks
    (the last refers to the index) and the index (it refers to the chapters); chunk i holds
    the anchor c<i>. Every guess is wrong."""
    chapters = {"c1": 1, "c2": 5, "c3": 9}
    jobs = [
        _job(0, None, chapters, late=True),
        _job(1, None, {"c2": 5}),
        _job(2, 5, {"c1": 1}),
        _job(3, 9, {"c4": 99}),
        _job(4, 13, chapters, late=True),
    ]
    return Plan(jobs, {job.id: 0 for job in jobs}, 40)


class _Outbox(queue.Queue[Any]):
    """The workers' outbox, which tells when the parent waits on it with nothing to read: by
    then it has sent every command the messages it read called for."""

    waiting = False

    def get(self, block: bool = True, timeout: float | None = None) -> Any:
        self.waiting = True
        return super().get(block, timeout)

    def _get(self) -> Any:  # under the queue's lock
        self.waiting = False
        return super()._get()

    def answered(self) -> None:
        while True:
            with self.mutex:
                if not self._qsize() and self.waiting:
                    return
            time.sleep(0.001)


def _worker(
    plan: Plan,
    inbox: queue.Queue[Any],
    outbox: _Outbox,
    log: list[str],
    patchable: bool = False,
    refused: frozenset[int] = frozenset(),  # chunks whose first patch fails
    pages: dict[int, int] | None = None,  # chunk -> pages once laid out again (default: the same)
) -> None:
    """Lays out the chapter chunks it is given first, then does as told, like `_serve`:
    between two first layouts, what it was told meanwhile."""
    again = pages or {}

    def facts(job: ChunkJob, start: int | None, right: bool, externals: dict[str, int]) -> Facts:
        patched = any(line.startswith(f"patch {job.id}") for line in log)
        count = again.get(job.id, PAGES[job.id]) if patched else PAGES[job.id]
        anchors = {f"c{job.id}": 0}
        return Facts(job.id, count, start, right, anchors, externals, Settled(), patchable)

    def do(command: str, job_id: int, what: Any) -> None:
        log.append(f"{command} {job_id}")
        if command == "lay":
            outbox.put(("facts", facts(what, what.start, what.right, dict(what.externals))))
        elif command == "number":
            outbox.put(("facts", facts(plan.jobs[job_id], *what)))
        elif command == "write":
            path, pending = what
            log[-1] += f" {sorted(pending)}" if pending else ""
            written = Written(job_id, path, PAGES[job_id], [], [], [], {}, [])
            outbox.put(("written", written))
        elif command == "patch":
            log[-1] += f" {what}"
            tries = sum(line.startswith(f"patch {job_id} ") for line in log)
            ok = job_id not in refused or tries > 1  # laid out with the real numbers: takes them
            outbox.put(("patched", (job_id, ok, None)))

    for job in plan.jobs:
        if not job.late:
            log.append(f"first {job.id}")
            outbox.put(("facts", facts(job, job.start, job.right, dict(job.externals))))
            outbox.answered()
            for command, job_id, what in parallel.asked(inbox):
                if command == "stop":
                    return
                do(command, job_id, what)
    while True:
        command, (job_id, what) = inbox.get()
        if command == "stop":
            return
        do(command, job_id, what)


def _conduct(tmp_path: Path, **worker: Any) -> tuple[Conductor, list[str], Any, list[Written]]:
    plan = _plan()
    inbox: queue.Queue[Any] = queue.Queue()
    outbox = _Outbox()
    log: list[str] = []
    with futures.ThreadPoolExecutor(1) as pool:
        running = [pool.submit(_worker, plan, inbox, outbox, log, **worker)]
        mail = Mail(outbox, running, Reporter(sink=None))
        conductor = Conductor(plan, [inbox], mail, dict(plan.worker_of))
        try:
            book, written = conductor.run({}, tmp_path)
        finally:
            inbox.put(("stop", (None, None)))
    return conductor, log, book, written


def test_the_contents_and_index_are_laid_out_once_with_the_real_numbers(tmp_path: Path) -> None:
    """References that cannot be patched: each chunk is kept whole until its numbers settle."""
    conductor, log, book, written = _conduct(tmp_path)
    # chunk 1 is pages 1-10, chunk 2 pages 11-22, chunk 3 pages 23-31, the index from 32
    lay: dict[str, int] = {}
    for index, line in enumerate(log):
        lay.setdefault(line, index)  # where each command came first
    assert "number 0" not in lay and "number 4" not in lay  # laid out once: never renumbered
    assert conductor.facts[4].start == 32 and conductor.facts[4].right is False
    assert conductor.facts[4].externals == {"c1": 1, "c2": 11, "c3": 23}
    assert conductor.facts[0].externals == {"c1": 1, "c2": 11, "c3": 23}
    # the chapter chunks were renumbered before the late ones were laid out
    assert max(lay["number 2"], lay["number 3"]) < lay["lay 0"] < lay["lay 4"]
    # chunks 1 and 2 cannot move any more: written before the late ones are laid out (whose
    # layouts reuse their memory); chunk 3 waits for the index's page (c4), which it prints
    assert lay["write 1"] < lay["lay 0"] and lay["write 2"] < lay["lay 0"]
    assert conductor.facts[3].externals == {"c4": 32}
    assert log.count("number 3") == 2 and lay["write 3"] > lay["lay 4"]
    assert [w.id for w in written] == [0, 1, 2, 3, 4]
    assert book.pages == sum(PAGES.values()) and book.anchors["c4"] == 4 + 10 + 12 + 9
    assert conductor.laid == {0, 1, 2, 3, 4}


def test_chunks_are_written_once_their_first_page_is_known_and_patched_later(
    tmp_path: Path,
) -> None:
    """With references that can be patched, a chapter chunk is written as soon as the
    chunks before it are numbered, without waiting for the pages it refers to: those are
    patched in at the end."""
    conductor, log, book, written = _conduct(tmp_path, patchable=True)
    first = {" ".join(line.split()[:2]): index for index, line in reversed(list(enumerate(log)))}
    # chunk 1 starts the book: written at once, its reference to chunk 2 (c2) to patch
    assert log[first["write 1"]] == "write 1 ['c2']"
    assert first["write 1"] < first["first 3"]
    # chunk 2 is renumbered (it starts on page 11, not 5), then written: it refers only to
    # chunk 1, which is final
    assert first["number 2"] < first["write 2"] and log[first["write 2"]] == "write 2"
    # chunk 3 waits for the index's page (c4): written before the index is laid out
    assert log[first["write 3"]] == "write 3 ['c4']"
    assert first["write 3"] < first["lay 0"] < first["lay 4"] < first["patch 1"]
    assert log[first["patch 1"]] == "patch 1 {'c2': 11}"
    assert log[first["patch 3"]] == "patch 3 {'c4': 32}"
    assert conductor.facts[1].externals == {"c2": 11} and conductor.facts[3].externals == {"c4": 32}
    assert "number 1" not in first and "number 3" in first
    assert [w.id for w in written] == [0, 1, 2, 3, 4] and book.pages == sum(PAGES.values())


def test_a_chunk_whose_patch_fails_is_laid_out_again_with_the_real_numbers(
    tmp_path: Path,
) -> None:
    conductor, log, _book, written = _conduct(tmp_path, patchable=True, refused=frozenset({3}))
    tail = log[log.index("patch 3 {'c4': 32}") :]
    # laid out again, then written as any chunk is: its page with c4 left to a patch
    three = [line for line in tail[1:] if line.split()[1] == "3"]
    assert three == ["lay 3", "write 3 ['c4']", "patch 3 {'c4': 32}"]
    assert conductor.facts[3].externals == {"c4": 32}
    assert [w.id for w in written] == [0, 1, 2, 3, 4]


def test_a_patch_that_would_move_pages_lays_the_book_out_in_one_process(tmp_path: Path) -> None:
    """Chunk 3 laid out again with its real numbers takes a page more: the chunks after it
    were written with its old count, so the chunked layout gives up."""
    with pytest.raises(OneProcess, match="chunk 3"):
        _conduct(tmp_path, patchable=True, refused=frozenset({3}), pages={3: 10})


def test_numbers_count_no_pages_for_a_chunk_not_laid_out_yet() -> None:
    plan = _plan()
    facts = {
        job.id: Facts(job.id, PAGES[job.id], job.start, job.right, {f"c{job.id}": 0}, {}, Settled())
        for job in plan.jobs
        if not job.late
    }
    numbers = chunkplan.numbers(plan, facts)
    assert numbers[2][0] == 11 and numbers[3][0] == 23 and numbers[4][0] == 32
    # the index's anchor is not known yet: chunk 3 keeps what it was told (here nothing)
    assert numbers[3][2] == {}
    # a late chunk not laid out keeps its guesses for what nobody reported
    assert numbers[4][2] == {"c1": 1, "c2": 11, "c3": 23}


_XREF = """<html><head><style>
@page { size: A6; margin: 10mm }
a::after { content: " (p. " target-counter(attr(href url), page) ")" }
</style></head><body>
<p><a href="#far">Far away</a> LINK</p>
<p id="near" style="break-before: page">Here.</p>
</body></html>"""


def _lay_out(monkeypatch: Any, html: str, externals: dict[str, int]) -> tuple[int, list[str]]:
    """How many times WeasyPrint made a page while laying `html` out as a chunk that knows
    `externals`, and the text of its pages."""
    made = {"count": 0}
    real = wp_page.remake_page

    def counting(*args: Any) -> Any:
        made["count"] += 1
        return real(*args)

    monkeypatch.setattr(wp_page, "remake_page", counting)
    with recording(Kept(), externals):
        document = Session().draft(html, {}).layout()
    document.pages[-1].anchors.update({name: (0, 0, 0, 0) for name in externals})  # as `write`
    pdf = PdfReader(io.BytesIO(document.write_pdf()))
    return made["count"], [page.extract_text() for page in pdf.pages]


def test_a_page_of_references_to_other_chunks_is_made_once(monkeypatch: Any) -> None:
    """WeasyPrint 70 makes a page holding a `target-counter()` three times; when every such
    reference points to another chunk, whose page is known, once is enough."""
    count, text = _lay_out(monkeypatch, _XREF.replace("LINK", ""), {"far": 42})
    assert "Far away (p. 42)" in text[0]
    assert count == len(text) == 2


def test_a_reference_inside_the_chunk_still_gets_its_page(monkeypatch: Any) -> None:
    html = _XREF.replace("LINK", '<a href="#near">Near</a>')
    count, text = _lay_out(monkeypatch, html, {"far": 42})
    assert "Far away (p. 42)" in text[0] and "Near (p. 2)" in text[0]
    assert count > len(text)  # its page is made again once the anchor's page is known


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_a_worker_collects_frozen_garbage_only_when_told_to_walk_everything() -> None:
    """A layout worker freezes what survives each step (`parallel._collected`); a written
    chunk's boxes hold cycles, so they go only with a collection that walks the frozen
    objects too, which the worker makes before its next layout."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        chunk = _Cycle()
        gone = weakref.ref(chunk)
        parallel._collected()  # frozen: it survives the step that made it
        del chunk
        parallel._collected()
        assert gone() is not None
        parallel._collected(everything=True)
        assert gone() is None
    finally:
        gc.unfreeze()
        if enabled:
            gc.enable()


def test_a_chunk_renumbers_after_forgetting_its_elements_styles() -> None:
    """A held chunk drops its elements' cascade (`Kept.forget_element_styles`); renumbering
    makes pages and margin boxes from the page types' styles, which it keeps."""
    html = _XREF.replace("LINK", '<a href="#near">Near</a>').replace(
        "margin: 10mm }", "margin: 10mm; @bottom-center { content: counter(page) } }"
    )
    kept = Kept()
    with recording(kept, {"far": 42}, 5):
        document = Session().draft(html, {}).layout()
    styles = kept.context.style_for
    before = len(styles._computed_styles)
    kept.forget_element_styles()
    root = kept.html.etree_element
    left = [key for key in styles._computed_styles if not isinstance(key[0], wp_page.PageType)]
    assert left and all(key[0] is root for key in left) and len(left) < before
    renumbered = kept.renumber(10, {"far": 7}, document, flip=True)
    assert renumbered is not None
    renumbered.pages[-1].anchors.update({"far": (0, 0, 0, 0)})
    pdf = PdfReader(io.BytesIO(renumbered.write_pdf()))
    text = [page.extract_text() for page in pdf.pages]
    assert "Far away (p. 7)" in text[0] and "Near (p. 16)" in text[0]
    assert text[0].rstrip().endswith("15") and text[1].rstrip().endswith("16")
