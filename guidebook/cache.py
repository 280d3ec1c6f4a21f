"""What each output in --out was made from: skip re-rendering a file that would come out the same.

`<out>/.guidebook-cache.json` maps each output (relative to --out) to the content hash of
everything it was rendered from (`Output.key`, computed by the target). A target asks
`fresh(path, key)` before rendering; the build calls `remember` only once the outputs are in
place, so a failed build never records files it did not write. The file is untrusted: a link,
a huge or broken file, or anything but a mapping of texts is ignored and replaced.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from guidebook.contract import Output
from guidebook.text import MAX_TEXT_BYTES, NotReadable, read_regular

CACHE_FILE = ".guidebook-cache.json"


@dataclass
class OutputCache:
    path: Path
    entries: dict[str, str]

    @classmethod
    def load(cls, out_dir: Path) -> OutputCache:
        path = out_dir / CACHE_FILE
        try:  # a link or a huge file here came from someone else: start afresh
            if path.is_symlink():
                raise NotReadable(0, "a link")
            entries = json.loads(read_regular(path, MAX_TEXT_BYTES).decode("utf-8"))
        except (OSError, ValueError):
            entries = {}
        if not isinstance(entries, dict):
            entries = {}
        return cls(path, {str(k): str(v) for k, v in entries.items()})

    def fresh(self, output: Path, key: str) -> bool:
        """The file in place was made from exactly this (and is still there)."""
        return output.is_file() and self.entries.get(self._name(output)) == key

    def remember(self, outputs: Iterable[Output]) -> bool:
        """Record the keys of outputs now in place (call after they were moved there). False
        when the file cannot be written (a folder of that name, a read-only disk): the outputs
        are in place all the same, and the next build renders them again."""
        changed = False
        for output in outputs:
            if output.key is not None and not output.unchanged:
                self.entries[self._name(output.path)] = output.key
                changed = True
        try:
            if changed:
                self._save()
        except OSError:
            return False
        return True

    def _name(self, output: Path) -> str:
        return os.path.relpath(output, self.path.parent)

    def _save(self) -> None:
        """Write through a new file of our own, never through a link someone left at either
        name: the temporary file is created exclusively and the rename replaces a link itself."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temp = self.path.with_suffix(".tmp")
        if os.path.lexists(temp):
            os.unlink(temp)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
        try:
            with os.fdopen(os.open(temp, flags, 0o644), "w", encoding="utf-8") as handle:
                handle.write(json.dumps(self.entries, indent=0, sort_keys=True))
            os.replace(temp, self.path)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(temp)  # left only when the rename failed
