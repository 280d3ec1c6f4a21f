"""Absurdly deep nesting never crashes: it is flattened with a warning, or refused with an error."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli

from guidebook.convert.tree import MAX_DEPTH, limit_depth, parse_fragment, text_of


def test_limit_depth_keeps_the_text_below_the_limit() -> None:
    root = parse_fragment("<div>" * 50 + "deep <b>words</b>" + "</div>" * 50)
    assert limit_depth(root, max_depth=10)
    depth, element = 0, root
    while len(element):
        element, depth = element[0], depth + 1
    assert depth == 11  # ten levels kept; the eleventh holds the rest as text
    assert text_of(root) == "deep words"


def test_limit_depth_leaves_ordinary_chapters_alone() -> None:
    root = parse_fragment("<ul><li>one<ul><li>two</li></ul></li></ul><p>text</p>")
    assert not limit_depth(root)


def test_deep_quotes_build_with_a_warning(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "deep.md").write_text("# Deep\n\n" + "> " * 400 + "quoted\n", encoding="utf-8")
    code, out, err = run_cli("build", "--content", content, "--out", tmp_path / "out")
    assert code == 0, err
    assert f"content nested more than {MAX_DEPTH} levels deep" in err
    assert "book.pdf" in out and "book.epub" in out


@pytest.mark.slow
def test_nesting_too_deep_for_markdown_is_an_error_not_a_crash(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    deep = "".join("    " * i + "- item\n" for i in range(400))
    (content / "list.md").write_text("# Deep list\n\n" + deep, encoding="utf-8")
    code, _, err = run_cli("build", "--content", content, "--out", tmp_path / "out")
    assert code == 1
    assert "list.md: error: lists or quotes are nested too deeply to convert" in err
    assert not (tmp_path / "out").exists()
