"""The Jinja environment every layout renders in: no code, no files outside, bounded work.

A layout override arrives with downloaded content, so it is treated like a chapter:

- Jinja's immutable sandbox refuses attribute walks to Python internals and mutating calls;
- the loader reads only regular files below the layout folders, never through a symbolic link
  and never more than `MAX_LAYOUT_BYTES`, so a template cannot include `/etc/passwd`, a FIFO
  or `/dev/zero`;
- each render has a wall-clock budget, an output cap, a memory budget and a recursion limit, so
  nested loops (`range` is capped per call, not per template), macros that call themselves or a
  filter asked for a gigabyte of padding end as a `layout:` error instead of a hang or a crash.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import resource
import stat
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jinja2
import jinja2.debug
from jinja2.sandbox import ImmutableSandboxedEnvironment

from guidebook.text import NotReadable, read_regular

MAX_LAYOUT_BYTES = 1024 * 1024  # a template file; ours are a few kilobytes
RENDER_SECONDS = 60.0  # all renders of one environment (one target, or one sheet worker)
# together: the 904-chapter benchmark book document takes 0.15 s, its EPUB pages under 2 s
MAX_OUTPUT_CHARS = 256 * 1024 * 1024  # the rendered text of one template
MEMORY_HEADROOM = 4 * 1024**3  # address space a render may add to the process
MAX_PRODUCT = 1_000_000  # items a template may build with `*` in one operation
MAX_POWER_BITS = 100_000  # size of an integer `**` may make


class LayoutLoader(jinja2.BaseLoader):
    """Templates from `folders`, first match wins, read only through real folders and files."""

    def __init__(self, folders: tuple[Path, ...]) -> None:
        self.folders = folders

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        pieces = [piece for piece in template.replace("\\", "/").split("/") if piece]
        if ".." in pieces or template.startswith("/"):
            raise jinja2.TemplateNotFound(
                template,
                f"the layout name '{template}' leaves the layout folders; "
                "name layouts relative to a layouts folder, without '..'",
            )
        for folder in self.folders:
            for name in _spellings(pieces):
                if os.path.lexists(folder.joinpath(*name)):
                    # Up to date for the life of the environment (a build, a worker): read and
                    # compiled once, not once per sheet.
                    source = _read(folder, name, template)
                    return source, str(folder.joinpath(*name)), lambda: True
        looked_in = ", ".join(str(folder) for folder in self.folders)
        raise jinja2.TemplateNotFound(
            template, f"the layout '{template}' is in none of the layout folders ({looked_in})"
        )


# Layout folders renamed since a release: a book's override under the old name still counts,
# and what an old override imports under the old name (`print/parts.html.j2`) is found too.
RENAMED_FOLDERS = {"printables": "print"}
_OTHER_NAME = {**RENAMED_FOLDERS, **{old: new for new, old in RENAMED_FOLDERS.items()}}


def _spellings(pieces: list[str]) -> list[list[str]]:
    """The names a layout may have in one folder: its own, then the folder's other name."""
    other = _OTHER_NAME.get(pieces[0]) if pieces else None
    return [pieces, [other, *pieces[1:]]] if other else [pieces]


def _read(folder: Path, pieces: list[str], template: str) -> str:
    _refuse_links(folder, pieces)
    try:
        return read_regular(folder.joinpath(*pieces), MAX_LAYOUT_BYTES).decode("utf-8")
    except (NotReadable, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, NotReadable) else "it is not UTF-8"
        raise jinja2.TemplateError(f"the layout '{template}' cannot be used: {reason}") from None


def _refuse_links(folder: Path, pieces: list[str]) -> None:
    """A layout reached through a symbolic link could be any file on the machine."""
    path = folder
    for piece in pieces:
        path = path / piece
        if stat.S_ISLNK(os.lstat(path).st_mode):
            raise jinja2.TemplateError(
                f"the layout '{'/'.join(pieces)}' is a symbolic link; layouts must be files "
                "inside the layouts folder"
            )


