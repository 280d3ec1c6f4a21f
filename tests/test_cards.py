"""Session cards (`program`): one page per session and athlete, loads from each athlete's 1RM."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO, copy_sample, run_cli
from pypdf import PdfReader
from test_printables import check_print_rules

from guidebook.logplan import LogPlan
from guidebook.printables.cardlog import blocks, card_log, set_boxes
from guidebook.training import Load, Prescription

PROGRAM = REPO / "programs" / "beginner-block.yml"
ROSTER = REPO / "programs" / "athletes.csv"


def text_of(path: Path) -> str:
    return " ".join(PdfReader(path).pages[0].extract_text().split())


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_sample(tmp_path_factory.mktemp("cards"))


@pytest.mark.slow
@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_one_card_per_session_and_athlete_each_one_page(project: Path, paper: str) -> None:
    out = project / f"out-{paper}"
    code, _, stderr = run_cli(
        "program", PROGRAM, "--roster", ROSTER, "--paper", paper, "--out", out, "-q", cwd=project
    )
    assert code == 0, stderr
    cards = sorted(str(p.relative_to(out / "cards")) for p in (out / "cards").rglob("*.pdf"))
    assert cards == [
        f"{athlete}/{session}.pdf"
        for athlete in ("ana-silva", "bo-chen", "chidi-okeke")
        for session in ("w01-monday-lower-body-and-core", "w01-thursday-upper-body")
    ]
    for card in (out / "cards").rglob("*.pdf"):
        check_print_rules(card, paper)


@pytest.mark.slow
def test_loads_are_worked_out_from_each_athletes_1rm(project: Path, tmp_path: Path) -> None:
    code, _, stderr = run_cli(
        "program", PROGRAM, "--roster", ROSTER, "--out", tmp_path, "-q", cwd=project
    )
    assert code == 0, stderr
    ana = text_of(tmp_path / "cards" / "ana-silva" / "w01-monday-lower-body-and-core.pdf")
    # 70% of 40 kg = 28 -> 27.5 (2.5 kg steps); 65% of 80 kg = 52 -> 52.5.
    for expected in (
        "Ana Silva",
        "BEGINNER STRENGTH, BLOCK 1 · WEEK 1 · MONDAY",
        "Lower body and core",
        # A superset: its rests said once, on its label's line, not in the rest column.
        "SUPERSET A Rest 90 s after A1 · 60 s after A2",
        "A1 Goblet Squat 3 × 8-10 27.5 kg 70% 1RM RPE 7 31X0 1 kg reps RPE 2 kg reps RPE",
        "A2 Plank 3 × 30 s bodyweight 1 s RPE 2 s RPE 3 s RPE B",  # timed: seconds, no kg
        "B Romanian Deadlift 3 × 8 52.5 kg 65% 1RM RIR 2 3010 2 min 1 kg reps RIR",
        "C Hanging Leg Raise 2 × AMRAP 90 s 1 reps RPE 2 reps RPE",  # bodyweight: no kg
        "Stop each set when the back starts to round.",
        "SESSION NOTES",
    ):
        assert expected in ana, expected
    # No 1RM on the roster: the share is printed with a blank to fill in.
    chidi = text_of(tmp_path / "cards" / "chidi-okeke" / "w01-monday-lower-body-and-core.pdf")
    assert "Goblet Squat 3 × 8-10 70% 1RM RPE 7" in chidi
    assert "27.5 kg" not in chidi


@pytest.mark.slow
def test_without_a_roster_there_is_one_card_per_session(project: Path, tmp_path: Path) -> None:
    code, _, stderr = run_cli("program", PROGRAM, "--out", tmp_path, "-q", cwd=project)
    assert code == 0, stderr
    assert sorted(p.name for p in (tmp_path / "cards").glob("*.pdf")) == [
        "w01-monday-lower-body-and-core.pdf",
        "w01-thursday-upper-body.pdf",
    ]


@pytest.mark.slow
def test_with_sheets_adds_the_sheets_of_the_programs_exercises(
    project: Path, tmp_path: Path
) -> None:
    code, _, stderr = run_cli(
        "program", PROGRAM, "--with-sheets", "--out", tmp_path, "-q", cwd=project
    )
    assert code == 0, stderr
    assert sorted(p.stem for p in (tmp_path / "sheets").glob("*.pdf")) == sorted(
        [
            "goblet-squat",
            "plank",
            "romanian-deadlift",
            "hanging-leg-raise",
            "push-up",
            "bent-over-row",
            "dumbbell-overhead-press",
            "hammer-curl",
            "triceps-pushdown",
        ]
    )


def test_an_unknown_exercise_is_an_error_naming_its_line(project: Path, tmp_path: Path) -> None:
    program = tmp_path / "program.yml"
    program.write_text(
        "title: T\nsessions:\n  - title: Legs\n    exercises:\n"
        "      - exercise: Goblet Sqaut\n        sets: 3\n        reps: 5\n",
        encoding="utf-8",
    )
    code, _, stderr = run_cli("program", program, "--out", tmp_path / "out", cwd=project)
    assert code == 1
    assert (
        "program.yml:5: error: program: exercise 'Goblet Sqaut' is not in the book "
        "(did you mean 'Goblet Squat'?)"
    ) in stderr
    assert not (tmp_path / "out" / "cards").exists()


@pytest.mark.slow
def test_a_long_session_is_condensed_onto_one_page(project: Path, tmp_path: Path) -> None:
    names = [
        "Goblet Squat",
        "Romanian Deadlift",
        "Plank",
        "Push-up",
        "Bent-Over Row",
        "Dumbbell Overhead Press",
        "Hammer Curl",
        "Triceps Pushdown",
    ]
    items = "".join(
        f"      - exercise: {name}\n        sets: 5\n        reps: 10\n        load: 60%\n"
        "        rpe: 8\n        tempo: 31X0\n        rest: 2 min\n"
        "        notes: Keep every rep crisp and stop a set early if form slips at all.\n"
        for name in names
    )
    program = tmp_path / "long.yml"
    program.write_text(
        f"title: Volume block\nsessions:\n  - title: Everything\n    exercises:\n{items}",
        encoding="utf-8",
    )
    for paper in ("a4", "letter"):
        out = tmp_path / paper
        code, _, stderr = run_cli(
            "program", program, "--paper", paper, "--out", out, "-q", cwd=project
        )
        assert code == 0, stderr
        (card,) = (out / "cards").glob("*.pdf")
        check_print_rules(card, paper)


@pytest.mark.slow
def test_a_session_too_long_for_one_page_is_refused_not_spilled(
    project: Path, tmp_path: Path
) -> None:
    items = "".join(
        "      - exercise: Plank\n        sets: 10\n        reps: 30 s\n" for _ in range(24)
    )
    program = tmp_path / "huge.yml"
    program.write_text(
        f"title: Too much\nsessions:\n  - title: All day\n    exercises:\n{items}",
        encoding="utf-8",
    )
    code, _, stderr = run_cli("program", program, "--out", tmp_path / "out", cwd=project)
    assert code == 1
    assert (
        "huge.yml: error: session card all-day: does not fit on one page even set at its smallest"
    ) in stderr
    assert "split the session" in stderr
    assert list((tmp_path / "out").rglob("*.pdf")) == []


# --- log boxes per exercise, supersets and circuits (no PDF) ----------------------------------

LOAD, REPS, TIME = LogPlan("load", loaded=True), LogPlan("reps"), LogPlan("time")
CARRY = LogPlan("distance", loaded=True)
SPLIT = LogPlan("load", per_side=True, loaded=True)
CARRY_SIDES = LogPlan("distance", per_side=True, loaded=True)
SIDED = ("kg", "L reps", "R reps", "RPE")
KG60, PCT, BW = (
    Load("weight", "60 kg", 60),
    Load("percent", "75% 1RM", 75),
    Load("text", "bodyweight"),
)


def line(
    reps: str = "5", load: Load | None = None, effort: str | None = None, **kw: str
) -> Prescription:
    return Prescription(kw.get("order", "1"), "x", "X", 3, reps, load, effort, rest=kw.get("rest"))


@pytest.mark.parametrize(
    ("p", "chapter", "plan", "boxes"),
    [
        (line("8-10", PCT), LOAD, LogPlan("load", False, True), ("kg", "reps", "RPE")),
        (line("5", effort="RIR 2"), LOAD, LogPlan("load", False, True), ("kg", "reps", "RIR")),
        (line("AMRAP"), REPS, LogPlan("reps"), ("reps", "RPE")),
        (line("30 s", BW), TIME, LogPlan("time"), ("s", "RPE")),
        (line("1 min", effort="RPE 8"), REPS, LogPlan("time"), ("s", "RPE")),  # timed by reps
        (line("AMRAP"), TIME, LogPlan("time"), ("s", "RPE")),  # a hold to failure
        (line("40 m", KG60), REPS, LogPlan("distance", False, True), ("kg", "m", "time")),
        (line("200 m"), CARRY, LogPlan("distance", False, True), ("kg", "m", "time")),
        (line("400 yd"), LogPlan("distance"), LogPlan("distance"), ("yd", "time")),
        (line("5", KG60), REPS, LogPlan("load", False, True), ("kg", "reps", "RPE")),  # weighted
        (line("10", BW), LOAD, LogPlan("reps"), ("reps", "RPE")),  # bodyweight on a loaded one
        (line("8 per side", KG60), LOAD, SPLIT, SIDED),  # per side in the reps
        (line("8"), SPLIT, SPLIT, SIDED),  # per side in the chapter's plan
        (line("30 s per side"), TIME, LogPlan("time", True), ("L s", "R s", "RPE")),
        (line("20 m per arm"), CARRY, CARRY_SIDES, ("kg", "L m", "R m", "time")),
    ],
)  # fmt: skip
def test_card_log_and_set_boxes(
    p: Prescription, chapter: LogPlan, plan: LogPlan, boxes: tuple[str, ...]
) -> None:
    assert card_log(p, chapter) == plan
    assert set_boxes(plan, p, "kg") == boxes


def test_set_boxes_in_pounds() -> None:
    assert set_boxes(LOAD, line("5", Load("weight", "135 lb", 135)), "lb") == ("lb", "reps", "RPE")


def orders(*labels: str, rests: tuple[str | None, ...] = ()) -> list[Prescription]:
    rests = rests or (None,) * len(labels)
    return [line(order=o, **({"rest": r} if r else {})) for o, r in zip(labels, rests, strict=True)]


def test_consecutive_labels_sharing_a_letter_are_linked() -> None:
    found = blocks(orders("A1", "A2", "B", "C1", "C2", "C3", "D1", "1", "2", "E1", "F1"))
    assert [[p.order for p in b.exercises] for b in found] == [
        ["A1", "A2"], ["B"], ["C1", "C2", "C3"], ["D1"], ["1"], ["2"], ["E1"], ["F1"],
    ]  # fmt: skip
    assert [b.label for b in found][:4] == ["Superset A", None, "Circuit C", None]


def test_a_groups_rest_is_said_once() -> None:
    (same,) = blocks(orders("A1", "A2", rests=("90 s", "90 s")))
    assert same.rest == "Rest 90 s after A2"
    (last,) = blocks(orders("A1", "A2", "A3", rests=(None, None, "2 min")))
    assert last.rest == "Rest 2 min after A3"
    (differ,) = blocks(orders("A1", "A2", rests=("30 s", "90 s")))
    assert differ.rest == "Rest 30 s after A1 · 90 s after A2"
    (none,) = blocks(orders("A1", "A2"))
    assert none.rest is None
    (single,) = blocks(orders("B", rests=("2 min",)))
    assert single.label is None and single.rest is None  # printed in the rest column


def test_a_distance_that_is_not_one_is_an_error_naming_its_line(
    project: Path, tmp_path: Path
) -> None:
    program = tmp_path / "program.yml"
    program.write_text(
        "title: T\nsessions:\n  - title: Legs\n    exercises:\n"
        "      - exercise: Goblet Squat\n        sets: 3\n        reps: 40 mm\n",
        encoding="utf-8",
    )
    code, _, stderr = run_cli("program", program, "--out", tmp_path / "out", cwd=project)
    assert code == 1
    assert (
        "program.yml:7: error: program: reps: expected a number (5), a range (8-10), AMRAP, "
        "a time (30 s) or a distance (40 m), got '40 mm'"
    ) in stderr


CARRY_CHAPTER = """---
body_part: Full Body
equipment: [Dumbbell]
difficulty: Beginner
category: Strength
---
# Farmer's Carry

