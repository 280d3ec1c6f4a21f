"""Programs: the exercise index, the YAML format, working loads, and every mistake's message.

The index is built from a few in-test chapters (and once from a loaded content folder): slugs
`back-squat` (title "Barbell Back Squat"), `romanian-deadlift`, `exercise-bench-press` (alias
`bench-press`), `plank`, and a guide `warm-up-routine`.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from conftest import quiet_reporter

from guidebook.load import load_book
from guidebook.model import Chapter, ChapterKind
from guidebook.printables.exercises import ExerciseIndex, normalise
from guidebook.printables.loads import format_number, parse_reps, round_to_step, working_load
from guidebook.printables.program import (
    EXERCISE_KEYS,
    PROGRAM_KEYS,
    SESSION_KEYS,
    read_program,
    session_slug,
)
from guidebook.training import Athlete, Load, Prescription, Program, Session


def chapter(
    slug: str, title: str, kind: ChapterKind = "exercise", aliases: tuple[str, ...] = ()
) -> Chapter:
    return Chapter(slug, Path(f"content/{slug}.md"), kind, title, f"# {title}\n", aliases=aliases)


SQUAT = chapter("back-squat", "Barbell Back Squat")
RDL = chapter("romanian-deadlift", "Romanian Deadlift")
BENCH = chapter("exercise-bench-press", "Bench Press", aliases=("bench-press",))
PLANK = chapter("plank", "Plank")
WARM_UP = chapter("warm-up-routine", "Warm-Up Routine", kind="guide")
INDEX = ExerciseIndex.from_chapters([SQUAT, RDL, BENCH, PLANK, WARM_UP])
PROGRAM = Path("program.yml")


def read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: str | bytes
) -> tuple[Program | None, list[str]]:
    """Read `data` as program.yml in tmp_path (the working directory, so paths print short)."""
    monkeypatch.chdir(tmp_path)
    if isinstance(data, str):
        PROGRAM.write_text(data, encoding="utf-8")
    else:
        PROGRAM.write_bytes(data)
    reporter = quiet_reporter()
    program = read_program(PROGRAM, INDEX, reporter)
    return program, [d.format() for d in reporter.diagnostics]


def one_exercise(units: str = "kg", **fields: str | None) -> str:
    """A program of one session holding one exercise.

    Lines: 1 title, 2 units, 3 sessions, 4 '- title: Legs', 5 exercises, then the exercise's
    keys from line 6: exercise, sets, reps (defaults back-squat, 3, 5; None leaves one out),
    then the other fields in the order given.
    """
    keys: dict[str, str | None] = {"exercise": "back-squat", "sets": "3", "reps": "5"}
    keys.update(fields)
    lines = [f"{key}: {value}" for key, value in keys.items() if value is not None]
    body = "\n".join(("      - " if n == 0 else "        ") + line for n, line in enumerate(lines))
    return f"title: T\nunits: {units}\nsessions:\n  - title: Legs\n    exercises:\n{body}\n"


# --- the exercise index -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("back-squat", "back-squat"),
        ("Barbell Back Squat", "back-squat"),
        ("  barbell   BACK-squat!! ", "back-squat"),
        ("BARBELL_BACK_SQUAT", "back-squat"),
        ("bench-press", "exercise-bench-press"),
        ("Bench press", "exercise-bench-press"),
        ("exercise bench press", "exercise-bench-press"),
        ("Romanian Deadlift", "romanian-deadlift"),
        ("Rómánian Deadlift", "romanian-deadlift"),
        ("squat", None),  # no partial matches
        ("Back Sqaut", None),  # no fuzzy matches
        ("warm-up-routine", None),  # guides are not exercises
        ("", None),
    ],
)
def test_index_resolves_slugs_aliases_and_titles_exactly(name: str, slug: str | None) -> None:
    resolved = INDEX.resolve(name)
    assert (resolved.slug if resolved is not None else None) == slug


@pytest.mark.parametrize(
    ("name", "suggestion"),
    [
        ("Back Sqaut", "Barbell Back Squat"),
        ("back squat", "Barbell Back Squat"),
        ("romanian dl", "Romanian Deadlift"),
        ("bench pres", "Bench Press"),
        ("planks", "Plank"),
        ("Kettlebell Swing", None),
        ("!!", None),
    ],
)
def test_index_suggests_the_closest_exercise_title(name: str, suggestion: str | None) -> None:
    assert INDEX.suggest(name) == suggestion


def test_index_prefers_a_slug_then_an_alias_then_a_title_then_book_order() -> None:
    front = chapter("front-squat", "Squat")  # its title is the next chapter's slug
    goblet = chapter("squat", "Goblet Squat")
    zercher = chapter("exercise-zercher", "Zercher Squat", aliases=("heavy-squat",))
    heavy = chapter("heavy-squat", "Heavy Squat")  # its slug is the last chapter's alias
    safety = chapter("exercise-safety-bar", "Safety Bar", aliases=("zercher-squat",))
    paused = chapter("paused-squat", "Paused Squat")
    box = chapter("box-squat", "Paused Squat")  # the same title as an earlier chapter
    index = ExerciseIndex.from_chapters([front, goblet, zercher, heavy, safety, paused, box])
    assert index.resolve("Squat") is goblet  # a slug beats a title
    assert index.resolve("heavy-squat") is heavy  # a slug beats an alias
    assert index.resolve("Zercher Squat") is safety  # an alias beats a title
    assert index.resolve("front squat") is front
    assert index.resolve("box squat") is box
    assert index.resolve("Paused Squat") is paused  # the earlier chapter wins


def test_index_explains_a_guide_name() -> None:
    assert INDEX.guide("Warm-up routine") is WARM_UP
    assert INDEX.guide("plank") is None
    assert INDEX.hint("Warm-up routine") == (
        " ('Warm-Up Routine' is a guide; only exercise chapters can be used here)"
    )


def test_normalise() -> None:
    assert normalise("  Pull-Up (Wide_Grip), Übung ") == "pull up wide grip ubung"


def test_index_from_a_loaded_book(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "exercises").mkdir(parents=True)
    (content / "guides").mkdir()
    (content / "exercises" / "exercise-goblet-squat.md").write_text("# Goblet Squat\n\nText.\n")
    (content / "guides" / "warm-up.md").write_text("# Warm-Up\n\nText.\n")
    book = load_book(content, None, quiet_reporter())
    index = ExerciseIndex.from_chapters(book.chapters)
    assert [ch.slug for ch in index.exercises] == ["exercise-goblet-squat"]
    for name in ("Goblet Squat", "goblet-squat", "exercise-goblet-squat"):
        resolved = index.resolve(name)
        assert resolved is not None
        assert resolved.slug == "exercise-goblet-squat"
    assert index.resolve("warm-up") is None
    assert index.guide("warm-up") is not None


# --- a whole program --------------------------------------------------------------------------

EXAMPLE = """\
title: Novice strength, block 1
units: kg
round_to: 2.5
sessions:
  - title: Lower body
    week: 1
    day: Monday
    exercises:
      - order: A1
        exercise: Barbell Back Squat
        sets: 3
        reps: 5
        load: 75%
        rpe: 8
        tempo: 31X0
        rest: 2 min
        notes: Belt on the top set
      - order: a2
        exercise: plank
        sets: 3
        reps: 30 s
        load: bodyweight
      - order: B
        exercise: Romanian deadlift
        sets: 3
        reps: 8-10
        load: 60 kg
        rir: 2
        tempo: "3010"
        rest: 90
  - title: Upper body
    week: 1
    day: Thursday
    exercises:
      - exercise: bench-press
        sets: 5
        reps: 5
        load: 72.5 % 1RM
      - exercise: Plank
        sets: 2
        reps: AMRAP
        notes: >
          Stop when the
          hips sag.
