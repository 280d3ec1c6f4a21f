"""One pipeline: every output is a target behind the renderer contract, built from one load.

The registry, the contract (a target of our own added in a test builds like the others), one
`build --targets` producing the book and the printables as one set, the old spellings, and
diagnostics limited to what is printed.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import cast, get_args

import pytest
from conftest import REPO, copy_book, copy_sample, run_cli, warning_lines
from pypdf import PdfReader

from guidebook import targets
from guidebook.build import LAYOUT_CACHE
from guidebook.cache import CACHE_FILE, OutputCache
from guidebook.contract import Needs, Output, RenderContext, Renderer
from guidebook.model import Paper, Target
from guidebook.render.session import PAPERS

PROGRAM = REPO / "programs" / "beginner-block.yml"


def test_the_registry_names_every_target_once() -> None:
    assert list(targets.REGISTRY) == ["html", "pdf", "epub", "cover", "handout", "sheet", "card"]
    for name, target in targets.REGISTRY.items():
        assert target.name == name
        assert isinstance(target.needs, Needs)
        assert isinstance(target, targets.Deferred)
        assert target.target.name == name and target.target.needs == target.needs
    assert set(targets.ALIASES.values()) <= set(targets.REGISTRY)
    assert set(get_args(Target)) == set(targets.REGISTRY)


def test_the_paper_table_covers_every_paper() -> None:
    assert set(PAPERS) == set(get_args(Paper))


def test_the_contract_is_one_short_module() -> None:
    lines = (REPO / "guidebook" / "contract.py").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 90  # the interface, its inputs, and what targets hand over


class ChapterList(Renderer):
    """A target written for this test: the chapter titles, one per line."""

    name = "list"
    needs = Needs()

    def render(self, context: RenderContext) -> list[Output]:
        final = context.out_dir / "chapters.txt"
        (path,) = context.staging.claim([final])
        titles = [doc.chapter.title for doc in context.edition.chapters]
        path.write_text("\n".join(titles) + "\n", encoding="utf-8")
        return [Output(final, f"{len(titles)} titles")]


@pytest.fixture
def with_list_target(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    registry = {**targets.REGISTRY, cast(Target, "list"): ChapterList()}
    monkeypatch.setattr(targets, "REGISTRY", registry)
    monkeypatch.setattr("guidebook.build.REGISTRY", registry)
    monkeypatch.setattr("guidebook.cli.REGISTRY", registry)
    yield


def test_a_new_target_is_a_class_and_a_registry_line(
    tmp_path: Path, with_list_target: None
) -> None:
    book = copy_book("seedlike", tmp_path)
    code, stdout, stderr = run_cli("build", "--targets", "list,epub", "--out", "out", cwd=book)
    assert code == 0, stderr
    assert "wrote out/chapters.txt: 4 titles" in stdout
    assert (book / "out" / "chapters.txt").read_text(encoding="utf-8").count("\n") == 4
    assert (book / "out" / "book.epub").is_file()
    assert stderr.count("loaded ") == 1  # one load for both targets


@pytest.mark.slow
def test_one_build_writes_the_book_and_the_printables_from_one_load(tmp_path: Path) -> None:
    project = copy_sample(tmp_path / "project")
    code, stdout, stderr = run_cli(
        "build",
        "--targets",
        "pdf,epub,handouts,sheets,cards",
        "--program",
        PROGRAM,
        "--only",
        "goblet-squat,plank",
        "--out",
        "out",
        cwd=project,
    )
    assert code == 0, stderr
    assert stderr.count("loaded ") == 1 and stderr.count("converted ") == 1
    out = project / "out"
    assert (out / "book.pdf").is_file() and (out / "book.epub").is_file()
    assert sorted(p.name for p in (out / "handouts").iterdir()) == ["goblet-squat.pdf", "plank.pdf"]
    assert sorted(p.name for p in (out / "sheets").iterdir()) == ["goblet-squat.pdf", "plank.pdf"]
    assert len(list((out / "cards").glob("*.pdf"))) == 2
    assert stdout.count("wrote ") == 2 + 2 + 2 + 2
    assert stderr.splitlines()[-1].startswith("done: 8 written, 0 unchanged, 0 warnings (")
    for sheet in (out / "sheets").iterdir():
        assert len(PdfReader(sheet).pages) == 1


@pytest.mark.slow
def test_one_failed_target_writes_nothing_of_any_target(tmp_path: Path) -> None:
    """A sheet that cannot fit one page fails the build: the PDF and EPUB, made before it,
    are not put in place either, and the closing line says nothing was written."""
    book = copy_book("seedlike", tmp_path)
    muscles = ", ".join(f"muscle {n}" for n in range(2000))
    (book / "content" / "exercises" / "wide.md").write_text(
        f"---\ntitle: Wide\ntarget_muscles: {muscles}\n---\n\n1. Stand.\n", "utf-8"
    )
    code, stdout, stderr = run_cli(
        "build", "--targets", "pdf,epub,sheets", "--out", "out", cwd=book
    )
    assert code == 1
    assert "does not fit on one page" in stderr
    assert stderr.splitlines()[-1].endswith("to fix; no output was written")
    assert stdout == ""
    assert not (book / "out").exists()


def test_the_old_spellings_still_work(tmp_path: Path) -> None:
    book = copy_book("seedlike", tmp_path)
    code, stdout, stderr = run_cli("build", "--format", "epub", "--out", "out", cwd=book)
    assert code == 0, stderr
    assert stdout.startswith("wrote out/book.epub: 4 chapters, ")
    code, _, stderr = run_cli("program", "--help")
    assert code == 0


@pytest.mark.slow
def test_warnings_follow_what_is_printed(tmp_path: Path) -> None:
    """The seedlike guide has a dead site link: sheets alone do not print the guide and say
    nothing of it; the book printed with the sheets does."""
    book = copy_book("seedlike", tmp_path)
    code, _, stderr = run_cli("sheets", "--out", "out", cwd=book)
    assert code == 0 and warning_lines(stderr) == []
    code, _, stderr = run_cli("build", "--targets", "epub,sheets", "--out", "out", cwd=book)
    assert code == 0 and len(warning_lines(stderr)) == 1
    assert "guide-glute-training.md:64" in warning_lines(stderr)[0]


def _imports(module: Path) -> set[str]:
    """The guidebook modules `module` imports."""
    tree = ast.parse(module.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {name for name in names if name.startswith("guidebook")}


# Who may import whom: each stage sees only the stages before it and shared data, never the
# orchestrator or the command line above it.
LAYERS = {
    "guidebook/load": ("guidebook.convert", "guidebook.render", "guidebook.printables"),
    "guidebook/convert": ("guidebook.load", "guidebook.render", "guidebook.printables"),
    "guidebook/render": ("guidebook.load", "guidebook.convert", "guidebook.printables"),
    "guidebook/printables": ("guidebook.load", "guidebook.targets"),
    "guidebook/contract.py": ("guidebook.load", "guidebook.convert", "guidebook.printables"),
    "guidebook/training.py": ("guidebook.load", "guidebook.convert", "guidebook.render"),
}
ABOVE = ("guidebook.cli", "guidebook.build", "guidebook.targets")
SHARED = {"guidebook.convert.tree"}  # XHTML tree helpers: parse, serialise, unwrap


@pytest.mark.parametrize("folder", sorted(LAYERS))
def test_stages_never_import_what_comes_after_them(folder: str) -> None:
    where = REPO / folder
    for module in sorted(where.rglob("*.py")) if where.is_dir() else [where]:
        for name in _imports(module) - SHARED:
            forbidden = LAYERS[folder] + ABOVE
            assert not name.startswith(forbidden), f"{module.relative_to(REPO)} imports {name}"


def test_every_module_is_under_300_lines() -> None:
    for module in sorted((REPO / "guidebook").rglob("*.py")):
        lines = len(module.read_text(encoding="utf-8").splitlines())
        assert lines <= 300, f"{module.relative_to(REPO)} has {lines} lines"


def test_the_html_folder_and_the_printables_never_collide(tmp_path: Path) -> None:
    """`output: handouts` names the HTML folder `<out>/handouts`, where the handouts go too:
    refused before anything is written, in words, not as a disk error found while moving."""
    book = copy_book("seedlike", tmp_path)
    (book / "book.yml").write_text("title: Collide\noutput: handouts\n", encoding="utf-8")
    code, stdout, stderr = run_cli("build", "--targets", "html,handouts", "--out", "out", cwd=book)
    assert code == 1, stderr
    assert "two outputs of this build collide: 'out/handouts/" in stderr
    assert "would be inside 'out/handouts'; choose another 'output:'" in stderr
    assert "cannot write" not in stderr
    assert stdout == "" and not (book / "out").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--targets", "pdf,epub", "--program", PROGRAM], "--program: only the sheet and card"),
        (["--targets", "handouts", "--roster", "team.csv"], "--roster: only the sheet and card"),
        (["--targets", "html", "--only", "plank"], "--only: only the handout and sheet"),
    ],
)
def test_an_option_no_requested_target_uses_is_a_usage_error(
    tmp_path: Path, args: list[object], message: str
) -> None:
    """A program or roster given to targets that never read them was read (its mistakes
    failing a PDF build) or silently ignored."""
    book = copy_book("seedlike", tmp_path)
    (book / "team.csv").write_text("name\nAna\n", encoding="utf-8")
    code, stdout, stderr = run_cli("build", *args, "--out", "out", cwd=book)
    assert code == 2
    assert message in stderr
    assert stdout == "" and not (book / "out").exists()


def test_a_cache_that_cannot_be_written_loses_only_the_cache(tmp_path: Path) -> None:
    """`.guidebook-cache.json` as a folder: remembering fails, leaves no temporary file and
    says so; it is not a disk error about outputs already in place."""
    (tmp_path / CACHE_FILE).mkdir()
    cache = OutputCache.load(tmp_path)
    assert cache.entries == {}
    assert not cache.remember([Output(tmp_path / "sheets" / "a.pdf", "1 page", key="k")])
    assert sorted(p.name for p in tmp_path.iterdir()) == [CACHE_FILE]


@pytest.mark.slow
def test_a_build_whose_cache_cannot_be_written_succeeds(tmp_path: Path) -> None:
    book = copy_book("seedlike", tmp_path)
    (book / "out" / CACHE_FILE).mkdir(parents=True)
    code, stdout, stderr = run_cli("sheets", "glute-bridge", "-j", "1", "--out", "out", cwd=book)
    assert code == 0, stderr
    assert stdout.startswith("wrote out/sheets/glute-bridge.pdf: 1 page")
    assert f"note: cannot record what the outputs were made from in {CACHE_FILE}" in stderr
    assert sorted(p.name for p in (book / "out").iterdir()) == [CACHE_FILE, LAYOUT_CACHE, "sheets"]
