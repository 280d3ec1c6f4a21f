"""Training programs (a YAML file): sessions of prescribed exercises, checked against the book.

A coach writes a program as YAML: a title, the units, and a list of sessions, each a list of
exercises with sets, reps and optionally a load, an effort (RPE or RIR), a tempo, a rest and
notes. The schema nests as the file does: `PROGRAM` -> `SESSION` -> `EXERCISE`
(in `prescription`, which reads one exercise).
`read_program` checks every key and names every exercise against the book's exercise chapters,
and reports each problem with the line of the offending key or item, so that one run lists
every mistake. What the values mean (loads, reps, tempo) is in `loads`.

Session slugs (for file names) are `w<week>-<day>-<title>`, parts left out when not given, the
week zero-padded to two digits when it is a number so that files sort by week ("w01-monday-
lower-body"); a repeated slug gets -2, -3... in the order of the sessions.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from guidebook.diagnostics import Reporter
from guidebook.numbers import parse_decimal, parse_whole
from guidebook.printables.exercises import ExerciseIndex
from guidebook.printables.loads import (
    DEFAULT_ROUND_TO,
    DEFAULT_UNITS,
    MAX_DECIMALS,
    UNIT_NAMES,
    format_number,
)
from guidebook.printables.prescription import EXERCISE, PrescriptionReader
from guidebook.records import got
from guidebook.safeyaml import YamlMap
from guidebook.schema import Field, Schema, load_yaml
from guidebook.text import read_text_file, slugify
from guidebook.training import Prescription, Program, Session, Units

MIN_ROUND_TO = Decimal("0.01")  # the smallest step that two decimals can print
MAX_ROUND_TO = Decimal(50)  # a step beyond a pair of the biggest plates rounds loads to nonsense
MAX_WEEK = 9999  # a numeric week; larger ones are labels
MAX_LABEL_LENGTH = 30  # week and day share the card header's one line with the program title
MAX_SLUG_LENGTH = 80  # session slugs name files: far below file-name limits (255 bytes)

SESSION = Schema(
    "session",
    (
        Field(
            "title",
            "text",
            "Printed in the card header.",
            required=True,
            remedy="add one, e.g. 'title: Legs'",
        ),
        Field("week", "label", "A number or a short label."),
        Field("day", "label", "A short label like Monday or Day 2."),
        Field("exercises", "list", "The session's exercises.", required=True, of=EXERCISE),
    ),
)
PROGRAM = Schema(
    "program",
    (
        Field(
            "title",
            "text",
            "Printed on every card.",
            required=True,
            remedy="add one, e.g. 'title: Novice strength, block 1'",
        ),
        Field("units", "choice", "The units of every weight: kg or lb.", choices=("kg", "lb")),
        Field("round_to", "number", "Loads from 1RM are rounded to a multiple of this."),
        Field("sessions", "list", "The program's sessions.", required=True, of=SESSION),
    ),
)
PROGRAM_KEYS = PROGRAM.keys
SESSION_KEYS = SESSION.keys
EXERCISE_KEYS = EXERCISE.keys


def read_program(path: Path, index: ExerciseIndex, reporter: Reporter) -> Program | None:
    """Read a program file; report every problem with its line and return None if there was one."""
    errors_before = len(reporter.errors)
    text = read_text_file(path, reporter, "program: ")
    if text is None:
        return None
    document = _document(text, path, reporter)
    if document is None:
        return None
    program = _Reader(path, index, reporter).program(document)
    return program if len(reporter.errors) == errors_before else None


def _document(text: str, path: Path, reporter: Reporter) -> YamlMap | None:
    loaded = load_yaml(text, path, 1, reporter, "program")
    if loaded is None:
        return None
    if loaded.data is None:
        reporter.error(
            "program: the file is empty; start with 'title:', then list the sessions "
            "under 'sessions:'",
            path,
        )
        return None
    if not isinstance(loaded.data, YamlMap):
        reporter.error(
            f"program: expected 'key: value' lines ({', '.join(PROGRAM_KEYS)}), "
            f"got {got(loaded.data)}",
            path,
            1,
        )
        return None
    return loaded.data


def session_slug(title: str, week: str | None, day: str | None) -> str:
    """'w01-monday-lower-body' for week 1, Monday, "Lower body"; parts not given are left out."""
    parts: list[str] = []
    if week:
        number = parse_whole(week, MAX_WEEK)
        label = f"{number:02d}" if number is not None else slugify(week)
        if label:
            parts.append("w" + label)
    if day:
        parts.append(slugify(day))
    parts.append(slugify(title))
    slug = "-".join(part for part in parts if part)
    if len(slug) > MAX_SLUG_LENGTH:  # cut at a hyphen when there is one near the end
        cut = slug[: MAX_SLUG_LENGTH + 1]
        slug = cut[: cut.rfind("-")] if cut.rfind("-") > MAX_SLUG_LENGTH // 2 else cut[:-1]
    return slug or "session"


def _unique_slugs(sessions: list[Session]) -> tuple[Session, ...]:
    """Sessions with distinct slugs: a repeated one gets -2, -3 ... in the order of the file."""
    used: set[str] = set()
    unique: list[Session] = []
    for session in sessions:
        slug, number = session.slug, 2
        while slug in used:
            slug, number = f"{session.slug}-{number}", number + 1
        used.add(slug)
        unique.append(replace(session, slug=slug))
    return tuple(unique)


class _Reader(PrescriptionReader):
    """Reads one program file by its schema: program, sessions, prescriptions."""

    def __init__(self, path: Path, index: ExerciseIndex, reporter: Reporter) -> None:
        super().__init__(path, index, reporter, "program")

    def program(self, doc: YamlMap) -> Program | None:
        self.check_keys(doc, PROGRAM)
        title = self.required_text(doc, PROGRAM.field("title"), "the program")
        units = self.program_units = self.units(doc)
        round_to = self.round_to(doc, units)
        sessions = self.list_of(doc, PROGRAM.field("sessions"), "the program")
        if title is None or sessions is None:
            return None
        found = []
        for _position, item in self.each_record(sessions, PROGRAM.field("sessions")):
            session = self.session(item)
            if session is not None:
                found.append(session)
        return Program(self.path, title, units, round_to, _unique_slugs(found))

    def units(self, doc: YamlMap) -> Units:
        if doc.get("units") is None:
            return DEFAULT_UNITS
        text = self.scalar_text(doc, "units")
        units = UNIT_NAMES.get(text.strip().lower()) if text is not None else None
        if units is None:
            self.wrong(doc, "units", " or ".join(PROGRAM.field("units").choices))
            return DEFAULT_UNITS
        return units

    def round_to(self, doc: YamlMap, units: Units) -> float:
        default = DEFAULT_ROUND_TO[units]
        if doc.get("round_to") is None:
            return default
        text = self.scalar_text(doc, "round_to")
        step = parse_decimal(text, max_decimals=None) if text is not None else None
        if step is None or step <= 0:
            self.wrong(doc, "round_to", f"a number more than 0, like {format_number(default)}")
            return default
        if not MIN_ROUND_TO <= step <= MAX_ROUND_TO or parse_decimal(text or "") is None:
            self.wrong(
                doc,
                "round_to",
                f"a step from {MIN_ROUND_TO} to {MAX_ROUND_TO} with at most {MAX_DECIMALS} "
                f"decimals, like {format_number(default)}",
            )
            return default
        return float(step)

    def session(self, item: YamlMap) -> Session | None:
        self.check_keys(item, SESSION)
        title = self.required_text(item, SESSION.field("title"), "this session")
        week = self.label(item, "week", "a number or a short label", MAX_LABEL_LENGTH)
        day = self.label(item, "day", "a short label like Monday or Day 2", MAX_LABEL_LENGTH)
        what = f"session '{title}'" if title is not None else "this session"
        exercises = self.exercises(item, what)
        if title is None or exercises is None:
            return None
        return Session(title, session_slug(title, week, day), exercises, week, day, item.line)

    def exercises(self, session: YamlMap, what: str) -> tuple[Prescription, ...] | None:
        spec = SESSION.field("exercises")
        items = self.list_of(session, spec, what)
        if items is None:
            return None
        numbered = any(isinstance(i, YamlMap) and i.get("order") is not None for i in items)
        found: list[Prescription] = []
        orders: list[tuple[str, int]] = []
        for position, item in self.each_record(items, spec):
            order = self.order(item, position, numbered)
            if order is not None:
                orders.append((order, item.line_of("order")))
            prescription = self.prescription(item, order)
            if prescription is not None:
                found.append(prescription)
        self.check_orders(orders, what)
        return tuple(found)
