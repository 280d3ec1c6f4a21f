"""`--pdf-variant pdf/x-4`: the colours the stylesheets give become CMYK through the output
profile, the PDF carries that profile as its output intent, and what RGB is left (photos, SVG
drawings) is declared sRGB. Facts read back with pypdf from real builds."""

from __future__ import annotations

import os
import re
import sys
from collections import Counter
from pathlib import Path

import pytest
from conftest import REPO, build_pdf, copy_book, run_cli
from pypdf import PdfReader
from pypdf.generic import ContentStream, DictionaryObject

from guidebook.render.cmyk import cmyk_css, converter, profile_path

sys.path.insert(0, str(REPO / "benchmarks"))
from photobook import generate

# --- colours in the stylesheets ----------------------------------------------------------------


def test_declared_colours_become_device_cmyk() -> None:
    css = cmyk_css(
        "#intro { color: #b4400f; border: 1px solid rgb(180 64 15); background: white }\n"
        ":root { --accent: #b4400f; --gap: 4mm }"
    )
    assert css.startswith("#intro {")  # an id selector is no colour
    assert css.count("device-cmyk(0 0.753 0.894 0.286)") == 3
    assert "device-cmyk(0 0 0 0)" in css  # white: no ink
    assert "--gap: 4mm" in css
    assert "#b4400f" not in css and "rgb(" not in css


def test_nested_rules_margin_boxes_alpha_and_transparent() -> None:
    css = cmyk_css(
        "@media print { p { color: red } }\n"
        "@page { @top-right { color: #5b6570 } }\n"
        "a { color: rgba(255, 0, 0, 0.5); background: transparent }"
    )
    assert "@media print { p { color: device-cmyk(" in css
    assert "@top-right { color: device-cmyk(0 0 0 " in css
    assert re.search(r"rgba\(|#5b6570|\bred\b", css) is None
    assert re.search(r"color: device-cmyk\([^)]* / 0\.5\)", css)
    assert "background: transparent" in css


def test_greys_and_dark_text_colours_print_with_black_ink_alone() -> None:
    convert = converter()
    for rgb in [(0, 0, 0), (29, 35, 42), (91, 101, 112), (128, 128, 128), (243, 244, 246)]:
        c, m, y, k = convert.cmyk(rgb)
        assert (c, m, y) == (0, 0, 0) and 0 < k <= 1, rgb
    darker = [convert.cmyk((v, v, v))[3] for v in (40, 100, 160, 220)]
    assert darker == sorted(darker, reverse=True)  # lighter greys, less ink
    c, m, y, k = convert.cmyk((180, 64, 15))  # the accent: an orange, mostly M and Y
    assert m > 0.6 and y > 0.8 and c < 0.05


def test_the_output_profile_is_a_cmyk_printer_profile() -> None:
    header = profile_path().read_bytes()[:128]
    assert header[12:16] == b"prtr" and header[16:20] == b"CMYK" and header[36:40] == b"acsp"


# --- the PDF -----------------------------------------------------------------------------------


def _build(root: Path, *extra: str) -> Path:
    return build_pdf(root, "--pdf-variant", "pdf/x-4", *extra)[0]


@pytest.fixture(scope="module")
def pdfx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(copy_book("withbook", tmp_path_factory.mktemp("pdfx")))


def _colour_ops(reader: PdfReader) -> Counter[tuple[str, tuple[float, ...]]]:
    """Every colour-setting operator on every page with its operands."""
    seen: Counter[tuple[str, tuple[float, ...]]] = Counter()
    for page in reader.pages:
        content = ContentStream(page.get_contents(), reader)
        for operands, op in content.operations:
            name = op.decode()
            if name in {"k", "K", "rg", "RG", "g", "G", "sc", "scn", "SC", "SCN", "cs", "CS"}:
                values = tuple(round(float(v), 3) for v in operands if not isinstance(v, str))
                names = tuple(str(v) for v in operands if isinstance(v, str))
                seen[(name + "".join(names), values)] += 1
    return seen


