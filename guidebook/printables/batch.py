"""Render a batch of printables: skip what has not changed, spread the rest over warm workers.

Each job gets a content hash of everything its PDF depends on: the layouts and stylesheets, the
fonts' names, the job's data, the bytes of the images it may load, the paper and guidebook's
version. A job whose output is in place and was made from the same hash (`cache.py`) is
skipped. The rest is rendered by `-j N` worker processes (default: every core), each holding
one warm `Printer` for the whole batch; with one job or `-j 1` the work stays in this process.

PDFs are rendered into the build's staging folder (`writer.py`); the build moves them into
place, and only then does the cache remember them.

Workers die with the command (`workers.py`).
"""

from __future__ import annotations

import concurrent.futures as futures
import hashlib
import multiprocessing
import os
import stat
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from guidebook import __version__, progressbar
from guidebook import workers as worker_processes
from guidebook.cache import OutputCache
from guidebook.model import Paper
from guidebook.printables import outlines
from guidebook.printables.fit import Room
from guidebook.printables.render import SHEET, Job, Printer, Result
from guidebook.render.resources import builtin_assets
from guidebook.render.sandbox import MAX_LAYOUT_BYTES
from guidebook.text import read_regular


@dataclass(frozen=True)
class Batch:
    jobs: tuple[Job, ...]
    layout_folders: tuple[Path, ...]
    paper: Paper
    workers: int = 0  # 0: every core

    def processes(self, jobs: int) -> int:
        return max(1, min(self.workers or worker_processes.cores(), jobs))

    def run(self, stage: Callable[[Path], Path], cache: OutputCache) -> list[Result]:
        """Render every job whose output is not fresh to `stage(output)`; results name the
        final outputs and carry the key they were made from."""
        base = _base_hash(self.layout_folders, self.paper)
        results = {}
        for job in self.jobs:
            key = _job_hash(base, job)
            results[job.output] = Result(job.output, key=key, skipped=cache.fresh(job.output, key))
        todo = [job for job in self.jobs if not results[job.output].skipped]
        staged = [replace(job, output=stage(job.output)) for job in todo]
        with progressbar.items(len(staged), "rendering") as done:
            rendered = _render_all(staged, self.layout_folders, self.paper, self.workers, done)
        for job, result in zip(todo, rendered, strict=True):
            results[job.output] = replace(result, output=job.output, key=results[job.output].key)
        return [results[job.output] for job in self.jobs]


def _counted(result: Result, done: Callable[[int], None]) -> Result:
    done(1)
    return result


def _render_all(
    jobs: Sequence[Job],
    folders: tuple[Path, ...],
    paper: Paper,
    workers: int,
    done: Callable[[int], None],
) -> Iterable[Result]:
    """Every job's result, in order; `done(1)` after each (the progress bar)."""
    workers = min(workers or worker_processes.cores(), len(jobs))
    renderer = Printer(folders, paper)
    if workers <= 1:
        return [_counted(renderer.render(job), done) for job in jobs]
    # Measured once here rather than in every worker (only sheets use them).
    rooms = renderer.rooms() if any(job.template == SHEET for job in jobs) else None
    outlines.load()  # glyph outlines and widths: read once, inherited by every worker
    # fork: workers start with this process's imports (WeasyPrint is slow to import).
    context = multiprocessing.get_context("fork")
    chunk = max(1, min(8, len(jobs) // (workers * 4)))
    pool = futures.ProcessPoolExecutor(
        workers,
        mp_context=context,
        initializer=_start_worker,
        initargs=(folders, paper, rooms, os.getpid()),
    )
    try:
        results = [_counted(r, done) for r in pool.map(_render_in_worker, jobs, chunksize=chunk)]
    except BaseException:  # Ctrl-C, SIGTERM, a broken worker: stop the others now
        worker_processes.kill(pool)
        raise
    pool.shutdown()
    return results


_WORKER: Printer | None = None


def _start_worker(
    folders: tuple[Path, ...],
    paper: Paper,
    rooms: list[Room] | None,
    parent: int,
) -> None:
    global _WORKER
    worker_processes.started(parent)
    _WORKER = Printer(folders, paper, rooms)


def _render_in_worker(job: Job) -> Result:
    assert _WORKER is not None, "worker not started"
    return _WORKER.render(job)


def _base_hash(folders: tuple[Path, ...], paper: Paper) -> str:
    """Everything all jobs share: guidebook's version and code (all of it: a sheet depends on
    convert, render and the session too), paper, layouts, styles and font names."""
    digest = hashlib.sha256(f"{__version__}\0{paper}\0".encode())
    assets = builtin_assets()
    files = [assets / "css" / name for name in sorted(os.listdir(assets / "css"))]
    for folder in folders:
        files.extend(_layout_files(folder))
    package = Path(__file__).resolve().parent.parent
    files.extend(sorted(package.rglob("*.py")))  # how the outputs are made
    for path in files:
        name = path.relative_to(package) if path.is_relative_to(package) else path.name
        digest.update(str(name).encode() + b"\0" + read_regular(path, MAX_LAYOUT_BYTES))
    digest.update("\0".join(sorted(os.listdir(assets / "fonts"))).encode())
    return digest.hexdigest()


def _layout_files(folder: Path) -> list[Path]:
    """The files the layout loader could use: regular files of at most MAX_LAYOUT_BYTES, not
    reached through a link (a layouts folder may link to anything on the machine)."""
    found = []
    for top, folders, names in os.walk(folder, followlinks=False):
        folders.sort()
        for name in sorted(names):
            info = os.lstat(os.path.join(top, name))
            if stat.S_ISREG(info.st_mode) and info.st_size <= MAX_LAYOUT_BYTES:
                found.append(Path(top, name))
    return found


def _job_hash(base: str, job: Job) -> str:
    digest = hashlib.sha256(base.encode())
    digest.update(repr((job.template, sorted(job.context.items()), job.qr, job.one_page)).encode())
    for asset in job.assets:
        digest.update(asset.name.encode() + b"\0" + asset.read())
    return digest.hexdigest()
