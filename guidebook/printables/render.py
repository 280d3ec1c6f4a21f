"""Render printables: a warm printer per process, and the one-page fitting loop.

A `Printer` keeps what is costly to set up and the same for every sheet: the WeasyPrint session
(fonts loaded once, stylesheets parsed once; `render/session.py`) and the Jinja2 environment.
A batch of 200 sheets then costs 200 layouts, not 200 start-ups.

Handouts run to as many pages as they need; the figure pass (`render/holes.py`) keeps their
figures from leaving holes, as in the book.

Sheets and cards must be exactly one page. A sheet is laid out in the first of the
arrangements `fit.sheet_fits` orders for it that gives one page (the estimate is usually right
the first time); a card in the first of `CARD_FITS`. The ruled areas (log grid, notes) and the
QR code are drawn into the page when it is written (`rules.py`, `qr.py`), where the layout put
their boxes: the notes get whole rows from their heading to the foot of the page.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from guidebook.model import Asset, Paper
from guidebook.printables import rules
from guidebook.printables.content import ExerciseSheet, sheet_parts
from guidebook.printables.fit import (
    CARD_FITS,
    LEADING,
    MIN_ROWS,
    PT_MM,
    ROW_MM,
    Fit,
    Room,
    card_accepts,
    first_accepted,
    header_lines,
    last_resort,
    sheet_fits,
)
from guidebook.printables.qr import QrCode, find_placeholder, finisher
from guidebook.render import holes
from guidebook.render.resources import sandboxed_env, static_assets
from guidebook.render.session import PAPERS, Session, captured

SHEET = "printables/sheet.html.j2"


@dataclass(frozen=True)
class Job:
    """One PDF to write: a layout, its data (plain, picklable) and the files it may load."""

    template: str
    context: Mapping[str, Any]
    output: Path
    assets: tuple[Asset, ...] = ()
    one_page: bool = False
    qr: str | None = None  # address to draw as a QR code (passed to the layout as `qr`)
    label: str = ""  # how messages name it: "sheet for goblet-squat"
    too_long: str = "shorten its text"  # what to do when it cannot fit one page
    source: Path | None = None  # the chapter or program file messages point at


@dataclass
class Result:
    output: Path
    pages: int = 0
    fit: Fit | None = None
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    skipped: bool = False  # unchanged since the last run (content-hash cache)
    key: str | None = None  # the content hash it is made from (`batch.py`)


class Printer:
    """Renders jobs one after the other in one warm session (one per process)."""

    def __init__(
        self,
        layout_folders: tuple[Path, ...],
        paper: Paper,
        rooms: list[Room] | None = None,
    ) -> None:
        self.paper = paper
        self.session = Session()
        self.env = sandboxed_env(layout_folders)
        self._rooms = rooms  # measured on first use unless given
        self._qr: QrCode | None = None  # the current job's code
        self.static = {a.name: a for a in (*static_assets("handout"), *static_assets("printables"))}

    def render(self, job: Job) -> Result:
        result = Result(job.output)
        assets = {**self.static, **{a.name: a for a in job.assets}}
        refused: list[str] = []
        with captured(lambda message, _path: result.warnings.append(message), assets):
            try:
                self._render(job, result, _Layouts(self, assets, refused))
            except (jinja2.TemplateError, OSError, ValueError) as exc:
                result.error = f"{type(exc).__name__}: {exc}"
        result.warnings.extend(f"refused to load '{url}'" for url in dict.fromkeys(refused))
        return result

    def _render(self, job: Job, result: Result, layouts: _Layouts) -> None:
        context = {
            **job.context,
            "paper": PAPERS[self.paper].css,
            "margins": PAPERS[self.paper].form_margins,
            "qr": QrCode(job.qr) if job.qr else None,
        }
        self._qr = context["qr"]  # the code is made once: choosing its mask takes a while
        template = self.env.get_template(job.template)
        if not job.one_page:
            document = layouts.make(template, context, Fit(), "handout", settle=True)
            self._write(job, result, document, Fit())
            return

        def make(fit: Fit) -> Any:
            return layouts.make(template, context, fit, "printables")

        if job.template == SHEET:
            sheet: ExerciseSheet = context["sheet"]
            fits = self._sheet_fits(context)
            found = next(((f, d) for f in fits if len((d := make(f)).pages) == 1), None)
            if found is None:  # leave out what must go, as little as can be (see fit.py)
                tries = last_resort(fits[-1], len(sheet.watch_for), sheet.steps)
                found = first_accepted(tries, make, lambda document, _fit: len(document.pages) == 1)
                if found is not None:
                    result.warnings.append(_left_out(sheet, found[0]))
            tightest = fits[-1]
        else:
            found, tightest = first_accepted(CARD_FITS, make, card_accepts), CARD_FITS[-1]
        if found is not None:
            self._write(job, result, found[1], found[0])
        else:
            result.error = self._too_long(job, template, context, layouts, tightest)

    def _write(self, job: Job, result: Result, document: Any, fit: Fit) -> None:
        page = document.pages[0]
        operators = rules.operators(page) if job.one_page else []
        qr, where = self._qr, find_placeholder(page)
        if qr is not None and where:
            operators += qr.operators(*where)
        job.output.parent.mkdir(parents=True, exist_ok=True)  # in the staging folder
        document.write_pdf(job.output, finisher=finisher(operators) if operators else None)
        result.pages, result.fit = len(document.pages), fit

    def _sheet_fits(self, context: Mapping[str, Any]) -> list[Fit]:
        sheet: ExerciseSheet = context["sheet"]
        qr: QrCode | None = context["qr"]
        pictured = bool(sheet.thumbnail) or qr is not None
        side = (30.0 if sheet.thumbnail else 0.0) + (qr.size_mm + 3 if qr else 0.0)
        facts = "    ".join(f"{label}: {value}" for label, value in sheet.facts)
        lines = header_lines(sheet.title, facts, side)
        return sheet_fits(sheet.groups, sheet.watch_for, lines, pictured, self.rooms())

    def _too_long(
        self,
        job: Job,
        template: jinja2.Template,
        context: Mapping[str, Any],
        layouts: _Layouts,
        tightest: Fit,
    ) -> str:
        """Why a one-page job does not fit: on a sheet, the first part whose removal alone
        makes it fit at the tightest setting (tried only now that it failed), else the
        longest part."""
        pages = len(layouts.make(template, context, tightest, "printables").pages)
        problem = f"does not fit on one page even set at its smallest ({pages} pages)"
        parts = sheet_parts(job.context["sheet"]) if job.template == SHEET else []
        for part in parts:
            trial = {**context, "sheet": part.without}
            fit = (
                Fit(2, 3, 7.0, beside=False, mistakes=0)
                if part.without.groups != context["sheet"].groups
                else tightest
            )
            if len(layouts.make(template, trial, fit, "printables").pages) == 1:
                return f"{problem}: {part.what} is too long; {part.advice}"
        if parts:
            longest = max(parts, key=lambda part: part.size)
            return f"{problem}: its text is too long, {longest.what} most of all; {job.too_long}"
        return f"{problem}; {job.too_long}"

    def rooms(self) -> list[Room]:
        """Per density: the room a sheet's fixed parts leave (measured once, on a probe)."""
        if self._rooms is None:
            probe = ExerciseSheet(
                "probe", "Probe", ("Legs",), (("Target", "Quadriceps"),), (), (), None, None, None
            )
            context = {
                "sheet": probe,
                "athlete": None,
                "one_rm": None,
                "book_title": "Probe",
                "language": "en",
                "paper": PAPERS[self.paper].css,
                "margins": PAPERS[self.paper].form_margins,
                "qr": None,
            }
            template = self.env.get_template(SHEET)
            layouts = _Layouts(self, self.static, [])
            self._rooms = []
            for density in (0, 1, 2):
                fit = Fit(density, rows=MIN_ROWS, row_mm=ROW_MM[density])
                page = layouts.make(template, context, fit, "printables").pages[0]
                title = (16.0 if density == 2 else 19.0) * 1.1 * PT_MM
                self._rooms.append(
                    Room(
                        body=rules.notes_room_mm(page),
                        head=_box_height_mm(page, "head") - (title - 19.0 * 1.1 * PT_MM),
                        title_line=19.0 * 1.1 * PT_MM,
                        facts_line=8.0 * LEADING[density] * PT_MM,
                        pictured_head=33.0,
                    )
                )
        return self._rooms


