"""The team roster (a CSV file): one row per athlete with their 1RM for each exercise.

Coaches keep rosters in spreadsheets, so the reader takes what spreadsheets export: UTF-8 with
or without a byte-order mark (older Windows exports in Windows-1252 are read with a warning),
commas, semicolons or tabs between cells (whichever the header row uses most), decimal commas
("102,5"), trailing empty cells and blank rows. The first row names the columns: `name` (or
`athlete`) for the athlete, every other column an exercise of the book by its title, slug or
alias, optionally marked "1RM" ("Back Squat 1RM", "back-squat (1RM)"). The name column is
declared as a `schema.Field` (`NAME`, alias `athlete`); a column given twice is reported in
the same words as a YAML key given twice. A cell holds that athlete's 1RM in the program's
units; an empty cell means not known.

Every problem is reported with the physical line it is on, and the reader goes on, so that one
run lists every mistake; `read_roster` then returns None.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from guidebook.diagnostics import Reporter
from guidebook.model import Chapter
from guidebook.numbers import parse_number
from guidebook.printables.exercises import ExerciseIndex
from guidebook.safeyaml import given_twice, lines
from guidebook.schema import Field
from guidebook.text import read_text_file
from guidebook.training import Athlete, Roster

NAME = Field("name", "str", "The athlete's name, one row per athlete.", aliases=("athlete",))
NAME_COLUMNS = (NAME.name, *NAME.aliases)
MAX_ONE_REP_MAX = 1000.0  # exclusive, in kg or lb
DELIMITERS = (",", ";", "\t")
EXAMPLE_HEADER = "name,Back Squat,Deadlift"

_ONE_RM = re.compile(r"\(?\b1\s*-?\s*rm\b\)?", re.IGNORECASE)


def read_roster(path: Path, index: ExerciseIndex, reporter: Reporter) -> Roster | None:
    """Read a roster CSV; report every problem with its line and return None if there was one."""
    errors_before = len(reporter.errors)
    text = read_text_file(path, reporter, "roster: ")
    if text is None:
        return None
    rows = _rows(text, path, reporter)
    if rows is None:
        return None
    if not rows:
        reporter.error(
            f"roster: the file is empty; the first row must name the columns, "
            f"e.g. '{EXAMPLE_HEADER}'",
            path,
        )
        return None
    header_line, header = rows[0]
    columns = _Columns.from_header(header, header_line, index, path, reporter)
    if columns is None:
        return None
    athletes = _athletes(rows[1:], columns, path, reporter)
    if not athletes and len(reporter.errors) == errors_before:
        reporter.error("roster: no athletes; add one row per athlete below the header row", path)
    if len(reporter.errors) > errors_before:
        return None
    return Roster(path, tuple(athletes))


# --- rows -------------------------------------------------------------------------------------

Row = tuple[int, list[str]]  # the physical line the row starts on, its cells


def _rows(text: str, path: Path, reporter: Reporter) -> list[Row] | None:
    """The non-blank rows with the line each starts on (a quoted cell may hold line breaks)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    rows: list[Row] = []
    start = 1
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                rows.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as exc:
        reporter.error(f"roster: this row is not valid CSV ({exc}); check its quotes", path, start)
        return None
    return rows


def _delimiter(text: str) -> str:
    """The separator the header row uses most: ',' (the default), ';' or a tab."""
    header = next((line for line in text.split("\n") if line.strip()), "")
    counts = {delimiter: header.count(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])  # first of equals: ','
    return best if counts[best] > 0 else ","


# --- the header -------------------------------------------------------------------------------


