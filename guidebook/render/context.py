"""View data for the layouts, built once in Python so templates only loop and format."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup

from guidebook.model import BookConfig, ChapterDoc, Edition


@dataclass(frozen=True)
class ChapterView:
    slug: str
    anchor: str  # element id (see names.py): a valid XML name unique in the book
    file: str  # EPUB file name: `<anchor>.xhtml`
    kind: str
    title: str
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
    rights: str
    identifier: str
    date: dt.date
    language: str
    description: str | None
    keywords: tuple[str, ...]
    parts: tuple[PartView, ...]

    @property
    def chapters(self) -> tuple[ChapterView, ...]:
        return tuple(ch for part in self.parts for ch in part.chapters)

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


def _rights(config: BookConfig, today: dt.date) -> str:
    if config.rights:
        return config.rights
    holder = ", ".join(config.authors) or config.publisher or config.title
    return f"© {(config.date or today).year} {holder}"
