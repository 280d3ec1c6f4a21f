#!/usr/bin/env python3
"""Issue 14's targets in one run: the chunked PDF layout (-j), the layout cache, the EPUB.

    python benchmarks/bench_parallel.py --exercises 900 [--photos 2] [--skip ROW,...]

On one generated photo corpus (corpus.py: N exercise chapters, K Pillow-drawn JPEGs each, four
guides), each row a child process started through _measure.py, one after the other:

  naive      Markdown -> one HTML (guidebook's `--format html`, untimed prep) -> one bare
             `weasyprint.HTML(...).write_pdf()`: what the layout costs with nothing else
  pdf-j1     make_book.py build --format pdf -j 1 --no-cache  (the one-process layout)
  pdf-j2     make_book.py build --format pdf -j 2 --no-cache  (chunks over 2 workers)
  full-j2    make_book.py build --format pdf,epub -j 2 --no-cache
  epub       make_book.py build --format epub
  pandoc     pandoc's EPUB writer on the same chapters (pip pypandoc-binary)
  typst      pandoc -> Typst -> PDF (pip typst): what Quarto does now
  warm       build --format pdf,epub -j 2 into a folder whose layout cache is filled (twice:
             the first fills it, the second is timed): nothing changed
  edit-word  the same, after one word of a step in the middle chapter changed
  edit-para  the same, after a paragraph of ~150 words was added to that chapter (pages move)

Wall time includes interpreter start-up. "RSS max" is the largest single process (getrusage);
"RSS sum" the largest sum over the process tree, sampled every 50 ms from /proc (the parallel
rows have 3 processes). Ratios are printed against the targets and written, with every row,
to out/parallel-<N>.json. The corpus is copied before the edits; the original stays as it was.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PYTHON = sys.executable
MAKE_BOOK = str(ROOT / "make_book.py")

sys.path.insert(0, str(HERE))
from bench_build import BASELINE, measure, pdf_pages  # noqa: E402
from corpus import generate  # noqa: E402

# The .typ file is written beside the exercises, whose `images/...` paths Typst then finds.
# `keywords=`: pandoc writes the chapters' comma-separated keywords unquoted into the Typst
# document's keywords, which Typst cannot parse ("expected comma").
TYPST = r"""
import subprocess, sys, typst
pandoc, folder, out, *chapters = sys.argv[1:]
source = chapters[-1].rsplit("/", 1)[0] + "/book.typ"
subprocess.run([pandoc, "-s", "-f", "markdown", "-t", "typst", "--resource-path", folder,
                "--metadata", "keywords=", "-o", source, *chapters], check=True)
