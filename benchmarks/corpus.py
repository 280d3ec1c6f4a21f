"""Synthetic, deterministic book corpus for the guidebook benchmarks.

    from benchmarks.corpus import generate
    generate("benchmarks/out/corpus-500", exercises=500, photos_per_chapter=0, seed=0)

writes

    <folder>/book.yml                       parts: auto (exercises grouped by body part)
    <folder>/exercises/<slug>.md            N exercise chapters in the real input format
    <folder>/exercises/images/<slug>-<k>.jpg  K JPEG "photos" per chapter (1200x800, q85)
    <folder>/guides/<slug>.md               a few guides (tables, lists, links to exercises)

Exercise chapters alternate the two metadata styles the loader accepts: even-numbered ones use
YAML front matter, odd-numbered ones the bold-label bullet list under the Quick answer. Every
chapter has an H1, Quick answer, 5-7 numbered steps, Pro tips, Common mistakes, an FAQ with three
`###` questions and Related exercises linking (relatively) to other generated chapters.

All text is synthetic: a small hand-written vocabulary combined by a seeded `random.Random`, so
the same (exercises, photos_per_chapter, seed) always gives byte-identical files. Photos are
drawn with Pillow (gradient, shapes and a little noise, so they compress like photographs
rather than like flat artwork) and each one is distinct.

Run as a script to generate a corpus by hand:
    python benchmarks/corpus.py OUT_DIR --exercises 50 --photos 2 --seed 0
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
from pathlib import Path

BODY_PARTS = ("Legs", "Back", "Chest", "Shoulders", "Arms", "Core")

# Per body part: movements, target muscles and secondary muscles to draw from.
MOVES = {
    "Legs": (
        (
            "Squat",
            "Lunge",
            "Step-Up",
            "Split Squat",
            "Leg Press",
            "Hip Hinge",
            "Calf Raise",
            "Box Squat",
            "Hip Thrust",
            "Lateral Lunge",
        ),
        ("Quadriceps", "Glutes", "Hamstrings", "Calves"),
        ("Adductors", "Core", "Spinal Erectors", "Hip Flexors"),
    ),
    "Back": (
        (
            "Row",
            "Pulldown",
            "Pull-Up",
            "Deadlift",
            "Shrug",
            "Pullover",
            "Good Morning",
            "Face Pull",
            "Rack Pull",
            "Seal Row",
        ),
        ("Latissimus Dorsi", "Rhomboids", "Trapezius", "Spinal Erectors"),
        ("Biceps", "Rear Deltoids", "Forearms", "Core"),
    ),
    "Chest": (
        (
            "Press",
            "Fly",
            "Push-Up",
            "Dip",
            "Floor Press",
            "Squeeze Press",
            "Crossover",
            "Svend Press",
            "Guillotine Press",
            "Pin Press",
        ),
        ("Pectoralis Major", "Upper Chest", "Lower Chest"),
        ("Triceps", "Anterior Deltoids", "Serratus Anterior", "Core"),
    ),
    "Shoulders": (
        (
            "Overhead Press",
            "Lateral Raise",
            "Front Raise",
            "Arnold Press",
            "Upright Row",
            "Rear Delt Fly",
            "Push Press",
            "Y-Raise",
            "Landmine Press",
            "Halo",
        ),
        ("Deltoids", "Lateral Deltoids", "Rear Deltoids"),
        ("Triceps", "Upper Trapezius", "Rotator Cuff", "Core"),
    ),
    "Arms": (
        (
            "Curl",
            "Hammer Curl",
            "Pushdown",
            "Skull Crusher",
            "Kickback",
            "Preacher Curl",
            "Overhead Extension",
            "Concentration Curl",
            "Reverse Curl",
            "Close-Grip Press",
        ),
        ("Biceps", "Triceps", "Brachialis", "Forearms"),
        ("Brachioradialis", "Anterior Deltoids", "Grip", "Core"),
    ),
    "Core": (
        (
            "Plank",
            "Leg Raise",
            "Dead Bug",
            "Pallof Press",
            "Crunch",
            "Rollout",
            "Side Plank",
            "Hollow Hold",
            "Bird Dog",
            "Woodchop",
        ),
        ("Rectus Abdominis", "Obliques", "Transverse Abdominis"),
        ("Hip Flexors", "Glutes", "Lower Back", "Shoulders"),
    ),
}
MODIFIERS = (
    "Incline",
    "Decline",
    "Single-Arm",
    "Single-Leg",
    "Paused",
    "Tempo",
    "Kneeling",
    "Standing",
    "Seated",
    "Wide-Grip",
    "Narrow-Stance",
    "Offset",
    "Alternating",
    "Banded",
    "Half-Kneeling",
    "Deficit",
    "Isometric",
    "Staggered",
)
EQUIPMENT = (
    "Dumbbell",
    "Barbell",
    "Kettlebell",
    "Cable",
    "Band",
    "Body Weight",
    "Machine",
    "Sandbag",
    "Trap Bar",
    "Medicine Ball",
)
DIFFICULTY = ("Beginner", "Intermediate", "Advanced")
CATEGORY = ("Strength", "Hypertrophy", "Stability", "Power", "Mobility")

# Sentence pieces. Combined freely, they read as plausible (if repetitive) coaching prose.
SUBJECTS = (
    "Your torso",
    "The working side",
    "Your breathing",
    "The load",
    "Each rep",
    "Your grip",
    "The lowering phase",
    "Your stance",
    "The top position",
    "Your neck",
    "The bottom position",
    "Your pelvis",
    "Your upper back",
    "The tempo",
    "Your front foot",
    "The bar path",
)
VERBS = (
    "should stay",
    "tends to drift",
    "needs to remain",
    "must feel",
    "can become",
    "works best when kept",
    "usually ends up",
    "ought to look",
)
STATES = (
    "steady and controlled",
    "close to the midline",
    "long and braced",
    "quiet and even",
    "stacked over the base",
    "slow on the way down",
    "smooth through the middle",
    "tight without strain",
    "level from side to side",
    "relaxed but organised",
)
CLAUSES = (
    "as you pass the hardest part",
    "before the next repetition begins",
    "while the weight is still light",
    "when fatigue starts to build",
    "throughout the whole set",
    "at the moment you change direction",
    "once the working sets get heavy",
    "during the first few sessions",
    "if the movement feels unfamiliar",
    "so the target muscles do the work",
)
ACTIONS = (
    "Brace your midsection",
    "Set your feet",
    "Take a full breath",
    "Lower the weight",
    "Drive through the floor",
    "Pause for a moment",
    "Squeeze the target muscle",
    "Return to the start",
    "Check your alignment",
    "Exhale slowly",
    "Reach the end range",
    "Keep tension on the muscle",
    "Grip the handle firmly",
    "Lift your chest",
    "Stack your ribs over your pelvis",
)
HOWS = (
    "without letting your lower back round",
    "under full control",
    "with your elbows tracking under the load",
    "until you feel a clear stretch",
    "while your heels stay planted",
    "in a smooth, even arc",
    "over a slow count of three",
    "keeping your chin gently tucked",
    "with the weight close to your body",
    "before you let the rep speed up",
)
TIP_HEADS = (
    "Film a set from the side",
    "Count the lowering phase",
    "Start lighter than you think",
    "Use a mirror sparingly",
    "Warm up with two easy sets",
    "Log every session",
    "Rest a full two minutes",
    "Pick one cue per set",
    "Finish with a slow rep",
)
MISTAKES = (
    "Rushing the lowering phase",
    "Letting the hips shift to one side",
    "Holding the breath for the whole set",
    "Shortening the range as the set goes on",
    "Shrugging the shoulders toward the ears",
    "Bouncing out of the bottom position",
    "Looking up at the ceiling",
    "Letting the knees cave inward",
    "Gripping so hard the forearms give out first",
    "Adding load before the form is stable",
)
QUESTIONS = (
    "How many sets and reps should I do?",
    "Can beginners do this exercise?",
    "How heavy should the weight be?",
    "How often should I train it?",
    "What can I use instead of the {eq}?",
    "Is it safe for my lower back?",
    "Should I feel it in my {sec}?",
    "How do I know my form is right?",
    "Where does it fit in a workout?",
    "What if one side is weaker?",
)
PHOTO_ALTS = (
    "{title}: start position, seen from the side",
    "{title}: end position, seen from the front",
    "{title}: the middle of the movement with the load close to the body",
    "{title}: a common mistake marked beside the correct position",
)
GUIDE_TOPICS = (
    "Warm-Up",
    "Recovery",
    "Programming",
    "Progression",
    "Deload Weeks",
    "Training Log",
    "Mobility",
    "Conditioning",
    "Sleep and Training",
    "Technique Practice",
    "Rest Periods",
    "Training Splits",
)

PHOTO_SIZE = (1200, 800)
PHOTO_QUALITY = 85
STAMP = ".corpus.json"


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _sentence(rng: random.Random) -> str:
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(STATES)} {rng.choice(CLAUSES)}."


def _paragraph(rng: random.Random, low: int = 2, high: int = 4) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(low, high)))


def _step(rng: random.Random) -> str:
    return f"{rng.choice(ACTIONS)} {rng.choice(HOWS)}, {rng.choice(CLAUSES)}. {_sentence(rng)}"


def _plan(count: int, rng: random.Random) -> list[dict]:
    """Titles, slugs and metadata of every exercise, before any text is written."""
    plans, seen = [], set()
    for index in range(count):
        part = BODY_PARTS[index % len(BODY_PARTS)]
        moves, targets, secondaries = MOVES[part]
        equipment = rng.choice(EQUIPMENT)
        base = f"{rng.choice(MODIFIERS)} {equipment} {rng.choice(moves)}"
        title, n = base, 2
        while slugify(title) in seen:
            title, n = f"{base} {n}", n + 1
        seen.add(slugify(title))
        plans.append(
            {
                "index": index,
                "title": title,
                "slug": slugify(title),
                "body_part": part,
                "equipment": equipment,
                "target": rng.choice(targets),
                "secondary": rng.sample(secondaries, k=rng.randint(2, 3)),
                "difficulty": rng.choice(DIFFICULTY),
                "category": rng.choice(CATEGORY),
            }
        )
    return plans


def front_matter_lines(plan: dict, title: str, *extra: str) -> list[str]:
    """An exercise's YAML front matter from its plan: `title` (a whole `title:` line), the
    metadata keys, then `extra` lines."""
    return [
        "---",
        title,
        f"body_part: {plan['body_part']}",
        f"equipment: {plan['equipment']}",
        f"target_muscles: [{plan['target']}]",
        f"secondary_muscles: [{', '.join(plan['secondary'])}]",
        f"difficulty: {plan['difficulty']}",
        f"category: {plan['category']}",
        *extra,
        "---",
        "",
    ]


def bullet_lines(plan: dict) -> list[str]:
    """An exercise's metadata as the seed writes it: bold-label bullets, then a rule."""
    return [
        f"- **Body Part:** {plan['body_part']}",
        f"- **Equipment:** {plan['equipment']}",
        f"- **Target Muscle:** {plan['target']}",
        f"- **Secondary Muscles:** {', '.join(plan['secondary'])}",
        f"- **Difficulty:** {plan['difficulty']}",
        f"- **Category:** {plan['category']}",
        "",
        "---",
        "",
    ]


