"""The technique checklist: the writer's words, whole, and phases only when the steps say so.

Cases: the sample's ten exercises and the seed, and steps written the way public exercise
libraries write them (several sentences, "Pause.", "Tip: ...", a whole rep in one step), for
hinges, pulls, presses, holds, carries, stretches, foam rolling and side bends.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from conftest import REPO

from guidebook.printables.checklist import (
    BREATHING,
    LIFTING,
    LONG_STEP,
    LOWERING,
    SETUP,
    checklist,
    cues,
    first_sentence,
)

SEED = REPO.parent / "shared" / "seeds" / "exercise-barbell-hip-thrust.md"


def steps_of(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    block = re.search(r"## How to perform\n\n(.*?)(?:\n## |\Z)", text, re.S)
    assert block is not None
    return [re.sub(r"^\d+\.\s*", "", line) for line in block[1].splitlines() if line[:1].isdigit()]


def shape(steps: list[str], static: bool = False) -> list[tuple[str, int]]:
    """(group name, number of cues) per group."""
    return [(group.name, len(group.cues)) for group in checklist(steps, static)]


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


# --- every word, in order ---------------------------------------------------------------------

ALL_CHAPTERS = [*sorted((REPO / "content" / "exercises").glob("*.md")), SEED]


@pytest.mark.parametrize("path", ALL_CHAPTERS, ids=lambda p: p.stem)
def test_the_cues_are_the_steps_word_for_word(path: Path) -> None:
    steps = steps_of(path)
    printed = [cue for group in checklist(steps) for cue in group.cues]
    assert " ".join(printed) == " ".join(" ".join(step.split()) for step in steps)
    assert not any("…" in cue for cue in printed)


def test_a_short_step_is_one_cue_and_a_long_one_a_cue_per_sentence() -> None:
    short = "Lower the bar to your chest. Keep your elbows tucked."
    assert cues(short) == (short,)
    long = (
        "Stand with your feet hip-width apart and the bar over the middle of your feet. "
        "Take an overhand grip just outside your legs and pull the slack out of the bar. "
        "Keep your chest up and your shoulders slightly in front of the bar as you start."
    )
    assert len(long) > LONG_STEP
    assert len(cues(long)) == 3


def test_a_sentence_that_cannot_stand_alone_stays_with_its_neighbour() -> None:
    step = (
        "Drive through your heels and squeeze your glutes to lift your hips off the floor. "
        "Pause. Inhale during this phase. "
        "Tip: The upper torso should keep the same angle from the first rep to the last one."
    )
    assert cues(step) == (step,)  # one cue: nothing in it means anything alone
    longer = (
        "Hold the bar with an overhand grip slightly wider than your shoulders and unrack it. "
        "Lower the bar slowly to the middle of your chest, keeping your elbows under it. "
        "Inhale during this phase."
    )
    assert cues(longer) == (
        "Hold the bar with an overhand grip slightly wider than your shoulders and unrack it.",
        "Lower the bar slowly to the middle of your chest, keeping your elbows under it. "
        "Inhale during this phase.",
    )


def test_abbreviations_do_not_end_sentences() -> None:
    step = (
        "Pick a light implement, e.g. a dumbbell or a plate, and hold it against your chest with "
        "both hands while you sit on the bench with your feet hooked under the pad firmly."
    )
    assert len(step) > LONG_STEP and cues(step) == (step,)


def test_a_watch_for_box_prints_a_whole_first_sentence_never_a_cut_one() -> None:
    mistake = (
        "Letting the hips rise before the chest, which turns the squat into a good morning and "
        "loads the lower back. It happens most when the weight is too heavy for the lifter today."
    )
    assert first_sentence(mistake).endswith("loads the lower back.")
    assert first_sentence("Rounding the back.") == "Rounding the back."


# --- phases -----------------------------------------------------------------------------------

SAMPLE_PHASES = {
    "bent-over-row": [(SETUP, 3), (BREATHING, 1), ("Pulling", 2), (LOWERING, 1)],
    "dumbbell-overhead-press": [(SETUP, 2), ("Pressing", 2), (LOWERING, 1)],
    "goblet-squat": [(SETUP, 2), (LOWERING, 3), ("Pushing", 1)],
    "hammer-curl": [(SETUP, 2), (LIFTING, 2), (LOWERING, 1)],
    "hanging-leg-raise": [(SETUP, 3), (LIFTING, 3), (LOWERING, 1)],
    "plank": [("", 6)],  # a hold
    "pull-up": [(SETUP, 2), ("Pulling", 2), (LOWERING, 2)],
    "push-up": [(SETUP, 2), (LOWERING, 2), ("Pressing", 1)],
    "romanian-deadlift": [(SETUP, 3), (LOWERING, 3), (LIFTING, 2)],
    "triceps-pushdown": [(SETUP, 4), ("Pushing", 2), (LOWERING, 1)],
}


@pytest.mark.parametrize("slug", sorted(SAMPLE_PHASES))
def test_the_sample_is_grouped_in_the_order_its_steps_come(slug: str) -> None:
    steps = steps_of(REPO / "content" / "exercises" / f"{slug}.md")
    assert shape(steps) == SAMPLE_PHASES[slug]


def test_the_seed_hip_thrust_lifts_before_it_lowers() -> None:
    assert shape(steps_of(SEED)) == [(SETUP, 2), (LIFTING, 1), (LOWERING, 2)]


TRICKY = {
    # A hinge: the lowering comes first, and "pull your shoulders back" sets up, not lifts.
    "hinge": (
        [
            "Stand with your feet hip-width apart, holding the bar in front of your thighs.",
            "Brace your core and pull your shoulders back.",
            "Keeping your back flat, push your hips back and lower the bar along your legs.",
            "Lower it until you feel a stretch in your hamstrings.",
            "Engage your glutes to lift the bar back to standing.",
            "Repeat for the desired number of repetitions.",
        ],
        [(SETUP, 1), (BREATHING, 1), (LOWERING, 2), (LIFTING, 2)],
    ),
    # A pull: "with arms extended" names no phase; "keep pulling" continues the pull.
    "pull": (
        [
            "Hang from the bar with your arms extended and your palms facing away.",
            "Pull yourself up until your chin passes the bar. Pause.",
            "Slowly lower yourself back to the hang.",
        ],
        [(SETUP, 1), ("Pulling", 1), (LOWERING, 1)],
    ),
    # A whole rep in one step: no way to split it without cutting a sentence.
    "whole rep": (
        [
            "Get into a high plank with your hands under your shoulders.",
            "Lower your chest until it nearly touches the floor, then push back up.",
        ],
        [("", 2)],
    ),
    # Side bends: "bend" and "return" are not lowering and lifting.
    "side bends": (
        [
            "Sit on the Bosu ball with your feet flat on the floor.",
            "Lean back until your lower back rests on the ball.",
            "Crunch up and bend to the left side. Return to the center.",
            "Bend to the right side and return.",
        ],
        [("", 4)],
    ),
    # A carry: walking, not lifting and lowering, even though it picks the weights up.
    "carry": (
        [
            "Stand between two heavy dumbbells.",
            "Lift them by hinging at the hips and standing up tall.",
            "Walk forward with short, quick steps for the planned distance.",
            "Lower the dumbbells to the floor under control.",
        ],
        [("", 4)],
    ),
    # A stretch and foam rolling: held and rolled.
    "stretch": (
        [
            "Lie on your back and raise one leg.",
            "Hold for 30 seconds, breathing slowly.",
            "Lower the leg and switch sides.",
        ],
        [("", 3)],
    ),
    "foam roll": (
        [
            "Lie face down with the foam roller under the inside of one thigh.",
            "Roll slowly between your hip and your knee.",
            "Pause on tender spots for a few breaths.",
        ],
        [("", 3)],
    ),
    # A phase that comes back: two lowerings around a lift is no order to group by.
    "phase comes back": (
        [
            "Stand tall holding the dumbbells.",
            "Lower into a lunge.",
            "Drive back up to standing.",
            "Lower into a lunge on the other leg.",
        ],
        [("", 4)],
    ),
}


@pytest.mark.parametrize("case", sorted(TRICKY))
def test_phases_only_when_the_steps_say_so(case: str) -> None:
    steps, expected = TRICKY[case]
    assert shape(steps) == expected


def test_held_and_timed_work_is_one_list_whatever_its_verbs() -> None:
    steps = [
        "Lie on your back.",
        "Lower your legs toward the floor.",
        "Raise them back up.",
    ]
    assert shape(steps) == [(SETUP, 1), (LOWERING, 1), (LIFTING, 1)]
    assert shape(steps, static=True) == [("", 3)]


def test_no_steps_no_checklist() -> None:
    assert checklist([]) == ()
    assert words("a b") == ["a", "b"]


# --- against an independent reading -------------------------------------------------------------

sys.path.insert(0, str(REPO / "benchmarks"))
from sheetcorpus_data import TEMPLATES  # noqa: E402

FIXTURES = REPO / "tests" / "fixtures" / "realistic"
WORKING = {LIFTING, "Pulling", "Pressing", "Pushing"}
BEFORE = {SETUP, BREATHING}


def regions(steps: list[str], groups: list[tuple[str, list[int]]] | None) -> list[tuple[str, set]]:
    """Groups as (region, step numbers): the setup and bracing before the movement count as
    one region, every name of the working phase as one."""
    if groups is None:
        return [("one list", set(range(1, len(steps) + 1)))]
    found: list[tuple[str, set]] = []
    for name, numbers in groups:
        region = "before" if name in BEFORE else "working" if name in WORKING else name
        if found and found[-1][0] == region:
            found[-1][1].update(numbers)
        else:
            found.append((region, set(numbers)))
    return found


def built_groups(steps: list[str]) -> list[tuple[str, list[int]]] | None:
    """The builder's groups as (name, step numbers), a step in the group of its first cue."""
    owner = [n for n, step in enumerate(steps, start=1) for _cue in cues(step)]
    groups = checklist(steps)
    if len(groups) == 1 and not groups[0].name:
        return None
    found, index = [], 0
    for group in groups:
        numbers = sorted({owner[i] for i in range(index, index + len(group.cues))})
        index += len(group.cues)
        found.append((group.name, [n for n in numbers if all(n not in g for _x, g in found)]))
    return found


