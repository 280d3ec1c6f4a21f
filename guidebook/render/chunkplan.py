"""The plan of a chunked PDF layout (`parallel.py`): where the book is cut, what each chunk is
first told about its page numbers, which worker lays it out.

The book is cut at its units: the front matter (title page, copyright, contents), each part
opener and chapter, the indexes. Runs of units of about equal weight make the chunks, several
per worker, so that the work stays balanced and a worker never holds more than its share of
the book. A unit's weight is a rough measure of its length; it also gives the first guesses of
each chunk's first page, which the workers correct without a new layout (`renumber.py`).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from guidebook.model import Edition, PrintSetup
from guidebook.render.chunked import ChunkJob, Facts, Written, references
from guidebook.render.context import BookView
from guidebook.render.document import BACK, FRONT, Chunk, book_html
from guidebook.render.holes import Settled
from guidebook.render.pagemap import PageMap, joined_map
from guidebook.render.renumber import check_internals
from guidebook.render.resources import layout_folders, static_assets
from guidebook.render.trim import Geometry

CHUNKS_PER_WORKER = 4  # more: better balance, less held per worker; fewer: less repeated work
MAX_CHUNK_WEIGHT = 120_000  # about 25 exercise chapters: what a rebuild lays out for one edit
PAGE_WEIGHT = 4000  # characters of chapter HTML on a page, for the first guesses of page numbers
IMAGE_WEIGHT = 2500  # ... and what an image counts for
INDEX_LINE_WEIGHT = 400  # an index line: leaders and a page number cost WeasyPrint dearly
ONE_PROCESS_CSS = ("counter(pages", "counters(pages", "target-text(", "footnote")


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


def reason_for_one_process(edition: Edition, setup: PrintSetup, workers: int) -> str | None:
    """Why this book must be laid out in one process, or None when chunks will do."""
    if workers <= 1:
        return "one worker"
    if setup.variant == "pdf/ua-1":
        return "a tagged PDF (PDF/UA-1) has one structure tree for the whole book"
    if not check_internals():
        return "this WeasyPrint release lays out differently from the one guidebook knows"
    for folder in layout_folders(edition.book)[:-1]:  # the book's own layouts
        if (folder / "pdf" / "book.html.j2").is_file():
            return "the book's own pdf/book.html.j2 lays out the whole book"
        for template in (*folder.glob("shared/*.j2"), *folder.glob("pdf/*.j2")):
            if "<style" in template.read_text(encoding="utf-8", errors="replace"):
                return f"{template.name} adds a stylesheet that would reach only its chunk"
    styles = [a for a in (*static_assets("pdf"), *edition.assets) if a.name.endswith(".css")]
    for asset in styles:
        text = asset.read().decode("utf-8", "replace")
        if any(word in text for word in ONE_PROCESS_CSS):
            return f"{asset.name} needs the whole book: counter(pages), target-text(), footnotes"
    if len(edition.chapters) < 2:
        return "a book of one chapter"
    return None


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
            weight = len(ch.body) + IMAGE_WEIGHT * str(ch.body).count("<img")
            units.append(Unit(ch.anchor, ch.anchor, weight, right))
    if view.indexes:
        lines = sum(len(e.chapters) + 1 for i in view.indexes for g in i.groups for e in g.entries)
        units.append(Unit(BACK, view.indexes[0].anchor, lines * INDEX_LINE_WEIGHT, True))
    return units


def plan(
    edition: Edition,
    view: BookView,
    setup: PrintSetup,
    when: dt.datetime,
    page: Geometry,
    workers: int,
    hints: dict[str, int],
) -> Plan:
    """The chunks for `workers`, each told its first folio and its references' folios as
    guessed from the units' weights, or as they were in the last build (`hints`: anchor ->
    folio), which is right for every chunk before an edit that moved pages."""
    units = _units(edition, view)
    main = units[1:-1] if units[-1].anchor == BACK else units[1:]
    weight = sum(unit.weight for unit in main)
    wanted = max(workers * CHUNKS_PER_WORKER, math.ceil(weight / MAX_CHUNK_WEIGHT))
    wanted = max(1, min(len(main), wanted))
    runs = _runs(main, wanted)
    groups = [[units[0]], *runs] + ([[units[-1]]] if units[-1].anchor == BACK else [])
    rendered, starts = [], []
    guess = 1
    for index, group in enumerate(groups):
        following = groups[index + 1][0] if index + 1 < len(groups) else None
        anchors = {unit.anchor for unit in group}
        shell = None
        if following is not None and following.anchor == BACK:
            shell = replace(view.indexes[0], groups=())
        elif following is not None:
            anchors.add(following.anchor)
        chunk = Chunk(frozenset(anchors), back_shell=shell)
        html = book_html(edition, view, setup, when, page, chunk=chunk)
        rendered.append((html, following, *references(html)))
        start = None if index <= 1 else guess | (1 if group[0].right else 0)
        if start is not None and group[0].first in hints:  # where it began last time
            start = hints[group[0].first or ""]
        starts.append(start)
        if index:
            guess = (start or 1) + max(1, math.ceil(sum(u.weight for u in group) / PAGE_WEIGHT))
    home: dict[str, int] = {}  # anchor -> the first folio guessed for the chunk that holds it
    for (_html, _following, _wants, holds), start in zip(rendered, starts, strict=True):
        for name in holds:
            home.setdefault(name, start or 1)
    jobs = []
    for index, ((html, following, wants, holds), start) in enumerate(
        zip(rendered, starts, strict=True)
    ):
        jobs.append(
            ChunkJob(
                id=index,
                html=html,
                tail=following.first if following else None,
                start=start,
                right=start is None or start % 2 == 1,
                externals={
                    name: hints.get(name, home[name])
                    for name in sorted(wants - holds)
                    if name in home
                },
                sections=frozenset(_sections(view, groups[index])),
                main=index > 0,
                late=index == 0 or any(unit.anchor == BACK for unit in groups[index]),
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
    """Chunks to workers, heaviest first, each to the least loaded. The late chunks are laid
    out after all the others, one to a worker, so they do not count."""
    load = [0] * min(workers, len(jobs))
    owner = {job.id: index % len(load) for index, job in enumerate(j for j in jobs if j.late)}
    weights = {job.id: sum(u.weight for u in groups[job.id]) for job in jobs if not job.late}
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


# --- numbering ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class NumberedBook:
    """The whole book, numbered, written in chunk files."""

    pages: int
    front: int
    anchors: dict[str, int]  # anchor -> index of its page in the book
    settled: Settled
    page_map: PageMap | None
    chunks: int = 0
    reused: int = 0  # chunks taken from the layout cache
    workers: int = 0
    times: dict[str, float] = field(default_factory=dict)  # seconds of each step


def numbers(
    plan: Plan, facts: dict[int, Facts]
) -> dict[int, tuple[int | None, bool, dict[str, int]]]:
    """Each chunk's first folio and side, and the folios of the anchors it needs, from the
    page counts and anchors the chunks reported. A chunk not laid out yet (a late one, or
    one of the book's ends) counts no pages and holds no anchors; a reference to an anchor
    nobody reported keeps the folio the chunk was told."""
    starts: dict[int, int | None] = {}
    folio = 1
    for job in plan.jobs:
        pages = facts[job.id].pages if job.id in facts else 0
        if not job.main or job.start is None:
            starts[job.id] = None
            folio = 1 + (pages if job.main else 0)
            continue
        starts[job.id] = folio
        folio += pages
    where: dict[str, int] = {}
    for job in plan.jobs:
        first = starts[job.id] or 1
        for name, index in facts[job.id].anchors.items() if job.id in facts else ():
            where.setdefault(name, first + index)
    numbers = {}
    for job in plan.jobs:
        start = starts[job.id]
        right = start is None or start % 2 == 1
        told = facts[job.id].externals if job.id in facts else job.externals
        externals = {name: where.get(name, told.get(name)) for name in job.externals}
        numbers[job.id] = (start, right, {k: v for k, v in externals.items() if v is not None})
    return numbers


def whole_book(plan: Plan, facts: dict[int, Facts], written: list[Written]) -> NumberedBook:
    """The book the chunks make, from what each reported and wrote."""
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
    return NumberedBook(offset, front, anchors, settled, page_map)
