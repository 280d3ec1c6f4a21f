"""Callouts: GitHub alerts and admonitions become boxes, the same in the PDF and the EPUB."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import epubcheck_messages, run_cli
from lxml import etree
from pypdf import PdfReader
from pypdf.generic import ContentStream

from guidebook.convert.markdown import MarkdownConverter

XHTML = "{http://www.w3.org/1999/xhtml}"


def convert(text: str) -> etree._Element:
    html = MarkdownConverter().convert(text)
    return etree.fromstring(f"<div>{html}</div>")


def boxes(root: etree._Element) -> list[tuple[str, str, str]]:
    """(class, title, text of the rest) of each callout."""
    found = []
    for aside in root.iter("aside"):
        title = aside.find("p[@class='callout-title']")
        rest = "".join(aside.itertext()).replace(title.text if title is not None else "", "", 1)
        found.append((aside.get("class"), title.text if title is not None else "", rest.strip()))
    return found


@pytest.mark.parametrize("kind", ["NOTE", "Tip", "important", "WARNING", "caution"])
def test_every_github_alert_kind_in_any_case(kind: str) -> None:
    root = convert(f"> [!{kind}]\n> Keep the bar close.\n")
    assert boxes(root) == [
        (f"callout callout-{kind.lower()}", kind.capitalize(), "Keep the bar close.")
    ]
    assert root.find("blockquote") is None


def test_quotes_that_a_blank_line_separates_stay_apart() -> None:
    """Python-Markdown joins the quotes; each marker starts a box of its own again."""
    root = convert("> Plain words first.\n\n> [!WARNING]\n> Heavy.\n\n> [!TIP] Light.\n")
    assert [b[0] for b in boxes(root)] == ["callout callout-warning", "callout callout-tip"]
    assert boxes(root)[1][2] == "Light."
    assert "".join(root.find("blockquote").itertext()).strip() == "Plain words first."


def test_a_marker_not_at_the_start_is_just_text() -> None:
    root = convert("> Remember [!NOTE] is how GitHub spells it.\n")
    assert boxes(root) == []
    assert "[!NOTE]" in "".join(root.itertext())


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('!!! warning "Keep the bar close"\n    Text.\n', ("warning", "Keep the bar close")),
        ("!!! danger\n    Text.\n", ("caution", "Danger")),
        ("!!! hint\n    Text.\n", ("tip", "Hint")),
        ("!!! custom-kind\n    Text.\n", ("note", "Custom-kind")),
        ('!!! note ""\n    Text.\n', ("note", "")),
    ],
)
def test_admonitions_fold_into_the_five_kinds(source: str, expected: tuple[str, str]) -> None:
    ((classes, title, rest),) = boxes(convert(source))
    assert (classes, title, rest) == (f"callout callout-{expected[0]}", expected[1], "Text.")


GUIDE = """---
title: Training Safely at Home
---

# Training Safely at Home

Lifting at home means nobody spots you.

> [!WARNING]
> Never bench heavy without safety arms set just below your chest.

!!! tip "Film a set"
    Your eyes lie about depth; the camera does not.
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("callouts")
    (root / "content" / "guides").mkdir(parents=True)
    (root / "content" / "guides" / "safety.md").write_text(GUIDE, encoding="utf-8")
    code, _, err = run_cli("build", "--content", "content", "--out", "out", cwd=root)
    assert code == 0, err
    return root / "out"


def test_the_epub_has_boxes_announced_as_notes(built: Path) -> None:
    with zipfile.ZipFile(built / "book.epub") as zf:
        doc = etree.fromstring(zf.read("EPUB/safety.xhtml"))
    asides = list(doc.iter(f"{XHTML}aside"))
    assert [(a.get("class"), a.get("role")) for a in asides] == [
        ("callout callout-warning", "note"),
        ("callout callout-tip", "note"),
    ]
    titles = [a.findtext(f"{XHTML}p[@class='callout-title']") for a in asides]
    assert titles == ["Warning", "Film a set"]


def test_the_pdf_frames_the_warning(built: Path) -> None:
    text = subprocess.run(
        ["pdftotext", "-layout", str(built / "book.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "WARNING" in text and "FILM A SET" in text
    reader = PdfReader(built / "book.pdf")
    strokes = set()
    for page in reader.pages:
        for operands, op in ContentStream(page.get_contents(), reader).operations:
            if op in (b"rg", b"RG"):
                strokes.add(tuple(round(float(v) * 255) for v in operands))
    assert (161, 43, 43) in strokes  # the warning's frame and mark, --mistake


@pytest.mark.slow
def test_the_epub_with_callouts_passes_epubcheck(built: Path) -> None:
    assert epubcheck_messages(built / "book.epub") == ()
