"""The book's PDF laid out in chunks by worker processes (`-j N`, render/parallel.py) has the
same pages as the one-process layout: the same count, the same text on every page (folios,
running heads, contents and index page numbers, "(p. N)" references), every named
destination, bookmark and link on the same page, the same page labels. Facts read back with
pypdf from real builds."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, Built, build_pdf, copy_book, copy_sample, run_cli
from pypdf import PdfReader

sys.path.insert(0, str(REPO / "benchmarks"))
from corpus import generate


def facts(pdf: Path) -> dict[str, Any]:
    """What a reader and a viewer see of the PDF, page by page."""
    reader = PdfReader(pdf)

    def outline(items: list[Any], depth: int = 0) -> list[tuple[int, str, int]]:
        found: list[tuple[int, str, int]] = []
        for item in items:
            if isinstance(item, list):
                found += outline(item, depth + 1)
            else:
                found.append((depth, item.title, reader.get_destination_page_number(item)))
        return found

    links = []
    for index, page in enumerate(reader.pages):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            action = annotation.get("/A")
            links.append((index, str(annotation.get("/Dest")), action and str(action["/URI"])))
    return {
        "pages": len(reader.pages),
        "text": [page.extract_text() for page in reader.pages],
        "destinations": {
            name: reader.get_destination_page_number(dest)
            for name, dest in reader.named_destinations.items()
        },
        "outline": outline(reader.outline),
        "labels": list(reader.page_labels),
        "links": links,
        "boxes": [(tuple(p.mediabox), tuple(p.trimbox), tuple(p.bleedbox)) for p in reader.pages],
    }


def assert_same(one: Path, chunked: Path) -> None:
    expected, got = facts(one), facts(chunked)
    assert got["pages"] == expected["pages"]
    for index, (want, have) in enumerate(zip(expected["text"], got["text"], strict=True)):
        assert have == want, f"page {index + 1} differs"
    for key in ("destinations", "outline", "labels", "links", "boxes"):
        assert got[key] == expected[key], key


def _both(root: Path, jobs: int, *options: str) -> tuple[Path, Path]:
    build_pdf(root, "-j", "1", "--out", "one", *options)
    _, err = build_pdf(root, "-j", str(jobs), "--out", "many", *options)
    assert "Traceback" not in err
    return root / "one" / "book.pdf", root / "many" / "book.pdf"


def test_a_small_book_in_chunks_has_the_pages_of_one_layout(
    withbook_build: Built, tmp_path: Path
) -> None:
    """Against the session's one-process build of the same book (conftest.py)."""
    many, err = build_pdf(copy_book("withbook", tmp_path), "-j", "3", "--no-cache")
    assert "Traceback" not in err and "PDF laid out in" in err
    assert_same(withbook_build.pdf, many)


@pytest.mark.slow
def test_bleed_marks_and_pdfx_survive_the_join(tmp_path: Path) -> None:
    options = ("--paper", "6x9", "--print", "kdp", "--bleed", "--pdf-variant", "pdf/x-4")
    one, many = _both(copy_book("seedlike", tmp_path), 3, *options)
    assert_same(one, many)
    root = PdfReader(many).trailer["/Root"]
    assert "/OutputIntents" in root and "/Metadata" in root


@pytest.mark.slow
def test_a_chunked_build_is_reproducible(tmp_path: Path) -> None:
    root = copy_book("withbook", tmp_path)
    os.environ["SOURCE_DATE_EPOCH"] = "1700000000"
    try:
        build_pdf(root, "-j", "3", "--out", "a")
        build_pdf(root, "-j", "3", "--out", "b")
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]
    assert (root / "a" / "book.pdf").read_bytes() == (root / "b" / "book.pdf").read_bytes()


@pytest.mark.slow
def test_a_tagged_pdf_is_laid_out_in_one_process(tmp_path: Path) -> None:
    """PDF/UA needs one structure tree: -j is not an error, the layout stays whole."""
    root = copy_book("withbook", tmp_path)
    pdf, err = build_pdf(root, "-j", "3", "--pdf-variant", "pdf/ua-1")
    assert "/StructTreeRoot" in PdfReader(pdf).trailer["/Root"]
    assert "PDF laid out in" not in err  # the chunked layout's summary line


def test_a_worker_that_fails_is_one_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A chunk WeasyPrint cannot lay out (with a layout override: here one that changes
    nothing, and a patched figure pass that raises, which the workers forked from this process
    inherit) stops the build with the one-line error of a one-process build; nothing is
    written."""
    from guidebook.render import chunked

    def fails(*_args: object, **_kwargs: object) -> None:
        raise ValueError("a layout that cannot be laid out")

    monkeypatch.setattr(chunked, "settle", fails)
    root = copy_book("withbook", tmp_path)
    override = root / "layouts" / "shared" / "titlepage.html.j2"
    override.parent.mkdir(parents=True)
    shutil.copy(REPO / "layouts" / "shared" / "titlepage.html.j2", override)
    code, _, err = run_cli("build", "--targets", "pdf", "-j", "2", "--out", "out", cwd=root)
    assert code == 1 and "Traceback" not in err
    assert "error: the pdf renderer failed on this layout (ValueError: a layout that" in err
    assert not (root / "out" / "book.pdf").exists()


def test_another_weasyprint_release_is_laid_out_in_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Renumbering reaches into WeasyPrint's internals: a release it was not tested with keeps
    the same names but may change what they do, so the book is laid out in one process."""
    import weasyprint

    monkeypatch.setattr(weasyprint, "__version__", "71.0")
    pdf, err = build_pdf(copy_book("withbook", tmp_path), "-j", "3")
    assert "PDF laid out in" not in err and len(PdfReader(pdf).pages) > 1


