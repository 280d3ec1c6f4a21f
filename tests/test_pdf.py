"""PDF facts (pypdf), not bytes: pages, size, metadata, outline, page labels, the TOC's numbers,
links, and what the extracted text must and must not hold."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from conftest import EMOJI, Built, book_params, renderer_warnings
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

from guidebook.diagnostics import Reporter
from guidebook.render.session import captured

FORBIDDEN = ("üî", "Ô∏", "\uf8ff", "**", "{{", "{%", "</", "&amp;")
ROMAN = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii")


@cache
def reader(path: Path) -> PdfReader:
    return PdfReader(path)


@cache
def page_texts(path: Path) -> tuple[str, ...]:
    return tuple(page.extract_text() for page in reader(path).pages)


def flat(text: str) -> str:
    """One line, single spaces, line breaks after hyphens closed up."""
    return " ".join(re.sub(r"(?<=\w)-[ \t]*\n\s*", "-", text).split())


@dataclass(frozen=True)
class Entry:
    depth: int
    title: str
    page: int
    children: tuple[Entry, ...]


def outline(pdf: Path) -> list[Entry]:
    r = reader(pdf)

    def walk(items: list, depth: int) -> list[Entry]:
        entries: list[Entry] = []
        for item in items:
            if isinstance(item, list):  # children of the entry before
                last = entries[-1]
                entries[-1] = Entry(last.depth, last.title, last.page, tuple(walk(item, depth + 1)))
            else:
                entries.append(Entry(depth, item.title, r.get_destination_page_number(item), ()))
        return entries

    return walk(r.outline, 0)


def all_entries(entries: list[Entry] | tuple[Entry, ...]) -> list[Entry]:
    return [x for e in entries for x in (e, *all_entries(e.children))]


def chapter_start_pages(built: Built) -> dict[str, int]:
    """Chapter title -> 0-based page where its outline entry points."""
    titles = {title for _slug, title in built.chapters}
    return {e.title: e.page for e in all_entries(outline(built.pdf)) if e.title in titles}


def main_start(built: Built) -> int:
    """The page where arabic folio 1 must sit: the first part opener, else the first chapter."""
    first_part = built.book.parts[0]
    entries = all_entries(outline(built.pdf))
    if first_part.title:
        return min(e.page for e in entries if e.title.endswith(first_part.title))
    return chapter_start_pages(built)[built.chapters[0][1]]


def link_annotations(pdf: Path) -> list[tuple[int, DictionaryObject]]:
    found = []
    for index, page in enumerate(reader(pdf).pages):
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") == "/Link":
                found.append((index, annot))
    return found


def internal_target(annot: DictionaryObject) -> object | None:
    if "/Dest" in annot:
        return annot["/Dest"]
    action = annot.get("/A")
    if action is not None and action.get("/S") == "/GoTo":
        return action["/D"]
    return None


def dest_page(pdf: Path, dest: object) -> int:
    r = reader(pdf)
    if isinstance(dest, ArrayObject):
        return r.get_page_number(dest[0].get_object())
    named = r.named_destinations
    assert str(dest) in named, f"named destination {dest!r} does not exist"
    return r.get_destination_page_number(named[str(dest)])


# --- every book -----------------------------------------------------------------------------


def test_build_logged_no_renderer_warnings(any_build: Built) -> None:
    assert renderer_warnings(any_build.stderr) == []


def test_pdf_has_pages(any_build: Built) -> None:
    assert len(reader(any_build.pdf).pages) > len(any_build.chapters)


def test_outline_has_one_entry_per_chapter_with_its_title(any_build: Built) -> None:
    titles = [e.title for e in all_entries(outline(any_build.pdf))]
    for _slug, title in any_build.chapters:
        assert titles.count(title) == 1, (title, titles)
    starts = chapter_start_pages(any_build)
    ordered = [starts[title] for _slug, title in any_build.chapters]
    assert ordered == sorted(ordered) and len(set(ordered)) == len(ordered)


def test_page_labels_roman_then_arabic_from_the_main_matter(any_build: Built) -> None:
    r = reader(any_build.pdf)
    assert "/PageLabels" in r.trailer["/Root"]
    start = main_start(any_build)
    labels = r.page_labels
    assert start > 0
    assert labels[:start] == list(ROMAN[:start])
    assert labels[start:] == [str(n) for n in range(1, len(labels) - start + 1)]


def test_toc_prints_the_page_label_where_each_chapter_starts(any_build: Built) -> None:
    r = reader(any_build.pdf)
    start = main_start(any_build)
    toc = flat(" ".join(t for t in page_texts(any_build.pdf)[:start]))
    assert "Contents" in toc
    starts = chapter_start_pages(any_build)
    for _slug, title in any_build.chapters:
        match = re.search(re.escape(flat(title)) + r"[\s.]*?(\d+)\b", toc)
        assert match is not None, f"{title!r} not in the contents: {toc}"
        assert match.group(1) == r.page_labels[starts[title]], title


def test_printed_folios_match_the_page_labels(any_build: Built) -> None:
    labels = reader(any_build.pdf).page_labels
    checked = []
    for index, text in enumerate(page_texts(any_build.pdf)):
        lines = text.strip().splitlines()
        if lines and re.fullmatch(r"\d+|[ivxlc]+", lines[-1].strip()):
            assert lines[-1].strip() == labels[index], f"page {index}"
            checked.append(labels[index])
    # openers and blank pages carry no folio, but some front and some main pages do
    assert any(c.isdigit() for c in checked) and any(c.isalpha() for c in checked), checked


def test_internal_links_point_to_existing_pages(any_build: Built) -> None:
    count = len(reader(any_build.pdf).pages)
    internal = [
        (i, internal_target(a))
        for i, a in link_annotations(any_build.pdf)
        if internal_target(a) is not None
    ]
    assert internal, "the contents alone should give internal links"
    for _page, dest in internal:
        assert 0 <= dest_page(any_build.pdf, dest) < count


def test_contents_links_go_to_the_chapter_openers(any_build: Built) -> None:
    starts = chapter_start_pages(any_build)
    for slug, title in any_build.chapters:
        assert dest_page(any_build.pdf, slug) == starts[title]


def test_text_has_no_mojibake_markup_or_template_syntax(any_build: Built) -> None:
    text = "\n".join(page_texts(any_build.pdf))
    for bad in FORBIDDEN:
        assert bad not in text, f"{bad!r} in the PDF text"


# --- the fixture books ----------------------------------------------------------------------


@pytest.mark.parametrize(("name", "size"), [("seedlike", (595, 842)), ("withbook", (612, 792))])
def test_page_size(request: pytest.FixtureRequest, name: str, size: tuple[int, int]) -> None:
    built: Built = request.getfixturevalue(f"{name}_build")
    r = reader(built.pdf)
    assert {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in r.pages} == {
        size
    }


def test_main_matter_and_guides_open_on_right_hand_pages(any_build: Built) -> None:
    """chapter_start auto (the default): exercises open on the next page, guides and the main
    matter on a right-hand page, and a part's title heads its first chapter's page."""
    starts = chapter_start_pages(any_build)
    kinds = {ch.title: ch.kind for ch in any_build.book.chapters}
    recto = [t for t, page in starts.items() if kinds[t] == "guide"]
    assert all(starts[t] % 2 == 0 for t in recto), starts  # index 0 is page 1, recto
    assert main_start(any_build) % 2 == 0
    parts = {p.title: p.chapters[0].title for p in any_build.book.parts if p.title}
    for entry in outline(any_build.pdf):
        first = next((c for t, c in parts.items() if entry.title.endswith(t)), None)
        if first is not None:
            assert entry.page == starts[first], (entry.title, entry.page, starts[first])


def test_withbook_metadata(withbook_build: Built) -> None:
    meta = reader(withbook_build.pdf).metadata
    assert meta["/Title"] == "Hinge and Bridge Handbook"
    assert meta["/Author"] == "Ida Testwright"
    assert meta["/Keywords"] == "hip hinge, split squat, training plan"
    assert (
        meta["/Subject"] == "A short test book about hip hinges, split squats and weekly planning."
    )


def test_seedlike_metadata_falls_back_to_the_guide(seedlike_build: Built) -> None:
    meta = reader(seedlike_build.pdf).metadata
    assert meta["/Title"] == "Exercise Guide"
    assert "/Author" not in meta
    assert meta["/Subject"] == (
        "How to train the glutes with sound technique, sensible "
        "variations and a simple weekly plan."
    )
    assert set(meta["/Keywords"].split(", ")) == {
        "glute training",
        "hip extension",
        "glute bridge",
        "kettlebell swing",
    }


def test_withbook_outline_nests_chapters_under_their_parts(withbook_build: Built) -> None:
    tops = outline(withbook_build.pdf)
    for part in withbook_build.book.parts:
        holders = [e for e in tops if e.children and e.title.endswith(part.title)]
        assert len(holders) == 1, [e.title for e in tops]
        assert [c.title for c in holders[0].children] == [ch.title for ch in part.chapters]


def test_withbook_outline_has_one_entry_per_part(withbook_build: Built) -> None:
    tops = [e for e in outline(withbook_build.pdf) if not e.title.startswith("Index")]
    assert len(tops) == len(withbook_build.book.parts), [e.title for e in tops]


def test_seedlike_outline_is_flat(seedlike_build: Built) -> None:
    tops = outline(seedlike_build.pdf)
    assert [(e.title, e.children) for e in tops] == [
        ("Glute Bridge", ()),
        ("Kettlebell Swing", ()),
        ("Glute Training: Stronger Hips for Lifting and Daily Life", ()),
        ("Warm-Up Basics", ()),
        ("Index of Target Muscles", ()),  # the back-of-book indexes, after the chapters
        ("Index of Secondary Muscles", ()),
        ("Index of Equipment", ()),
        ("Index of Body Parts", ()),
        ("Index by Difficulty", ()),
    ]


def test_seedlike_first_chapter_is_page_1(seedlike_build: Built) -> None:
    r = reader(seedlike_build.pdf)
    assert r.page_labels[chapter_start_pages(seedlike_build)["Glute Bridge"]] == "1"


@pytest.mark.parametrize("name", book_params("seedlike", "seeds"))
def test_call_to_action_buttons_have_repaired_emoji(
    request: pytest.FixtureRequest, name: str
) -> None:
    built: Built = request.getfixturevalue(f"{name}_build")
    text = "\n".join(page_texts(built.pdf))
    for emoji in EMOJI:
        assert emoji in text
    if name == "seedlike":
        for label in (
            "🏋️ Compare Sturdy Training Benches",
            "🔥 Try the Four-Week Hip Plan",
            "💪 Browse Bands & Straps",
        ):
            assert label in text


def test_call_to_action_buttons_are_links(seedlike_build: Built) -> None:
    uris = {
        a["/A"]["/URI"]
        for _i, a in link_annotations(seedlike_build.pdf)
        if "/A" in a and a["/A"].get("/S") == "/URI"
    }
    assert {
        "https://example.org/shop/benches",
        "https://example.org/plans/hip-burner",
        "https://example.org/shop/bands?size=m&colour=red",
    } <= uris


@pytest.mark.parametrize("name", book_params("seedlike", "withbook", "seeds"))
def test_metadata_box_replaces_the_bullets(request: pytest.FixtureRequest, name: str) -> None:
    built: Built = request.getfixturevalue(f"{name}_build")
    text = "\n".join(page_texts(built.pdf))
    assert re.search(r"target\s+glutes", text, re.IGNORECASE) or re.search(
        r"target\s+quadriceps", text, re.IGNORECASE
    )
    assert re.search(r"secondary\s+(hamstrings|glutes)", text, re.IGNORECASE)
    assert "**Body Part:**" not in text
    assert "Body Part:**" not in text
    assert "Body Part:" not in text


def test_seedlike_exercise_box_values(seedlike_build: Built) -> None:
    text = flat("\n".join(page_texts(seedlike_build.pdf)))
    assert "BODY PART Legs TARGET Glutes SECONDARY Hamstrings, Core EQUIPMENT Kettlebell" in text
    assert "DIFFICULTY Intermediate CATEGORY Strength" in text


def text_positions(pdf: Path, index: int) -> list[tuple[str, float, float]]:
    """Text fragments of one page with their baseline start in PDF user space."""
    fragments: list[tuple[str, float, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: object, _size: object) -> None:
        if text.strip():
            x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
            y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
            fragments.append((text, x, y))

    reader(pdf).pages[index].extract_text(visitor_text=visit)
    return fragments


def covered_by_a_link(pdf: Path, index: int, words: str) -> bool:
    (fragment,) = [f for f in text_positions(pdf, index) if f[0].startswith(words)]
    _text, x, y = fragment
    for page, annot in link_annotations(pdf):
        x1, y1, x2, y2 = (float(v) for v in annot["/Rect"])
        if (
            page == index
            and min(x1, x2) <= x + 2 <= max(x1, x2)
            and min(y1, y2) <= y + 1 <= max(y1, y2)
        ):
            return True
    return False


def test_unresolved_site_link_is_plain_text_without_a_link(seedlike_build: Built) -> None:
    texts = page_texts(seedlike_build.pdf)
    (index,) = [i for i, t in enumerate(texts) if "Deadlift Technique" in t]
    assert "Deadlift Technique - Pull heavy weights from the floor" in flat(texts[index])
    assert not covered_by_a_link(seedlike_build.pdf, index, "Deadlift Technique")
    # the same measurement does find the resolved link beside it
    assert covered_by_a_link(seedlike_build.pdf, index, "Warm-Up Basics")
    assert not any(
        "deadlift" in str(a.get("/A", {}).get("/URI", "")) + str(a.get("/Dest", ""))
        for _i, a in link_annotations(seedlike_build.pdf)
    )


def test_site_link_to_a_missing_chapter_goes_to_site_url(withbook_build: Built) -> None:
    uris = {str(a["/A"]["/URI"]) for _i, a in link_annotations(withbook_build.pdf) if "/A" in a}
    assert "https://example.org/guide/recovery-meals" in uris
    assert "https://example.org/exercises/kettlebell-swing" in uris
    assert not any(u.startswith("https://example.org/exercises/split-squat") for u in uris)


@pytest.mark.parametrize(
    ("name", "words", "dest"),
    [
        ("seedlike", "swing drills", "kettlebell-swing--how-to-perform"),
        ("seedlike", "Warm-Up Basics", "guide-warm-up-basics"),
        ("seedlike", "kettlebell swing", "kettlebell-swing"),
        ("withbook", "Hip Hinge Drill", "hip-hinge-drill"),
        ("withbook", "setup steps", "hip-hinge-drill--how-to-perform"),
        ("withbook", "Rest Days", "rest-days"),
        ("withbook", "Split Squat", "split-squat"),
    ],
)
def test_cross_references_print_the_target_page(
    request: pytest.FixtureRequest, name: str, words: str, dest: str
) -> None:
    built: Built = request.getfixturevalue(f"{name}_build")
    r = reader(built.pdf)
    label = r.page_labels[dest_page(built.pdf, dest)]
    text = flat("\n".join(page_texts(built.pdf)))
    assert f"{words} (p. {label})" in text
    pages = {p for p, a in link_annotations(built.pdf) if str(internal_target(a)) == dest}
    assert pages, f"no link annotation to {dest}"


def test_warning_guard_sees_weasyprint_records_while_the_renderer_mutes_them(
    weasyprint_log: logging.Handler,
) -> None:
    reporter = Reporter(sink=None)
    with captured(reporter.warning, {}):
        logging.getLogger("weasyprint").warning("Ignored `colour: red` at 3:1, unknown property.")
    records = weasyprint_log.take()  # taken here, so the autouse guard has nothing left to flag
    assert [r.getMessage() for r in records] == ["Ignored `colour: red` at 3:1, unknown property."]
    assert [d.message for d in reporter.warnings] == [
        "PDF renderer: Ignored `colour: red` at 3:1, unknown property."
    ]
    assert logging.getLogger("weasyprint").propagate is True
