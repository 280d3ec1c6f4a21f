"""A form-sheet corpus shaped like a public exercise library (deterministic from a seed).

    python benchmarks/sheetcorpus.py DIR [--exercises 200] [--seed 0]

Public exercise libraries are not written for form sheets: their steps run to two to four
sentences, carry asides ("Pause.", "Inhale during this phase.", "Tip: ..."), often pack a whole
rep into one step, mostly have no "Common mistakes" section, and come with a start and an end
photo. This writes N exercise chapters in the seed format from `TEMPLATES` (our own words,
one per kind of exercise a coach prints: loaded lifts, hinges, pulls, bodyweight work, holds,
carries, conditioning, unilateral work, stretches, foam rolling, a long Olympic lift), with:

* variants by name prefix and equipment, unique titles and file stems; about 15 % of file
  names start with digits and a few titles are in other scripts;
* sections: steps in 95 % (a real library has exercises without), tips 55 %, mistakes 20 %,
  FAQ 45 %;
* two Pillow-drawn photos per exercise (start and end) in most, sizes 850x567, 567x850 and
  600x600, after the steps;
* half the chapters with YAML front matter, half with the bold-label bullets.

`sheetcorpus.json` lists every chapter: file, slug, title, template, the log a coach would
keep (`log`, `per_side`) and the steps exactly as written, so that a test can look for every
step's words in the sheet's PDF.
"""

# ruff: noqa: E501  (the hand-written steps in TEMPLATES are long strings)
from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
from photobook import _photo  # noqa: E402

from guidebook.text import slugify  # noqa: E402

MANIFEST = "sheetcorpus.json"

