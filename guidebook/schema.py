"""Declared, documented key schemas for YAML mappings (book.yml and chapter front matter).

Each key is a `Field` with a type, a default and a doc line; `validate` checks a parsed mapping
against the fields and reports every problem as `key: expected X, got Y` with the key's line,
plus a did-you-mean for unknown keys. The README's key tables are written from these fields.
"""

from __future__ import annotations

import datetime as dt
import difflib
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from guidebook.diagnostics import Reporter

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


# Limits no book, chapter or program comes near; past them the YAML is refused or kept as text.
MAX_YAML_DEPTH = 32  # lists and mappings inside each other (the composer recurses per level)
MAX_NUMBER_CHARS = 100  # longer "numbers" stay text: int() stops at 4,300 digits, and YAML's
# base-60 integers (1:30:00) cost quadratic time in their length


@dataclass(frozen=True)
class DuplicateKey:
    """A key given twice in one mapping, with both lines (1-based, in the YAML text)."""

    key: str
    first: int
    again: int

    def problem(self, offset: int = 0) -> str:
        """The message, with lines moved by `offset` (front matter starts on line 2)."""
        first, again = self.first + offset, self.again + offset
        where = f"on line {again}" if first == again else f"(lines {first} and {again})"
        return f"key '{shorten(self.key)}' is given twice {where}; keep one of them"


class SafeYamlLoader(yaml.SafeLoader):
    """PyYAML's SafeLoader made safe for untrusted text, used for every YAML file we read.

    - No aliases: `*name` can expand a few hundred bytes into gigabytes (the "billion
      laughs"), and no book, chapter or program needs one.
    - Nesting is bounded (MAX_YAML_DEPTH) before the recursive composer meets Python's limit.
    - A scalar YAML cannot turn into its type stays the text as written: `2026-02-30` (no such
      day), a 5,000-digit integer, `!!int abc`. The schema then says what it expected.
    - Keys given twice in a mapping are noted in `duplicate_keys` (YAML keeps the last one
      silently); callers report them.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicate_keys: list[DuplicateKey] = []
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event: Any = self.peek_event()  # type: ignore[no-untyped-call]
        if self.check_event(yaml.AliasEvent):
            raise yaml.composer.ComposerError(
                None,
                None,
                "aliases (*name) are not allowed; write the value out in full",
                event.start_mark,
            )
        if self._depth >= MAX_YAML_DEPTH:
            raise yaml.composer.ComposerError(
                None,
                None,
                f"values are nested more than {MAX_YAML_DEPTH} levels deep; flatten them",
                event.start_mark,
            )
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        self.note_duplicate_keys(node)
        return super().construct_mapping(node, deep=deep)

    def note_duplicate_keys(self, node: yaml.MappingNode) -> None:
        """Before merges (`<<:`) are flattened: a merged key may be overridden on purpose."""
        seen: dict[str, int] = {}
        for key_node, _value in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _MERGE_TAG:
                continue
            key, line = str(key_node.value), key_node.start_mark.line + 1
            if key in seen:
                self.duplicate_keys.append(DuplicateKey(key, seen[key], line))
            seen[key] = line

    def construct_as_text_if_invalid(self, node: yaml.ScalarNode) -> Any:
        """The typed value of an int, float, bool or timestamp scalar, or its text when it is
        not a valid one (PyYAML raises ValueError, KeyError... from deep inside)."""
        if node.tag in _NUMBER_TAGS and len(str(node.value)) > MAX_NUMBER_CHARS:
            return str(node.value)
        constructor = _TYPED_SCALARS[node.tag]
        try:
            return constructor(self, node)
        except (ArithmeticError, LookupError, TypeError, ValueError, AttributeError):
            return str(node.value)


_MERGE_TAG = "tag:yaml.org,2002:merge"
_NUMBER_TAGS = frozenset({"tag:yaml.org,2002:int", "tag:yaml.org,2002:float"})
_TYPED_SCALARS = {
    tag: yaml.SafeLoader.yaml_constructors[tag]
    for tag in (*_NUMBER_TAGS, "tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")
}
for _tag in _TYPED_SCALARS:
    SafeYamlLoader.add_constructor(_tag, SafeYamlLoader.construct_as_text_if_invalid)


def load_yaml_safely(text: str) -> tuple[yaml.Node | None, Any, list[DuplicateKey]]:
    """The node tree (for line numbers), the data of one YAML document and the keys given
    twice. Raises `yaml.YAMLError` (see `yaml_problem`)."""
    loader = SafeYamlLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
        return node, data, loader.duplicate_keys
    finally:
        loader.dispose()


def yaml_problem(exc: yaml.YAMLError, text: str) -> tuple[str, int | None]:
    """What is wrong, for a message, and its line (0-based in `text`, None if unknown)."""
    if isinstance(exc, yaml.reader.ReaderError):  # raised for the first such character
        line = text.count("\n", 0, exc.position)
        return f"contains {character_name(exc.character)}; remove it", line
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return f"invalid YAML: {problem}", mark.line if mark is not None else None


def character_name(code: int | str) -> str:
    """'a control character U+0001' or 'the character U+FFFE, which YAML does not allow'."""
    point = code if isinstance(code, int) else ord(code[:1] or "\0")
    if unicodedata.category(chr(point)) == "Cc":
        return f"a control character U+{point:04X}"
    return f"the character U+{point:04X}, which YAML does not allow"


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
        node, data, duplicates = load_yaml_safely(text)
    except yaml.YAMLError as exc:
        problem, line = yaml_problem(exc, text)
        reporter.error(f"{what}: {problem}", path, first_line + (line or 0))
        return None
    for duplicate in duplicates:
        offset = first_line - 1
        reporter.error(f"{what}: {duplicate.problem(offset)}", path, duplicate.again + offset)
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


def describe(value: Any) -> str:
    if value is None:
        return "nothing"
    return f"{type(value).__name__} {shorten(repr(value))}"


def shorten(text: str, limit: int = 40) -> str:
    """A value quoted in a message: at most `limit` characters, '...' marking a cut."""
    return text if len(text) < limit else text[: limit - 3] + "..."


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
