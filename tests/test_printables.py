"""Coaches' printables: handouts, one-page form sheets, session cards; facts read off the PDFs.

Print rules checked on every sheet: exactly one page on A4 and on Letter, the page size asked
for, text at 7 pt or more, the form's own lines at 0.75 pt or more, everything inside the
184 x 253 mm box centred on the page (inside 210 x 279 mm with 12.7 mm to spare), and a QR code
that a real decoder reads back as the chapter's address.
"""

from __future__ import annotations

import itertools
import math
import re
import shutil
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import zxingcpp
from conftest import REPO, copy_sample, run_cli
from pypdf import PdfReader
from pypdf.generic import ContentStream

from guidebook.printables import outlines, rules

MM = 72 / 25.4  # PDF points per millimetre
PAGE_MM = {"a4": (210.0, 297.0), "letter": (215.9, 279.4)}
BOX_MM = (184.0, 253.0)
Matrix = tuple[float, float, float, float, float, float]


@dataclass(frozen=True)
class Glyphs:
    sizes: list[tuple[float, str]]  # (size in pt, text)
    points: list[tuple[float, float]]  # text origins in mm from the top-left corner


def multiply(a: Matrix, b: Matrix) -> Matrix:
    return (
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    )


def scale(m: Matrix) -> float:
    return math.sqrt(abs(m[0] * m[3] - m[1] * m[2]))


