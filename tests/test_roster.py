"""Rosters: what spreadsheets export is read, and every mistake is pinned to its exact message.

The index is built from a few in-test chapters: slugs `back-squat` (title "Barbell Back Squat"),
`deadlift`, `exercise-bench-press` (alias `bench-press`), and a guide `warm-up-routine`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import quiet_reporter

from guidebook.model import Chapter, ChapterKind
from guidebook.numbers import parse_number
from guidebook.printables.exercises import ExerciseIndex
from guidebook.printables.roster import read_roster
from guidebook.training import Athlete, Roster


def chapter(
    slug: str, title: str, kind: ChapterKind = "exercise", aliases: tuple[str, ...] = ()
) -> Chapter:
    return Chapter(slug, Path(f"content/{slug}.md"), kind, title, f"# {title}\n", aliases=aliases)


INDEX = ExerciseIndex.from_chapters(
    [
        chapter("back-squat", "Barbell Back Squat"),
        chapter("deadlift", "Deadlift"),
        chapter("exercise-bench-press", "Bench Press", aliases=("bench-press",)),
        chapter("warm-up-routine", "Warm-Up Routine", kind="guide"),
    ]
)
ROSTER = Path("roster.csv")


def read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: str | bytes
) -> tuple[Roster | None, list[str]]:
    """Read `data` as roster.csv in tmp_path (the working directory, so paths print short)."""
    monkeypatch.chdir(tmp_path)
    if isinstance(data, str):
        ROSTER.write_text(data, encoding="utf-8", newline="")
    else:
        ROSTER.write_bytes(data)
    reporter = quiet_reporter()
    roster = read_roster(ROSTER, INDEX, reporter)
    return roster, [d.format() for d in reporter.diagnostics]


# --- what is read -----------------------------------------------------------------------------

HAPPY = {
    "plain commas, titles and slugs": (
        "name,Barbell Back Squat,deadlift\nAna Silva,102.5,140\nBo Chen,80,\n",
        (
            Athlete("Ana Silva", {"back-squat": 102.5, "deadlift": 140.0}, 2),
            Athlete("Bo Chen", {"back-squat": 80.0}, 3),
        ),
    ),
    "semicolons, decimal commas, a BOM, CRLF and 1RM marks": (
        "\ufeffAthlete;Back-Squat 1RM;1RM DEADLIFT;bench press (1RM)\r\nAna Silva;102,5;140;60\r\n",
        (
            Athlete(
                "Ana Silva",
                {"back-squat": 102.5, "deadlift": 140.0, "exercise-bench-press": 60.0},
                2,
            ),
        ),
    ),
    "tabs, blank rows, short rows, trailing empty cells and spaces": (
        "\n"
        "NAME\tbarbell-back-squat\t1 rm  Deadlift\t\t\n"
        "\n"
        "  Ana   Silva \t 100 \n"
        "\t\t\t\t\n"
        "Bo Chen\t\t180\t\t\n",
        (
            Athlete("Ana Silva", {"back-squat": 100.0}, 4),
            Athlete("Bo Chen", {"deadlift": 180.0}, 6),
        ),
    ),
    "quoted cells, one holding a line break (lines are physical lines)": (
        'name,"Deadlift, 1RM"\n"Silva, Ana",100\n"Bo\nChen",110\nCy,120\n',
        (
            Athlete("Silva, Ana", {"deadlift": 100.0}, 2),
            Athlete("Bo Chen", {"deadlift": 110.0}, 3),
            Athlete("Cy", {"deadlift": 120.0}, 5),
        ),
    ),
    "an alias names its exercise; the 1RM is kept under the chapter's slug": (
        "name,bench-press 1RM\nAna,50\n",
        (Athlete("Ana", {"exercise-bench-press": 50.0}, 2),),
    ),
}


@pytest.mark.parametrize(("text", "athletes"), HAPPY.values(), ids=HAPPY.keys())
def test_a_roster_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, athletes: tuple[Athlete, ...]
) -> None:
    roster, lines = read(tmp_path, monkeypatch, text)
    assert lines == []
    assert roster == Roster(ROSTER, athletes)


def test_the_slug_keys_every_1rm_whatever_name_the_header_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    roster, _lines = read(tmp_path, monkeypatch, "name,Bench Press,\nAna,50,\n")
    assert roster is not None
    assert roster.athletes[0].one_rep_max == {"exercise-bench-press": 50.0}


def test_a_windows_1252_roster_is_read_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = "name,deadlift\nAna,100\nJosé Núñez,120\n".encode("cp1252")
    roster, lines = read(tmp_path, monkeypatch, data)
    assert lines == [
        "roster.csv:3: warning: roster: the file is not UTF-8; read it as Windows-1252. "
        "Save it as UTF-8 to silence this"
    ]
    assert roster == Roster(
        ROSTER,
        (Athlete("Ana", {"deadlift": 100.0}, 2), Athlete("José Núñez", {"deadlift": 120.0}, 3)),
    )


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("102.5", 102.5),
        ("102,5", 102.5),
        (" 80 ", 80.0),
        ("0", 0.0),
        ("abc", None),
        ("102.5 kg", None),
        ("-5", None),
        ("1.002,5", None),
        ("1e3", None),
        ("", None),
    ],
)
def test_parse_number(text: str, value: float | None) -> None:
    assert parse_number(text) == value


# --- every mistake, its exact message ---------------------------------------------------------

NOT_A_NUMBER = "write a number such as 102.5, or leave the cell empty"
NO_HEADER = "write the exercise's name at the top of that column, or clear the cell"

ERRORS = {
    "an unknown column, with a did-you-mean": (
        "name,Back Sqaut 1RM,deadlift\nAna,100,120\n",
        [
            "roster.csv:1: error: roster: column 'Back Sqaut 1RM' names no exercise in the "
            "book (did you mean 'Barbell Back Squat'?)"
        ],
    ),
    "an unknown column, nothing close": (
        "name,Kettlebell Swing\nAna,24\n",
        [
            "roster.csv:1: error: roster: column 'Kettlebell Swing' names no exercise in the "
            "book; write the title or the file name of one of the book's exercise chapters"
        ],
    ),
    "a guide is not an exercise": (
        "name,Warm-up routine\nAna,1\n",
        [
            "roster.csv:1: error: roster: column 'Warm-up routine' names no exercise in the "
            "book ('Warm-Up Routine' is a guide; only exercise chapters can be used here)"
        ],
    ),
    "two columns for one exercise": (
        "name,back-squat,Barbell Back Squat 1RM\nAna,100,100\n",
        [
            "roster.csv:1: error: roster: the 1RM for back-squat is given twice, as "
            "'back-squat' and 'Barbell Back Squat 1RM' (columns 2 and 3); keep one of them"
        ],
    ),
    "no name column": (
        "athlete name,deadlift\nAna,100\n",
        [
            "roster.csv:1: error: roster: column 'athlete name' names no exercise in the "
            "book; write the title or the file name of one of the book's exercise chapters",
            "roster.csv:1: error: roster: no 'name' column; the first row must name the "
            "columns, e.g. 'name,Back Squat,Deadlift'",
        ],
    ),
    "two name columns": (
        "name,deadlift,Athlete\nAna,100,Ana\n",
        [
            "roster.csv:1: error: roster: column 'name' is given twice, as 'name' and "
            "'Athlete' (columns 1 and 3); keep one of them"
        ],
    ),
    "a 1RM that is not a number": (
        "name,back-squat\nAna Silva,abc\n",
        [
            "roster.csv:2: error: roster: 'abc' is not a number (the 1RM for back-squat of "
            f"Ana Silva); {NOT_A_NUMBER}"
        ],
    ),
    "a 1RM with its unit": (
        "name,deadlift\nAna Silva,100 kg\n",
        [
            "roster.csv:2: error: roster: '100 kg' is not a number (the 1RM for deadlift of "
            f"Ana Silva); {NOT_A_NUMBER}"
        ],
    ),
    "1RMs out of range": (
        "name,deadlift,back-squat\nAna,0,1000\nBo,999.5,0.5\n",
        [
            "roster.csv:2: error: roster: 0 is out of range (the 1RM for deadlift of Ana); "
            "a 1RM is more than 0 and less than 1000",
            "roster.csv:2: error: roster: 1000 is out of range (the 1RM for back-squat of Ana); "
            "a 1RM is more than 0 and less than 1000",
        ],
    ),
    "a row without a name": (
        "name,deadlift\nAna,100\n  ,120\n",
        [
            "roster.csv:3: error: roster: this row has no name; write the athlete's name in "
            "the name column, or delete the row"
        ],
    ),
    "an athlete listed twice (names compared ignoring case and spacing)": (
        "name,deadlift\nAna Silva,100\nBo,90\nana  SILVA,105\n",
        [
            "roster.csv:4: error: roster: athlete 'ana SILVA' is listed twice (lines 2 and 4); "
            "keep one row per athlete, or tell them apart (e.g. 'Ana Silva 2')"
        ],
    ),
    "a value under an empty header, and one past the last column (reported once each)": (
        "name,deadlift,\nAna,100,5\nBo,90,6,7\nCy,80,,8\n",
        [
            f"roster.csv:2: error: roster: '5' is in column 3, which has no header; {NO_HEADER}",
            f"roster.csv:3: error: roster: '7' is in column 4, which has no header; {NO_HEADER}",
        ],
    ),
    "an empty file": (
        "",
        [
            "roster.csv: error: roster: the file is empty; the first row must name the "
            "columns, e.g. 'name,Back Squat,Deadlift'"
        ],
    ),
    "a file of blank lines and empty cells": (
        "\n ,\n\n",
        [
            "roster.csv: error: roster: the file is empty; the first row must name the "
            "columns, e.g. 'name,Back Squat,Deadlift'"
        ],
    ),
    "a header and no athletes": (
        "name,deadlift\n,\n",
        ["roster.csv: error: roster: no athletes; add one row per athlete below the header row"],
    ),
    "a quote never closed": (
        'name,deadlift\nAna,100\n"Bo,90\nCy,80\n',
        [
            "roster.csv:3: error: roster: this row is not valid CSV (unexpected end of data); "
            "check its quotes"
        ],
    ),
    "text after a closing quote": (
        'name,deadlift\n"Ana" Silva,100\n',
        [
            "roster.csv:2: error: roster: this row is not valid CSV (',' expected after '\"'); "
            "check its quotes"
        ],
    ),
    "every mistake of a file in one run, lines counted across a quoted line break": (
        'name,deadlift,back-squat\n"Ana\nSilva",x,100\n,1\nBo,2000,\n"Ana Silva",1,1\n',
        [
            "roster.csv:2: error: roster: 'x' is not a number (the 1RM for deadlift of "
            f"Ana Silva); {NOT_A_NUMBER}",
            "roster.csv:4: error: roster: this row has no name; write the athlete's name in "
            "the name column, or delete the row",
            "roster.csv:5: error: roster: 2000 is out of range (the 1RM for deadlift of Bo); "
            "a 1RM is more than 0 and less than 1000",
            "roster.csv:6: error: roster: athlete 'Ana Silva' is listed twice (lines 2 and 6); "
            "keep one row per athlete, or tell them apart (e.g. 'Ana Silva 2')",
        ],
    ),
}


@pytest.mark.parametrize(("text", "expected"), ERRORS.values(), ids=ERRORS.keys())
def test_a_roster_mistake_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, expected: list[str]
) -> None:
    roster, lines = read(tmp_path, monkeypatch, text)
    assert lines == expected
    assert roster is None


def test_a_binary_file_is_not_a_roster(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = "name,deadlift\nAna,100\n".encode("utf-16")
    roster, lines = read(tmp_path, monkeypatch, data)
    assert lines == [
        "roster.csv: error: roster: this is not a text file (it contains NUL bytes); "
        "save it as UTF-8 text"
    ]
    assert roster is None


def test_a_missing_file_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    reporter = quiet_reporter()
    assert read_roster(Path("nowhere.csv"), INDEX, reporter) is None
    assert [d.format() for d in reporter.diagnostics] == [
        "nowhere.csv: error: roster: cannot read the file: No such file or directory"
    ]
