"""PyYAML's error messages in words a writer can act on (`safeyaml.yaml_problem` uses them)."""

from __future__ import annotations

# PyYAML's words for the mistakes people make, and what to do about each.
_PLAIN = (
    (
        "mapping values are not allowed here",
        "a colon inside a value, or a line indented under a value; put the value in quotes "
        '(title: "Squat: the basics"), or line the key up with the others',
    ),
    ("found character '\\t'", "a tab; indent with spaces"),
    (
        "could not find expected ':'",
        "a line that is not 'key: value'; add the colon, or quote a value that runs on "
        "to the next line",
    ),
    (
        "found unexpected end of stream",
        "a quote opened and never closed; close it on the same line",
    ),
    (
        "expected <block end>",
        "the indentation does not line up (or a list item sits among keys); indent each "
        "line as the key it belongs to",
    ),
    (
        "that cannot start any token",
        "a value that starts with a character YAML keeps for itself (@, `, % or a tab); "
        "put the value in quotes",
    ),
    (
        "did not find expected key",
        "the indentation does not line up, or a quoted value has text after its closing "
        "quote; line the keys up and quote the whole value",
    ),
    (
        "expected alphabetic or numeric character",
        "a value that starts with & or *; put it in quotes",
    ),
)


def plain_yaml(problem: str) -> str:
    """PyYAML's message as what is wrong and what to do, keeping its words at the end for
    anyone searching for them."""
    for jargon, plain in _PLAIN:
        if jargon in problem:
            return f"{plain} (YAML: {problem})"
    return problem
