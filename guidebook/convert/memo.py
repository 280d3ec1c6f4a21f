"""Markdown conversions remembered by chapter text: within a process (`serve`) and between builds.

Python-Markdown is the costliest step of the convert stage (about 3 ms a chapter with the
fast path of `plaintext.py`: 2.7 s of a 900-chapter book, against 5.5 s without it).
`MemoConverter` files each result under the SHA-256 of the chapter's text, with what the guards
changed so that their warnings come again, and forgets the texts no longer in the book. `serve`
keeps one for its life; `build` loads one from `converted.json` in the layout cache folder and
saves what this build used, so a rebuild converts only the chapters whose text changed.

The file is not trusted, and need not be: what it holds is HTML that is sanitised (nh3) and
repaired like any chapter's before it reaches an output, so a forged entry can do no more than
a chapter could. A file that is too large, broken, a link, from another version of guidebook
or of Python-Markdown, or whose entries are not what we write, is ignored (the cache is then
rebuilt); a file that cannot be written is left as it was.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import markdown

from guidebook import __version__
from guidebook.convert.guard import GuardLog
from guidebook.convert.markdown import MarkdownConverter

FILE = "converted.json"
FORMAT = 1
MAX_FILE_BYTES = 512 * 1024 * 1024


@dataclass(frozen=True)
class Converted:
    html: str
    plain: tuple[str, ...]
    escaped: int
    first_escaped: str

    @classmethod
    def of(cls, html: str, log: GuardLog) -> Converted:
        return cls(html, tuple(log.plain), log.escaped, log.first_escaped)


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class MemoConverter(MarkdownConverter):
    """A Markdown converter that remembers what each chapter text converted to (and what its
    guards changed), forgetting texts no longer in the book."""

    def __init__(self) -> None:
        super().__init__()
        self._memo: dict[str, Converted] = {}
        self._used: set[str] = set()
        self.converted = 0  # texts converted (not remembered) since the last `forget_unused`
        self.notice: str | None = None  # why a saved file was ignored (`load`)
        self.ahead: Callable[[str], None] | None = None  # workers' results to take in first

    def convert(self, text: str) -> str:
        if self.ahead is not None:
            self.ahead(text)  # what the workers did up to this chapter (`prefetch.Ahead`)
        key = text_key(text)
        self._used.add(key)
        known = self._memo.get(key)
        if known is None:
            try:
                html = super().convert(text)
            except RecursionError:
                super().__init__()  # the Markdown instance may be left mid-parse
                raise
            known = self._memo[key] = Converted.of(html, self.guarded)
            self.converted += 1
        self.guarded.clear()
        self.guarded.plain.extend(known.plain)
        self.guarded.escaped, self.guarded.first_escaped = known.escaped, known.first_escaped
        return known.html

    def knows(self, text: str) -> bool:
        return self.known(text) is not None

    def known(self, text: str) -> Converted | None:
        return self._memo.get(text_key(text))

    def remember(self, text: str, converted: Converted) -> None:
        """A conversion made elsewhere (a worker process, `prefetch.py`)."""
        self._memo[text_key(text)] = converted
        self.converted += 1

    def forget_unused(self) -> None:
        self._memo = {key: value for key, value in self._memo.items() if key in self._used}
        self._used.clear()
        self.converted = 0

    @classmethod
    def load(cls, folder: Path) -> MemoConverter:
        """The conversions saved in `folder`, or none if the file is missing or not ours (then
        `notice` says why it was ignored)."""
        memo = cls()
        path = folder / FILE
        if not os.path.lexists(path):
            return memo
        try:
            if path.is_symlink() or not path.is_file():
                raise ValueError("it is a link or not a file")
            if path.stat().st_size > MAX_FILE_BYTES:
                raise ValueError("it is too large")
            data = json.loads(path.read_text(encoding="utf-8"))
            if data["format"] != FORMAT or data["builder"] != _builder():
                raise ValueError("another version of guidebook or Python-Markdown wrote it")
            memo._memo = {str(key): _entry(value) for key, value in data["entries"].items()}
        except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
            reason = str(exc) if type(exc) is ValueError else "it is not readable"
            memo.notice = f"ignored the converted chapters in {path} ({reason}); they are rebuilt"
        return memo

    def save(self, folder: Path) -> None:
        """Write the conversions this build used into `folder` (one file, replaced whole)."""
        entries = {key: self._memo[key].__dict__ for key in self._used if key in self._memo}
        data = {"format": FORMAT, "builder": _builder(), "entries": entries}
        temp = folder / f"{FILE}.tmp"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if folder.is_symlink() or not folder.is_dir():
                return
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()
            temp.write_text(json.dumps(data), encoding="utf-8")
            os.replace(temp, folder / FILE)
        except OSError:
            with contextlib.suppress(OSError):
                temp.unlink()


def _builder() -> str:
    return f"guidebook {__version__}, Python-Markdown {markdown.__version__}"


def _entry(value: Any) -> Converted:
    html, plain, escaped = value["html"], value["plain"], value["escaped"]
    first = value["first_escaped"]
    if not (isinstance(html, str) and isinstance(first, str) and type(escaped) is int):
        raise ValueError("not an entry")
    if not isinstance(plain, list) or not all(isinstance(text, str) for text in plain):
        raise ValueError("not an entry")
    return Converted(html, tuple(plain), escaped, first)
