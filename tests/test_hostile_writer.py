"""The writer (guidebook/writer.py): outputs replaced as a set, one command at a time per --out,
stale staging removed, Ctrl-C and SIGTERM clean, and every closing message true."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import importlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import REPO, run_cli

from guidebook.build import LAYOUT_CACHE

LOCK_FILE = ".guidebook-lock"  # guidebook.writer's names, spelled out so that the tests also
MARKER = ".guidebook-output"  # run (and fail) against a builder without that module
NO_SPACE = "No space left on device"


def tree(root: Path) -> dict[str, bytes | None]:
    """Every path under root with its bytes (None for anything but a regular file)."""
    if not root.exists():
        return {}
    return {
        str(p.relative_to(root)): (p.read_bytes() if p.is_file() else None)
        for p in sorted(root.rglob("*"))
    }


@pytest.fixture
def book(tmp_path: Path) -> Path:
    """A two-chapter book in tmp_path/proj with a file beside it that must never change."""
    content = tmp_path / "proj" / "content"
    content.mkdir(parents=True)
    (content / "squat.md").write_text("# Squat\n\nText.\n", encoding="utf-8")
    (content / "lunge.md").write_text("# Lunge\n\nMore text.\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("keep\n", encoding="utf-8")
    return tmp_path / "proj"


def build(book: Path, formats: str, *extra: object) -> tuple[int, str, str]:
    return run_cli("build", "--format", formats, "--out", "out", *extra, cwd=book)


def edit(book: Path) -> None:
    """Change the content so that the next build's outputs differ from the previous ones."""
    squat = book / "content" / "squat.md"
    squat.write_text(squat.read_text(encoding="utf-8") + "\nNew paragraph.\n", encoding="utf-8")


def no_staging(out: Path) -> bool:
    return not [
        p for p in out.iterdir() if p.name.startswith(".guidebook-") and p.name != LAYOUT_CACHE
    ]


# --- outputs are replaced as a set ------------------------------------------------------------


def failing(
    monkeypatch: pytest.MonkeyPatch, function: str, target: Path
) -> Callable[[], list[tuple[str, str]]]:
    """Make os.<function> fail with ENOSPC when it moves a new output onto `target` (a file
    output: any move onto `target`, putting the previous version back too)."""
    real = getattr(os, function)
    calls: list[tuple[str, str]] = []

    def move(source: object, destination: object, *args: object, **kwargs: object) -> object:
        calls.append((str(source), str(destination)))
        new = f"{os.sep}new{os.sep}" in str(source) or target.suffix
        if new and Path(str(destination)).resolve() == target.resolve():
            raise OSError(errno.ENOSPC, NO_SPACE, str(destination))
        return real(source, destination, *args, **kwargs)

    monkeypatch.setattr(os, function, move)
    return lambda: calls


@pytest.mark.parametrize(
    ("formats", "function", "fails"),
    [
        # the case: the EPUB went in first (a PDF build: slow)
        pytest.param("epub,pdf", "replace", "book.pdf", marks=pytest.mark.slow),
        ("epub,html", "rename", "book"),  # the HTML folder is moved last
        # the first output fails
        pytest.param("epub,html", "replace", "book.epub", marks=pytest.mark.slow),
    ],
)
def test_a_failed_move_replaces_no_output(
    book: Path, monkeypatch: pytest.MonkeyPatch, formats: str, function: str, fails: str
) -> None:
    code, _, err = build(book, formats)
    assert code == 0, err
    before, outside = tree(book / "out"), (book.parent / "notes.txt").read_bytes()
    edit(book)
    calls = failing(monkeypatch, function, book / "out" / fails)
    code, out, err = build(book, formats)
    assert code == 1
    assert calls(), "the failure was never injected"
    assert f"make_book: error: cannot write out/{fails}: {NO_SPACE}; no output was replaced" in err
    assert "Traceback" not in err and "wrote" not in out
    assert tree(book / "out") == before  # every previous output as it was, nothing left over
    assert (book.parent / "notes.txt").read_bytes() == outside


