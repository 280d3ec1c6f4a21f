"""Worker processes: how many there are, and how they die with the command.

Workers ignore Ctrl-C (the terminal sends it to the whole process group; the command itself
stops them), the command kills them when it stops for any reason (`kill`), and on Linux the
kernel kills them when the command is killed (`PR_SET_PDEATHSIG`); elsewhere a thread in each
worker notices that its parent is gone within a second. The printables' batches and the
book's chunked PDF layout both start their workers with `started`.
"""

from __future__ import annotations

import concurrent.futures as futures
import ctypes
import ctypes.util
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