def _exercise(
    plan: dict, others: list[dict], guides: list[str], photos: list[str], rng: random.Random
) -> str:
    title, front_matter = plan["title"], plan["index"] % 2 == 0
    lines: list[str] = []
    if front_matter:
        lines += front_matter_lines(
            plan,
            f'title: "{title}"',
            f'description: "{_sentence(rng)}"',
            f'keywords: "{title.lower()}, {plan["body_part"].lower()} exercise, '
            f'{plan["equipment"].lower()}"',
        )
    lines += [f"# {title}", "", "## Quick answer", "", _paragraph(rng, 3, 5), ""]
    if not front_matter:
        lines += bullet_lines(plan)
    lines += ["## How to perform", ""]
    lines += [f"{n}. {_step(rng)}" for n in range(1, rng.randint(5, 7) + 1)]
    lines.append("")
    alts = rng.sample(PHOTO_ALTS, k=min(len(photos), len(PHOTO_ALTS)))
    if photos:
        lines += [f"![{alts[0].format(title=title)}](images/{photos[0]})", ""]
    lines += ["## Pro tips", ""]
    lines += [f"- {rng.choice(TIP_HEADS)}: {_sentence(rng)}" for _ in range(3)]
    lines.append("")
    for k, photo in enumerate(photos[1:], 1):
        lines += [f"![{alts[k % len(alts)].format(title=title)}](images/{photo})", ""]
    lines += ["## Common mistakes", ""]
    lines += [f"- {m}, {rng.choice(CLAUSES)}." for m in rng.sample(MISTAKES, k=3)]
    lines += ["", "## FAQ", ""]
    for question in rng.sample(QUESTIONS, k=3):
        q = question.format(eq=plan["equipment"].lower(), sec=plan["secondary"][0].lower())
        lines += [f"### {q}", "", _paragraph(rng, 2, 3), ""]
    lines += ["## Related exercises", ""]
    for k, other in enumerate(rng.sample(others, k=min(3, len(others)))):
        href = f"{other['slug']}.md" if k % 2 == 0 else f"../exercises/{other['slug']}.md"
        lines.append(f"- [{other['title']}]({href})")
    if guides and plan["index"] % 5 == 0:
        lines.append(
            f"- [Guide: {guides[plan['index'] % len(guides)][1]}]"
            f"(../guides/{guides[plan['index'] % len(guides)][0]}.md)"
        )
    lines += ["", "---", "", _sentence(rng), ""]
    return "\n".join(lines)


