"""A written chunk's references to other chunks patched with their real pages (render/
refpatch.py): only where the page comes out as a whole layout would make it. Laid out by
WeasyPrint, written, patched and read back with pypdf."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import slow_except
from pypdf import PdfReader

from guidebook.render.pagemap import PageTexts
from guidebook.render.refpatch import Held, _walk, laid_references
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


def test_a_reference_that_prints_another_number_is_patched_while_they_differ() -> None:
    """ "(p. 299 of 300)": told 299, the number is found once and may be patched, but not to
    300, which a layout told 300 could not tell from the other (it would keep the chunk whole,
    and so must the patch: the chunk's file is then the same however it was guessed)."""
    of = "a.xref::after { content: ' (p. ' target-counter(attr(href url), page) ' of 300)' }"
    document, kept = _laid(_END, 299, of)
    found, patchable = laid_references(document, kept)
    assert patchable and found[0].box.text.endswith("299 of 300)")
    held = Held.keep(document, found, {"far"}, Path("unused.pdf"))
    assert not held.patch({"far": 300}) and held.patch({"far": 298})
    document, kept = _laid(_END, 300, of)
    assert not laid_references(document, kept)[1]


def test_references_on_the_tails_pages_are_the_next_chunks() -> None:
    """The chunk's pages are counted: a reference on the tail's (here one that cannot be
    patched) neither is kept nor keeps the chunk whole."""
    roman = (
        "a.roman::after { content: ' (p. ' target-counter(attr(href url), page, upper-roman) ')' }"
    )
    tail = '<p style="break-before: page">Next: <a class="xref roman" href="#far2">More</a></p>'
    kept = Kept()
    html = _PAGE.replace("BODY", _END + tail).replace("COUNTER", roman)
    with recording(kept, {"far": 98, "far2": 99}):
        document = Session().draft(html, {}).layout()
    assert not laid_references(document, kept)[1]
    found, patchable = laid_references(document, kept, pages=1)
    assert patchable and [(r.page, r.anchor) for r in found] == [(0, "far")]


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


# --- a patch makes the page a whole layout makes, or says no ------------------------------------


def _shape(box: Any) -> list[tuple[Any, ...]]:
    """Every box of a page, where it is and what it shows, to 1/100 px."""
    shapes = []
    for child, _path in _walk(box, ()):
        where = tuple(
            round(getattr(child, name), 2) for name in ("position_x", "position_y", "width")
        )
        shapes.append((type(child).__name__, *where, getattr(child, "text", None)))
    return shapes


def _patched_as_whole(body: str, told: int, real: int) -> bool | None:
    """Patch a layout told `told` with `real`: None when the patch says no; otherwise whether
    its first page is, box by box, the page a layout told `real` makes."""
    document, kept = _laid(body, told)
    found, patchable = laid_references(document, kept)
    assert patchable and found
    held = Held.keep(document, found, {"far"}, Path("unused.pdf"))
    if not held.patch({"far": real}):
        return None
    whole, _kept = _laid(body, real)
    return _shape(held.pages[0]) == _shape(whole.pages[0]._page_box)


@pytest.mark.parametrize(
    ("body", "told", "real"),
    [
        (_END, 98, 42),  # narrower, on its paragraph's last line
        (_END, 98, 1234),  # wider, at the end of a flush-left line
        (_END, 1234, 5),
        (_MIDDLE, 98, 12),  # as wide, in the middle of a line
        (_JUSTIFIED, 98, 11),  # as wide, in a justified line
    ],
)
def test_a_patched_page_is_the_page_a_whole_layout_makes(body: str, told: int, real: int) -> None:
    assert _patched_as_whole(body, told, real) is True


_SIZED = {
    "a table cell": '<table style="width: 100%"><tr><td>LINK</td><td>A cell</td></tr></table>',
    "an inline block": '<p>Before <span style="display: inline-block">LINK</span> after</p>',
    "a float": '<div style="float: left">LINK</div><p>Words beside the float.</p>',
    "a flex item": '<div style="display: flex"><div>LINK</div><div>The other item</div></div>',
    "an absolutely placed box": '<div style="position: absolute; top: 2cm">LINK</div>',
}


@pytest.mark.parametrize(
    ("real", "where"),
    slow_except([(real, where) for real in (5, 1234) for where in sorted(_SIZED)], 5),
)
def test_a_box_sized_by_its_content_takes_only_a_number_as_wide(real: int, where: str) -> None:
    """Its width (a table's columns, a float's, a flex item's) follows the number's: only a
    new layout knows by how much. (A wider number is refused in most of these for want of
    room too; a narrower one, in the inner loop, only because of the box.)"""
    body = _SIZED[where].replace("LINK", 'Related: <a class="xref" href="#far">Far away</a>')
    assert _patched_as_whole(body, 98, real) is None
    assert _patched_as_whole(body, 98, 12) is True


_SENTENCE = "Brace the trunk and keep the bar close to the shins while the hips rise"


@pytest.mark.slow
def test_a_narrower_number_is_patched_only_in_a_paragraph_of_one_line() -> None:
    """With a narrower number, a whole layout may pull the next line's first word up onto
    the reference's line, or the reference up onto the line before: the patch says no unless
    the paragraph is one line. Swept over where the lines break, with and without words after
    the reference; every patch that is made gives the page a whole layout makes."""
    outcomes: dict[tuple[bool, bool], int] = {}
    every = _SENTENCE.split()
    for count in range(len(every) + 1):
        for trailing in (False, True):
            words = " ".join(every[:count])
            after = " then lower it under control" if trailing else ""
            body = f'<p style="width: 220px">{words} <a class="xref" href="#far">Far</a>{after}</p>'
            for told, real in ((100, 99), (98, 7), (98, 1234)):
                result = _patched_as_whole(body, told, real)
                assert result is not False, (count, trailing, told, real)
                key = (real < told, result is None)
                outcomes[key] = outcomes.get(key, 0) + 1
    # narrower numbers were both patched (paragraph ends) and refused (words follow), and so
    # were wider ones (room left on the line, or not)
    assert all(
        outcomes.get((narrower, refused)) for narrower in (True, False) for refused in (True, False)
    )


def test_the_epub_page_map_of_a_patched_page_reads_its_real_numbers() -> None:
    """The EPUB's page markers are found by the printed text (`pagemap.py`): a patched
    page's text is read again, with the real number in it."""
    document, kept = _laid('<section id="ch">' + _END + "</section>", 98)
    found, _patchable = laid_references(document, kept)
    held = Held.keep(document, found, {"far"}, Path("unused.pdf"))
    boxes = [page._page_box for page in document.pages]
    held.texts = PageTexts.of(boxes, {"ch"}, lambda index: str(index + 1))
    assert held.starts() is not None and "farawayp98" in held.starts()[1]["ch"]
    assert held.patch({"far": 1234})
    starts, keys = held.starts() or ([], {})
    assert keys["ch"].endswith("farawayp1234") and starts[0].chapter == "ch"
