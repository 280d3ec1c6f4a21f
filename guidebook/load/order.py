"""Load, stage 2 of 2: chapters -> parts. Input: the chapters and the book file; output: `Part`s.

`read_order` checks the book file's raw `parts` / `chapters` value once into an `Order`;
`order_chapters` then places the chapters: as listed (each slug once, chapters not listed added
at the end with a warning), grouped by body part (`parts: auto`), or by default in one untitled
part: exercises by body part, then guides, each by title.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from guidebook.config import BookFile
from guidebook.diagnostics import Reporter
from guidebook.model import Chapter, Part
from guidebook.schema import suggestion

# Body parts in the order a strength book usually presents them; others follow alphabetically.
BODY_PART_ORDER = ("legs", "glutes", "back", "chest", "shoulders", "arms", "core", "full body")


@dataclass(frozen=True)
class PartSpec:
    """A part as the book file lists it: a title (None for none) and its chapters' slugs."""

    title: str | None
    slugs: tuple[str, ...]


@dataclass(frozen=True)
class Order:
    """The book file's chapter order, checked.

    `default`: no order given; `auto`: `parts: auto`; `listed`: the `parts` or `chapters`
    given, as far as they were valid (an invalid value lists nothing: every chapter is then
    added at the end). `path` and `line` say where the order is written, for messages.
    """

    kind: Literal["default", "auto", "listed"] = "default"
    parts: tuple[PartSpec, ...] = ()
    path: Path | None = None
    line: int | None = None


def read_order(book_file: BookFile, reporter: Reporter) -> Order:
    """The order the book file gives; each part written wrong is an error and left out."""
    key, value = book_file.order_key, book_file.order
    path, line = book_file.config.path, book_file.order_line
    if key is None:
        return Order()
    if key == "parts" and value == "auto":
        return Order("auto", (), path, line)

    def invalid(message: str) -> None:
        reporter.error(f"book file: {message}", path, line)

    return Order("listed", tuple(_part_specs(key, value, invalid)), path, line)


def order_chapters(chapters: list[Chapter], order: Order, reporter: Reporter) -> tuple[Part, ...]:
    if order.kind == "default":
        return (Part(None, tuple(_default_order(chapters))),) if chapters else ()
    if order.kind == "auto":
        return _auto_parts(chapters)
    by_slug = {ch.slug: ch for ch in chapters}
    parts: list[Part] = []
    used: set[str] = set()
    for spec in order.parts:
        members = []
        for slug in spec.slugs:
            if slug in used:
                reporter.error(
                    f"book file: chapter '{slug}' is listed twice", order.path, order.line
                )
            elif slug not in by_slug:
                reporter.error(
                    f"book file: no chapter has the slug '{slug}'{suggestion(slug, by_slug)}",
                    order.path,
                    order.line,
                )
            else:
                used.add(slug)
                members.append(by_slug[slug])
        parts.append(Part(spec.title, tuple(members)))
    rest = [ch for ch in _default_order(chapters) if ch.slug not in used]
    for chapter in rest:
        reporter.warning(
            f"chapter '{chapter.slug}' is not listed in the book file; added at the end",
            chapter.path,
        )
    if rest:
        titled = any(spec.title for spec in order.parts)
        parts.append(Part("More chapters" if titled else None, tuple(rest)))
    return tuple(p for p in parts if p.chapters)


def _part_specs(key: str, value: Any, invalid: Callable[[str], None]) -> list[PartSpec]:
    if key == "chapters":
        if _is_slug_list(value):
            return [PartSpec(None, tuple(str(s) for s in value))]
        invalid("chapters: expected a list of chapter slugs")
        return []
    if not isinstance(value, list):
        invalid("parts: expected 'auto' or a list of '{title: ..., chapters: [...]}'")
        return []
    specs: list[PartSpec] = []
    for index, part in enumerate(value, 1):
        if (
            not isinstance(part, dict)
            or set(part) - {"title", "chapters"}
            or not isinstance(part.get("title"), str)
            or not _is_slug_list(part.get("chapters"))
        ):
            invalid(f"parts: part {index}: expected 'title: <text>' and 'chapters: [<slug>, ...]'")
            continue
        # A blank title is no title: the nav cannot show an empty entry.
        specs.append(
            PartSpec(part["title"].strip() or None, tuple(str(s) for s in part["chapters"]))
        )
    return specs


def _is_slug_list(value: Any) -> bool:
    """A list of slugs; YAML reads a slug of digits (`2024`, a file 2024.md) as a number."""
    return isinstance(value, list) and all(
        isinstance(s, str) or (isinstance(s, int) and not isinstance(s, bool)) for s in value
    )


def _body_part_rank(chapter: Chapter) -> tuple[int, str]:
    part = (chapter.exercise.body_part or "") if chapter.exercise else ""
    key = part.strip().lower()
    if key in BODY_PART_ORDER:
        return BODY_PART_ORDER.index(key), ""
    return (len(BODY_PART_ORDER), key) if key else (len(BODY_PART_ORDER) + 1, "")


def _default_order(chapters: Iterable[Chapter]) -> list[Chapter]:
    """Exercises by body part then title, then guides by title."""
    exercises = [c for c in chapters if c.kind == "exercise"]
    guides = [c for c in chapters if c.kind == "guide"]
    exercises.sort(key=lambda c: (_body_part_rank(c), c.title.lower()))
    guides.sort(key=lambda c: c.title.lower())
    return exercises + guides


def _auto_parts(chapters: list[Chapter]) -> tuple[Part, ...]:
    parts: list[Part] = []
    for chapter in _default_order(chapters):
        if chapter.kind == "guide":
            title = "Guides"
        else:
            body_part = chapter.exercise.body_part if chapter.exercise else None
            title = (body_part or "").strip().title() or "Other exercises"
        if parts and parts[-1].title == title:
            parts[-1] = Part(title, (*parts[-1].chapters, chapter))
        else:
            parts.append(Part(title, (chapter,)))
    return tuple(parts)