def glyphs(path: Path) -> Glyphs:
    page = PdfReader(path).pages[0]
    height = float(page.mediabox.height)
    sizes: list[tuple[float, str]] = []
    points: list[tuple[float, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: object, size: float) -> None:
        if text.strip():
            m = multiply(tuple(tm), tuple(cm))  # type: ignore[arg-type]
            sizes.append((size * scale(m), text.strip()))
            points.append((m[4] / MM, (height - m[5]) / MM))

    page.extract_text(visitor_text=visit)
    return Glyphs(sizes, points)


def form_line_widths(path: Path) -> list[float]:
    """Stroke widths in pt drawn at the page's own scale (images and the QR code scale theirs)."""
    reader = PdfReader(path)
    page = reader.pages[0]
    ctm: Matrix = (1, 0, 0, 1, 0, 0)
    stack: list[Matrix] = []
    base: float | None = None
    widths = []
    for operands, op in ContentStream(page.get_contents(), reader).operations:
        if op == b"q":
            stack.append(ctm)
        elif op == b"Q":
            ctm = stack.pop()
        elif op == b"cm":
            ctm = multiply(tuple(float(x) for x in operands), ctm)  # type: ignore[arg-type]
            base = scale(ctm) if base is None or len(stack) <= 1 else base
        elif op == b"w" and base is not None and math.isclose(scale(ctm), base):
            widths.append(float(operands[0]) * scale(ctm))
    return widths


def decoded_qr(path: Path) -> list[tuple[str, float]]:
    """(text, symbol width in mm) of every QR code a decoder finds on page 1 at 300 dpi."""
    image = pdfium.PdfDocument(str(path))[0].render(scale=300 / 72).to_pil()
    found = []
    for code in zxingcpp.read_barcodes(image):
        corners = code.position
        width_px = math.dist(
            (corners.top_left.x, corners.top_left.y), (corners.top_right.x, corners.top_right.y)
        )
        found.append((code.text, width_px / 300 * 25.4))
    return found


# --- books ------------------------------------------------------------------------------------

LONG_STEP = (
    "Set up with your feet under the bar and take a grip just outside your legs, then pull the "
    "slack out of the bar while you breathe in and brace hard against your belt; lower yourself "
    "under control to the start, keeping the bar close (tight lats) and the chest proud, and "
    "drive up through the whole foot, breathing out past the sticking point"
)
LONG_MISTAKE = (
    "Letting the hips shoot up first so the back takes the load, which turns the lift into a "
    "stiff-legged pull and puts the lower back at risk when the weights get heavy"
)


def long_exercise(n: int) -> str:
    steps = "\n".join(f"{i}. {LONG_STEP}." for i in range(1, 10 + n))
    mistakes = "\n".join(f"- {LONG_MISTAKE}." for _ in range(4 + n))
    return (
        f"---\ntitle: A Very Long Exercise Name Number {n} With Several Words In It\n"
        "body_part: Legs\nequipment: [Barbell, Lifting belt, Chalk]\n"
        "target_muscles: [Quadriceps, Glutes]\n"
        "secondary_muscles: [Hamstrings, Adductors, Erector spinae, Core, Upper back]\n"
        f"difficulty: Advanced\nvideo: https://video.example.org/lift-{n}\n---\n\n"
        f"## Quick answer\n\nA long one.\n\n## How to perform\n\n{steps}\n\n"
        f"## Common mistakes\n\n{mistakes}\n"
    )


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_sample(tmp_path_factory.mktemp("sample"))


@pytest.fixture(scope="module")
def long_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    book = tmp_path_factory.mktemp("long")
    (book / "content").mkdir()
    for n in range(0, 12, 3):
        (book / "content" / f"long-{n}.md").write_text(long_exercise(n), encoding="utf-8")
    return book


def sheets(book: Path, paper: str, *extra: str) -> Path:
    out = book / f"out-{paper}"
    code, _, stderr = run_cli("sheets", "--paper", paper, "--out", out, "-q", *extra, cwd=book)
    assert code == 0, stderr
    return out / "sheets"


@pytest.fixture(scope="module", params=["a4", "letter"])
def sample_sheets(request: pytest.FixtureRequest, sample: Path) -> Iterator[tuple[str, Path]]:
    yield request.param, sheets(sample, request.param)


@pytest.fixture(scope="module", params=["a4", "letter"])
def long_sheets(request: pytest.FixtureRequest, long_book: Path) -> Iterator[tuple[str, Path]]:
    yield request.param, sheets(long_book, request.param)


EXERCISES = sorted(p.stem for p in (REPO / "content" / "exercises").glob("*.md"))


# --- sheets: one page, print rules ------------------------------------------------------------


def check_print_rules(path: Path, paper: str) -> None:
    reader = PdfReader(path)
    assert len(reader.pages) == 1, f"{path.name}: {len(reader.pages)} pages"
    box = reader.pages[0].mediabox
    width, height = PAGE_MM[paper]
    assert (round(float(box.width) / MM, 1), round(float(box.height) / MM, 1)) == (width, height)
    found = glyphs(path)
    left, top = (width - BOX_MM[0]) / 2, (height - BOX_MM[1]) / 2
    for (x, y), (size, text) in zip(found.points, found.sizes, strict=True):
        if size < 6:  # lettering inside a thumbnail drawing, scaled with the picture
            continue
        assert size >= 7 - 0.01, f"{path.name}: {text!r} at {size:.2f} pt"
        assert left - 0.1 <= x <= left + BOX_MM[0] and top - 0.1 <= y <= top + BOX_MM[1], (
            f"{path.name}: {text!r} at ({x:.1f}, {y:.1f}) mm is outside the box"
        )
    widths = form_line_widths(path)  # stroked lines, if any (borders are drawn as fills)
    assert all(w >= 0.75 - 0.001 for w in widths), f"{path.name}: a line of {min(widths)} pt"


def test_every_rule_the_printables_draw_is_at_least_0_75_pt() -> None:
    """Borders read off the stylesheet; the grid and notes rules drawn into the page (rules.py)
    are 1 CSS px, which is 0.75 pt."""
    css = (REPO / "assets" / "css" / "printables.css").read_text(encoding="utf-8")
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    widths = [
        float(n) * (1 if unit == "pt" else MM)
        for n, unit in re.findall(r"border(?:-[a-z]+)*(?:-width)?:\s*([\d.]+)(pt|mm)", css)
    ]
    assert len(widths) > 10 and min(widths) >= 0.75
    assert rules.LINE_PX * 0.75 >= 0.75


@pytest.mark.slow
def test_every_sample_exercise_has_one_sheet_of_one_page(sample_sheets: tuple[str, Path]) -> None:
    paper, folder = sample_sheets
    assert sorted(p.stem for p in folder.glob("*.pdf")) == EXERCISES
    for path in folder.glob("*.pdf"):
        check_print_rules(path, paper)


@pytest.mark.slow
def test_long_exercises_keep_every_step_while_they_can(long_sheets: tuple[str, Path]) -> None:
    """9 steps of 400 characters fit whole (two columns, smaller type); 18 such steps cannot,
    and that sheet says how many cues it leaves out."""
    paper, folder = long_sheets
    assert len(list(folder.glob("*.pdf"))) == 4
    for path in folder.glob("*.pdf"):
        check_print_rules(path, paper)
        text = PdfReader(path).pages[0].extract_text()
        assert "more in the handout" not in text and "…" not in text
    whole = " ".join(PdfReader(folder / "long-0.pdf").pages[0].extract_text().split())
    assert "see the book" not in whole
    assert whole.count("drive up through the whole foot, breathing out past the sticking") == 9
    cut = " ".join(PdfReader(folder / "long-9.pdf").pages[0].extract_text().split())
    assert re.search(r"\d+ more cues of the 18 steps: see the book", cut)


@pytest.mark.slow
def test_a_sheet_holds_the_exercise_facts_and_the_form(sample_sheets: tuple[str, Path]) -> None:
    _paper, folder = sample_sheets
    text = " ".join(PdfReader(folder / "goblet-squat.pdf").pages[0].extract_text().split())
    for expected in (
        "Goblet Squat",
        "LEGS · KETTLEBELL · BEGINNER",
        "Target: Quadriceps",
        "Secondary: Glutes, Adductors, Core",
        "TECHNIQUE CHECKLIST",
        "Setup",
        "Lowering",
        "Pushing",
        "Push the floor away through your whole foot to stand up",
        "WATCH FOR",
        "Letting the bell drift away from your chest",
        "LOG",
        "NOTES",
    ):
        assert expected in text, expected
    # The form's fixed words are drawn as outlines (outlines.py): each one's path is in the page.
    drawn = PdfReader(folder / "goblet-squat.pdf").pages[0].get_contents().get_data()
    labels = ("ATHLETE", "COACH", "DATE", "PROGRAM", "WEEK", "DAY", "1RM", "SET", "LOAD", "REPS")
    for label in (*labels, "RPE / RIR", "TEMPO", "REST", "NOTES"):
        assert outlines._path(label, 7.0, "semibold", 0.05) in drawn, label
    for words, size in (("Pass", 9.0), ("Needs work", 9.0), ("Print at 100 % (actual size)", 7.0)):
        assert outlines._path(words, size, "regular", 0.0) in drawn, words
    assert outlines._path("Web page", 7.0, "regular", 0.0) in drawn


def drawn_rects(path: Path) -> list[tuple[str, float, float, float, float]]:
    """(fill colour, x, y, w, h) in mm of the rectangles the renderer draws into the page after
    layout (rules.py, qr.py): everything after its "0.75 0 0 0.75 0 0 cm"."""
    reader = PdfReader(path)
    found, ours, colour = [], False, ""
    for operands, op in ContentStream(reader.pages[0].get_contents(), reader).operations:
        if op == b"cm" and [float(x) for x in operands] == [0.75, 0, 0, 0.75, 0, 0]:
            ours = True
        elif ours and op == b"rg":
            colour = " ".join(f"{float(x):.3f}" for x in operands)
        elif ours and op == b"re":
            x, y, w, h = (float(v) * 0.75 / MM for v in operands)
            found.append((colour, x, y, w, h))
    return found


@pytest.mark.slow
def test_the_log_grid_and_notes_rows_leave_room_to_write(sample_sheets: tuple[str, Path]) -> None:
    """Rows at least 7 mm high; the notes in whole 7.5 mm rows from their heading down (the
    frame's height is a whole number of rows, the first one as high as the others)."""
    _paper, folder = sample_sheets
    for path in folder.glob("*.pdf"):
        rects = drawn_rects(path)
        wide = sorted({round(y, 2) for _c, _x, y, w, h in rects if w > 100 and h < 0.5})
        gaps = [b - a for a, b in itertools.pairwise(wide)]
        assert len(wide) >= 6 and min(gaps) >= 7 - 0.05, (path.name, gaps)
        faint = sorted(y for c, _x, y, w, _h in rects if c == "0.600 0.600 0.600" and w > 100)
        assert {round(b - a, 2) for a, b in itertools.pairwise(faint)} == {7.5}, path.name
        top = faint[0] - 7.5  # the first row starts at the notes heading (rules are 0.26 mm)
        (notes,) = {
            round(h, 3)
            for c, _x, y, w, h in rects
            if c == "0.333 0.333 0.333" and w < 0.5 and abs(y - top) < 0.3
        }
        assert round(notes / 7.5, 2).is_integer() and notes >= 3 * 7.5, (path.name, notes)


@pytest.mark.slow
def test_the_qr_code_reads_back_as_the_chapter_address(sample_sheets: tuple[str, Path]) -> None:
    _paper, folder = sample_sheets
    ((text, width),) = decoded_qr(folder / "goblet-squat.pdf")
    assert text == "https://example.com/exercises/goblet-squat"  # chapter_url (no url, no video)
    assert width >= 19  # finder-pattern corners: the symbol itself prints 20.5 mm


@pytest.mark.slow
def test_a_video_address_wins_and_the_code_is_vector(long_sheets: tuple[str, Path]) -> None:
    _paper, folder = long_sheets
    ((text, _width),) = decoded_qr(folder / "long-3.pdf")
    assert text == "https://video.example.org/lift-3"
    reader = PdfReader(folder / "long-3.pdf")
    resources = reader.pages[0]["/Resources"]
    assert "/XObject" not in resources or not any(
        x.get_object().get("/Subtype") == "/Image" for x in resources["/XObject"].values()
    )


@pytest.mark.slow
def test_no_qr_code_without_an_address(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "plank.md").write_text(
        "---\nbody_part: Core\n---\n# Plank\n\n## How to perform\n\n1. Lie down.\n"
        "2. Push up and hold.\n",
        encoding="utf-8",
    )
    folder = sheets(tmp_path, "a4")
    assert decoded_qr(folder / "plank.pdf") == []


# --- roster, cache, parallel ------------------------------------------------------------------


@pytest.mark.slow
def test_a_roster_gives_one_named_sheet_per_athlete(sample: Path, tmp_path: Path) -> None:
    roster = tmp_path / "team.csv"
    roster.write_text("name,goblet squat\nAna Silva,40\nBo Chen,\n", encoding="utf-8")
    out = tmp_path / "out"
    code, _, stderr = run_cli(
        "sheets", "--roster", roster, "--out", out, "-q", "goblet-squat", "plank", cwd=sample
    )
    assert code == 0, stderr
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*.pdf")) == [
        "sheets/ana-silva/goblet-squat.pdf",
        "sheets/ana-silva/plank.pdf",
        "sheets/bo-chen/goblet-squat.pdf",
        "sheets/bo-chen/plank.pdf",
    ]
    text = PdfReader(out / "sheets" / "ana-silva" / "goblet-squat.pdf").pages[0].extract_text()
    assert "Ana Silva" in text and "40" in text


