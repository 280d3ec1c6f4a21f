"""The figure pass (render/holes.py): a figure block that does not fit leaves no hole.

Documents are written here in the figure markup contract (`div.figures` with an id, holding
`figure.photo`s) or as a lone `<figure>`, laid out by the session's handout stylesheets (the
book's typography, plain pages). Each case first finds how many lines of text before the
figure make the hole it needs (one layout without the pass), then asserts facts about the PDF
written after the pass: the ink on each page (pdftoppm), the images drawn (the content
streams' `Do`), the order of the text (pypdf).
"""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader

from guidebook.model import Asset
from guidebook.render import holes, pages, spill
from guidebook.render.session import Session
from tests.conftest import REPO, run_cli

pytestmark = pytest.mark.slow

RASTER_DPI = 40
PHOTO = "images/photo.jpg"
PORTRAIT = "images/portrait.jpg"  # in the contract blocks: tall, so a hole can be large


def photo(path: Path, size: tuple[int, int] = (2000, 1500)) -> Path:
    """A JPEG with ink to its edges, so the raster sees where it is drawn."""
    image = Image.new("RGB", size, (120, 140, 160))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, size[1] * 2 // 3, size[0], size[1]), fill=(90, 80, 70))
    draw.ellipse((size[0] // 3, size[1] // 5, size[0] // 2, size[1] // 2), fill=(30, 30, 30))
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "JPEG", quality=80)
    return path


def contract_block(n: int = 2) -> str:
    figures = "".join(
        f'<figure class="photo portrait"><img src="{PORTRAIT}" alt="Squat position {k}"'
        f' width="480" height="768" class="print-size"/><figcaption>Position {k}</figcaption>'
        "</figure>"
        for k in range(1, n + 1)
    )
    return f'<div class="figures figures-{n}" id="squat--figures-1">{figures}</div>'


LONE = f'<figure><img src="{PHOTO}" alt="Squat" style="width: 100%"/></figure>'


def document(before: int, block: str, after: int) -> str:
    """Two chapters; the first has `before` one-line paragraphs, the block, `after`
    paragraphs of a few lines."""
    lines = "".join(f"<p>Before line {k:02d} of the squat.</p>" for k in range(before))
    filler = " Keep the weight over the middle of the foot and the chest up." * 5
    tail = "".join(f"<p>After line {k:02d} of the squat.{filler}</p>" for k in range(after))
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>T</title>'
        "<style>@page { size: A4; } article.chapter { break-before: page; }"
        # The photos' own size decides here, not the book's height caps.
        " .figures img { max-height: none; }</style></head>"
        '<body><article class="chapter" id="squat"><h1 class="chapter-title">Squat</h1>'
        f'<div class="chapter-body"><section class="sec">{lines}{block}{tail}</section></div>'
        '</article><article class="chapter" id="lunge"><h1 class="chapter-title">Lunge</h1>'
        "<p>Next chapter text.</p></article></body></html>"
    )


def assets(tmp_path: Path) -> dict[str, Asset]:
    return {
        PHOTO: Asset(PHOTO, photo(tmp_path / "photo.jpg"), "image/jpeg"),
        PORTRAIT: Asset(PORTRAIT, photo(tmp_path / "portrait.jpg", (1500, 2400)), "image/jpeg"),
    }


def lay_out(html: str, files: dict[str, Asset], layouts: int) -> tuple[Any, holes.Settled]:
    return holes.settle(Session().draft(html, files, "handout"), layouts)


def calibrated(files: dict[str, Asset], block: str, lo: float, hi: float) -> str:
    """The document whose figure block leaves a hole with space / block height in [lo, hi)."""
    for before in range(12, 60):
        html = document(before, block, 8)
        found = holes.find_holes(lay_out(html, files, 1)[0])
        if found:
            hole = found[0]
            ratio = hole.space / hole.figure.height
            if lo <= ratio < hi:
                return html
    raise AssertionError(f"no line count makes a hole of {lo}..{hi} of the block's height")


