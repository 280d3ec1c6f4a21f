"""Chapter front matter: splitting it from the Markdown and checking it against its schema.

Front matter is optional YAML between a first line `---` and the next `---` (or `...`). The
exercise metadata keys here and the seed's bold-label bullets (see `metadata`) give the same
`ExerciseInfo`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from guidebook.diagnostics import Reporter
from guidebook.schema import Field, parse_yaml_mapping, validate

CHAPTER_FIELDS: tuple[Field, ...] = (
    Field("title", "str", "Chapter title; default: the first '# heading'."),
    Field("slug", "str", "Name in links and EPUB file names ([a-z0-9-]); default: the file name."),
    Field(
        "kind",
        "choice",
        "exercise or guide; default: from the folder (exercises/, guides/), else exercise when "
        "the chapter has exercise metadata, else guide.",
        choices=("exercise", "guide"),
    ),
    Field(
        "description",
        "str",
        "One-sentence summary (the seed's 'meta' is accepted too).",
        aliases=("meta",),
    ),
    Field("keywords", "strings", "Subjects, a list or one comma-separated text."),
    Field("body_part", "str", "Exercise: body part, e.g. Legs."),
    Field("equipment", "strings", "Exercise: equipment, e.g. Barbell."),
    Field("target_muscles", "strings", "Exercise: target muscle(s).", aliases=("target_muscle",)),
    Field("secondary_muscles", "strings", "Exercise: secondary muscles."),
    Field("difficulty", "str", "Exercise: Beginner, Intermediate or Advanced."),
    Field("category", "str", "Exercise: e.g. Strength, Mobility."),
    Field("video", "str", "Address of a demonstration video or page."),
    Field(
        "url", "str", "The chapter's own web page (http or https): what its form sheet's QR opens."
    ),
    Field(
        "log",
        "str",
        "Exercise: what its form sheet logs: load, reps, time or distance, optionally 'per "
        "side' (e.g. 'time per side'); default: decided from category, equipment and title.",
    ),
    Field("draft", "bool", "true leaves the chapter out of the book."),
)


@dataclass(frozen=True)
class FrontMatter:
    values: dict[str, Any]
    body: str  # the rest of the file, front matter lines blanked so line numbers stay true
    ok: bool


def split_front_matter(text: str, path: Path, reporter: Reporter) -> FrontMatter:
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return FrontMatter({}, text, True)
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        reporter.error(
            "front matter starts with '---' on line 1 but has no closing '---' line; "
            "add one after the last key",
            path,
            1,
        )
        return FrontMatter({}, text, False)
    body = "\n" * (end + 1) + "\n".join(lines[end + 1 :])
    doc = parse_yaml_mapping("\n".join(lines[1:end]), path, 2, reporter, "front matter")
    if doc is None:
        return FrontMatter({}, body, False)
    values = validate(doc, CHAPTER_FIELDS, path, reporter, "front matter")
    return FrontMatter(values, body, True)