@pytest.mark.slow
def test_unchanged_sheets_are_skipped_and_a_changed_one_is_redone(
    sample: Path, tmp_path: Path
) -> None:
    book = tmp_path / "book"
    shutil.copytree(sample / "content", book / "content")
    code, _, stderr = run_cli("sheets", "--out", "out", cwd=book)
    assert code == 0 and "done: 10 written, 0 unchanged" in stderr
    before = {p.name: p.stat().st_mtime_ns for p in (book / "out" / "sheets").iterdir()}
    plank = book / "content" / "exercises" / "plank.md"
    plank.write_text(plank.read_text().replace("Holding your breath", "Holding the breath"))
    code, _, stderr = run_cli("sheets", "--out", "out", cwd=book)
    assert code == 0 and "done: 1 written, 9 unchanged" in stderr
    after = {p.name: p.stat().st_mtime_ns for p in (book / "out" / "sheets").iterdir()}
    assert [name for name in before if before[name] != after[name]] == ["plank.pdf"]


@pytest.mark.slow
def test_parallel_and_serial_rendering_give_the_same_sheets(sample: Path, tmp_path: Path) -> None:
    texts = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"j{jobs}"
        code, _, stderr = run_cli("sheets", "-j", jobs, "--out", out, "-q", cwd=sample)
        assert code == 0, stderr
        texts[jobs] = {
            p.name: PdfReader(p).pages[0].extract_text() for p in (out / "sheets").iterdir()
        }
    assert texts["1"] == texts["2"]


