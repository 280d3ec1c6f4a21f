"""Hostile content folders: a book file or layout override that arrives with downloaded
content must not touch anything outside --out nor run code."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import REPO, copy_book, run_cli


def _project(tmp_path: Path, book_yml: str) -> Path:
    content = tmp_path / "proj" / "content"
    content.mkdir(parents=True)
    (content / "squat.md").write_text("# Squat\n\nText.\n", encoding="utf-8")
    (content / "book.yml").write_text(book_yml, encoding="utf-8")
    (tmp_path / "proj" / "notes.txt").write_text("keep\n", encoding="utf-8")
    return content


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize(
    "name", ["..", ".", "../../x", "ABSOLUTE", "a/b", ".hidden", "-rf", "x\\y", ""]
)
def test_output_must_be_a_plain_name(tmp_path: Path, name: str) -> None:
    name = name.replace("ABSOLUTE", str(tmp_path / "abs-out"))
    content = _project(tmp_path, f"title: T\noutput: '{name}'\n")
    before = _tree(tmp_path)
    out = tmp_path / "proj" / "build"
    code, _out, err = run_cli(
        "build", "--content", content, "--out", out, "--format", "html,epub", "-q"
    )
    assert code == 1
    assert f"{content / 'book.yml'}:2: error: book file: output:" in err
    assert "Traceback" not in err
    assert _tree(tmp_path) == before  # nothing created, changed or deleted
    assert not (tmp_path / "abs-out.epub").exists()


@pytest.mark.parametrize(("fmt", "folder"), [("html", "book"), ("epub", "book.epub")])
def test_foreign_folder_in_out_is_never_replaced(tmp_path: Path, fmt: str, folder: str) -> None:
    """A folder the builder did not write, where an output goes: the HTML folder without the
    marker, or a folder named like the EPUB."""
    content = _project(tmp_path, "title: T\n")
    out = tmp_path / "proj" / "build"
    (out / folder).mkdir(parents=True)
    (out / folder / "thesis.txt").write_text("years of work\n", encoding="utf-8")
    code, _out, err = run_cli("build", "--content", content, "--out", out, "--format", fmt)
    assert code == 1
    assert "was not written by this builder" in err
    assert (out / folder / "thesis.txt").read_text(encoding="utf-8") == "years of work\n"


@pytest.mark.parametrize("name", ["book", "guide.pdf"])  # a folder whatever its name ends in
def test_own_html_folder_is_replaced(tmp_path: Path, name: str) -> None:
    content = _project(tmp_path, f"title: T\noutput: {name}\n")
    out = tmp_path / "proj" / "build"
    for _ in range(2):
        code, _out, err = run_cli(
            "build", "--content", content, "--out", out, "--format", "html", "-q"
        )
        assert code == 0, err
    assert (out / name / "index.html").is_file()
    assert (out / name / ".guidebook-output").is_file()


# Template-injection payloads: each would create MARKER if the template could run Python.
PAYLOADS = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__.os.system('touch MARKER') }}",
    "{{ joiner.__init__.__globals__['os'].popen('touch MARKER').read() }}",
    "{{ self._TemplateReference__context.cycler.__init__.__globals__.os.system('touch MARKER') }}",
    "{{ lipsum.__globals__['os'].system('touch MARKER') }}",
    "{% set x = namespace() %}{{ x.__init__.__globals__ }}",
    "{{ book.__class__.__init__.__globals__['os'].system('touch MARKER') }}",
    "{% set d = {} %}{{ d.update({'a': 1}) }}",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_layout_override_cannot_run_code(tmp_path: Path, payload: str) -> None:
    content = _project(tmp_path, "title: T\n")
    marker = tmp_path / "proj" / "MARKER"
    override = content / "layouts" / "shared"
    override.mkdir(parents=True)
    builtin = Path(__file__).parents[1] / "layouts" / "shared" / "titlepage.html.j2"
    text = builtin.read_text(encoding="utf-8").replace("MARKER", str(marker))
    (override / "titlepage.html.j2").write_text(
        payload.replace("MARKER", str(marker)) + "\n" + text, encoding="utf-8"
    )
    out = tmp_path / "proj" / "build"
    code, _out, err = run_cli(
        "build", "--content", content, "--out", out, "--format", "html", cwd=tmp_path / "proj"
    )
    assert not marker.exists()
    assert "Traceback" not in err
    if code != 0:
        assert "error: layout:" in err


BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
)


def test_yaml_alias_bomb_in_book_file_is_refused(tmp_path: Path) -> None:
    content = _project(tmp_path, "title: T\n" + BOMB)
    code, _out, err = run_cli("check", "--content", content)
    assert code == 1
    assert "aliases (*name) are not allowed" in err
    assert "Traceback" not in err


def test_yaml_alias_bomb_in_front_matter_is_refused(tmp_path: Path) -> None:
    content = _project(tmp_path, "title: T\n")
    (content / "squat.md").write_text("---\n" + BOMB + "---\n# Squat\n\nText.\n", encoding="utf-8")
    code, _out, err = run_cli("check", "--content", content)
    assert code == 1
    assert f"{content / 'squat.md'}:3: error: front matter: invalid YAML: aliases" in err


def test_yaml_alias_bomb_in_program_is_refused(tmp_path: Path) -> None:
    content = _project(tmp_path, "title: T\n")
    program = tmp_path / "proj" / "block.yml"
    program.write_text(BOMB, encoding="utf-8")
    code, _out, err = run_cli("program", program, "--content", content, "--out", tmp_path / "o")
    assert code == 1
    assert "aliases (*name) are not allowed" in err
    assert not (tmp_path / "o").exists()


@pytest.mark.slow
def test_many_identical_headings_get_unique_ids_in_order() -> None:
    from lxml import etree

    from guidebook.convert.ids import assign_ids

    # An explicit id that a generated suffix would also produce must not be given twice.
    body = '<h2 id="same-3">Set</h2>' + "<h2>Same</h2>" * 20_000
    root = etree.fromstring(f"<div>{body}</div>")
    assign_ids(root, "c")
    ids = [e.get("id") for e in root]
    assert len(set(ids)) == len(ids)
    assert ids[:4] == ["c--same-3", "c--same", "c--same-2", "c--same-4"]
    assert ids[-1] == "c--same-20001"


@pytest.mark.parametrize("special", ["/dev/zero", "fifo"])
def test_book_file_that_is_not_a_regular_file_is_refused(tmp_path: Path, special: str) -> None:
    import os

    content = _project(tmp_path, "title: T\n")
    if special == "fifo":
        special = str(tmp_path / "fifo")
        os.mkfifo(special)
    code, _out, err = run_cli("check", "--content", content, "--book", special)
    assert code == 1
    assert "cannot read the book file: it is not a regular file" in err


def test_a_layout_weasyprint_cannot_lay_out_is_one_error(tmp_path: Path) -> None:
    """An override's CSS can reach code in WeasyPrint that raises (here: a leader inside an
    inline block); the build says so in one line and writes nothing."""
    root = copy_book("seedlike", tmp_path)
    override = root / "layouts" / "pdf" / "book.html.j2"
    override.parent.mkdir(parents=True)
    built_in = (REPO / "layouts" / "pdf" / "book.html.j2").read_text(encoding="utf-8")
    override.write_text(
        built_in.replace(
            '<style id="geometry">',
            '<style>.toc-parts { display: inline-block; width: 50%; }</style><style id="geometry">',
        ),
        encoding="utf-8",
    )
    code, _, err = run_cli("build", "--targets", "pdf", "--content", "content", cwd=root)
    assert code == 1 and "Traceback" not in err
    assert "error: the pdf renderer failed on this layout (ValueError: " in err
    assert "check the CSS of the layout overrides in layouts" in err
    assert not (root / "build" / "book.pdf").exists()