def _guide(slug: str, topic: str, exercises: list[dict], rng: random.Random) -> str:
    title = f"{topic}: A Practical Guide"
    lines = [
        "---",
        f'title: "{title}"',
        f'meta: "{_sentence(rng)}"',
        f'keywords: "{topic.lower()}, strength training, guide"',
        "---",
        "",
        f"# {topic} Without Guesswork",
        "",
        _paragraph(rng, 4, 6),
        "",
    ]
    for section in range(1, 5):
        lines += [f"## Principle {section}: {rng.choice(TIP_HEADS)}", "", _paragraph(rng), ""]
        for sub in range(2):
            lines += [f"### {rng.choice(ACTIONS)} ({section}.{sub + 1})", "", _paragraph(rng), ""]
        if section == 2:
            lines += ["| Phase | Minutes | Focus |", "| --- | --- | --- |"]
            lines += [
                f"| {rng.choice(ACTIONS)} | {rng.randint(2, 6)} | {rng.choice(STATES)} |"
                for _ in range(4)
            ]
            lines.append("")
        if section == 3 and exercises:
            picks = rng.sample(exercises, k=min(3, len(exercises)))
            lines += [
                f"- {rng.choice(HOWS).capitalize()}: see [{p['title']}]"
                f"(../exercises/{p['slug']}.md)."
                for p in picks
            ]
            lines.append("")
    return "\n".join(lines)


