"""The data passed between stages: frozen dataclasses, changed only with `dataclasses.replace`.

load   produces a `Book` (config + ordered `Part`s of `Chapter`s, Markdown still unconverted);
convert produces an `Edition`: every chapter as a sanitised XHTML fragment whose internal links
        use the one-document form `#slug--id`, with its `ChapterContent` (sections, steps,
        tips, mistakes, FAQ, images as data), plus the `Asset`s the outputs need;
render  turns an `Edition` into files (PDF, EPUB, HTML), adapting links to its own target.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from guidebook.logplan import LogPlan

ChapterKind = Literal["exercise", "guide"]
Paper = Literal["a4", "letter"]  # office paper: form sheets, session cards, handouts
# The book's trim (page size): office sizes and print-on-demand trade sizes (render/trim.py).
Trim = Literal["a4", "letter", "a5", "5.5x8.5", "6x9", "7x10", "8.5x11"]
Press = Literal["kdp", "ingram", "none"]  # a print-on-demand preset: its margin rules
Target = Literal["pdf", "epub", "html", "cover", "handout", "sheet", "card"]  # see targets.py
SectionRole = Literal["quick", "steps", "tips", "mistakes", "faq", "related"]


@dataclass(frozen=True)
class IndexSpec:
    """One back-of-book index the book asks for (`indexes:`; see indexes.py)."""

    kind: str  # target, secondary, equipment, body_part, difficulty
    title: str


@dataclass(frozen=True)
class BookConfig:
    """book.yml, or its defaults when a folder of chapters is built without one."""

    title: str = "Exercise Guide"
    subtitle: str | None = None
    authors: tuple[str, ...] = ()
    language: str = "en"
    identifier: str | None = None
    date: dt.date | None = None
    description: str | None = None
    keywords: tuple[str, ...] = ()
    publisher: str | None = None
    rights: str | None = None
    site_url: str | None = None
    chapter_url: str | None = None  # a chapter's web page, with {slug}: QR codes on sheets
    paper: Trim = "a4"
    press: Press = "none"
    bleed: bool = False
    crop_marks: bool = False
    pdf_variant: str | None = None
    paper_stock: Literal["white", "cream"] = "white"  # the print cover's spine width
    chapter_start: Literal["auto", "right", "any"] = "auto"
    output: str = "book"
    cover: Path | None = None
    indexes: tuple[IndexSpec, ...] | None = None  # None: all five (indexes.DEFAULT_INDEXES)
    path: Path | None = None  # the book file, when there is one


@dataclass(frozen=True)
class PrintSetup:
    """How the book's PDF is made: the trim, the press's margin rules, bleed and crop marks,
    and a PDF variant (pdf/ua-1, pdf/x-...). From book.yml, overridden by the command line."""

    trim: Trim = "a4"
    press: Press = "none"
    bleed: bool = False  # 0.125 in beyond the trim on the outer edges, art extended into it
    crop_marks: bool = False
    variant: str | None = None

    @property
    def paper(self) -> Paper:
        """The office paper form sheets, cards and handouts print on: Letter for the inch
        trims, else A4."""
        return "a4" if self.trim in ("a4", "a5") else "letter"


@dataclass(frozen=True)
class ExerciseInfo:
    """Exercise metadata, from front matter or the bold-label bullet list (same result)."""

    body_part: str | None = None
    equipment: tuple[str, ...] = ()
    target_muscles: tuple[str, ...] = ()
    secondary_muscles: tuple[str, ...] = ()
    difficulty: str | None = None
    category: str | None = None
    extra: tuple[tuple[str, str], ...] = ()  # other bold labels, e.g. ("Force", "Push")

    def kicker_parts(self) -> tuple[str, ...]:
        """Body part, equipment and difficulty, as printed above an exercise's title."""
        parts = (self.body_part, ", ".join(self.equipment), self.difficulty)
        return tuple(part for part in parts if part)

    def rows(self) -> tuple[tuple[str, str], ...]:
        """Label/value pairs for the metadata box, in reading order, empty ones left out."""
        rows = (
            ("Body part", self.body_part or ""),
            ("Target", ", ".join(self.target_muscles)),
            ("Secondary", ", ".join(self.secondary_muscles)),
            ("Equipment", ", ".join(self.equipment)),
            ("Difficulty", self.difficulty or ""),
            ("Category", self.category or ""),
            *self.extra,
        )
        return tuple((label, value) for label, value in rows if value)


