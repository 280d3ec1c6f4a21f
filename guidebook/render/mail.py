"""The workers' messages to the parent of a chunked layout (`conductor.py`), in one outbox."""

from __future__ import annotations

import queue
from concurrent import futures
from typing import Any

from guidebook.diagnostics import Reporter

WAIT = 1.0  # seconds between looks at the workers while waiting for a message


class Mail:
    """The workers' messages; a warning is reported once (a chunk's tail is laid out twice).
    Facts and written chunks may come in any order: each waits for the step that asks."""

    def __init__(self, outbox: Any, running: list[futures.Future[None]], reporter: Reporter):
        self.outbox, self.running, self.reporter = outbox, running, reporter
        self.said: set[tuple[str, str]] = set()
        self.early: dict[str, list[Any]] = {"facts": [], "written": [], "patched": []}

    def say(self, text: str, path: Any) -> None:
        if (text, str(path)) not in self.said:
            self.said.add((text, str(path)))
            self.reporter.warning(text, path)

    def next(self, kind: str) -> Any:
        if self.early[kind]:
            return self.early[kind].pop(0)
        while True:
            try:
                message = self.outbox.get(timeout=WAIT)
            except queue.Empty:
                for future in self.running:
                    if future.done():
                        future.result()  # raises what the worker raised
                if all(future.done() for future in self.running) and self.outbox.empty():
                    raise RuntimeError("the layout workers stopped before they were done") from None
                continue
            if message[0] == "warning":
                self.say(message[1], message[2])
                continue
            if message[0] == "error":
                raise message[1]
            if message[0] == kind:
                return message[1]
            if message[0] not in self.early:
                raise RuntimeError(f"a layout worker said {message[0]!r} when {kind!r} was due")
            self.early[message[0]].append(message[1])
