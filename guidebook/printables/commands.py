"""The three printables commands: handouts, form sheets and session cards.

Each loads and converts the book as `build` does (so every content message is the same), turns
what it needs into render jobs and runs them as one batch (`batch.py`).
"""

from __future__ import annotations

import difflib
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from guidebook.build import BuildOptions, build_time, prepare
from guidebook.convert.tree import to_xhtml, unwrap
from guidebook.diagnostics import Reporter
from guidebook.model import Asset, ChapterDoc, Edition, Paper
from guidebook.printables.batch import Batch
from guidebook.printables.content import ExerciseSheet, chapter_link, exercise_sheets
from guidebook.printables.exercises import ExerciseIndex
from guidebook.printables.model import Athlete, Program, Roster
from guidebook.printables.program import format_number, read_program, working_load
from guidebook.printables.render import SHEET, Job, Result
from guidebook.printables.roster import read_roster
from guidebook.render.context import chapter_view
from guidebook.render.resources import layout_folders
from guidebook.text import slugify

Progress = Callable[[str], None]


@dataclass(frozen=True)
class PrintOptions:
    content_dir: Path
    out_dir: Path
    paper: Paper | None = None
    book_file: Path | None = None
    slugs: tuple[str, ...] = ()  # only these chapters (default: all that apply)
    workers: int = 0  # -j: 0 means every core


def make_handouts(options: PrintOptions, reporter: Reporter, progress: Progress) -> list[Result]:
    edition = _prepare(options, reporter, progress, images_full_size=True)
    docs = {doc.chapter.slug: doc for doc in edition.chapters}
    chosen = _choose(options.slugs, docs, "chapter", reporter)
    cfg = edition.book.config
    jobs = []
    for slug in chosen:
        doc = docs[slug]
        link, _label = chapter_link(doc, cfg)
        view = chapter_view(doc, first=False, body_of=lambda d: _handout_body(d, docs, edition))
        jobs.append(
            Job(
                "print/handout.html.j2",
                {
                    "chapter": view,
                    "book_title": cfg.title,
                    "language": cfg.language,
                    "link": link,
                },
                options.out_dir / "handouts" / f"{slug}.pdf",
                assets=_chapter_assets(doc, edition),
                label=f"handout of {slug}",
                source=doc.chapter.path,
            )
        )
    return _run(jobs, edition, options, reporter, progress)


def make_sheets(
    options: PrintOptions,
    reporter: Reporter,
    progress: Progress,
    roster: Path | None = None,
) -> list[Result]:
    edition = _prepare(options, reporter, progress)
    sheets = exercise_sheets(edition, reporter)
    chosen = _choose(options.slugs, sheets, "exercise", reporter)
    athletes = _read_roster(roster, edition, reporter)
    reporter.check()
    jobs = sheet_jobs([sheets[s] for s in chosen], athletes, edition, options.out_dir)
    return _run(jobs, edition, options, reporter, progress)


def make_cards(
    options: PrintOptions,
    reporter: Reporter,
    progress: Progress,
    program_file: Path,
    roster: Path | None = None,
    with_sheets: bool = False,
) -> list[Result]:
    edition = _prepare(options, reporter, progress)
    index = ExerciseIndex.from_chapters(edition.book.chapters)
    program = read_program(program_file, index, reporter)
    athletes = _read_roster(roster, edition, reporter)
    reporter.check()
    assert program is not None  # read_program reported why otherwise
    sheets = exercise_sheets(edition, reporter)
    jobs = card_jobs(program, athletes, sheets, edition, options.out_dir)
    if with_sheets:
        used = dict.fromkeys(p.slug for s in program.sessions for p in s.exercises)
        jobs += sheet_jobs([sheets[s] for s in used], athletes, edition, options.out_dir)
    return _run(jobs, edition, options, reporter, progress)


# --- jobs ------------------------------------------------------------------------------------


def sheet_jobs(
    sheets: Sequence[ExerciseSheet],
    athletes: Sequence[Athlete | None],
    edition: Edition,
    out_dir: Path,
) -> list[Job]:
    cfg = edition.book.config
    jobs = []
    for athlete in athletes:
        folder = out_dir / "sheets" / (slugify(athlete.name) if athlete else "")
        for sheet in sheets:
            one_rm = athlete.one_rep_max.get(sheet.slug) if athlete else None
            jobs.append(
                Job(
                    SHEET,
                    {
                        "sheet": sheet,
                        "athlete": athlete.name if athlete else None,
                        "one_rm": format_number(one_rm) if one_rm else None,
                        "book_title": cfg.title,
                        "language": cfg.language,
                    },
                    folder / f"{sheet.slug}.pdf",
                    assets=(sheet.thumbnail,) if sheet.thumbnail else (),
                    one_page=True,
                    qr=sheet.link,
                    label=f"sheet for {sheet.slug}",
                    too_long="shorten the chapter's steps or common mistakes",
                )
            )
    return jobs


