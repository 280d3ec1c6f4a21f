"""File names made from names people wrote: athletes, sessions, chapter slugs.

Every file or folder name the printables write is made here, so that no roster row, program
or chapter can name a path outside `--out` or overwrite another output:

- `file_stem` turns any text into one safe path component: transliterated to ASCII by
  `slugify` (so `李小龍` is `lixiaolong` and `Сергей` is `sergey`, rather than nothing),
  lower-case letters, digits and single hyphens (no separators, no dots, no leading dash),
  at most `MAX_STEM` characters, never empty (the caller's fallback word) and never a name
  Windows reserves for a device (`con`, `nul`, `com1`...: the files are copied to USB sticks
  and shared folders).
- `unique_stems` makes a list of stems distinct: the first of equal stems keeps it, later ones
  get `-2`, `-3`... in list order (the order of the roster or program file, so the result does
  not depend on the order of a run), skipping names another entry has on its own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from guidebook.text import slugify

MAX_STEM = 60  # characters; far below every file system's 255-byte limit, with room for "-99"

# Device names Windows reserves in any folder and with any extension ("con.pdf" too).
RESERVED = frozenset(
    {"con", "prn", "aux", "nul", "conin", "conout", "clock"}
    | {f"{device}{n}" for device in ("com", "lpt") for n in range(10)}
)

_SAFE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def file_stem(text: str, fallback: str) -> str:
    """A safe file or folder name for `text` (see the module docstring); `fallback` (itself a
    safe word such as "athlete") when nothing of `text` survives."""
    stem = _shorten(slugify(text))
    if not stem:
        stem = fallback
    if stem in RESERVED:
        stem = f"{stem}-{fallback}"
    assert is_safe_stem(stem), stem
    return stem


def is_safe_stem(name: str) -> bool:
    """What `file_stem` makes: lower-case ASCII words joined by single hyphens, bounded."""
    return bool(_SAFE.fullmatch(name)) and len(name) <= MAX_STEM + 8 and name not in RESERVED


def unique_stems(stems: Sequence[str]) -> list[str]:
    """The stems made distinct, in order: a repeated stem gets the first free `-2`, `-3`..."""
    natural = set(stems)
    used: set[str] = set()
    unique = []
    for stem in stems:
        name, number = stem, 2
        while name in used or (name != stem and name in natural):
            name, number = f"{stem}-{number}", number + 1
        used.add(name)
        unique.append(name)
    return unique


def _shorten(stem: str) -> str:
    """At most MAX_STEM characters, cut at a hyphen when there is one in the second half."""
    if len(stem) <= MAX_STEM:
        return stem
    cut = stem[:MAX_STEM]
    hyphen = cut.rfind("-")
    return (cut[:hyphen] if hyphen > MAX_STEM // 2 else cut).strip("-")
