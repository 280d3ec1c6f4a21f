"""What a form sheet logs per exercise: decided from metadata, or said with `log:`."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli

from guidebook.logplan import LogPlan, guess_log, parse_log

GUESSES = [
    # (title, category, equipment, steps) -> (kind, per side)
    ("Barbell Back Squat", "Strength", ["Barbell"], [], ("load", False)),
    ("Hang Clean", "Olympic Weightlifting", ["Barbell"], [], ("load", False)),
    ("Push-Up", "Strength", ["Body Weight"], [], ("reps", False)),
    ("Pull-Up", "Strength", ["Pull-up bar"], [], ("reps", False)),
    ("Plank", "Strength", ["Body Weight"], [], ("time", False)),
    ("Side Plank", "Core", [], [], ("time", True)),
    ("Dead Hang", "Grip", ["Pull-up bar"], [], ("time", False)),
    ("Hamstring Stretch", "Stretching", [], [], ("time", False)),
    ("Adductor Foam Roll", "Recovery", ["Foam Roller"], [], ("time", False)),
    ("Farmer's Carry", "Strength", ["Dumbbell"], [], ("distance", False)),
    ("Suitcase Carry", "Strength", ["Kettlebell"], [], ("distance", True)),
    ("Sled Push", "Conditioning", ["Sled"], [], ("distance", False)),
    ("Rowing Machine Intervals", "Cardio", ["Rowing machine"], [], ("distance", False)),
    ("Jump Rope", "Cardio", ["Jump rope"], [], ("time", False)),
    ("Burpee", "Cardio", [], [], ("reps", False)),
    ("Bulgarian Split Squat", "Strength", ["Dumbbell"], [], ("load", True)),
    ("Single-Arm Dumbbell Row", "Strength", ["Dumbbell"], [], ("load", True)),
    ("Clamshell", "Strength", ["Band"], ["Open the knee.", "Switch sides."], ("reps", True)),
    ("Hanging Leg Raise", "Strength", ["Pull-up bar"], [], ("reps", False)),
    ("Walking Lunge", "Strength", ["Dumbbell"], [], ("load", True)),
]


@pytest.mark.parametrize("title, category, equipment, steps, expected", GUESSES, ids=lambda v: v)
def test_the_log_is_guessed_from_metadata(
    title: str, category: str, equipment: list[str], steps: list[str], expected: tuple
) -> None:
    plan = guess_log(title, category, equipment, steps)
    assert (plan.kind, plan.per_side) == expected


def test_a_loaded_carry_logs_its_load() -> None:
    assert guess_log("Farmer's Carry", None, ["Dumbbell"]).loaded
    assert not guess_log("Sled Push", None, []).loaded


@pytest.mark.parametrize(
    "text, plan",
    [
        ("load", LogPlan("load", loaded=True)),
        ("Reps", LogPlan("reps")),
        ("time per side", LogPlan("time", per_side=True)),
        ("distance, each side", LogPlan("distance", per_side=True)),
        ("seconds", LogPlan("time")),
        ("weight", None),
        ("", None),
    ],
)
def test_log_values(text: str, plan: LogPlan | None) -> None:
    assert parse_log(text) == plan


def test_the_columns_fit_the_kind_and_fill_the_width() -> None:
    for kind in ("load", "reps", "time", "distance"):
        for per_side in (False, True):
            columns = LogPlan(kind, per_side, loaded=kind == "load").columns()  # type: ignore[arg-type]
            assert sum(width for _label, width in columns) == 100
            assert columns[0][0] == "Set" and columns[-1][0] == "Notes"
    labels = [label for label, _w in LogPlan("time", per_side=True).columns()]
    assert labels == ["Set", "Seconds L", "Seconds R", "RPE", "Rest", "Notes"]
    labels = [label for label, _w in LogPlan("reps").columns()]
    assert "Load" not in labels and "Reps" in labels


def test_a_wrong_log_value_is_an_error_on_its_line(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "plank.md").write_text(
        "---\nbody_part: Core\nlog: seconds please\n---\n# Plank\n\n## How to perform\n\n"
        "1. Hold.\n",
        encoding="utf-8",
    )
    code, _out, err = run_cli("sheets", "--out", tmp_path / "out", cwd=tmp_path)
    assert code == 1
    assert "plank.md:3: error: log: expected load, reps, time or distance" in err


def test_a_log_bullet_is_read_and_not_printed_as_metadata(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "side-bend.md").write_text(
        "# Side Bend\n\n- **Body Part:** Core\n- **Equipment:** Dumbbell\n- **Log:** reps per side"
        "\n\n## How to perform\n\n1. Bend to one side.\n",
        encoding="utf-8",
    )
    from guidebook.diagnostics import Reporter
    from guidebook.load.chapters import load_chapter

    chapter = load_chapter(tmp_path / "content" / "side-bend.md", tmp_path / "content", Reporter())
    assert chapter is not None and chapter.log == LogPlan("reps", per_side=True)
    assert chapter.exercise is not None and all(k != "Log" for k, _v in chapter.exercise.rows())


def test_what_the_steps_say_counts_in_any_language() -> None:
    """Titles in other languages: the steps still say the work is held or one-sided."""
    held = guess_log(
        "Планка", "Strength", ["Body Weight"], ["Hold this position for the desired time."]
    )
    assert (held.kind, held.per_side) == ("time", False)
    sided = guess_log(
        "Sentadilla búlgara", "Strength", ["Dumbbell"], ["Lower the back knee.", "Switch legs."]
    )
    assert (sided.kind, sided.per_side) == ("load", True)
    pause = guess_log("Dumbbell Curl", "Strength", ["Dumbbell"], ["Hold for 2 seconds at the top."])
    assert pause.kind == "load"


def test_a_bodyweight_movement_on_a_machine_bar_logs_reps() -> None:
    assert guess_log("Inverted Row", "Strength", ["Smith Machine"]).kind == "reps"
    assert guess_log("Weighted Pull-Up", "Strength", ["Dip belt", "Plates"]).kind == "load"


def test_drills_named_like_conditioning_are_not_distance_work() -> None:
    assert guess_log("Wall Walk", "Strength", []).kind == "reps"
    assert guess_log("Superman Swimmers", "Core", []).kind == "reps"
    assert guess_log("Farmer's Walk", "Strength", ["Dumbbell"]).kind == "distance"


def test_a_cardio_machine_is_no_load_to_log() -> None:
    rowing = guess_log("Rowing Machine Intervals", "Cardio", ["Rowing Machine"])
    assert (rowing.kind, rowing.loaded) == ("distance", False)
    assert guess_log("Leg Press", "Strength", ["Leg Press Machine"]).loaded
