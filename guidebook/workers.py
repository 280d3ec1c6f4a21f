"""Worker processes: how many there are, and how they die with the command.

Workers ignore Ctrl-C (the terminal sends it to the whole process group; the command itself
stops them), the command kills them when it stops for any reason (`kill`), and on Linux the
kernel kills them when the command is killed (`PR_SET_PDEATHSIG`); elsewhere a thread in each
worker notices that its parent is gone within a second. The printables' batches and the
book's conversion start their workers with `started`; the chunked PDF layout, whose workers
hold a lot, starts lean ones (`lean_context`, `started_lean`).
"""

from __future__ import annotations

import concurrent.futures as futures
import ctypes
import ctypes.util
import multiprocessing
import multiprocessing.context
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1  # linux/prctl.h


def cores() -> int:
    """The cores this process may run on (0 for `-j` means this many)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def started(parent: int) -> None:
    """Call first in a worker: Ctrl-C is the parent's to handle, and the worker dies with it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops us
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler, forked with us
    _die_with(parent)


def lean_context() -> multiprocessing.context.BaseContext:
    """Workers that do not start as copies of the command: forked from a small server process
    that has imported only WeasyPrint and our render modules, so a worker does not carry (and
    the system does not count again) the whole converted book the command holds."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["guidebook.render.chunked", "guidebook.render.parallel"])
    return context


def started_lean(command: int, environment: dict[str, str], folder: str) -> None:
    """`started` for a worker of `lean_context`, in the command's environment and working
    folder now (the server keeps those it started with: a later SOURCE_DATE_EPOCH must reach
    the fonts' dates, and relative paths must mean what they mean to the command). Its parent
    is the server, which outlives the command while any process it started is alive, so the
    worker watches the command itself and ends within a second of it."""
    os.environ.clear()
    os.environ.update(environment)
    os.chdir(folder)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    threading.Thread(target=_watch_command, args=(command,), daemon=True).start()


def _watch_command(command: int) -> None:
    while True:
        try:
            os.kill(command, 0)
        except ProcessLookupError:
            os._exit(1)
        except PermissionError:  # alive, and someone else's: the pid was reused
            os._exit(1)
        time.sleep(0.5)


def kill(pool: futures.ProcessPoolExecutor) -> None:
    """End every worker at once: `shutdown` alone would let them finish the queued jobs."""
    # The executor keeps no public list of its processes before Python 3.14.
    processes = dict(getattr(pool, "_processes", None) or {})
    for process in processes.values():
        if process.is_alive():
            process.kill()
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes.values():
        process.join(5)


def _die_with(parent: int) -> None:
    """Make this worker end when `parent` does, even when it is killed with SIGKILL."""
    if sys.platform.startswith("linux") and _set_parent_death_signal():
        if os.getppid() != parent:  # the parent died before the signal was armed
            os._exit(1)
        return
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _set_parent_death_signal() -> bool:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return int(libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(1)
