"""Back-of-book indexes: exercises by target muscle, secondary muscle, equipment, body part and
difficulty, from the metadata the loader typed (`ExerciseInfo`).

`indexes:` in book.yml says which, in which order, and their titles (`parse_indexes`); by
default all five. `book_indexes` builds them, frozen, for both outputs: the PDF prints each
entry's exercises with leaders and page numbers in two columns, grouped by first letter; the
EPUB links them (`epub:type="index"`, a landmark). A term is grouped whatever its case and
spacing ("Glutes", "glutes ") and printed as first written; terms sort ignoring case and
accents; an index with no entries is left out.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from guidebook.cliparse import did_you_mean
from guidebook.diagnostics import Reporter
from guidebook.model import ExerciseInfo, IndexSpec


def _one(value: str | None) -> tuple[str, ...]:
    return (value,) if value else ()


# name -> (default title, the terms an exercise is listed under)
KINDS: dict[str, tuple[str, Callable[[ExerciseInfo], tuple[str, ...]]]] = {
    "target": ("Index of Target Muscles", lambda info: info.target_muscles),
    "secondary": ("Index of Secondary Muscles", lambda info: info.secondary_muscles),
    "equipment": ("Index of Equipment", lambda info: info.equipment),
    "body_part": ("Index of Body Parts", lambda info: _one(info.body_part)),
    "difficulty": ("Index by Difficulty", lambda info: _one(info.difficulty)),
}
LONG_INDEX_LINES = 70  # split in two by us up to here: 35 lines a column fit any trim
DEFAULT_INDEXES = tuple(IndexSpec(name, title) for name, (title, _) in KINDS.items())


@dataclass(frozen=True)
class Locator:
    anchor: str  # the chapter's element id (and, in the EPUB, `<anchor>.xhtml`)
    title: str


@dataclass(frozen=True)
class Entry:
    term: str  # as first written
    chapters: tuple[Locator, ...]  # in book order


@dataclass(frozen=True)
class Group:
    letter: str  # "A".."Z", another script's capital, or "#" for digits and signs
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class BookIndex:
    kind: str
    title: str
    anchor: str  # element id: `index_<kind>` (slugs and anchors never contain "_")
    groups: tuple[Group, ...]

    @property
    def long(self) -> bool:
        """More lines than two short columns hold: print fills its columns page by page rather
        than balancing them (WeasyPrint balances by laying the columns out again and again,
        which costs seconds on an index of hundreds of lines)."""
        return sum(_lines(self.groups)) > LONG_INDEX_LINES

    def halves(self) -> tuple[tuple[Group, ...], tuple[Group, ...]]:
        """A short index cut into two columns of about the same number of lines, between two
        entries (a letter split across the cut heads both halves)."""
        flat = [(g.letter, e) for g in self.groups for e in g.entries]
        weights = [1 + len(e.chapters) for _, e in flat]
        total, running, cut = sum(weights), 0, len(flat)
        for position, weight in enumerate(weights):
            if running + weight / 2 > total / 2:
                cut = max(position, 1)
                break
            running += weight
        return _regroup(flat[:cut]), _regroup(flat[cut:])


def _lines(groups: Iterable[Group]) -> Iterator[int]:
    for group in groups:
        yield 2  # the letter
        yield from (1 + len(entry.chapters) for entry in group.entries)


def _regroup(flat: list[tuple[str, Entry]]) -> tuple[Group, ...]:
    groups: dict[str, list[Entry]] = {}
    for letter_, entry in flat:
        groups.setdefault(letter_, []).append(entry)
    return tuple(Group(k, tuple(v)) for k, v in groups.items())


def book_indexes(
    specs: Sequence[IndexSpec], exercises: Iterable[tuple[ExerciseInfo, Locator]]
) -> tuple[BookIndex, ...]:
    """The indexes `specs` asks for, over the book's exercises in book order."""
    listed = list(exercises)
    out = []
    for spec in specs:
        _, terms_of = KINDS[spec.kind]
        entries: dict[str, tuple[str, list[Locator]]] = {}
        for info, locator in listed:
            for term in terms_of(info):
                key = " ".join(term.split()).casefold()
                if not key:
                    continue
                _, chapters = entries.setdefault(key, (" ".join(term.split()), []))
                if locator not in chapters:
                    chapters.append(locator)
        if not entries:
            continue  # no exercise says: no index
        ordered = sorted(entries.values(), key=lambda entry: sort_key(entry[0]))
        groups: dict[str, list[Entry]] = {}
        for term, chapters in ordered:
            groups.setdefault(letter(term), []).append(Entry(term, tuple(chapters)))
        out.append(
            BookIndex(
                spec.kind,
                spec.title,
                f"index_{spec.kind}",
                tuple(Group(k, tuple(v)) for k, v in groups.items()),
            )
        )
    return tuple(out)


def sort_key(term: str) -> tuple[str, str]:
    """A–Z ignoring case and accents ("Éclair" beside "eclair"), ties broken by the text."""
    bare = "".join(
        ch for ch in unicodedata.normalize("NFKD", term) if not unicodedata.combining(ch)
    )
    return bare.casefold(), term


def letter(term: str) -> str:
    first = sort_key(term)[0][:1]
    return first.upper() if first.isalpha() else "#"


# --- book.yml ----------------------------------------------------------------------------------


def parse_indexes(
    value: Any, book_file: Path, line: int, reporter: Reporter
) -> tuple[IndexSpec, ...] | None:
    """`indexes:` as written: false or [] (none), true (all five), a list of names, or a
    mapping of names to titles. None after reporting a mistake (the default is used)."""
    choices = ", ".join(KINDS)

    def wrong(text: str) -> None:
        reporter.error(f"book file: indexes: {text}", book_file, line)

    if value is False or value == [] or value == {}:
        return ()
    if value is True:
        return DEFAULT_INDEXES
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        pairs: list[tuple[str, str | None]] = [(name.strip(), None) for name in value]
    elif isinstance(value, dict) and all(
        isinstance(k, str) and (v is None or isinstance(v, str | int | float))
        for k, v in value.items()
    ):
        pairs = [(k.strip(), str(v).strip() if v is not None else None) for k, v in value.items()]
    else:
        wrong(
            f"expected a list of index names ({choices}), a mapping of names to titles "
            "(target: Muscles worked), or false for none"
        )
        return None
    specs: list[IndexSpec] = []
    for name, title in pairs:
        if name not in KINDS:
            hint = did_you_mean(name, KINDS)
            rest = f" (choose from {choices})" if hint else f"; choose from {choices}"
            wrong(f"unknown index '{name}'{hint}{rest}")
            return None
        if name in (spec.kind for spec in specs):
            wrong(f"'{name}' is listed twice; list each index once")
            return None
        specs.append(IndexSpec(name, title or KINDS[name][0]))
    return tuple(specs)
