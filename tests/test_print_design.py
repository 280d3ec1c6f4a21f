"""The print design, as facts about the PDF and the EPUB: page economy (no blank page between
two exercises), the copyright page at the foot of page ii with no invented owner, contents
lines with their page numbers, quantities never split across lines, print-only link addresses,
short running heads; and the passes behind them on in-memory trees."""

from __future__ import annotations

import itertools
import re
import zipfile
from pathlib import Path

import pytest
from conftest import Built, copy_book, quiet_reporter, run_cli
from lxml import etree
from pypdf import PdfReader
from test_pdf import chapter_start_pages, outline

from guidebook.convert.sections import structure_sections
from guidebook.convert.tree import parse_fragment, text_of, to_xhtml
from guidebook.convert.typography import tie_text
from guidebook.load import load_book
from guidebook.render.context import printed_identifier, short_running_head
from guidebook.render.paper import for_paper, short_address


def page_texts(pdf: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(pdf).pages]


def lines_with_heights(pdf: Path, index: int) -> list[tuple[str, float]]:
    """(text, baseline y in points from the bottom) of each piece drawn on a page."""
    found: list[tuple[str, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], *_args: object) -> None:
        if text.strip():  # the text matrix's origin through the current transformation
            found.append((text.strip(), tm[4] * cm[1] + tm[5] * cm[3] + cm[5]))

    PdfReader(pdf).pages[index].extract_text(visitor_text=visit)
    return found


# --- page economy ----------------------------------------------------------------------------


def test_no_blank_page_between_two_exercises_by_default(fixture_build: Built) -> None:
    texts = page_texts(fixture_build.pdf)
    starts = chapter_start_pages(fixture_build)
    kinds = {ch.title: ch.kind for ch in fixture_build.book.chapters}
    order = sorted(starts.items(), key=lambda item: item[1])
    for (title, page), (next_title, next_page) in itertools.pairwise(order):
        if kinds[title] == kinds[next_title] == "exercise":
            between = texts[page:next_page]
            assert all(len(t.split()) > 3 for t in between), (title, next_title)