@pytest.mark.slow
def test_when_undoing_fails_too_the_message_names_what_was_replaced(
    book: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every move into --out after the first fails: the PDF (made first) is new, the EPUB old,
    and the message says exactly that; the previous PDF is kept, not deleted."""
    code, _, err = build(book, "epub,pdf")
    assert code == 0, err
    old_epub = (book / "out" / "book.epub").read_bytes()
    old_pdf = (book / "out" / "book.pdf").read_bytes()
    edit(book)
    real, moves = os.replace, []

    def replace(source: object, destination: object) -> None:
        if Path(os.path.abspath(str(destination))).parent == book / "out":
            moves.append(destination)
        if len(moves) > 1:
            raise OSError(errno.EIO, "Input/output error", str(destination))
        real(source, destination)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", replace)
    code, _, err = build(book, "epub,pdf")
    assert code == 1
    assert "1 output was already replaced (out/book.pdf)" in err
    assert "no output was replaced" not in err and "Traceback" not in err
    assert (book / "out" / "book.pdf").read_bytes() != old_pdf
    assert (book / "out" / "book.epub").read_bytes() == old_epub
    (rescued,) = (book / "out").glob(".guidebook-rescued-*")
    assert str(rescued.relative_to(book)) in err
    assert old_pdf in [p.read_bytes() for p in rescued.rglob("*") if p.is_file()]


# --- one command at a time per --out ----------------------------------------------------------


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's sample book (exercises, guides, a program and a roster)."""
    root = tmp_path_factory.mktemp("sample")
    shutil.copytree(REPO / "content", root / "content")
    shutil.copytree(REPO / "programs", root / "programs")
    shutil.copy(REPO / "book.yml", root / "book.yml")
    return root


COMMANDS = {
    "build": ["build", "--format", "epub"],
    "handouts": ["handouts", "plank"],
    "sheets": ["sheets", "plank"],
    "program": ["program", "programs/beginner-block.yml"],
}


@contextlib.contextmanager
def holding_the_lock(out: Path) -> Iterator[None]:
    """Hold --out's lock as another build would (flock: a second open file description
    conflicts even inside one process)."""
    out.mkdir(parents=True, exist_ok=True)
    fd = os.open(out / LOCK_FILE, os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        yield
    finally:
        os.close(fd)


@pytest.mark.slow
@pytest.mark.parametrize("command", COMMANDS)
def test_a_command_into_a_locked_out_waits_then_stops(
    sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    with contextlib.suppress(ImportError):  # (a builder without the writer has no lock at all)
        monkeypatch.setattr(importlib.import_module("guidebook.lock"), "LOCK_WAIT_SECONDS", 0.3)
    out = tmp_path / "out"
    with holding_the_lock(out):
        before = tree(out)
        started = time.monotonic()
        code, stdout, err = run_cli(*COMMANDS[command], "--out", out, cwd=sample)
        assert time.monotonic() - started < 30
        assert tree(out) == before  # nothing written, nothing removed (not even the lock)
    assert code == 1
    shown = out.relative_to(sample) if out.is_relative_to(sample) else out
    assert f"note: waiting for another build into {shown} to finish" in err
    assert f"error: another build is still writing into {shown} after 0 s" in err
    assert "make_book: 1 problem to fix; no output was written" in err
    assert stdout == "" and "Traceback" not in err


@pytest.mark.slow
def test_a_build_waits_for_the_one_before_it(book: Path) -> None:
    out = book / "out"
    released = threading.Event()

    def release_soon(fd: int) -> None:
        time.sleep(0.5)
        os.close(fd)
        released.set()

    out.mkdir()
    fd = os.open(out / LOCK_FILE, os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    threading.Thread(target=release_soon, args=(fd,)).start()
    code, _, err = build(book, "epub")
    assert released.is_set()
    assert code == 0, err
    assert "note: waiting for another build into out to finish" in err
    assert sorted(os.listdir(out)) == [LAYOUT_CACHE, "book.epub"]  # the lock went with its holder


def run_make_book(*args: object, cwd: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, str(REPO / "make_book.py"), *map(str, args)],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.slow
def test_two_builds_at_once_both_succeed_one_after_the_other(book: Path) -> None:
    builds = [run_make_book("build", "--format", "epub,html", "--out", "out", cwd=book)]
    builds.append(run_make_book("build", "--format", "epub,html", "--out", "out", cwd=book))
    results = [b.communicate(timeout=120) for b in builds]
    assert [b.returncode for b in builds] == [0, 0], results
    assert sorted(os.listdir(book / "out")) == [LAYOUT_CACHE, "book", "book.epub"]
    with zipfile.ZipFile(book / "out" / "book.epub") as epub:
        assert epub.testzip() is None
    assert (book / "out" / "book" / MARKER).is_file()


# --- stale staging ----------------------------------------------------------------------------


def test_stale_staging_is_removed_and_nothing_else(book: Path) -> None:
    out = book / "out"
    # Its staging folders now, by hand, and before the lock (tempfile.mkdtemp's names).
    stale = [".guidebook-staging-0123456789abcdef", ".guidebook-staging-x", ".guidebook-a1b2_c3d"]
    kept = {
        ".guidebook-cache.json": "{}",
        ".guidebook-notes/mine.txt": "the user's",
        ".guidebook-staging-file": "a file, not a folder",
        ".guidebook-a1b2c3d4.pdf": "a file",
        ".guidebook-output": "a file, not a folder",
        "thesis.txt": "years of work",
    }
    for name in stale:
        (out / name / "new").mkdir(parents=True)
        (out / name / "new" / "book.epub").write_bytes(b"half a file")
    for name, text in kept.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_text(text, encoding="utf-8")
    code, _, err = build(book, "epub")
    assert code == 0, err
    assert not any((out / name).exists() for name in stale)
    assert {name: (out / name).read_text(encoding="utf-8") for name in kept} == kept


@pytest.mark.slow
@pytest.mark.parametrize("kill", [signal.SIGKILL])
def test_staging_left_by_a_killed_build_goes_with_the_next_build(
    sample: Path, tmp_path: Path, kill: signal.Signals
) -> None:
    out = tmp_path / "out"
    process = run_make_book("build", "--format", "pdf", "--out", out, cwd=sample)
    staging = wait_for_staging(out, process)
    process.send_signal(kill)
    process.communicate(timeout=30)
    assert staging.exists()  # a killed process cleans nothing
    code, _, err = run_cli("build", "--format", "epub", "--out", out, "-q", cwd=sample)
    assert code == 0, err
    assert sorted(os.listdir(out)) == [LAYOUT_CACHE, "book.epub"]


def wait_for_staging(out: Path, process: subprocess.Popen[str]) -> Path:
    """The staging folder of a running command, once it is rendering."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        found = list(out.glob(".guidebook-staging-*")) if out.is_dir() else []
        if found:
            time.sleep(0.3)  # well inside the rendering
            return found[0]
        assert process.poll() is None, process.communicate()
        time.sleep(0.05)
    raise AssertionError("the command never started writing")


# --- Ctrl-C and SIGTERM -----------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    ("sent", "code", "said"),
    [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated")],
)
def test_an_interrupted_build_exits_cleanly_and_replaces_nothing(
    sample: Path, tmp_path: Path, sent: signal.Signals, code: int, said: str
) -> None:
    out = tmp_path / "out"
    first, _, err = run_cli("build", "--format", "epub", "--out", out, "-q", cwd=sample)
    assert first == 0, err
    before = tree(out)
    (tmp_path / "extra.md").write_text("# Extra\n", encoding="utf-8")
    process = run_make_book("build", "--out", out, cwd=sample)
    wait_for_staging(out, process)
    process.send_signal(sent)
    _, err = process.communicate(timeout=60)
    assert process.returncode == code, err
    assert f"make_book.py: {said}; no output was replaced" in err  # the name it was run as
    assert "Traceback" not in err
    assert tree(out) == before  # staging removed, the previous EPUB as it was, no PDF


def interrupting(how: str) -> Callable[..., object]:
    """A renderer that writes half a file, then is interrupted as `how` says."""

    def render(*args: object, **_kwargs: object) -> object:
        destination = next(a for a in args if isinstance(a, Path))
        destination.write_bytes(b"half a file")
        if how == "SIGTERM":
            os.kill(os.getpid(), signal.SIGTERM)  # the handler raises at the next instruction
            time.sleep(5)
        raise KeyboardInterrupt

    return render


@pytest.mark.parametrize(
    ("renderer", "how", "code", "said"),
    [
        ("render_epub", "Ctrl-C", 130, "interrupted"),
        pytest.param("render_html", "Ctrl-C", 130, "interrupted", marks=pytest.mark.slow),
        pytest.param("render_epub", "SIGTERM", 143, "terminated", marks=pytest.mark.slow),
        ("render_html", "SIGTERM", 143, "terminated"),
    ],
)
def test_an_interrupt_while_rendering_leaves_everything_as_it_was(
    book: Path, monkeypatch: pytest.MonkeyPatch, renderer: str, how: str, code: int, said: str
) -> None:
    first, _, err = build(book, "epub,html")
    assert first == 0, err
    before = tree(book / "out")
    edit(book)
    monkeypatch.setattr(
        f"guidebook.render.{renderer.removeprefix('render_')}.{renderer}", interrupting(how)
    )
    result, stdout, err = build(book, "epub,html")
    assert result == code
    assert err.splitlines()[-1] == f"make_book: {said}; no output was replaced"
    assert "Traceback" not in err and stdout == ""
    assert tree(book / "out") == before
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # the CLI put its handler back


@pytest.mark.slow
def test_an_interrupt_while_moving_the_outputs_puts_back_the_ones_moved(
    book: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = build(book, "epub,pdf")
    assert code == 0, err
    before = tree(book / "out")
    edit(book)
    real = os.replace

    def replace(source: object, destination: object) -> None:
        if str(destination).endswith("book.pdf"):
            raise KeyboardInterrupt
        real(source, destination)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", replace)
    code, _, err = build(book, "epub,pdf")
    assert code == 130
    assert err.splitlines()[-1] == "make_book: interrupted; no output was replaced"
    assert tree(book / "out") == before


def test_a_failed_first_build_removes_every_folder_it_created(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "layouts" / "shared").mkdir(parents=True)
    (content / "squat.md").write_text("# Squat\n\nText.\n", encoding="utf-8")
    (content / "book.yml").write_text("title: T\n", encoding="utf-8")
    (content / "layouts" / "shared" / "titlepage.html.j2").write_text(
        "{% macro title_page(book) %}{{ 1 / 0 }}{% endmacro %}", encoding="utf-8"
    )
    out = tmp_path / "x" / "y" / "z"
    code, _out, err = run_cli("build", "--content", content, "--out", out, "--format", "html")
    assert code == 1, err
    assert not (tmp_path / "x").exists()