def card_jobs(
    program: Program,
    athletes: Sequence[Athlete | None],
    sheets: dict[str, ExerciseSheet],
    edition: Edition,
    out_dir: Path,
) -> list[Job]:
    cfg = edition.book.config
    jobs = []
    for athlete in athletes:
        folder = out_dir / "cards" / (slugify(athlete.name) if athlete else "")
        for session in program.sessions:
            rows = tuple(
                (p, working_load(p, athlete, program), sheets[p.slug].thumbnail)
                for p in session.exercises
            )
            thumbs = tuple(dict.fromkeys(t for _p, _l, t in rows if t is not None))
            jobs.append(
                Job(
                    "print/card.html.j2",
                    {
                        "program": program.title,
                        "units": program.units,
                        "session": session,
                        "rows": rows,
                        "athlete": athlete.name if athlete else None,
                        "book_title": cfg.title,
                        "language": cfg.language,
                    },
                    folder / f"{session.slug}.pdf",
                    assets=thumbs,
                    one_page=True,
                    label=f"session card {session.slug}",
                    too_long="split the session into two, or give fewer exercises or sets",
                    source=program.path,
                )
            )
    return jobs


# --- shared steps ----------------------------------------------------------------------------


def _prepare(
    options: PrintOptions, reporter: Reporter, progress: Progress, images_full_size: bool = False
) -> Edition:
    """Load and convert the book; only handouts print its images at full size."""
    edition = prepare(
        BuildOptions(
            options.content_dir,
            options.out_dir,
            formats=("pdf",),
            paper=options.paper,
            book_file=options.book_file,
        ),
        reporter,
        progress,
        for_print=images_full_size,
    )
    build_time(reporter)  # a bad SOURCE_DATE_EPOCH: a warning, and the renderer never reads it
    return edition


def _choose(
    wanted: Sequence[str], known: Mapping[str, object], what: str, reporter: Reporter
) -> list[str]:
    if not wanted:
        return list(known)
    for slug in wanted:
        if slug not in known:
            close = difflib.get_close_matches(slug, list(known), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            reporter.error(f"no {what} with the slug '{slug}'{hint}")
    reporter.check()
    return list(dict.fromkeys(wanted))


def _read_roster(path: Path | None, edition: Edition, reporter: Reporter) -> list[Athlete | None]:
    if path is None:
        return [None]
    roster: Roster | None = read_roster(
        path, ExerciseIndex.from_chapters(edition.book.chapters), reporter
    )
    return list(roster.athletes) if roster else []


def _run(
    jobs: list[Job],
    edition: Edition,
    options: PrintOptions,
    reporter: Reporter,
    progress: Progress,
) -> list[Result]:
    paper = options.paper or edition.book.config.paper
    progress(f"rendering {len(jobs)} PDF(s)...")
    started = time.perf_counter()
    batch = Batch(
        tuple(jobs), options.out_dir, layout_folders(edition.book), paper, options.workers
    )
    results = batch.run()
    seconds = time.perf_counter() - started
    rendered = sum(not r.skipped for r in results)
    progress(
        f"rendered {rendered} PDF(s) in {seconds:.2f} s ({rendered / max(seconds, 1e-9):.1f} per "
        f"second, {batch.processes(rendered)} process(es)); {len(results) - rendered} unchanged"
    )
    by_output = {job.output: job for job in jobs}
    for result in results:
        job = by_output[result.output]
        for warning in result.warnings:
            reporter.warning(f"{job.label}: {warning}", job.source)
        if result.error:
            reporter.error(f"{job.label}: {result.error}", job.source)
    return results


def _chapter_assets(doc: ChapterDoc, edition: Edition) -> tuple[Asset, ...]:
    names = set(etree.fromstring(f"<div>{doc.html}</div>").xpath(".//img/@src"))
    return tuple(a for a in edition.assets if a.name in names)


def _handout_body(doc: ChapterDoc, docs: dict[str, ChapterDoc], edition: Edition) -> str:
    """The chapter's XHTML with links to other chapters sent to their web page, or made text."""
    root = etree.fromstring(f"<div>{doc.html}</div>")
    # Links read `#anchor--id`; the anchor is the slug unless that is no XML name (names.py).
    by_anchor = {d.chapter.anchor: d for d in docs.values()}
    for link in list(root.iter("a")):
        href = link.get("href") or ""
        if not href.startswith("#") or href[1:] in doc.ids:
            continue
        target = by_anchor.get(href[1:].split("--")[0])
        url = chapter_link(target, edition.book.config)[0] if target else None
        if url:
            link.set("href", url)
            link.set("class", "ext")
        else:
            unwrap(link)
    return to_xhtml(root)
