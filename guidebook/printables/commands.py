"""The three printables commands: handouts, form sheets and session cards.

Each loads and converts the book as `build` does (so every content message is the same), turns
what it needs into render jobs and runs them as one batch (`batch.py`) into the writer's
staging folder; the PDFs replace the previous ones as a set only when every job succeeded
(`writer.py`, shared with `build`).

Only the chapters a command prints speak: warnings and notes about other chapters (a guide's
dead link when printing sheets) are left out. Every file and folder name (athlete, session,
chapter slug) is made by `filenames.py`: safe, and distinct, with a warning naming the roster
line when two athletes' names give the same folder.
"""

from __future__ import annotations

import difflib
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from guidebook.build import BuildOptions, build_time, prepare
from guidebook.convert.tree import to_xhtml, unwrap
from guidebook.diagnostics import BookError, Reporter
from guidebook.filenames import file_stem, unique_stems
from guidebook.model import Asset, ChapterDoc, Edition, Paper
from guidebook.printables.batch import Batch
from guidebook.printables.content import ExerciseSheet, chapter_link, exercise_sheets
from guidebook.printables.exercises import ExerciseIndex
from guidebook.printables.loads import format_number, working_load
from guidebook.printables.model import Athlete, Program, Roster
from guidebook.printables.program import read_program
from guidebook.printables.render import SHEET, Job, Result
from guidebook.printables.roster import read_roster
from guidebook.render.context import chapter_view
from guidebook.render.resources import layout_folders
from guidebook.writer import Written, check_replaceable, output_folder

Progress = Callable[[str], None]


@dataclass(frozen=True)
class PrintOptions:
    content_dir: Path
    out_dir: Path
    paper: Paper | None = None
    book_file: Path | None = None
    slugs: tuple[str, ...] = ()  # only these chapters (default: all that apply)
    workers: int = 0  # -j: 0 means every core
    written: Written = field(default_factory=Written)  # what is in place (for messages)


Person = tuple[Athlete | None, str]  # an athlete (None: no roster) and the folder of their files


def make_handouts(options: PrintOptions, reporter: Reporter, progress: Progress) -> list[Result]:
    edition, found = _prepare(options, reporter, progress, images_full_size=True)
    docs = {doc.chapter.slug: doc for doc in edition.chapters}
    chosen = _choose(options.slugs, docs, "chapter", reporter)
    _speak(found, reporter, edition, chosen)
    cfg = edition.book.config
    names = _stems(chosen, "chapter")
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
                options.out_dir / "handouts" / f"{names[slug]}.pdf",
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
    edition, found = _prepare(options, reporter, progress)
    sheets = exercise_sheets(edition, found)
    chosen = _choose(options.slugs, sheets, "exercise", reporter)
    _speak(found, reporter, edition, chosen)
    people = _people(roster, edition, reporter)
    reporter.check()
    jobs = sheet_jobs([sheets[s] for s in chosen], people, edition, options.out_dir)
    return _run(jobs, edition, options, reporter, progress)


def make_cards(
    options: PrintOptions,
    reporter: Reporter,
    progress: Progress,
    program_file: Path,
    roster: Path | None = None,
    with_sheets: bool = False,
) -> list[Result]:
    edition, found = _prepare(options, reporter, progress)
    index = ExerciseIndex.from_chapters(edition.book.chapters)
    program = read_program(program_file, index, reporter)
    sheets = exercise_sheets(edition, found)
    sessions = program.sessions if program else ()
    used = list(dict.fromkeys(p.slug for s in sessions for p in s.exercises))
    _speak(found, reporter, edition, used)
    people = _people(roster, edition, reporter)
    reporter.check()
    assert program is not None  # read_program reported why otherwise
    jobs = card_jobs(program, people, sheets, edition, options.out_dir)
    if with_sheets:
        jobs += sheet_jobs([sheets[s] for s in used], people, edition, options.out_dir)
    return _run(jobs, edition, options, reporter, progress)


# --- jobs ------------------------------------------------------------------------------------


def sheet_jobs(
    sheets: Sequence[ExerciseSheet],
    people: Sequence[Person],
    edition: Edition,
    out_dir: Path,
) -> list[Job]:
    cfg = edition.book.config
    paths = {doc.chapter.slug: doc.chapter.path for doc in edition.chapters}
    names = _stems([sheet.slug for sheet in sheets], "sheet")
    jobs = []
    for athlete, folder in people:
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
                    out_dir / "sheets" / folder / f"{names[sheet.slug]}.pdf",
                    assets=(sheet.thumbnail,) if sheet.thumbnail else (),
                    one_page=True,
                    qr=sheet.link,
                    label=f"sheet for {sheet.slug}",
                    too_long="shorten the chapter's metadata, steps or common mistakes",
                    source=paths.get(sheet.slug),
                )
            )
    return jobs


