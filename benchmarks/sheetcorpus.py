"""A form-sheet corpus shaped like a public exercise library (deterministic from a seed).

    python benchmarks/sheetcorpus.py DIR [--exercises 200] [--seed 0]
    python benchmarks/sheetcorpus.py --fixtures tests/fixtures/realistic

Public exercise libraries are not written for form sheets: their steps run to two to four
sentences, carry asides ("Pause.", "Inhale during this phase.", "Tip: ..."), often pack a whole
rep into one step, mostly have no "Common mistakes" section, and come with a start and an end
photo. This writes N exercise chapters in the seed format by cycling through the 40
hand-written templates of `sheetcorpus_data.py` (our own words: loaded lifts, hinges, pulls,
bodyweight work, holds, carries, conditioning, unilateral work, stretches, foam rolling, a
12-step Olympic lift), with:

* variants after the first round: "Incline"/"Paused"/"Tempo"... name prefixes, dumbbell and
  kettlebell swaps where the template allows, now and then an extra sentence in a step or the
  FAQ shuffled; unique titles and file stems; about 15 % of file names start with digits
  (`45-degree-...`, `3-4-...`) and a few titles are in Cyrillic, Greek or accented Latin;
* sections: steps in 95 % (a real library has exercises without), tips 55 %, mistakes 20 %,
  FAQ 45 %, related links 80 %;
* two Pillow-drawn photos per exercise (start and end) in about 90 %, sizes 850x567 mostly,
  567x850 and 600x600, after the steps;
* half the chapters with YAML front matter, half with the bold-label bullets.

`sheetcorpus.json` lists every chapter: file (relative to DIR), stem (the file stem), slug (the
builder's slug of the stem: the same for ASCII stems, transliterated for other scripts), title,
template, log, per_side, phases (see `sheetcorpus_data`) and the steps exactly as written, so a
test can look for every step's words in the sheet's PDF.

`write_fixtures(folder)` writes one plain chapter per tricky template (no photos) and
`expected.json` with each file's log, per_side, phases and steps: `tests/fixtures/realistic/`.
"""

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
from corpus import bullet_lines, front_matter_lines  # noqa: E402
from photobook import _photo, name_stem  # noqa: E402
from sheetcorpus_data import ASIDES, FAQ, MISTAKES, TEMPLATES, TIPS  # noqa: E402

from guidebook.text import slugify  # noqa: E402

MANIFEST = "sheetcorpus.json"
EXPECTED = "expected.json"
SITE = "https://example.org"

PREFIXES = ("Paused", "Tempo", "Incline", "Banded", "Deficit", "Close-Grip", "Wide-Stance")
# Prefixes that make no sense for a template's log (a "Tempo Plank" is fine, a "Deficit Plank"
# is not): only these are used for holds, stretches, foam rolling, carries.
TIMED_PREFIXES = ("Weighted", "Long", "Assisted", "Partner", "Timed")
NUMBERED = ("45 Degree", "3/4", "90/90", "1 1/2 Rep", "2-Point", "30 Second", "21s")
# A few titles in other scripts (our own renderings of the template names).
ODD = {
    "Barbell Back Squat": "Приседания со штангой",
    "Push-Up": "Κάμψεις χεριών",
    "Romanian Deadlift": "Soulevé de terre roumain",
    "Barbell Bench Press": "Développé couché à la barre",
    "Bent-Over Barbell Row": "Тяга штанги в наклоне",
    # Held and one-sided work under titles the builder cannot read: the steps must tell.
    "Plank": "Планка",
    "Bulgarian Split Squat": "Sentadilla búlgara",
}
SIZES = (((850, 567), 70), ((567, 850), 15), ((600, 600), 15))

# One fixture per tricky kind: the seed shape, hinges, pulls, presses, whole-rep steps, side
# bends, holds, carries, conditioning, unilateral work, stretches, foam rolling, the long lift.
FIXTURES = (
    "Barbell Hip Thrust",
    "Romanian Deadlift",
    "Snatch-Grip Deadlift",
    "Barbell Back Squat",
    "Bent-Over Barbell Row",
    "Lat Pulldown",
    "Barbell Bench Press",
    "Standing Overhead Press",
    "Clean and Jerk",
    "Push-Up",
    "Pull-Up",
    "Burpee",
    "Bosu Ball Crunch with Side Bend",
    "Hanging Leg Raise",
    "Plank",
    "Side Plank",
    "Farmer's Carry",
    "Suitcase Carry",
    "Rowing Machine Intervals",
    "Bulgarian Split Squat",
    "Single-Leg Romanian Deadlift",
    "Couch Stretch",
    "Adductor Foam Roll",
    "Thoracic Foam Roll",
)


def _weighted(rng: random.Random, table: tuple) -> object:
    return rng.choices([item for item, _ in table], weights=[w for _, w in table])[0]


