"""Trims, print-on-demand margins, bleed and crop marks: the geometry's rules, and the PDF's
page boxes and word positions read back with pypdf and poppler's `pdftotext -bbox`."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import get_args

import pytest
from conftest import REPO, copy_book, run_cli, warning_lines
from pypdf import PdfReader

from guidebook.build import BuildRequest, build
from guidebook.diagnostics import Reporter
from guidebook.model import PrintSetup, Trim
from guidebook.render import trim
from guidebook.render.trim import INCH, TRIMS, geometry, inside_margin

PT = 72 / INCH  # points per mm
TRIM_NAMES = get_args(Trim)


# --- the geometry, without a layout ------------------------------------------------------------


def test_every_trim_has_a_design() -> None:
    assert set(TRIMS) == set(TRIM_NAMES)


@pytest.mark.parametrize("name", TRIM_NAMES)
def test_every_design_clears_the_printers_margins(name: Trim) -> None:
    """KDP: 0.25 in outside (0.375 with bleed); Ingram: 0.5 in on every side."""
    design = TRIMS[name]
    for press in ("kdp", "ingram"):
        setup = PrintSetup(trim=name, press=press, bleed=True)  # type: ignore[arg-type]
        floor = 0.5 * INCH if press == "ingram" else 0.375 * INCH
        for pages in (30, 200, 400, 600, 800):
            assert inside_margin(setup, pages) >= max(floor, trim.gutter_band(pages))
        assert min(design.top, design.bottom, design.outside) >= floor


@pytest.mark.parametrize("name", TRIM_NAMES)
def test_the_text_column_is_a_readable_measure(name: Trim) -> None:
    """About 60 to 80 characters a line at the trim's type size (a character of Charis is
    about half an em wide)."""
    design = TRIMS[name]
    text = design.width - design.inside - design.outside - design.side
    characters = text / (design.font_pt / PT * 0.5 * 0.95)
    assert 60 <= characters <= 82, characters


@pytest.mark.parametrize(
    ("pages", "kdp_inches"),
    [(24, 0.375), (150, 0.375), (151, 0.5), (300, 0.5), (301, 0.625), (501, 0.75), (828, 0.875)],
)
def test_the_inside_margin_grows_with_the_page_count(pages: int, kdp_inches: float) -> None:
    """Each band of KDP's table adds what the table adds to the design's own margin."""
    design = TRIMS["6x9"]
    grown = design.inside + (kdp_inches - 0.375) * INCH
    assert inside_margin(PrintSetup(trim="6x9", press="kdp"), pages) == pytest.approx(
        grown, abs=0.01
    )
    assert inside_margin(PrintSetup(trim="6x9"), pages) == design.inside  # no preset: the design's


def test_geometry_css_names_the_page_size_and_the_bleed_sides() -> None:
    css = geometry(PrintSetup(trim="6x9", bleed=True)).css
    assert "size: 152.4mm 228.6mm;" in css
    assert "bleed-top: 3.175mm; bleed-bottom: 3.175mm;" in css
    assert "@page :right { bleed-left: 0mm; bleed-right: 3.175mm; }" in css
    assert "marks" not in css
    plain = geometry(PrintSetup(trim="a4")).css
    assert "bleed" not in plain.split("}", 1)[1]  # no bleed declared on the page at all


def test_printables_print_on_office_paper() -> None:
    papers = {name: PrintSetup(trim=name).paper for name in TRIM_NAMES}
    assert papers == {
        "a4": "a4",
        "a5": "a4",
        "letter": "letter",
        "8.5x11": "letter",
        "7x10": "letter",
        "6x9": "letter",
        "5.5x8.5": "letter",
    }


# --- built PDFs --------------------------------------------------------------------------------


def _pdf(tmp_path: Path, *options: str, book: str = "withbook") -> tuple[Path, str]:
    """The fixture book's PDF built with `options`, and what the build printed."""
    root = copy_book(book, tmp_path / "book")
    code, stdout, stderr = run_cli("build", "--format", "pdf", "--out", "out", *options, cwd=root)
    assert code == 0, stderr
    return root / "out" / "book.pdf", stdout + stderr