@pytest.fixture(scope="module")
def right_build(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """withbook with `chapter_start: right`: the traditional layout."""
    root = copy_book("withbook", tmp_path_factory.mktemp("right"))
    book_file = root / "book.yml"
    book_file.write_text(book_file.read_text() + "chapter_start: right\n")
    code, stdout, stderr = run_cli("build", "--content", "content", "--out", "out", cwd=root)
    assert code == 0, stderr
    book = load_book(root / "content", None, quiet_reporter())
    return Built("right", root, book, root / "out/book.pdf", root / "out/book.epub", 0, stdout, "")


@pytest.mark.slow
def test_right_opens_chapters_and_part_pages_on_rectos(right_build: Built) -> None:
    starts = chapter_start_pages(right_build)
    assert all(page % 2 == 0 for page in starts.values()), starts
    texts = page_texts(right_build.pdf)
    for part in right_build.book.parts:
        (entry,) = [e for e in outline(right_build.pdf) if e.title.endswith(str(part.title))]
        assert entry.page % 2 == 0 and entry.page < starts[part.chapters[0].title]
        # The part's page lists its chapters, each with the page number it starts on.
        page = " ".join(texts[entry.page].split())
        labels = PdfReader(right_build.pdf).page_labels
        for chapter in part.chapters:
            assert re.search(
                re.escape(chapter.title) + r"[\s.]*" + labels[starts[chapter.title]], page
            ), (chapter.title, page)


# --- front matter and contents -----------------------------------------------------------------


def test_copyright_at_the_foot_of_page_ii(withbook_build: Built) -> None:
    pieces = lines_with_heights(withbook_build.pdf, 1)
    (rights_y,) = [y for text, y in pieces if text.startswith("©")]
    assert "© 2025 Ida Testwright" in page_texts(withbook_build.pdf)[1]
    height = float(PdfReader(withbook_build.pdf).pages[1].mediabox.height)
    assert max(y for _t, y in pieces) < height / 3, "the copyright text sits in the lower third"
    assert rights_y == max(y for _t, y in pieces)  # the rights line opens the block


def test_no_invented_owner_or_machine_identifier(seedlike_build: Built) -> None:
    """The seedlike book has no author, publisher or rights: no '©' line, no urn:uuid."""
    text = " ".join(page_texts(seedlike_build.pdf)[:3])
    assert "©" not in text
    assert "urn:uuid" not in text and "Identifier" not in text


def test_contents_lines_end_with_page_numbers_after_a_space(fixture_build: Built) -> None:
    reader = PdfReader(fixture_build.pdf)
    toc = next(p.extract_text() for p in reader.pages if "Contents" in p.extract_text())
    starts = chapter_start_pages(fixture_build)
    lines = [" ".join(line.split()) for line in toc.splitlines()]
    for title, page in starts.items():
        label = reader.page_labels[page]
        line = next(line for line in lines if line.startswith(title[:20]))
        assert re.fullmatch(re.escape(title) + r"[\s\u00a0]+(\.\s?)+[\s\u00a0]*" + label, line), (
            line
        )


@pytest.mark.slow
def test_running_head_of_a_long_title_is_shortened(seeds_build: Built) -> None:
    """The guide seed's 62-character title heads its pages as the words before its colon."""
    texts = [" ".join(t.split()) for t in page_texts(seeds_build.pdf)]
    assert not any("HIP THRUST EXERCISE: BUILD" in t for t in texts)  # running heads: capitals
    assert any("HIP THRUST EXERCISE" in t for t in texts)


# --- quantities, links -------------------------------------------------------------------------


@pytest.mark.slow
def test_quantities_in_a_narrow_table_cell_stay_on_one_line(tmp_path: Path) -> None:
    root = copy_book("seedlike", tmp_path)
    chapter = next((root / "content").rglob("*.md"))
    cells = "| a | b | c | d | e | f |\n|---|---|---|---|---|---|\n"
    row = "| Ramp-up | 3 × 6–10 | 3–5 min | 3 × 30 s | 60 kg | {} |\n"
    filler = "words that fill the last column so the others stay narrow " * 3
    chapter.write_text(chapter.read_text() + "\n\n## Plan\n\n" + cells + row.format(filler))
    code, _out, err = run_cli("build", "--content", "content", "--out", "out", cwd=root)
    assert code == 0, err
    text = "\n".join(page_texts(root / "out/book.pdf"))
    for quantity in ("Ramp-up", "3 × 6–10", "3–5 min", "3 × 30 s", "60 kg"):
        assert quantity in text, quantity  # one line: not cut by a newline or a hyphen


def test_print_link_addresses_in_the_pdf_not_in_the_epub(seedlike_build: Built) -> None:
    with zipfile.ZipFile(seedlike_build.epub) as epub:
        xhtml = [epub.read(n) for n in epub.namelist() if n.endswith(".xhtml")]
    hrefs = [
        href
        for data in xhtml
        for href in etree.fromstring(data).xpath("//*[local-name()='a']/@href")
        if href.startswith("http")
    ]
    assert hrefs, "the fixture has external links"
    pdf_text = "".join("".join(page_texts(seedlike_build.pdf)).split())
    epub_text = " ".join(" ".join(etree.fromstring(d).itertext()) for d in xhtml)
    for href in hrefs:
        address = short_address(href)
        assert address.replace(" ", "") in pdf_text, address
        assert address not in epub_text, address


# --- the passes, in memory ---------------------------------------------------------------------


def test_tie_text_wraps_quantities_and_keeps_the_text() -> None:
    root = parse_fragment(
        "<p>Do 3 × 30 s, rest 3–5 min, lift 60 kg in 2024.</p><pre>3 x 5 kg</pre>"
        "<table><tr><td>Ramp-up</td><td>3 × 6–10</td></tr></table>"
    )
    before = text_of(root)
    tie_text(root)
    assert text_of(root) == before
    tied = [text_of(s) for s in root.iter("span") if s.get("class") == "nobreak"]
    assert tied == ["3 × 30 s", "3–5 min", "60 kg", "Ramp-up", "3 × 6–10"]


def test_tie_text_leaves_runs_too_long_for_a_line_free_to_break() -> None:
    """A nowrap span longer than the measure runs off the page (100k characters of
    "3 × 3 × ..." printed as one line, cut at the page edge)."""
    chain = "3 × " * 2000 + "3"
    words = "-".join(["word"] * 40)
    root = parse_fragment(
        f"<p>Do {chain} today, 3 × 5 kg.</p><table><tr><td>{words} Ramp-up</td></tr></table>"
    )
    tie_text(root)
    tied = [text_of(s) for s in root.iter("span") if s.get("class") == "nobreak"]
    assert tied == ["3 × 5 kg", "Ramp-up"]


@pytest.mark.parametrize(
    ("href", "printed"),
    [
        ("https://b%C3%BCcher.example/%C3%BCbung?a=1", "bücher.example/übung?a=1"),
        ("mailto:trainer%40example.com?subject=x", "trainer@example.com"),
        ("https://example.com/a%20b", "example.com/a%20b"),  # a space would split it
        ("https://example.com/%FF", "example.com/%FF"),  # not UTF-8
        ("https://example.com/%E2%80%AE", "example.com/%E2%80%AE"),  # a bidi control
    ],
)
def test_printed_addresses_are_readable_not_percent_escaped(href: str, printed: str) -> None:
    assert short_address(href) == printed


def test_for_paper_marks_last_words_and_adds_short_addresses() -> None:
    html = (
        '<p>Plan with <a class="ext" href="https://www.example.com/guide/x/">our app</a> today '
        "and every weekday.</p>"
        '<ul><li><a class="ext" href="https://example.com/a">More</a> - for later</li></ul>'
        '<p><a class="ext" href="https://example.com">example.com</a></p>'
    )
    root = parse_fragment(for_paper(html))
    urls = [text_of(s).strip() for s in root.iter("span") if s.get("class") == "print-url"]
    assert urls == ["example.com/guide/x", "example.com/a"]  # not repeated after an autolink
    item = root.find(".//li")
    assert item is not None and item[-1].get("class") == "print-url"  # at the end of the item
    lasts = [s.text for s in root.iter("span") if s.get("class") == "last-word"]
    assert lasts == ["weekday."]  # list items are left alone
    assert "&nbsp;" not in to_xhtml(root)


@pytest.mark.parametrize(
    ("identifier", "printed"),
    [
        ("978-3-16-148410-0", "ISBN 978-3-16-148410-0"),
        ("urn:isbn:9783161484100", "ISBN 9783161484100"),
        ("urn:uuid:581878db-60a1-4c0a-8a9d-119855e461c5", None),
        ("my-book", None),
    ],
)
def test_only_an_isbn_is_printed(identifier: str, printed: str | None) -> None:
    assert printed_identifier(identifier) == printed


def test_short_running_head() -> None:
    assert short_running_head("Pull-up") == "Pull-up"
    title = "Hip Thrust Exercise: Build Powerful Glutes for Strength and Aesthetics"
    assert short_running_head(title) == "Hip Thrust Exercise"
    cut = short_running_head("A very long title without any colon that goes on and on forever")
    assert cut.endswith("…") and len(cut) <= 40


def test_how_to_perform_without_steps_prints_no_heading() -> None:
    root = parse_fragment(
        '<h2 id="x--how-to-perform">How to perform</h2><h2 id="x--faq">FAQ</h2><p>a</p>'
    )
    made = structure_sections(root)
    assert [r for r, _s in made] == ["faq"]
    assert root.find(".//span[@id='x--how-to-perform']") is not None  # links still land
    assert "How to perform" not in text_of(root)


# --- other scripts ----------------------------------------------------------------------------


def _font_names(pdf: Path) -> set[str]:
    names = set()
    for page in PdfReader(pdf).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    return names


@pytest.mark.slow
def test_chinese_titles_print_with_the_shipped_fallback_font(tmp_path: Path) -> None:
    """Neither Charis nor Inter has CJK glyphs: the shipped Droid Sans Fallback draws them, in
    the book and on a form sheet, with no '.notdef glyph' warning (that is an empty box)."""
    exercises = tmp_path / "content" / "exercises"
    exercises.mkdir(parents=True)
    (exercises / "goblet-hold.md").write_text(
        "---\ntitle: 深蹲 Goblet Hold\nbody_part: Legs\n---\n\n高脚杯深蹲。Hold the bell close.\n\n"
        "## How to perform\n\n1. 站直。Stand tall.\n2. Sit down between the heels.\n",
        encoding="utf-8",
    )
    content = tmp_path / "content"
    code, _out, err = run_cli("build", "--content", content, "--out", tmp_path / "o")
    assert code == 0 and " 0 warnings " in err.splitlines()[-1], err
    assert "Droid-Sans-Fallback" in _font_names(tmp_path / "o" / "book.pdf")
    code, _out, err = run_cli("sheets", "--content", content, "--out", tmp_path / "o", "-j", "1")
    assert code == 0 and " 0 warnings " in err.splitlines()[-1], err
    assert "Droid-Sans-Fallback" in _font_names(tmp_path / "o" / "sheets" / "goblet-hold.pdf")
