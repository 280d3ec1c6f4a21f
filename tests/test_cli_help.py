"""A command line that helps: the name it was run as, plain words for YAML mistakes, a quiet
mode that prints only errors, a content path that is a file."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, copy_book, run_cli

from guidebook.cliparse import did_you_mean, program_name


@pytest.mark.parametrize(
    ("argv0", "name"),
    [
        ("/home/ida/book/.venv/bin/make-book", "make-book"),
        ("make_book.py", "make_book.py"),
        ("/srv/x/guidebook/__main__.py", "python -m guidebook"),
        ("/usr/lib/python3/site-packages/pytest/__main__.py", "make_book"),
    ],
)
def test_the_tool_is_named_as_it_was_run(argv0: str, name: str) -> None:
    assert program_name(argv0) == name


def test_did_you_mean_ignores_the_dashes() -> None:
    assert did_you_mean("--colour", ["--out", "--content"]) == ""
    assert did_you_mean("--contnet", ["--out", "--content"]) == "; did you mean '--content'?"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("command", "name"), [(["make_book.py"], "make_book.py"), (["-m", "guidebook"], "python -m")]
)
def test_help_and_errors_use_that_name(tmp_path: Path, command: list[str], name: str) -> None:
    run = [sys.executable, *[str(REPO / c) if c.endswith(".py") else c for c in command]]
    usage = subprocess.run([*run, "--help"], capture_output=True, text=True, cwd=REPO)
    assert usage.stdout.startswith(f"usage: {name}")
    wrong = subprocess.run([*run, "biuld"], capture_output=True, text=True, cwd=tmp_path)
    assert f"{name}" in wrong.stderr and "did you mean 'build'?" in wrong.stderr
    assert wrong.returncode == 2


@pytest.mark.parametrize(
    ("book_yml", "line", "advice"),
    [
        ("title: Squat: the basics\n", 1, 'put the value in quotes (title: "Squat: the basics")'),
        ("title: A\n\tauthor: B\n", 2, "a tab; indent with spaces"),
        ('title: "Open\n', 2, "a quote opened and never closed"),
        ("title: @home\n", 1, "put the value in quotes"),
        ("title: x\nauthor\n", 3, "a line that is not 'key: value'; add the colon"),
    ],
)
def test_yaml_mistakes_say_what_to_do(
    tmp_path: Path, book_yml: str, line: int, advice: str
) -> None:
    root = copy_book("seedlike", tmp_path)
    (root / "book.yml").write_text(book_yml, encoding="utf-8")
    code, _, err = run_cli("check", "--content", "content", cwd=root)
    assert code == 1
    first = err.splitlines()[0]
    assert first.startswith(f"book.yml:{line}: error: book file: invalid YAML: ")
    assert advice in first and "(YAML: " in first


def test_content_that_is_a_file_is_not_a_folder(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("# Notes\n", encoding="utf-8")
    code, _, err = run_cli("build", "--content", "notes.md", cwd=tmp_path)
    assert code == 1
    assert "notes.md' is not a folder; give the folder that holds the chapters" in err


def test_quiet_prints_nothing_but_errors(tmp_path: Path) -> None:
    root = copy_book("seedlike", tmp_path)
    chapter = root / "content" / "guides" / "guide-warm-up-basics.md"
    chapter.write_text(
        chapter.read_text(encoding="utf-8") + "\n![](missing.png)\n", encoding="utf-8"
    )
    code, out, err = run_cli("build", "-q", "--targets", "epub", "--content", "content", cwd=root)
    assert code == 0 and out == "" and err == ""  # a warning, and quiet
    code, out, err = run_cli("build", "--targets", "epub", "--content", "content", cwd=root)
    assert "warning:" in err and "wrote " in out
    chapter.write_text("---\ntitle: [broken\n---\n", encoding="utf-8")
    code, out, err = run_cli("build", "-q", "--targets", "epub", "--content", "content", cwd=root)
    assert code == 1 and out == ""
    assert all("error" in line or "problem" in line for line in err.splitlines()), err


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("script") is None, reason="util-linux's script is not installed")
def test_a_terminal_gets_progress_bars_a_pipe_does_not(tmp_path: Path) -> None:
    root = copy_book("seedlike", tmp_path)
    command = (
        f"stty cols 100 rows 40; {sys.executable} {REPO / 'make_book.py'} build "
        "--targets pdf,sheets --content content --out out"
    )
    shown = subprocess.run(
        ["script", "-qec", command, "/dev/null"], capture_output=True, text=True, cwd=root
    ).stdout
    frames = [f for f in shown.replace("\r", "\n").splitlines() if "laying out the PDF" in f]
    assert any(re.search(r": \d+ pages \[", f) for f in frames), frames  # first layout: counted
    assert any(re.search(r"\| +\d+/\d+ \[", f) for f in frames), frames  # later: of a total
    lines = shown.replace("\r", "\n").splitlines()
    assert any(re.search(r"rendering: +\d+%\|.*\d+/2 \[", f) for f in lines), lines
    code, _, err = run_cli(
        "build", "--targets", "pdf", "--content", "content", "--out", "o2", cwd=root
    )
    assert code == 0 and "pages/s" not in err and "laying out" not in err