def test_jobs_from_the_environment_must_be_a_number(tmp_path: Path) -> None:
    root = copy_book("withbook", tmp_path)
    os.environ["GUIDEBOOK_JOBS"] = "many"
    try:
        code, _, err = run_cli("build", "--targets", "pdf", cwd=root)
    finally:
        os.environ["GUIDEBOOK_JOBS"] = "1"
    assert code == 2 and "GUIDEBOOK_JOBS='many': expected a number of processes" in err


@pytest.mark.slow
def test_the_sample_in_four_chunks_workers_has_the_pages_of_one_layout(tmp_path: Path) -> None:
    root = tmp_path / "sample"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "book.yml", root / "book.yml")
    assert_same(*_both(root, 4, "--content", "content"))


@pytest.mark.slow
def test_a_300_chapter_book_in_chunks_has_the_pages_of_one_layout(tmp_path: Path) -> None:
    """A generated book of 300 chapters (every one with related-exercise references to
    others, so nearly every chunk refers into others) at two trims."""
    root = tmp_path / "book"
    generate(root / "content", exercises=300, photos_per_chapter=0, seed=3)
    assert_same(*_both(root, 4, "--content", "content"))


@pytest.mark.slow
def test_chunks_written_early_take_their_real_pages_by_patches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """End to end: chunks written before the pages they refer to were known have them
    patched in (the workers, forked from this process, log each patch), and the book has the
    pages of one layout; the EPUB's page markers, read off the patched pages, are where the
    one-process layout puts them."""
    from guidebook.render import refpatch

    log = tmp_path / "patches.log"
    patch = refpatch.Held.patch

    def logged(held: refpatch.Held, real: dict[str, int]) -> bool:
        moved = sum(real.get(ref.anchor, ref.told) != ref.told for ref in held.references)
        done = patch(held, real)
        with log.open("a", encoding="utf-8") as file:
            file.write(f"{done} {moved}\n")
        return done

    monkeypatch.setattr(refpatch.Held, "patch", logged)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # the EPUBs' modification date
    root = tmp_path / "book"
    generate(root / "content", exercises=120, photos_per_chapter=0, seed=5)
    one, many = _both(root, 2, "--content", "content", "--no-cache", "--targets", "pdf,epub")
    assert_same(one, many)
    patches = [line.split() for line in log.read_text(encoding="utf-8").splitlines()]
    assert sum(1 for done, moved in patches if done == "True" and int(moved)) >= 3
    epubs = [next(pdf.parent.glob("*.epub")) for pdf in (one, many)]
    texts = [_xhtml(epub) for epub in epubs]
    assert texts[0] == texts[1] and sum(t.count('epub:type="pagebreak"') for t in texts[0]) > 100


def _xhtml(epub: Path) -> list[str]:
    with zipfile.ZipFile(epub) as book:
        names = sorted(n for n in book.namelist() if n.endswith((".xhtml", ".opf")))
        return [book.read(name).decode("utf-8") for name in names]


def _processes_in(folder: Path) -> list[int]:
    """The processes whose working folder is `folder`."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if not entry.name.isdigit() or (entry / "cwd").resolve() != folder.resolve():
                continue
            if (entry / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z":  # not a zombie
                found.append(int(entry.name))
        except OSError:
            continue
    return found


@pytest.mark.slow
def test_the_workers_end_when_the_command_is_killed(tmp_path: Path) -> None:
    """Killed with SIGKILL, the command leaves nothing running: not its layout workers, not
    the process that carries their queues."""
    root = copy_sample(tmp_path / "book")
    command = [sys.executable, str(REPO / "make_book.py"), "build", "--format", "pdf", "-j",
               "2", "--no-cache", "--out", "out"]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(command, cwd=root, env=env, stderr=subprocess.PIPE, text=True)
    assert process.stderr is not None
    for line in process.stderr:
        if line.startswith("rendering pdf"):
            break
    deadline = time.monotonic() + 30
    while len(_processes_in(root)) < 4 and time.monotonic() < deadline:  # with 3 children
        time.sleep(0.1)
    assert len(_processes_in(root)) >= 4, "the workers did not start"
    process.kill()
    process.wait()
    deadline = time.monotonic() + 10
    while _processes_in(root) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _processes_in(root) == []
