"""Reading YAML that others wrote: one loader for front matter, book files and programs.

Input: the text of one YAML document. Output: `YamlLoad` (the data, with every mapping a
`YamlMap` and every list a `YamlList` that know the line of each key and item, and what the
loader had to note), or `yaml.YAMLError`, which `yaml_problem` turns into a message and a
line. Lines are counted in the file (`first_line`: front matter starts on line 2).

PyYAML's SafeLoader runs no code but still trusts its input in ways a downloaded content pack
must not be trusted; `SafeYamlLoader` closes each of them:

- No aliases: `*name` can expand a few hundred bytes into gigabytes (the "billion laughs"),
  and no book, chapter or program needs one.
- Nesting is bounded (MAX_YAML_DEPTH) before the recursive composer meets Python's limit.
- A number longer than MAX_NUMBER_CHARS is an error before it is converted: int() refuses
  4,300 digits, base-60 integers like 1:30:00 cost quadratic time, and no book needs one.
- A scalar YAML cannot turn into its type stays the text as written: `2026-02-30` (no such
  day), `!!int abc`. The caller's own check then says what it expected, with the key's line.
- Keys given twice in a mapping are noted (YAML keeps the last one silently).
- Characters no XHTML document may hold (controls, surrogates, noncharacters), which YAML
  lets in through escapes such as "\\x01" or "\\ud800", are removed and noted. The same
  characters written raw are refused by PyYAML's reader; `yaml_problem` names them.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

import yaml

from guidebook.diagnostics import shorten
from guidebook.text import DISALLOWED as _UNFIT
from guidebook.yamlwords import plain_yaml

MAX_YAML_DEPTH = 32  # lists and mappings inside each other
MAX_NUMBER_CHARS = 100  # an unquoted number longer than this is refused


def character_name(point: int) -> str:
    """'a control character U+0001', 'a noncharacter U+FFFE', 'a surrogate U+D800'..."""
    char = chr(point)
    if unicodedata.category(char) == "Cc":
        return f"a control character U+{point:04X}"
    if unicodedata.category(char) == "Cs":
        return f"a surrogate U+{point:04X}"
    if _UNFIT.match(char):
        return f"a noncharacter U+{point:04X}"
    return f"the character U+{point:04X}"


@dataclass(frozen=True)
class DuplicateKey:
    """A key given twice in one mapping, with both lines (1-based, in the file)."""

    key: str
    first: int
    again: int

    def problem(self) -> str:
        return given_twice(f"key '{shorten(self.key)}'", lines(self.first, self.again))


def lines(first: int, again: int, unit: str = "line") -> str:
    """ "(lines 2 and 3)", or "on line 2" when both are one line."""
    return f"on {unit} {again}" if first == again else f"({unit}s {first} and {again})"


def given_twice(what: str, where: str, names: tuple[str, str] | None = None) -> str:
    """The one wording for anything given twice: "key 'title' is given twice (lines 2 and 3);
    keep one of them"; `names` when it was given under two names (a field and its alias)."""
    written = f", as '{names[0]}' and '{names[1]}'" if names else ""
    return f"{what} is given twice{written} {where}; keep one of them"


@dataclass(frozen=True)
class RemovedCharacters:
    """Characters taken out of one scalar (1-based line in the file)."""

    line: int
    first: int  # code point
    count: int

    def problem(self) -> str:
        more = f" and {self.count - 1} more like it" if self.count > 1 else ""
        return (
            f"removed {character_name(self.first)}{more} (written as an escape): no book "
            "can hold it; delete it to silence this"
        )


class UnfitValue(yaml.MarkedYAMLError):
    """Valid YAML that no book may hold; its problem is the whole message."""


class SafeYamlLoader(yaml.SafeLoader):
    """PyYAML's SafeLoader made safe for untrusted text (see the module's docstring)."""

    def __init__(self, stream: str, first_line: int = 1) -> None:
        super().__init__(stream)
        self.first_line = first_line  # of the YAML text in its file (front matter: 2)
        self.duplicate_keys: list[DuplicateKey] = []
        self.removed: list[RemovedCharacters] = []
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

    def compose_scalar_node(self, anchor: Any) -> yaml.ScalarNode:
        node: yaml.ScalarNode = super().compose_scalar_node(anchor)
        value = str(node.value)
        if not value.isascii():  # "\ud83d\udcaa", a JSON-style pair of escapes, is one emoji
            value = value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
            node.value = value
        unfit = _UNFIT.findall(value)
        if unfit:
            node.value = _UNFIT.sub("", value)
            line = self.file_line(node)
            self.removed.append(RemovedCharacters(line, ord(unfit[0]), len(unfit)))
        return node

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        """For `!!set` and `!!omap`; plain mappings are built by `_construct_map`."""
        self.note_duplicate_keys(node)
        return super().construct_mapping(node, deep=deep)

    def note_duplicate_keys(self, node: yaml.MappingNode) -> None:
        """Before merges (`<<:`) are flattened: a merged key may be overridden on purpose."""
        seen: dict[str, int] = {}
        for key_node, _value in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _MERGE_TAG:
                continue
            key, line = str(key_node.value), self.file_line(key_node)
            if key in seen:
                self.duplicate_keys.append(DuplicateKey(key, seen[key], line))
            seen[key] = line

    def file_line(self, node: yaml.Node) -> int:
        """The node's line (1-based) in the file."""
        return int(node.start_mark.line) + self.first_line

    def construct_as_text_if_invalid(self, node: yaml.ScalarNode) -> Any:
        """The typed value of an int, float, bool or timestamp scalar, or its text when it is
        not a valid one (PyYAML raises ValueError, KeyError... from deep inside)."""
        if node.tag in _NUMBER_TAGS and len(str(node.value)) > MAX_NUMBER_CHARS:
            raise UnfitValue(
                None,
                None,
                f"a number {len(str(node.value))} characters long; numbers have at most "
                f"{MAX_NUMBER_CHARS} (put it in quotes if it is a text)",
                node.start_mark,
            )
        constructor = _TYPED_SCALARS[node.tag]
        try:
            return constructor(self, node)
        except (ArithmeticError, LookupError, TypeError, ValueError, AttributeError):
            return str(node.value)


