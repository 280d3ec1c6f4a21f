"""Diagnostics shared by every stage: user-fixable problems, printed compiler-style.

A stage reports problems to a `Reporter` instead of raising at the first one, so that a writer
sees every mistake in one run (`file:line: error: message`). `Reporter.check()` then raises
`BookError`, the one exception type for content problems; anything else is a bug in guidebook
and keeps its traceback.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning", "note"]


@dataclass(frozen=True)
class Diagnostic:
    severity: Severity
    message: str
    path: Path | None = None
    line: int | None = None

    def format(self) -> str:
        where = ""
        if self.path is not None:
            where = display_path(self.path)
            if self.line is not None:
                where += f":{self.line}"
            where += ": "
        return f"{where}{self.severity}: {one_line(self.message)}"


def shorten(text: str, limit: int = 40) -> str:
    """A value quoted in a message: at most `limit` characters, '...' marking a cut."""
    return text if len(text) < limit else text[: limit - 3] + "..."


class BookError(Exception):
    """Content or configuration the user has to fix. Carries every diagnostic collected."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        super().__init__("\n".join(d.format() for d in diagnostics))


class UsageError(Exception):
    """The command line itself is wrong (exit code 2)."""


def display_path(path: Path) -> str:
    """Relative to the working directory when below it (as compilers print), else absolute;
    escaped by `one_line` (a file name may hold a line break)."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return one_line(str(path))
    return one_line(os.path.abspath(path) if relative.startswith("..") else relative)


# Characters that break a diagnostic over lines or reorder it on a terminal: C0/C1 controls
# (newline, carriage return, escape sequences), the Unicode line and paragraph separators and
# the bidirectional embeddings, overrides and isolates ("Trojan Source", CVE-2021-42574).
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def one_line(text: str) -> str:
    """`text` with those characters written as Python escapes (a newline as '\\n'), so that
    every diagnostic is one line that says what is really there."""
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


@dataclass
class Reporter:
    """Collects diagnostics for one run and echoes them to a sink as they arrive."""

    sink: Callable[[str], None] | None = field(default=lambda line: print(line, file=sys.stderr))
    strict: bool = False
    quiet: bool = False  # echo errors only (and warnings under --strict, which fail the build)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    _seen: set[Diagnostic] = field(default_factory=set, repr=False)

    def error(self, message: str, path: Path | None = None, line: int | None = None) -> None:
        self._add(Diagnostic("error", message, path, line))

    def warning(self, message: str, path: Path | None = None, line: int | None = None) -> None:
        self._add(Diagnostic("warning", message, path, line))

    def note(self, message: str, path: Path | None = None, line: int | None = None) -> None:
        self._add(Diagnostic("note", message, path, line))

    def _add(self, diagnostic: Diagnostic) -> None:
        if diagnostic in self._seen:  # the same problem found twice says nothing new
            return
        self._seen.add(diagnostic)
        self.diagnostics.append(diagnostic)
        shown = not self.quiet or self.strict or diagnostic.severity == "error"
        if self.sink is not None and shown:
            self.sink(diagnostic.format())

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "warning"]

    def check(self) -> None:
        """Raise `BookError` if anything fatal was reported (warnings count under --strict)."""
        fatal = self.errors + (self.warnings if self.strict else [])
        if fatal:
            raise BookError(fatal)
