"""Turn an exercise's numbered steps into a coach's technique checklist, in the writer's words.

**Cues.** A step is one cue, word for word. A long step (over `LONG_STEP` characters) is one
cue per sentence, so that each box asks one thing; a sentence that cannot stand alone ("Pause.",
"Inhale during this phase.", "Tip: ...", "This keeps ...") stays with the one before it, and a
short opening sentence with the one after. Nothing is cut, rewritten or left out.

**Phases.** Cues are grouped (setup, breathing and bracing, lowering, the working phase) only
when the text says so without doubt, and the groups follow the steps' order:

- a clause names a phase by its leading verb ("lower ...", "slowly descend ...", "..., then
  press ...") or by a purpose ("bend your elbows to lower yourself"); words elsewhere
  ("arms extended", "the lowering phase") name nothing;
- the cues before the first phase are the setup (the first step always is), the last of them
  that lead with breathing or bracing are "Breathing & bracing";
- a cue that names no phase belongs to the phase before it.

The list stays one ungrouped list when the steps do not say it plainly: a step that holds a
whole rep (lowering and lifting), a phase that comes back after another, only one of the two
phases, or an exercise that is held, carried, stretched or rolled rather than lifted.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

SETUP, BREATHING, LOWERING = "Setup", "Breathing & bracing", "Lowering"
LIFTING = "Lifting"  # named after its verbs when they agree: Pulling, Pressing, Pushing
LONG_STEP = 160  # characters: a longer step is a cue per sentence
READ = 400  # characters of a cue its phase is read from
SHORT_SENTENCE = 40  # characters: a shorter sentence joins its neighbour

_ADVERBS = (
    r"(?:(?:slowly|then|now|next|and|finally|carefully|gradually|steadily|smoothly|gently|"
    r"forcefully|powerfully|explosively|quickly|immediately|again|continue to|keep|start to|"
    r"begin to)\s+)*"
)
# Phrases first: they settle verbs that go either way ("push your hips back" lowers).
_PHRASES: tuple[tuple[str, str | None], ...] = (
    (r"(?:push|press|drive|send|shift)\w* (?:your )?(?:hips|butt|glutes) (?:\w+ )?back", LOWERING),
    (r"(?:begin|start)\w* (?:the|your) descent", LOWERING),
    (
        r"let\w* (?:the|your) (?:\w+ ){1,2}(?:rise|return|lower|come back|go back)",
        LOWERING,
    ),
    (r"sit\w* (?:straight )?(?:down|back) (?:between|into|as if|until|toward)", LOWERING),
    (r"(?:bring|lower)\w* (?:\w+ ){0,3}(?:back )?down", LOWERING),
    (r"(?:bring|come)\w* (?:\w+ ){0,3}(?:back )?up", LIFTING),
    (r"stand\w* (?:back )?up", LIFTING),
    # Setting a position is not a phase: "pull your shoulders down", "press your legs together",
    # "pull the slack out of the bar", "lift it out of the rack".
    (
        r"(?:pull|press|push|draw|drive|raise|lift|squeeze)\w* (?:your )?(?:shoulders?|shoulder "
        r"blades|ribs|chin|belly button|navel|knees out|legs together|feet together)",
        None,
    ),
    (r"(?:pull|take)\w* (?:the )?slack", None),
    (r"lower\w* (?:\w+ ){0,3}onto", None),  # "lower your back onto the bench": getting set
    (r"(?:push|lift|raise)\w* (?:your )?chest (?:forward|out|up|proud|tall)", None),
    (r"(?:lift|take|pull)\w* (?:\w+ ){0,3}(?:out of|off|from) (?:the )?(?:rack|hooks|pins)", None),
    (r"(?:pull|press|push|squeeze|drive)\w* (?:\w+ ){1,3}together", None),
)
_VERBS = {
    LOWERING: r"lower|lowering|descend|descending|sink|sinking|squat down",
    LIFTING: (
        r"lift|lifting|raise|raising|rise|rising|push|pushing|press|pressing|drive|driving|"
        r"pull|pulling|row|rowing|curl|curling|thrust|thrusting|extend your hips"
    ),
    BREATHING: (
        r"inhale|inhaling|exhale|exhaling|breathe|breathing|brace|bracing|take a \w* ?breath"
    ),
}
_LEAD = {
    phase: re.compile(rf"{_ADVERBS}(?:{words})\b", re.IGNORECASE) for phase, words in _VERBS.items()
}
# "... to lower", "by driving"; not "about to push you".
_PURPOSE = re.compile(r"(?<!about )(?<!going )(?<!want )\b(?:to|by) (?=\w)", re.IGNORECASE)
_PHRASE_PATTERNS = tuple(
    (re.compile(rf"^{_ADVERBS}{phrase}\b", re.IGNORECASE), phase) for phrase, phase in _PHRASES
)
# A clause starts at the start, after a comma or semicolon, or at "and"/"then" joining verbs.
_CLAUSES = re.compile(r"\s*(?:[,;:]\s*|\s(?:and then|then|and)\s)", re.IGNORECASE)
# Held, carried, stretched or rolled: no lowering and lifting to group by.
_STATIC = re.compile(
    r"\bhold (?:\w+ ){0,4}(?:for|until) (?:the |a |your )?(?:\w+ )?(?:time|seconds|minutes?|breaths"
    r"|[0-9])|\b(?:walk|carry|roll)\w* (?:\w+ )?(?:forward|back and forth|up and down|slowly)",
    re.IGNORECASE,
)
# Sentence ends: not after "e.g.", "i.e.", "approx." and the like, nor inside numbers.
_SENTENCE_END = re.compile(
    r"(?<!\be\.g\.)(?<!\bi\.e\.)(?<!\bvs\.)(?<!\bapprox\.)(?<!\bca\.)(?<=[.!?])\s+(?=[\"“(]?[A-Z0-9])"
)
_DEPENDENT = re.compile(
    r"^(?:this|that|these|those|it|its|it's|doing so|do this|then|again|also|tip|note|pause"
    r"|hold|repeat|inhale|exhale|breathe)\b|\bthis (?:phase|part|position|movement|step)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Group:
    name: str  # "" for the one ungrouped list
    cues: tuple[str, ...]


def checklist(steps: Sequence[str], static: bool = False) -> tuple[Group, ...]:
    """The steps as cues, grouped by phase when the text says so plainly (see the module).

    `static`: the exercise is held or timed rather than lifted (from its log kind)."""
    per_step = [cues(step) for step in steps]
    flat = [cue for step in per_step for cue in step]
    if not flat:
        return ()
    labels = None if static else _labels(per_step)
    if labels is None:
        return (Group("", tuple(flat)),)
    groups: list[tuple[str, list[str]]] = []
    for label, cue in zip(labels, flat, strict=True):
        if not groups or groups[-1][0] != label:
            groups.append((label, []))
        groups[-1][1].append(cue)
    return tuple(Group(_name(label, cues_), tuple(cues_)) for label, cues_ in groups)


def cues(step: str) -> tuple[str, ...]:
    """One step's cues: the step, or its sentences when it is long (see the module)."""
    text = " ".join(step.split())
    if len(text) <= LONG_STEP:
        return (text,) if text else ()
    pieces: list[str] = []
    for sentence in _SENTENCE_END.split(text):
        if pieces and _DEPENDENT.search(sentence):
            pieces[-1] = f"{pieces[-1]} {sentence}"
        else:
            pieces.append(sentence)
    if len(pieces) > 1 and len(pieces[0]) < SHORT_SENTENCE:
        pieces[0:2] = [f"{pieces[0]} {pieces[1]}"]
    merged: list[str] = []
    for piece in pieces:
        if merged and len(piece) < SHORT_SENTENCE:
            merged[-1] = f"{merged[-1]} {piece}"
        else:
            merged.append(piece)
    return tuple(merged)