class YamlMap(dict[str, Any]):
    """A YAML mapping as a dict, plus its lines (1-based) and its scalar values as written."""

    def __init__(
        self, items: dict[str, Any], line: int, key_lines: dict[str, int], texts: dict[str, str]
    ) -> None:
        super().__init__(items)
        self.line = line  # of its first key: for a list item, the line of its "- "
        self.key_lines = key_lines
        self.texts = texts  # before YAML typed them: "0310" stays "0310", not the number 200

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class YamlList(list[Any]):
    """A YAML list, plus the line (1-based) of each item."""

    def __init__(self, items: list[Any], line: int, item_lines: list[int]) -> None:
        super().__init__(items)
        self.line = line
        self.item_lines = item_lines


def type_name(value: Any) -> str:
    """'dict', 'list', 'str'...: a `YamlMap` is named as the dict it is to a writer."""
    if isinstance(value, YamlMap):
        return "dict"
    if isinstance(value, YamlList):
        return "list"
    return type(value).__name__


def _construct_map(loader: SafeYamlLoader, node: yaml.MappingNode) -> YamlMap:
    loader.note_duplicate_keys(node)
    loader.flatten_mapping(node)  # "<<: {...}" merges become ordinary keys
    items: dict[str, Any] = {}
    key_lines: dict[str, int] = {}
    texts: dict[str, str] = {}
    for key_node, value_node in node.value:
        key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "(a list or map)"
        items[key] = loader.construct_object(value_node, deep=True)
        key_lines[key] = loader.file_line(key_node)
        if isinstance(value_node, yaml.ScalarNode):
            texts[key] = str(value_node.value)
        else:
            texts.pop(key, None)
    return YamlMap(items, loader.file_line(node), key_lines, texts)


def _construct_list(loader: SafeYamlLoader, node: yaml.SequenceNode) -> YamlList:
    items = [loader.construct_object(child, deep=True) for child in node.value]
    return YamlList(
        items, loader.file_line(node), [loader.file_line(child) for child in node.value]
    )


SafeYamlLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
SafeYamlLoader.add_constructor("tag:yaml.org,2002:seq", _construct_list)

_MERGE_TAG = "tag:yaml.org,2002:merge"
_NUMBER_TAGS = frozenset({"tag:yaml.org,2002:int", "tag:yaml.org,2002:float"})
_TYPED_SCALARS = {
    tag: yaml.SafeLoader.yaml_constructors[tag]
    for tag in (*_NUMBER_TAGS, "tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")
}
for _tag in _TYPED_SCALARS:
    SafeYamlLoader.add_constructor(_tag, SafeYamlLoader.construct_as_text_if_invalid)


@dataclass(frozen=True)
class YamlLoad:
    data: Any  # mappings are `YamlMap`s, lists `YamlList`s
    duplicate_keys: tuple[DuplicateKey, ...]
    removed: tuple[RemovedCharacters, ...]


def load_yaml_safely(text: str, first_line: int = 1) -> YamlLoad:
    """One YAML document, its lines counted from `first_line`. Raises `yaml.YAMLError` (see
    `yaml_problem`)."""
    loader = SafeYamlLoader(text, first_line)  # the reader checks every character here
    try:
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        except ValueError as exc:  # the scanner's chr() of an escape past \U0010FFFF
            past = "chr()" in str(exc)
            problem = "an escape names no Unicode character (the last is \\U0010FFFF)"
            raise yaml.scanner.ScannerError(
                None, None, problem if past else str(exc), loader.get_mark()
            ) from exc
        return YamlLoad(data, tuple(loader.duplicate_keys), tuple(loader.removed))
    finally:
        loader.dispose()


def yaml_problem(exc: yaml.YAMLError, text: str) -> tuple[str, int | None]:
    """What is wrong, for a message, and its line (0-based in `text`, None if unknown)."""
    if isinstance(exc, yaml.reader.ReaderError):  # raised for the first such character
        line = text.count("\n", 0, exc.position)
        point = exc.character if isinstance(exc.character, int) else ord(exc.character[:1])
        return f"contains {character_name(point)}; remove it", line
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    where: int | None = mark.line if mark is not None else None
    if isinstance(exc, UnfitValue):
        return problem, where
    return f"invalid YAML: {plain_yaml(problem)}", where
