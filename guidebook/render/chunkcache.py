"""Laid-out chunks kept between builds: a rebuild lays out again only the chunks that changed.

A chunk's *key* is a hash of everything its layout depends on: its HTML (its chapters, the
book's settings and page geometry, the unit after it), the stylesheets and fonts, the bytes of
the images it shows, the PDF options, guidebook's and WeasyPrint's versions. An entry holds the
chunk's PDF and what the join needs of it (`Facts`, `Written`), for the page numbers it was
written with: a chunk whose key matches but whose first page or references moved (a chapter
before it grew a page) is laid out again with the new numbers.

The cache lives in `<out>/.guidebook-chunks/` (or `--cache DIR`; `--no-cache` turns it off).
It is not trusted: a manifest that is not ours (another format, another guidebook), broken, a
link, or an entry whose file is missing or does not hash to what the manifest says is ignored,
with a notice, and the cache is rebuilt. Entries are recorded only once the book's PDF is in
place, and those this build did not use are removed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import weasyprint

from guidebook import __version__
from guidebook.model import Asset
from guidebook.render.chunked import ChunkJob, Facts, Written

FORMAT = 2  # 2: a chunk's file holds no tail pages, and no guessed numbers
MANIFEST = "manifest.json"
MAX_MANIFEST_BYTES = 64 * 1024 * 1024
_SOURCE = re.compile(r'\s(?:src|href)="([^"#:]+)"')


@dataclass(frozen=True)
class Entry:
    facts: Facts
    written: Written  # its path is the cached file


@dataclass
class ChunkCache:
    folder: Path
    entries: dict[str, Entry] = field(default_factory=dict)
    notice: str | None = None  # why what was there was ignored
    used: set[str] = field(default_factory=set)
    pending: dict[str, Entry] = field(default_factory=dict)  # staged, recorded by `commit`
    hints: dict[str, int] = field(default_factory=dict)  # anchor -> folio in the last build

    @classmethod
    def load(cls, folder: Path) -> ChunkCache:
        cache = cls(folder)
        manifest = folder / MANIFEST
        if not manifest.exists():
            return cache
        try:
            if folder.is_symlink() or manifest.is_symlink() or not manifest.is_file():
                raise ValueError("it is a link or not a file")
            if manifest.stat().st_size > MAX_MANIFEST_BYTES:
                raise ValueError("its manifest is too large")
            data = json.loads(manifest.read_text(encoding="utf-8"))
            if data.get("format") != FORMAT or data.get("builder") != _builder():
                raise ValueError("another version of guidebook made it")
            for key, record in data["entries"].items():
                cache.entries[str(key)] = _entry(folder, record)
            cache.hints = {str(k): int(v) for k, v in data.get("hints", {}).items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            cache.entries = {}
            cache.notice = f"ignored the layout cache in {folder} ({_reason(exc)}); it is rebuilt"
        return cache

    def get(self, key: str) -> Entry | None:
        entry = self.entries.get(key)
        if entry is not None:
            self.used.add(key)
        return entry

    def stage(self, fresh: dict[str, tuple[Facts, Written]], folios: dict[str, int]) -> None:
        """Move this build's new chunk files into the cache folder (not yet recorded: a build
        that fails after this leaves them unlisted, and the next `commit` removes them), and
        keep the book's `folios` (anchor -> folio) as the next build's first guesses."""
        self.hints = folios
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            if self.folder.is_symlink():
                return
            for key, (facts, written) in fresh.items():
                data = written.path.read_bytes()
                target = self.folder / f"{hashlib.sha256(data).hexdigest()[:40]}.pdf"
                os.replace(written.path, target)
                self.pending[key] = Entry(facts, _moved(written, target))
        except OSError:
            self.pending.clear()

    def commit(self) -> None:
        """Record the chunks this build used (reused and new) and drop every other file; once
        the book's PDF is in place. A cache that cannot be written is left as it was."""
        kept = {key: self.entries[key] for key in self.used if key in self.entries}
        kept |= self.pending
        try:
            if self.folder.is_symlink() or not self.folder.is_dir():
                return
            records = {key: _record(entry) for key, entry in kept.items()}
            manifest = {
                "format": FORMAT,
                "builder": _builder(),
                "entries": records,
                "hints": self.hints,
            }
            temp = self.folder / f"{MANIFEST}.tmp"
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()
            temp.write_text(json.dumps(manifest), encoding="utf-8")
            os.replace(temp, self.folder / MANIFEST)
            files = {entry.written.path.name for entry in kept.values()}
            for stale in self.folder.glob("*.pdf"):
                if stale.name not in files:
                    stale.unlink()
        except OSError:
            return


