"""What the printables read besides the book: a program file and a roster of athletes.

Both are checked against the book's exercise chapters, once per build, whichever targets use
them. Every athlete gets a folder of their own, named safely and distinctly (`filenames.py`):
two names that give the same file name get a warning naming the roster line.
"""

from __future__ import annotations

from pathlib import Path

from guidebook.contract import Inputs
from guidebook.diagnostics import Reporter
from guidebook.filenames import file_stem, unique_stems
from guidebook.model import Edition
from guidebook.printables.exercises import ExerciseIndex
from guidebook.printables.program import read_program
from guidebook.printables.roster import read_roster
from guidebook.training import Athlete, Person


def read_inputs(
    edition: Edition,
    reporter: Reporter,
    slugs: tuple[str, ...] = (),
    program: Path | None = None,
    roster: Path | None = None,
    workers: int = 0,
    layout_cache: Path | None = None,
) -> Inputs:
    """Read the program and roster (errors go to `reporter`; the caller checks it)."""
    index = ExerciseIndex.from_chapters(edition.book.chapters)
    return Inputs(
        slugs=slugs,
        program=read_program(program, index, reporter) if program else None,
        people=_people(roster, index, reporter) if roster else ((None, ""),),
        workers=workers,
        layout_cache=layout_cache,
    )


def _people(path: Path, index: ExerciseIndex, reporter: Reporter) -> tuple[Person, ...]:
    """Each athlete and a folder of their own, distinct even when two names give the same
    file name."""
    roster = read_roster(path, index, reporter)
    if roster is None:
        return ()
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
    return tuple(zip(roster.athletes, folders, strict=True))