def test_unknown_slugs_are_errors_with_a_suggestion(sample: Path, tmp_path: Path) -> None:
    code, _, stderr = run_cli("sheets", "--out", tmp_path, "goblet-sqat", cwd=sample)
    assert code == 1
    assert "error: no exercise with the slug 'goblet-sqat' (did you mean 'goblet-squat'?)" in stderr
    code, _, stderr = run_cli("sheets", "--out", tmp_path, "warm-up-routine", cwd=sample)
    assert code == 1 and "no exercise with the slug 'warm-up-routine'" in stderr


# --- handouts ----------------------------------------------------------------------------------


@pytest.mark.slow
def test_handouts_are_one_standalone_pdf_per_chapter(sample: Path, tmp_path: Path) -> None:
    code, _, stderr = run_cli("handouts", "--out", tmp_path, "-q", cwd=sample)
    assert code == 0, stderr
    names = sorted(p.stem for p in (tmp_path / "handouts").glob("*.pdf"))
    guides = sorted(p.stem for p in (REPO / "content" / "guides").glob("*.md"))
    assert names == sorted(EXERCISES + guides)
    reader = PdfReader(tmp_path / "handouts" / "goblet-squat.pdf")
    first = reader.pages[0].extract_text()
    assert "Goblet Squat" in first and "STRONG FOUNDATIONS" in first
    assert "Contents" not in first
    pages = len(reader.pages)
    assert f"Page {pages} of {pages}" in reader.pages[-1].extract_text()
    # Links to other chapters cannot be followed inside a handout: they go to the website.
    uris = [
        a.get_object()["/A"].get("/URI")
        for page in reader.pages
        for a in page.get("/Annots", [])
        if "/A" in a.get_object()
    ]
    assert "https://example.com/exercises/plank" in uris  # plank.md: no video: chapter_url


