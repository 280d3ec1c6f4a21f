"""`--pdf-variant pdf/ua-1`: a tagged PDF, read back with pypdf (the structure tree, the catalog,
the XMP) and checked with the `pdfua` checker from PyPI (its machine-checkable subset of PDF/UA-1:
0 findings)."""

from __future__ import annotations

import itertools
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import (
    SEEDS,
    Built,
    build_pdf,
    copy_book,
    copy_sample,
    needs_seeds,
    warning_lines,
)
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, NumberObject

PDFUA = Path(sys.executable).with_name("pdfua")


def _build_tagged(root: Path, *extra: str) -> Path:
    pdf, err = build_pdf(root, "--pdf-variant", "pdf/ua-1", *extra)
    assert not [w for w in warning_lines(err) if "alt" in w], err
    return pdf


@pytest.fixture(scope="module")
def tagged_seedlike(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_book("seedlike", tmp_path_factory.mktemp("ua"))
    return _build_tagged(root, "--content", "content")


@pytest.fixture(scope="module")
def tagged_withbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture book with a picture (an SVG) and a book.yml."""
    root = copy_book("withbook", tmp_path_factory.mktemp("ua"))
    return _build_tagged(root)


def _elements(reader: PdfReader) -> Iterator[DictionaryObject]:
    """Every structure element, depth first."""
    stack = [reader.trailer["/Root"]["/StructTreeRoot"]["/K"]]
    while stack:
        node = stack.pop()
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, ArrayObject):
            stack.extend(reversed(list(node)))
        elif isinstance(node, DictionaryObject) and "/S" in node:
            yield node
            if "/K" in node:
                stack.append(node["/K"])


def _marks_content(node: object) -> bool:
    """True when a structure element reaches a marked-content item (an MCID) of the page."""
    node = node.get_object() if hasattr(node, "get_object") else node
    if isinstance(node, NumberObject | int):
        return True
    if isinstance(node, ArrayObject):
        return any(_marks_content(kid) for kid in node)
    if isinstance(node, DictionaryObject):
        return node.get("/Type") == "/MCR" or ("/K" in node and _marks_content(node["/K"]))
    return False


def test_the_catalog_says_tagged_language_and_title(tagged_seedlike: Path) -> None:
    reader = PdfReader(tagged_seedlike)
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "en"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    assert reader.metadata is not None and reader.metadata.title
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert 'pdfuaid:part="1"' in xmp
    assert reader.pdf_header == "%PDF-1.7"


def test_headings_in_order_and_none_empty(tagged_seedlike: Path) -> None:
    elements = list(_elements(PdfReader(tagged_seedlike)))
    headings = [e for e in elements if str(e["/S"]) in ("/H1", "/H2", "/H3", "/H4")]
    assert len(headings) > 10
    assert all(_marks_content(h) for h in headings)
    levels = [int(str(h["/S"])[2]) for h in headings]
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), levels


def test_every_figure_has_alt_text(tagged_withbook: Path) -> None:
    figures = [e for e in _elements(PdfReader(tagged_withbook)) if e["/S"] == "/Figure"]
    assert figures
    assert all(str(f.get("/Alt", "")).strip() for f in figures)


def test_the_metadata_box_is_a_table_of_row_headers(tagged_seedlike: Path) -> None:
    """Each exercise's box: /TH cells with /Scope /Row, each /TD naming its header by an ID that
    the structure tree's /IDTree resolves to that very cell."""
    reader = PdfReader(tagged_seedlike)
    root = reader.trailer["/Root"]["/StructTreeRoot"]
    names = root["/IDTree"]["/Names"]
    ids = {str(names[i]): names[i + 1].get_object() for i in range(0, len(names), 2)}
    assert list(ids) == sorted(ids)
    rows = [e for e in _elements(reader) if e["/S"] == "/TR"]
    row_headed = 0
    for row in rows:
        cells = [k.get_object() for k in row["/K"]]
        headers = [c for c in cells if c["/S"] == "/TH"]
        assert all("/Scope" in h["/A"] for h in headers)
        for cell in (c for c in cells if c["/S"] == "/TD"):
            for header in cell["/A"].get("/Headers", []):
                assert ids[str(header)]["/S"] == "/TH"
        if [str(h["/A"]["/Scope"]) for h in headers] == ["/Row"]:
            (td,) = [c for c in cells if c["/S"] == "/TD"]
            assert ids[str(td["/A"]["/Headers"][0])] is not None
            row_headed += 1
    assert row_headed >= 6  # one exercise's box has six rows; the fixture has several


def _pdfua(pdf: Path) -> subprocess.CompletedProcess[str]:
    if not PDFUA.exists() and shutil.which("pdfua") is None:
        pytest.skip("the pdfua checker (pip install pdfua) is not installed")
    command = str(PDFUA) if PDFUA.exists() else "pdfua"
    return subprocess.run([command, "check", str(pdf)], capture_output=True, text=True, timeout=120)


def test_pdfua_check_finds_nothing(tagged_seedlike: Path, tagged_withbook: Path) -> None:
    for pdf in (tagged_seedlike, tagged_withbook):
        result = _pdfua(pdf)
        assert result.returncode == 0, result.stdout
        assert "errors=0 warnings=0" in result.stdout


@pytest.mark.slow
@pytest.mark.parametrize("book", ["sample", "seeds"])
def test_pdfua_check_on_the_sample_and_the_seeds(book: str, tmp_path: Path) -> None:
    if book == "seeds":
        needs_seeds()
        shutil.copytree(SEEDS, tmp_path / "content")
    else:
        copy_sample(tmp_path)
    pdf = _build_tagged(tmp_path, "--content", "content")
    result = _pdfua(pdf)
    assert result.returncode == 0, result.stdout


def test_an_untagged_build_stays_untagged(seedlike_build: Built) -> None:
    root = PdfReader(seedlike_build.pdf).trailer["/Root"]
    assert "/StructTreeRoot" not in root
