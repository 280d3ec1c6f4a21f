"""Figure blocks: runs of images grouped into captioned rows, sized at 300 dpi (convert stage),
and what the PDF and the EPUB make of them."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from conftest import epubcheck_messages, quiet_reporter, run_cli, warning_lines
from lxml import etree
from PIL import Image
from pypdf import PdfReader

from guidebook.convert import convert_book
from guidebook.convert.figures import _captions
from guidebook.diagnostics import Reporter
from guidebook.imagefile import fit_for_epub
from guidebook.load import load_book
from guidebook.model import ChapterDoc, ChapterImage

XHTML = "{http://www.w3.org/1999/xhtml}"


def jpeg(size: tuple[int, int], shade: int = 120) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (shade, 140, 160)).save(out, "JPEG", quality=80)
    return out.getvalue()


def write_book(folder: Path, chapters: dict[str, str], images: dict[str, bytes]) -> Path:
    content = folder / "content"
    (content / "images").mkdir(parents=True)
    for name, text in chapters.items():
        (content / name).write_text(text, encoding="utf-8")
    for name, data in images.items():
        (content / "images" / name).write_bytes(data)
    return content


def convert(
    folder: Path, markdown: str, images: dict[str, bytes], name: str = "squat.md"
) -> tuple[etree._Element, ChapterDoc, Reporter]:
    content = write_book(folder, {name: markdown}, images)
    reporter = quiet_reporter()
    edition = convert_book(load_book(content, None, reporter), reporter)
    (doc,) = edition.chapters
    return etree.fromstring(f"<div>{doc.html}</div>"), doc, reporter


PAIR = {"a.jpg": jpeg((850, 567)), "b.jpg": jpeg((850, 567), 90)}
STEPS = "# Barbell Squat\n\n## How to perform\n\n1. Sit down.\n2. Stand up.\n\n"


def blocks(root: etree._Element) -> list[etree._Element]:
    return root.xpath('.//div[contains(concat(" ", @class, " "), " figures ")]')


def captions(block: etree._Element) -> list[str | None]:
    return [figure.findtext("figcaption") for figure in block.iter("figure")]


def test_a_pair_in_two_paragraphs_is_one_block_sized_at_300_dpi(tmp_path: Path) -> None:
    markdown = STEPS + "![Barbell squat start position](images/a.jpg)\n\n"
    markdown += "![Barbell squat end position](images/b.jpg)\n\nAfter.\n"
    root, _doc, reporter = convert(tmp_path, markdown, PAIR)
    (block,) = blocks(root)
    assert block.get("class") == "figures figures-2"
    assert block.get("id") == "squat--figures-1"
    assert [f.get("class") for f in block.iter("figure")] == ["photo landscape"] * 2
    assert captions(block) == ["Start position", "End position"]
    for img in block.iter("img"):
        assert (img.get("width"), img.get("height"), img.get("class")) == (
            "272",
            "181",
            "print-size",
        )
    assert block.getnext().text == "After."
    assert not root.xpath(".//p[not(normalize-space())]")  # no empty paragraph left behind
    assert reporter.diagnostics == []  # 850 px pairs print at 300 dpi: no warning


def test_a_pair_on_one_line_and_a_run_of_four_one_per_line(tmp_path: Path) -> None:
    images = PAIR | {"c.jpg": jpeg((567, 850)), "d.jpg": jpeg((600, 600))}
    markdown = STEPS + "![Squat start](images/a.jpg) ![Squat end](images/b.jpg)\n\nText.\n\n"
    markdown += "![Squat start](images/a.jpg)\n![Squat middle](images/b.jpg)\n"
    markdown += "![Squat end](images/c.jpg)\n![Squat grip](images/d.jpg)\n"
    root, _doc, _reporter = convert(tmp_path, markdown, images)
    pair, four = blocks(root)
    assert captions(pair) == ["Start", "End"]
    assert four.get("class") == "figures figures-4"
    assert captions(four) == ["Start", "Middle", "End", "Grip"]
    assert [f.get("class") for f in four.iter("figure")][2:] == ["photo portrait", "photo square"]
    assert not four.xpath(".//br") and not root.xpath(".//p/img")


def test_a_single_image_with_the_chapter_title_as_alt_gets_no_caption(tmp_path: Path) -> None:
    root, doc, _ = convert(tmp_path, STEPS + "![Barbell Squat](images/a.jpg)\n", PAIR)
    (block,) = blocks(root)
    assert block.get("class") == "figures figures-1"
    assert captions(block) == [None]
    assert doc.content.images == (ChapterImage("images/squat-a.jpg", "Barbell Squat", None, None),)


def test_images_in_lists_links_and_text_stay_inline(tmp_path: Path) -> None:
    markdown = STEPS + "- A list ![in a list](images/a.jpg)\n\n"
    markdown += "[![linked](images/b.jpg)](https://example.com)\n\n"
    markdown += "Text with ![inline](images/a.jpg) inside.\n"
    root, _doc, _ = convert(tmp_path, markdown, PAIR)
    assert blocks(root) == [] and not root.xpath(".//figure")
    assert [img.getparent().tag for img in root.iter("img")] == ["li", "a", "p"]
    assert all(img.get("class") == "print-size" for img in root.iter("img"))


def test_no_alt_no_caption_and_the_warning_stays(tmp_path: Path) -> None:
    markdown = STEPS + "![](images/a.jpg)\n\n![Squat end](images/b.jpg)\n"
    root, _doc, reporter = convert(tmp_path, markdown, PAIR)
    (block,) = blocks(root)
    assert captions(block) == [None, "Squat end"]
    assert [d.format().replace(f"{tmp_path}/", "") for d in reporter.diagnostics] == [
        "content/squat.md:8: warning: image 'images/a.jpg' has no alt text; readers who cannot "
        "see it get nothing (write ![what it shows](...))"
    ]


def test_a_title_is_the_caption_and_a_written_figure_keeps_its_own(tmp_path: Path) -> None:
    markdown = STEPS + '![Squat start](images/a.jpg "Heels down")\n\n'
    markdown += '<figure><img src="images/b.jpg" alt="Squat end"><figcaption>Stand '
    markdown += "<em>tall</em></figcaption></figure>\n"
    markdown += '\n<figure id="kept"><img src="images/a.jpg" alt="Linked to"></figure>\n'
    root, doc, _ = convert(tmp_path, markdown, PAIR)
    (block,) = blocks(root)
    assert root.xpath('.//figure[@id="squat--kept"]/img')  # an id a link may use: left alone
    assert [etree.tostring(f, encoding="unicode").split("<figcaption>")[1] for f in block] == [
        "Heels down</figcaption></figure>",
        "Stand <em>tall</em></figcaption></figure>",
    ]
    assert [image.caption for image in doc.content.images] == ["Heels down", "Stand tall", None]


def test_ids_are_valid_and_unique_for_a_digit_leading_chapter(tmp_path: Path) -> None:
    markdown = "# 3/4 Sit-Up\n\n## Figures 1\n\n![3/4 sit-up start](images/a.jpg)\n\nText.\n\n"
    markdown += "![3/4 Sit-Up](images/b.jpg)\n"
    root, _doc, _ = convert(tmp_path, markdown, PAIR, name="3-4-sit-up.md")
    assert [b.get("id") for b in blocks(root)] == [
        "c-3-4-sit-up--figures-1-2",  # the heading "Figures 1" has the plain id
        "c-3-4-sit-up--figures-2",
    ]
    assert [captions(b) for b in blocks(root)] == [["Start"], [None]]


def test_a_photo_too_small_to_read_warns_with_the_pixels_it_needs(tmp_path: Path) -> None:
    images = {"a.jpg": jpeg((400, 267)), "b.jpg": jpeg((750, 500))}
    markdown = STEPS + "![Squat start](images/a.jpg)\n\n![Squat end](images/b.jpg)\n"
    _root, _doc, reporter = convert(tmp_path, markdown, images)
    assert [d.format().replace(f"{tmp_path}/", "") for d in reporter.diagnostics] == [
        "content/squat.md:8: warning: image 'images/a.jpg' prints only 34 mm wide (400x267 px at "
        "300 dpi); print needs 40 mm for a photo to be read: use a file at least 473 px wide"
    ]


@pytest.mark.parametrize(
    ("titles", "alts", "chapter", "expected"),
    [
        (["", ""], ["Push-up start position", "Push-up end position"], "Other", None),
        (["", ""], ["Start position", "Start position, hands wide"], "Other", None),
        (["", ""], ["Dip: start", "Dip: end"], "Dip", ["Start", "End"]),
        (["", ""], ["Кран старт", "Кран финиш"], "Other", ["Старт", "Финиш"]),
        (["Set up", ""], ["Row start", "Row end"], "Other", ["Set up", "Row end"]),
        ([""], ["Row"], "Row", [""]),
        ([""], [""], "Row", [""]),
        ([""], ["Side view of a row: " + "back flat, " * 5 + "bar to the ribs"], "Row", [""]),
        (
            ["A title " * 7 + "the writer chose"],
            ["Row"],
            "Row",
            ["A title " * 7 + "the writer chose"],
        ),
    ],
)
def test_captions(
    titles: list[str], alts: list[str], chapter: str, expected: list[str] | None
) -> None:
    wanted = {
        "Push-up start position": ["Start position", "End position"],
        "Start position": ["Start position", "Start position, hands wide"],
    }
    assert _captions(titles, alts, chapter) == (expected or wanted[alts[0]])


@pytest.mark.slow
def test_fit_for_epub_scales_to_4_megapixels_and_keeps_the_format() -> None:
    for image_format in ("JPEG", "PNG"):
        out = io.BytesIO()
        Image.new("RGB", (3000, 2000), (10, 20, 30)).save(out, image_format)
        with Image.open(io.BytesIO(fit_for_epub(out.getvalue()))) as image:
            assert image.format == image_format
            assert image.size[0] * image.size[1] <= 4_000_000
            assert image.size[0] >= 2440 and abs(image.size[0] / image.size[1] - 1.5) < 0.01
    small = jpeg((850, 567))
    assert fit_for_epub(small) is small


def _image_draws(pdf: Path) -> list[tuple[int, float, float]]:
    """(page, x, y) of every image drawn in the PDF, from the content streams' `cm` + `Do`."""
    draws: list[tuple[int, float, float]] = []
    for number, page in enumerate(PdfReader(pdf).pages, 1):
        xobjects = page["/Resources"].get_object().get("/XObject", {})

        def visit(
            op: bytes, args: list, cm: list, tm: list, number: int = number, xobjects=xobjects
        ) -> None:
            if op == b"Do" and xobjects[args[0]].get_object().get("/Subtype") == "/Image":
                draws.append((number, round(cm[4], 1), round(cm[5], 1)))

        page.extract_text(visitor_operand_before=visit)
    return draws


