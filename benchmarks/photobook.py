"""A photo-book corpus shaped like real exercise content (deterministic from a seed).

    python benchmarks/photobook.py DIR [--exercises 120] [--guides 4] [--seed 0]

Real exercise collections differ from `corpus.py`'s uniform chapters: most exercises carry a
start and an end photo of about 850x567 px, their steps are short (one to four sentences), few
have a "Common mistakes" section, and file names start with digits (`3-4-sit-up.md`). This
writes N such exercise chapters plus a few guides and a `book.yml` into DIR, in the seed format
(an H1, a Quick answer, metadata as bold-label bullets or in front matter, "How to perform"
numbered steps, and optional tips, mistakes, FAQ and related links).

The mix, all drawn from `random.Random(seed)`:

* photos per chapter: a start/end pair (about 70 %), one photo (10 %), a run of four (8 %),
  none (12 %); alt texts "X start position", "X end position", "X middle position"...
* photo sizes: landscape 850x567 (most) or 750x500, portrait 567x850, square 600x600; a chapter's
  photos share one size. JPEG, drawn with Pillow: a studio backdrop, a floor, a stick figure
  whose pose differs between start and end, grain.
* where the photos sit: after the steps (most), under the Quick answer, or under the H1.
* sections: steps in 85 % of chapters (3-8 steps of 1-4 sentences), tips 55 %, mistakes 20 %,
  FAQ 45 % (2-5 `###` questions), related links 80 %.
* titles: short ("Dip"), ordinary, and long; digit-leading file names for about 15 % of the
  chapters (`3-4-sit-up.md`, `45-degree-...`); a few titles and file names in other scripts.

All text is combined from the vocabulary of `corpus.py` and this file (our own words).
`photobook.json` in DIR lists every chapter (file, title, kind, photo layout and size), so a
measurement can tell exercises from guides.
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
from corpus import (  # noqa: E402
    ACTIONS,
    BODY_PARTS,
    CATEGORY,
    CLAUSES,
    DIFFICULTY,
    EQUIPMENT,
    GUIDE_TOPICS,
    HOWS,
    MISTAKES,
    MOVES,
    QUESTIONS,
    TIP_HEADS,
    _paragraph,
    _sentence,
    bullet_lines,
    front_matter_lines,
    slugify,
)

MANIFEST = "photobook.json"
VERSION = 1

# (width, height, weight): the sizes a scraped exercise library carries.
PHOTO_SIZES = (
    ((850, 567), 60),
    ((750, 500), 15),
    ((567, 850), 15),
    ((600, 600), 10),
)
# (layout, weight): how many photos a chapter has and what they show.
LAYOUTS = (("pair", 70), ("single", 10), ("four", 8), ("none", 12))
FOUR_VIEWS = ("start position", "middle position", "end position", "grip close-up")
# (where the photos go, weight)
PLACES = (("after-steps", 70), ("after-quick", 20), ("after-title", 10))

SHORT_TITLES = ("Dip", "Plank", "Shrug", "Crunch", "Burpee", "Bridge", "Step-Up", "Thruster")
LONG_TAILS = (
    "with Rotation on an Incline Bench",
    "with a Pause at the Bottom and Slow Lowering",
    "on a Stability Ball with One Leg Raised",
    "from a Deficit with a Neutral Grip",
)
# Digit-leading names, like "3/4 sit-up" or "45 degree side bend" in real libraries.
# The file stem is the slug: "3/4 Band Crunch" is 3-4-band-crunch.md.
NUMBERED = ("3/4", "45 Degree", "90/90", "1 1/2 Rep", "21s", "2-Point", "4-Way", "30 Degree")
# A few titles in other scripts or with accents; the second is the file stem (None: slugify).
ODD = (
    ("Приседания с гантелями", None),
    ("深蹲 Goblet Hold", None),
    ("Übersetzte Kniebeuge", "übersetzte-kniebeuge"),
    ("Élévation latérale", None),
    ("Άρση θανάτου Hold", None),
)
STEP_OPENERS = (
    "Stand tall with your feet under your hips",
    "Lie on your back with your knees bent",
    "Sit on the edge of the bench",
    "Hold the handles at arm's length",
    "Kneel on a mat with your hands under your shoulders",
    "Hang from the bar with straight arms",
    "Set the pin at a comfortable height",
    "Step forward with one foot",
)
PROMO = (
    "Write down today's numbers so the next session has a target.",
    "Track each set in your log and add a little load when every rep looks the same.",
    "Pair this movement with one pulling exercise for a balanced session.",
)


def name_stem(text: str) -> str:
    """A file stem that keeps other scripts: 'Élévation latérale' -> 'élévation-latérale'."""
    return re.sub(r"[\W_]+", "-", text.lower()).strip("-")


def _weighted(rng: random.Random, table: tuple) -> object:
    return rng.choices([item for item, _ in table], weights=[w for _, w in table])[0]


def _step(rng: random.Random, first: bool) -> str:
    n = rng.choices((1, 2, 3, 4), weights=(30, 40, 20, 10))[0]
    lead = rng.choice(STEP_OPENERS) if first else rng.choice(ACTIONS)
    sentences = [f"{lead} {rng.choice(HOWS)}."]
    sentences += [_sentence(rng) for _ in range(n - 1)]
    return " ".join(sentences)


def _plan(count: int, rng: random.Random) -> list[dict]:
    plans: list[dict] = []
    seen: set[str] = set()
    odd = list(ODD)
    for index in range(count):
        part = BODY_PARTS[index % len(BODY_PARTS)]
        moves, targets, secondaries = MOVES[part]
        equipment = rng.choice(EQUIPMENT)
        roll = rng.random()
        stem = None
        if roll < 0.15:
            base = f"{rng.choice(NUMBERED)} {equipment} {rng.choice(moves)}"
        elif roll < 0.19 and odd:
            base, stem = odd.pop(0)
        elif roll < 0.27:
            base = rng.choice(SHORT_TITLES)
        elif roll < 0.37:
            base = f"{equipment} {rng.choice(moves)} {rng.choice(LONG_TAILS)}"
        else:
            base = f"{equipment} {rng.choice(moves)}"
        stem = stem or (name_stem(base) if base[0] not in "0123456789" else slugify(base))
        title, n = base, 2
        name = stem
        while name in seen:
            title, name, n = f"{base} {n}", f"{stem}-{n}", n + 1
        seen.add(name)
        layout = _weighted(rng, LAYOUTS)
        plans.append(
            {
                "index": index,
                "title": title,
                "file": f"{name}.md",
                "slug": name,
                "body_part": part,
                "equipment": equipment,
                "target": rng.choice(targets),
                "secondary": rng.sample(secondaries, k=rng.randint(1, 3)),
                "difficulty": rng.choice(DIFFICULTY),
                "category": rng.choice(CATEGORY),
                "layout": layout,
                "size": list(_weighted(rng, PHOTO_SIZES)),
                "place": _weighted(rng, PLACES),
            }
        )
    return plans


def _photos(plan: dict) -> list[tuple[str, str, str]]:
    """(file name, alt text, pose) of each photo of the chapter."""
    title, stem = plan["title"], slugify(plan["slug"]) or f"exercise-{plan['index']}"
    layout = plan["layout"]
    if layout == "none":
        return []
    if layout == "single":
        return [(f"{stem}.jpg", title, "start")]
    views = ("start position", "end position") if layout == "pair" else FOUR_VIEWS
    return [
        (f"{stem}-{k + 1}.jpg", f"{title} {view}", view.split()[0]) for k, view in enumerate(views)
    ]


def _exercise(plan: dict, others: list[dict], guides: list[tuple[str, str]], rng) -> str:
    title = plan["title"]
    front_matter = rng.random() < 0.3
    photos = [f"![{alt}](images/{name})" for name, alt, _ in _photos(plan)]
    block = [line for photo in photos for line in (photo, "")]
    lines: list[str] = []
    if front_matter:
        lines += front_matter_lines(plan, f"title: {json.dumps(title, ensure_ascii=False)}")
    lines += [f"# {title}", ""]
    if plan["place"] == "after-title":
        lines += block
    lines += ["## Quick answer", "", _paragraph(rng, 2, 4), ""]
    if not front_matter:
        lines += bullet_lines(plan)
    if plan["place"] == "after-quick":
        lines += block
    if rng.random() < 0.85:
        lines += ["## How to perform", ""]
        lines += [f"{n}. {_step(rng, n == 1)}" for n in range(1, rng.randint(3, 8) + 1)]
        lines.append("")
    if plan["place"] == "after-steps":
        lines += block
    if rng.random() < 0.55:
        lines += ["## Pro tips", ""]
        lines += [f"- {rng.choice(TIP_HEADS)}: {_sentence(rng)}" for _ in range(rng.randint(2, 4))]
        lines.append("")
    if rng.random() < 0.2:
        lines += ["## Common mistakes", ""]
        lines += [f"- {m}, {rng.choice(CLAUSES)}." for m in rng.sample(MISTAKES, k=3)]
        lines.append("")
    if rng.random() < 0.45:
        lines += ["## FAQ", ""]
        for question in rng.sample(QUESTIONS, k=rng.randint(2, 5)):
            q = question.format(eq=plan["equipment"].lower(), sec=plan["secondary"][0].lower())
            lines += [f"### {q}", "", _paragraph(rng, 1, 3), ""]
    if rng.random() < 0.8:
        lines += ["## Related exercises", ""]
        part = plan["body_part"]
        lines.append(f"- [More {part} Exercises](https://example.com/exercises/{part.lower()})")
        for other in rng.sample(others, k=min(rng.randint(0, 2), len(others))):
            lines.append(f"- [{other['title']}]({other['file']})")
        if guides and rng.random() < 0.2:
            slug, topic = rng.choice(guides)
            lines.append(f"- [Guide: {topic}](../guides/{slug}.md)")
        lines.append("")
    lines += ["---", "", rng.choice(PROMO), ""]
    return "\n".join(lines)


def _guide(slug: str, topic: str, exercises: list[dict], rng: random.Random) -> str:
    lines = [
        "---",
        f'title: "{topic}: What Actually Matters"',
        f'meta: "{_sentence(rng)}"',
        "---",
        "",
        f"# {topic}: What Actually Matters",
        "",
        _paragraph(rng, 3, 5),
        "",
    ]
    for section in range(1, rng.randint(3, 5) + 1):
        lines += [f"## {rng.choice(TIP_HEADS)} ({section})", "", _paragraph(rng, 2, 5), ""]
        for _ in range(rng.randint(0, 3)):
            lines += [f"### {rng.choice(ACTIONS)}", "", _paragraph(rng, 2, 4), ""]
        if section == 2 and exercises:
            picks = rng.sample(exercises, k=min(3, len(exercises)))
            lines += [f"- See [{p['title']}](../exercises/{p['file']})." for p in picks]
            lines.append("")
    return "\n".join(lines)


POSES = {
    # Joint angles (degrees from vertical) for a stick figure: torso, thigh, shin, arm.
    "start": (0, 0, 0, 10),
    "middle": (25, 60, -50, 70),
    "end": (40, 95, -90, 120),
    "grip": (0, 0, 0, 90),
}


def _photo(path: Path, size: tuple[int, int], pose: str, rng: random.Random) -> None:
    """A studio-like JPEG: backdrop gradient, floor, a stick figure in `pose`, grain."""
    import math

    from PIL import Image, ImageDraw, ImageFilter

    w, h = size
    wall = tuple(rng.randint(170, 235) for _ in range(3))
    floor_c = tuple(max(0, c - rng.randint(40, 90)) for c in wall)
    mask = Image.linear_gradient("L").resize((w, h))
    image = Image.composite(
        Image.new("RGB", (w, h), tuple(c - 25 for c in wall)), Image.new("RGB", (w, h), wall), mask
    )
    draw = ImageDraw.Draw(image)
    horizon = int(h * rng.uniform(0.68, 0.8))
    draw.rectangle((0, horizon, w, h), fill=floor_c)
    # Some gym furniture in the background.
    for _ in range(rng.randint(1, 3)):
        x = rng.randint(0, w)
        bw, bh = rng.randint(w // 12, w // 4), rng.randint(h // 10, h // 3)
        draw.rectangle(
            (x, horizon - bh, x + bw, horizon), fill=tuple(rng.randint(60, 140) for _ in range(3))
        )
    torso, thigh, shin, arm = POSES.get(pose, POSES["start"])
    unit = min(w, h) / 6
    hip = (w / 2 + rng.uniform(-unit, unit), horizon - 2 * unit * math.cos(math.radians(thigh / 2)))

    def limb(origin, angle, length):
        rad = math.radians(angle)
        return (origin[0] + length * math.sin(rad), origin[1] + length * math.cos(rad))

    knee = limb(hip, thigh, unit)
    foot = limb(knee, thigh + shin, unit)
    shoulder = limb(hip, 180 - torso, 1.3 * unit)
    hand = limb(shoulder, arm, 1.1 * unit)
    skin = (rng.randint(90, 200), rng.randint(60, 150), rng.randint(40, 120))
    shirt = tuple(rng.randint(20, 200) for _ in range(3))
    width = max(6, int(unit / 4))
    draw.line((hip, knee, foot), fill=(40, 40, 60), width=width, joint="curve")
    draw.line((hip, shoulder), fill=shirt, width=int(width * 1.8))
    draw.line((shoulder, hand), fill=skin, width=width, joint="curve")
    r = unit / 3.2
    head = limb(shoulder, 180 - torso, r * 1.4)
    draw.ellipse((head[0] - r, head[1] - r, head[0] + r, head[1] + r), fill=skin)
    if rng.random() < 0.6:  # a dumbbell in the hand
        draw.rectangle(
            (hand[0] - r, hand[1] - r / 3, hand[0] + r, hand[1] + r / 3), fill=(30, 30, 30)
        )
    image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0.6, 1.4)))
    grain = Image.effect_noise((w, h), rng.uniform(14, 22)).convert("RGB")
    image = Image.blend(image, grain, 0.08)
    image.save(path, "JPEG", quality=85)


def generate(
    folder: str | Path,
    exercises: int = 120,
    guides: int = 4,
    seed: int = 0,
    chapter_start: str | None = None,
    reuse: bool = True,
) -> Path:
    """Write the corpus into `folder` (content folder with `book.yml`) and return it.

    With `reuse`, a folder already generated with the same parameters is kept as it is.
    """
    folder = Path(folder)
    params = {
        "exercises": exercises,
        "guides": guides,
        "seed": seed,
        "chapter_start": chapter_start,
        "version": VERSION,
    }
    manifest = folder / MANIFEST
    if reuse and manifest.is_file() and json.loads(manifest.read_bytes()).get("params") == params:
        return folder
    if folder.exists():
        shutil.rmtree(folder)
    images = folder / "exercises" / "images"
    images.mkdir(parents=True)
    (folder / "guides").mkdir()
    rng = random.Random(seed)
    plans = _plan(exercises, rng)
    topics = rng.sample(GUIDE_TOPICS, k=min(guides, len(GUIDE_TOPICS)))
    guide_list = [(slugify(t), t) for t in topics]
    (folder / "book.yml").write_text(
        'title: "Photo Exercise Library"\n'
        f'subtitle: "{exercises} exercises with photos (benchmark corpus, seed {seed})"\n'
        'author: "Benchmark Generator"\n'
        "language: en\n"
        'identifier: "urn:uuid:00000000-0000-4000-8000-0000000f0b0c"\n'
        "date: 2026-11-21\n"
        'description: "A generated photo-book corpus for measuring page quality."\n'
        "keywords: [benchmark, exercise technique]\n"
        'publisher: "Benchmark Press"\n'
        'site_url: "https://example.com"\n'
        "paper: a4\n"
        "parts: auto\n" + (f"chapter_start: {chapter_start}\n" if chapter_start else ""),
        encoding="utf-8",
    )
    chapters = []
    for plan in plans:
        photos = _photos(plan)
        for name, _alt, pose in photos:
            _photo(images / name, tuple(plan["size"]), pose, rng)
        others = [p for p in plans if p["index"] != plan["index"]]
        text = _exercise(plan, others, guide_list, rng)
        (folder / "exercises" / plan["file"]).write_text(text, encoding="utf-8")
        chapters.append(
            {
                "file": f"exercises/{plan['file']}",
                "title": plan["title"],
                "kind": "exercise",
                "layout": plan["layout"],
                "size": plan["size"],
                "place": plan["place"],
                "photos": [name for name, _, _ in photos],
            }
        )
    for slug, topic in guide_list:
        (folder / "guides" / f"{slug}.md").write_text(
            _guide(slug, topic, plans, rng), encoding="utf-8"
        )
        chapters.append(
            {
                "file": f"guides/{slug}.md",
                "title": f"{topic}: What Actually Matters",
                "kind": "guide",
            }
        )
    manifest.write_text(
        json.dumps({"params": params, "chapters": chapters}, indent=1, ensure_ascii=False),
        encoding="utf-8",
    )
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder")
    parser.add_argument("--exercises", type=int, default=120)
    parser.add_argument("--guides", type=int, default=4)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--chapter-start", choices=("right", "any"), help="book.yml setting")
    args = parser.parse_args()
    out = generate(
        args.folder, args.exercises, args.guides, args.seed, args.chapter_start, reuse=False
    )
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
