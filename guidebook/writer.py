"""Writing outputs into --out: one writer at a time, private staging, replacement as a set.

Every command that writes (`build`, `handouts`, `sheets`, `cards`) does it inside
`output_folder(out)`:

1. **Lock.** `<out>/.guidebook-lock` is locked exclusively until the command ends (`lock.py`):
   a second command into the same folder waits, saying so, for at most `LOCK_WAIT_SECONDS`,
   then stops with an error; nothing of the first command's work is touched.
2. **Stale staging.** Holding the lock, the command is the only writer, so every staging
   folder found in `<out>` (`.guidebook-staging-*`, or the `.guidebook-<8 characters>`
   folders of earlier versions) was left by a command that was killed: it is removed. Nothing
   else is: not the HTML folder's marker, not the cache, not the lock, no file.
3. **Staging.** Outputs are rendered into a fresh `.guidebook-staging-*` folder inside `<out>`
   (same file system, so moving them is a rename).
4. **Replacement as a set.** `Staging.commit` keeps each previous output in the staging folder
   (a hard link to a file, so that replacing it stays one atomic rename; a folder is moved
   aside), then moves the new one into place; if any move fails, the ones already done are
   undone in reverse, so either every output is new or none is. `Written` records exactly what
   is in place at any moment, and every closing message is made from it. (Should undoing fail
   too, the previous outputs stay in `.guidebook-rescued-*` and the message says so.)
5. **Clean up.** The staging folder (with the previous outputs) is removed, the lock file is
   removed and unlocked, and an `<out>` the command created is removed again if it is empty.

Ctrl-C and SIGTERM arrive as exceptions (`KeyboardInterrupt`, `interrupts.Terminated`), so
step 5 runs; during step 4 they are held back until the set is complete or undone.

Only a path the builder wrote may be replaced (`written_by_us`): nothing there yet, a regular
file where a file goes, or a real folder carrying the marker file where a folder goes.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import shutil
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from guidebook.diagnostics import Reporter, display_path
from guidebook.interrupts import signals_held
from guidebook.lock import locked

STAGING_PREFIX = ".guidebook-staging-"
# Folders only this builder makes: its staging folders, and those of versions before the lock
# (tempfile.mkdtemp's `.guidebook-` + 8 characters). Never the marker, the lock or the cache.
_STAGING = re.compile(r"\.guidebook-staging-.+|\.guidebook-[a-z0-9_]{8}")

# An HTML output folder carries this file; only a folder that has it is ever replaced.
MARKER = ".guidebook-output"
MARKER_TEXT = "Written by guidebook; the next build replaces this whole folder.\n"


@dataclass
class Written:
    """The outputs a command has put in place so far (none until its set is committed)."""

    paths: list[Path] = field(default_factory=list)


class ReplaceError(OSError):
    """Moving the outputs into place failed; `Written` says what is in place now."""


# --- the folder -----------------------------------------------------------------------------


@contextlib.contextmanager
def output_folder(out_dir: Path, reporter: Reporter, written: Written) -> Iterator[Staging]:
    """Lock `out_dir`, clear stale staging and yield a fresh staging folder (see the module)."""
    # `--out a/b/c` may create a and b too; a run that leaves nothing removes all it created.
    created = [folder for folder in (out_dir, *out_dir.parents) if not os.path.lexists(folder)]
    try:
        with locked(out_dir, reporter):
            _remove_stale_staging(out_dir)
            root = out_dir / f"{STAGING_PREFIX}{secrets.token_hex(8)}"
            staging = Staging(out_dir, root, written, reporter)
            os.mkdir(staging.root, 0o700)
            try:
                yield staging
            finally:
                if not staging.keep:
                    shutil.rmtree(staging.root, ignore_errors=True)
    finally:
        for folder in created:  # innermost first; rmdir only removes an empty folder
            try:
                folder.rmdir()
            except OSError:
                break


def written_by_us(final: Path, folder: bool) -> bool:
    """A path the builder may replace: nothing there yet, a regular file where a file output
    goes, or a real folder holding the marker where a folder output goes."""
    if not os.path.lexists(final):
        return True
    if final.is_symlink():
        return False
    if not folder:
        return final.is_file()
    return final.is_dir() and (final / MARKER).is_file()


def check_replaceable(out_dir: Path, final: Path, folder: bool, reporter: Reporter) -> None:
    """Report (as an error) an output path the builder may not write: one that exists and was
    not written by it, or one below a link, a file or the book's HTML folder (which the next
    build replaces whole) inside `out_dir`."""
    for parent in reversed(final.relative_to(out_dir).parents[:-1]):
        where = out_dir / parent
        if not os.path.lexists(where):
            break
        if where.is_symlink() or not where.is_dir() or (where / MARKER).exists():
            reporter.error(
                f"'{display_path(where)}' is a link, a file or the book's HTML folder, not a "
                "folder for these files; move it away or choose another --out"
            )
            return
    if not written_by_us(final, folder):
        reporter.error(
            f"'{display_path(final)}' exists and was not written by this builder; "
            "move it away or choose another --out or 'output:'"
        )


# --- staging and the set replacement --------------------------------------------------------


Undo = tuple[Path | None, Callable[[], object]]  # (the new output it takes away, the move)


@dataclass
class Staging:
    out_dir: Path
    root: Path
    written: Written
    reporter: Reporter
    keep: bool = False  # an undo failed: the folder holds previous outputs, do not remove it
    claimed: list[Path] = field(default_factory=list)  # every output of the set so far

    def claim(self, finals: Sequence[Path], folder: bool = False) -> list[Path]:
        """Where to render the outputs that go to `finals`; stop (BookError) before anything is
        rendered when one of them may not be replaced (`check_replaceable`) or would be, or
        hold, another output of this build (the HTML folder named `handouts` by `output:`)."""
        for final in finals:
            check_replaceable(self.out_dir, final, folder, self.reporter)
        clash = next(
            ((new, old) for new in finals for old in self.claimed if _overlap(new, old)), None
        )
        if clash:
            inner, outer = sorted(clash, key=lambda path: len(path.parts), reverse=True)
            where = "the same file as" if inner == outer else "inside"
            self.reporter.error(
                f"two outputs of this build collide: '{display_path(inner)}' would be {where} "
                f"'{display_path(outer)}'; choose another 'output:' in the book file (it names "
                "the HTML folder)"
            )
        self.reporter.check()
        self.claimed.extend(finals)
        return [self.path_for(final) for final in finals]

    def path_for(self, final: Path) -> Path:
        """Where the output that goes to `final` is rendered (its folder is made)."""
        staged = self.root / "new" / final.relative_to(self.out_dir)
        staged.parent.mkdir(parents=True, exist_ok=True)
        return staged

    def commit(self, finals: Sequence[Path]) -> None:
        """Move every staged output to its final path, as a set (see the module docstring)."""
        _check_distinct(self.out_dir, finals)
        undo: list[Undo] = []
        made: list[Path] = []  # folders created on the way, removed again on failure
        with signals_held():
            try:
                for number, final in enumerate(finals):
                    self._place(final, self.root / "previous" / str(number), undo, made)
            except BaseException as exc:  # a disk error, or anything else: never half a set
                rescued = None if self._undo(undo, made) else self._rescue()
                if not isinstance(exc, OSError):
                    raise
                reason = exc.strerror or str(exc)
                if rescued:
                    reason += f"; previous outputs that could not be put back are in {rescued}"
                raise ReplaceError(exc.errno, reason, exc.filename) from exc

    def _rescue(self) -> str:
        """Keep this folder, which holds previous outputs, under a name no run removes."""
        self.keep = True
        rescued = self.root.with_name(f".guidebook-rescued-{self.root.name[-16:]}")
        with contextlib.suppress(OSError):
            self.root = self.root.rename(rescued)
        return display_path(self.root)

    def _place(self, final: Path, backup: Path, undo: list[Undo], made: list[Path]) -> None:
        """Move one staged output into place, keeping its previous version at `backup`."""
        staged = self.path_for(final)
        folder = staged.is_dir()
        move = os.rename if folder else os.replace  # a folder is never merged into another
        if os.path.lexists(final):
            if not written_by_us(final, folder):
                raise FileExistsError(errno.EEXIST, "not written by this builder", str(final))
            _make_folders(backup.parent, made)
            if not folder and _hard_link(final, backup):
                move(staged, final)  # atomic: on failure the previous file is still in place
                undo.append((final, lambda: os.replace(backup, final)))
            else:
                os.rename(final, backup)
                undo.append((None, lambda: os.rename(backup, final)))
                move(staged, final)
                undo.append((final, lambda: os.rename(final, staged)))
        else:
            _make_folders(final.parent, made)
            move(staged, final)
            undo.append((final, lambda: os.rename(final, staged)))
        self.written.paths.append(final)

    def _undo(self, undo: list[Undo], made: list[Path]) -> bool:
        """Undo the moves, newest first; stop at the first that fails, so that `written` keeps
        naming exactly the new outputs still in place. True when everything was undone."""
        for placed, move_back in reversed(undo):
            try:
                move_back()
            except OSError:
                return False
            if placed is not None:
                self.written.paths.remove(placed)
        for folder in reversed(made):
            with contextlib.suppress(OSError):
                folder.rmdir()
        return True


def _check_distinct(out_dir: Path, finals: Sequence[Path]) -> None:
    """A second wall behind the file-name rules: two outputs never share a path, and every
    output is a plain name (or names) inside `out_dir`."""
    if len(set(finals)) != len(finals):
        raise AssertionError("two outputs were given the same path")
    for final in finals:
        parts = final.relative_to(out_dir).parts
        if not parts or any(p in (".", "..") or p.startswith((".", "-")) for p in parts):
            raise AssertionError(f"unsafe output path {final}")


def _overlap(one: Path, other: Path) -> bool:
    """One path is the other, or inside it."""
    return one == other or one in other.parents or other in one.parents


def _make_folders(folder: Path, made: list[Path]) -> None:
    for path in [*reversed(folder.parents), folder]:
        if not os.path.lexists(path):
            path.mkdir()
            made.append(path)


def _hard_link(source: Path, target: Path) -> bool:
    """A second name for the previous output, so replacing it stays one atomic step (False on
    file systems without hard links)."""
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError:
        return False
    return True


def _remove_stale_staging(out_dir: Path) -> None:
    with os.scandir(out_dir) as entries:
        stale = [
            e.path
            for e in entries
            if _STAGING.fullmatch(e.name) and e.is_dir(follow_symlinks=False)
        ]
    for folder in stale:
        shutil.rmtree(folder, ignore_errors=True)