class _Columns:
    """What the header row says: the name column and the exercise of each 1RM column."""

    def __init__(
        self, name: int, exercises: dict[int, Chapter], unnamed: list[int], width: int
    ) -> None:
        self.name = name
        self.exercises = exercises
        self.unnamed = unnamed  # columns with an empty header: their cells must stay empty
        self.width = width  # cells beyond the header's last column must stay empty too

    @classmethod
    def from_header(
        cls, header: list[str], line: int, index: ExerciseIndex, path: Path, reporter: Reporter
    ) -> _Columns | None:
        name_columns: list[int] = []
        exercises: dict[int, Chapter] = {}
        unnamed: list[int] = []
        first_of: dict[str, int] = {}  # slug -> the column that named it first
        for number, raw in enumerate(header):
            title = " ".join(raw.split())
            if not title:
                unnamed.append(number)
            elif title.casefold() in NAME_COLUMNS:
                name_columns.append(number)
            else:
                chapter = _column_exercise(title, index, path, line, reporter)
                if chapter is None:
                    continue
                if chapter.slug in first_of:
                    first, names = first_of[chapter.slug], (header[first_of[chapter.slug]], raw)
                    where = lines(first + 1, number + 1, "column")
                    twice = given_twice(f"the 1RM for {chapter.slug}", where, _names(*names))
                    reporter.error(f"roster: {twice}", path, line)
                    continue
                first_of[chapter.slug] = number
                exercises[number] = chapter
        if not name_columns:
            reporter.error(
                "roster: no 'name' column; the first row must name the columns, "
                f"e.g. '{EXAMPLE_HEADER}'",
                path,
                line,
            )
            return None
        if len(name_columns) > 1:
            first, again = name_columns[:2]
            where = lines(first + 1, again + 1, "column")
            names = _names(header[first], header[again])
            twice = given_twice(f"column '{NAME.name}'", where, names)
            reporter.error(f"roster: {twice}", path, line)
        return cls(name_columns[0], exercises, unnamed, len(header))


def _names(first: str, again: str) -> tuple[str, str]:
    return " ".join(first.split()), " ".join(again.split())


def _column_exercise(
    title: str, index: ExerciseIndex, path: Path, line: int, reporter: Reporter
) -> Chapter | None:
    """The exercise a 1RM column header names: 'Back Squat', 'Back Squat 1RM', '1RM back squat'."""
    name = _ONE_RM.sub(" ", title)
    chapter = index.resolve(name)
    if chapter is None:
        reporter.error(
            f"roster: column '{title}' names no exercise in the book{index.hint(name)}",
            path,
            line,
        )
    return chapter


# --- the athletes -----------------------------------------------------------------------------


def _athletes(rows: list[Row], columns: _Columns, path: Path, reporter: Reporter) -> list[Athlete]:
    athletes: list[Athlete] = []
    first_line: dict[str, int] = {}  # normalised name -> line of its first row
    reported_unnamed: set[int] = set()
    for line, cells in rows:
        _check_unnamed_cells(cells, line, columns, reported_unnamed, path, reporter)
        name = " ".join(_cell(cells, columns.name).split())
        if not name:
            reporter.error(
                "roster: this row has no name; write the athlete's name in the "
                "name column, or delete the row",
                path,
                line,
            )
            continue
        key = name.casefold()
        if key in first_line:
            reporter.error(
                f"roster: athlete '{name}' is listed twice (lines {first_line[key]} and "
                f"{line}); keep one row per athlete, or tell them apart (e.g. 'Ana Silva 2')",
                path,
                line,
            )
            continue
        first_line[key] = line
        maxes = _one_rep_maxes(cells, name, line, columns, path, reporter)
        athletes.append(Athlete(name, maxes, line))
    return athletes


def _cell(cells: list[str], column: int) -> str:
    """A cell's text; a row cut short (trailing empty cells left out) reads as empty."""
    return cells[column].strip() if column < len(cells) else ""


def _check_unnamed_cells(
    cells: list[str],
    line: int,
    columns: _Columns,
    reported: set[int],
    path: Path,
    reporter: Reporter,
) -> None:
    """Cells in columns without a header, or beyond the header's last column, must be empty."""
    for column in [*columns.unnamed, *range(columns.width, len(cells))]:
        value = _cell(cells, column)
        if value and column not in reported:
            reported.add(column)
            reporter.error(
                f"roster: '{value}' is in column {column + 1}, which has no header; "
                "write the exercise's name at the top of that column, or clear the cell",
                path,
                line,
            )


def _one_rep_maxes(
    cells: list[str], name: str, line: int, columns: _Columns, path: Path, reporter: Reporter
) -> dict[str, float]:
    maxes: dict[str, float] = {}
    for column, chapter in columns.exercises.items():
        text = _cell(cells, column)
        if not text:
            continue
        what = f"the 1RM for {chapter.slug} of {name}"
        value = parse_number(text)
        if value is None:
            reporter.error(
                f"roster: '{text}' is not a number ({what}); write a number such as 102.5, "
                "or leave the cell empty",
                path,
                line,
            )
        elif not 0 < value < MAX_ONE_REP_MAX:
            reporter.error(
                f"roster: {text} is out of range ({what}); a 1RM is more than 0 and less "
                f"than {MAX_ONE_REP_MAX:g}",
                path,
                line,
            )
        else:
            maxes[chapter.slug] = value
    return maxes