class BoundedTemplate(jinja2.Template):
    """`render` with the budgets above; what exceeds one becomes a `TemplateRuntimeError`."""

    environment: BoundedSandbox

    def render(self, *args: Any, **kwargs: Any) -> str:
        started = time.monotonic()
        left = max(RENDER_SECONDS - self.environment.seconds_spent, 0.0)
        try:
            with _deadline(left), _memory_budget(MEMORY_HEADROOM):
                return self._render_capped(*args, **kwargs)
        except jinja2.TemplateError as exc:
            if not isinstance(exc, jinja2.exceptions.SecurityError):
                raise
            raise _located(jinja2.TemplateRuntimeError(f"the layout {exc}"), exc) from None
        except (LayoutTimeout, MemoryError, RecursionError, *_LAYOUT_MISTAKES) as exc:
            error = jinja2.TemplateRuntimeError(f"the layout {_problem(exc)}")
            cause: BaseException = exc
            if isinstance(exc, LayoutTimeout):  # Jinja rewrites only what `Exception` catches
                cause = jinja2.debug.rewrite_traceback_stack()
            raise _located(error, cause) from None
        finally:
            self.environment.seconds_spent += time.monotonic() - started

    def _render_capped(self, *args: Any, **kwargs: Any) -> str:
        chunks: list[str] = []
        size = 0
        for chunk in self.generate(*args, **kwargs):
            size += len(chunk)
            if size > MAX_OUTPUT_CHARS:
                raise jinja2.TemplateRuntimeError(
                    f"the layout wrote more than {MAX_OUTPUT_CHARS // 2**20} M characters"
                )
            chunks.append(chunk)
        return "".join(chunks)


# What a mistaken layout raises (`{{ 1 / 0 }}`, `{{ "a" + 1 }}`, `{{ x[99] }}`): the user's to fix.
_LAYOUT_MISTAKES = (ArithmeticError, TypeError, ValueError, LookupError)


def _problem(exc: BaseException) -> str:
    if isinstance(exc, LayoutTimeout):
        return f"ran for more than {RENDER_SECONDS:.0f} s (the budget of all layouts of an output)"
    if isinstance(exc, MemoryError):
        return f"needed more than {MEMORY_HEADROOM // 2**30} GB of memory"
    if isinstance(exc, RecursionError):
        return "calls itself too deeply (a macro that never stops?)"
    return f"failed: {type(exc).__name__}: {exc}"


def _located(error: jinja2.TemplateRuntimeError, cause: BaseException) -> Exception:
    """Give `error` the file and line of the innermost template frame of `cause`, as Jinja's
    rewritten tracebacks carry them (the override's own line, not the built-in caller's)."""
    for frame in reversed(traceback.extract_tb(cause.__traceback__)):
        if not frame.filename.endswith(".py") and os.path.isfile(frame.filename):
            error.filename = frame.filename  # type: ignore[attr-defined]
            error.lineno = frame.lineno  # type: ignore[attr-defined]
            break
    return error


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """The sandbox with `*` and `**` checked: `'x' * 10**9` is refused before it is built, and
    so is a product of integers whose digits one multiplication could take minutes over."""

    template_class = BoundedTemplate
    intercepted_binops = frozenset({"*", "**"})
    seconds_spent = 0.0  # by every render of this environment: the budget is for all of them

    def call_binop(
        self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any
    ) -> Any:
        if operator == "**":
            if _bits(left) * abs(right if isinstance(right, int) else 0) > MAX_POWER_BITS:
                raise jinja2.exceptions.SecurityError(
                    "makes a power this large; at most a few thousand digits"
                )
            return left**right
        if _bits(left) + _bits(right) > MAX_POWER_BITS:  # squaring a huge number takes minutes
            raise jinja2.exceptions.SecurityError(
                "multiplies numbers this large; at most a few thousand digits"
            )
        for sequence, count in ((left, right), (right, left)):
            sized = isinstance(count, int) and hasattr(sequence, "__len__")
            if sized and len(sequence) * max(count, 0) > MAX_PRODUCT:
                raise jinja2.exceptions.SecurityError(
                    f"repeats a text or list past {MAX_PRODUCT} items"
                )
        return left * right


def _bits(value: Any) -> int:
    return value.bit_length() if isinstance(value, int) else 0


class LayoutTimeout(BaseException):
    """Raised inside a render that ran out of time (a BaseException: templates cannot catch it)."""


@contextlib.contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Interrupt this thread's Python code after `seconds` (works off the main thread too,
    unlike SIGALRM). Long C calls are not interrupted; the memory budget bounds those."""
    thread = threading.get_ident()
    lock = threading.Lock()
    state = {"active": True, "fired": False}

    def fire() -> None:
        with lock:
            if state["active"]:
                state["fired"] = True
                _async_raise(thread, LayoutTimeout)

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            state["active"] = False
            if state["fired"]:
                _async_raise(thread, None)  # clear it if it has not been delivered yet
        timer.cancel()


def _async_raise(thread: int, exc: type[BaseException] | None) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread), ctypes.py_object(exc) if exc else None
    )


@contextlib.contextmanager
def _memory_budget(headroom: int) -> Iterator[None]:
    """Lower the soft address-space limit to what the process uses now plus `headroom`, so a
    runaway allocation fails with MemoryError instead of swapping the machine."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    try:
        in_use = _address_space()
    except OSError:
        yield
        return
    limit = in_use + headroom
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    if soft != resource.RLIM_INFINITY and soft <= limit:
        yield  # already stricter than ours
        return
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _address_space() -> int:
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