# (title, body part, equipment, target, secondary, difficulty, category, log, per side, steps,
#  mistakes)
TEMPLATES: tuple[tuple, ...] = (
    (
        "Barbell Back Squat",
        "Legs",
        "Barbell",
        "Quadriceps",
        "Glutes, Adductors, Core",
        "Intermediate",
        "Strength",
        "load",
        False,
        (
            "Set the bar in a rack at about the height of your upper chest. Step under it and rest "
            "it across your upper back, just below the bony part at the base of your neck.",
            "Grip the bar a little wider than your shoulders, lift it out of the rack and take two "
            "small steps back. Set your feet shoulder-width apart with the toes turned out slightly.",
            "Take a big breath into your belly and brace as if someone were about to push you. Tip: "
            "keep this brace until you are back at the top.",
            "Bend at the hips and knees together and sit down between your heels. Keep your chest "
            "up and let your knees travel forward over your toes.",
            "Descend until your hip crease is below the top of your knees, or as deep as you can "
            "keep a neutral back. Pause.",
            "Drive through your whole foot to stand back up, keeping the bar over the middle of your "
            "foot. Exhale near the top.",
            "Repeat for the desired number of repetitions, then walk the bar back into the rack.",
        ),
        ("Letting the knees cave in on the way up.", "Rising with the hips before the chest."),
    ),
    (
        "Romanian Deadlift",
        "Legs",
        "Barbell",
        "Hamstrings",
        "Glutes, Lower Back",
        "Intermediate",
        "Strength",
        "load",
        False,
        (
            "Stand with your feet hip-width apart, holding a barbell in front of your thighs with "
            "an overhand grip. Your hands should be just outside your legs.",
            "Keeping your back straight and your knees slightly bent, hinge at the hips and lower "
            "the barbell toward the floor. Inhale during this phase.",
            "Lower the bar until you feel a stretch in your hamstrings, usually just below the "
            "knees. Tip: the bar should stay in contact with your legs the whole way down.",
            "Engage your glutes and hamstrings to lift the barbell back up to the starting "
            "position. Exhale as you stand.",
            "Repeat for the desired number of repetitions.",
        ),
        (),
    ),
    (
        "Barbell Hip Thrust",
        "Legs",
        "Barbell, Bench",
        "Glutes",
        "Hamstrings, Quadriceps",
        "Beginner",
        "Strength",
        "load",
        False,
        (
            "Sit on the floor with your upper back against the long side of a bench and your knees "
            "bent. Roll a padded barbell over your legs until it rests in the crease of your hips.",
            "Plant your feet flat about hip-width apart, close enough that your shins will be "
            "vertical at the top.",
            "Engaging your glutes, drive your hips up until your body forms a straight line from "
            "your knees to your shoulders. Pause.",
            "Slowly lower your hips back down until they almost touch the floor.",
            "Repeat for the desired number of repetitions.",
        ),
        ("Arching the lower back at the top instead of finishing with the glutes.",),
    ),
    (
        "Bent-Over Barbell Row",
        "Back",
        "Barbell",
        "Latissimus Dorsi",
        "Rhomboids, Biceps",
        "Intermediate",
        "Strength",
        "load",
        False,
        (
            "Stand with your feet hip-width apart and hold the barbell with an overhand grip, hands "
            "slightly wider than your shoulders.",
            "Bend your knees slightly and hinge forward at the hips until your torso is nearly "
            "parallel to the floor. Tip: The upper torso should keep the same angle throughout.",
            "Pull the barbell toward your lower chest, squeezing your shoulder blades together. "
            "Exhale during this phase.",
            "Lower the barbell back down with control until your arms are straight. Inhale.",
            "Repeat for the desired number of repetitions.",
        ),
        (),
    ),
    (
        "Barbell Bench Press",
        "Chest",
        "Barbell, Bench",
        "Pectorals",
        "Triceps, Front Deltoids",
        "Intermediate",
        "Strength",
        "load",
        False,
        (
            "Lie on the bench with your eyes under the bar and your feet flat on the floor. Grip the "
            "bar slightly wider than your shoulders.",
            "Unrack the bar and hold it over your shoulders with your arms straight.",
            "Lower the bar slowly to the middle of your chest, keeping your elbows at about 45 "
            "degrees from your body. Inhale during this phase.",
            "Press the bar back up until your arms are straight. Exhale as you push.",
            "Repeat for the desired number of repetitions, then rack the bar.",
        ),
        ("Bouncing the bar off the chest.", "Lifting the hips off the bench."),
    ),
    (
        "Lat Pulldown",
        "Back",
        "Cable",
        "Latissimus Dorsi",
        "Biceps, Rear Deltoids",
        "Beginner",
        "Strength",
        "load",
        False,
        (
            "Sit at the machine and tuck your thighs under the pads. Take the bar with a wide "
            "overhand grip.",
            "Pull the bar down to your upper chest, leading with your elbows and leaning back "
            "slightly. Squeeze your shoulder blades together at the bottom.",
            "Let the bar rise slowly until your arms are fully extended overhead.",
            "Repeat for the desired number of repetitions.",
        ),
        (),
    ),
    (
        "Clean and Jerk",
        "Full Body",
        "Barbell",
        "Quadriceps",
        "Glutes, Trapezius, Deltoids",
        "Advanced",
        "Olympic Weightlifting",
        "load",
        False,
        (
            "Stand with your feet hip-width apart and the bar over the middle of your feet.",
            "Squat down and grip the bar just outside your knees with a hook grip. Keep your back "
            "flat and your shoulders slightly in front of the bar.",
            "Push through the floor to lift the bar past your knees, keeping your chest up.",
            "As the bar reaches your mid-thigh, extend your hips, knees and ankles explosively and "
            "shrug your shoulders.",
            "Pull yourself under the bar, rotating your elbows forward quickly. Catch the bar on the "
            "front of your shoulders in a front squat.",
            "Stand up from the squat with the bar in the front rack position. Reset your breath.",
            "Dip by bending your knees slightly while keeping your torso upright. Tip: the dip is "
            "short and straight down.",
            "Drive up through your legs and push the bar overhead.",
            "Split your feet, one forward and one back, and lock your arms out overhead as you land.",
            "Bring the front foot back halfway, then the back foot forward, to stand with the bar "
            "overhead.",
            "Lower the bar to your shoulders and then to your hips under control.",
            "Return the bar to the floor and reset before the next repetition.",
        ),
        (),
    ),
    (
        "Push-Up",
        "Chest",
        "Body Weight",
        "Pectorals",
        "Triceps, Core",
        "Beginner",
        "Strength",
        "reps",
        False,
        (
            "Start in a high plank with your hands slightly wider than your shoulders and your body "
            "in a straight line.",
            "Lower your chest until it nearly touches the floor, then push back up to the start.",
            "Keep your core tight and do not let your hips sag. Repeat for the desired number of "
            "repetitions.",
        ),
        (),
    ),
    (
        "Pull-Up",
        "Back",
        "Pull-up Bar",
        "Latissimus Dorsi",
        "Biceps, Forearms",
        "Intermediate",
        "Strength",
        "reps",
        False,
        (
            "Hang from the bar with an overhand grip slightly wider than your shoulders and your "
            "arms fully extended.",
            "Pull yourself up until your chin passes the bar. Exhale during this phase.",
            "Slowly lower yourself back down until your arms are straight again.",
            "Repeat for the desired number of repetitions.",
        ),
        ("Kicking the legs to get over the bar.",),
    ),
    (
        "Bosu Ball Crunch with Side Bend",
        "Core",
        "Bosu Ball",
        "Rectus Abdominis",
        "Obliques",
        "Beginner",
        "Strength",
        "reps",
        False,
        (
            "Sit on the Bosu ball with your feet flat on the floor and your hands behind your head.",
            "Lean back until your lower back rests on the dome of the ball.",
            "Crunch up, then bend your torso to the left side. Return to the center.",
            "Bend to the right side and return to the center before lowering back down.",
            "Repeat for the desired number of repetitions.",
        ),
        (),
    ),
    (
        "Plank",
        "Core",
        "Body Weight",
        "Rectus Abdominis",
        "Transverse Abdominis, Shoulders",
        "Beginner",
        "Strength",
        "time",
        False,
        (
            "Place your forearms on the floor with your elbows under your shoulders and your legs "
            "straight behind you.",
            "Lift your hips so your body forms a straight line from your head to your heels. Keep "
            "your neck in line with your spine.",
            "Hold this position for the desired time, breathing steadily.",
        ),
        ("Letting the hips sag toward the floor.",),
    ),
    (
        "Side Plank",
        "Core",
        "Body Weight",
        "Obliques",
        "Glutes, Shoulders",
        "Beginner",
        "Strength",
        "time",
        True,
        (
            "Lie on your side with your elbow under your shoulder and your legs stacked.",
            "Lift your hips until your body forms a straight line. Hold for the desired time.",
            "Lower your hips, switch sides and repeat.",
        ),
        (),
    ),
    (
        "Wall Sit",
        "Legs",
        "Body Weight",
        "Quadriceps",
        "Glutes",
        "Beginner",
        "Strength",
        "time",
        False,
        (
            "Stand with your back against a wall and your feet about two feet in front of it.",
            "Slide down the wall until your knees are bent at 90 degrees. Hold for 30 to 60 seconds.",
            "Slide back up the wall to stand.",
        ),
        (),
    ),
    (
        "Farmer's Carry",
        "Full Body",
        "Dumbbell",
        "Forearms",
        "Trapezius, Core",
        "Beginner",
        "Strength",
        "distance",
        False,
        (
            "Stand between two heavy dumbbells. Hinge at the hips, grip them firmly and stand up "
            "tall with your shoulders back.",
            "Walk forward with short, quick steps for the planned distance, keeping your torso "
            "upright. Breathe steadily.",
            "Set the dumbbells down under control at the end of the walk.",
        ),
        (),
    ),
    (
        "Suitcase Carry",
        "Core",
        "Kettlebell",
        "Obliques",
        "Forearms, Glutes",
        "Intermediate",
        "Strength",
        "distance",
        True,
        (
            "Pick up one kettlebell in one hand, standing tall with your shoulders level.",
            "Walk forward slowly without leaning toward the weight. Keep your ribs down.",
            "At the end, set the kettlebell down, switch hands and walk back.",
        ),
        (),
    ),
    (
        "Sled Push",
        "Legs",
        "Sled",
        "Quadriceps",
        "Glutes, Calves",
        "Intermediate",
        "Conditioning",
        "distance",
        False,
        (
            "Load the sled and grip the tall handles with your arms slightly bent.",
            "Lean into the sled until your body is at about 45 degrees. Drive with short, powerful "
            "steps for the planned distance.",
        ),
        (),
    ),
    (
        "Rowing Machine Intervals",
        "Full Body",
        "Rowing Machine",
        "Latissimus Dorsi",
        "Quadriceps, Core",
        "Beginner",
        "Cardio",
        "distance",
        False,
        (
            "Strap your feet in and take the handle with an overhand grip.",
            "Drive with your legs first, then lean back slightly and pull the handle to your lower "
            "ribs. Return in the reverse order.",
            "Row hard for the planned distance, then rest and repeat.",
        ),
        (),
    ),
    (
        "Bulgarian Split Squat",
        "Legs",
        "Dumbbell, Bench",
        "Quadriceps",
        "Glutes, Adductors",
        "Intermediate",
        "Strength",
        "load",
        True,
        (
            "Stand about two feet in front of a bench, holding a dumbbell in each hand. Place the "
            "top of one foot on the bench behind you.",
            "Lower your back knee toward the floor until your front thigh is about parallel to it. "
            "Keep your torso upright.",
            "Push through your front heel to return to the start. Complete all repetitions, then "
            "switch legs.",
        ),
        (),
    ),
    (
        "Single-Arm Dumbbell Row",
        "Back",
        "Dumbbell, Bench",
        "Latissimus Dorsi",
        "Rhomboids, Biceps",
        "Beginner",
        "Strength",
        "load",
        True,
        (
            "Place one knee and the same hand on a bench, with the other foot on the floor and a "
            "dumbbell in your free hand.",
            "Pull the dumbbell toward your hip, keeping your elbow close to your body.",
            "Lower it under control until your arm is straight. Repeat, then switch sides.",
        ),
        (),
    ),
    (
        "Single-Leg Romanian Deadlift",
        "Legs",
        "Kettlebell",
        "Hamstrings",
        "Glutes, Core",
        "Intermediate",
        "Strength",
        "load",
        True,
        (
            "Stand on one leg holding a kettlebell in the opposite hand.",
            "Hinge at the hip and reach the kettlebell toward the floor while your free leg extends "
            "behind you. Keep your hips square.",
            "Return to standing by driving your hips forward. Repeat on the other leg.",
        ),
        (),
    ),
    (
        "Hamstring Stretch",
        "Legs",
        "Body Weight",
        "Hamstrings",
        "Calves",
        "Beginner",
        "Stretching",
        "time",
        True,
        (
            "Lie on your back and raise one leg, holding the back of your thigh with both hands.",
            "Straighten the knee until you feel a gentle stretch. Hold for 30 seconds while "
            "breathing slowly.",
            "Lower the leg and switch sides.",
        ),
        (),
    ),
    (
        "Couch Stretch",
        "Legs",
        "Bench",
        "Hip Flexors",
        "Quadriceps",
        "Beginner",
        "Stretching",
        "time",
        True,
        (
            "Kneel with your back to a bench and place the top of one foot on it behind you.",
            "Step the other foot forward and squeeze the glute of the back leg. Hold for 45 seconds.",
        ),
        (),
    ),
    (
        "Child's Pose",
        "Back",
        "Body Weight",
        "Lower Back",
        "Lats",
        "Beginner",
        "Stretching",
        "time",
        False,
        (
            "Kneel on the floor, sit back on your heels and fold forward.",
            "Reach your arms out in front and rest your forehead on the floor. Breathe slowly.",
        ),
        (),
    ),
    (
        "Adductor Foam Roll",
        "Legs",
        "Foam Roller",
        "Adductors",
        "Hamstrings",
        "Beginner",
        "Recovery",
        "time",
        True,
        (
            "Lie face down and place the foam roller under the inside of one thigh, at an angle.",
            "Roll over the foam between your hip and knee, pausing for a few seconds on tender "
            "spots.",
            "Continue for 30 to 60 seconds, then switch legs.",
        ),
        (),
    ),
    (
        "Thoracic Foam Roll",
        "Back",
        "Foam Roller",
        "Upper Back",
        "Shoulders",
        "Beginner",
        "Recovery",
        "time",
        False,
        (
            "Lie on your back with the roller across your upper back and your hands behind your "
            "head.",
            "Lift your hips and roll slowly up and down between the bottom of your shoulder blades "
            "and the top of your back.",
        ),
        (),
    ),
)
PREFIXES = ("", "", "Paused", "Tempo", "Banded", "Deficit", "Close-Grip", "Wide-Stance")
NUMBERED = ("45 Degree", "3/4", "90/90", "1 1/2 Rep", "2-Point")
ODD = ("Приседания", "Κάμψεις", "Élévation")
TIPS = (
    "Film a set from the side now and then and compare it with the steps.",
    "Keep the first set light and use it to rehearse the positions.",
    "Stop the set when the last rep no longer looks like the first.",
)
FAQ = (
    ("How many sets should I do?", "Two to four working sets suit most people."),
    ("Can beginners do this?", "Yes, with a light load and a coach watching the first sessions."),
)
SIZES = ((850, 567), (850, 567), (850, 567), (567, 850), (600, 600))


