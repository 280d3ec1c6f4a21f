"""Frozen data of training: athletes (a roster), programs, their sessions and prescriptions.

Shared by the schema readers (`printables/program.py`, `printables/roster.py`), the build's
inputs (`contract.Inputs`) and the printables that print them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Units = Literal["kg", "lb"]


@dataclass(frozen=True)
class Athlete:
    name: str
    one_rep_max: Mapping[str, float] = field(default_factory=dict)  # by exercise slug
    line: int | None = None  # in the roster file


@dataclass(frozen=True)
class Roster:
    path: Path
    athletes: tuple[Athlete, ...]


@dataclass(frozen=True)
class Load:
    """A prescribed load as written: a share of 1RM, a weight, or free text ("bodyweight")."""

    kind: Literal["percent", "weight", "text"]
    text: str  # as the coach wrote it: "75%", "60 kg", "bodyweight"
    value: float | None = None  # 75.0 for 75 %, 60.0 for 60 kg


@dataclass(frozen=True)
class Prescription:
    """One line of a session: what an athlete does for one exercise."""

    order: str  # "A1", "A2", "B", "1"
    slug: str  # the book's exercise chapter
    name: str  # its title in the book
    sets: int
    reps: str  # "5", "8-10", "AMRAP", "30 s"
    load: Load | None = None
    effort: str | None = None  # "RPE 8" or "RIR 2"
    tempo: str | None = None  # "31X0"
    rest: str | None = None  # "2 min"
    notes: str | None = None
    line: int | None = None  # in the program file


@dataclass(frozen=True)
class Session:
    title: str
    slug: str  # for file names
    exercises: tuple[Prescription, ...]
    week: str | None = None
    day: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class Program:
    path: Path
    title: str
    units: Units
    round_to: float  # loads computed from 1RM are rounded to this step
    sessions: tuple[Session, ...]

    def exercise_slugs(self) -> list[str]:
        """The book's exercises the program uses, in order of first use."""
        return list(dict.fromkeys(p.slug for s in self.sessions for p in s.exercises))


# An athlete (None: no roster) and the folder of their files ("" without a roster).
Person = tuple[Athlete | None, str]
