"""A chapter's content as data (`ChapterContent`): sections, steps, tips, mistakes, FAQ, images.

Convert reads it from the finished tree; the printables use it instead of the HTML, so it must
say what the HTML says (the last tests compare it with the HTML for awkward structures).
"""

from __future__ import annotations

from pathlib import Path

from conftest import SEEDS, copy_book, needs_seeds, quiet_reporter
from lxml import etree
from test_convert import doc_of, make_edition
from test_images import png

from guidebook.convert import convert_book
from guidebook.load import load_book
from guidebook.model import ChapterContent, ChapterImage, Edition, Question, Section
from guidebook.printables.content import chapter_assets

FULL = """\
# Step-Up

![A box step-up, side view](images/step.png "Drive through the heel")

## Quick answer

A single-leg exercise on a box.

## How to perform

1. Stand facing the box.
2. Put one foot **flat** on the box.
    1. The whole foot, not the toes.
3. Drive   up through
   the heel.

Rest 60 seconds between sets.

1. Not a step: a second list is commentary.

## Pro tips

- Use a box at knee height.
- Keep the chest tall.

## Common mistakes

- Pushing off the back foot (cheating the rep).
- Letting the knee cave in.

## FAQ

### How high should the box be?

About knee height.

Lower it if your hips shift.

### Can I hold weights?

Yes: dumbbells at your sides.

## Variations

![Holding dumbbells](images/weighted.png)

## Related exercises

- [Lunge](https://example.org/lunge)
"""

SPARSE = """\
# Wall Sit

## How to perform

1. Lean against a wall.
2. Slide down until your thighs are level.

## Notes

Hold as long as you can.
"""


def _edition_with(tmp_path: Path, files: dict[str, str]) -> Edition:
    images = tmp_path / "content" / "exercises" / "images"
    images.mkdir(parents=True)
    (images / "step.png").write_bytes(png((40, 30)))
    (images / "weighted.png").write_bytes(png((40, 30)))
    return make_edition(tmp_path, files)[0]


def test_chapter_with_every_section(tmp_path: Path) -> None:
    edition = _edition_with(tmp_path, {"exercises/step-up.md": FULL})
    content = doc_of(edition, "step-up").content
    assert content.sections == (
        Section("quick", "Quick answer", "step-up--quick-answer"),
        Section("steps", "How to perform", "step-up--how-to-perform"),
        Section("tips", "Pro tips", "step-up--pro-tips"),
        Section("mistakes", "Common mistakes", "step-up--common-mistakes"),
        Section("faq", "FAQ", "step-up--faq"),
        Section(None, "Variations", "step-up--variations"),
        Section("related", "Related exercises", "step-up--related-exercises"),
    )
    # A sub-step stays in its step; a list after a paragraph of text is commentary.
    assert content.steps == (
        "Stand facing the box.",
        "Put one foot flat on the box. The whole foot, not the toes.",
        "Drive up through the heel.",
    )
    assert content.tips == ("Use a box at knee height.", "Keep the chest tall.")
    assert content.mistakes == (
        "Pushing off the back foot (cheating the rep).",
        "Letting the knee cave in.",
    )
    assert content.faq == (
        Question("How high should the box be?", "About knee height. Lower it if your hips shift."),
        Question("Can I hold weights?", "Yes: dumbbells at your sides."),
    )
    assert content.images == (
        ChapterImage(
            "images/step-up-step.png",
            "A box step-up, side view",
            "Drive through the heel",
            "Drive through the heel",  # a title is the caption
        ),
        ChapterImage("images/step-up-weighted.png", "Holding dumbbells", None, "Holding dumbbells"),
    )


def test_chapter_missing_sections_has_empty_ones(tmp_path: Path) -> None:
    edition, _ = make_edition(tmp_path, {"exercises/wall-sit.md": SPARSE})
    content = doc_of(edition, "wall-sit").content
    assert content == ChapterContent(
        sections=(
            Section("steps", "How to perform", "wall-sit--how-to-perform"),
            Section(None, "Notes", "wall-sit--notes"),
        ),
        steps=("Lean against a wall.", "Slide down until your thighs are level."),
    )


