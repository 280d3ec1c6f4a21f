"""Ctrl-C and SIGTERM as exceptions, so that a command always cleans up on the way out.

Python turns Ctrl-C (SIGINT) into `KeyboardInterrupt`; `termination_raises` does the same for
SIGTERM (`Terminated`), which would otherwise end the process at once and leave the staging
folder behind. `signals_held` defers both for a short block that must not stop half-way (moving
a set of outputs into place). The CLI turns them into exit codes 130 and 143.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType


class Terminated(BaseException):
    """SIGTERM, raised like KeyboardInterrupt so that staging is removed on the way out."""


@contextlib.contextmanager
def termination_raises() -> Iterator[None]:
    """While the block runs, SIGTERM raises `Terminated` (as Ctrl-C raises KeyboardInterrupt)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminate(_signum: int, _frame: FrameType | None) -> None:
        raise Terminated

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Ctrl-C and SIGTERM wait until the block has finished, then act as usual."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pending: list[int] = []

    def hold(signum: int, _frame: FrameType | None) -> None:
        pending.append(signum)

    held = (signal.SIGINT, signal.SIGTERM)
    previous = {number: signal.signal(number, hold) for number in held}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        if pending:
            signal.raise_signal(pending[0])