def first_sentence(text: str) -> str:
    """A list item's first sentence, whole: what a watch-for box prints of a long mistake."""
    text = " ".join(text.split())
    if len(text) <= LONG_STEP:
        return text
    return _SENTENCE_END.split(text, maxsplit=1)[0]


def _labels(per_step: list[tuple[str, ...]]) -> list[str] | None:
    """A phase per cue, or None when the steps do not name their phases plainly."""
    named: list[set[str]] = []
    for number, step in enumerate(per_step):
        for index, cue in enumerate(step):
            if _STATIC.search(cue):
                return None
            phases = _phases(cue)
            first_step_setup = number == 0 and not (index == 0 and _leads_with_move(cue))
            named.append(set() if first_step_setup else phases)
    moves = [p & {LOWERING, LIFTING} for p in named]
    if any(len(m) > 1 for m in moves):  # a whole rep in one cue
        return None
    first_move = next((i for i, m in enumerate(moves) if m), None)
    if first_move is None:
        return None
    labels = [SETUP] * first_move
    for i in reversed(range(first_move)):  # the breathing cues that lead into the movement
        if named[i] != {BREATHING}:
            break
        labels[i] = BREATHING
    current = ""
    for move in moves[first_move:]:
        current = next(iter(move)) if move else current
        labels.append(current)
    runs = [label for i, label in enumerate(labels) if i == 0 or labels[i - 1] != label]
    if len(runs) != len(set(runs)) or not {LOWERING, LIFTING} <= set(runs):
        return None
    return labels


def _phases(cue: str) -> set[str]:
    """The phases a cue's clauses name; breathing only when it leads the cue. Only the cue's
    first `READ` characters are read: what it starts with names its phase, and reading no
    further keeps a runaway step from costing more than an ordinary one."""
    found: set[str] = set()
    for position, clause in enumerate(_clauses(cue[:READ])):
        phase = _clause_phase(clause)
        if phase is not None and (phase != BREATHING or position == 0):
            found.add(phase)
        for purpose in itertools.islice(_PURPOSE.finditer(clause), 4):
            if (named := _clause_phase(clause[purpose.end() :])) in (LOWERING, LIFTING):
                found.add(named)
    if found - {BREATHING}:
        found.discard(BREATHING)
    return found


def _clause_phase(clause: str) -> str | None:
    for pattern, phase in _PHRASE_PATTERNS:
        if pattern.match(clause):
            return phase
    return next((phase for phase, lead in _LEAD.items() if lead.match(clause)), None)


def _clauses(cue: str) -> Iterator[str]:
    for sentence in _SENTENCE_END.split(cue):
        for clause in _CLAUSES.split(sentence):
            if clause.strip():
                yield clause.strip()


def _leads_with_move(cue: str) -> bool:
    first = next(_clauses(cue), "")
    return _clause_phase(first) in (LOWERING, LIFTING)


def _name(label: str, cues_: list[str]) -> str:
    if label != LIFTING:
        return label
    text = " ".join(cues_).lower()
    for verbs, name in ((r"pull|row", "Pulling"), (r"press", "Pressing"), (r"push", "Pushing")):
        if re.search(rf"\b(?:{verbs})\w*", text) and not re.search(
            r"\b(?:pull|row|press|push)\w*", re.sub(rf"\b(?:{verbs})\w*", "", text)
        ):
            return name
    return LIFTING
