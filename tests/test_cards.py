"""Session cards (`program`): one page per session and athlete, loads from each athlete's 1RM."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO, copy_sample, run_cli
from pypdf import PdfReader
from test_printables import check_print_rules

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
        "A1 Goblet Squat 3 × 8-10 27.5 kg 70% 1RM RPE 7 31X0 90 s",
        "A2 Plank 3 × 30 s bodyweight 60 s",
        "B Romanian Deadlift 3 × 8 52.5 kg 65% 1RM RIR 2 3010 2 min",
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
