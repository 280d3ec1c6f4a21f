"""What a session card logs for each exercise, and how it links supersets and circuits.

`card_log` decides an exercise's log plan on a card from its chapter's plan (`log:` in its
front matter, or the guess; `logplan.py`) and the program's line, which is more specific:

- reps written as a time (`30 s`, `1 min`) make it timed, a distance (`40 m`) a distance;
- a weight or a share of 1RM as its `load` makes it loaded, even a bodyweight exercise (a
  weighted pull-up); `load: bodyweight` makes a loaded chapter's exercise unloaded;
- `per side` in the reps, or the chapter's plan, logs each side on its own (L and R).

`set_boxes` names the boxes of one set: load kind `kg, reps, RPE`, reps kind `reps, RPE`,
time `s, RPE`, distance `m, time` (a load box first when loaded; RIR for RPE when the line
gives RIR; `L reps, R reps` per side).

`blocks` groups a session's exercises: consecutive order labels sharing a letter (A1, A2 ...)
are a superset (two) or a circuit (three or more); `B`, `C1` alone and numbers stay single.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from guidebook.logplan import LogKind, LogPlan
from guidebook.training import Prescription

_TIMED = re.compile(r"[0-9]+ (?:s|min)(?: per \w+)?")
_DISTANCE = re.compile(r"[0-9]+ (m|km|yd)(?: per \w+)?")
_GROUPED = re.compile(r"([A-Z]+)[0-9]+|([0-9]+)[A-Z]+")  # A1, A2 or 1A, 1B
_BODYWEIGHT = {"bodyweight", "body weight", "bw", "own bodyweight"}


def card_log(p: Prescription, chapter: LogPlan) -> LogPlan:
    """The exercise's log plan on a card: the chapter's, changed by the program's line."""
    weighted = p.load is not None and p.load.kind in ("weight", "percent")
    unloaded = p.load is not None and p.load.text.strip().lower() in _BODYWEIGHT
    kind: LogKind
    if _TIMED.fullmatch(p.reps):
        kind = "time"
    elif _DISTANCE.fullmatch(p.reps):
        kind = "distance"
    elif p.reps.startswith("AMRAP") and chapter.kind in ("time", "distance"):
        kind = chapter.kind  # as long as possible: a hold or a carry to failure
    elif weighted or (chapter.kind == "load" and not unloaded):
        kind = "load"
    else:
        kind = "reps"
    loaded = kind == "load" or weighted or (chapter.loaded and not unloaded)
    per_side = chapter.per_side or " per " in p.reps
    return LogPlan(kind, per_side, loaded)


def set_boxes(plan: LogPlan, p: Prescription, units: str) -> tuple[str, ...]:
    """The labels of the boxes of one set, in order (see the module)."""
    distance = _DISTANCE.fullmatch(p.reps)
    main = {
        "load": "reps",
        "reps": "reps",
        "time": "s",
        "distance": distance[1] if distance else "m",
    }[plan.kind]
    mains = (f"L {main}", f"R {main}") if plan.per_side else (main,)
    load = (units,) if plan.loaded else ()
    if plan.kind == "distance":
        return (*load, *mains, "time")
    if plan.kind == "time":
        return (*load, *mains, "RPE")
    effort = "RIR" if p.effort and p.effort.startswith("RIR") else "RPE"
    return (*load, *mains, effort)


@dataclass(frozen=True)
class Block:
    """One exercise, or a superset or circuit: exercises done back to back."""

    exercises: tuple[Prescription, ...]
    letter: str | None = None  # the group's letter: "A" for A1, A2

    @property
    def label(self) -> str | None:
        """ "Superset A" for two exercises, "Circuit A" for three or more; None for one."""
        if len(self.exercises) < 2:
            return None
        return f"{'Superset' if len(self.exercises) == 2 else 'Circuit'} {self.letter}"

    @property
    def rest(self) -> str | None:
        """A group's rest, said once: "Rest 90 s after A2", each exercise's when they differ
        ("Rest 30 s after A1 · 90 s after A2"); None for one exercise or no rest given."""
        if self.label is None:
            return None
        given = [(p.order, p.rest) for p in self.exercises if p.rest]
        if not given:
            return None
        last = self.exercises[-1]
        if last.rest and all(rest == last.rest for _order, rest in given):
            return f"Rest {last.rest} after {last.order}"
        return "Rest " + " · ".join(f"{rest} after {order}" for order, rest in given)


def blocks(exercises: Iterable[Prescription]) -> tuple[Block, ...]:
    """The session's exercises in order, consecutive A1, A2 ... linked into one block."""
    found: list[Block] = []
    for p in exercises:
        match = _GROUPED.fullmatch(p.order)
        letter = (match[1] or match[2]) if match else None
        previous = found[-1] if found else None
        if letter is not None and previous is not None and previous.letter == letter:
            found[-1] = Block((*previous.exercises, p), letter)
        else:
            found.append(Block((p,), letter))
    return tuple(found)