def test_the_epub_never_carries_printables(sample: Path, tmp_path: Path) -> None:
    code, _, stderr = run_cli("build", "--format", "epub", "--out", tmp_path, cwd=sample)
    assert code == 0, stderr
    with zipfile.ZipFile(tmp_path / "book.epub") as zf:
        text = b"".join(zf.read(n) for n in zf.namelist() if n.endswith(".xhtml"))
    assert b"Technique checklist" not in text and b"RPE / RIR" not in text


@pytest.mark.slow
def test_every_word_of_the_samples_steps_is_on_its_sheet(sample_sheets: tuple[str, Path]) -> None:
    from test_checklist import steps_of
    from test_sheets_real import in_order

    _paper, folder = sample_sheets
    for slug in EXERCISES:
        found = re.findall(r"\w+", PdfReader(folder / f"{slug}.pdf").pages[0].extract_text())
        for step in steps_of(REPO / "content" / "exercises" / f"{slug}.md"):
            assert in_order(re.findall(r"\w+", step), found), (slug, step)


def test_a_well_formed_layout_is_read_by_the_xml_parser_and_anything_else_by_weasyprint() -> None:
    from guidebook.render.fetcher import SandboxFetcher
    from guidebook.render.session import _xhtml

    fetcher = SandboxFetcher({})
    page = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"/></head><body>x</body></html>'
    )
    assert _xhtml(page, fetcher) is not None
    for other in (
        page.replace('"utf-8"/>', '"utf-8">'),  # HTML, not XML: WeasyPrint's parser
        '<!DOCTYPE html [<!ENTITY a "aaaa">]><html><body>&a;</body></html>',  # declarations
        '<html xmlns="http://www.w3.org/1999/xhtml"><body>x</body></html>',  # a namespace
        "<div>x</div>",  # not a document
    ):
        assert _xhtml(other, fetcher) is None, other


@pytest.mark.slow
def test_both_parsers_make_the_same_sheets(
    tmp_path: Path, sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The XML parser is only faster: the sheets are the same bytes as WeasyPrint's parser makes."""
    import guidebook.render.session as session

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    fast = tmp_path / "fast"
    code, _, stderr = run_cli("sheets", "--out", fast, "-q", "-j", "1", cwd=sample)
    assert code == 0, stderr
    monkeypatch.setattr(session, "_xhtml", lambda _html, _fetcher: None)
    slow = tmp_path / "slow"
    code, _, stderr = run_cli("sheets", "--out", slow, "-q", "-j", "1", cwd=sample)
    assert code == 0, stderr
    for path in (fast / "sheets").glob("*.pdf"):
        assert path.read_bytes() == (slow / "sheets" / path.name).read_bytes(), path.name