def _photo(path: Path, rng: random.Random) -> None:
    """A distinct 1200x800 'photo': two-colour gradient, random shapes, light grain."""
    from PIL import Image, ImageDraw, ImageFilter

    w, h = PHOTO_SIZE
    colour = lambda: tuple(rng.randint(20, 235) for _ in range(3))  # noqa: E731
    mask = (
        Image.linear_gradient("L")
        .rotate(rng.uniform(0, 360), resample=Image.BILINEAR, expand=True)
        .resize((w, h))
    )
    image = Image.composite(
        Image.new("RGB", (w, h), colour()), Image.new("RGB", (w, h), colour()), mask
    )
    draw = ImageDraw.Draw(image)
    for _ in range(rng.randint(6, 12)):
        x0, y0 = rng.randint(-200, w), rng.randint(-200, h)
        box = (x0, y0, x0 + rng.randint(60, 600), y0 + rng.randint(60, 500))
        shape = rng.choice(("ellipse", "rectangle", "polygon", "line"))
        if shape == "ellipse":
            draw.ellipse(box, fill=colour())
        elif shape == "rectangle":
            draw.rectangle(box, fill=colour())
        elif shape == "polygon":
            draw.polygon(
                [(rng.randint(0, w), rng.randint(0, h)) for _ in range(rng.randint(3, 6))],
                fill=colour(),
            )
        else:
            draw.line(box, fill=colour(), width=rng.randint(4, 30))
    image = image.filter(ImageFilter.GaussianBlur(rng.uniform(1.0, 3.0)))
    # Grain, so the JPEG is about as large as a real photo of that size rather than tiny.
    grain = Image.effect_noise((w, h), rng.uniform(18, 28)).convert("RGB")
    image = Image.blend(image, grain, 0.12)
    image.save(path, "JPEG", quality=PHOTO_QUALITY)