typst.compile(source, output=f"{out}/book.pdf", root="/")
"""

TARGETS = {  # name: (numerator, denominator, bound, "<=" or ">=")
    "full-j2 / naive": ("full-j2", "naive", 0.6, "<="),
    "pdf-j1 / pdf-j2 (speed-up)": ("pdf-j1", "pdf-j2", 1.7, ">="),
    "RSS sum pdf-j2 / naive": ("pdf-j2", "naive", 0.6, "<="),
    "epub / pandoc": ("epub", "pandoc", 0.25, "<="),
    "edit-word / full-j2": ("edit-word", "full-j2", 0.15, "<="),
    "edit-para / full-j2": ("edit-para", "full-j2", 0.15, "<="),
    "full-j2 / typst": ("full-j2", "typst", None, ""),
}


def chapters_in_order(content: Path) -> list[Path]:
    return sorted((content / "guides").glob("*.md")) + sorted((content / "exercises").glob("*.md"))


def edit(chapter: Path, paragraph: bool) -> None:
    text = chapter.read_text(encoding="utf-8")
    if paragraph:
        words = "Keep the ribs down and the breath steady while the load settles. " * 12
        text = text.replace("\n## ", f"\n{words.strip()}\n\n## ", 1)
    else:
        text = text.replace(" the ", " a ", 1)
    chapter.write_text(text, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exercises", type=int, default=900)
    parser.add_argument("--photos", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skip", default="", help="rows to leave out, comma-separated")
    parser.add_argument("--out", type=Path, default=HERE / "out")
    args = parser.parse_args()
    skip = {name.strip() for name in args.skip.split(",") if name.strip()}
    work = args.out / f"parallel-{args.exercises}-p{args.photos}"
    corpus = args.out / f"corpus-{args.exercises}-p{args.photos}"
    generate(corpus, exercises=args.exercises, photos_per_chapter=args.photos, seed=args.seed)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    copy = work / "corpus"
    shutil.copytree(corpus, copy)
    rows: dict[str, dict] = {}

    def run(name: str, cmd: list[str], pdf: Path | None = None) -> None:
        if name in skip:
            return
        print(f"running {name} ...", flush=True)
        rows[name] = measure(name, cmd, work / "runs")
        rows[name]["pages"] = pdf_pages(pdf) if pdf else None
        data = rows[name]
        peak, summed = data["maxrss_kb"] / 1024, data["tree_rss_kb"] / 1024
        print(f"  {data['wall_s']:.1f} s, RSS max {peak:.0f} MB, sum {summed:.0f} MB, "
              f"exit {data['returncode']}", flush=True)  # fmt: skip

    def build(name: str, out: Path, formats: str, *extra: str) -> None:
        cmd = [PYTHON, MAKE_BOOK, "build", "--content", str(copy), "--out", str(out)]
        run(name, [*cmd, "--format", formats, "-q", *extra], out / "book.pdf")

    prep = work / "prep"
    subprocess.run([PYTHON, MAKE_BOOK, "build", "--content", str(copy), "--out", str(prep),
                    "--format", "html", "-q"], check=True)  # fmt: skip
    script = work / "naive.py"
    script.write_text(BASELINE, encoding="utf-8")
    run("naive", [PYTHON, str(script), str(prep / "book" / "index.html"), str(work / "naive.pdf")],
        work / "naive.pdf")  # fmt: skip
    build("pdf-j1", work / "pdf-j1", "pdf", "-j", "1", "--no-cache")
    build("pdf-j2", work / "pdf-j2", "pdf", "-j", "2", "--no-cache")
    build("full-j2", work / "full-j2", "pdf,epub", "-j", "2", "--no-cache")
    build("epub", work / "epub", "epub")
    import pypandoc  # type: ignore[import-not-found]

    pandoc = pypandoc.get_pandoc_path()
    chapters = [str(path) for path in chapters_in_order(copy)]
    folders = ":".join(str(copy / part) for part in ("exercises", "guides"))
    run("pandoc", [pandoc, "-f", "markdown", "-t", "epub3", "--resource-path", folders,
                   "-o", str(work / "pandoc.epub"), *chapters])  # fmt: skip
    (work / "typst").mkdir()
    script = work / "pandoc_typst.py"
    script.write_text(TYPST, encoding="utf-8")
    run("typst", [PYTHON, str(script), pandoc, folders, str(work / "typst"), *chapters],
        work / "typst" / "book.pdf")  # fmt: skip
    warm = work / "warm"
    if not {"warm", "edit-word", "edit-para"} <= skip:
        subprocess.run(
            [
                PYTHON,
                MAKE_BOOK,
                "build",
                "--content",
                str(copy),
                "--out",
                str(warm),
                "-j",
                "2",
                "-q",
            ],
            check=True,
        )  # fmt: skip: fills the cache
        build("warm", warm, "pdf,epub", "-j", "2")
        middle = sorted((copy / "exercises").glob("*.md"))[args.exercises // 2]
        edit(middle, paragraph=False)
        build("edit-word", warm, "pdf,epub", "-j", "2")
        edit(middle, paragraph=True)
        build("edit-para", warm, "pdf,epub", "-j", "2")
    print(f"\n{args.exercises} exercises, {args.photos} photos each, {time.strftime('%F %T')}")
    print(f"{'row':<10} {'wall s':>8} {'cpu s':>8} {'RSS max':>8} {'RSS sum':>8} {'pages':>6}")
    for name, data in rows.items():
        cpu = data["user_s"] + data["sys_s"]
        print(f"{name:<10} {data['wall_s']:8.1f} {cpu:8.1f} {data['maxrss_kb'] / 1024:7.0f}M "
              f"{data['tree_rss_kb'] / 1024:7.0f}M {data['pages'] or '':>6}")  # fmt: skip
    ratios = {}
    for label, (top, bottom, bound, sense) in TARGETS.items():
        if top not in rows or bottom not in rows:
            continue
        key = "tree_rss_kb" if label.startswith("RSS") else "wall_s"
        value = rows[top][key] / rows[bottom][key]
        within = value <= bound if sense == "<=" else value >= bound if bound else False
        met = "" if bound is None else ("met" if within else "MISSED")
        ratios[label] = value
        target = f"target {sense} {bound}" if bound is not None else "for information"
        print(f"{label:<30} {value:6.2f}  ({target}) {met}")
    if "pdf-j2" in rows and "naive" in rows:
        value = rows["pdf-j2"]["maxrss_kb"] / rows["naive"]["maxrss_kb"]
        ratios["RSS max pdf-j2 / naive"] = value
        print(f"{'RSS max pdf-j2 / naive':<30} {value:6.2f}  (largest single process)")
    result = args.out / f"parallel-{args.exercises}.json"
    for data in rows.values():
        data.pop("stdout", None)
    result.write_text(json.dumps({"rows": rows, "ratios": ratios}, indent=1), encoding="utf-8")
    print(f"\nwrote {result}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
