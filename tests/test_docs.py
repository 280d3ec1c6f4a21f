"""The README documents every key the schemas accept, so the docs cannot drift from the code;
defaults are declared once (the dataclasses), and the README's defaults are those."""

from pathlib import Path

import pytest

from guidebook.config import BOOK_FIELDS, load_config
from guidebook.diagnostics import Reporter
from guidebook.frontmatter import CHAPTER_FIELDS
from guidebook.model import BookConfig
from guidebook.printables.program import PROGRAM
from guidebook.schema import Field, Schema, default_of

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("key", [f.name for f in BOOK_FIELDS], ids=str)
def test_readme_documents_book_key(key: str) -> None:
    assert f"| `{key}` |" in README


@pytest.mark.parametrize(
    "key", [name for f in CHAPTER_FIELDS for name in (f.name, *f.aliases)], ids=str
)
def test_readme_documents_front_matter_key(key: str) -> None:
    assert f"`{key}`" in README


def _nested(schema: Schema) -> list[Field]:
    return [f for field in schema.fields for f in (field, *(_nested(field.of) if field.of else []))]


@pytest.mark.parametrize("key", sorted({f.name for f in _nested(PROGRAM)}), ids=str)
def test_readme_documents_program_key(key: str) -> None:
    assert f"| `{key}` |" in README


def test_fields_declare_no_defaults() -> None:
    """A default lives in the dataclass a schema fills, nowhere else."""
    assert not any(hasattr(f, "default") for f in (*BOOK_FIELDS, *CHAPTER_FIELDS))


BOOK_TABLE = README.split("## The book file")[1].split("\n## ")[0]


@pytest.mark.parametrize(
    "spec",
    [f for f in BOOK_FIELDS if isinstance(default_of(BookConfig, f), str)],
    ids=lambda f: f.name,
)
def test_readme_book_default_is_the_dataclass_default(spec: Field) -> None:
    (row,) = [line for line in BOOK_TABLE.splitlines() if line.startswith(f"| `{spec.name}` |")]
    assert row.endswith(f"| `{default_of(BookConfig, spec)}` |")


def test_a_book_file_without_keys_gives_the_dataclass_defaults(tmp_path: Path) -> None:
    book = tmp_path / "book.yml"
    book.write_text("# nothing set\n", encoding="utf-8")
    loaded = load_config(book, Reporter(sink=None))
    assert loaded.config == BookConfig(path=book)
