"""Progress bars (tqdm) for the long parts of a build, on a terminal only.

- `pages(what)`: the PDF's layout, page by page, from WeasyPrint's progress log. The first
  layout's length is not known; each later one (the figure pass, a wider inside margin) is
  counted against the one before.
- `items(total, what)`: a batch of sheets, cards or handouts, one step per file; or the pages
  of a book laid out in chunks (`render/parallel.py`), a chunk at a time.

The command line turns bars on (`enable`) when stderr is a terminal and `-q` was not given;
under a pipe, in CI or in tests they are off, and print nothing.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from tqdm import tqdm  # type: ignore[import-untyped]

_enabled = False
_PAGE = re.compile(r"Step 5 - Creating layout - Page (\d+)")


def enable(on: bool) -> None:
    global _enabled
    _enabled = on


def enabled() -> bool:
    return _enabled


@contextmanager
def items(total: int, what: str, unit: str = "files") -> Iterator[Callable[[int], None]]:
    """A bar of `total` steps; the block calls the yielded function with steps done (a
    chunked PDF layout counts its pages against an estimate of the book's)."""
    bar = tqdm(total=total, desc=what, unit=f" {unit}", leave=False, file=sys.stderr,
               disable=not _enabled, dynamic_ncols=True)  # fmt: skip
    try:
        yield bar.update
    finally:
        bar.close()


class _PageLog(logging.Handler):
    def __init__(self, bar: tqdm) -> None:
        super().__init__(logging.INFO)
        self.bar = bar

    def emit(self, record: logging.LogRecord) -> None:
        match = _PAGE.match(str(record.msg) % record.args if record.args else str(record.msg))
        if match is None:
            return
        page = int(match[1])
        if page == 1 and self.bar.n > 1:  # another layout of the book: count against the last
            self.bar.reset(total=self.bar.n)
        self.bar.update(page - self.bar.n)


@contextmanager
def pages(what: str) -> Iterator[None]:
    """While the block runs, a bar of the pages WeasyPrint lays out."""
    if not _enabled:
        yield
        return
    bar = tqdm(desc=what, unit=" pages", leave=False, file=sys.stderr, dynamic_ncols=True)
    logger = logging.getLogger("weasyprint.progress")
    handler, level = _PageLog(bar), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        bar.close()