def card_jobs(
    program: Program,
    people: Sequence[Person],
    sheets: dict[str, ExerciseSheet],
    edition: Edition,
    out_dir: Path,
) -> list[Job]:
    cfg = edition.book.config
    names = unique_stems([file_stem(s.slug, "session") for s in program.sessions])
    jobs = []
    for athlete, folder in people:
        for session, name in zip(program.sessions, names, strict=True):
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
                    out_dir / "cards" / folder / f"{name}.pdf",
                    assets=thumbs,
                    one_page=True,
                    label=f"session card {name}",
                    too_long="split the session into two, or give fewer exercises or sets",
                    source=program.path,
                )
            )
    return jobs


def _stems(slugs: Sequence[str], fallback: str) -> dict[str, str]:
    """Each slug's file name: safe and distinct (see filenames.py)."""
    return dict(zip(slugs, unique_stems([file_stem(s, fallback) for s in slugs]), strict=True))


# --- shared steps ----------------------------------------------------------------------------


def _prepare(
    options: PrintOptions, reporter: Reporter, progress: Progress, images_full_size: bool = False
) -> tuple[Edition, Reporter]:
    """Load and convert the book; only handouts print its images at full size. What the
    content says is kept in the returned reporter until `_speak` knows what is printed."""
    found = Reporter(sink=None)  # not strict: a warning about an unprinted guide must not stop us
    try:
        edition = prepare(
            BuildOptions(
                options.content_dir,
                options.out_dir,
                formats=("pdf",),
                paper=options.paper,
                book_file=options.book_file,
            ),
            found,
            progress,
            for_print=images_full_size,
        )
    except BookError:
        _pass_on(found, reporter, lambda _path: True)
        reporter.check()
        raise
    build_time(reporter)  # a bad SOURCE_DATE_EPOCH: a warning, and the renderer never reads it
    return edition, found


def _speak(found: Reporter, reporter: Reporter, edition: Edition, printed: Collection[str]) -> None:
    """Pass on what the content said, except warnings and notes about chapters not printed;
    then stop if that is fatal (an error, or a warning under --strict)."""
    others = {doc.chapter.path for doc in edition.chapters if doc.chapter.slug not in printed}
    _pass_on(found, reporter, lambda path: path not in others)
    reporter.check()


def _pass_on(found: Reporter, reporter: Reporter, wanted: Callable[[Path | None], bool]) -> None:
    say = {"error": reporter.error, "warning": reporter.warning, "note": reporter.note}
    for diagnostic in found.diagnostics:
        if diagnostic.severity == "error" or wanted(diagnostic.path):
            say[diagnostic.severity](diagnostic.message, diagnostic.path, diagnostic.line)


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


def _people(path: Path | None, edition: Edition, reporter: Reporter) -> list[Person]:
    """Without a roster one person, no name, files in the folder itself; with one, each athlete
    and a folder of their own, distinct even when two names give the same file name."""
    if path is None:
        return [(None, "")]
    roster: Roster | None = read_roster(
        path, ExerciseIndex.from_chapters(edition.book.chapters), reporter
    )
    if roster is None:
        return []
    stems = [file_stem(athlete.name, "athlete") for athlete in roster.athletes]
    folders = unique_stems(stems)
    first: dict[str, Athlete] = {}
    for athlete, stem, folder in zip(roster.athletes, stems, folders, strict=True):
        other = first.setdefault(stem, athlete)
        if folder != stem:
            reporter.warning(
                f"roster: '{athlete.name}' and '{other.name}' (line {other.line}) give the same "
                f"file name '{stem}'; this athlete's files go in '{folder}'. Rename one of them "
                "to choose",
                roster.path,
                athlete.line,
            )
    return list(zip(roster.athletes, folders, strict=True))


def _run(
    jobs: list[Job],
    edition: Edition,
    options: PrintOptions,
    reporter: Reporter,
    progress: Progress,
) -> list[Result]:
    """Render the jobs into staging and, when none failed, move their PDFs into place."""
    paper = options.paper or edition.book.config.paper
    batch = Batch(
        tuple(jobs), options.out_dir, layout_folders(edition.book), paper, options.workers
    )
    with output_folder(options.out_dir, reporter, options.written) as staging:
        for job in jobs:  # refuse before rendering, not after minutes of it
            check_replaceable(options.out_dir, job.output, False, reporter)
        reporter.check()
        progress(f"rendering {len(jobs)} PDF(s)...")
        started = time.perf_counter()
        run = batch.run(staging.path_for)
        seconds = time.perf_counter() - started
        rendered = [r for r in run.results if not r.skipped]
        progress(
            f"rendered {len(rendered)} PDF(s) in {seconds:.2f} s "
            f"({len(rendered) / max(seconds, 1e-9):.1f} per second, "
            f"{batch.processes(len(rendered))} process(es)); "
            f"{len(run.results) - len(rendered)} unchanged"
        )
        by_output = {job.output: job for job in jobs}
        for result in rendered:
            job = by_output[result.output]
            for warning in result.warnings:
                reporter.warning(f"{job.label}: {warning}", job.source)
            if result.error:
                reporter.error(f"{job.label}: {result.error}", job.source)
        reporter.check()  # one failed PDF (or, under --strict, a warning): none is written
        staging.commit([result.output for result in rendered])
        run.remember()
    return run.results


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
