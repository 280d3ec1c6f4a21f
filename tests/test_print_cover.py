"""The print cover: a sheet as wide as back, spine and front, the spine as thick as the
interior, 0.125 in of bleed all round, spine text only where a spine can carry it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import copy_book, run_cli
from pypdf import PdfReader

from guidebook.model import PrintSetup
from guidebook.render.printcover import STOCK_INCHES, cover_sheet, spine_text
from guidebook.render.trim import INCH

PT = 72 / INCH


@pytest.mark.parametrize(("pages", "stock"), [(120, "white"), (400, "cream")])
def test_the_spine_is_as_thick_as_the_interior(pages: int, stock: str) -> None:
    sheet = cover_sheet(PrintSetup(trim="6x9"), pages, stock)
    assert sheet.spine == pytest.approx(pages * STOCK_INCHES[stock] * INCH, abs=0.01)
    assert sheet.width == pytest.approx(2 * 152.4 + sheet.spine)


def test_a_thin_spine_carries_no_text() -> None:
    setup = PrintSetup(trim="6x9")
    assert spine_text(99, cover_sheet(setup, 99, "white")) is None  # KDP: from 100 pages
    size = spine_text(100, cover_sheet(setup, 100, "white"))
    assert size is not None and size <= 11
    spine = cover_sheet(setup, 100, "white").spine
    assert size / PT <= spine - 2 * 0.0625 * INCH  # clear of both folds


@pytest.mark.slow
def test_the_cover_sheet_has_bleed_all_round(tmp_path: Path) -> None:
    root = copy_book("withbook", tmp_path / "book")
    code, stdout, stderr = run_cli(
        "build", "--targets", "pdf,cover", "--paper", "6x9", "--out", "out", cwd=root
    )
    assert code == 0, stderr
    interior = len(PdfReader(root / "out" / "book.pdf").pages)
    (page,) = PdfReader(root / "out" / "book-cover.pdf").pages
    spine = interior * STOCK_INCHES["white"] * 72
    width = 2 * 6 * 72 + spine
    assert [float(v) for v in page.trimbox] == pytest.approx([0, 0, width, 9 * 72], abs=0.05)
    bleed = 0.125 * 72
    expected = [-bleed, -bleed, width + bleed, 9 * 72 + bleed]
    assert [float(v) for v in page.bleedbox] == pytest.approx(expected, abs=0.05)
    assert [float(v) for v in page.mediabox] == pytest.approx(expected, abs=0.05)
    said = re.search(r"spine (\d\.\d{3}) in \((\d+) pages, white paper\)", stdout)
    assert said and int(said[2]) == interior, stdout
    assert float(said[1]) == pytest.approx(spine / 72, abs=0.0006)  # printed to 0.001 in
    text = " ".join(page.extract_text().split())
    assert "Hinge and Bridge Handbook" in text and "Ida Testwright" in text


def test_the_cover_needs_the_interior_in_the_same_build(tmp_path: Path) -> None:
    code, _, stderr = run_cli("build", "--targets", "cover", cwd=tmp_path)
    assert code == 2
    assert "the cover target needs the pdf target in the same build" in stderr
