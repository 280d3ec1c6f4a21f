"""Exercise metadata: the seed's bold-label bullets and YAML front matter give one ExerciseInfo."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SEEDS, needs_seeds, quiet_reporter

from guidebook.load.chapters import load_chapter
from guidebook.metadata import find_bullet_metadata
from guidebook.model import ExerciseInfo

BULLET_CHAPTER = """\
# Sumo Deadlift

## Quick answer

A wide-stance pull from the floor that keeps the torso more upright.

- **Body Part:** Legs
- **Equipment:** Barbell
- **Target Muscle:** Glutes
- **Secondary Muscles:** Hamstrings, Adductors, Quadriceps
- **Difficulty:** Intermediate
- **Category:** Strength

---

## How to perform

1. Stand with your feet wide and toes turned out.
"""

FRONT_MATTER_CHAPTER = """\
---
body_part: Legs
equipment: Barbell
target_muscles: [Glutes]
secondary_muscles: [Hamstrings, Adductors, Quadriceps]
difficulty: Intermediate
category: Strength
---

# Sumo Deadlift

## Quick answer

A wide-stance pull from the floor that keeps the torso more upright.

## How to perform

1. Stand with your feet wide and toes turned out.
"""

EXPECTED = ExerciseInfo(
    body_part="Legs",
    equipment=("Barbell",),
    target_muscles=("Glutes",),
    secondary_muscles=("Hamstrings", "Adductors", "Quadriceps"),
    difficulty="Intermediate",
    category="Strength",
)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_bullet_list_is_read_into_typed_fields() -> None:
    found = find_bullet_metadata(BULLET_CHAPTER)
    assert found is not None
    assert found.values == {
        "body_part": "Legs",
        "equipment": ("Barbell",),
        "target_muscles": ("Glutes",),
        "secondary_muscles": ("Hamstrings", "Adductors", "Quadriceps"),
        "difficulty": "Intermediate",
        "category": "Strength",
    }
    assert found.extra == ()
    assert found.first_line == 7


def test_bullet_list_lines_are_blanked_and_line_numbers_kept() -> None:
    found = find_bullet_metadata(BULLET_CHAPTER)
    assert found is not None
    before, after = BULLET_CHAPTER.split("\n"), found.body.split("\n")
    assert len(after) == len(before)
    assert after[6:12] == [""] * 6
    assert "**" not in found.body
    assert after[15] == "## How to perform"


def test_bullet_label_with_colon_outside_the_bold_is_accepted() -> None:
    found = find_bullet_metadata("- **Body Part**: Back\n- **Level**: *Advanced*\n")
    assert found is not None
    assert found.values == {"body_part": "Back", "difficulty": "Advanced"}


def test_unknown_bold_labels_are_kept_as_extra_rows() -> None:
    found = find_bullet_metadata(
        "- **Body Part:** Legs\n- **Force:** Push\n- **Mechanic:** Compound\n"
    )
    assert found is not None
    assert found.values == {"body_part": "Legs"}
    assert found.extra == (("Force", "Push"), ("Mechanic", "Compound"))


@pytest.mark.parametrize(
    "markdown",
    [
        "- **Body Part:** Legs\n",  # one item is not a metadata list
        "- **Tempo:** slow\n- **Rest:** long\n",  # no label we know
        "- Body Part: Legs\n- Equipment: Barbell\n",  # not bold
        "- **Body Part:** Legs\n- a plain item\n- **Equipment:** Barbell\n",  # mixed list
    ],
)
def test_lists_that_are_not_metadata_are_left_alone(markdown: str) -> None:
    assert find_bullet_metadata(markdown) is None


def test_second_list_is_found_when_the_first_is_not_metadata() -> None:
    text = (
        "- **Tempo:** slow\n- **Rest:** long\n\nText.\n\n"
        "- **Body Part:** Arms\n- **Category:** Strength\n"
    )
    found = find_bullet_metadata(text)
    assert found is not None
    assert found.values == {"body_part": "Arms", "category": "Strength"}
    assert found.first_line == 6


def test_both_metadata_forms_give_the_same_exercise_info(tmp_path: Path) -> None:
    content = tmp_path / "content"
    bullets = write(content, "bullets/sumo-deadlift.md", BULLET_CHAPTER)
    front = write(content, "front/sumo-deadlift.md", FRONT_MATTER_CHAPTER)
    a = load_chapter(bullets, content, quiet_reporter())
    b = load_chapter(front, content, quiet_reporter())
    assert a is not None and b is not None
    assert a.exercise == b.exercise == EXPECTED
    assert a.kind == b.kind == "exercise"
    assert a.title == b.title == "Sumo Deadlift"


def test_front_matter_wins_over_bullets_with_a_warning(tmp_path: Path) -> None:
    content = tmp_path / "content"
    path = write(
        content,
        "row.md",
        "---\nbody_part: Back\n---\n# Row\n\n- **Body Part:** Arms\n- **Equipment:** Cable\n",
    )
    reporter = quiet_reporter()
    chapter = load_chapter(path, content, reporter)
    assert chapter is not None and chapter.exercise is not None
    assert chapter.exercise.body_part == "Back"
    assert chapter.exercise.equipment == ("Cable",)
    assert [(d.message, d.line) for d in reporter.warnings] == [
        (
            "body part is given in front matter and in the bullet list with different values; "
            "using the front matter",
            6,
        )
    ]


def test_metadata_rows_are_in_reading_order_without_empty_values() -> None:
    info = ExerciseInfo(
        body_part="Legs",
        target_muscles=("Glutes", "Hamstrings"),
        category="Strength",
        extra=(("Force", "Push"),),
    )
    assert info.rows() == (
        ("Body part", "Legs"),
        ("Target", "Glutes, Hamstrings"),
        ("Category", "Strength"),
        ("Force", "Push"),
    )


def test_seed_exercise_metadata_is_read() -> None:
    needs_seeds()
    seed = SEEDS / "exercise-barbell-hip-thrust.md"
    chapter = load_chapter(seed, SEEDS, quiet_reporter())
    assert chapter is not None
    assert chapter.exercise == ExerciseInfo(
        body_part="Legs",
        equipment=("Barbell",),
        target_muscles=("Glutes",),
        secondary_muscles=("Hamstrings", "Quadriceps"),
        difficulty="Beginner",
        category="Strength",
    )
    assert "**Body Part:**" not in chapter.markdown