def _swap(text: str, old: str, new: str) -> str:
    """Replace an equipment word, keeping its case ("dumbbell" -> "kettlebell")."""
    text = text.replace(old, new)
    return re.sub(rf"\b{old.lower()}", new.lower(), text)


def _variant(template: dict, index: int, rng: random.Random) -> dict:
    """The template itself on the first round, a renamed or re-equipped variant after."""
    plan = {**template, "template": template["name"], "title": template["name"]}
    plan["steps"] = list(template["steps"])
    if index < len(TEMPLATES):
        return plan
    swap = template["swap"]
    if swap and rng.random() < 0.5:
        old, new = swap
        plan["title"] = _swap(plan["title"], old, new)
        if old not in plan["title"] and new not in plan["title"]:
            plan["title"] = f"{new} {plan['title']}"
        plan["equipment"] = _swap(plan["equipment"], old, new)
        plan["steps"] = [_swap(step, old, new) for step in plan["steps"]]
    if index < 2 * len(TEMPLATES) and template["name"] in ODD:
        plan["title"] = ODD[template["name"]]  # the second round: a few in other scripts
        return plan
    moving = template["log"] in ("load", "reps")
    prefix = rng.choice(PREFIXES if moving else TIMED_PREFIXES)
    plan["title"] = f"{prefix} {plan['title']}"
    if rng.random() < 0.25:
        # An extra sentence in one step (not the first); the phases do not change.
        n = rng.randrange(1, len(plan["steps"]))
        plan["steps"][n] = f"{plan['steps'][n]} {rng.choice(ASIDES[template['log']])}"
    return plan


def _name(plan: dict, rng: random.Random, used: set[str]) -> tuple[str, str]:
    """A unique title and file stem, about 15 % of them digit-leading."""
    title = plan["title"]
    if rng.random() < 0.15 and title not in ODD.values():
        title = f"{rng.choice(NUMBERED)} {title}"
    stem = name_stem(title)
    base_title, base_stem, n = title, stem, 2
    while stem in used:
        title, stem, n = f"{base_title} {n}", f"{base_stem}-{n}", n + 1
    used.add(stem)
    return title, stem


def _meta(plan: dict) -> dict:
    """The keys `corpus.front_matter_lines` and `bullet_lines` read."""
    return {
        "body_part": plan["body_part"],
        "equipment": plan["equipment"],
        "target": plan["target"],
        "secondary": plan["secondary"],
        "difficulty": plan["difficulty"],
        "category": plan["category"],
    }


def _quick(plan: dict, title: str) -> str:
    level, part = plan["difficulty"].lower(), plan["body_part"].lower()
    second = ", ".join(s.lower() for s in plan["secondary"])
    return (
        f"The {title} is a {level} {part} exercise that mainly trains the "
        f"{plan['target'].lower()} and also works the {second}. "
        f"{plan['category']} work using {plan['equipment'].lower()}."
    )


def chapter(
    plan: dict,
    title: str,
    *,
    front_matter: bool,
    steps: list[str],
    photos: list[tuple[str, str]] = (),
    tips: list[str] = (),
    mistakes: list[str] = (),
    faq: list[tuple[str, str]] = (),
    related: list[tuple[str, str]] = (),
) -> str:
    """One chapter in the seed format; empty sections are left out."""
    lines: list[str] = []
    if front_matter:
        lines += front_matter_lines(_meta(plan), f"title: {json.dumps(title, ensure_ascii=False)}")
    lines += [f"# {title}", "", "## Quick answer", "", _quick(plan, title), ""]
    if not front_matter:
        lines += bullet_lines(_meta(plan))
    if steps:
        lines += ["## How to perform", ""]
        lines += [f"{n}. {step}" for n, step in enumerate(steps, start=1)] + [""]
    for alt, src in photos:
        lines += [f"![{alt}]({src})", ""]
    if tips:
        lines += ["## Pro tips", "", *(f"- {tip}" for tip in tips), ""]
    if mistakes:
        lines += ["## Common mistakes", "", *(f"- {m}" for m in mistakes), ""]
    if faq:
        lines += ["## FAQ", ""]
        for question, answer in faq:
            lines += [f"### {question}", "", answer, ""]
    if related:
        lines += ["## Related exercises", "", *(f"- [{t}]({href})" for t, href in related), ""]
    return "\n".join(lines)


def _faq(plan: dict, title: str, rng: random.Random, shuffle: bool) -> list[tuple[str, str]]:
    fields = {
        "title": title,
        "target": plan["target"].lower(),
        "secondary": ", ".join(plan["secondary"]).lower(),
    }
    chosen = list(FAQ[: rng.randint(2, len(FAQ))])
    if shuffle:
        rng.shuffle(chosen)
    return [(q.format(**fields), a.format(**fields)) for q, a in chosen]


