"""Declared schemas for what writers and coaches type: book.yml, chapter front matter, program
files (program -> sessions -> exercises) and the roster's columns.

A record's schema is a `Schema`: a name and a tuple of `Field`s; a field of kind "list" holds
records of another schema (`Field.of`), so the declaration nests where the data does. Defaults
are not declared twice: the frozen dataclass a schema produces holds them (`build` lets it
fill in what a file leaves out; `default_of` reads one for documentation).

Every reader reports the same problems the same way, through one function each:
`parse_yaml_mapping` (YAML syntax errors, keys given twice, removed characters), `check_keys`
(unknown keys with a did-you-mean, a field given under two of its names), `did_you_mean` (also
for exercise names and roster columns) and `expected` (`key: expected X, got Y`). `validate`
checks a flat mapping (book.yml, front matter) against its fields by kind; program files are
checked by `guidebook.records.RecordReader`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml

from guidebook.diagnostics import Reporter, shorten
from guidebook.safeyaml import (
    YamlLoad,
    YamlMap,
    given_twice,
    lines,
    load_yaml_safely,
    type_name,
    yaml_problem,
)

# What a field accepts. "strings" takes a list of strings or one comma-separated string;
# "list" a list of records of the schema `Field.of`; "text", "number" and "label" are read
# by the program's reader, which knows their limits.
Kind = str  # "str" | "strings" | "bool" | "date" | "choice" | "parts" | "raw" | "list" ...


@dataclass(frozen=True)
class Field:
    name: str
    kind: Kind
    doc: str
    choices: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    attr: str | None = None  # the dataclass attribute it fills, when not `name`
    required: bool = False
    remedy: str = ""  # what to write when a required key is missing: "add one, e.g. ..."
    of: Schema | None = None  # kind "list": each item's schema


@dataclass(frozen=True)
class Schema:
    """A record's fields; `name` is what one record is called in messages ("session")."""

    name: str
    fields: tuple[Field, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    def example(self) -> str:
        """ "('title:', 'exercises:' ...)": the keys a record must have."""
        return "(" + ", ".join(f"'{f.name}:'" for f in self.fields if f.required) + " ...)"


def did_you_mean(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate closest to `word` (ignoring case), if it is close: the one did-you-mean."""
    close = difflib.get_close_matches(word.lower(), list(candidates), n=1, cutoff=0.6)
    return close[0] if close else None


def suggestion(word: str, candidates: Iterable[str]) -> str:
    """ " (did you mean 'x'?)" for the close candidate, or nothing."""
    close = did_you_mean(word, candidates)
    return f" (did you mean '{close}'?)" if close else ""


def expected(key: str, wanted: str, got: str) -> str:
    """The one wording of a wrong value: "sets: expected a whole number, got 'x'"."""
    return f"{key}: expected {wanted}, got {got}"


def describe(value: Any) -> str:
    """A value for `expected`, with its type: "str 'abc'", "list ['a']", "nothing"."""
    if value is None:
        return "nothing"
    return f"{type_name(value)} {shorten(repr(value))}"


def check_keys(
    mapping: YamlMap, fields: Sequence[Field], path: Path, reporter: Reporter, what: str
) -> None:
    """Report unknown keys (with a did-you-mean, else the known keys) and a field given twice
    under two of its names ('description' and 'meta')."""
    by_name = {name: f for f in fields for name in (f.name, *f.aliases)}
    given: dict[str, str] = {}  # field name -> the key that gave it
    for key in mapping:
        spec = by_name.get(key)
        line = mapping.line_of(key)
        if spec is None:
            hint = did_you_mean(key, by_name)
            tip = f" (did you mean '{hint}'?)" if hint else f"; known keys: {known(fields)}"
            reporter.error(f"{what}: unknown key '{key}'{tip}", path, line)
        elif spec.name in given:
            first = given[spec.name]
            where = lines(mapping.line_of(first), line)
            twice = given_twice(f"key '{spec.name}'", where, (first, key))
            reporter.error(f"{what}: {twice}", path, line)
        else:
            given[spec.name] = key


def known(fields: Sequence[Field]) -> str:
    return ", ".join(f.name for f in fields)


def report_findings(loaded: YamlLoad, path: Path, reporter: Reporter, what: str) -> None:
    """Keys given twice are errors; characters removed from values are warnings."""
    for duplicate in loaded.duplicate_keys:
        reporter.error(f"{what}: {duplicate.problem()}", path, duplicate.again)
    for removed in loaded.removed:
        reporter.warning(f"{what}: {removed.problem()}", path, removed.line)


def load_yaml(
    text: str, path: Path, first_line: int, reporter: Reporter, what: str
) -> YamlLoad | None:
    """Parse `text` (its first line is `first_line` of the file); report a syntax error with
    its line and what to do (`yamlwords.py`) and return None, else report `report_findings`."""
    try:
        loaded = load_yaml_safely(text, first_line)
    except yaml.YAMLError as exc:
        problem, line = yaml_problem(exc, text)
        reporter.error(f"{what}: {problem}", path, None if line is None else first_line + line)
        return None
    report_findings(loaded, path, reporter, what)
    return loaded


def parse_yaml_mapping(
    text: str, path: Path, first_line: int, reporter: Reporter, what: str
) -> YamlMap | None:
    """Parse `text` as a YAML mapping; report a problem with its line and return None."""
    loaded = load_yaml(text, path, first_line, reporter, what)
    if loaded is None:
        return None
    if loaded.data is None:
        return YamlMap({}, first_line, {}, {})
    if not isinstance(loaded.data, YamlMap):
        got = type_name(loaded.data)
        reporter.error(f"{what}: expected 'key: value' lines, got {got}", path, first_line)
        return None
    return loaded.data


def validate(
    doc: YamlMap, fields: Sequence[Field], path: Path, reporter: Reporter, what: str
) -> dict[str, Any]:
    """Return {field name: checked value} for the keys present; report unknown and bad keys."""
    check_keys(doc, fields, path, reporter, what)
    by_name = {name: f for f in fields for name in (f.name, *f.aliases)}
    out: dict[str, Any] = {}
    for key, raw in doc.items():
        spec = by_name.get(key)
        if spec is None:
            continue
        value, wanted = coerce(raw, spec)
        if wanted is not None:
            reporter.error(
                f"{what}: {expected(key, wanted, describe(raw))}", path, doc.line_of(key)
            )
            continue
        out[spec.name] = value
    return out


Record = TypeVar("Record")


def build(
    cls: type[Record], fields: Sequence[Field], values: Mapping[str, Any], **more: Any
) -> Record:
    """A `cls` from the checked `values` (None: not given) and `more`; what is not given keeps
    the dataclass's default. Fields that fill no attribute of `cls` are left out."""
    attributes = {a.name for a in dataclasses.fields(cls)}  # type: ignore[arg-type]
    given = {
        f.attr or f.name: values[f.name]
        for f in fields
        if values.get(f.name) is not None and (f.attr or f.name) in attributes
    }
    return cls(**given, **more)


def default_of(cls: type[Any], spec: Field) -> Any:
    """The default of the dataclass attribute `spec` fills (for documentation); None when it
    fills none or has no default."""
    name = spec.attr or spec.name
    attribute = next((a for a in dataclasses.fields(cls) if a.name == name), None)
    if attribute is None:
        return None
    if attribute.default_factory is not dataclasses.MISSING:
        return attribute.default_factory()
    return None if attribute.default is dataclasses.MISSING else attribute.default


def coerce(raw: Any, spec: Field) -> tuple[Any, str | None]:
    """Convert a YAML value to the field's type: (value, None) or (None, what was expected)."""
    if spec.kind == "str":
        if isinstance(raw, str | int | float) and not isinstance(raw, bool) and str(raw).strip():
            return str(raw).strip(), None
        return None, "a text"
    if spec.kind == "strings":
        return _strings(raw)
    if spec.kind == "bool":
        return (raw, None) if isinstance(raw, bool) else (None, "true or false")
    if spec.kind == "date":
        if isinstance(raw, dt.datetime):
            return raw.date(), None
        if isinstance(raw, dt.date):
            return raw, None
        if isinstance(raw, str):
            try:
                return dt.date.fromisoformat(raw.strip()), None
            except ValueError:
                pass
        return None, "a date like 2026-11-21"
    if spec.kind == "choice":
        value = str(raw).strip().lower() if isinstance(raw, str) else None
        if value in spec.choices:
            return value, None
        return None, "one of " + ", ".join(spec.choices)
    if spec.kind in ("parts", "raw"):
        return raw, None  # checked by the book loader, or by the key's own check
    raise AssertionError(f"unknown field kind {spec.kind}")


def _strings(raw: Any) -> tuple[tuple[str, ...] | None, str | None]:
    wanted = "a list of texts or one comma-separated text"
    if isinstance(raw, str):
        return tuple(part.strip() for part in raw.split(",") if part.strip()), None
    if isinstance(raw, list) and all(
        isinstance(item, str | int | float) and not isinstance(item, bool) for item in raw
    ):
        return tuple(str(item).strip() for item in raw if str(item).strip()), None
    return None, wanted