def generate(folder: str | Path, exercises: int = 200, seed: int = 0) -> Path:
    """Write the corpus into `folder` (replaced) and return it."""
    root = Path(folder)
    shutil.rmtree(root, ignore_errors=True)
    (root / "exercises" / "images").mkdir(parents=True)
    (root / "book.yml").write_text(
        # chapter_url written out in full, which every version of the builder reads (the
        # benchmark runs the one before this corpus too).
        'title: "Real-Shaped Exercises"\nsite_url: "https://example.org"\n'
        'chapter_url: "https://example.org/exercises/{slug}"\n',
        encoding="utf-8",
    )
    rng = random.Random(seed)
    manifest, used = [], set()
    for index in range(exercises):
        template = TEMPLATES[index % len(TEMPLATES)]
        title, stem = _name(template[0], index, rng, used)
        entry = _write(root, index, template, title, stem, rng)
        manifest.append(entry)
    (root / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False), "utf-8")
    return root


def _name(base: str, index: int, rng: random.Random, used: set[str]) -> tuple[str, str]:
    title = base
    if index >= len(TEMPLATES):
        title = f"{PREFIXES[index % len(PREFIXES)]} {base}".strip()
    roll = rng.random()
    if roll < 0.15:
        title = f"{rng.choice(NUMBERED)} {title}"
    elif roll < 0.18:
        title = f"{rng.choice(ODD)} {title}"
    stem = re.sub(r"[\W_]+", "-", title.lower()).strip("-")
    while stem in used:
        stem, title = f"{stem}-{index}", f"{title} {index}"
    used.add(stem)
    return title, stem


