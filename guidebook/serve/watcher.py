"""What the preview watches, and the watching (watchfiles: inotify on Linux, FSEvents on macOS,
polling where neither works).

Watched: the content folder (chapters and their images), the book file, the layout folders
(the project's override folder and the built-in one) and the built-in stylesheets. The output
folder is never watched, so that `--pdf` writing the PDF does not start another build.

A single file cannot be watched by itself: editors save by writing a new file and renaming it
over the old one, and a watch on the old file ends there. So the book file's folder is watched
without its subfolders, and only changes to the book file's name (or a new `layouts/`) count.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import watchfiles

from guidebook.build import BuildRequest
from guidebook.config import BOOK_FILE_NAMES, find_book_file
from guidebook.model import Book
from guidebook.render.resources import builtin_assets, layout_folders

WAIT_MS = 50  # a batch of changes is handed over this long after the last one


@dataclass(frozen=True)
class Roots:
    folders: tuple[Path, ...]  # watched with everything below them
    files: tuple[Path, ...]  # single files, watched through their folder
    ignored: tuple[Path, ...]  # below these nothing counts (the output folder)


def roots_for(request: BuildRequest, book: Book | None) -> Roots:
    """What to watch for this request, from the last book that loaded (None before one did)."""
    content = request.content_dir.resolve()
    if book is not None:
        book_file = book.config.path
        layouts = layout_folders(book)
    else:
        book_file = request.book_file or find_book_file(content)
        layouts = ()
    project = (book_file.resolve().parent if book_file else content.parent) / "layouts"
    folders = {content, project, *(f.resolve() for f in layouts), builtin_assets() / "css"}
    files = {book_file.resolve()} if book_file else {content.parent / BOOK_FILE_NAMES[0]}
    return Roots(
        tuple(sorted(folder for folder in folders if folder.is_dir())),
        tuple(sorted(files)),
        (request.out_dir.resolve(),),
    )


class Watcher:
    """Watches `roots` from two background threads; `changes()` waits for the next batch."""

    def __init__(self, roots: Roots) -> None:
        self.roots = roots
        self._queue: queue.Queue[set[Path] | BaseException] = queue.Queue()
        self._stop = threading.Event()
        names = {path.name for path in roots.files} | set(BOOK_FILE_NAMES) | {"layouts"}
        self._threads = [
            threading.Thread(target=self._watch, args=(roots.folders, True, None), daemon=True),
            threading.Thread(
                target=self._watch,
                args=(tuple({f.parent for f in roots.files if f.parent.is_dir()}), False, names),
                daemon=True,
            ),
        ]
        for thread in self._threads:
            thread.start()

    def changes(self, timeout: float | None = None) -> set[Path]:
        """The files changed since the last call (empty after `timeout` seconds without any);
        raises what stopped a watching thread (an OSError: too many watches, say)."""
        try:
            batch = self._queue.get(timeout=timeout)
        except queue.Empty:
            return set()
        paths: set[Path] = set()
        while True:
            if isinstance(batch, BaseException):
                raise batch
            paths |= batch
            try:
                batch = self._queue.get_nowait()
            except queue.Empty:
                return paths

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=2)

    def _watch(self, paths: tuple[Path, ...], recursive: bool, names: set[str] | None) -> None:
        if not paths:
            return
        counts = _Filter(self.roots.ignored, names)
        try:
            for batch in watchfiles.watch(
                *paths,
                watch_filter=counts,
                recursive=recursive,
                step=WAIT_MS,
                stop_event=self._stop,
                raise_interrupt=False,
            ):
                self._queue.put({Path(path) for _change, path in batch})
        except BaseException as exc:  # handed to the main thread, which reports it
            self._queue.put(exc)


class _Filter(watchfiles.DefaultFilter):
    """watchfiles' default (no editor swap files, `.git`, caches) without the output folder,
    and, for the book file's folder, only the names that matter there."""

    def __init__(self, ignored: Iterable[Path], names: set[str] | None) -> None:
        super().__init__()
        self._ignored = tuple(str(path) for path in ignored)
        self._names = names

    def __call__(self, change: watchfiles.Change, path: str) -> bool:
        if self._names is not None and os.path.basename(path) not in self._names:
            return False
        if any(path == root or path.startswith(root + os.sep) for root in self._ignored):
            return False
        return bool(super().__call__(change, path))
