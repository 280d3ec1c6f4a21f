"""The EPUB's page-list: a marker where each printed page of the PDF built alongside begins.

The check is the reader's: go to page N in the EPUB, and the words after the marker are the
first words of page N of the PDF (read back with poppler's `pdftotext`, past the running head).
"""

from __future__ import annotations

import random
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import REPO, Built, epubcheck_messages, run_cli
from lxml import etree
from pypdf import PdfReader

from guidebook.render.pagemap import PageMap, PageStart, key, mark_pages

sys.path.insert(0, str(REPO / "benchmarks"))
from photobook import generate

XHTML = "{http://www.w3.org/1999/xhtml}"
OPS = "{http://www.idpf.org/2007/ops}"


def _markers(epub: Path) -> list[tuple[str, str, str]]:
    """(label, file, id) of the page-list's entries, in order."""
    with zipfile.ZipFile(epub) as zf:
        nav = etree.fromstring(zf.read("EPUB/nav.xhtml"))
    (page_list,) = [n for n in nav.iter(f"{XHTML}nav") if n.get(f"{OPS}type") == "page-list"]
    entries = []
    for link in page_list.iter(f"{XHTML}a"):
        file, _, marker = link.get("href").partition("#")
        entries.append((link.text, file, marker))
    return entries


def _words_after(epub: Path, file: str, marker: str) -> str:
    """The text that follows the marker in its file (to the end of the file)."""
    with zipfile.ZipFile(epub) as zf:
        doc = etree.fromstring(zf.read(f"EPUB/{file}"))
    (span,) = [e for e in doc.iter() if e.get("id") == marker]
    assert span.get(f"{OPS}type") == "pagebreak" and span.get("role") == "doc-pagebreak"
    texts, seen = [], False
    for element in doc.iter():
        if element is span:
            seen = True
            texts.append(span.tail or "")
            continue
        if seen and not _inside(element, span):
            texts.append(element.text or "")
            texts.append(element.tail or "")
    return " ".join(texts)  # block elements are apart; a split inline word is rare


def _inside(element: etree._Element, span: etree._Element) -> bool:
    return any(a is span for a in element.iterancestors())


def _pdf_page_key(pdf: Path, number: int) -> str:
    return key(_pdf_page_text(pdf, number))


