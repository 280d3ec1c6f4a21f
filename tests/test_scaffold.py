"""`init` and `new` through the real command line: a new book builds at once, new chapters pass
`check`, nothing is ever replaced, and a project's archetypes win but stay inert text."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import epubcheck_messages, run_cli

from guidebook.config import BOOK_FIELDS


def test_init_new_check_build(tmp_path: Path) -> None:
    code, out, err = run_cli("init", "my-strength-book", cwd=tmp_path)
    assert code == 0, err
    book = tmp_path / "my-strength-book"
    assert sorted(p.relative_to(book).as_posix() for p in book.rglob("*") if p.is_file()) == [
        ".gitignore",
        "book.yml",
        "content/exercises/glute-bridge.md",
        "content/guides/warm-up-basics.md",
    ]
    assert "wrote my-strength-book/book.yml" in out
    code, out, err = run_cli(
        "new", "exercise", "Bulgarian Split Squat", "--equipment", "Dumbbell",
        "--target", "Quadriceps", "--difficulty", "intermediate", cwd=book,
    )  # fmt: skip
    assert code == 0, err
    chapter = book / "content" / "exercises" / "bulgarian-split-squat.md"
    text = chapter.read_text(encoding="utf-8")
    assert text.startswith("# Bulgarian Split Squat\n")
    assert "- **Equipment:** Dumbbell\n" in text and "- **Difficulty:** Intermediate\n" in text
    code, _, err = run_cli("new", "guide", "Deload Weeks: When and How", cwd=book)
    assert code == 0, err
    guide = (book / "content" / "guides" / "deload-weeks-when-and-how.md").read_text("utf-8")
    assert yaml.safe_load(guide.split("---")[1])["title"] == "Deload Weeks: When and How"
    code, _, err = run_cli("check", cwd=book)
    assert code == 0 and "check passed, 0 warnings" in err, err
    code, out, err = run_cli("build", cwd=book)
    assert code == 0, err
    assert "4 chapters" in out and (book / "build" / "book.pdf").is_file()
    assert (book / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "/build/"


@pytest.mark.slow
def test_the_new_book_passes_epubcheck(tmp_path: Path) -> None:
    assert run_cli("init", "b", cwd=tmp_path)[0] == 0
    assert run_cli("new", "exercise", "Goblet Squat", cwd=tmp_path / "b")[0] == 0
    assert run_cli("build", cwd=tmp_path / "b")[0] == 0
    assert epubcheck_messages(tmp_path / "b" / "build" / "book.epub") == ()


def test_the_book_file_names_every_key_and_reads_as_yaml(tmp_path: Path) -> None:
    folder = tmp_path / "hip_and-knee book"
    assert run_cli("init", folder)[0] == 0
    text = (folder / "book.yml").read_text(encoding="utf-8")
    for field in BOOK_FIELDS:
        assert f"# {field.name}: " in text or f"{field.name}: " in text, field.name
    assert yaml.safe_load(text) == {"title": "Hip And Knee Book"}  # from the folder's name
    for line in (ln[2:] for ln in text.splitlines() if ln.startswith("# ") and ": " in ln):
        if line.split(":")[0] in {f.name for f in BOOK_FIELDS}:
            yaml.safe_load(line.split("    # or:")[0])  # every example is valid YAML


def test_init_refuses_a_folder_with_files_and_force_replaces_nothing(tmp_path: Path) -> None:
    (tmp_path / "book.yml").write_text("title: Mine\n", encoding="utf-8")
    code, out, err = run_cli("init", cwd=tmp_path)
    assert code == 2 and "is not empty; choose a new folder, or add --force" in err
    assert list(tmp_path.iterdir()) == [tmp_path / "book.yml"]
    code, out, err = run_cli("init", "--force", cwd=tmp_path)
    assert code == 0, err
    assert (tmp_path / "book.yml").read_text(encoding="utf-8") == "title: Mine\n"
    assert "kept book.yml (it was there already)" in out
    assert (tmp_path / "content" / "guides" / "warm-up-basics.md").is_file()


def test_new_never_replaces_a_chapter(tmp_path: Path) -> None:
    assert run_cli("init", cwd=tmp_path)[0] == 0
    code, _, err = run_cli("new", "exercise", "Glute  Bridge", cwd=tmp_path)
    assert code == 2
    assert "content/exercises/glute-bridge.md' exists already; pick another name" in err
    assert "Quick answer" in (tmp_path / "content/exercises/glute-bridge.md").read_text("utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--difficulty", "expert"], "--difficulty: 'expert' is not one of Beginner,"),
        (["--equipment", "**bold**"], "--equipment: write plain words"),
        (["--target", "${title}"], "--target: write plain words"),
    ],
)
def test_new_checks_its_values(tmp_path: Path, args: list[str], message: str) -> None:
    code, _, err = run_cli("new", "exercise", "Split Squat", *args, cwd=tmp_path)
    assert code == 2 and message in err
    assert not (tmp_path / "content").exists()


def test_a_project_archetype_wins_and_stays_text(tmp_path: Path) -> None:
    assert run_cli("init", cwd=tmp_path)[0] == 0
    (tmp_path / "archetypes").mkdir()
    (tmp_path / "archetypes" / "exercise.md").write_text(
        "# $title\n\n- **Body Part:** $body_part\n\n"
        "{{ ''.__class__.__mro__ }} ${__import__('os')} $undefined_thing $$5\n",
        encoding="utf-8",
    )
    code, _, err = run_cli("new", "exercise", "Sissy Squat", "--body-part", "Legs", cwd=tmp_path)
    assert code == 0, err
    text = (tmp_path / "content" / "exercises" / "sissy-squat.md").read_text("utf-8")
    assert text == (
        "# Sissy Squat\n\n- **Body Part:** Legs\n\n"
        "{{ ''.__class__.__mro__ }} ${__import__('os')} $undefined_thing $5\n"
    )


def test_a_guide_named_with_quotes_has_valid_front_matter(tmp_path: Path) -> None:
    code, _, err = run_cli("new", "guide", 'The "Big Three" Lifts\\', cwd=tmp_path)
    assert code == 0, err
    text = (tmp_path / "content/guides/the-big-three-lifts.md").read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("---")[1])
    assert front["title"] == "The 'Big Three' Lifts"
    assert front["keywords"] == "the 'big three' lifts"
    code, _, err = run_cli("check", cwd=tmp_path)
    assert code == 0 and "check passed, 0 warnings" in err, err