def _write(
    root: Path, index: int, template: tuple, title: str, stem: str, rng: random.Random
) -> dict:
    part, gear, target, second, level, category, log, per_side, steps, mistakes = template[1:]
    steps = steps if rng.random() < 0.95 else ()
    meta = {
        "Body Part": part,
        "Equipment": gear,
        "Target Muscle": target,
        "Secondary Muscles": second,
        "Difficulty": level,
        "Category": category,
    }
    lines: list[str] = []
    if index % 2 == 0:
        lines += ["---", f'title: "{title}"']
        keys = ("body_part", "equipment", "target_muscles", "secondary_muscles", "difficulty")
        lines += [f'{k}: "{v}"' for k, v in zip(keys, meta.values(), strict=False)]
        lines += [f'category: "{category}"', "---", "", f"# {title}", ""]
    else:
        lines += [f"# {title}", ""]
    lines += ["## Quick answer", "", f"The {title.lower()} trains the {target.lower()}.", ""]
    if index % 2:
        lines += [f"- **{k}:** {v}" for k, v in meta.items()] + [""]
    if steps:
        lines += ["## How to perform", ""]
        lines += [f"{n}. {step}" for n, step in enumerate(steps, start=1)] + [""]
    photos = [] if rng.random() < 0.1 else [("start position", 1), ("end position", 2)]
    size = rng.choice(SIZES)
    for view, n in photos:
        name = f"{stem}-{n}.jpg"
        _photo(root / "exercises" / "images" / name, size, "start" if n == 1 else "end", rng)
        lines += [f"![{title} {view}](images/{name})", ""]
    if rng.random() < 0.55:
        lines += ["## Pro tips", "", *(f"- {tip}" for tip in rng.sample(TIPS, 2)), ""]
    if (mistakes and rng.random() < 0.6) or rng.random() < 0.1:
        chosen = mistakes or ("Rushing the repetitions.",)
        lines += ["## Common mistakes", "", *(f"- {m}" for m in chosen), ""]
    if rng.random() < 0.45:
        lines += ["## FAQ", ""]
        for question, answer in FAQ:
            lines += [f"### {question}", "", answer, ""]
    (root / "exercises" / f"{stem}.md").write_text("\n".join(lines), encoding="utf-8")
    return {
        "file": f"exercises/{stem}.md",
        "slug": slugify(stem),
        "title": title,
        "template": template[0],
        "log": log,
        "per_side": per_side,
        "steps": list(steps),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder")
    parser.add_argument("--exercises", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(generate(args.folder, args.exercises, args.seed))


if __name__ == "__main__":
    main()