@pytest.mark.slow
def test_a_pair_prints_side_by_side_and_the_epub_keeps_captions(tmp_path: Path) -> None:
    chapters = {
        "squat.md": STEPS + "![Squat start position](images/a.jpg)\n\n"
        "![Squat end position](images/b.jpg)\n",
        "1-arm-row.md": "# 1-Arm Row\n\n![Row](images/big.jpg)\n",
    }
    write_book(tmp_path, chapters, PAIR | {"big.jpg": jpeg((3000, 2000), 60)})
    code, _out, err = run_cli("build", "--out", "out", "--targets", "pdf,epub", cwd=tmp_path)
    assert code == 0 and warning_lines(err) == [], err
    draws = _image_draws(tmp_path / "out" / "book.pdf")
    pages = {page: [d for d in draws if d[0] == page] for page, _x, _y in draws}
    assert sorted(len(on_page) for on_page in pages.values()) == [1, 2]  # big, then the pair
    (pair,) = [on_page for on_page in pages.values() if len(on_page) == 2]
    assert pair[0][2] == pair[1][2] and pair[1][1] - pair[0][1] > 72 / 25.4 * 72  # side by side
    big = [i for p in PdfReader(tmp_path / "out" / "book.pdf").pages for i in p.images]
    assert (3000, 2000) in {image.image.size for image in big}  # the PDF keeps every pixel
    epub = tmp_path / "out" / "book.epub"
    assert epubcheck_messages(epub) == ()
    with zipfile.ZipFile(epub) as z:
        page = etree.fromstring(z.read("EPUB/squat.xhtml"))
        with Image.open(io.BytesIO(z.read("EPUB/images/1-arm-row-big.jpg"))) as image:
            assert image.size[0] * image.size[1] <= 4_000_000 and image.format == "JPEG"
    assert [c.text for c in page.iter(f"{XHTML}figcaption")] == ["Start position", "End position"]
