"""One writer at a time per output folder: an exclusive `flock` on `<out>/.guidebook-lock`.

A second command into the same folder waits, saying so, for at most `LOCK_WAIT_SECONDS`, then
stops with an error. The lock file is removed on release while still locked; a command that
was waiting on the removed file notices and locks the new one (`writer.py` uses this).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

from guidebook.diagnostics import Reporter, display_path

LOCK_FILE = ".guidebook-lock"
LOCK_WAIT_SECONDS = 600.0  # a long book's PDF takes minutes; a stuck one is then reported


@contextlib.contextmanager
def locked(out_dir: Path, reporter: Reporter) -> Iterator[None]:
    """Hold `<out>/.guidebook-lock` exclusively. The file is removed on release while still
    locked; a command that was waiting on the removed file sees that and locks the new one."""
    path = out_dir / LOCK_FILE
    deadline: float | None = None
    while True:
        out_dir.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
        except FileNotFoundError:  # the last holder removed the folder it had created
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            deadline = _wait(out_dir, deadline, reporter)
            continue
        if _is_linked(fd, path):
            break
        os.close(fd)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)
        os.close(fd)


def _wait(out_dir: Path, deadline: float | None, reporter: Reporter) -> float:
    now = time.monotonic()
    if deadline is None:
        reporter.note(
            f"waiting for another build into {display_path(out_dir)} to finish "
            f"(at most {LOCK_WAIT_SECONDS:.0f} s)..."
        )
        deadline = now + LOCK_WAIT_SECONDS
    elif now >= deadline:
        reporter.error(
            f"another build is still writing into {display_path(out_dir)} after "
            f"{LOCK_WAIT_SECONDS:.0f} s (it holds {LOCK_FILE}); try again when it has "
            "finished, or choose another --out"
        )
        reporter.check()
    time.sleep(0.1)
    return deadline


def _is_linked(fd: int, path: Path) -> bool:
    """Whether the locked file is still the one at `path` (not removed by its last holder)."""
    try:
        linked = os.stat(path, follow_symlinks=False)
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (linked.st_dev, linked.st_ino) == (held.st_dev, held.st_ino)
