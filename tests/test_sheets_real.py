"""Form sheets for exercises written the way public libraries write them (not for us).

`benchmarks/sheetcorpus.py` generates the chapters: steps of several sentences with asides,
whole reps in one step, mostly no common mistakes, two photos, digit-leading and non-Latin
names, holds, carries, stretches, foam rolling, unilateral work, a 12-step Olympic lift.
Every sheet, on A4 and on Letter: one page within the print box, every word of every step in
order, no placeholder or writer-facing text, no heading over an empty part, the log grid the
exercise needs, and QR codes that open the chapter's page.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import REPO, run_cli
from pypdf import PdfReader
from test_printables import check_print_rules, decoded_qr, glyphs

from guidebook.printables import outlines

sys.path.insert(0, str(REPO / "benchmarks"))
from sheetcorpus import MANIFEST, TEMPLATES, generate

EXERCISES = len(TEMPLATES) * 2  # every template, and a variant of each
PLACEHOLDERS = ("no numbered steps", "more in the handout", "…", "see the book", "Technique\n")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict]]:
    folder = generate(tmp_path_factory.mktemp("real") / "content", exercises=EXERCISES)
    return folder, json.loads((folder / MANIFEST).read_text(encoding="utf-8"))


@pytest.fixture(scope="module", params=["a4", "letter"])
def built(
    request: pytest.FixtureRequest, corpus: tuple[Path, list[dict]]
) -> Iterator[tuple[str, Path, list[dict]]]:
    folder, manifest = corpus
    out = folder.parent / f"out-{request.param}"
    code, _out, err = run_cli(
        "sheets", "--content", folder, "--paper", request.param, "--out", out, "-q"
    )
    assert code == 0, err
    yield request.param, out / "sheets", manifest


def text_of(path: Path) -> str:
    return PdfReader(path).pages[0].extract_text()


def in_order(words: list[str], found: list[str]) -> bool:
    """Every word of `words` appears in `found` in that order (a group heading or a column
    break may come between two of them, nothing else)."""
    starts = [i for i, word in enumerate(found) if words and word == words[0]]
    for start in starts:
        position = start + 1
        for word in words[1:]:
            window = found[position : position + 5]
            if word not in window:
                break
            position += window.index(word) + 1
        else:
            return True
    return False


@pytest.mark.slow
def test_every_sheet_is_one_page_inside_the_print_box(built: tuple[str, Path, list[dict]]) -> None:
    paper, folder, manifest = built
    assert len(list(folder.glob("*.pdf"))) == len(manifest)
    for entry in manifest:
        check_print_rules(folder / f"{entry['slug']}.pdf", paper)


@pytest.mark.slow
def test_every_word_of_every_step_is_printed_in_order(
    built: tuple[str, Path, list[dict]],
) -> None:
    _paper, folder, manifest = built
    for entry in manifest:
        found = re.findall(r"\w+", text_of(folder / f"{entry['slug']}.pdf"))
        for number, step in enumerate(entry["steps"], start=1):
            assert in_order(re.findall(r"\w+", step), found), (entry["slug"], number, step)


@pytest.mark.slow
def test_the_athlete_reads_nothing_under_8_pt(built: tuple[str, Path, list[dict]]) -> None:
    _paper, folder, manifest = built
    for entry in manifest[:: len(TEMPLATES) // 5]:
        path = folder / f"{entry['slug']}.pdf"
        steps = " ".join(entry["steps"])
        for size, text in glyphs(path).sizes:
            if len(text) > 12 and text in steps:
                assert size >= 8 - 0.01, (path.name, text, size)


@pytest.mark.slow
def test_no_placeholder_and_no_heading_over_nothing(built: tuple[str, Path, list[dict]]) -> None:
    _paper, folder, manifest = built
    for entry in manifest:
        text = text_of(folder / f"{entry['slug']}.pdf")
        assert not any(p in text for p in PLACEHOLDERS), entry["slug"]
        assert ("TECHNIQUE CHECKLIST" in text) == bool(entry["steps"]), entry["slug"]
        source = (folder.parent.parent / "content" / entry["file"]).read_text(encoding="utf-8")
        assert ("WATCH FOR" in text) == ("## Common mistakes" in source), entry["slug"]


def drawn(path: Path, label: str) -> bool:
    """Whether the page draws `label` as a column head or field label (outlines.py)."""
    content = PdfReader(path).pages[0].get_contents().get_data()
    return outlines._path(label.upper(), 7.0, "semibold", 0.05) in content


@pytest.mark.slow
def test_the_log_grid_fits_the_exercise(built: tuple[str, Path, list[dict]]) -> None:
    _paper, folder, manifest = built
    heads = {
        "load": ("Load", "Reps", "Tempo"),
        "reps": ("Reps", "Tempo"),
        "time": ("Seconds",),
        "distance": ("Distance", "Time"),
    }
    for entry in manifest:
        path = folder / f"{entry['slug']}.pdf"
        # Nothing can tell that "Sentadilla búlgara" without steps is one-sided: its writer
        # says so with `log: load per side`. With steps ("switch legs") the builder knows.
        knowable = bool(entry["steps"]) or entry["template"] in entry["title"]
        for head in heads[entry["log"]]:
            sided = entry["per_side"] and knowable and head in ("Reps", "Seconds")
            for label in (f"{head} L", f"{head} R") if sided else (head,):
                assert drawn(path, label), (entry["slug"], entry["log"], label)
        if entry["log"] in ("reps", "time"):
            assert not drawn(path, "Load") and not drawn(path, "1RM"), entry["slug"]
        if entry["log"] == "time":
            assert not drawn(path, "Tempo"), entry["slug"]


@pytest.mark.slow
def test_qr_codes_open_the_chapters_page(built: tuple[str, Path, list[dict]]) -> None:
    paper, folder, manifest = built
    if paper != "a4":
        pytest.skip("decoded once")
    for entry in manifest[:6]:
        ((text, _width),) = decoded_qr(folder / f"{entry['slug']}.pdf")
        assert text == f"https://example.org/exercises/{entry['slug']}"