def _boxes(pdf: Path) -> list[dict[str, list[float]]]:
    pages = PdfReader(pdf).pages
    return [
        {
            name: [round(float(v), 2) for v in getattr(page, name)]
            for name in ("mediabox", "trimbox", "bleedbox")
        }
        for page in pages
    ]


@pytest.mark.slow
@pytest.mark.parametrize("name", TRIM_NAMES)
def test_the_page_is_the_trim(tmp_path: Path, name: Trim) -> None:
    pdf, _ = _pdf(tmp_path, "--paper", name)
    design = TRIMS[name]
    size = [0, 0, round(design.width * PT, 2), round(design.height * PT, 2)]
    for boxes in _boxes(pdf):
        assert boxes["mediabox"] == pytest.approx(size, abs=0.05)
        assert boxes["trimbox"] == boxes["mediabox"]


@pytest.mark.slow
def test_bleed_extends_the_outer_edges_only(tmp_path: Path) -> None:
    pdf, stdout = _pdf(tmp_path, "--paper", "6x9", "--bleed")
    assert "pages, 6 × 9 in, bleed" in stdout
    bleed = 0.125 * 72
    width, height = 6 * 72, 9 * 72
    for index, boxes in enumerate(_boxes(pdf)):
        recto = index % 2 == 0  # page 1 is a right-hand page
        outer = [0, -bleed, width + bleed, height + bleed]
        inner = [-bleed, -bleed, width, height + bleed]
        assert boxes["trimbox"] == [0, 0, width, height]
        assert boxes["bleedbox"] == pytest.approx(outer if recto else inner, abs=0.01)
        assert boxes["mediabox"] == boxes["bleedbox"]


@pytest.mark.slow
def test_crop_marks_sit_outside_the_bleed(tmp_path: Path) -> None:
    pdf, _ = _pdf(tmp_path, "--paper", "6x9", "--bleed", "--crop-marks")
    bleed, room = 0.125 * 72, 0.25 * 72
    for index, boxes in enumerate(_boxes(pdf)):
        media, bleedbox, trimbox = boxes["mediabox"], boxes["bleedbox"], boxes["trimbox"]
        assert trimbox == [0, 0, 432, 648]
        assert bleedbox[1] == pytest.approx(-bleed, abs=0.01)  # the art's bleed, not the marks'
        assert media[1] == pytest.approx(-bleed - room, abs=0.01)
        spine = media[0] if index % 2 == 0 else media[2] - 432
        assert abs(spine) == pytest.approx(room, abs=0.01)  # marks at the spine, no bleed there


