"""Every kind of bad input a writer produces, through the command line as they would meet it.

One case per mistake: the exact lines printed (file, line where known, what to do), the exit
code, no traceback; warnings let the build finish and fail it under --strict. Image problems
have their own module (test_images.py), escapes theirs (test_sandbox.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import run_cli


@dataclass(frozen=True)
class Case:
    files: dict[str, str | bytes]
    code: int
    lines: list[str]
    extra: dict[str, str] = field(default_factory=dict)


NO_OUTPUT = "make_book: {} to fix; no output was written"

CASES = {
    "front matter is not valid YAML": Case(
        {"squat.md": "---\ntitle: [Squat\nbody_part: legs\n---\n# Squat\n"},
        1,
        [
            "content/squat.md:3: error: front matter: invalid YAML: expected ',' or ']', "
            "but got ':'",
            NO_OUTPUT.format("1 problem"),
        ],
    ),
    "unknown front matter key": Case(
        {"squat.md": "---\ntitle: Squat\nequipmnt: barbell\n---\nText\n"},
        1,
        [
            "content/squat.md:3: error: front matter: unknown key 'equipmnt' "
            "(did you mean 'equipment'?)",
            NO_OUTPUT.format("1 problem"),
        ],
    ),
    "front matter values of the wrong type": Case(
        {"squat.md": "---\ntitle: Squat\nsecondary_muscles: 12\ndifficulty: [a, b]\n---\nT\n"},
        1,
        [
            "content/squat.md:3: error: front matter: secondary_muscles: expected a list of "
            "texts or one comma-separated text, got int 12",
            "content/squat.md:4: error: front matter: difficulty: expected a text, "
            "got list ['a', 'b']",
            NO_OUTPUT.format("2 problems"),
        ],
    ),
    "a chapter with no title anywhere": Case(
        {"squat.md": "Just some words, no heading.\n"},
        1,
        [
            "content/squat.md:1: error: the chapter has no title; start it with a '# Title' "
            "line or add 'title:' to its front matter",
            NO_OUTPUT.format("1 problem"),
        ],
    ),
    "a Windows-1252 file from a word processor": Case(
        {"stretch.md": "# Café Stretch\n\n“Quoted” – dash\n".encode("cp1252")},
        0,
        [
            "content/stretch.md:1: warning: the file is not UTF-8; read it as Windows-1252. "
            "Save it as UTF-8 to silence this",
        ],
    ),
    "a binary file with a .md name": Case(
        {"squat.md": b"OTTO\x00\x0b\x00\x80\x00\x03\x00\x30CFF \x00\x00"},
        1,
        [
            "content/squat.md: error: this is not a text file (it contains NUL bytes); "
            "remove it or rename it so it does not end in .md",
            NO_OUTPUT.format("1 problem"),
        ],
    ),
    "an empty file": Case(
        {"squat.md": ""},
        1,
        [
            "content/squat.md: error: the file is empty; write the chapter or delete the file",
            NO_OUTPUT.format("1 problem"),
        ],
    ),
    "a missing image": Case(
        {"squat.md": "# Squat\n\n![Bottom position](img/bottom.png)\n"},
        0,
        [
            "content/squat.md:3: warning: image 'img/bottom.png' does not exist (paths are "
            "relative to the chapter's folder); left out",
        ],
    ),
    "two chapters with the same slug": Case(
        {"a/plank.md": "# Plank\n", "b/plank.md": "# Plank\n"},
        1,
        [
            "content/b/plank.md: error: two chapters have the slug 'plank' (the other is "
            "content/a/plank.md); rename one file or set 'slug:' in its front matter",
            NO_OUTPUT.format("1 problem"),
        ],
    ),
    "links to chapters or anchors that do not exist": Case(
        {
            "squat.md": "# Squat\n\nSee [the plank](plank.md), [grip](#grip-width) and "
            "[deadlift](deadlift.md#setup).\n",
            "deadlift.md": "# Deadlift\n\n## Stance\n",
        },
        0,
        [
            "content/squat.md:3: warning: link 'plank.md' points to no chapter of the book; "
            "printed as plain text",
            "content/squat.md:3: warning: link '#grip-width' names '#grip-width', which is not "
            "a heading or id in this chapter; printed as plain text",
            "content/squat.md:3: warning: link 'deadlift.md#setup' names '#setup', which is not "
            "a heading or id in chapter 'deadlift'; printed as plain text",
        ],
    ),
}


def write_book(folder: Path, files: dict[str, str | bytes]) -> Path:
    for name, data in files.items():
        path = folder / "content" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    return folder


def diagnostics(stderr: str) -> list[str]:
    return [
        line
        for line in stderr.splitlines()
        if ": error: " in line or ": warning: " in line or line.startswith("make_book: ")
    ]


@pytest.mark.parametrize("name", CASES)
def test_bad_input_gets_its_message_and_exit_code(tmp_path: Path, name: str) -> None:
    case = CASES[name]
    book = write_book(tmp_path, case.files)
    code, stdout, stderr = run_cli("build", "--format", "epub", "--out", "out", cwd=book)
    assert "Traceback" not in stdout + stderr
    assert (code, diagnostics(stderr)) == (case.code, case.lines)
    assert (book / "out" / "book.epub").exists() == (code == 0)
    if code == 0:  # a warning: --strict makes it a failure, with the same lines
        code, _, stderr = run_cli(
            "build", "--strict", "--format", "epub", "--out", "strict", cwd=book
        )
        assert code == 1
        assert diagnostics(stderr)[: len(case.lines)] == case.lines
        assert not (book / "strict").exists()


def test_check_reports_the_same_lines_without_writing(tmp_path: Path) -> None:
    case = CASES["front matter values of the wrong type"]
    book = write_book(tmp_path, case.files)
    code, _, stderr = run_cli("check", cwd=book)
    assert (code, diagnostics(stderr)[:-1]) == (1, case.lines[:-1])
    assert sorted(p.name for p in book.iterdir()) == ["content"]
