"""Back-of-book indexes: the book file's `indexes:`, how entries are grouped and sorted, and
the outputs: every page number the PDF prints is the page the exercise starts on, and every
EPUB link reaches the chapter."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import REPO, Built, copy_book, run_cli
from lxml import etree
from pypdf import PdfReader

from guidebook.diagnostics import Reporter
from guidebook.indexes import DEFAULT_INDEXES, Locator, book_indexes, parse_indexes
from guidebook.model import ExerciseInfo, IndexSpec

XHTML = "{http://www.w3.org/1999/xhtml}"
OPS = "{http://www.idpf.org/2007/ops}"


# --- book.yml ----------------------------------------------------------------------------------


def parsed(value: object) -> tuple[tuple[IndexSpec, ...] | None, list[str]]:
    reporter = Reporter(sink=None)
    specs = parse_indexes(value, Path("book.yml"), 7, reporter)
    return specs, [d.format() for d in reporter.diagnostics]


@pytest.mark.parametrize("off", [False, [], {}])
def test_indexes_can_be_turned_off(off: object) -> None:
    assert parsed(off) == ((), [])


def test_true_means_all_five_with_their_titles() -> None:
    specs, _ = parsed(True)
    assert specs == DEFAULT_INDEXES
    assert [s.kind for s in DEFAULT_INDEXES] == [
        "target", "secondary", "equipment", "body_part", "difficulty"
    ]  # fmt: skip


def test_a_list_chooses_and_orders_a_mapping_titles() -> None:
    specs, _ = parsed(["equipment", "target"])
    assert [(s.kind, s.title) for s in specs or ()] == [
        ("equipment", "Index of Equipment"),
        ("target", "Index of Target Muscles"),
    ]
    specs, _ = parsed({"difficulty": "Exercises by level", "body_part": None})
    assert [(s.kind, s.title) for s in specs or ()] == [
        ("difficulty", "Exercises by level"),
        ("body_part", "Index of Body Parts"),
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (["targte"], "unknown index 'targte'; did you mean 'target'? (choose from target,"),
        (["muscles"], "unknown index 'muscles'; choose from target, secondary, equipment"),
        (["target", "target"], "'target' is listed twice; list each index once"),
        ("target", "expected a list of index names (target, secondary, equipment, body_part"),
        ([{"target": 1}], "expected a list of index names"),
    ],
)
def test_a_mistake_is_one_error_at_its_line(value: object, message: str) -> None:
    specs, lines = parsed(value)
    assert specs is None
    assert len(lines) == 1 and lines[0].startswith("book.yml:7: error: book file: indexes: ")
    assert message in lines[0]


def test_the_cli_reports_a_wrong_name_with_its_line(tmp_path: Path) -> None:
    root = copy_book("seedlike", tmp_path)
    (root / "book.yml").write_text("title: T\nindexes:\n  - equipmnet\n", encoding="utf-8")
    code, _, err = run_cli("check", "--content", "content", cwd=root)
    assert code == 1
    assert "book.yml:2: error: book file: indexes: unknown index 'equipmnet'; did you mean " in err


# --- entries -----------------------------------------------------------------------------------


def test_terms_group_whatever_the_case_and_sort_ignoring_accents() -> None:
    a = ExerciseInfo(secondary_muscles=("Glutes", "Core"), equipment=("Barbell",))
    b = ExerciseInfo(secondary_muscles=(" glutes ", "Érector spinae"), equipment=("Box",))
    c = ExerciseInfo(secondary_muscles=("core",), equipment=("45 lb plate",))
    (index,) = book_indexes(
        [IndexSpec("secondary", "S")],
        [(a, Locator("a", "A")), (b, Locator("b", "B")), (c, Locator("c", "C"))],
    )
    flat = [
        (g.letter, e.term, [x.title for x in e.chapters]) for g in index.groups for e in g.entries
    ]
    assert flat == [
        ("C", "Core", ["A", "C"]),  # printed as first written, under both exercises
        ("E", "Érector spinae", ["B"]),
        ("G", "Glutes", ["A", "B"]),
    ]
    (equipment,) = book_indexes(
        [IndexSpec("equipment", "E")], [(a, Locator("a", "A")), (c, Locator("c", "C"))]
    )
    assert [g.letter for g in equipment.groups] == ["#", "B"]


def test_an_index_nothing_fills_is_left_out() -> None:
    info = ExerciseInfo(target_muscles=("Glutes",))
    indexes = book_indexes(DEFAULT_INDEXES, [(info, Locator("a", "A"))])
    assert [i.kind for i in indexes] == ["target"]


def test_a_short_index_is_cut_into_two_even_halves() -> None:
    infos = [(ExerciseInfo(target_muscles=(f"Muscle {n:02}",)), Locator(f"c{n}", f"C{n}"))
             for n in range(10)]  # fmt: skip
    (index,) = book_indexes([IndexSpec("target", "T")], infos)
    left, right = index.halves()
    count = [sum(len(g.entries) for g in half) for half in (left, right)]
    assert count == [5, 5] and not index.long


# --- the PDF and the EPUB ----------------------------------------------------------------------


def chapter_start_labels(pdf: Path) -> dict[str, str]:
    """Chapter title -> the folio of the page it starts on, from the bookmarks."""
    reader = PdfReader(pdf)
    starts: dict[str, str] = {}

    def walk(items: list) -> None:  # type: ignore[type-arg]
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                starts[item.title] = reader.page_labels[reader.get_destination_page_number(item)]

    walk(reader.outline)
    return starts


def printed_locators(pdf: Path, first_page: int) -> list[tuple[str, str]]:
    """(exercise title, printed page number) of every index line from `first_page` on."""
    text = subprocess.run(
        ["pdftotext", "-layout", "-f", str(first_page), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [
        (m["title"].strip(), m["page"])
        for m in re.finditer(r"(?P<title>[^\s.][^.\n]*?) ?(?:\. ?){3,}\s*(?P<page>\d+)\b", text)
    ]


def test_every_printed_page_number_is_where_the_exercise_starts(seedlike_build: Built) -> None:
    starts = chapter_start_labels(seedlike_build.pdf)
    assert "Index of Target Muscles" in starts
    first = PdfReader(seedlike_build.pdf).page_labels.index(starts["Index of Target Muscles"])
    locators = printed_locators(seedlike_build.pdf, first + 1)
    assert len(locators) >= 8
    for title, page in locators:
        assert starts[title] == page, (title, page, starts)


def test_the_epub_index_links_every_entry_to_its_chapter(seedlike_build: Built) -> None:
    with zipfile.ZipFile(seedlike_build.epub) as zf:
        names = set(zf.namelist())
        doc = etree.fromstring(zf.read("EPUB/book_index.xhtml"))
        nav = zf.read("EPUB/nav.xhtml").decode()
    sections = [s for s in doc.iter(f"{XHTML}section") if s.get(f"{OPS}type") == "index"]
    assert {s.get("role") for s in sections} == {"doc-index"} and len(sections) >= 3
    links = [a.get("href") for a in doc.iter(f"{XHTML}a")]
    assert links and all(f"EPUB/{href}" in names for href in links)
    assert 'epub:type="index" href="book_index.xhtml"' in nav  # the landmark
    assert 'href="book_index.xhtml#index_target"' in nav  # the table of contents


@pytest.mark.parametrize(
    ("book_yml", "titles"),
    [
        pytest.param("indexes: false\n", [], marks=pytest.mark.slow),
        ("indexes:\n  equipment: What you need\n", ["What you need"]),
    ],
)
def test_the_book_file_chooses_the_indexes(
    tmp_path: Path, book_yml: str, titles: list[str]
) -> None:
    root = copy_book("seedlike", tmp_path)
    (root / "book.yml").write_text(f"title: T\n{book_yml}", encoding="utf-8")
    code, _, err = run_cli("build", "--content", "content", "--out", "out", cwd=root)
    assert code == 0, err
    starts = chapter_start_labels(root / "out" / "book.pdf")
    assert [t for t in starts if "Index" in t or t == "What you need"] == titles
    with zipfile.ZipFile(root / "out" / "book.epub") as zf:
        assert ("EPUB/book_index.xhtml" in zf.namelist()) == bool(titles)


@pytest.mark.slow
def test_indexes_at_6x9_print_the_right_pages(tmp_path: Path) -> None:
    root = copy_book("withbook", tmp_path)
    code, _, err = run_cli("build", "--paper", "6x9", "--out", "out", cwd=root)
    assert code == 0, err
    pdf = root / "out" / "book.pdf"
    starts = chapter_start_labels(pdf)
    index_titles = [t for t in starts if t.startswith("Index")]
    first = PdfReader(pdf).page_labels.index(starts[index_titles[0]])
    locators = printed_locators(pdf, first + 1)
    assert locators and all(starts[title] == page for title, page in locators)


@pytest.mark.slow
def test_a_long_entry_never_leaves_an_index_title_alone(tmp_path: Path) -> None:
    """300 exercises: "Beginner", "Intermediate" and "Advanced" hold a hundred each. Kept whole,
    such an entry went to the next page and left its index's title alone on one."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    from corpus import generate

    generate(tmp_path / "book", exercises=300)
    book = tmp_path / "book"
    code, _, err = run_cli("build", "--content", book, "--format", "pdf", "--out", "out", cwd=book)
    assert code == 0, err
    reader = PdfReader(tmp_path / "book" / "out" / "book.pdf")
    titled = 0
    for page in reader.pages:
        lines = [line.strip() for line in page.extract_text().splitlines() if line.strip()]
        for at, line in enumerate(lines):
            if re.fullmatch(r"Index (by|of) [A-Za-z ]+", line):
                titled += 1
                below = lines[at + 1 :]
                assert any(re.search(r"\.\s*\d+$", rest) for rest in below), lines
    assert titled >= 2