def test_chapter_without_headings_has_no_sections(tmp_path: Path) -> None:
    edition, _ = make_edition(tmp_path, {"guides/note.md": "# Note\n\n- just a list\n"})
    assert doc_of(edition, "note").content == ChapterContent()


# An exported exercise page's sections, as the seeds write them.
SEED_SECTIONS = [
    ("quick", "Quick answer"),
    ("steps", "How to perform"),
    ("tips", "Pro tips"),
    ("mistakes", "Common mistakes"),
    ("faq", "FAQ"),
    ("related", "Related exercises"),
]


def _content(content_dir: Path, slug: str) -> ChapterContent:
    reporter = quiet_reporter()
    edition = convert_book(load_book(content_dir, None, reporter), reporter)
    return doc_of(edition, slug).content


def test_seed_shaped_chapter(tmp_path: Path) -> None:
    content = _content(copy_book("seedlike", tmp_path) / "content", "kettlebell-swing")
    assert [(s.role, s.title) for s in content.sections] == SEED_SECTIONS
    assert len(content.steps) == 5
    assert content.steps[0].startswith("Set the kettlebell about a foot in front of you")
    assert len(content.tips) == 3 and len(content.mistakes) == 3
    assert [q.question for q in content.faq] == [
        "Is the kettlebell swing a squat or a hinge?",
        "What weight should I start with?",
        "How high should the bell go?",
    ]
    assert content.faq[2].answer.startswith("Chest height is enough.")
    assert content.images == ()
    # the closing call to action after the rule belongs to no section, so to no list here
    assert all("planner" not in text for text in content.tips + content.mistakes)


def test_seed_chapter(tmp_path: Path) -> None:
    needs_seeds()
    content_dir = tmp_path / "content"
    content_dir.mkdir()
    for seed in SEEDS.glob("*.md"):
        (content_dir / seed.name).write_bytes(seed.read_bytes())
    content = _content(content_dir, "exercise-barbell-hip-thrust")
    assert [(s.role, s.title) for s in content.sections] == SEED_SECTIONS
    assert (len(content.steps), len(content.tips), len(content.mistakes)) == (5, 3, 3)
    assert len(content.faq) == 5
    assert content.steps[-1] == "Repeat for the desired number of repetitions."


def test_chapter_assets_are_the_chapters_images(tmp_path: Path) -> None:
    other = "# Box Jump\n\n![Jump](images/weighted.png)\n"
    twice = FULL + "\n![Again](images/step.png)\n"
    edition = _edition_with(tmp_path, {"exercises/step-up.md": twice, "exercises/jump.md": other})
    # "Box Jump" comes first, so the file both chapters show carries its name; each asset
    # once, in the edition's order.
    names = [a.name for a in chapter_assets(doc_of(edition, "step-up"), edition)]
    assert names == ["images/jump-weighted.png", "images/step-up-step.png"]
    assert [a.name for a in chapter_assets(doc_of(edition, "jump"), edition)] == [
        "images/jump-weighted.png"
    ]
    assert len(doc_of(edition, "step-up").content.images) == 3


# --- the data says what the HTML says -------------------------------------------------------

AWKWARD = """\
# Awkward

## How to perform

<ol><li>raw <b>HTML</b> step</li><li>with <ol><li>a nested</li></ol> list</li></ol>

- an unordered aside
    1. numbered inside it

## Steps

1. a second steps section
2. continues the count

## Common mistakes

1. numbered mistakes
    - with a bullet under them

## Mistakes to avoid

- a second mistakes section

---

- after a rule: no section
"""


def _text(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())


def test_steps_and_mistakes_match_the_html(tmp_path: Path) -> None:
    edition, _ = make_edition(tmp_path, {"exercises/awkward.md": AWKWARD})
    doc = doc_of(edition, "awkward")
    # A sub-list stays in its step; the aside after the list ends that section's steps.
    assert doc.content.steps == (
        "raw HTML step",
        "with a nested list",
        "a second steps section",
        "continues the count",
    )
    assert doc.content.mistakes[0] == "numbered mistakes with a bullet under them"
    assert "a second mistakes section" in doc.content.mistakes
    assert "after a rule: no section" not in doc.content.mistakes