@dataclass(frozen=True)
class Chapter:
    """One source file. `markdown` keeps the file's line numbers: removed lines become blank."""

    slug: str
    path: Path
    kind: ChapterKind
    title: str
    markdown: str
    deck: str | None = None  # a second title line (the H1 when front matter has a title)
    description: str | None = None
    keywords: tuple[str, ...] = ()
    exercise: ExerciseInfo | None = None
    video: str | None = None
    url: str | None = None  # the chapter's own web page (front matter `url`)
    log: LogPlan | None = None  # what its sheet logs, when the chapter says (`log:`)
    aliases: tuple[str, ...] = ()  # other names site links may use (file stem without prefix)
    # Element id, prefix of the ids inside and EPUB file name; a valid XML name unique in the
    # book, given by names.assign_anchors when the book is loaded (the slug when usable).
    anchor: str = ""


@dataclass(frozen=True)
class Part:
    title: str | None
    chapters: tuple[Chapter, ...]
    anchor: str = ""  # like Chapter.anchor: `part-<title words>`, unique (names.assign_anchors)


@dataclass(frozen=True)
class Book:
    config: BookConfig
    parts: tuple[Part, ...]
    content_dir: Path

    @property
    def chapters(self) -> tuple[Chapter, ...]:
        return tuple(ch for part in self.parts for ch in part.chapters)


@dataclass(frozen=True)
class Asset:
    """A file an output needs: `name` is its path inside every output ("images/x.svg").

    `data` holds the bytes when they did not come from a project file (a remote image fetched
    under --allow-remote-images); otherwise they are read from `source` when an output needs them.
    """

    name: str
    source: Path
    media_type: str
    data: bytes | None = None

    def read(self) -> bytes:
        return self.data if self.data is not None else self.source.read_bytes()


@dataclass(frozen=True)
class Heading:
    level: int
    id: str
    text: str


@dataclass(frozen=True)
class Section:
    """An H2 section of a chapter; `role` None for one that is not a known exercise section."""

    role: SectionRole | None
    title: str
    id: str  # the heading's id


@dataclass(frozen=True)
class Question:
    """A FAQ entry: the H3 question and the text of everything up to the next one."""

    question: str
    answer: str


@dataclass(frozen=True)
class ChapterImage:
    """An image of a chapter: `name` is its asset's name (`Asset.name`, "images/x.svg")."""

    name: str
    alt: str
    title: str | None = None
    caption: str | None = None  # its figure's caption (convert/figures.py), None when it has none


@dataclass(frozen=True)
class ChapterContent:
    """What a chapter says, as data (convert's `sections.read_content`), for outputs that lay
    it out themselves (form sheets, session cards). Texts are plain, whitespace collapsed, as
    printed (long words carry their zero-width break opportunities); all in reading order.
    """

    sections: tuple[Section, ...] = ()
    steps: tuple[str, ...] = ()  # the numbered steps under "How to perform"
    tips: tuple[str, ...] = ()  # the list items under "Pro tips"
    mistakes: tuple[str, ...] = ()  # the list items under "Common mistakes"
    faq: tuple[Question, ...] = ()
    images: tuple[ChapterImage, ...] = ()  # every image of the chapter, sections or not


@dataclass(frozen=True)
class ChapterDoc:
    """A converted chapter: sanitised XHTML body fragment, ids unique book-wide."""

    chapter: Chapter
    html: str
    ids: frozenset[str]
    headings: tuple[Heading, ...]
    content: ChapterContent


@dataclass(frozen=True)
class Edition:
    """The book prepared for output: converted chapters in order, grouped as the book's parts."""

    book: Book
    parts: tuple[tuple[Part, tuple[ChapterDoc, ...]], ...]
    assets: tuple[Asset, ...]

    @property
    def chapters(self) -> tuple[ChapterDoc, ...]:
        return tuple(doc for _part, docs in self.parts for doc in docs)
