"""Typographic ties: what must not be broken across lines, marked in the tree.

A training text is full of quantities a line break makes unreadable: "3–5 | min", "3 × | 30 s",
"3 × 6– | 10", "60 | kg". A non-breaking space alone does not hold them (a line may still break
after an en dash or a hyphen, by Unicode's line-breaking rules), so each such run is wrapped in
`<span class="nobreak">`, which base.css sets `white-space: nowrap` in print and ebook alike.
Table cells also tie their hyphenated words ("Ramp-up"): a narrow column grows to fit them
rather than splitting them.

This works on the lxml tree's text nodes, never on serialised HTML, and leaves code alone.
The text itself is unchanged: `text_of` reads the same words before and after.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from lxml import etree

_NUMBER = r"\d+(?:[.,]\d+)?(?:/\d+)?"
_RANGE = rf"{_NUMBER}(?:\s*[-–]\s*{_NUMBER})?"
_UNITS = (
    "kg|kgs|lb|lbs|g|km|m|cm|mm|mi|ft|s|sec|secs|seconds?|min|mins|minutes?|h|hr|hrs|hours?|"
    "days?|weeks?|reps?|sets?|rounds?|times|steps|breaths|bpm|rpm|kcal|cal|%|°|x|×"
)
# "3 × 30 s", "3 × 6–10", "3–5 min", "60 kg", "1.5-2 times", "RPE 8": at least one place a
# line could break (a space, a dash or a times sign), so plain "60" or "2024" is left alone.
_TIED = re.compile(
    rf"(?<![\w.,])(?:RPE\s+{_RANGE}|{_RANGE}(?:\s*[×x]\s*{_RANGE})*(?:\s*(?:{_UNITS})(?![\w]))?)",
    re.IGNORECASE,
)
_BREAKABLE = re.compile(r"[\s\-–×]")
_HYPHENATED = re.compile(r"\w+(?:[-‐]\w+)+")
# A tie longer than this is no quantity ("3 × 3 × 3 × ..." or a chain of hyphenated words):
# kept on one line, it would run off the page, so it is left to break like any text.
MAX_TIED = 30
SKIP = frozenset({"code", "pre", "kbd", "samp", "script", "style", "span"})
CELLS = ("td", "th")


def tie_text(root: etree._Element) -> int:
    """Wrap quantities (and hyphenated words in table cells) in `nobreak` spans; return how
    many were made."""
    made = 0
    for element in list(root.iter()):
        if not isinstance(element.tag, str) or _skipped(element):
            continue
        in_cell = element.tag in CELLS or any(a.tag in CELLS for a in element.iterancestors())
        pattern = _cell_pattern if in_cell else _TIED.finditer
        made += _wrap_text(element, pattern)
        for child in list(element):
            if isinstance(child.tag, str) or child.tail:
                made += _wrap_tail(child, pattern)
    return made


def _cell_pattern(text: str) -> list[re.Match[str]]:
    """In a table cell, quantities and hyphenated words, not overlapping, in order."""
    found = sorted(
        [*_TIED.finditer(text), *_HYPHENATED.finditer(text)], key=lambda m: (m.start(), -m.end())
    )
    kept: list[re.Match[str]] = []
    for match in found:
        if not kept or match.start() >= kept[-1].end():
            kept.append(match)
    return kept


def _skipped(element: etree._Element) -> bool:
    return element.tag in SKIP or any(a.tag in SKIP for a in element.iterancestors())


Finder = Callable[[str], Iterable[re.Match[str]]]


def _pieces(text: str, finder: Finder) -> list[tuple[str, bool]] | None:
    """`text` cut into (piece, tied) pairs; None when nothing needs tying."""
    out: list[tuple[str, bool]] = []
    at = 0
    for match in finder(text):
        if not _BREAKABLE.search(match.group(0).strip()) or len(match.group(0)) > MAX_TIED:
            continue
        start, end = match.start(), match.end()
        while end > start and text[end - 1].isspace():
            end -= 1
        out.extend([(text[at:start], False), (text[start:end], True)])
        at = end
    if not out:
        return None
    out.append((text[at:], False))
    return out


def _span(text: str, tail: str) -> etree._Element:
    span = etree.Element("span")
    span.set("class", "nobreak")
    span.text, span.tail = text, tail
    return span


def _wrap_text(element: etree._Element, finder: Finder) -> int:
    pieces = _pieces(element.text or "", finder) if element.text else None
    if not pieces:
        return 0
    element.text = pieces[0][0]
    spans = _spans(pieces[1:])
    for index, span in enumerate(spans):
        element.insert(index, span)
    return len(spans)


def _wrap_tail(child: etree._Element, finder: Finder) -> int:
    pieces = _pieces(child.tail or "", finder) if child.tail else None
    if not pieces:
        return 0
    child.tail = pieces[0][0]
    anchor = child
    spans = _spans(pieces[1:])
    for span in spans:
        anchor.addnext(span)
        anchor = span
    return len(spans)


def _spans(pieces: list[tuple[str, bool]]) -> list[etree._Element]:
    """Spans for the tied pieces; each untied piece becomes the tail of the span before it."""
    spans: list[etree._Element] = []
    for text, tied in pieces:
        if tied:
            spans.append(_span(text, ""))
        else:
            spans[-1].tail = (spans[-1].tail or "") + text
    return spans
