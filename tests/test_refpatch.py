"""A written chunk's references to other chunks patched with their real pages (render/
refpatch.py): only where the page comes out as a whole layout would make it. Laid out by
WeasyPrint, written, patched and read back with pypdf."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pypdf import PdfReader

from guidebook.render.refpatch import Held, laid_references
from guidebook.render.renumber import Kept, recording
from guidebook.render.session import Session

_PAGE = """<html><head><style>
@page { size: A6; margin: 10mm }
body { font: 10pt/1.4 "Charis SIL", serif; }
p.just { text-align: justify; }
a.xref::after { content: "\\00a0(p.\\00a0" target-counter(attr(href url), page) ")"; }
COUNTER
</style></head><body>
BODY
<p id="here" style="break-before: page">The second page.</p>
</body></html>"""

_END = '<ul><li>Related: <a class="xref" href="#far">Far away</a></li></ul>'
_MIDDLE = '<p>See <a class="xref" href="#far">Far away</a> for the rest of it.</p>'
_JUSTIFIED = (
    '<p class="just">A long paragraph set justified, so that its lines stretch to both edges, '
    'with <a class="xref" href="#far">Far away</a> in the middle of a line and more words '
    "after it, many more words, enough to make a second and a third line of text here.</p>"
)


def _laid(body: str, told: int, counter: str = "") -> tuple[Any, Kept]:
    kept = Kept()
    html = _PAGE.replace("BODY", body).replace("COUNTER", counter)
    with recording(kept, {"far": told}):
        document = Session().draft(html, {}).layout()
    return document, kept


def _written(body: str, told: int, tmp_path: Path) -> tuple[Held, Path]:
    document, kept = _laid(body, told)
    found, patchable = laid_references(document, kept)
    assert patchable and [(r.page, r.anchor, r.told) for r in found] == [(0, "far", told)]
    path = tmp_path / "chunk.pdf"
    document.pages[-1].anchors["far"] = (0, 0, 0, 0)  # as `chunked.write`
    document.write_pdf(path)
    return Held.keep(document, found, {"far"}, path), path


def _text(path: Path) -> list[str]:
    return [page.extract_text().replace("\xa0", " ") for page in PdfReader(path).pages]


def test_a_reference_takes_its_real_page_in_the_written_file(tmp_path: Path) -> None:
    held, path = _written(_END, 98, tmp_path)
    assert "Far away (p. 98)" in _text(path)[0]
    assert held.patch({"far": 42})
    held.write(None, {})
    text = _text(path)
    assert len(text) == 2 and "Far away (p. 42)" in text[0]
    assert "The second page." in text[1]


def test_a_longer_number_at_the_end_of_a_flush_left_line_widens_its_link(tmp_path: Path) -> None:
    held, path = _written(_END, 98, tmp_path)
    before = _links(path)
    box = held.references[0].box
    width = box.width
    assert held.patch({"far": 1234})
    assert box.width > width and box.text.endswith("1234)")
    held.write(None, {})
    assert "Far away (p. 1234)" in _text(path)[0]
    after = _links(path)  # the link and its "(p. N)": as before, ending further right
    assert [(name, left) for name, left, _right in after] == [(n, x) for n, x, _r in before]
    pairs = zip(after, before, strict=True)
    grown = {round(right - old, 3) for (_n, _l, right), (_m, _k, old) in pairs}
    assert len(grown) == 1 and abs(grown.pop() - (box.width - width) * 0.75) < 0.01


def _links(path: Path) -> list[tuple[str, float, float]]:
    """(destination, left, right) of each link on the first page, in points."""
    found = []
    for annotation in PdfReader(path).pages[0]["/Annots"]:
        link = annotation.get_object()
        left, _bottom, right, _top = (float(v) for v in link["/Rect"])
        found.append((str(link["/Dest"]), round(left, 3), right))
    return found


def test_a_longer_number_in_the_middle_of_a_line_is_not_patched(tmp_path: Path) -> None:
    """The words after it would move: only a new layout knows where."""
    held, _path = _written(_MIDDLE, 98, tmp_path)
    box = held.references[0].box
    before = (box.text, box.width)
    assert not held.patch({"far": 1234})
    assert (box.text, box.width) == before
    assert held.patch({"far": 12})  # as wide: nothing moves


def test_a_justified_line_takes_only_a_number_as_wide(tmp_path: Path) -> None:
    held, _path = _written(_JUSTIFIED, 98, tmp_path)
    assert not held.patch({"far": 1234})
    assert held.patch({"far": 11})


def test_a_reference_printed_otherwise_than_in_digits_cannot_be_patched() -> None:
    """A layout that prints the page in roman numerals: the guessed number is not in the
    text, so the chunk stays whole, to be renumbered."""
    roman = (
        "a.xref::after { content: ' (p. ' target-counter(attr(href url), page, lower-roman) ')' }"
    )
    document, kept = _laid(_END, 98, roman)
    found, patchable = laid_references(document, kept)
    assert len(found) == 1 and "xcviii" in found[0].box.text and not patchable


def test_every_kept_page_is_written_again_even_when_its_numbers_were_right(
    tmp_path: Path,
) -> None:
    """Which pages come from the patch then depends on the book, not on the order in which
    the workers reported (the PDF is byte-identical between runs)."""
    held, path = _written(_END, 98, tmp_path)
    assert held.patch({"far": 98}) and held.patched == {0}
    before = path.read_bytes()
    held.write(None, {})
    assert path.read_bytes() != before and "Far away (p. 98)" in _text(path)[0]
