"""One exercise of a session (a `Prescription`), read from its record in a program file.

`PrescriptionReader` reads the `EXERCISE` schema: the exercise by its name in the book, sets,
reps, and the optional order, load, effort (RPE or RIR), tempo, rest and notes. Each problem
is reported with the line of its key; what the values mean is in `loads`. The program reader
(`program`) builds on it and sets `program_units` before it reads the sessions.
"""

from __future__ import annotations

import re
from pathlib import Path

from guidebook.diagnostics import Reporter
from guidebook.model import Chapter
from guidebook.numbers import parse_whole
from guidebook.printables.exercises import ExerciseIndex
from guidebook.printables.loads import (
    DEFAULT_UNITS,
    MAX_REST_SECONDS,
    format_number,
    parse_load,
    parse_reps,
    parse_tempo,
)
from guidebook.records import RecordReader
from guidebook.safeyaml import YamlMap
from guidebook.schema import Field, Schema
from guidebook.training import Load, Prescription, Units

MAX_SETS = 20
MAX_ORDER_LENGTH = 4  # "A1", "B12"
_COUNT = re.compile(r"[0-9]+")

EXERCISE = Schema(
    "exercise",
    (
        Field("order", "text", "Label: 1, 2 ... or A1, A2 for a superset; default: the position."),
        Field(
            "exercise",
            "text",
            "An exercise of the book, by title, slug or alias.",
            required=True,
            remedy="add one, e.g. 'exercise: Goblet Squat'",
        ),
        Field("sets", "number", "1 to 20.", required=True, remedy="add them, e.g. 'sets: 3'"),
        Field(
            "reps",
            "text",
            "A number, a range, AMRAP, a time or a distance, optionally per side.",
            required=True,
            remedy="add them, e.g. 'reps: 5' or 'reps: 8-10'",
        ),
        Field("load", "text", "A share of 1RM (75%), a weight (60 kg) or a text (bodyweight)."),
        Field("rpe", "number", "Rate of perceived exertion, 1 to 10, halves allowed."),
        Field("rir", "number", "Reps in reserve, 0 to 10; give rpe or rir, not both."),
        Field("tempo", "text", "Four characters, each a digit or X (31X0)."),
        Field("rest", "text", "A text (2 min); a bare number is seconds."),
        Field("notes", "text", "Printed under the exercise."),
    ),
)


class PrescriptionReader(RecordReader):
    """Reads exercise records (`EXERCISE`) against the book's exercise chapters."""

    def __init__(self, path: Path, index: ExerciseIndex, reporter: Reporter, what: str) -> None:
        super().__init__(path, reporter, what)
        self.index = index
        self.program_units: Units = DEFAULT_UNITS  # until the program's own are read

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
        self.check_keys(item, EXERCISE)
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
            order, chapter.slug, chapter.title, sets, reps, load, effort, tempo, rest, notes,
            item.line,
        )  # fmt: skip

    def exercise(self, item: YamlMap) -> Chapter | None:
        name = self.required_text(item, EXERCISE.field("exercise"), "this exercise")
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
        if self.missing(item, EXERCISE.field("sets"), what):
            return None
        text = self.scalar_text(item, "sets")
        sets = parse_whole(text, MAX_SETS, minimum=1) if text is not None else None
        if sets is None:
            self.wrong(item, "sets", f"a whole number from 1 to {MAX_SETS}")
        return sets

    def reps(self, item: YamlMap, what: str) -> str | None:
        if self.missing(item, EXERCISE.field("reps"), what):
            return None
        text = self.scalar_text(item, "reps")
        reps = parse_reps(text) if text is not None else None
        if reps is None:
            self.wrong(
                item,
                "reps",
                "a number (5), a range (8-10), AMRAP, a time (30 s) or a distance (40 m)",
            )
        return reps

    def load(self, item: YamlMap) -> Load | None:
        text = self.text(item, "load")
        if text is None:
            return None
        load = parse_load(text, self.program_units)
        if isinstance(load, str):
            self.error(load, item.line_of("load"))
            return None
        return load

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
        tempo = parse_tempo(text) if text is not None else None
        if text is not None and tempo is None:
            self.wrong(item, "tempo", "4 characters, each a digit or X, like 31X0")
        return tempo

    def rest(self, item: YamlMap) -> str | None:
        text = self.text(item, "rest")
        if text is None or not _COUNT.fullmatch(text):
            return text
        seconds = parse_whole(text, MAX_REST_SECONDS)  # a bare number is seconds
        if seconds is None:
            self.wrong(item, "rest", f"at most {MAX_REST_SECONDS} seconds, like 90 or 2 min")
            return None
        return f"{seconds} s"