def _words(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Each page's words with their boxes (x0, y0, x1, y1, in points from the top left)."""
    layout = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = []
    for page in layout.split("<page ")[1:]:
        found = re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<',
            page,
        )
        pages.append([(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in found])
    return pages


@pytest.mark.slow
@pytest.mark.parametrize("name", TRIM_NAMES)
def test_every_word_is_in_ingrams_live_area(tmp_path: Path, name: Trim) -> None:
    """Ingram: nothing printed within 0.5 in of any edge (running heads and folios too)."""
    pdf, _ = _pdf(tmp_path, "--paper", name, "--print", "ingram")
    edge = 0.5 * 72
    width, height = TRIMS[name].width * PT, TRIMS[name].height * PT
    for number, words in enumerate(_words(pdf), start=1):
        for x0, y0, x1, y1, word in words:
            assert x0 >= edge and y0 >= edge, (number, word)
            assert x1 <= width - edge and y1 <= height - edge, (number, word)


@pytest.mark.slow
def test_a_book_in_a_higher_band_is_laid_out_again_with_a_wider_gutter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page count is known only after a layout: with bands small enough that the fixture
    book lands in the third, its text moves out to that band's inside margin, on right-hand
    pages from the left edge and on left-hand pages from the right one."""
    monkeypatch.setattr(trim, "GUTTER_BANDS", ((3, 0.375), (6, 0.5), (400, 0.625)))
    root = copy_book("withbook", tmp_path / "book")
    reporter = Reporter(sink=None)
    request = BuildRequest(root / "content", root / "out", ("pdf",), paper="6x9", press="kdp")
    (output,) = build(request, reporter, lambda _line: None)
    pages = PdfReader(output.path).pages
    assert len(pages) > 6
    inside = (TRIMS["6x9"].inside + 0.25 * INCH) * PT
    outside = TRIMS["6x9"].outside * PT
    assert f"inside margin {inside / PT:.1f} mm (kdp)" in output.summary
    words = _words(output.path)
    for index, page in enumerate(words[4:], start=4):  # past the title page and contents
        if not page:
            continue
        left = min(x0 for x0, *_ in page)
        right = 432 - max(x1 for _x0, _y0, x1, *_ in page)
        if index % 2 == 0:
            assert left == pytest.approx(inside, abs=1.0), index
        else:
            assert right >= outside - 1 and left >= outside - 1, index
            assert 432 - inside - max(x1 for _x0, _y0, x1, *_ in page) > -1.0


@pytest.mark.slow
def test_print_on_demand_warnings(tmp_path: Path) -> None:
    _, printed = _pdf(tmp_path, "--paper", "6x9", "--print", "kdp", "--crop-marks")
    lines = "\n".join(warning_lines(printed))
    assert "KDP prints paperbacks of 24 to 828 pages" in lines
    assert "crop marks are on, and KDP refuses interiors with marks" in lines


@pytest.mark.slow
def test_sheets_of_an_inch_trim_print_on_letter(tmp_path: Path) -> None:
    root = copy_book("withbook", tmp_path / "book")
    code, _, stderr = run_cli(
        "build", "--targets", "sheets", "--paper", "6x9", "--out", "out", cwd=root
    )
    assert code == 0, stderr
    sheets = sorted((root / "out" / "sheets").glob("*.pdf"))
    assert sheets
    box = PdfReader(sheets[0]).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


@pytest.mark.slow
def test_the_book_file_sets_the_print_production(tmp_path: Path) -> None:
    root = copy_book("withbook", tmp_path / "book")
    book = root / "book.yml"
    text = book.read_text(encoding="utf-8").replace("paper: letter\n", "")
    book.write_text(text + "paper: 5.5x8.5\nprint: kdp\nbleed: true\n", encoding="utf-8")
    code, stdout, stderr = run_cli("build", "--format", "pdf", "--out", "out", cwd=root)
    assert code == 0, stderr
    assert "5.5 × 8.5 in, inside margin" in stdout and "(kdp), bleed" in stdout
    media = PdfReader(root / "out" / "book.pdf").pages[0].mediabox
    assert round(float(media.width), 1) == round(5.5 * 72 + 9, 1)


@pytest.mark.slow
@pytest.mark.parametrize("name", TRIM_NAMES)
def test_the_sample_book_builds_at_every_trim_with_bleed(tmp_path: Path, name: Trim) -> None:
    """The sample, not a fixture: no warning, and every page the trim plus the bleed."""
    out = tmp_path / "out"
    code, stdout, stderr = run_cli(
        "build", "--format", "pdf", "--paper", name, "--bleed", "--out", out, cwd=REPO
    )
    assert code == 0, stderr
    assert "0 warnings" in stderr and f"pages, {TRIMS[name].label}, bleed" in stdout
    reader = PdfReader(out / "book.pdf")
    width, height = TRIMS[name].width * PT, TRIMS[name].height * PT
    for page in reader.pages:
        trimbox = [round(float(v), 1) for v in page.trimbox]
        assert trimbox == [0, 0, round(width, 1), round(height, 1)]
        assert float(page.mediabox.width) == pytest.approx(width + 9, abs=0.05)
        assert float(page.mediabox.height) == pytest.approx(height + 18, abs=0.05)
