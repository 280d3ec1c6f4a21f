"""What a prescription's values mean: loads, working loads, reps, tempo, rest, printed numbers.

The program reader (`program`) checks where a value is and reports it with its line; this
module says what the value is. `parse_load` turns "75%", "60 kg" or "bodyweight" into a
`Load` (or says what is wrong with it), `working_load` turns a prescription into what one
athlete lifts: a share of 1RM becomes a weight, rounded to the program's step.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from guidebook.diagnostics import shorten
from guidebook.numbers import parse_decimal, parse_whole
from guidebook.training import Athlete, Load, Prescription, Program, Units

UNIT_NAMES: dict[str, Units] = {"kg": "kg", "kgs": "kg", "lb": "lb", "lbs": "lb"}
DEFAULT_UNITS: Units = "kg"
DEFAULT_ROUND_TO: dict[Units, float] = {"kg": 2.5, "lb": 5.0}
MAX_PERCENT = 120.0  # of 1RM, inclusive (supramaximal eccentrics go a little over 100)
MAX_WEIGHT = 1000.0  # exclusive, in the program's units
MAX_DECIMALS = 2  # in loads and round_to: 72.25%, 1.25 lb; more is a typo or '1,000' (a thousand?)
MAX_REPS = 999  # repetitions, seconds or minutes of one set
MAX_DISTANCE = 9999  # metres, yards or kilometres of one set
MAX_REST_SECONDS = 3600  # a bare number of seconds of rest

_NUMBER = r"[0-9]+(?:[.,][0-9]+)?"
_PERCENT = re.compile(rf"({_NUMBER})\s*%(?:\s*(?:of\s+)?1\s*-?\s*rm)?", re.IGNORECASE)
_WEIGHT = re.compile(rf"({_NUMBER})\s*(kgs?|lbs?)?", re.IGNORECASE)
_RANGE = re.compile(r"([0-9]+)\s*[-–—]\s*([0-9]+)")
_TIME = re.compile(r"([0-9]+)\s*(s|secs?|seconds?|min|mins|minutes?)", re.IGNORECASE)
_DISTANCE = re.compile(
    r"([0-9]+)\s*(m|metres?|meters?|km|kilometres?|kilometers?|yd|yds|yards?)", re.IGNORECASE
)
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


def parse_reps(text: str) -> str | None:
    """'5', '8-10', 'AMRAP', '30 s', '1 min', '40 m', each optionally '... per side'; else None.

    A time is in s or min, a distance in m, km or yd ('30 m' is metres, never minutes)."""
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
    distance = _DISTANCE.fullmatch(text)
    length = parse_whole(distance[1], MAX_DISTANCE, minimum=1) if distance is not None else None
    if distance is not None and length is not None:
        word = distance[2].lower()
        unit = "km" if word.startswith("k") else "yd" if word.startswith("y") else "m"
        return f"{length} {unit}{side}"
    return None


def parse_tempo(text: str) -> str | None:
    """'31x0' -> '31X0': four characters, each a digit or X; None otherwise."""
    return text.upper() if _TEMPO.fullmatch(text.upper()) else None


def parse_load(text: str, units: Units) -> Load | str:
    """The load "75%", "60 kg", "60" (in `units`) or "bodyweight" means, or what is wrong."""
    percent = _PERCENT.fullmatch(text)
    weight = _WEIGHT.fullmatch(text)
    number = percent or weight
    if number is None:
        if _NUMBER_LIKE.fullmatch(text):
            return (
                f"load: '{shorten(text)}' is neither a weight nor a share of 1RM; write "
                "digits 0-9 without a sign or exponent, like 60 kg or 75%, or a text "
                "like bodyweight"
            )
        return Load("text", text)
    amount = parse_decimal(number[1])
    if amount is None:
        return (
            f"load: '{shorten(text)}' has more than {MAX_DECIMALS} decimals (a comma is "
            "a decimal mark); round it, e.g. 62.5 kg or 72.5%"
        )
    if percent is None:
        return _weight(text, float(amount), number[2], units)
    if not 0 < amount <= MAX_PERCENT:
        return (
            f"load: {shorten(text)} is out of range; a share of 1RM is more than 0% and "
            f"at most {format_number(MAX_PERCENT)}%"
        )
    return Load("percent", f"{format_number(amount)}% 1RM", float(amount))


def _weight(text: str, value: float, unit: str | None, units: Units) -> Load | str:
    written = UNIT_NAMES[unit.lower()] if unit is not None else units
    if written != units:
        return (
            f"load: '{text}' is in {written} but the program is in {units}; "
            f"write it in {units}, or set 'units: {written}'"
        )
    if not 0 < value < MAX_WEIGHT:
        return (
            f"load: {shorten(text)} is out of range; a weight is more than 0 and less than "
            f"{format_number(MAX_WEIGHT)}"
        )
    return Load("weight", f"{format_number(value)} {units}", value)
