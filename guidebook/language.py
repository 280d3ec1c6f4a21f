"""Language tags (BCP 47): the book file's `language:` must be one."""

from __future__ import annotations

import re
from pathlib import Path

from guidebook.diagnostics import Reporter

# RFC 5646 section 2.1: a well-formed language tag (matched case-insensitively, ASCII only).
# Registered subtags are not checked: EPUBCheck and reading systems ask for well-formed tags.
_ALNUM = "[a-z0-9]"
_LANGTAG = (
    "(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4}|[a-z]{5,8})"  # language, extlang
    "(?:-[a-z]{4})?"  # script
    "(?:-(?:[a-z]{2}|[0-9]{3}))?"  # region
    f"(?:-(?:{_ALNUM}{{5,8}}|[0-9]{_ALNUM}{{3}}))*"  # variants
    f"(?:-[0-9a-wyz](?:-{_ALNUM}{{2,8}})+)*"  # extensions
    f"(?:-x(?:-{_ALNUM}{{1,8}})+)?"  # private use
)
_PRIVATE_USE = f"x(?:-{_ALNUM}{{1,8}})+"
_GRANDFATHERED = (
    "en-gb-oed|i-ami|i-bnn|i-default|i-enochian|i-hak|i-klingon|i-lux|i-mingo|i-navajo|i-pwn|"
    "i-tao|i-tay|i-tsu|sgn-be-fr|sgn-be-nl|sgn-ch-de|art-lojban|cel-gaulish|no-bok|no-nyn|"
    "zh-guoyu|zh-hakka|zh-min|zh-min-nan|zh-xiang"
)
LANGUAGE_TAG = re.compile(f"{_LANGTAG}|{_PRIVATE_USE}|{_GRANDFATHERED}", re.IGNORECASE | re.ASCII)


def check_language(value: str, book_file: Path, line: int, reporter: Reporter) -> str | None:
    """The `language:` value when it is a well-formed BCP 47 tag; else an error, and None."""
    if LANGUAGE_TAG.fullmatch(value):
        return value
    reporter.error(
        f"book file: language: '{value}' is not a BCP 47 language tag; write e.g. en, en-GB, pt-BR",
        book_file,
        line,
    )
    return None