def generate(
    folder: str | Path,
    exercises: int = 500,
    photos_per_chapter: int = 0,
    seed: int = 0,
    guides: int = 4,
    reuse: bool = True,
) -> Path:
    """Write the corpus into `folder` (its content folder) and return the folder.

    With `reuse`, a folder already generated with the same parameters is left as it is (a
    stamp file records them), which saves regenerating thousands of photos between runs.
    """
    folder = Path(folder)
    params = {
        "exercises": exercises,
        "photos_per_chapter": photos_per_chapter,
        "seed": seed,
        "guides": guides,
        "version": 1,
    }
    stamp = folder / STAMP
    if reuse and stamp.is_file() and json.loads(stamp.read_text()) == params:
        return folder
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "exercises" / "images").mkdir(parents=True)
    (folder / "guides").mkdir()
    rng = random.Random(seed)

    plans = _plan(exercises, rng)
    topics = rng.sample(GUIDE_TOPICS, k=min(guides, len(GUIDE_TOPICS)))
    guide_list = [(slugify(t), t) for t in topics]
    (folder / "book.yml").write_text(
        'title: "Synthetic Exercise Handbook"\n'
        f'subtitle: "{exercises} generated exercises (benchmark corpus, seed {seed})"\n'
        'author: "Benchmark Generator"\n'
        "language: en\n"
        'identifier: "urn:uuid:00000000-0000-4000-8000-00000000be0c"\n'
        "date: 2026-11-21\n"
        'description: "A generated corpus for measuring build time and memory."\n'
        "keywords: [benchmark, exercise technique]\n"
        'publisher: "Benchmark Press"\n'
        'site_url: "https://example.com"\n'
        "paper: a4\n"
        "parts: auto\n",
        encoding="utf-8",
    )
    for plan in plans:
        photos = [f"{plan['slug']}-{k + 1}.jpg" for k in range(photos_per_chapter)]
        for photo in photos:
            _photo(folder / "exercises" / "images" / photo, rng)
        others = [p for p in plans if p["index"] != plan["index"]]
        text = _exercise(plan, others, guide_list, photos, rng)
        (folder / "exercises" / f"{plan['slug']}.md").write_text(text, encoding="utf-8")
    for slug, topic in guide_list:
        (folder / "guides" / f"{slug}.md").write_text(
            _guide(slug, topic, plans, rng), encoding="utf-8"
        )
    stamp.write_text(json.dumps(params), encoding="utf-8")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder")
    parser.add_argument("--exercises", type=int, default=50)
    parser.add_argument("--photos", type=int, default=0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    out = generate(args.folder, args.exercises, args.photos, args.seed, reuse=False)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
