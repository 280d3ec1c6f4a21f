"""Declared, documented key schemas for YAML mappings (book.yml and chapter front matter).

Each key is a `Field` with a type, a default and a doc line; `validate` checks a parsed mapping
against the fields and reports every problem as `key: expected X, got Y` with the key's line,
plus a did-you-mean for unknown keys. The README's key tables are written from these fields.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from guidebook.diagnostics import Reporter, shorten
from guidebook.safeyaml import SafeYamlLoader as SafeYamlLoader  # re-exported: its old home
from guidebook.safeyaml import YamlLoad, load_yaml_safely, yaml_problem

# What a field accepts. "strings" takes a list of strings or one comma-separated string.
Kind = str  # "str" | "strings" | "bool" | "date" | "choice" | "parts"


@dataclass(frozen=True)
class Field:
    name: str
    kind: Kind
    doc: str
    default: Any = None
    choices: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class YamlDoc:
    """A parsed YAML mapping with the line of each top-level key (1-based, in the file)."""

    data: dict[str, Any]
    lines: dict[str, int]


def parse_yaml_mapping(
    text: str, path: Path, first_line: int, reporter: Reporter, what: str
) -> YamlDoc | None:
    """Parse `text` as a YAML mapping; report a syntax error with its line and return None."""
    try:
        loaded = load_yaml_safely(text)
    except yaml.YAMLError as exc:
        problem, line = yaml_problem(exc, text)
        reporter.error(f"{what}: {problem}", path, first_line + (line or 0))
        return None
    report_findings(loaded, path, first_line, reporter, what)
    node, data = loaded.node, loaded.data
    if data is None:
        return YamlDoc({}, {})
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        reporter.error(
            f"{what}: expected 'key: value' lines, got {type(data).__name__}", path, first_line
        )
        return None
    lines = {
        str(key.value): first_line + key.start_mark.line
        for key, _value in node.value
        if isinstance(key, yaml.ScalarNode)
    }
    return YamlDoc({str(k): v for k, v in data.items()}, lines)


def validate(
    doc: YamlDoc,
    fields: Sequence[Field],
    path: Path,
    reporter: Reporter,
    what: str,
    default_line: int | None = None,
) -> dict[str, Any]:
    """Return {field name: checked value} for the keys present; report unknown and bad keys."""
    by_name: dict[str, Field] = {}
    for f in fields:
        by_name[f.name] = f
        for alias in f.aliases:
            by_name[alias] = f
    out: dict[str, Any] = {}
    for key, raw in doc.data.items():
        line = doc.lines.get(key, default_line)
        spec = by_name.get(key)
        if spec is None:
            hint = difflib.get_close_matches(key, list(by_name), n=1, cutoff=0.6)
            tip = f" (did you mean '{hint[0]}'?)" if hint else f"; known keys: {known(fields)}"
            reporter.error(f"{what}: unknown key '{key}'{tip}", path, line)
            continue
        value, expected = coerce(raw, spec)
        if expected is not None:
            reporter.error(f"{what}: {key}: expected {expected}, got {describe(raw)}", path, line)
            continue
        out[spec.name] = value
    return out


def known(fields: Sequence[Field]) -> str:
    return ", ".join(f.name for f in fields)


def report_findings(
    loaded: YamlLoad, path: Path, first_line: int, reporter: Reporter, what: str
) -> None:
    """Keys given twice are errors; characters removed from values are warnings."""
    offset = first_line - 1
    for duplicate in loaded.duplicate_keys:
        reporter.error(f"{what}: {duplicate.problem(offset)}", path, duplicate.again + offset)
    for removed in loaded.removed:
        reporter.warning(f"{what}: {removed.problem()}", path, removed.line + offset)


def describe(value: Any) -> str:
    if value is None:
        return "nothing"
    return f"{type(value).__name__} {shorten(repr(value))}"


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
    if spec.kind == "parts":
        return raw, None  # checked by the book loader, which knows the chapters
    raise AssertionError(f"unknown field kind {spec.kind}")


def _strings(raw: Any) -> tuple[tuple[str, ...] | None, str | None]:
    expected = "a list of texts or one comma-separated text"
    if isinstance(raw, str):
        return tuple(part.strip() for part in raw.split(",") if part.strip()), None
    if isinstance(raw, list) and all(
        isinstance(item, str | int | float) and not isinstance(item, bool) for item in raw
    ):
        return tuple(str(item).strip() for item in raw if str(item).strip()), None
    return None, expected


def field_table(fields: Sequence[Field]) -> Mapping[str, str]:
    """{key: doc} for documentation and `--help` output."""
    return {f.name: f.doc for f in fields}