"""

EXAMPLE_PROGRAM = Program(
    PROGRAM,
    "Novice strength, block 1",
    "kg",
    2.5,
    (
        Session(
            "Lower body",
            "w01-monday-lower-body",
            (
                Prescription(
                    "A1",
                    "back-squat",
                    "Barbell Back Squat",
                    3,
                    "5",
                    Load("percent", "75% 1RM", 75.0),
                    "RPE 8",
                    "31X0",
                    "2 min",
                    "Belt on the top set",
                    9,
                ),
                Prescription(
                    "A2", "plank", "Plank", 3, "30 s", Load("text", "bodyweight"), line=18
                ),
                Prescription(
                    "B",
                    "romanian-deadlift",
                    "Romanian Deadlift",
                    3,
                    "8-10",
                    Load("weight", "60 kg", 60.0),
                    "RIR 2",
                    "3010",
                    "90 s",
                    line=23,
                ),
            ),
            week="1",
            day="Monday",
            line=5,
        ),
        Session(
            "Upper body",
            "w01-thursday-upper-body",
            (
                Prescription(
                    "1",
                    "exercise-bench-press",
                    "Bench Press",
                    5,
                    "5",
                    Load("percent", "72.5% 1RM", 72.5),
                    line=35,
                ),
                Prescription(
                    "2", "plank", "Plank", 2, "AMRAP", notes="Stop when the hips sag.", line=39
                ),
            ),
            week="1",
            day="Thursday",
            line=31,
        ),
    ),
)


def test_a_whole_program_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    program, lines = read(tmp_path, monkeypatch, EXAMPLE)
    assert lines == []
    assert program == EXAMPLE_PROGRAM


def test_the_smallest_program_takes_the_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "title: T\nsessions:\n  - title: Legs\n    exercises:\n      - exercise: plank\n"
    text += "        sets: 1\n        reps: 1 min\n"
    program, lines = read(tmp_path, monkeypatch, text)
    assert lines == []
    assert program == Program(
        PROGRAM,
        "T",
        "kg",
        2.5,
        (
            Session(
                "Legs", "legs", (Prescription("1", "plank", "Plank", 1, "1 min", line=5),), line=3
            ),
        ),
    )


@pytest.mark.parametrize(
    ("units", "round_to"), [("lb", 5.0), ("LBS", 5.0), ("kg", 2.5), ("kgs", 2.5)]
)
def test_units_set_the_default_rounding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, units: str, round_to: float
) -> None:
    program, lines = read(tmp_path, monkeypatch, one_exercise(units))
    assert lines == []
    assert program is not None
    assert (program.units, program.round_to) == (units.lower()[:2], round_to)


def test_a_program_in_windows_1252_is_read_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = one_exercise(notes="Genou déverrouillé").encode("cp1252")
    program, lines = read(tmp_path, monkeypatch, data)
    assert lines == [
        "program.yml:9: warning: program: the file is not UTF-8; read it as Windows-1252. "
        "Save it as UTF-8 to silence this"
    ]
    assert program is not None
    assert program.sessions[0].exercises[0].notes == "Genou déverrouillé"


# --- one field at a time ----------------------------------------------------------------------


def read_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, units: str = "kg", **fields: str | None
) -> Prescription:
    program, lines = read(tmp_path, monkeypatch, one_exercise(units, **fields))
    assert lines == []
    assert program is not None
    return program.sessions[0].exercises[0]


@pytest.mark.parametrize(
    ("written", "load"),
    [
        ("75%", Load("percent", "75% 1RM", 75.0)),
        ("75 %", Load("percent", "75% 1RM", 75.0)),
        ("75% 1RM", Load("percent", "75% 1RM", 75.0)),
        ("72,5% of 1rm", Load("percent", "72.5% 1RM", 72.5)),
        ("105%", Load("percent", "105% 1RM", 105.0)),
        ("60", Load("weight", "60 kg", 60.0)),
        ("62.5", Load("weight", "62.5 kg", 62.5)),
        ("60 kg", Load("weight", "60 kg", 60.0)),
        ("60KG", Load("weight", "60 kg", 60.0)),
        ("bodyweight", Load("text", "bodyweight")),
        ("light,   fast", Load("text", "light, fast")),
        ("'2 x 20 kg'", Load("text", "2 x 20 kg")),
    ],
)
def test_loads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, written: str, load: Load) -> None:
    assert read_one(tmp_path, monkeypatch, load=written).load == load


def test_a_weight_in_pounds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load = read_one(tmp_path, monkeypatch, units="lb", load="135 lbs").load
    assert load == Load("weight", "135 lb", 135.0)


@pytest.mark.parametrize(
    ("fields", "effort"),
    [
        ({"rpe": "8"}, "RPE 8"),
        ({"rpe": "7.5"}, "RPE 7.5"),
        ({"rpe": "'9,5'"}, "RPE 9.5"),
        ({"rpe": "10"}, "RPE 10"),
        ({"rir": "0"}, "RIR 0"),
        ({"rir": "3"}, "RIR 3"),
        ({}, None),
        ({"rpe": ""}, None),
    ],
)
def test_effort(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fields: dict[str, str], effort: str | None
) -> None:
    assert read_one(tmp_path, monkeypatch, **fields).effort == effort


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"tempo": "31X0"}, ("31X0", None)),
        ({"tempo": "31x0"}, ("31X0", None)),
        ({"tempo": "0310"}, ("0310", None)),  # as written: not YAML's octal 200
        ({"tempo": "2010"}, ("2010", None)),
        ({"rest": "90"}, (None, "90 s")),
        ({"rest": "1:30"}, (None, "1:30")),  # as written: not YAML's sexagesimal 90
        ({"rest": "2 min"}, (None, "2 min")),
        ({"rest": "90s"}, (None, "90s")),
    ],
)
def test_tempo_and_rest_are_kept_as_written(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fields: dict[str, str],
    expected: tuple[str | None, str | None],
) -> None:
    prescription = read_one(tmp_path, monkeypatch, **fields)
    assert (prescription.tempo, prescription.rest) == expected


@pytest.mark.parametrize(
    ("written", "reps"),
    [
        ("5", "5"),
        ("05", "5"),
        ("8-10", "8-10"),
        ("8 - 10", "8-10"),
        ("8–10", "8-10"),
        ("AMRAP", "AMRAP"),
        ("amrap", "AMRAP"),
        ("30 s", "30 s"),
        ("30s", "30 s"),
        ("45 sec", "45 s"),
        ("1 min", "1 min"),
        ("2 minutes", "2 min"),
        ("8 per side", "8 per side"),
        ("8/side", "8 per side"),
        ("10-12 each leg", "10-12 per leg"),
        ("30 s per side", "30 s per side"),
        ("0", None),
        ("10-8", None),
        ("5x5", None),
        ("max", None),
        ("30 m", "30 m"),
        ("200 metres", "200 m"),
        ("1 km", "1 km"),
        ("40 yards per side", "40 yd per side"),
        ("20 m each arm", "20 m per arm"),
        ("0 m", None),
        ("40 mm", None),
        ("10000 m", None),
        ("1.5 km", None),
        ("", None),
    ],
)
def test_parse_reps(written: str, reps: str | None) -> None:
    assert parse_reps(written) == reps


# --- session slugs ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "week", "day", "slug"),
    [
        ("Lower body", "1", "Monday", "w01-monday-lower-body"),
        ("Lower body", "12", None, "w12-lower-body"),
        ("Lower body", None, "Day 2", "day-2-lower-body"),
        ("Lower body", None, None, "lower-body"),
        ("Full Body (Heavy)", "Deload", "Sat", "wdeload-sat-full-body-heavy"),
        ("Ganzkörper", "3", None, "w03-ganzkorper"),
        ("全身", None, None, "quanshen"),  # transliterated
        ("💪", None, None, "session"),
    ],
)
def test_session_slug(title: str, week: str | None, day: str | None, slug: str) -> None:
    assert session_slug(title, week, day) == slug


def test_repeated_session_slugs_are_numbered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = "  - title: {}\n    exercises:\n      - {{exercise: plank, sets: 1, reps: 1}}\n"
    titles = ("Legs", "Legs", "Legs 2", "Legs")
    text = "title: T\nsessions:\n" + "".join(session.format(t) for t in titles)
    program, lines = read(tmp_path, monkeypatch, text)
    assert lines == []
    assert program is not None
    assert [s.slug for s in program.sessions] == ["legs", "legs-2", "legs-2-2", "legs-3"]


# --- working loads ----------------------------------------------------------------------------


def prescription(load: Load | None, slug: str = "back-squat") -> Prescription:
    return Prescription("1", slug, "Barbell Back Squat", 3, "5", load)


def program_in(units: str, round_to: float) -> Program:
    return Program(PROGRAM, "T", "kg" if units == "kg" else "lb", round_to, ())


ANA = Athlete("Ana Silva", {"back-squat": 102.5, "romanian-deadlift": 100.0})
BO = Athlete("Bo Chen", {"back-squat": 225.0, "romanian-deadlift": 105.0})


@pytest.mark.parametrize(
    ("load", "athlete", "units", "round_to", "expected"),
    [
        (Load("percent", "75% 1RM", 75.0), ANA, "kg", 2.5, "77.5 kg"),  # 76.875 -> 77.5
        (Load("percent", "80% 1RM", 80.0), ANA, "kg", 2.5, "82.5 kg"),  # 82.0 -> 82.5
        (Load("percent", "78% 1RM", 78.0), ANA, "kg", 2.5, "80 kg"),  # 79.95 -> 80
        (Load("percent", "75% 1RM", 75.0), ANA, "kg", 1.0, "77 kg"),  # 76.875 -> 77
        (Load("percent", "75% 1RM", 75.0), ANA, "kg", 1.25, "77.5 kg"),  # 76.875 -> 77.5
        (Load("percent", "75% 1RM", 75.0), BO, "lb", 5.0, "170 lb"),  # 168.75 -> 170
        (Load("percent", "70% 1RM", 70.0), BO, "lb", 5.0, "160 lb"),  # 157.5 -> 160
        (Load("percent", "100% 1RM", 100.0), ANA, "kg", 2.5, "102.5 kg"),
        (Load("percent", "75% 1RM", 75.0), None, "kg", 2.5, None),  # no athlete: fill in
        (Load("percent", "75% 1RM", 75.0), Athlete("Cy"), "kg", 2.5, None),  # no 1RM known
        (Load("weight", "60 kg", 60.0), ANA, "kg", 2.5, "60 kg"),
        (Load("weight", "60 kg", 60.0), None, "kg", 2.5, "60 kg"),
        (Load("text", "bodyweight"), ANA, "kg", 2.5, "bodyweight"),
        (None, ANA, "kg", 2.5, None),
    ],
)
def test_working_load(
    load: Load | None, athlete: Athlete | None, units: str, round_to: float, expected: str | None
) -> None:
    assert working_load(prescription(load), athlete, program_in(units, round_to)) == expected


def test_working_load_rounds_halves_up() -> None:
    # 50% of 105 lb is 52.5: exactly between 50 and 55.
    rdl = prescription(Load("percent", "50% 1RM", 50.0), slug="romanian-deadlift")
    assert working_load(rdl, BO, program_in("lb", 5.0)) == "55 lb"
    # 37.5% of 100 kg is 37.5: exactly between 35 and 40 with 5 kg plates.
    rdl = prescription(Load("percent", "37.5% 1RM", 37.5), slug="romanian-deadlift")
    assert working_load(rdl, ANA, program_in("kg", 5.0)) == "40 kg"


@pytest.mark.parametrize(
    ("value", "step", "expected"),
    [("76.875", "2.5", "77.5"), ("76.25", "2.5", "77.5"), ("76.24", "2.5", "75"), ("0", "5", "0")],
)
def test_round_to_step(value: str, step: str, expected: str) -> None:
    assert format_number(round_to_step(Decimal(value), Decimal(step))) == expected


@pytest.mark.parametrize(
    ("value", "text"), [(80.0, "80"), (82.5, "82.5"), (2.25, "2.25"), (Decimal("77.50"), "77.5")]
)
def test_format_number(value: float | Decimal, text: str) -> None:
    assert format_number(value) == text


# --- every mistake, its exact message ---------------------------------------------------------

P = "program.yml"
SETS = "expected a whole number from 1 to 20"
REPS = "expected a number (5), a range (8-10), AMRAP, a time (30 s) or a distance (40 m)"
NO_SESSIONS = "list them under 'sessions:', each starting with '- title:'"
NO_EXERCISES = "list them under 'exercises:', each starting with '- exercise:'"
SESSION_HEAD = "title: T\nsessions:\n  - title: Legs\n"
ONE_PLANK = "      - {exercise: plank, sets: 1, reps: 1}\n"

ERRORS: dict[str, tuple[str, list[str]]] = {
    # the file
    "not YAML": (
        "title: [Novice\nsessions: []\n",
        [f"{P}:2: error: program: invalid YAML: expected ',' or ']', but got ':'"],
    ),
    "indented with a tab": (
        "title: T\nsessions:\n\t- title: Legs\n",
        [
            f"{P}:3: error: program: invalid YAML: a tab; indent with spaces (YAML: found "
            "character '\\t' that cannot start any token)"
        ],
    ),
    "an empty file": (
        "# nothing yet\n",
        [
            f"{P}: error: program: the file is empty; start with 'title:', then list the "
            "sessions under 'sessions:'"
        ],
    ),
    "a list instead of the program's keys": (
        "- title: Legs\n",
        [
            f"{P}:1: error: program: expected 'key: value' lines (title, units, round_to, "
            "sessions), got a list"
        ],
    ),
    "a key given twice": (
        one_exercise(notes="a", rest="60", tempo="31X0").replace("tempo:", "notes:"),
        [f"{P}:11: error: program: key 'notes' is given twice (lines 9 and 11); keep one of them"],
    ),
    "a session's key given twice (nested, same words)": (
        one_exercise().replace("  - title: Legs\n", "  - title: Legs\n    title: Arms\n"),
        [f"{P}:5: error: program: key 'title' is given twice (lines 4 and 5); keep one of them"],
    ),
    "the program's key given twice": (
        one_exercise().replace("units: kg\n", "units: kg\nunits: lb\n"),
        [f"{P}:3: error: program: key 'units' is given twice (lines 2 and 3); keep one of them"],
    ),
    # the program's keys
    "unknown top-level keys": (
        "titel: T\nsessions: []\nweeks: 4\n",
        [
            f"{P}:1: error: program: unknown key 'titel' (did you mean 'title'?)",
            f"{P}:3: error: program: unknown key 'weeks'; known keys: title, units, round_to, "
            "sessions",
            f"{P}:1: error: program: the program has no 'title'; add one, e.g. "
            "'title: Novice strength, block 1'",
            f"{P}:2: error: program: the program has no sessions; {NO_SESSIONS}",
        ],
    ),
    "an empty title": (
        'title: ""\nsessions:\n',
        [
            f"{P}:1: error: program: title: expected a text, got ''",
            f"{P}:2: error: program: the program has no sessions; {NO_SESSIONS}",
        ],
    ),
    "no sessions key": (
        "title: T\n",
        [f"{P}:1: error: program: the program has no sessions; {NO_SESSIONS}"],
    ),
    "sessions is not a list": (
        "title: T\nsessions: Legs\n",
        [
            f"{P}:2: error: program: sessions: expected a list of sessions, each starting with "
            "'- title:', got 'Legs'"
        ],
    ),
    "unknown units": (
        one_exercise("stone"),
        [f"{P}:2: error: program: units: expected kg or lb, got 'stone'"],
    ),
    "round_to is not a positive number": (
        one_exercise().replace("units: kg", "units: lb\nround_to: 0"),
        [f"{P}:3: error: program: round_to: expected a number more than 0, like 5, got '0'"],
    ),
    "round_to is text": (
        one_exercise().replace("units: kg", "round_to: plates"),
        [f"{P}:2: error: program: round_to: expected a number more than 0, like 2.5, got 'plates'"],
    ),
    # sessions
    "a session that is not a mapping": (
        "title: T\nsessions:\n  - Legs\n  - title: Arms\n    exercises:\n" + ONE_PLANK,
        [
            f"{P}:3: error: program: sessions: expected a session ('title:', 'exercises:' ...), "
            "got 'Legs'"
        ],
    ),
    "a session without a title, with an unknown key": (
        "title: T\nsessions:\n  - name: Legs\n    exercises:\n" + ONE_PLANK,
        [
            f"{P}:3: error: program: unknown key 'name'; known keys: title, week, day, exercises",
            f"{P}:3: error: program: this session has no 'title'; add one, e.g. 'title: Legs'",
        ],
    ),
    "a session without exercises": (
        SESSION_HEAD + "    week: 1\n",
        [f"{P}:3: error: program: session 'Legs' has no exercises; {NO_EXERCISES}"],
    ),
    "a session with an empty exercise list": (
        SESSION_HEAD + "    exercises: []\n",
        [f"{P}:4: error: program: session 'Legs' has no exercises; {NO_EXERCISES}"],
    ),
    "a session's exercise key misspelt": (
        SESSION_HEAD + "    exercise:\n" + ONE_PLANK,
        [
            f"{P}:4: error: program: unknown key 'exercise' (did you mean 'exercises'?)",
            f"{P}:3: error: program: session 'Legs' has no exercises; {NO_EXERCISES}",
        ],
    ),
    "exercises is not a list": (
        SESSION_HEAD + "    exercises: plank\n",
        [
            f"{P}:4: error: program: exercises: expected a list of exercises, each starting "
            "with '- exercise:', got 'plank'"
        ],
    ),
    "an exercise that is not a mapping": (
        SESSION_HEAD + "    exercises:\n      - plank\n" + ONE_PLANK,
        [
            f"{P}:5: error: program: exercises: expected an exercise ('exercise:', 'sets:', "
            "'reps:' ...), got 'plank'"
        ],
    ),
    "a week given as a list": (
        SESSION_HEAD + "    week: [1, 2]\n    exercises:\n" + ONE_PLANK,
        [f"{P}:4: error: program: week: expected a text, got a list"],
    ),
    # exercises: names
    "an exercise not in the book": (
        one_exercise(exercise="Back Sqaut"),
        [
            f"{P}:6: error: program: exercise 'Back Sqaut' is not in the book (did you mean "
            "'Barbell Back Squat'?)"
        ],
    ),
    "an exercise not in the book, nothing close": (
        one_exercise(exercise="Turkish get-up"),
        [
            f"{P}:6: error: program: exercise 'Turkish get-up' is not in the book; write the "
            "title or the file name of one of the book's exercise chapters"
        ],
    ),
    "a guide named as an exercise": (
        one_exercise(exercise="Warm-Up Routine"),
        [
            f"{P}:6: error: program: exercise 'Warm-Up Routine' is not in the book "
            "('Warm-Up Routine' is a guide; only exercise chapters can be used here)"
        ],
    ),
    "no exercise name": (
        one_exercise(exercise=None),
        [
            f"{P}:6: error: program: this exercise has no 'exercise'; add one, e.g. "
            "'exercise: Goblet Squat'"
        ],
    ),
    "an empty exercise name": (
        one_exercise(exercise=""),
        [f"{P}:6: error: program: exercise: expected a text, got nothing"],
    ),
    # exercises: keys
    "an unknown key, with a did-you-mean": (
        one_exercise(set="4"),
        [f"{P}:9: error: program: unknown key 'set' (did you mean 'sets'?)"],
    ),
    "a key in capitals": (
        one_exercise(Tempo="31X0"),
        [f"{P}:9: error: program: unknown key 'Tempo' (did you mean 'tempo'?)"],
    ),
    "no sets and no reps": (
        one_exercise(sets=None, reps=None),
        [
            f"{P}:6: error: program: exercise 'back-squat' has no 'sets'; add them, e.g. 'sets: 3'",
            f"{P}:6: error: program: exercise 'back-squat' has no 'reps'; add them, e.g. "
            "'reps: 5' or 'reps: 8-10'",
        ],
    ),
    "sets out of range or not whole": (
        one_exercise(sets="0")
        + ONE_PLANK.replace("sets: 1", "sets: 21")
        + ONE_PLANK.replace("sets: 1", "sets: 2.5")
        + ONE_PLANK.replace("sets: 1", "sets: three")
        + ONE_PLANK.replace("sets: 1", "sets:"),
        [
            f"{P}:7: error: program: sets: {SETS}, got '0'",
            f"{P}:9: error: program: sets: {SETS}, got '21'",
            f"{P}:10: error: program: sets: {SETS}, got '2.5'",
            f"{P}:11: error: program: sets: {SETS}, got 'three'",
            f"{P}:12: error: program: sets: {SETS}, got nothing",
        ],
    ),
    "reps that are not reps": (
        one_exercise(reps="5x5")
        + ONE_PLANK.replace("reps: 1", "reps: 10-8")
        + ONE_PLANK.replace("reps: 1", "reps: [5, 5]"),
        [
            f"{P}:8: error: program: reps: {REPS}, got '5x5'",
            f"{P}:9: error: program: reps: {REPS}, got '10-8'",
            f"{P}:10: error: program: reps: {REPS}, got a list",
        ],
    ),
    # exercises: loads
    "a share of 1RM out of range": (
        one_exercise(load="0%") + ONE_PLANK.replace("}", ", load: 130%}"),
        [
            f"{P}:9: error: program: load: 0% is out of range; a share of 1RM is more than 0% "
            "and at most 120%",
            f"{P}:10: error: program: load: 130% is out of range; a share of 1RM is more than "
            "0% and at most 120%",
        ],
    ),
    "a weight in the other units": (
        one_exercise(load="135 lb") + ONE_PLANK.replace("}", ", load: 60 kg}"),
        [
            f"{P}:9: error: program: load: '135 lb' is in lb but the program is in kg; write it "
            "in kg, or set 'units: lb'"
        ],
    ),
    "a weight out of range": (
        one_exercise("lb", load="0 lb") + ONE_PLANK.replace("}", ", load: 1000}"),
        [
            f"{P}:9: error: program: load: 0 lb is out of range; a weight is more than 0 and "
            "less than 1000",
            f"{P}:10: error: program: load: 1000 is out of range; a weight is more than 0 and "
            "less than 1000",
        ],
    ),
    # exercises: effort
    "rpe and rir both": (
        one_exercise(rpe="8", rir="2"),
        [f"{P}:10: error: program: this exercise has both rpe and rir; keep one of them"],
    ),
    "rpe out of range or not in halves": (
        one_exercise(rpe="11")
        + ONE_PLANK.replace("}", ", rpe: 8.25}")
        + ONE_PLANK.replace("}", ", rpe: hard}")
        + ONE_PLANK.replace("}", ", rpe: 0.5}"),
        [
            f"{P}:9: error: program: rpe: expected a number from 1 to 10 (halves allowed, "
            "like 8.5), got '11'",
            f"{P}:10: error: program: rpe: expected a number from 1 to 10 (halves allowed, "
            "like 8.5), got '8.25'",
            f"{P}:11: error: program: rpe: expected a number from 1 to 10 (halves allowed, "
            "like 8.5), got 'hard'",
            f"{P}:12: error: program: rpe: expected a number from 1 to 10 (halves allowed, "
            "like 8.5), got '0.5'",
        ],
    ),
    "rir out of range or not whole": (
        one_exercise(rir="-1")
        + ONE_PLANK.replace("}", ", rir: 1.5}")
        + ONE_PLANK.replace("}", ", rir: 11}"),
        [
            f"{P}:9: error: program: rir: expected a whole number from 0 to 10, got '-1'",
            f"{P}:10: error: program: rir: expected a whole number from 0 to 10, got '1.5'",
            f"{P}:11: error: program: rir: expected a whole number from 0 to 10, got '11'",
        ],
    ),
    # exercises: tempo and the rest
    "tempos that are not four digits or X": (
        one_exercise(tempo="3-1-X-0")
        + ONE_PLANK.replace("}", ", tempo: 31X}")
        + ONE_PLANK.replace("}", ", tempo: 31Y0}")
        + ONE_PLANK.replace("}", ", tempo: 30100}"),
        [
            f"{P}:9: error: program: tempo: expected 4 characters, each a digit or X, like "
            "31X0, got '3-1-X-0'",
            f"{P}:10: error: program: tempo: expected 4 characters, each a digit or X, like "
            "31X0, got '31X'",
            f"{P}:11: error: program: tempo: expected 4 characters, each a digit or X, like "
            "31X0, got '31Y0'",
            f"{P}:12: error: program: tempo: expected 4 characters, each a digit or X, like "
            "31X0, got '30100'",
        ],
    ),
    "notes that are a list": (
        one_exercise(notes="[a, b]"),
        [f"{P}:9: error: program: notes: expected a text, got a list"],
    ),
    # exercises: order
    "an order label used twice": (
        SESSION_HEAD
        + "    exercises:\n"
        + ONE_PLANK.replace("{", "{order: A1, ")
        + ONE_PLANK.replace("{", "{order: a2, ")
        + ONE_PLANK.replace("{", "{order: A2, "),
        [
            f"{P}:7: error: program: order 'A2' is used twice in session 'Legs' (lines 6 and "
            "7); give each exercise its own label"
        ],
    ),
    "an order missing where others have one": (
        SESSION_HEAD + "    exercises:\n" + ONE_PLANK.replace("{", "{order: A1, ") + ONE_PLANK,
        [
            f"{P}:6: error: program: this exercise has no 'order' but others in the session "
            "have one; give every exercise of the session an order (1, 2 or A1, A2, B1 ...)"
        ],
    ),
    "an order that is not a short label": (
        one_exercise(order="'A 1'") + ONE_PLANK.replace("{", "{order: A1-B2, "),
        [
            f"{P}:9: error: program: order: expected a short label like 1, 2 or A1, A2, got 'A 1'",
            f"{P}:10: error: program: order: expected a short label like 1, 2 or A1, A2, "
            "got 'A1-B2'",
        ],
    ),
}


@pytest.mark.parametrize(("text", "expected"), ERRORS.values(), ids=ERRORS.keys())
def test_a_program_mistake_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, expected: list[str]
) -> None:
    program, lines = read(tmp_path, monkeypatch, text)
    assert lines == expected
    assert program is None


def test_every_mistake_of_a_file_in_one_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = EXAMPLE.replace("Barbell Back Squat", "Back Sqaut").replace("reps: 8-10", "rep: 8")
    text = text.replace("tempo: 31X0", "tempo: 3-1-X-0").replace("sets: 5", "sets: 50")
    program, lines = read(tmp_path, monkeypatch, text)
    assert lines == [
        f"{P}:10: error: program: exercise 'Back Sqaut' is not in the book (did you mean "
        "'Barbell Back Squat'?)",
        f"{P}:15: error: program: tempo: expected 4 characters, each a digit or X, like "
        "31X0, got '3-1-X-0'",
        f"{P}:26: error: program: unknown key 'rep' (did you mean 'reps'?)",
        f"{P}:23: error: program: exercise 'Romanian deadlift' has no 'reps'; add them, e.g. "
        "'reps: 5' or 'reps: 8-10'",
        f"{P}:36: error: program: sets: {SETS}, got '50'",
    ]
    assert program is None


def test_a_missing_file_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    reporter = quiet_reporter()
    assert read_program(Path("nowhere.yml"), INDEX, reporter) is None
    assert [d.format() for d in reporter.diagnostics] == [
        "nowhere.yml: error: program: cannot read the file: No such file or directory"
    ]


def documentation() -> str:
    return (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("key", sorted({*PROGRAM_KEYS, *SESSION_KEYS, *EXERCISE_KEYS}))
def test_every_program_key_is_documented(key: str) -> None:
    assert f"| `{key}` |" in documentation()
