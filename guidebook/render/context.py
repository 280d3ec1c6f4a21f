"""View data for the layouts, built once in Python so templates only loop and format."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup

from guidebook.indexes import DEFAULT_INDEXES, BookIndex, Locator, book_indexes
from guidebook.model import BookConfig, ChapterDoc, Edition


@dataclass(frozen=True)
class ChapterView:
    slug: str
    anchor: str  # element id (see names.py): a valid XML name unique in the book
    file: str  # EPUB file name: `<anchor>.xhtml`
    kind: str
    title: str
    running_head: str  # the title as the running head prints it (short_running_head)
    deck: str | None
    kicker: str
    meta_rows: tuple[tuple[str, str], ...]
    body: Markup
    first: bool  # first chapter of the main matter


@dataclass(frozen=True)
class PartView:
    anchor: str  # element id, like ChapterView.anchor
    title: str | None
    chapters: tuple[ChapterView, ...]

    @property
    def file(self) -> str:
        """EPUB file name of the part's title page."""
        return f"{self.anchor}.xhtml"


@dataclass(frozen=True)
class BookView:
    title: str
    subtitle: str | None
    authors: tuple[str, ...]
    publisher: str | None
    rights: str | None  # None: no one to name (no rights, author or publisher configured)
    identifier: str
    date: dt.date
    language: str
    description: str | None
    keywords: tuple[str, ...]
    parts: tuple[PartView, ...]
    indexes: tuple[BookIndex, ...] = ()  # back-of-book indexes, after the last chapter

    @property
    def chapters(self) -> tuple[ChapterView, ...]:
        return tuple(ch for part in self.parts for ch in part.chapters)

    @property
    def printed_identifier(self) -> str | None:
        """The identifier as the copyright page prints it: an ISBN means something to a reader
        (and a bookseller); a UUID or other machine identifier does not, so it is not printed."""
        return printed_identifier(self.identifier)

    @property
    def long_contents(self) -> bool:
        """Contents too long for one column of a page or two: set in two columns."""
        return len(self.chapters) > LONG_CONTENTS

    @property
    def first_main_id(self) -> str:
        """Id of the element where the main matter (arabic page 1) begins."""
        first = self.parts[0]
        return first.anchor if first.title else first.chapters[0].anchor


def book_view(
    edition: Edition, today: dt.date, body_of: Callable[[ChapterDoc], str] | None = None
) -> BookView:
    cfg = edition.book.config
    parts = []
    first = True
    for part, docs in edition.parts:
        views = []
        for doc in docs:
            views.append(chapter_view(doc, first, body_of))
            first = False
        parts.append(PartView(part.anchor, part.title, tuple(views)))
    return BookView(
        title=cfg.title,
        subtitle=cfg.subtitle,
        authors=cfg.authors,
        publisher=cfg.publisher,
        rights=_rights(cfg, today),
        identifier=_identifier(cfg),
        date=cfg.date or today,
        language=cfg.language,
        # Without a book description, the first chapter's (the guide seed's `meta`).
        description=cfg.description
        or next((c.description for c in edition.book.chapters if c.description), None),
        keywords=cfg.keywords or _chapter_keywords(edition),
        parts=tuple(parts),
        indexes=book_indexes(
            DEFAULT_INDEXES if cfg.indexes is None else cfg.indexes,
            (
                (doc.chapter.exercise, Locator(doc.chapter.anchor, doc.chapter.title))
                for _, docs in edition.parts
                for doc in docs
                if doc.chapter.exercise is not None
            ),
        ),
    )


def _chapter_keywords(edition: Edition) -> tuple[str, ...]:
    """Without book keywords, the chapters' own (the guide seed's `keywords`), deduplicated."""
    seen: dict[str, None] = {}
    for chapter in edition.book.chapters:
        for keyword in chapter.keywords:
            seen.setdefault(keyword, None)
    return tuple(seen)


def chapter_view(
    doc: ChapterDoc, first: bool, body_of: Callable[[ChapterDoc], str] | None
) -> ChapterView:
    chapter = doc.chapter
    info = chapter.exercise
    if chapter.kind == "exercise" and info is not None:
        kicker = " · ".join(info.kicker_parts()) or "Exercise"
    else:
        kicker = "Exercise" if chapter.kind == "exercise" else "Guide"
    return ChapterView(
        slug=chapter.slug,
        anchor=chapter.anchor,
        file=f"{chapter.anchor}.xhtml",
        kind=chapter.kind,
        title=chapter.title,
        running_head=short_running_head(chapter.title),
        deck=chapter.deck,
        kicker=kicker,
        meta_rows=info.rows() if info else (),
        body=Markup(body_of(doc) if body_of else doc.html),  # sanitised in convert
        first=first,
    )


def _identifier(config: BookConfig) -> str:
    """The configured identifier, or a stable UUID from the title and authors."""
    if config.identifier:
        return config.identifier
    seed = "guidebook:" + config.title + ":" + ",".join(config.authors)
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, seed)}"


def _rights(config: BookConfig, today: dt.date) -> str | None:
    """The configured rights, or '© <year> <authors or publisher>'; None when neither is known:
    the book's title owns nothing, and an invented owner is worse than no line."""
    if config.rights:
        return config.rights
    holder = ", ".join(config.authors) or config.publisher
    return f"© {(config.date or today).year} {holder}" if holder else None


LONG_CONTENTS = 40  # chapters; beyond this the contents page is set in two columns
RUNNING_HEAD_MAX = 40  # characters: about half the width of the running-head line


def short_running_head(title: str) -> str:
    """A title short enough for the running head: the part before a colon when that part is a
    title in itself ("Hip Thrust Exercise: Build ..." -> "Hip Thrust Exercise"), else the
    title cut at a word boundary with an ellipsis."""
    title = " ".join(title.split())
    if len(title) <= RUNNING_HEAD_MAX:
        return title
    head = title.split(":", 1)[0].strip()
    if 3 <= len(head) <= RUNNING_HEAD_MAX:
        return head
    cut = title[: RUNNING_HEAD_MAX - 1].rsplit(" ", 1)[0].rstrip(" ,;:-–—")
    return cut + "…"


_ISBN = re.compile(r"(?:urn:)?(?:isbn:?)?\s*((?:97[89][- ]?)?\d[\d -]{7,15}[\dXx])", re.IGNORECASE)


def printed_identifier(identifier: str) -> str | None:
    """'ISBN 978-...' when the identifier is an ISBN-10 or ISBN-13, else None."""
    found = _ISBN.fullmatch(identifier.strip())
    if not found:
        return None
    digits = re.sub(r"[- ]", "", found.group(1))
    return f"ISBN {found.group(1).strip()}" if len(digits) in (10, 13) else None
