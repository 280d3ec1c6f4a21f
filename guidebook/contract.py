"""The renderer contract: every output of a build is a target behind this one interface.

A target has a name, says what it needs of the shared stages (`Needs`), names the chapters it
prints, and renders the prepared book into the build's staging folder: `render(context)`
returns one `Output` per file or folder it made. `targets.py` maps names to targets: adding one
is a module and a line there. `build.py` loads and converts once, then runs every target with
the same `RenderContext`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from guidebook.diagnostics import Reporter
from guidebook.model import Edition, PrintSetup
from guidebook.training import Person, Program
from guidebook.writer import Staging

if TYPE_CHECKING:  # WeasyPrint: `check` and an EPUB-only build never import it
    from guidebook.render.pagemap import PageMap
    from guidebook.render.session import Session

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Needs:
    print_images: bool = False  # images checked against their printed size (300 dpi)


@dataclass(frozen=True)
class Inputs:
    """What a command gives besides the book: chosen chapters, a program, a roster."""

    slugs: tuple[str, ...] = ()  # only these chapters (default: every one that applies)
    program: Program | None = None
    people: tuple[Person, ...] = ((None, ""),)  # without a roster: one nameless person
    workers: int = 0  # processes for the PDF's layout and the printables; 0: every core
    layout_cache: Path | None = None  # laid-out chunks of the book's PDF (None: no cache)


@dataclass
class Handover:  # what a target leaves for the targets after it, and for the build's end
    print_pages: PageMap | None = None  # the PDF's pages, for the EPUB's page-list
    once_in_place: list[Callable[[], None]] = field(default_factory=list)  # after the commit


@dataclass(frozen=True)
class RenderContext:
    edition: Edition
    inputs: Inputs
    setup: PrintSetup  # the book's trim, press preset, bleed, marks, PDF variant
    when: dt.datetime  # the build time (SOURCE_DATE_EPOCH when set)
    out_dir: Path
    staging: Staging  # where to write what goes to `final`: `staging.path_for(final)`
    reporter: Reporter
    progress: Progress
    handover: Handover = field(default_factory=Handover)

    @cached_property
    def session(self) -> Session:
        """The WeasyPrint session this build's targets share (made on first use)."""
        from guidebook.render.session import Session

        return Session()


@dataclass(frozen=True)
class Output:
    path: Path  # where it ends up (not the staging path)
    summary: str  # "45 pages, A4", "12 chapters", "1 page"
    seconds: float = 0.0
    unchanged: bool = False  # the file in place is still right (the printables' cache)
    key: str | None = None  # content hash remembered once it is in place (`cache.py`)


class Renderer(Protocol):
    name: str
    needs: Needs

    def chapters(self, context: RenderContext) -> Sequence[str]:
        """The slugs of the chapters it prints (all): the content's words on others are hidden."""
        return [doc.chapter.slug for doc in context.edition.chapters]

    def render(self, context: RenderContext) -> list[Output]:
        """Write the outputs into `context.staging`; report problems to `context.reporter`."""