def generate(folder: str | Path, exercises: int = 200, seed: int = 0) -> Path:
    """Write the corpus into `folder` (replaced) and return it."""
    root = Path(folder)
    shutil.rmtree(root, ignore_errors=True)
    images = root / "exercises" / "images"
    images.mkdir(parents=True)
    (root / "book.yml").write_text(
        'title: "Real-Shaped Exercises"\n'
        f'subtitle: "{exercises} exercises as public libraries write them (seed {seed})"\n'
        'author: "Benchmark Generator"\n'
        "language: en\n"
        'identifier: "urn:uuid:00000000-0000-4000-8000-00000005c0e5"\n'
        "date: 2026-12-03\n"
        'description: "A generated corpus for measuring form sheets on real-shaped steps."\n'
        'publisher: "Benchmark Press"\n'
        f'site_url: "{SITE}"\n'
        # Written out in full, which every version of the builder reads: the benchmark runs
        # the one before this corpus too.
        f'chapter_url: "{SITE}/exercises/{{slug}}"\n'
        "paper: a4\n",
        encoding="utf-8",
    )
    rng = random.Random(seed)
    used: set[str] = set()
    plans = []
    for index in range(exercises):
        plan = _variant(TEMPLATES[index % len(TEMPLATES)], index, rng)
        plan["title"], plan["stem"] = _name(plan, rng, used)
        plans.append(plan)
    manifest = []
    for index, plan in enumerate(plans):
        title, stem = plan["title"], plan["stem"]
        steps = plan["steps"] if rng.random() < 0.95 else []
        photos = []
        if rng.random() < 0.9:
            size = _weighted(rng, SIZES)
            for n, view in ((1, "start"), (2, "end")):
                _photo(images / f"{stem}-{n}.jpg", size, view, rng)
                photos.append((f"{title} {view} position", f"images/{stem}-{n}.jpg"))
        tips = rng.sample(TIPS, rng.randint(2, 4)) if rng.random() < 0.55 else []
        mistakes = []
        if rng.random() < 0.2:
            mistakes = list(plan["mistakes"]) or rng.sample(MISTAKES, 2)
        faq = _faq(plan, title, rng, rng.random() < 0.3) if rng.random() < 0.45 else []
        related = []
        if rng.random() < 0.8:
            part = plan["body_part"]
            related.append((f"More {part} Exercises", f"{SITE}/exercises/{slugify(part)}"))
            for other in rng.sample(plans, 2):
                if other is not plan:
                    related.append((other["title"], f"{other['stem']}.md"))
        text = chapter(
            plan,
            title,
            front_matter=index % 2 == 0,
            steps=steps,
            photos=photos,
            tips=tips,
            mistakes=mistakes,
            faq=faq,
            related=related,
        )
        (root / "exercises" / f"{stem}.md").write_text(text, encoding="utf-8")
        manifest.append(
            {
                "file": f"exercises/{stem}.md",
                "stem": stem,
                "slug": slugify(stem),
                "title": title,
                "template": plan["template"],
                "kind": plan["kind"],
                "log": plan["log"],
                "per_side": plan["per_side"],
                "phases": plan["phases"] if steps else None,
                "steps": steps,
            }
        )
    (root / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False), "utf-8")
    return root


def write_fixtures(folder: str | Path) -> Path:
    """One plain chapter per tricky template (seed format, bullets, no photos) and
    `expected.json`: {file: {template, log, per_side, phases, steps}}."""
    root = Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    by_name = {t["name"]: t for t in TEMPLATES}
    expected = {}
    for n, name in enumerate(FIXTURES):
        plan = {**by_name[name], "template": name}
        steps = list(plan["steps"])
        title = name
        fields = {
            "title": title,
            "target": plan["target"].lower(),
            "secondary": ", ".join(plan["secondary"]).lower(),
        }
        faq = [(q.format(**fields), a.format(**fields)) for q, a in FAQ[:3]]
        text = chapter(
            plan,
            title,
            front_matter=False,
            steps=steps,
            tips=list(TIPS[n % 3 : n % 3 + 2]),
            mistakes=list(plan["mistakes"]),
            faq=faq if n % 2 else [],
            related=[(f"More {plan['body_part']} Exercises", f"{SITE}/exercises")],
        )
        file = f"{name_stem(name)}.md"
        (root / file).write_text(text, encoding="utf-8")
        expected[file] = {
            "template": name,
            "kind": plan["kind"],
            "log": plan["log"],
            "per_side": plan["per_side"],
            "phases": plan["phases"],
            "steps": steps,
        }
    (root / EXPECTED).write_text(
        json.dumps(expected, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?")
    parser.add_argument("--exercises", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--fixtures", metavar="DIR", help="write the fixture chapters instead")
    args = parser.parse_args()
    if args.fixtures:
        print(write_fixtures(args.fixtures))
    elif args.folder:
        print(generate(args.folder, args.exercises, args.seed))
    else:
        parser.error("give DIR or --fixtures DIR")


if __name__ == "__main__":
    main()
