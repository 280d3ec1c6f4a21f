"""Exercise names as coaches write them, resolved to the book's exercise chapters.

Programs and rosters name exercises the way a coach types them: "Barbell Back Squat",
"barbell-back-squat", "BARBELL BACK SQUAT". `ExerciseIndex` accepts an exercise chapter's slug,
any of its aliases or its title, compared case-insensitively with accents, punctuation and
spacing ignored. Nothing fuzzier: a name either means one chapter or none, and the same name
means the same chapter in every program. When two chapters share a name, a slug beats an alias,
an alias beats a title, and otherwise the chapter earlier in the book wins.

For a name that matches nothing, `hint` gives the did-you-mean for the error message (the
shared `schema.did_you_mean`, among the exercises' titles, slugs and aliases). Guides are not
exercises: a session card or a 1RM column only holds exercises, so a guide's name resolves to
nothing and the hint says why.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from guidebook.model import Chapter
from guidebook.schema import did_you_mean

_NOT_WORD = re.compile(r"[\W_]+")


def normalise(name: str) -> str:
    """Lower-case words without accents, single-spaced: 'Pull-Up (Wide)' -> 'pull up wide'."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(word for word in _NOT_WORD.split(plain.casefold()) if word)


def _names(chapters: Sequence[Chapter]) -> dict[str, Chapter]:
    """{normalised name: chapter}: slugs first, then aliases, then titles; first chapter wins."""
    found: dict[str, Chapter] = {}
    for names_of in (_slug_of, _aliases_of, _title_of):
        for chapter in chapters:
            for name in names_of(chapter):
                key = normalise(name)
                if key:
                    found.setdefault(key, chapter)
    return found


def _slug_of(chapter: Chapter) -> tuple[str, ...]:
    return (chapter.slug,)


def _aliases_of(chapter: Chapter) -> tuple[str, ...]:
    return chapter.aliases


def _title_of(chapter: Chapter) -> tuple[str, ...]:
    return (chapter.title,)


class ExerciseIndex:
    """The book's exercise chapters by every name a coach may use for them."""

    def __init__(self, exercises: Sequence[Chapter], guides: Sequence[Chapter] = ()) -> None:
        self.exercises: tuple[Chapter, ...] = tuple(exercises)
        self._by_name = _names(self.exercises)
        self._guides = _names(tuple(guides))

    @classmethod
    def from_chapters(cls, chapters: Iterable[Chapter]) -> ExerciseIndex:
        """Index the exercise chapters of a book (`book.chapters`), in book order."""
        everything = tuple(chapters)
        return cls(
            [ch for ch in everything if ch.kind == "exercise"],
            [ch for ch in everything if ch.kind == "guide"],
        )

    def resolve(self, name: str) -> Chapter | None:
        """The exercise chapter whose slug, alias or title is `name` (normalised), else None."""
        return self._by_name.get(normalise(name))

    def guide(self, name: str) -> Chapter | None:
        """The guide chapter `name` means, when it is no exercise's name (for messages)."""
        if self.resolve(name) is not None:
            return None
        return self._guides.get(normalise(name))

    def suggest(self, name: str) -> str | None:
        """The title of the exercise whose title, slug or alias is closest to `name`, if close."""
        key = normalise(name)
        if not key:
            return None
        close = did_you_mean(key, self._by_name)
        return self._by_name[close].title if close is not None else None

    def hint(self, name: str) -> str:
        """The end of an 'is not in the book' message: why, and what to write instead."""
        guide = self.guide(name)
        if guide is not None:
            return f" ('{guide.title}' is a guide; only exercise chapters can be used here)"
        suggestion = self.suggest(name)
        if suggestion is not None:
            return f" (did you mean '{suggestion}'?)"
        return "; write the title or the file name of one of the book's exercise chapters"