## How to perform

1. Pick up a heavy dumbbell in each hand.
2. Walk tall with short, quick steps for the distance.
"""

MIXED = """title: Mixed block
sessions:
  - title: Everything at once
    exercises:
      - {order: A1, exercise: Goblet Squat, sets: 4, reps: 8, load: 70%, rpe: 8, rest: 30}
      - {order: A2, exercise: Push-up, sets: 4, reps: 12, rir: 2, rest: 30}
      - {order: A3, exercise: Plank, sets: 4, reps: 45 s, rest: 2 min}
      - {order: B, exercise: Farmer's Carry, sets: 4, reps: 40 m, load: 24 kg, rest: 90}
      - {order: C1, exercise: Hammer Curl, sets: 3, reps: 10 per side, load: 10 kg, rest: 60}
      - {order: C2, exercise: Pull-up, sets: 3, reps: 5, load: 10 kg, rest: 60}
      - {order: D, exercise: Plank, sets: 3, reps: 30 s each side, rest: 60}
      - {order: E, exercise: Romanian Deadlift, sets: 5, reps: 8, load: 60 kg, rir: 2, rest: 2 min}
"""


@pytest.mark.slow
@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_boxes_fit_each_exercise_and_groups_are_linked(tmp_path: Path, paper: str) -> None:
    folder = copy_sample(tmp_path / "book")
    (folder / "content" / "exercises" / "farmer-carry.md").write_text(CARRY_CHAPTER, "utf-8")
    program = folder / "mixed.yml"
    program.write_text(MIXED, encoding="utf-8")
    out = tmp_path / "out"
    code, _, stderr = run_cli("program", program, "--paper", paper, "--out", out, "-q", cwd=folder)
    assert code == 0, stderr
    (card,) = (out / "cards").glob("*.pdf")
    check_print_rules(card, paper)
    text = text_of(card)
    for expected in (
        "CIRCUIT A Rest 30 s after A1 · 30 s after A2 · 2 min after A3",
        "A2 Push-up 4 × 12 RIR 2 1 reps RIR 2 reps RIR",  # bodyweight: no kg box
        "A3 Plank 4 × 45 s 1 s RPE 2 s RPE 3 s RPE 4 s RPE B",  # timed: seconds, not kg
        "B Farmer's Carry 4 × 40 m 24 kg 90 s 1 kg m time 2 kg m time",  # a loaded carry
        "SUPERSET C Rest 60 s after C2",
        "C1 Hammer Curl 3 × 10 per side 10 kg 1 kg L reps R reps RPE",  # each side
        "C2 Pull-up 3 × 5 10 kg 1 kg reps RPE",  # a weighted pull-up logs its load
        "D Plank 3 × 30 s per side 60 s 1 L s R s RPE",
        "E Romanian Deadlift 5 × 8 60 kg RIR 2 2 min 1 kg reps RIR",
    ):
        assert expected in text, expected
