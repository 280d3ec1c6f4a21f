"""The README documents every key the schemas accept, so the docs cannot drift from the code."""

from pathlib import Path

import pytest

from guidebook.config import BOOK_FIELDS
from guidebook.frontmatter import CHAPTER_FIELDS

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("key", [f.name for f in BOOK_FIELDS], ids=str)
def test_readme_documents_book_key(key: str) -> None:
    assert f"| `{key}` |" in README


@pytest.mark.parametrize(
    "key", [name for f in CHAPTER_FIELDS for name in (f.name, *f.aliases)], ids=str
)
def test_readme_documents_front_matter_key(key: str) -> None:
    assert f"`{key}`" in README
