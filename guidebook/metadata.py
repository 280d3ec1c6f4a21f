"""Exercise metadata written as the seed's bold-label bullet list, read into typed fields.

    - **Body Part:** Legs
    - **Secondary Muscles:** Hamstrings, Quadriceps

The first list whose items are all `**Label:** value` (at least two items, at least one label we
know) is metadata: its values are returned and its lines blanked, so it is shown as the
chapter's metadata box rather than as raw bullets. Labels we do not know are kept as extra rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# `- **Label:** value` or `- **Label**: value`
_ITEM = re.compile(
    r"^\s{0,3}[-*+]\s+\*\*(?P<label>[^*\n]{1,40}?)(?::\*\*|\*\*:)\s*(?P<value>.*?)\s*$"
)

# Label (lower case) -> field of ExerciseInfo.
LABELS: dict[str, str] = {
    "body part": "body_part",
    "bodypart": "body_part",
    "equipment": "equipment",
    "target": "target_muscles",
    "target muscle": "target_muscles",
    "target muscles": "target_muscles",
    "primary muscle": "target_muscles",
    "primary muscles": "target_muscles",
    "secondary muscle": "secondary_muscles",
    "secondary muscles": "secondary_muscles",
    "difficulty": "difficulty",
    "level": "difficulty",
    "category": "category",
    "log": "log",  # what the form sheet logs (logplan.py); not shown in the metadata box
}
LIST_FIELDS = frozenset({"equipment", "target_muscles", "secondary_muscles"})


@dataclass(frozen=True)
class BulletMetadata:
    values: dict[str, str | tuple[str, ...]]
    extra: tuple[tuple[str, str], ...]
    first_line: int  # 1-based
    body: str  # the Markdown with the list's lines blanked


def find_bullet_metadata(markdown: str) -> BulletMetadata | None:
    lines = markdown.split("\n")
    start = 0
    while start < len(lines):
        if not _ITEM.match(lines[start]):
            start += 1
            continue
        end = start
        while end < len(lines) and _ITEM.match(lines[end]):
            end += 1
        block = [m for m in (_ITEM.match(line) for line in lines[start:end]) if m]
        if len(block) >= 2 and any(m["label"].strip().lower() in LABELS for m in block):
            return _collect(block, lines, start, end)
        start = end
    return None


def _collect(block: list[re.Match[str]], lines: list[str], start: int, end: int) -> BulletMetadata:
    values: dict[str, str | tuple[str, ...]] = {}
    extra: list[tuple[str, str]] = []
    for match in block:
        label, value = match["label"].strip(), _plain(match["value"])
        field = LABELS.get(label.lower())
        if field is None:
            extra.append((label, value))
        elif field in LIST_FIELDS:
            values[field] = tuple(v.strip() for v in value.split(",") if v.strip())
        else:
            values[field] = value
    body = "\n".join(lines[:start] + [""] * (end - start) + lines[end:])
    return BulletMetadata(values, tuple(extra), start + 1, body)


def _plain(value: str) -> str:
    """Values are shown as text in the box: drop Markdown emphasis markers around them."""
    return re.sub(r"(\*\*|__|\*|_)(.+?)\1", r"\2", value).strip()
