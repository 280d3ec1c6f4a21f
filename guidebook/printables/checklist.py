"""Turn an exercise's numbered steps into a coach's technique checklist.

Steps in the chapters are full sentences, often several cues in one ("Breathe into your belly,
brace, and begin the descent by bending your hips"). A checklist wants one observable cue per
box, grouped by phase. Each step is cut at sentence ends, semicolons and ", and"/", then" joins;
each cue is given the phase its first words name (breathing, lowering, lifting), or, before any
movement has been named, setup; cues that name no phase stay with the one before. A breathing
clause inside a lifting cue (", breathing out as you pass ...") becomes a breathing cue of its
own. When no cue names a lowering or lifting phase the groups would say nothing, so the list is
one "Technique" group in the author's order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SETUP, LOWERING, LIFTING, BREATHING, TECHNIQUE = (
    "Setup",
    "Lowering",
    "Lifting",
    "Breathing & bracing",
    "Technique",
)
GROUP_ORDER = (SETUP, LOWERING, LIFTING, BREATHING)

_WORDS = {
    BREATHING: r"breath\w*|inhale\w*|exhale\w*|brac\w+|air",
    LOWERING: (
        r"lower\w*|descen\w*|sit(?:s|ting)? (?:down|back)|hinge\w*|sink\w*|bring\w* "
        r"the (?:bar|bell|weight|dumbbells?|kettlebell)s? (?:down|toward)|"
        r"let\w* the (?:bar|bell|weight|dumbbells?|kettlebell)s?|eccentric|drop\w*|reach\w* back"
    ),
    LIFTING: (
        r"push\w*|driv\w+|press\w*|pull\w*|stand(?:s|ing)? (?:up|tall)|lift\w*|rais\w+|rise|"
        r"rising|extend\w*|squeez\w+|curl\w*|return\w*|row\w*|finish\w*|lock\w* out|straighten\w*"
    ),
}
_PATTERNS = {
    group: re.compile(rf"\b(?:{words})\b", re.IGNORECASE) for group, words in _WORDS.items()
}
# How far into a cue its phase word may sit and still name the cue's phase.
_LEAD_WORDS = 8

_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z])|;\s*|,\s+(?:and|then)\s+(?=[a-z])")
_PARENTHESES = re.compile(r"\s*\([^()]*\)")
MAX_CUE = 96  # characters; longer cues are cut at a word boundary


@dataclass(frozen=True)
class Group:
    name: str
    cues: tuple[str, ...]


def checklist(steps: list[str]) -> tuple[Group, ...]:
    """Cues grouped by phase (in GROUP_ORDER, empty groups left out)."""
    placed: list[tuple[str, str]] = []
    current = SETUP
    for number, step in enumerate(steps):
        for cue in _cues(step):
            group = _phase(cue)
            if number == 0 and group != BREATHING:
                group = SETUP  # the first step sets the lifter up, whatever its verbs
            elif group in (LOWERING, LIFTING):
                current = group
            elif group is None:
                group = current
            main, breathing = _split_breathing(cue) if group != BREATHING else (cue, None)
            placed.extend((group, text) for text in (main,) if text)
            placed.extend((BREATHING, text) for text in (breathing,) if text)
    placed = [(group, _shorten(cue, MAX_CUE)) for group, cue in placed]
    if not any(group in (LOWERING, LIFTING) for group, _cue in placed):
        return (Group(TECHNIQUE, tuple(cue for _group, cue in placed)),) if placed else ()
    return tuple(
        Group(name, cues)
        for name in GROUP_ORDER
        if (cues := tuple(cue for group, cue in placed if group == name))
    )


def condense(text: str, limit: int = MAX_CUE) -> str:
    """One line of a list: the first sentence, without asides, cut at a word if still long."""
    text = _PARENTHESES.sub("", " ".join(text.split()))
    first = re.split(r"(?<=[.!?])\s+(?=[A-Z])", text)[0]
    first = re.split(r",\s+which\s|\s+[-–—]\s+", first)[0]
    return _shorten(first.rstrip(" .;,"), limit)


def _cues(step: str) -> list[str]:
    text = _PARENTHESES.sub("", " ".join(step.split()))
    cues = [_tidy(part) for part in _SPLIT.split(text)]
    return [cue for cue in cues if cue]


def _phase(cue: str) -> str | None:
    lead = " ".join(cue.split()[:_LEAD_WORDS])
    found = [
        (match.start(), group)
        for group, pattern in _PATTERNS.items()
        if (match := pattern.search(lead)) is not None
    ]
    return min(found)[1] if found else None


def _split_breathing(cue: str) -> tuple[str, str | None]:
    """("Push up", "Breathe out ...") from "Push up, breathing out as you pass the top"."""
    clauses = [c.strip() for c in cue.split(",")]
    for index, clause in enumerate(clauses[1:], start=1):
        if _PATTERNS[BREATHING].match(clause):
            rest = ", ".join(clauses[:index] + clauses[index + 1 :])
            return _tidy(rest), _tidy(clause)
    return cue, None


def _tidy(text: str) -> str:
    text = text.strip(" .;,")
    if not text:
        return ""
    text = re.sub(r"^(?:and|then)\s+", "", text)
    text = _GERUND.sub(lambda m: _IMPERATIVE[m[1].lower()], text)
    return text[0].upper() + text[1:]


# "..., breathing out as you stand" becomes the cue "Breathe out as you stand".
_IMPERATIVE = {
    "breathing": "breathe",
    "exhaling": "exhale",
    "inhaling": "inhale",
    "bracing": "brace",
}
_GERUND = re.compile(r"^(breathing|exhaling|inhaling|bracing)\b", re.IGNORECASE)


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:")
    return cut + "…"