@dataclass(frozen=True)
class _Layouts:
    """Lays out one job's attempts, with the files it may load; collects what was refused."""

    printer: Printer
    assets: Mapping[str, Asset]
    refused: list[str]

    def make(
        self,
        template: jinja2.Template,
        context: Mapping[str, Any],
        fit: Fit,
        kind: str,
        settle: bool = False,
    ) -> Any:
        """The job laid out; with `settle` (a handout, which may run to several pages), after
        the figure pass (`holes.py`) moved or shrank the figures that left a hole."""
        html = template.render(**context, fit=fit)
        draft = self.printer.session.draft(html, self.assets, kind)
        document = holes.settle(draft)[0] if settle else draft.layout()
        self.refused.extend(draft.fetcher.refused)
        return document


def _left_out(sheet: ExerciseSheet, fit: Fit) -> str:
    """The warning for a sheet that could not hold all its text (`fit.last_resort`)."""
    cues = sum(len(group.cues) for group in sheet.groups)
    shown = sum(len(column) for column in fit.columns)
    parts = []
    if fit.mistakes < len(sheet.watch_for):
        parts.append(
            f"{len(sheet.watch_for) - fit.mistakes} of its {len(sheet.watch_for)} common mistakes"
        )
    if shown < cues:
        parts.append(f"{cues - shown} of its {cues} checklist cues (the sheet says so)")
    return (
        f"its text does not all fit one page even at 8 pt in two columns: {' and '.join(parts)} "
        "are left out; shorten the steps under 'How to perform' or the common mistakes"
    )


def _box_height_mm(page: Any, css_class: str) -> float:
    box = next(rules.boxes(page, css_class), None)
    return float(box.margin_height()) / rules.PX_PER_MM if box is not None else 0.0