def test_the_output_intent_is_the_cmyk_profile(pdfx: Path) -> None:
    reader = PdfReader(pdfx)
    root = reader.trailer["/Root"]
    (intent,) = root["/OutputIntents"]
    intent = intent.get_object()
    assert intent["/S"] == "/GTS_PDFX"
    assert intent["/OutputConditionIdentifier"] == "FOGRA39"
    profile = intent["/DestOutputProfile"].get_object()
    assert profile["/N"] == 4
    data = profile.get_data()
    assert data[12:20] == b"prtrCMYK" and b"FOGRA39" in data
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert "<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>" in xmp
    assert reader.pdf_header == "%PDF-1.6"
    assert "/ID" in reader.trailer
    assert all("/TrimBox" in page for page in reader.pages)


def test_text_and_panels_are_painted_in_cmyk(pdfx: Path) -> None:
    """Outside the drawings (SVG), every colour is DeviceCMYK; most words are black ink alone."""
    reader = PdfReader(pdfx)
    ops = _colour_ops(reader)
    spaces = {name for name, _ in ops if name.startswith(("cs", "CS"))}
    assert spaces <= {"cs/DeviceCMYK", "CS/DeviceCMYK"} and "cs/DeviceCMYK" in spaces
    assert all(len(values) == 4 for name, values in ops if name in ("scn", "SCN"))
    words = _text_colours(reader)
    assert words.most_common(1)[0][0] == (0.0, 0.0, 0.0, 1.0), words


def _text_colours(reader: PdfReader) -> Counter[tuple[float, ...]]:
    """How many text-showing operators each fill colour paints (pages without drawings)."""
    shown: Counter[tuple[float, ...]] = Counter()
    for page in reader.pages:
        fill: tuple[float, ...] = ()
        for operands, op in ContentStream(page.get_contents(), reader).operations:
            if op == b"scn":
                fill = tuple(round(float(v), 3) for v in operands)
            elif op in (b"Tj", b"TJ"):
                shown[fill] += 1
    return shown


def test_what_rgb_is_left_is_declared_srgb(pdfx: Path) -> None:
    """The SVG drawing paints RGB: every page's colour spaces map DeviceRGB to an ICC-based
    sRGB (/DefaultRGB), an RGB profile of three components."""
    reader = PdfReader(pdfx)
    for page in reader.pages:
        spaces = page["/Resources"]["/ColorSpace"].get_object()
        kind, stream = spaces["/DefaultRGB"]
        assert kind == "/ICCBased" and stream.get_object()["/N"] == 3
        assert stream.get_object().get_data()[16:20] == b"RGB "


@pytest.mark.slow
def test_photos_are_icc_based_and_builds_reproducible(tmp_path: Path) -> None:
    book = generate(tmp_path / "book", exercises=3, guides=0)
    os.environ["SOURCE_DATE_EPOCH"] = "1700000000"
    try:
        first = _build(book, "--content", ".").read_bytes()
        (book / "out" / "book.pdf").unlink()
        second = _build(book, "--content", ".").read_bytes()
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]
    assert first == second
    images = 0
    for page in PdfReader(book / "out" / "book.pdf").pages:
        for xobject in page["/Resources"].get("/XObject", DictionaryObject()).values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Image":
                space = xobject["/ColorSpace"]
                assert space != "/DeviceRGB"
                images += 1
    assert images >= 3


@pytest.mark.slow
def test_the_print_cover_is_pdfx_too(tmp_path: Path) -> None:
    root = copy_book("withbook", tmp_path)
    code, _, err = run_cli(
        "build",
        "--targets",
        "pdf,cover",
        "--pdf-variant",
        "pdf/x-4",
        "--paper",
        "6x9",
        "--out",
        root / "out",
        cwd=root,
    )
    assert code == 0, err
    reader = PdfReader(root / "out" / "book-cover.pdf")
    assert reader.trailer["/Root"]["/OutputIntents"][0].get_object()["/S"] == "/GTS_PDFX"
    ops = _colour_ops(reader)
    assert not any(name in ("rg", "RG") for name, _ in ops)
