"""Render printables: a warm printer per process, and the one-page fitting loop.

A `Printer` keeps what is costly to set up and the same for every sheet: the WeasyPrint session
(fonts loaded once, stylesheets parsed once; `render/session.py`) and the Jinja2 environment.
A batch of 200 sheets then costs 200 layouts, not 200 start-ups.

Handouts run to as many pages as they need; the figure pass (`render/holes.py`) keeps their
figures from leaving holes, as in the book.

Sheets and cards must be exactly one page. A job that asks to fit is rendered at the first of
the `FITS` that gives one page: each step sets the type smaller, the log grid shorter (never
under 7 mm a row) or, last, shows fewer checklist lines ("+ 2 more in the handout"). The ruled
notes area needs no fitting: it is drawn behind the page from the bottom up, and the opaque
blocks of the form cover it down to the last one, so it fills whatever room is left.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from guidebook.model import Asset, Paper
from guidebook.printables.content import ExerciseSheet, sheet_parts
from guidebook.printables.estimate import Estimate, first_fitting
from guidebook.printables.qr import QrCode, find_placeholder, finisher
from guidebook.render import holes
from guidebook.render.resources import sandboxed_env, static_assets
from guidebook.render.session import PAPERS, Session, captured

SHEET = "printables/sheet.html.j2"
PX_PER_MM = 96 / 25.4


@dataclass(frozen=True)
class Fit:
    """How densely a one-page printable is set."""

    density: int = 0  # CSS class density-N: smaller type and spacing
    rows: int = 8  # log grid rows (each >= 7 mm)
    thumbnail: bool = True
    cues: int = 99  # checklist lines per group
    mistakes: int = 99
    sets: int = 99  # set cells per exercise on a session card


FITS = (
    Fit(),
    Fit(rows=7),
    Fit(density=1, rows=6),
    Fit(density=2, rows=6),
    Fit(density=3, rows=5, thumbnail=False),
    Fit(density=3, rows=5, thumbnail=False, cues=5, mistakes=4),
    Fit(density=3, rows=4, thumbnail=False, cues=4, mistakes=3, sets=6),
    Fit(density=3, rows=4, thumbnail=False, cues=3, mistakes=2, sets=5),
    Fit(density=3, rows=4, thumbnail=False, cues=2, mistakes=1, sets=4),
)


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
        budgets: list[tuple[Estimate, float]] | None = None,
    ) -> None:
        self.paper = paper
        self.session = Session()
        self.env = sandboxed_env(layout_folders)
        self._sheet_budgets = budgets  # measured on first use unless given
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
        fits: tuple[Fit, ...] = FITS if job.one_page else (Fit(),)
        context = {
            **job.context,
            "paper": PAPERS[self.paper].css,
            "margins": PAPERS[self.paper].form_margins,
            "qr": QrCode(job.qr) if job.qr else None,
        }
        template = self.env.get_template(job.template)
        kind = "printables" if job.one_page else "handout"
        if job.template == SHEET and job.one_page:
            sheet = job.context["sheet"]
            start = first_fitting(sheet.groups, sheet.watch_for, self.budgets())
            if start and fits[start].cues < Fit().cues:
                start -= 1  # before leaving lines out, make sure the estimate was not pessimistic
            fits = fits[start:]
        for fit in fits:
            document = layouts.make(template, context, fit, kind, settle=not job.one_page)
            if len(document.pages) == 1 or not job.one_page:
                qr, where = context["qr"], find_placeholder(document.pages[0])
                job.output.parent.mkdir(parents=True, exist_ok=True)  # in the staging folder
                document.write_pdf(
                    job.output, finisher=finisher(qr, where) if qr and where else None
                )
                result.pages, result.fit = len(document.pages), fit
                break
        else:
            result.error = self._too_long(job, template, context, len(document.pages), layouts)

    def _too_long(
        self,
        job: Job,
        template: jinja2.Template,
        context: Mapping[str, Any],
        pages: int,
        layouts: _Layouts,
    ) -> str:
        """Why a one-page job does not fit: on a sheet, the first part whose removal alone
        makes it fit at the smallest setting (tried only now that it failed), else the
        longest part."""
        problem = f"does not fit on one page even set at its smallest ({pages} pages)"
        parts = sheet_parts(job.context["sheet"]) if job.template == SHEET else []
        for part in parts:
            trial = {**context, "sheet": part.without}
            if len(layouts.make(template, trial, FITS[-1], "printables").pages) == 1:
                return f"{problem}: {part.what} is too long; {part.advice}"
        if parts:
            longest = max(parts, key=lambda part: part.size)
            return f"{problem}: its text is too long, {longest.what} most of all; {job.too_long}"
        return f"{problem}; {job.too_long}"

    def budgets(self) -> list[tuple[Estimate, float]]:
        """Per density: the height left for the checklist row on a sheet (measured once)."""
        if self._sheet_budgets is None:
            probe = ExerciseSheet(
                "probe",
                "Probe",
                ("Legs", "Barbell", "Beginner"),
                (("Target", "Quadriceps"), ("Secondary", "Glutes, Core")),
                (),
                (),
                None,
                "https://example.org/probe",
                "Web page",
            )
            context = {
                "sheet": probe,
                "athlete": None,
                "one_rm": None,
                "book_title": "Probe",
                "language": "en",
                "paper": PAPERS[self.paper].css,
                "margins": PAPERS[self.paper].form_margins,
                "qr": QrCode(probe.link or ""),
            }
            template = self.env.get_template(SHEET)
            layouts = _Layouts(self, self.static, [])
            self._sheet_budgets = []
            for fit in FITS:
                page = layouts.make(template, context, fit, "printables")
                budget = _spare_mm(page.pages[0]) + _box_height_mm(page.pages[0], "body")
                self._sheet_budgets.append(
                    (Estimate(min(fit.density, 3), fit.cues, fit.mistakes), budget)
                )
        return self._sheet_budgets


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


def _flow_boxes(page: Any) -> list[Any]:
    """The top-level blocks of a page's body, in order."""
    boxes: list[Any] = []
    for html_box in page._page_box.children:
        for body_box in getattr(html_box, "children", ()):
            boxes.extend(getattr(body_box, "children", ()))
    return boxes


def _spare_mm(page: Any) -> float:
    """Empty height between the last in-flow block and the bottom of the content area."""
    area = page._page_box
    limit = area.content_box_y() + area.height
    flow = [b for b in _flow_boxes(page) if b.style["position"] not in ("fixed", "absolute")]
    bottom = max((b.position_y + b.margin_height() for b in flow), default=limit)
    return float(limit - bottom) / PX_PER_MM


def _box_height_mm(page: Any, css_class: str) -> float:
    for box in _flow_boxes(page):
        if css_class in (box.element.get("class") or "").split():
            return float(box.margin_height()) / PX_PER_MM
    return 0.0