def ink_bottoms(pdf: bytes, doc: Any, tmp_path: Path) -> list[float | None]:
    """Per page: the lowest ink in the text area, as a fraction of its height (None: blank)."""
    (tmp_path / "out.pdf").write_bytes(pdf)
    prefix = tmp_path / "raster"
    cmd = ["pdftoppm", "-r", str(RASTER_DPI), "-gray", str(tmp_path / "out.pdf"), str(prefix)]
    subprocess.run(cmd, check=True)
    files = sorted(tmp_path.glob("raster-*.pgm"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    found: list[float | None] = []
    for file, page in zip(files, doc.pages, strict=True):
        box = page._page_box
        with Image.open(file) as image:
            gray = image.convert("L")
        scale = gray.height / box.margin_height()
        top, bottom = (
            round(box.content_box_y() * scale),
            round((box.content_box_y() + box.height) * scale),
        )
        band = gray.crop((0, top, gray.width, bottom)).point(lambda v: 255 if v < 200 else 0)
        ink = band.getbbox()
        found.append(ink[3] / (bottom - top) if ink else None)
    return found


def images_drawn(pdf: bytes) -> list[int]:
    """Per page: image XObjects its content stream draws."""
    reader = PdfReader(io.BytesIO(pdf))
    counts = []
    for page in reader.pages:
        xobjects = (page.get("/Resources") or {}).get("/XObject") or {}
        data = page.get_contents().get_data() if page.get_contents() is not None else b""
        names = re.findall(rb"/([^\s/\[\]()<>]+)\s+Do\b", data)
        counts.append(
            sum(
                1
                for name in names
                if (x := xobjects.get("/" + name.decode("latin-1"))) is not None
                and x.get_object().get("/Subtype") == "/Image"
            )
        )
    return counts


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def assert_in_order(text: str, prefix: str) -> None:
    found = [int(n) for n in re.findall(prefix + r" line (\d\d)", text)]
    assert found == sorted(found) and found == list(range(len(found))), found


def assert_no_holes(bottoms: list[float | None], texts: list[str]) -> None:
    """No page but the last of the first chapter has its lower quarter empty."""
    last = max(i for i, text in enumerate(texts) if "Squat" in text or "line" in text)
    for index, bottom in enumerate(bottoms[:last]):
        assert bottom is not None and bottom >= 1 - holes.LOWER, (index, bottom)


def test_a_figure_block_that_would_leave_a_hole_moves_and_text_flows_up(tmp_path: Path) -> None:
    files = assets(tmp_path)
    html = calibrated(files, contract_block(), 0.3, pages.SHRINK_MIN - 0.05)
    before_doc, _ = lay_out(html, files, 1)
    assert len(holes.find_holes(before_doc)) == 1  # the case: a hole without the pass

    doc, done = lay_out(html, files, holes.MAX_LAYOUTS)
    pdf = doc.write_pdf()
    texts = page_texts(pdf)
    assert (done.moved, done.shrunk, done.holes[-1]) == (1, 0, 0)
    assert_no_holes(ink_bottoms(pdf, doc, tmp_path), texts)
    assert sum(images_drawn(pdf)) == 2
    whole = "\n".join(texts)
    assert_in_order(whole, "Before")
    assert_in_order(whole, "After")
    assert whole.index("Position 1") < whole.index("Position 2")
    # Text flowed up: the page before the photos now holds lines that came after them.
    first_photos = next(i for i, n in enumerate(images_drawn(pdf)) if n)
    assert "After line 00" in texts[first_photos - 1]
    # Never into the next chapter: its page holds no photo and starts with its title.
    lunge = next(i for i, text in enumerate(texts) if "Next chapter text" in text)
    assert images_drawn(pdf)[lunge] == 0 and "Squat" not in texts[lunge]


def test_a_figure_block_with_most_of_its_height_free_shrinks_to_fit(tmp_path: Path) -> None:
    files = assets(tmp_path)
    html = calibrated(files, LONE, 0.8, 0.98)
    doc, done = lay_out(html, files, holes.MAX_LAYOUTS)
    pdf = doc.write_pdf()
    texts = page_texts(pdf)
    assert (done.shrunk, done.moved, done.holes[-1]) == (1, 0, 0)
    drawn = images_drawn(pdf)
    assert drawn[0] == 1  # the photo stays on the page where the text before it is
    assert "After line 00" not in texts[0].split("Before line")[0]
    assert_no_holes(ink_bottoms(pdf, doc, tmp_path), texts)
    assert_in_order("\n".join(texts), "Before")
    assert_in_order("\n".join(texts), "After")


def test_a_figure_at_the_chapter_end_stays_in_its_chapter(tmp_path: Path) -> None:
    files = assets(tmp_path)
    html = document(30, contract_block(), 0)
    doc, _done = lay_out(html, files, holes.MAX_LAYOUTS)
    pdf = doc.write_pdf()
    texts = page_texts(pdf)
    lunge = next(i for i, text in enumerate(texts) if "Next chapter text" in text)
    assert sum(images_drawn(pdf)[:lunge]) == 2 and images_drawn(pdf)[lunge] == 0


def handout_page_one(pdf: Path, tmp_path: Path) -> float:
    """The lowest ink on page 1 of a handout, as a fraction of its text area (the margins of
    handout.css's first @page rule)."""
    margins = re.search(
        r"@page\s*\{\s*margin:\s*([\d.]+)mm\s+[\d.]+mm\s+([\d.]+)mm",
        (REPO / "assets" / "css" / "handout.css").read_text(encoding="utf-8"),
    )
    assert margins
    prefix = tmp_path / f"{pdf.parent.parent.name}-page1"
    cmd = ["pdftoppm", "-r", str(RASTER_DPI), "-gray", "-f", "1", "-l", "1", "-singlefile"]
    subprocess.run([*cmd, str(pdf), str(prefix)], check=True)
    with Image.open(f"{prefix}.pgm") as image:
        gray = image.convert("L")
    per_mm = gray.height / 297  # A4
    top, bottom = round(float(margins[1]) * per_mm), gray.height - round(float(margins[2]) * per_mm)
    ink = gray.crop((0, top, gray.width, bottom)).point(lambda v: 255 if v < 200 else 0).getbbox()
    return ink[3] / (bottom - top) if ink else 0.0


def test_handouts_have_no_hole_on_page_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A chapter whose photos leave page 1 of its handout a third empty without the pass."""
    content = tmp_path / "content"
    photo(content / "squat-start.jpg", (1600, 2400))  # portrait: a pair is 90 mm tall
    photo(content / "squat-end.jpg", (1600, 2400))

    def write(steps: int) -> None:
        numbered = "\n".join(
            f"{k}. Step {k} of the movement, with the weight held close and the back straight."
            for k in range(1, steps + 1)
        )
        tips = "\n".join(
            f"- Tip {k}: keep the chest up and the knees over the toes." for k in range(6)
        )
        (content / "squat.md").write_text(
            "# Squat\n\n## How to perform\n\n"
            f"{numbered}\n\n![Squat start position](squat-start.jpg)\n\n"
            f"![Squat end position](squat-end.jpg)\n\n## Pro tips\n\n{tips}\n",
            encoding="utf-8",
        )

    def build(out: Path) -> Path:
        args = ("build", "--content", content, "--out", out, "--targets", "handouts")
        code, _out, err = run_cli(*args, cwd=REPO)
        assert code == 0, err
        return out / "handouts" / "squat.pdf"

    for steps in range(1, 25):  # the case: as many steps as make a hole without the pass
        write(steps)
        with monkeypatch.context() as patch:
            patch.setattr(holes, "MAX_LAYOUTS", 1)
            unsettled = build(tmp_path / f"without-{steps}")
        if handout_page_one(unsettled, tmp_path) < 1 - holes.LOWER:
            break
    else:
        raise AssertionError("no step count leaves a hole on page 1")

    settled = build(tmp_path / "with")
    pdf = settled.read_bytes()
    assert sum(images_drawn(pdf)) == 2
    assert len(PdfReader(io.BytesIO(pdf)).pages) > 1  # so page 1 is not the last
    assert handout_page_one(settled, tmp_path) >= 1 - holes.LOWER
    text = "\n".join(page_texts(pdf))
    assert text.index(f"Step {steps} ") < text.index("Tip 0") < text.index("Tip 5")


def test_a_chapter_that_spills_a_few_lines_wins_its_last_page_back(tmp_path: Path) -> None:
    """One page and a line or two: the figure on page 1 gives up the height the spilled lines
    need, and the chapter ends on its first page."""
    files = assets(tmp_path)
    for before in range(4, 40):
        html = document(before, contract_block(), 1)
        pages_, flow = pages.read_pages(lay_out(html, files, 1)[0])
        if len(spill.find_spills(pages_, flow)) == 1 and len(pages_) == 3:
            break
    else:
        raise AssertionError("no line count spills the chapter onto a second page")
    doc, done = lay_out(html, files, holes.MAX_LAYOUTS)
    texts = page_texts(doc.write_pdf())
    assert done.tightened == 1
    assert "Next chapter text" in texts[1]  # the squat ends on page 1; the lunge opens page 2
    assert_in_order(texts[0], "Before")