CASES = [
    *((f"fixture {p.name}", p) for p in sorted(FIXTURES.glob("*.md"))),
    *((f"template {t['name']}", t) for t in TEMPLATES),
]


@pytest.mark.parametrize("case", CASES, ids=[name for name, _x in CASES])
def test_never_a_grouping_a_careful_coach_would_not_accept(case: tuple[str, object]) -> None:
    """Where the builder groups, its groups are the coach's (the phases in the order the steps
    come); where the coach keeps one list, so does the builder. Where the coach sees phases
    the builder may still, conservatively, keep one list: those are counted below."""
    name, source = case
    if isinstance(source, Path):
        expected = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))
        entry = expected[source.name]
        steps, phases = entry["steps"], entry["phases"]
    else:
        steps, phases = list(source["steps"]), source["phases"]  # type: ignore[index]
    got = built_groups(steps)
    if got is None:
        return  # one list: never wrong, at worst conservative
    assert phases is not None, f"{name}: grouped {got}, but the steps do not say it plainly"
    assert regions(steps, got) == regions(steps, [(g, list(ns)) for g, ns in phases]), name


def test_the_builder_groups_most_of_what_a_coach_would() -> None:
    phased = [t for t in TEMPLATES if t["phases"]]
    grouped = [t for t in phased if built_groups(list(t["steps"])) is not None]
    assert len(grouped) >= 0.8 * len(phased), [t["name"] for t in phased if t not in grouped]
