"""The CSS inside an SVG (`<style>`, `style=""`, presentation attributes), checked as CSS.

Everything is tokenised by tinycss2 first, so CSS escapes (`\\75 rl(`, `@\\69mport`) are already
resolved when the checks look at names: an escaped `url(` is a url token like any other. A
declaration is kept only if every function in its value is on the allow-list and every url()
points inside the file (`url(#id)`); a rule only if its selector loads nothing; an at-rule only
if it is `@media` (whose rules are checked in turn). What is kept is written back from the
tokens that were checked, so a renderer reads exactly what passed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence

import tinycss2  # type: ignore[import-untyped]
from tinycss2 import ast
from tinycss2.serializer import serialize_identifier  # type: ignore[import-untyped]

from guidebook.svg.allowed import AT_RULES, CSS_FUNCTIONS, SELECTOR_FUNCTIONS

# Called with (kind, detail) for each thing removed; kinds are clean.py's message phrases.
Note = Callable[[str, str], None]

LOADS = "loads another file from its styles ('{}')"
UNSUPPORTED = "uses a style a book cannot carry ('{}')"


def clean_stylesheet(text: str, note: Note) -> str:
    """The style sheet `text` without the rules, declarations and at-rules that may load."""
    rules = tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True)
    return "\n".join(_clean_rules(rules, note))


def clean_declarations(text: str, note: Note) -> str:
    """A `style` attribute's declarations, those that may load removed."""
    nodes = tinycss2.parse_blocks_contents(text, skip_comments=True, skip_whitespace=True)
    return "; ".join(_clean_declaration_list(nodes, note))


def value_problem(text: str) -> tuple[str, str] | None:
    """(kind, detail) if a presentation attribute's value may load or is not allowed."""
    if "(" not in text and "@" not in text:
        return None  # no function, url or at-keyword can be spelled without them, escapes or not
    return _value_problem(tinycss2.parse_component_value_list(text, skip_comments=True))


def local_refs(text: str) -> list[str]:
    """The ids named by url(#id) in a CSS value, escapes resolved."""
    return [
        ref for token in _walk(tinycss2.parse_component_value_list(text)) if (ref := _url(token))
    ]


def declarations(text: str) -> Iterator[tuple[str, str]]:
    """(lower-case name, serialised value) of each declaration of a (clean) style attribute."""
    if not text:
        return
    for node in tinycss2.parse_blocks_contents(text, skip_comments=True, skip_whitespace=True):
        if node.type == "declaration":
            yield node.lower_name, tinycss2.serialize(node.value)


def rules(text: str) -> Iterator[tuple[list[ast.Node], list[tuple[str, str]]]]:
    """(selector tokens, declarations) of each rule of a (clean) style sheet, @media unwrapped."""
    yield from _rules(tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True))


def _rules(nodes: Iterable[ast.Node]) -> Iterator[tuple[list[ast.Node], list[tuple[str, str]]]]:
    for node in nodes:
        if node.type == "qualified-rule":
            yield node.prelude, list(declarations(tinycss2.serialize(node.content)))
        elif node.type == "at-rule" and node.content is not None:
            yield from _rules(tinycss2.parse_rule_list(node.content, True, True))


def _clean_rules(nodes: Iterable[ast.Node], note: Note) -> Iterator[str]:
    for node in nodes:
        if node.type == "qualified-rule":
            problem = _selector_problem(node.prelude)
            if problem is not None:
                note(*problem)
                continue
            body = tinycss2.parse_blocks_contents(node.content, True, True)
            kept = "; ".join(_clean_declaration_list(body, note))
            yield f"{tinycss2.serialize(node.prelude).strip()} {{ {kept} }}"
        elif node.type == "at-rule":
            name = node.lower_at_keyword
            if name not in AT_RULES or node.content is None or _selector_problem(node.prelude):
                note(LOADS if name == "import" else UNSUPPORTED, f"@{name}")
                continue
            inner = tinycss2.parse_rule_list(node.content, skip_comments=True, skip_whitespace=True)
            body = "\n".join(_clean_rules(inner, note))
            prelude = tinycss2.serialize(node.prelude).strip()
            yield f"@{serialize_identifier(name)} {prelude} {{\n{body}\n}}"
        # parse errors are dropped: a renderer would drop them too


def _clean_declaration_list(nodes: Iterable[ast.Node], note: Note) -> Iterator[str]:
    for node in nodes:
        if node.type != "declaration":
            if node.type in ("qualified-rule", "at-rule"):  # CSS nesting: not for drawings
                note(UNSUPPORTED, "a nested rule")
            continue
        problem = _value_problem(node.value)
        if problem is not None:
            note(*problem)
            continue
        important = " !important" if node.important else ""
        value = tinycss2.serialize(node.value).strip()
        yield f"{serialize_identifier(node.lower_name)}: {value}{important}"


def _value_problem(tokens: Sequence[ast.Node]) -> tuple[str, str] | None:
    for token in _walk(tokens):
        if token.type == "url" and not _is_local(token.value):
            return LOADS, f"url({token.value})"
        if token.type == "function":
            name = token.lower_name
            if name not in CSS_FUNCTIONS:
                return UNSUPPORTED, f"{name}()"
            if name == "url" and _url(token) is None:
                return LOADS, f"url({tinycss2.serialize(token.arguments).strip()})"
        if token.type == "at-keyword":
            return UNSUPPORTED, f"@{token.lower_value}"
    return None


def _selector_problem(tokens: Sequence[ast.Node]) -> tuple[str, str] | None:
    for token in _walk(tokens):
        if token.type == "url":
            return LOADS, f"url({token.value})"
        if token.type == "function" and token.lower_name not in SELECTOR_FUNCTIONS:
            return UNSUPPORTED, f"{token.lower_name}()"
        if token.type in ("{} block", "at-keyword"):
            return UNSUPPORTED, "a malformed selector"
    return None


def _walk(tokens: Iterable[ast.Node]) -> Iterator[ast.Node]:
    """Every token, nested blocks and function arguments included (iteratively: CSS nesting
    depth is the attacker's to choose)."""
    stack = [iter(tokens)]
    while stack:
        for token in stack[-1]:
            yield token
            if token.type == "function":
                stack.append(iter(token.arguments))
                break
            if token.type in ("() block", "[] block", "{} block"):
                stack.append(iter(token.content))
                break
        else:
            stack.pop()


def _url(token: ast.Node) -> str | None:
    """The id of url(#id) (either form), else None."""
    if token.type == "url":
        value = token.value
    elif token.type == "function" and token.lower_name == "url":
        args = [a for a in token.arguments if a.type not in ("whitespace", "comment")]
        if len(args) != 1 or args[0].type != "string":
            return None
        value = args[0].value
    else:
        return None
    return value[1:] if _is_local(value) else None


def _is_local(value: str) -> bool:
    return value.startswith("#") and len(value) > 1
