"""What a coach writes down for a set of an exercise: its log plan.

    load       load x reps     barbell, dumbbell, kettlebell, cable and machine lifts
    reps       reps only       push-ups, pull-ups, crunches: the body is the load
    time       seconds         planks and other holds, stretches, foam rolling, timed work
    distance   distance, time  carries, sled work, rowing, running (with a load when carried)

and, for unilateral work, each side on its own (L and R). A chapter says it with `log:` in its
front matter or a `**Log:**` bullet (`log: time per side`); otherwise `guess_log` decides from
its metadata and words: category and equipment first, then the title, then the steps' "switch
sides". A session card may change the kind for one exercise: a prescription of "30 s" is timed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

LogKind = Literal["load", "reps", "time", "distance"]
KINDS: tuple[LogKind, ...] = ("load", "reps", "time", "distance")
_SIDES = re.compile(r"[\s,]*(?:per|each|every)\s+(?:side|leg|arm)$", re.IGNORECASE)

# Words that decide, lower case, matched as whole words.
_TIME_CATEGORIES = r"stretch\w*|mobility|flexibility|foam roll\w*|recovery|isometric|static|yoga"
_TIME_TITLES = (
    r"plank|hold|dead hang|active hang|passive hang|bar hang|wall sit|stretch|pose|"
    r"foam roll\w*|roll(?:ing)?|hollow|l-sit|isometric|"
    r"jump rope|skipping|jumping jacks|mountain climbers?"
)
_DISTANCE_TITLES = (
    r"carry|carries|(?:farmer'?s|suitcase|waiter'?s|overhead|yoke|sled) walks?|sled|prowler|"
    r"sprint|run|running|rower|rowing machine|row erg|ski erg|erg|bike|cycling|shuttle|yoke"
)
_CARDIO_MACHINES = (
    r"rowing machine|rower|treadmill|(?:air |assault |exercise )?bike|ski erg|elliptical"
)
_DISTANCE_EQUIPMENT = r"sled|prowler|rower|rowing machine|ski erg|treadmill|bike|yoke"
_LOADED_EQUIPMENT = (
    r"barbell|dumbbells?|kettlebells?|cable|machine|smith|ez[- ]bar|trap bar|plates?|weight plate|"
    r"sandbag|landmine|medicine ball|weighted vest|sled|yoke|lever|leverage machine|hex bar"
)
_BODYWEIGHT_TITLES = (
    r"push-?ups?|pull-?ups?|chin-?ups?|inverted rows?|dips?|muscle-?ups?|burpees?|sit-?ups?|"
    r"crunch(?:es)?|leg raises?|pistol squats?"
)
# Steps that hold a position for a time: "for the desired time", "for 30 seconds" (ten or more;
# "hold for 2 seconds at the top" is a pause within a rep).
_HELD_STEPS = (
    r"for (?:the )?(?:desired|planned|prescribed) time|"
    r"for (?:[2-9][0-9]|[1-9][0-9]{2,}|[0-9]+ to [2-9][0-9]|[0-9]+-[2-9][0-9]) seconds"
    r"(?![^.]*\bthen\b)|"  # not "hold for 20 seconds at the top, then lower": a pause
    r"for [0-9]+ (?:to [0-9]+ )?minutes?"
)
_UNILATERAL_TITLES = (
    r"single[- ]arm|single[- ]leg|one[- ]arm|one[- ]leg|unilateral|split squat|lunges?|"
    r"step[- ]ups?|side plank|suitcase|pistol|bulgarian|copenhagen|couch stretch|pigeon|"
    r"alternating|each side|per side|offset"
)
_UNILATERAL_STEPS = (
    r"switch (?:sides|legs|arms|hands)|"
    r"(?:repeat|continue|do the same|same) (?:\w+ ){0,4}(?:on|with) the (?:other|opposite) "
    r"(?:side|leg|arm|hand)|per (?:side|leg|arm)|"
    r"(?:reps|repetitions|seconds|times) (?:on |for |with )?each (?:side|leg|arm)"
)


@dataclass(frozen=True)
class LogPlan:
    kind: LogKind
    per_side: bool = False
    loaded: bool = False  # a load column (always for `load`; carries and sled work too)

    @property
    def static(self) -> bool:
        """Held, carried or timed rather than lifted: no lowering and lifting phases."""
        return self.kind in ("time", "distance")

    def columns(self) -> tuple[tuple[str, int], ...]:
        """The log grid's columns, (label, width in % of the grid), the last one "Notes"."""
        main = {"load": "Reps", "reps": "Reps", "time": "Seconds", "distance": "Distance"}
        columns: list[tuple[str, int]] = [("Set", 7)]
        if self.loaded or self.kind == "load":
            columns.append(("Load", 13))
        width = 10 if self.per_side else 12
        if self.per_side:
            columns += [(f"{main[self.kind]} L", width), (f"{main[self.kind]} R", width)]
        else:
            columns.append((main[self.kind], width))
        if self.kind == "distance":
            columns.append(("Time", 11))
        columns.append(("RPE / RIR" if self.kind in ("load", "reps") else "RPE", 12))
        if self.kind in ("load", "reps"):
            columns.append(("Tempo", 10))
        columns.append(("Rest", 9))
        return (*columns, ("Notes", 100 - sum(w for _label, w in columns)))


def parse_log(text: str) -> LogPlan | None:
    """`load`, `reps`, `time` or `distance`, optionally followed by `per side`; else None."""
    words = " ".join(str(text).split()).lower()
    per_side = bool(_SIDES.search(words))
    kind = _SIDES.sub("", words).strip(" ,")
    kind = {"seconds": "time", "hold": "time", "timed": "time", "bodyweight": "reps"}.get(
        kind, kind
    )
    if kind not in KINDS:
        return None
    return LogPlan(kind, per_side, loaded=kind == "load")


def guess_log(
    title: str, category: str | None, equipment: Iterable[str], steps: Iterable[str] = ()
) -> LogPlan:
    """The plan a coach would pick from the exercise's metadata and words (see the module)."""
    gear = " ".join(equipment).lower()
    cardio = re.sub(rf"(?<![\w-])(?:{_CARDIO_MACHINES})(?![\w-])", "", gear)  # no load to log
    name, kind_of, steps = title.lower(), (category or "").lower(), list(steps)
    loaded = _has(_LOADED_EQUIPMENT, cardio)
    # Steps count in any title's language: "hold ... for the desired time".
    held = any(_has(_HELD_STEPS, step) for step in steps) or "foam roller" in gear
    kind: LogKind
    if _has(_DISTANCE_TITLES, name) or _has(_DISTANCE_EQUIPMENT, gear):
        kind = "distance"
    elif _has(_TIME_CATEGORIES, kind_of) or _has(_TIME_TITLES, name) or held:
        kind = "time"
    elif _has(_BODYWEIGHT_TITLES, name) and not _has(r"weighted|loaded", name):
        kind = "reps"  # a push-up on a Smith machine bar is still a push-up
    elif loaded or _has(r"weighted|loaded", name):
        kind = "load"
    elif kind_of in ("cardio", "conditioning", "plyometrics", "plyometric"):
        kind = "reps" if _has(r"jump|burpee|hop|bound|throw|slam", name) else "time"
    else:
        kind = "reps"
    per_side = _has(_UNILATERAL_TITLES, name) or any(_has(_UNILATERAL_STEPS, s) for s in steps)
    return LogPlan(kind, per_side, loaded=kind == "load" or (kind == "distance" and loaded))


def _has(words: str, text: str) -> bool:
    return re.search(rf"(?<![\w-])(?:{words})(?![\w-])", text, re.IGNORECASE) is not None
