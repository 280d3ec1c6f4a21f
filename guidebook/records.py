"""Reading nested records (a program's sessions and exercises) from YAML against their schema.

`RecordReader` is the base of a domain reader: it walks a `YamlMap` by its `Schema` (unknown
keys, lists of records, required keys, texts, labels, numbers) and reports each problem with
the line of the offending key or item, then keeps going, so that one run lists every mistake.
What a value means (a load, a number of reps) is the domain reader's business; the wording of
what is wrong is `schema.expected`, with values quoted as written (`got`).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from guidebook.diagnostics import Reporter, shorten
from guidebook.numbers import parse_number
from guidebook.safeyaml import YamlList, YamlMap
from guidebook.schema import Field, Schema, check_keys, expected


def got(value: Any) -> str:
    """A value for 'expected X, got Y' messages (scalars are described by their text)."""
    if value is None:
        return "nothing"
    if isinstance(value, YamlMap):
        return "'key: value' lines"
    if isinstance(value, YamlList):
        return "a list"
    return repr(shorten(str(value)))


def article(noun: str) -> str:
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


class RecordReader:
    """Checks records of one file: reports every problem with its line, and keeps going."""

    def __init__(self, path: Path, reporter: Reporter, what: str) -> None:
        self.path = path
        self.reporter = reporter
        self.what = what  # the start of every message: "program"

    def error(self, message: str, line: int | None) -> None:
        self.reporter.error(f"{self.what}: {message}", self.path, line)

    def wrong(self, mapping: YamlMap, key: str, wanted: str) -> None:
        value = mapping.get(key)
        if value is not None and not isinstance(value, YamlMap | YamlList):
            value = mapping.texts.get(key, value)  # as written: '0310', not 200
        self.error(expected(key, wanted, got(value)), mapping.line_of(key))

    def check_keys(self, mapping: YamlMap, schema: Schema) -> None:
        check_keys(mapping, schema.fields, self.path, self.reporter, self.what)

    def missing(self, mapping: YamlMap, spec: Field, what: str) -> bool:
        """Report a required key that is not given: "this session has no 'title'; add one..."."""
        if spec.name in mapping:
            return False
        self.error(f"{what} has no '{spec.name}'; {spec.remedy}", mapping.line)
        return True

    def list_of(self, mapping: YamlMap, spec: Field, what: str) -> YamlList | None:
        """The items of a list field (kind "list"); None, reported, when it is missing, empty
        or not a list."""
        assert spec.of is not None
        start = next(f.name for f in spec.of.fields if f.required)
        remedy = f"list them under '{spec.name}:', each starting with '- {start}:'"
        items = mapping.get(spec.name)
        if spec.name not in mapping or items is None or items == []:
            line = mapping.line_of(spec.name) if spec.name in mapping else mapping.line
            self.error(f"{what} has no {spec.name}; {remedy}", line)
            return None
        if not isinstance(items, YamlList):
            self.wrong(
                mapping, spec.name, f"a list of {spec.name}, each starting with '- {start}:'"
            )
            return None
        return items

    def each_record(self, items: YamlList, spec: Field) -> Iterator[tuple[int, YamlMap]]:
        """(position from 1, record) for each item of `items`; others are reported as met."""
        assert spec.of is not None
        for position, (item, line) in enumerate(zip(items, items.item_lines, strict=True), 1):
            if isinstance(item, YamlMap):
                yield position, item
            else:
                wanted = f"{article(spec.of.name)} {spec.of.example()}"
                self.error(expected(spec.name, wanted, got(item)), line)

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

    def label(self, mapping: YamlMap, key: str, wanted: str, limit: int) -> str | None:
        """An optional text printed where a long one runs off the page: at most `limit`."""
        text = self.text(mapping, key)
        if text is not None and len(text) > limit:
            self.wrong(mapping, key, f"{wanted} (at most {limit} characters)")
            return None
        return text

    def required_text(self, mapping: YamlMap, spec: Field, what: str) -> str | None:
        if self.missing(mapping, spec, what):
            return None
        value = mapping.get(spec.name)
        if value is None or (isinstance(value, str) and not value.strip()):
            self.wrong(mapping, spec.name, "a text")
            return None
        return self.text(mapping, spec.name)

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