def chunk_key(job: ChunkJob, assets: dict[str, Asset], options: dict[str, Any], extra: str) -> str:
    """The hash of everything `job`'s layout depends on (`extra`: the finisher's settings)."""
    digest = hashlib.sha256()
    html = _own(job)
    for part in (_builder(), repr(sorted(options.items())), extra, html):
        digest.update(part.encode("utf-8") + b"\0")
    names = {a.name for a in assets.values() if a.media_type in ("text/css",)}
    names |= {name for name in _SOURCE.findall(html) if name in assets}
    names |= {name for name in assets if name.startswith("fonts/")}
    for name in sorted(names):
        digest.update(name.encode("utf-8") + b"\0" + _file_hash(assets[name]) + b"\0")
    return digest.hexdigest()[:40]


def _own(job: ChunkJob) -> str:
    """The chunk's HTML up to its tail's opening tag: what follows only shows where the
    chunk's pages end, so an edit there does not make the chunk lay out again."""
    if job.tail is None:
        return job.html
    at = job.html.find(f'id="{job.tail}"')
    if at < 0:
        return job.html
    return job.html[: job.html.index(">", at) + 1]


_HASHES: dict[tuple[str, int, int], bytes] = {}


def _file_hash(asset: Asset) -> bytes:
    if asset.data is not None:
        return hashlib.sha256(asset.data).digest()
    stat = asset.source.stat()
    known = (str(asset.source), stat.st_size, stat.st_mtime_ns)
    if known not in _HASHES:
        _HASHES[known] = hashlib.sha256(asset.read()).digest()
    return _HASHES[known]


def _builder() -> str:
    return f"guidebook {__version__}, WeasyPrint {weasyprint.__version__}"


def _record(entry: Entry) -> dict[str, Any]:
    data = entry.written.path.read_bytes()
    return {
        "file": entry.written.path.name,
        "sha256": hashlib.sha256(data).hexdigest(),
        "facts": pickle.dumps((entry.facts, entry.written)).hex(),
    }


def _entry(folder: Path, record: dict[str, Any]) -> Entry:
    path = folder / Path(str(record["file"])).name
    if path.is_symlink() or not path.is_file():
        raise ValueError(f"{path.name} is missing")
    if hashlib.sha256(path.read_bytes()).hexdigest() != record["sha256"]:
        raise ValueError(f"{path.name} is damaged")
    facts, written = _unpickle(bytes.fromhex(str(record["facts"])))
    return Entry(facts, _moved(written, path))


def _unpickle(data: bytes) -> tuple[Facts, Written]:
    """Our own records only: the unpickler refuses every class but the few they are made of
    (a manifest someone else wrote cannot make it run code)."""
    import io

    allowed = {
        ("guidebook.render.chunked", "Facts"),
        ("guidebook.render.chunked", "Written"),
        ("guidebook.render.holes", "Settled"),
        ("guidebook.render.pagemap", "PageStart"),
        ("pathlib", "PosixPath"),
        ("pathlib", "WindowsPath"),
    }

    class Restricted(pickle.Unpickler):
        def find_class(self, module: str, name: str) -> Any:
            if (module, name) not in allowed:
                raise ValueError(f"its records name {module}.{name}")
            return super().find_class(module, name)

    facts, written = Restricted(io.BytesIO(data)).load()
    if not isinstance(facts, Facts) or not isinstance(written, Written):
        raise ValueError("its records are not chunks")
    return facts, written


def _moved(written: Written, path: Path) -> Written:
    from dataclasses import replace

    return replace(written, path=path)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, json.JSONDecodeError | UnicodeDecodeError):
        return "its manifest is not readable"
    return str(exc) if isinstance(exc, ValueError) else f"{type(exc).__name__}: {exc}"