def _pdf_page_text(pdf: Path, number: int) -> str:
    return subprocess.run(
        ["pdftotext", "-f", str(number), "-l", str(number), "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def _check_pages(pdf: Path, epub: Path, labels: list[str]) -> None:
    """Each page label's marker is followed by that PDF page's first words."""
    page_labels = PdfReader(pdf).page_labels
    entries = {label: (file, marker) for label, file, marker in _markers(epub)}
    for label in labels:
        file, marker = entries[label]
        after = _words(_words_after(epub, file, marker))[:6]
        number = page_labels.index(label) + 1
        while not (page := _pdf_page_key(pdf, number)):
            number += 1  # a blank page: its marker stands with the next page's
        # The page begins with the running head (and, on a part's first page, the part's
        # title); print adds words of its own, a "Q" before a question, a step's number.
        assert after and _in_order(after, page[:300]), (label, after, page[:300])


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]{3,}", text.casefold())


def _in_order(words: list[str], within: str) -> bool:
    """Each word found in `within` after the one before it."""
    at = 0
    for word in words:
        at = within.find(word, at)
        if at < 0:
            return False
        at += len(word)
    return True


def test_every_printed_page_is_marked_where_it_begins(seedlike_build: Built) -> None:
    labels = [label for label, _, _ in _markers(seedlike_build.epub)]
    main_pages = [p for p in PdfReader(seedlike_build.pdf).page_labels if p.isdigit()]
    assert labels == main_pages  # every main-matter page, in order
    _check_pages(seedlike_build.pdf, seedlike_build.epub, labels)


def test_the_package_says_where_its_page_numbers_come_from(seedlike_build: Built) -> None:
    with zipfile.ZipFile(seedlike_build.epub) as zf:
        opf = zf.read("EPUB/content.opf").decode()
    assert '<meta property="schema:accessibilityFeature">printPageNumbers</meta>' in opf
    assert re.search(r'<meta property="pageBreakSource">the PDF edition, A4</meta>', opf)
    assert "page-list" in opf or "printPageNumbers" in opf


def test_an_epub_built_alone_has_no_page_list(tmp_path: Path, seedlike_build: Built) -> None:
    code, _, err = run_cli(
        "build",
        "--targets",
        "epub",
        "--content",
        "content",
        "--out",
        tmp_path,
        cwd=seedlike_build.root,
    )
    assert code == 0, err
    with zipfile.ZipFile(tmp_path / "book.epub") as zf:
        assert b"page-list" not in zf.read("EPUB/nav.xhtml")
        assert b"printPageNumbers" not in zf.read("EPUB/content.opf")


def test_markers_go_before_the_word_and_stack_for_blank_pages() -> None:
    xhtml = "<section id='c'><p>Bend the <em>knees</em> and brace the trunk.</p></section>"
    print_key = key("Bend the knees and brace the trunk.")
    pages = PageMap(
        (
            PageStart("4", "c", 0),
            PageStart("5", "c", print_key.index("brace") + 2),  # mid-word: back to "brace"
            PageStart("6", "c", print_key.index("brace") + 2),  # a blank page's marker
        ),
        {"c": print_key},
        "the PDF edition, A4",
    )
    out, markers = mark_pages(xhtml, "c", "c.xhtml", pages)
    assert [m.label for m in markers] == ["4", "5", "6"]
    spans = re.findall(r'<span [^>]*aria-label="(\d)"[^>]*></span>', out)
    assert spans == ["4", "5", "6"]
    assert re.search(r'and <span [^>]*"5"[^>]*></span><span [^>]*"6"[^>]*></span>brace', out)
    assert out.index('"4"') < out.index("Bend")


@pytest.mark.slow
def test_random_pages_of_a_photo_book_at_6x9_with_blank_versos(tmp_path: Path) -> None:
    book = generate(tmp_path / "book", exercises=30, guides=2, chapter_start="right")
    code, _, err = run_cli(
        "build", "--content", ".", "--paper", "6x9", "--out", book / "out", cwd=book
    )
    assert code == 0, err
    pdf, epub = book / "out" / "book.pdf", book / "out" / "book.epub"
    labels = [label for label, _, _ in _markers(epub)]
    main_pages = [p for p in PdfReader(pdf).page_labels if p.isdigit()]
    assert labels == main_pages[: len(labels)] and len(labels) >= len(main_pages) - 1
    _check_pages(pdf, epub, random.Random(7).sample(labels, 25))
    assert epubcheck_messages(epub) == ()


def test_the_epub_key_maps_each_character_back_to_its_text() -> None:
    """`_epub_key` keys ASCII texts in one step and the rest character by character; every key
    character must lead back to the character it came from, as a per-character walk finds."""
    from guidebook.render.pagemap import _epub_key, _slots

    root = etree.fromstring(
        "<div><p>Straße, ﬁne: e\u0301tude 3×10 <b>Ⅻ sets</b> of 深蹲 — ok!</p>"
        "<p>Plain ASCII, then <i>more</i> text.</p><p>   </p><p>🏋 lift ½</p></div>"
    )
    slots = list(_slots(root))
    epub_key, where = _epub_key(slots)
    expected: list[tuple[str, tuple[object, str, int]]] = []
    for element, attr, text in slots:
        for index, ch in enumerate(text):
            expected.extend((piece, (element, attr, index)) for piece in key(ch))
    assert epub_key == "".join(piece for piece, _ in expected)
    assert [where.slot(at) for at in range(len(epub_key))] == [spot for _, spot in expected]
    assert "strasse" in epub_key and "fine" in epub_key and "xii" in epub_key
