"""Render a batch of printables: skip what has not changed, spread the rest over warm workers.

Each job gets a content hash of everything its PDF depends on: the layouts and stylesheets, the
fonts' names, the job's data, the bytes of the images it may load, the paper and guidebook's
version. `<out>/.guidebook-cache.json` remembers the hash each output was written from; an
output whose file exists and whose hash is unchanged is skipped. The rest is rendered by
`-j N` worker processes (default: every core), each holding one warm `Renderer` for the whole
batch; with one job or `-j 1` the work stays in this process.
"""

from __future__ import annotations

import concurrent.futures as futures
import hashlib
import json
import multiprocessing
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from guidebook import __version__
from guidebook.model import Paper
from guidebook.printables.estimate import Estimate
from guidebook.printables.render import SHEET, Job, Renderer, Result
from guidebook.render.resources import builtin_assets

CACHE_FILE = ".guidebook-cache.json"


@dataclass(frozen=True)
class Batch:
    jobs: tuple[Job, ...]
    out_dir: Path
    layout_folders: tuple[Path, ...]
    paper: Paper
    workers: int = 0  # 0: every core

    def processes(self, jobs: int) -> int:
        return max(1, min(self.workers or cores(), jobs))

    def run(self) -> list[Result]:
        cache = _Cache.load(self.out_dir)
        base = _base_hash(self.layout_folders, self.paper)
        keys = {job.output: _job_hash(base, job) for job in self.jobs}
        todo = [job for job in self.jobs if not cache.fresh(job.output, keys[job.output])]
        results = {
            job.output: Result(job.output, skipped=True) for job in self.jobs if job not in todo
        }
        for result in _render_all(todo, self.layout_folders, self.paper, self.workers):
            results[result.output] = result
            if result.error is None:
                cache.entries[_key(self.out_dir, result.output)] = keys[result.output]
            else:
                cache.entries.pop(_key(self.out_dir, result.output), None)
        cache.save()
        return [results[job.output] for job in self.jobs]


def cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _render_all(
    jobs: Sequence[Job], folders: tuple[Path, ...], paper: Paper, workers: int
) -> Iterable[Result]:
    workers = min(workers or cores(), len(jobs))
    renderer = Renderer(folders, paper)
    if workers <= 1:
        return [renderer.render(job) for job in jobs]
    # Measured once here rather than in every worker (only sheets use them).
    budgets = renderer.budgets() if any(job.template == SHEET for job in jobs) else None
    # fork: workers start with this process's imports (WeasyPrint is slow to import).
    context = multiprocessing.get_context("fork")
    chunk = max(1, min(8, len(jobs) // (workers * 4)))
    with futures.ProcessPoolExecutor(
        workers,
        mp_context=context,
        initializer=_start_worker,
        initargs=(folders, paper, budgets),
    ) as pool:
        return list(pool.map(_render_in_worker, jobs, chunksize=chunk))


_WORKER: Renderer | None = None


def _start_worker(
    folders: tuple[Path, ...], paper: Paper, budgets: list[tuple[Estimate, float]] | None
) -> None:
    global _WORKER
    _WORKER = Renderer(folders, paper, budgets)


def _render_in_worker(job: Job) -> Result:
    assert _WORKER is not None, "worker not started"
    return _WORKER.render(job)


# --- the content-hash cache ----------------------------------------------------------------


@dataclass
class _Cache:
    path: Path
    entries: dict[str, str]

    @classmethod
    def load(cls, out_dir: Path) -> _Cache:
        path = out_dir / CACHE_FILE
        try:
            entries = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            entries = {}
        if not isinstance(entries, dict):
            entries = {}
        return cls(path, {str(k): str(v) for k, v in entries.items()})

    def fresh(self, output: Path, key: str) -> bool:
        return output.is_file() and self.entries.get(_key(self.path.parent, output)) == key

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temp = self.path.with_suffix(".tmp")
        temp.write_text(json.dumps(self.entries, indent=0, sort_keys=True), encoding="utf-8")
        os.replace(temp, self.path)


def _key(out_dir: Path, output: Path) -> str:
    return os.path.relpath(output, out_dir)


def _base_hash(folders: tuple[Path, ...], paper: Paper) -> str:
    """Everything all jobs share: guidebook's version and printables code, paper, layouts,
    styles and font names."""
    digest = hashlib.sha256(f"{__version__}\0{paper}\0".encode())
    assets = builtin_assets()
    files = [assets / "css" / name for name in sorted(os.listdir(assets / "css"))]
    for folder in folders:
        files.extend(sorted(p for p in folder.rglob("*") if p.is_file()))
    files.extend(sorted(Path(__file__).parent.glob("*.py")))  # how the printables are made
    for path in files:
        digest.update(str(path.name).encode() + b"\0" + path.read_bytes())
    digest.update("\0".join(sorted(os.listdir(assets / "fonts"))).encode())
    return digest.hexdigest()


def _job_hash(base: str, job: Job) -> str:
    digest = hashlib.sha256(base.encode())
    digest.update(repr((job.template, sorted(job.context.items()), job.qr, job.one_page)).encode())
    for asset in job.assets:
        digest.update(asset.name.encode() + b"\0" + asset.read())
    return digest.hexdigest()
