"""Training programs (a YAML file): sessions of prescribed exercises, checked against the book.

A coach writes a program as YAML: a title, the units, and a list of sessions, each a list of
exercises with sets, reps and optionally a load, an effort (RPE or RIR), a tempo, a rest and
notes. `read_program` checks every key and names every exercise against the book's exercise
chapters, and reports each problem with the line of the offending key or item (the YAML is
loaded by `load_yaml`, which keeps the line of every mapping, key and list item), so that one
run lists every mistake. `working_load` turns a prescription into what one athlete lifts: a
share of 1RM becomes a weight, rounded to the program's step.

Session slugs (for file names) are `w<week>-<day>-<title>`, parts left out when not given, the
week zero-padded to two digits when it is a number so that files sort by week ("w01-monday-
lower-body"); a repeated slug gets -2, -3... in the order of the sessions.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import yaml

from guidebook.diagnostics import Reporter, shorten
from guidebook.model import Chapter
from guidebook.numbers import parse_decimal, parse_whole
from guidebook.printables.exercises import ExerciseIndex
from guidebook.printables.model import Athlete, Load, Prescription, Program, Session, Units
from guidebook.printables.roster import parse_number, read_text
from guidebook.safeyaml import SafeYamlLoader, YamlLoad, load_yaml_safely, yaml_problem
from guidebook.schema import report_findings
from guidebook.text import slugify

PROGRAM_KEYS = ("title", "units", "round_to", "sessions")
SESSION_KEYS = ("title", "week", "day", "exercises")
EXERCISE_KEYS = (
    "order",
    "exercise",
    "sets",
    "reps",
    "load",
    "rpe",
    "rir",
    "tempo",
    "rest",
    "notes",
)
UNIT_NAMES: dict[str, Units] = {"kg": "kg", "kgs": "kg", "lb": "lb", "lbs": "lb"}
DEFAULT_ROUND_TO: dict[Units, float] = {"kg": 2.5, "lb": 5.0}
MAX_SETS = 20
MAX_ORDER_LENGTH = 4  # "A1", "B12"
MAX_PERCENT = 120.0  # of 1RM, inclusive (supramaximal eccentrics go a little over 100)
MAX_WEIGHT = 1000.0  # exclusive, in the program's units
MAX_DECIMALS = 2  # in loads and round_to: 72.25%, 1.25 lb; more is a typo or '1,000' (a thousand?)
MIN_ROUND_TO = Decimal("0.01")  # the smallest step that two decimals can print
MAX_ROUND_TO = Decimal(50)  # a step beyond a pair of the biggest plates rounds loads to nonsense
MAX_REPS = 999  # repetitions, seconds or minutes of one set
MAX_REST_SECONDS = 3600  # a bare number of seconds of rest
MAX_WEEK = 9999  # a numeric week; larger ones are labels
MAX_LABEL_LENGTH = 30  # week and day share the card header's one line with the program title
MAX_SLUG_LENGTH = 80  # session slugs name files: far below file-name limits (255 bytes)

_NUMBER = r"[0-9]+(?:[.,][0-9]+)?"
_PERCENT = re.compile(rf"({_NUMBER})\s*%(?:\s*(?:of\s+)?1\s*-?\s*rm)?", re.IGNORECASE)
_WEIGHT = re.compile(rf"({_NUMBER})\s*(kgs?|lbs?)?", re.IGNORECASE)
_COUNT = re.compile(r"[0-9]+")
_RANGE = re.compile(r"([0-9]+)\s*[-–—]\s*([0-9]+)")
_TIME = re.compile(r"([0-9]+)\s*(s|secs?|seconds?|min|mins|minutes?)", re.IGNORECASE)
_PER_SIDE = re.compile(r"(.*?)\s*(?:/\s*|\bper\s+|\beach\s+)(side|leg|arm)", re.IGNORECASE)
_TEMPO = re.compile(r"[0-9X]{4}")
# A load that looks like a number but is neither a weight nor a share of 1RM: a sign, an
# exponent, another script's digits, two decimal points ('-60 kg', '1e3 kg', '٦٠ kg').
# Printed as text it would be nonsense on a card, so it is an error rather than a text load.
_NUMBER_LIKE = re.compile(
    r"[-+\u2212\u2013]?\s*[\d.,]*\d[\d.,]*(?:\s*e\s*[-+\u2212]?\s*\d+)?"
    r"\s*(?:%(?:\s*(?:of\s+)?1\s*-?\s*rm)?|kgs?|lbs?)?",
    re.IGNORECASE,
)


def read_program(path: Path, index: ExerciseIndex, reporter: Reporter) -> Program | None:
    """Read a program file; report every problem with its line and return None if there was one."""
    errors_before = len(reporter.errors)
    text = read_text(path, reporter, "program")
    if text is None:
        return None
    document = _document(text, path, reporter)
    if document is None:
        return None
    program = _Reader(path, index, reporter).program(document)
    return program if len(reporter.errors) == errors_before else None


def working_load(p: Prescription, athlete: Athlete | None, program: Program) -> str | None:
    """What the athlete lifts, as printed: "77.5 kg", "60 kg", "bodyweight".

    A share of 1RM needs the athlete's 1RM for the exercise; without one (or without an
    athlete) the answer is None and the card prints the percentage and a blank to fill in.
    """
    load = p.load
    if load is None:
        return None
    if load.kind != "percent" or load.value is None:
        return load.text
    one_rep_max = athlete.one_rep_max.get(p.slug) if athlete is not None else None
    if one_rep_max is None:
        return None
    exact = Decimal(str(load.value)) * Decimal(str(one_rep_max)) / 100
    return f"{format_number(round_to_step(exact, Decimal(str(program.round_to))))} {program.units}"


def round_to_step(value: Decimal, step: Decimal) -> Decimal:
    """The multiple of `step` nearest to `value`, halves rounded up: 76.875 by 2.5 -> 77.5."""
    return (value / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step


def format_number(value: float | Decimal) -> str:
    """Without trailing zeros: 82.5 -> '82.5', 80.0 -> '80'."""
    return format(Decimal(str(value)).normalize(), "f")


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


def parse_reps(text: str) -> str | None:
    """'5', '8-10', 'AMRAP', '30 s', '1 min', each optionally '... per side'; None otherwise."""
    text = " ".join(text.split())
    side = ""
    per_side = _PER_SIDE.fullmatch(text)
    if per_side is not None:
        text, side = per_side[1], f" per {per_side[2].lower()}"
    count = parse_whole(text, MAX_REPS, minimum=1)
    if count is not None:
        return f"{count}{side}"
    span = _RANGE.fullmatch(text)
    if span is not None:
        low, high = parse_whole(span[1], MAX_REPS, 1), parse_whole(span[2], MAX_REPS, 1)
        if low is not None and high is not None and low < high:
            return f"{low}-{high}{side}"
    if text.casefold() == "amrap":
        return f"AMRAP{side}"
    time = _TIME.fullmatch(text)
    amount = parse_whole(time[1], MAX_REPS, minimum=1) if time is not None else None
    if time is not None and amount is not None:
        unit = "min" if time[2].lower().startswith("m") else "s"
        return f"{amount} {unit}{side}"
    return None


# --- YAML with line numbers -------------------------------------------------------------------


class YamlMap(dict[str, Any]):
    """A YAML mapping as a dict, plus its lines (1-based) and its scalar values as written."""

    def __init__(
        self, items: dict[str, Any], line: int, key_lines: dict[str, int], texts: dict[str, str]
    ) -> None:
        super().__init__(items)
        self.line = line  # of its first key: for a list item, the line of its "- "
        self.key_lines = key_lines
        self.texts = texts  # before YAML typed them: "0310" stays "0310", not the number 200

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class YamlList(list[Any]):
    """A YAML list, plus the line of each item."""

    def __init__(self, items: list[Any], line: int, item_lines: list[int]) -> None:
        super().__init__(items)
        self.line = line
        self.item_lines = item_lines


class _LineLoader(SafeYamlLoader):
    """The shared safe loader (no aliases, bounded nesting, keys given twice noted), building
    `YamlMap`s and `YamlList`s."""


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _construct_map(loader: _LineLoader, node: yaml.MappingNode) -> YamlMap:
    loader.note_duplicate_keys(node)
    loader.flatten_mapping(node)  # "<<: *base" merges become ordinary keys
    items: dict[str, Any] = {}
    key_lines: dict[str, int] = {}
    texts: dict[str, str] = {}
    for key_node, value_node in node.value:
        key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "(a list or map)"
        items[key] = loader.construct_object(value_node, deep=True)
        key_lines[key] = _line(key_node)
        if isinstance(value_node, yaml.ScalarNode):
            texts[key] = str(value_node.value)
        else:
            texts.pop(key, None)
    return YamlMap(items, _line(node), key_lines, texts)


def _construct_list(loader: _LineLoader, node: yaml.SequenceNode) -> YamlList:
    items = [loader.construct_object(child, deep=True) for child in node.value]
    return YamlList(items, _line(node), [_line(child) for child in node.value])


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_list)


def load_yaml(text: str) -> YamlLoad:
    """The document (mappings as `YamlMap`, lists as `YamlList`) and what the shared safe
    loader noted (keys given twice, characters removed).

    Raises `yaml.YAMLError` for text that is not YAML.
    """
    return load_yaml_safely(text, _LineLoader)


def _document(text: str, path: Path, reporter: Reporter) -> YamlMap | None:
    try:
        loaded = load_yaml(text)
    except yaml.YAMLError as exc:
        problem, line = yaml_problem(exc, text)
        tip = "; indent with spaces, not tabs" if "'\\t'" in problem else ""
        reporter.error(f"program: {problem}{tip}", path, line + 1 if line is not None else None)
        return None
    report_findings(loaded, path, 1, reporter, "program")
    data = loaded.data
    if data is None:
        reporter.error(
            "program: the file is empty; start with 'title:', then list the sessions "
            "under 'sessions:'",
            path,
        )
        return None
    if not isinstance(data, YamlMap):
        reporter.error(
            "program: expected 'key: value' lines (title, units, round_to, sessions), "
            f"got {_got_value(data)}",
            path,
            1,
        )
        return None
    return data


def _got_value(value: Any) -> str:
    """A value for 'expected X, got Y' messages (scalars are described by their text)."""
    if value is None:
        return "nothing"
    if isinstance(value, YamlMap):
        return "'key: value' lines"
    if isinstance(value, YamlList):
        return "a list"
    return repr(shorten(str(value)))


# --- the program ------------------------------------------------------------------------------


class _Reader:
    """Checks one program file: reports every problem with its line, and keeps going."""

    def __init__(self, path: Path, index: ExerciseIndex, reporter: Reporter) -> None:
        self.path = path
        self.index = index
        self.reporter = reporter
        self.program_units: Units = "kg"  # until the program's own are read

    def program(self, doc: YamlMap) -> Program | None:
        self.unknown_keys(doc, PROGRAM_KEYS)
        title = self.required_text(
            doc, "title", "the program", "add one, e.g. 'title: Novice strength, block 1'"
        )
        units = self.program_units = self.units(doc)
        round_to = self.round_to(doc, units)
        sessions = self.sessions(doc)
        if title is None or sessions is None:
            return None
        return Program(self.path, title, units, round_to, sessions)

    def units(self, doc: YamlMap) -> Units:
        if doc.get("units") is None:
            return "kg"
        text = self.scalar_text(doc, "units")
        units = UNIT_NAMES.get(text.strip().lower()) if text is not None else None
        if units is None:
            self.wrong(doc, "units", "kg or lb")
            return "kg"
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

    def sessions(self, doc: YamlMap) -> tuple[Session, ...] | None:
        remedy = "list them under 'sessions:', each starting with '- title:'"
        if "sessions" not in doc:
            self.error(f"the program has no sessions; {remedy}", doc.line)
            return None
        items = doc["sessions"]
        if items is None or (isinstance(items, YamlList) and not items):
            self.error(f"the program has no sessions; {remedy}", doc.line_of("sessions"))
            return None
        if not isinstance(items, YamlList):
            self.wrong(doc, "sessions", "a list of sessions, each starting with '- title:'")
            return None
        sessions: list[Session] = []
        for item, line in zip(items, items.item_lines, strict=True):
            if not isinstance(item, YamlMap):
                self.error(
                    "sessions: expected a session ('title:', 'exercises:' ...), "
                    f"got {_got_value(item)}",
                    line,
                )
                continue
            session = self.session(item)
            if session is not None:
                sessions.append(session)
        return _unique_slugs(sessions)

    def session(self, item: YamlMap) -> Session | None:
        self.unknown_keys(item, SESSION_KEYS)
        title = self.required_text(item, "title", "this session", "add one, e.g. 'title: Legs'")
        week = self.label(item, "week", "a number or a short label")
        day = self.label(item, "day", "a short label like Monday or Day 2")
        what = f"session '{title}'" if title is not None else "this session"
        exercises = self.exercises(item, what)
        if title is None or exercises is None:
            return None
        return Session(title, session_slug(title, week, day), exercises, week, day, item.line)

    def exercises(self, session: YamlMap, what: str) -> tuple[Prescription, ...] | None:
        remedy = "list them under 'exercises:', each starting with '- exercise:'"
        if "exercises" not in session:
            self.error(f"{what} has no exercises; {remedy}", session.line)
            return None
        items = session["exercises"]
        if items is None or (isinstance(items, YamlList) and not items):
            self.error(f"{what} has no exercises; {remedy}", session.line_of("exercises"))
            return None
        if not isinstance(items, YamlList):
            self.wrong(
                session, "exercises", "a list of exercises, each starting with '- exercise:'"
            )
            return None
        numbered = any(
            isinstance(item, YamlMap) and item.get("order") is not None for item in items
        )
        found: list[Prescription] = []
        orders: list[tuple[str, int]] = []
        for position, (item, line) in enumerate(zip(items, items.item_lines, strict=True), 1):
            if not isinstance(item, YamlMap):
                self.error(
                    "exercises: expected an exercise ('exercise:', 'sets:', 'reps:' ...), "
                    f"got {_got_value(item)}",
                    line,
                )
                continue
            order = self.order(item, position, numbered)
            if order is not None:
                orders.append((order, item.line_of("order")))
            prescription = self.prescription(item, order)
            if prescription is not None:
                found.append(prescription)
        self.check_orders(orders, what)
        return tuple(found)

    def order(self, item: YamlMap, position: int, numbered: bool) -> str | None:
        """The label as written (upper-cased), or the position when no exercise has one."""
        if item.get("order") is None:
            if not numbered:
                return str(position)
            self.error(
                "this exercise has no 'order' but others in the session have one; "
                "give every exercise of the session an order (1, 2 or A1, A2, B1 ...)",
                item.line,
            )
            return None
        text = self.text(item, "order")
        if text is None:
            return None
        if len(text) > MAX_ORDER_LENGTH or " " in text:
            self.wrong(item, "order", "a short label like 1, 2 or A1, A2")
            return None
        return text.upper()

    def check_orders(self, orders: list[tuple[str, int]], what: str) -> None:
        first: dict[str, int] = {}
        for order, line in orders:
            if order in first:
                self.error(
                    f"order '{order}' is used twice in {what} (lines {first[order]} and "
                    f"{line}); give each exercise its own label",
                    line,
                )
            else:
                first[order] = line

    def prescription(self, item: YamlMap, order: str | None) -> Prescription | None:
        self.unknown_keys(item, EXERCISE_KEYS)
        chapter = self.exercise(item)
        name = self.scalar_text(item, "exercise")
        what = f"exercise '{name.strip()}'" if name and name.strip() else "this exercise"
        sets = self.sets(item, what)
        reps = self.reps(item, what)
        load = self.load(item)
        effort = self.effort(item)
        tempo = self.tempo(item)
        rest = self.rest(item)
        notes = self.text(item, "notes")
        if chapter is None or order is None or sets is None or reps is None:
            return None
        return Prescription(
            order,
            chapter.slug,
            chapter.title,
            sets,
            reps,
            load,
            effort,
            tempo,
            rest,
            notes,
            item.line,
        )

    def exercise(self, item: YamlMap) -> Chapter | None:
        example = "add one, e.g. 'exercise: Goblet Squat'"
        name = self.required_text(item, "exercise", "this exercise", example)
        if name is None:
            return None
        chapter = self.index.resolve(name)
        if chapter is None:
            self.error(
                f"exercise '{name}' is not in the book{self.index.hint(name)}",
                item.line_of("exercise"),
            )
        return chapter

    def sets(self, item: YamlMap, what: str) -> int | None:
        if "sets" not in item:
            self.error(f"{what} has no 'sets'; add them, e.g. 'sets: 3'", item.line)
            return None
        text = self.scalar_text(item, "sets")
        sets = parse_whole(text, MAX_SETS, minimum=1) if text is not None else None
        if sets is None:
            self.wrong(item, "sets", f"a whole number from 1 to {MAX_SETS}")
            return None
        return sets

    def reps(self, item: YamlMap, what: str) -> str | None:
        if "reps" not in item:
            self.error(f"{what} has no 'reps'; add them, e.g. 'reps: 5' or 'reps: 8-10'", item.line)
            return None
        text = self.scalar_text(item, "reps")
        reps = parse_reps(text) if text is not None else None
        if reps is None:
            self.wrong(item, "reps", "a number (5), a range (8-10), AMRAP or a time (30 s)")
        return reps

    def load(self, item: YamlMap) -> Load | None:
        text = self.text(item, "load")
        if text is None:
            return None
        line = item.line_of("load")
        percent = _PERCENT.fullmatch(text)
        weight = _WEIGHT.fullmatch(text)
        number = percent or weight
        if number is None:
            if _NUMBER_LIKE.fullmatch(text):
                self.error(
                    f"load: '{shorten(text)}' is neither a weight nor a share of 1RM; write "
                    "digits 0-9 without a sign or exponent, like 60 kg or 75%, or a text "
                    "like bodyweight",
                    line,
                )
                return None
            return Load("text", text)
        amount = parse_decimal(number[1])
        if amount is None:
            self.error(
                f"load: '{shorten(text)}' has more than {MAX_DECIMALS} decimals (a comma is "
                "a decimal mark); round it, e.g. 62.5 kg or 72.5%",
                line,
            )
            return None
        if percent is None:
            return self.weight(text, float(amount), number[2], line)
        if not 0 < amount <= MAX_PERCENT:
            self.error(
                f"load: {shorten(text)} is out of range; a share of 1RM is more than 0% and "
                f"at most {format_number(MAX_PERCENT)}%",
                line,
            )
            return None
        return Load("percent", f"{format_number(amount)}% 1RM", float(amount))

    def weight(self, text: str, value: float, unit: str | None, line: int) -> Load | None:
        units = self.program_units
        written = UNIT_NAMES[unit.lower()] if unit is not None else units
        if written != units:
            self.error(
                f"load: '{text}' is in {written} but the program is in {units}; "
                f"write it in {units}, or set 'units: {written}'",
                line,
            )
            return None
        if not 0 < value < MAX_WEIGHT:
            self.error(
                f"load: {shorten(text)} is out of range; a weight is more than 0 and less than "
                f"{format_number(MAX_WEIGHT)}",
                line,
            )
            return None
        return Load("weight", f"{format_number(value)} {units}", value)

    def effort(self, item: YamlMap) -> str | None:
        rpe = self.rpe(item)
        rir = self.rir(item)
        if item.get("rpe") is not None and item.get("rir") is not None:
            line = max(item.line_of("rpe"), item.line_of("rir"))
            self.error("this exercise has both rpe and rir; keep one of them", line)
            return None
        return rpe or rir

    def rpe(self, item: YamlMap) -> str | None:
        if item.get("rpe") is None:
            return None
        value = self.number(item, "rpe")
        if value is None or not 1 <= value <= 10 or not (value * 2).is_integer():
            self.wrong(item, "rpe", "a number from 1 to 10 (halves allowed, like 8.5)")
            return None
        return f"RPE {format_number(value)}"

    def rir(self, item: YamlMap) -> str | None:
        if item.get("rir") is None:
            return None
        value = self.number(item, "rir")
        if value is None or not 0 <= value <= 10 or not value.is_integer():
            self.wrong(item, "rir", "a whole number from 0 to 10")
            return None
        return f"RIR {int(value)}"

    def tempo(self, item: YamlMap) -> str | None:
        text = self.text(item, "tempo")
        if text is None:
            return None
        if not _TEMPO.fullmatch(text.upper()):
            self.wrong(item, "tempo", "4 characters, each a digit or X, like 31X0")
            return None
        return text.upper()

    def rest(self, item: YamlMap) -> str | None:
        text = self.text(item, "rest")
        if text is None or not _COUNT.fullmatch(text):
            return text
        seconds = parse_whole(text, MAX_REST_SECONDS)  # a bare number is seconds
        if seconds is None:
            self.wrong(item, "rest", f"at most {MAX_REST_SECONDS} seconds, like 90 or 2 min")
            return None
        return f"{seconds} s"

    # --- values -------------------------------------------------------------------------------

    def error(self, message: str, line: int | None) -> None:
        self.reporter.error(f"program: {message}", self.path, line)

    def wrong(self, mapping: YamlMap, key: str, expected: str) -> None:
        value = mapping.get(key)
        if value is not None and not isinstance(value, YamlMap | YamlList):
            value = mapping.texts.get(key, value)  # as written: '0310', not 200
        got = _got_value(value)
        self.error(f"{key}: expected {expected}, got {got}", mapping.line_of(key))

    def unknown_keys(self, mapping: YamlMap, known: tuple[str, ...]) -> None:
        for key in mapping:
            if key in known:
                continue
            close = difflib.get_close_matches(key.lower(), known, n=1, cutoff=0.6)
            tip = f" (did you mean '{close[0]}'?)" if close else f"; known keys: {', '.join(known)}"
            self.error(f"unknown key '{key}'{tip}", mapping.line_of(key))

    def scalar_text(self, mapping: YamlMap, key: str) -> str | None:
        """A scalar value as written, or None (not given, empty, a list or a mapping)."""
        value = mapping.get(key)
        if value is None or isinstance(value, YamlMap | YamlList):
            return None
        return mapping.texts.get(key)

    def text(self, mapping: YamlMap, key: str) -> str | None:
        """An optional text, spaces collapsed; a number counts ('week: 1'); empty is not given."""
        value = mapping.get(key)
        if value is None:
            return None
        text = self.scalar_text(mapping, key)
        if text is None:
            self.wrong(mapping, key, "a text")
            return None
        return " ".join(text.split()) or None

    def label(self, mapping: YamlMap, key: str, expected: str) -> str | None:
        """An optional text printed in the card header, where a long one runs off the page."""
        text = self.text(mapping, key)
        if text is not None and len(text) > MAX_LABEL_LENGTH:
            self.wrong(mapping, key, f"{expected} (at most {MAX_LABEL_LENGTH} characters)")
            return None
        return text

    def required_text(self, mapping: YamlMap, key: str, what: str, remedy: str) -> str | None:
        if key not in mapping:
            self.error(f"{what} has no '{key}'; {remedy}", mapping.line)
            return None
        value = mapping.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            self.wrong(mapping, key, "a text")
            return None
        return self.text(mapping, key)

    def number(self, mapping: YamlMap, key: str) -> float | None:
        """A number (YAML's, or a text like '2,5'), or None; reports nothing."""
        value = mapping.get(key)
        if isinstance(value, bool):
            return None
        if isinstance(value, int | float):
            return float(value) if math.isfinite(value) else None
        if isinstance(value, str):
            return parse_number(value)
        return None


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
