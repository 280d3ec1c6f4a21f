#!/usr/bin/env python3
"""Speed of the book build (issue 14): parallel layout, incremental rebuilds and the EPUB.

    python benchmarks/bench_speed.py [--exercises 900] [--photos 2] [--repeat 1]
                                     [--skip ROW,...] [--seed 0] [--out benchmarks/out]

One run measures every figure issue 14 asks for, on one generated corpus (corpus.py: N exercise
chapters with K photos each and four guides, in out/corpus-<N>-p<K>/, reused when it exists)
and on one machine. Every row is a child process started through _measure.py, one after the
other, so that its time and memory are its own:

  naive          one bare `weasyprint.HTML(filename=...).write_pdf()` on the book's HTML, which
                 `build --format html` wrote beforehand (prep, not timed). Markdown -> one
                 HTML -> WeasyPrint, nothing else: the reference for time and memory.
  full-j2        make_book.py build --format pdf,epub --no-cache -j 2
  full-j1        make_book.py build --format pdf,epub --no-cache -j 1
  pdf-j1         make_book.py build --format pdf --no-cache -j 1
  pdf-j2         make_book.py build --format pdf --no-cache -j 2
  epub           make_book.py build --format epub
  pandoc-epub    pandoc's EPUB writer (pip pypandoc-binary) on the same chapter files, in the
                 book's order (read from the prep's HTML), photos found through
                 --resource-path (as bench_epub.py does), the book's title given with -M
  pandoc-typst   pandoc -s -t typst on the same files, then the pip `typst` package compiles
                 the PDF; both steps in one child process (see PANDOC_TYPST)
  cache-fill     make_book.py build --format pdf,epub -j 2 with the default layout cache, into
                 an empty folder of a copy of the corpus (fills the cache; also a row)
  rebuild-none   the same command again on a copy of that output folder, nothing edited
  rebuild-word   the same, after one word of a step of the middle chapter was changed for a
                 word of the same length (the page count should not move)
  rebuild-para   the same, after a paragraph of about 150 words was appended to that chapter
                 (it may or may not add a page: the table says how many pages it added)
  rebuild-page   the same, after six such paragraphs (about 950 words) were appended: more
                 than a page of text, so every later page moves; the hard case for the cache

Every rebuild starts from its own copy of the filled output folder (the default cache lives in
it), and the edited chapter is written back as it was after each one. The original corpus is
never written; its Markdown is hashed before and after to prove it.

-j, --no-cache and --cache are detected in `make_book.py build --help`. Where one is missing,
the rows run without it and the table says so (a ratio that depends on it is then not judged).

Figures per row: wall time of the child (interpreter start-up and exit included), CPU time
(user + system of the child and every descendant it waited for), "RSS max" =
getrusage(RUSAGE_CHILDREN).ru_maxrss, the largest single process of the tree, and "RSS sum" =
the largest sum of VmRSS over the child and all its descendants, sampled from /proc every 50 ms
by _measure.py. With -j 2 the build is three processes, so RSS max alone understates it; RSS sum
counts pages shared between a forked worker and its parent twice, so it overstates it a little.
Pages are counted in the PDF with pypdf. With --repeat R the whole sequence runs R times and
the table shows medians (every sample is in the JSON).

Prints a table of the rows and one of the issue's ratios, each marked met or missed against
its target, and writes both, with every sample, to out/speed-<N>.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PYTHON = sys.executable
MAKE_BOOK = str(ROOT / "make_book.py")

sys.path.insert(0, str(HERE))
from bench_build import (  # noqa: E402
    BASELINE,
    WARMUP,
    measure,
    package_fingerprint,
    pdf_pages,
    system_info,
)
from corpus import generate  # noqa: E402

ROWS = (
    "naive",
    "full-j2",
    "full-j1",
    "pdf-j1",
    "pdf-j2",
    "epub",
    "pandoc-epub",
    "pandoc-typst",
    "cache-fill",
    "rebuild-none",
    "rebuild-word",
    "rebuild-para",
    "rebuild-page",
)
REBUILDS = ("rebuild-none", "rebuild-word", "rebuild-para", "rebuild-page")

LABELS = {
    "naive": "html -> bare WeasyPrint",
    "full-j2": "full pdf,epub -j 2 --no-cache",
    "full-j1": "full pdf,epub -j 1 --no-cache",
    "pdf-j1": "pdf -j 1 --no-cache",
    "pdf-j2": "pdf -j 2 --no-cache",
    "epub": "epub alone",
    "pandoc-epub": "pandoc -> EPUB",
    "pandoc-typst": "pandoc -> Typst -> PDF",
    "cache-fill": "full -j 2, fills the cache",
    "rebuild-none": "rebuild, nothing edited",
    "rebuild-word": "rebuild, one word edited",
    "rebuild-para": "rebuild, paragraph added",
    "rebuild-page": "rebuild, 6 paragraphs added",
}

# pandoc -> Typst -> PDF in one child: pandoc writes book.typ next to an `images` link to the
# corpus's photos (Typst resolves image paths against the .typ file, and pandoc's
# --resource-path does not rewrite them), then the pip `typst` package compiles it. Run with
# `python -c`, so no file of ours can shadow the `typst` module.
PANDOC_TYPST = r"""
import subprocess, sys, time
pandoc, typ, pdf, *args = sys.argv[1:]
started = time.perf_counter()
subprocess.run([pandoc, *args, "-o", typ], check=True)
middle = time.perf_counter()
import typst
typst.compile(typ, output=pdf, root="/")
done = time.perf_counter()
print(f"pandoc to typst {middle - started:.2f} s, typst compile {done - middle:.2f} s",
      file=sys.stderr)
"""

# Appended to the middle chapter for rebuild-para: our own words, about 150 of them.
PARAGRAPH = (
    "Between sets, walk a slow lap of the room and let the breathing settle before the bar is "
    "loaded again. Count the rest rather than guessing it: ninety seconds is enough for most "
    "accessory work, while the heaviest sets of the day deserve two or three minutes. Use the "
    "pause to rehearse the set-up you are about to repeat, from where the feet go to how the "
    "hands close around the handle, so that the first repetition of the next set looks exactly "
    "like the last good one of this set. A warm, dull tiredness in the working muscles is "
    "expected; a sharp or pinching feeling is not, and it is a reason to stop, take weight off "
    "and try a shorter range. Write down what you lifted, how many clean repetitions you "
    "managed and how the hardest one felt, because next week's plan starts from those three "
    "notes and not from memory, which always remembers the good days best."
)

# rebuild-word: the first of these words found in the chapter's first step is replaced by a
# word of the same length, so the lines (and the pages) should stay as they were.
WORD_SWAPS = (("the", "its"), ("your", "each"), ("with", "from"), ("and", "yet"))

# Each target: (numerator row, denominator row, figure, bound, sense, the option it needs).
TARGETS = (
    ("full build / naive (time)", "full-j2", "naive", "wall_s", 0.6, "<=", None),
    ("pdf -j 1 / pdf -j 2 (speed-up)", "pdf-j1", "pdf-j2", "wall_s", 1.7, ">=", "jobs"),
    ("full build / naive (RSS sum)", "full-j2", "naive", "rss_sum_mib", 0.6, "<=", None),
    ("full build / naive (RSS max)", "full-j2", "naive", "rss_max_mib", None, "", None),
    ("pdf -j 2 / naive (RSS sum)", "pdf-j2", "naive", "rss_sum_mib", None, "", None),
    ("full -j 1 / naive (time)", "full-j1", "naive", "wall_s", None, "", None),
    ("epub / pandoc EPUB (time)", "epub", "pandoc-epub", "wall_s", 0.25, "<=", None),
    ("epub / pandoc EPUB (RSS max)", "epub", "pandoc-epub", "rss_max_mib", None, "", None),
    ("rebuild, one word / full build", "rebuild-word", "full-j2", "wall_s", 0.15, "<=", "cache"),
    ("rebuild, paragraph / full build", "rebuild-para", "full-j2", "wall_s", 0.15, "<=", "cache"),
    (
        "rebuild, 6 paragraphs / full build",
        "rebuild-page",
        "full-j2",
        "wall_s",
        0.15,
        "<=",
        "cache",
    ),
    ("rebuild, nothing / full build", "rebuild-none", "full-j2", "wall_s", None, "", "cache"),
    ("cache-fill / full build (time)", "cache-fill", "full-j2", "wall_s", None, "", "cache"),
    ("full build / pandoc -> Typst", "full-j2", "pandoc-typst", "wall_s", None, "", None),
)


# --- the builder's options -------------------------------------------------------------------


def detect_options() -> dict[str, bool]:
    """Which of -j/--jobs, --no-cache and --cache `make_book.py build` accepts today."""
    text = subprocess.run(
        [PYTHON, MAKE_BOOK, "build", "--help"], capture_output=True, text=True, cwd=ROOT
    ).stdout
    return {
        "jobs": bool(re.search(r"(?<![\w-])(-j|--jobs)\b", text)),
        "no_cache": "--no-cache" in text,
        "cache": bool(re.search(r"(?<![\w-])--cache\b", text)),
    }


def build_cmd(
    content: Path,
    out: Path,
    formats: str,
    options: dict[str, bool],
    jobs: int | None,
    no_cache: bool,
) -> tuple[list[str], list[str]]:
    """The CLI command line and the notes on options it had to leave out."""
    cmd = [PYTHON, MAKE_BOOK, "build", "--content", str(content), "--out", str(out)]
    cmd += ["--format", formats]
    notes = []
    if jobs is not None:
        if options["jobs"]:
            cmd += ["-j", str(jobs)]
        else:
            notes.append(f"-j missing: ran without -j {jobs}")
    if no_cache:
        if options["no_cache"]:
            cmd.append("--no-cache")
        else:
            notes.append("--no-cache missing: ran without it")
    return cmd, notes


# --- the corpus --------------------------------------------------------------------------------


def book_order(index_html: Path, content: Path) -> tuple[list[Path], list[str]]:
    """The chapter files in the order the book prints them, read from the prep's HTML (each
    chapter is an <article class="chapter ..." id="<slug>">), with notes on anything odd."""
    html = index_html.read_text(encoding="utf-8", errors="replace")
    slugs = re.findall(r'<article class="chapter\b[^"]*" id="([^"]+)"', html)
    files = {
        p.stem: p for folder in ("exercises", "guides") for p in (content / folder).glob("*.md")
    }
    ordered, notes = [], []
    for slug in slugs:
        if slug in files:
            ordered.append(files.pop(slug))
    if not ordered:
        notes.append("book order not found in the HTML: chapters given in file-name order")
    if files:
        notes.append(f"{len(files)} chapter file(s) not found in the HTML order: appended")
        ordered += sorted(files.values())
    return ordered, notes


def markdown_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted([*folder.rglob("*.md"), *folder.glob("*.yml")]):
        digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def edit_word(text: str) -> tuple[str, str]:
    """Swap one word of the first numbered step for a word of the same length."""
    step = re.search(r"^1\. .*$", text, re.M)
    if not step:
        raise SystemExit("rebuild-word: the middle chapter has no numbered step")
    for old, new in WORD_SWAPS:
        if m := re.search(rf"\b{old}\b", step[0]):
            at = step.start() + m.start()
            return text[:at] + new + text[at + len(old) :], f"step 1: '{old}' -> '{new}'"
    raise SystemExit("rebuild-word: no word to swap in the first step")


def edit_paragraph(text: str, copies: int = 1) -> tuple[str, str]:
    added = "\n\n".join([PARAGRAPH] * copies)
    return text.rstrip("\n") + "\n\n" + added + "\n", (
        f"appended {copies} paragraph(s), {len(added.split())} words"
    )


def edit_page(text: str) -> tuple[str, str]:
    return edit_paragraph(text, copies=6)


def book_title(content: Path) -> str:
    text = (content / "book.yml").read_text(encoding="utf-8")
    m = re.search(r'^title:\s*"?(.*?)"?\s*$', text, re.M)
    return m[1] if m else "Book"


# --- one run of every row ----------------------------------------------------------------------


def parse_cli(stderr: str) -> dict:
    info: dict = {}
    if m := re.search(
        r"done: (\d+) written, (\d+) unchanged, (\d+) warnings? \(([\d.]+) s\)", stderr
    ):
        info.update(
            written=int(m[1]), unchanged=int(m[2]), warnings=int(m[3]), in_process_s=float(m[4])
        )
    if m := re.search(r"loaded (\d+) chapters", stderr):
        info["chapters"] = int(m[1])
    return info


def run_once(
    n: int, corpus: Path, work: Path, options: dict[str, bool], skip: set[str], pandoc: str | None
) -> dict:
    runs: dict[str, Any] = {}
    logs = work / f"logs-{n}"

    def run(
        name: str, cmd: list[str], pdf: Path | None = None, notes: list[str] | None = None
    ) -> dict:
        data = measure(name, cmd, logs)
        data["notes"] = list(notes or [])
        data["pages"] = pdf_pages(pdf) if pdf else None
        data.update(parse_cli(data["stderr"]))
        data["stdout_tail"] = data.pop("stdout")[-1000:]
        data["stderr_tail"] = data.pop("stderr")[-3000:]
        runs[name] = data
        rss_sum = data.get("tree_rss_kb")
        print(
            f"  {name:<13} {data['wall_s']:8.1f} s  CPU {data['user_s'] + data['sys_s']:7.1f} s"
            f"  RSS max {data['maxrss_kb'] / 1024:6.0f} MiB"
            f"  sum {'-' if rss_sum is None else f'{rss_sum / 1024:.0f}':>6} MiB"
            f"  pages {data['pages'] if data['pages'] is not None else '-'}"
            f"  rc={data['returncode']}",
            flush=True,
        )
        return data

    def build(
        name: str,
        content: Path,
        formats: str,
        jobs: int | None,
        no_cache: bool,
        out: Path | None = None,
        fresh: bool = True,
    ) -> None:
        out = out or work / name
        if fresh:
            shutil.rmtree(out, ignore_errors=True)
        cmd, notes = build_cmd(content, out, formats, options, jobs, no_cache)
        run(name, cmd, out / "book.pdf" if "pdf" in formats else None, notes)

    # Prep (not timed): the HTML the naive row renders; then a tiny untimed WeasyPrint render
    # so that no measured row pays for cold font files or .pyc caches (as bench_build.py).
    prep = work / "prep"
    shutil.rmtree(prep, ignore_errors=True)
    started = time.perf_counter()
    subprocess.run(
        [
            PYTHON,
            MAKE_BOOK,
            "build",
            "--content",
            str(corpus),
            "--out",
            str(prep),
            "--format",
            "html",
            "-q",
        ],
        check=True,
        cwd=ROOT,
    )
    prep_s = time.perf_counter() - started
    subprocess.run(
        [PYTHON, "-c", WARMUP, str(prep / "book") + "/"], check=True, cwd=ROOT, capture_output=True
    )
    index = prep / "book" / "index.html"
    chapters, order_notes = book_order(index, corpus)

    if "naive" not in skip:
        target = work / "naive" / "book.pdf"
        shutil.rmtree(target.parent, ignore_errors=True)
        target.parent.mkdir(parents=True)
        data = run("naive", [PYTHON, "-c", BASELINE, str(index), str(target)], target)
        if m := re.search(r"write_pdf took ([\d.]+) s", data["stderr_tail"]):
            data["in_process_s"] = float(m[1])
    for name, formats, jobs in (
        ("full-j2", "pdf,epub", 2),
        ("full-j1", "pdf,epub", 1),
        ("pdf-j1", "pdf", 1),
        ("pdf-j2", "pdf", 2),
    ):
        if name not in skip:
            build(name, corpus, formats, jobs, no_cache=True)
    if "epub" not in skip:
        build("epub", corpus, "epub", None, no_cache=False)

    if pandoc and "pandoc-epub" not in skip:
        out = work / "pandoc-epub" / "book.epub"
        shutil.rmtree(out.parent, ignore_errors=True)
        out.parent.mkdir(parents=True)
        folders = ":".join(str(corpus / part) for part in ("exercises", "guides"))
        run(
            "pandoc-epub",
            [
                pandoc,
                "-f",
                "markdown",
                "-t",
                "epub3",
                "--resource-path",
                folders,
                "--metadata",
                f"title={book_title(corpus)}",
                "-o",
                str(out),
                *map(str, chapters),
            ],
            notes=order_notes,
        )
    if pandoc and "pandoc-typst" not in skip:
        folder = work / "pandoc-typst"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        (folder / "images").symlink_to(corpus / "exercises" / "images")
        folders = ":".join(str(corpus / part) for part in ("exercises", "guides"))
        data = run(
            "pandoc-typst",
            [
                PYTHON,
                "-c",
                PANDOC_TYPST,
                pandoc,
                str(folder / "book.typ"),
                str(folder / "book.pdf"),
                "-f",
                "markdown",
                "-t",
                "typst",
                "-s",
                "--resource-path",
                folders,
                "--metadata",
                f"title={book_title(corpus)}",
                # The chapters' front matter gives `keywords` as one string, which pandoc's
                # Typst template writes unquoted (a syntax error): leave them out.
                "--metadata",
                "keywords=",
                "-V",
                "papersize=a4",
                *map(str, chapters),
            ],
            folder / "book.pdf",
            order_notes,
        )
        if m := re.search(
            r"pandoc to typst ([\d.]+) s, typst compile ([\d.]+) s", data["stderr_tail"]
        ):
            data["pandoc_s"], data["typst_s"] = float(m[1]), float(m[2])

    if not set(REBUILDS) <= skip:
        # A copy of the corpus, so the original is never written; one chapter of it is edited
        # for each rebuild and written back afterwards.
        copy = work / "corpus-copy"
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(corpus, copy)
        exercises = [p for p in chapters if p.parent.name == "exercises"]
        middle_chapter = copy / "exercises" / exercises[len(exercises) // 2].name
        original = middle_chapter.read_bytes()
        notes = [] if options["cache"] or options["no_cache"] else ["no layout cache option"]
        filled = work / "cache-fill"
        build("cache-fill", copy, "pdf,epub", 2, no_cache=False, out=filled)
        if options["no_cache"] or options["cache"]:
            cache_dir = filled / ".guidebook-chunks"
            runs["cache-fill"]["cache_bytes"] = (
                sum(p.stat().st_size for p in cache_dir.rglob("*") if p.is_file())
                if cache_dir.is_dir()
                else None
            )
        edits = {
            "rebuild-none": None,
            "rebuild-word": edit_word,
            "rebuild-para": edit_paragraph,
            "rebuild-page": edit_page,
        }
        for name, edit in edits.items():
            if name in skip:
                continue
            out = work / name
            shutil.rmtree(out, ignore_errors=True)
            shutil.copytree(filled, out, symlinks=True)  # the filled cache, as the build left it
            what = "nothing"
            if edit:
                text, what = edit(original.decode("utf-8"))
                middle_chapter.write_text(text, encoding="utf-8")
            try:
                cmd, cmd_notes = build_cmd(copy, out, "pdf,epub", options, 2, no_cache=False)
                data = run(name, cmd, out / "book.pdf", [*notes, *cmd_notes])
            finally:
                middle_chapter.write_bytes(original)
            data["edit"] = {"chapter": middle_chapter.name, "what": what}
            if runs["cache-fill"].get("pages") is not None and data["pages"] is not None:
                data["edit"]["pages_added"] = data["pages"] - runs["cache-fill"]["pages"]
        runs["corpus_copy_restored"] = markdown_digest(copy) == markdown_digest(corpus)
    runs["prep_s"] = prep_s
    runs["pandoc_chapter_order_notes"] = order_notes
    runs["pandoc_chapters"] = len(chapters)
    return runs


# --- summary, table, ratios --------------------------------------------------------------------


def summarise(samples: list[dict]) -> dict[str, dict]:
    rows: dict[str, dict] = {}
    for name in ROWS:
        runs = [s[name] for s in samples if isinstance(s.get(name), dict)]
        if not runs:
            continue

        def med(key: str, runs: list[dict] = runs) -> float | None:
            values = [r[key] for r in runs if r.get(key) is not None]
            return statistics.median(values) if values else None

        rss_sum = med("tree_rss_kb")
        rows[name] = {
            "wall_s": round(med("wall_s"), 2),
            "wall_s_samples": [round(r["wall_s"], 2) for r in runs],
            "cpu_s": round(statistics.median(r["user_s"] + r["sys_s"] for r in runs), 2),
            "rss_max_mib": round(med("maxrss_kb") / 1024, 1),
            "rss_sum_mib": None if rss_sum is None else round(rss_sum / 1024, 1),
            "pages": runs[-1].get("pages"),
            "warnings": runs[-1].get("warnings"),
            "returncode": [r["returncode"] for r in runs],
            "loadavg_1min_before_after": [(r["loadavg_before"], r["loadavg_after"]) for r in runs],
            "notes": runs[-1].get("notes", []),
            "cmd": runs[-1]["cmd"],
        }
        for key in (
            "in_process_s",
            "pandoc_s",
            "typst_s",
            "cache_bytes",
            "edit",
            "written",
            "unchanged",
        ):
            if key in runs[-1]:
                rows[name][key] = runs[-1][key]
    naive = rows.get("naive")
    if naive and naive["returncode"] == [0] * len(naive["returncode"]):
        for row in rows.values():
            row["time_vs_naive"] = round(row["wall_s"] / naive["wall_s"], 3)
            row["rss_max_vs_naive"] = round(row["rss_max_mib"] / naive["rss_max_mib"], 3)
            if row["rss_sum_mib"] is not None:  # naive is one process: its ru_maxrss is exact
                row["rss_sum_vs_naive"] = round(row["rss_sum_mib"] / naive["rss_max_mib"], 3)
    return rows


def ratios(rows: dict[str, dict], options: dict[str, bool]) -> list[dict]:
    results = []
    for label, top, bottom, figure, bound, sense, needs in TARGETS:
        entry: dict = {
            "ratio": label,
            "rows": [top, bottom],
            "figure": figure,
            "bound": bound,
            "sense": sense,
            "value": None,
        }
        a, b = rows.get(top), rows.get(bottom)
        if not a or not b:
            entry["result"] = "not measured"
        elif any(a["returncode"]) or any(b["returncode"]):
            entry["result"] = "failed run"
        else:
            over = b["rss_max_mib"] if figure == "rss_sum_mib" and bottom == "naive" else b[figure]
            value = None if a[figure] is None or not over else a[figure] / over
            entry["value"] = None if value is None else round(value, 3)
            missing = (needs == "jobs" and not options["jobs"]) or (
                needs == "cache" and not (options["cache"] or options["no_cache"])
            )
            if value is None:
                entry["result"] = "not measured"
            elif missing:
                option = "-j" if needs == "jobs" else "layout cache"
                judged = "information" if bound is None else "not judged"
                entry["result"] = f"{judged}: {option} option missing"
            elif bound is None:
                entry["result"] = "information"
            else:
                met = value <= bound if sense == "<=" else value >= bound
                entry["result"] = "met" if met else "missed"
        results.append(entry)
    return results


def markdown_table(header: list[str], body: list[list[str]], left: tuple[int, ...] = (0,)) -> str:
    widths = [
        max(len(h), *(len(r[i]) for r in body)) if body else len(h) for i, h in enumerate(header)
    ]

    def line(cells: list[str]) -> str:
        return (
            "| "
            + " | ".join(
                c.ljust(w) if i in left else c.rjust(w)
                for i, (c, w) in enumerate(zip(cells, widths, strict=True))
            )
            + " |"
        )

    rule = (
        "|"
        + "|".join(
            "-" * (w + 2) if i in left else "-" * (w + 1) + ":" for i, w in enumerate(widths)
        )
        + "|"
    )
    return "\n".join([line(header), rule, *(line(r) for r in body)])


def show(value: object, spec: str = ".1f", suffix: str = "") -> str:
    return "-" if value is None else format(value, spec) + suffix


def rows_table(rows: dict[str, dict]) -> tuple[str, list[str]]:
    footnotes: list[str] = []
    body = []
    for name in ROWS:
        r = rows.get(name)
        if not r:
            continue
        for note in r["notes"]:
            if note not in footnotes:
                footnotes.append(note)
        marks = "".join(f"[{i}]" for i in sorted(footnotes.index(n) + 1 for n in r["notes"]))
        if any(r["returncode"]):
            marks += " FAILED"
        body.append(
            [
                f"{name} ({LABELS[name]}){marks}",
                show(r["wall_s"]),
                show(r["cpu_s"]),
                show(r["rss_max_mib"], ".0f"),
                show(r["rss_sum_mib"], ".0f"),
                show(r["pages"], "d"),
                show(r.get("time_vs_naive"), ".2f", "x"),
                show(r.get("rss_sum_vs_naive"), ".2f", "x"),
            ]
        )
    header = [
        "row",
        "wall s",
        "CPU s",
        "RSS max MiB",
        "RSS sum MiB",
        "pages",
        "time/naive",
        "RSS sum/naive",
    ]
    return markdown_table(header, body), footnotes


def ratios_table(results: list[dict]) -> str:
    body = []
    for e in results:
        target = "-" if e["bound"] is None else f"{e['sense']} {e['bound']:.2f}"
        body.append([e["ratio"], show(e["value"], ".2f", "x"), target, e["result"]])
    return markdown_table(["ratio", "value", "target", "result"], body, left=(0, 3))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--exercises", type=int, default=900)
    parser.add_argument("--photos", type=int, default=2, help="JPEG photos per exercise")
    parser.add_argument("--repeat", type=int, default=1, help="run everything R times: medians")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skip", default="", help=f"rows to leave out: {','.join(ROWS)}")
    parser.add_argument("--out", type=Path, default=HERE / "out")
    args = parser.parse_args(argv)
    skip = {name.strip() for name in args.skip.split(",") if name.strip()}
    if unknown := skip - set(ROWS):
        parser.error(
            f"--skip: unknown row(s) {', '.join(sorted(unknown))}; rows: {', '.join(ROWS)}"
        )
    if "cache-fill" in skip and not set(REBUILDS) <= skip:
        parser.error("--skip cache-fill: the rebuild rows need it (skip them too)")

    args.out = args.out.resolve()
    args.out.mkdir(parents=True, exist_ok=True)
    package_at_start = package_fingerprint()
    options = detect_options()
    spelled = {"jobs": "-j/--jobs", "no_cache": "--no-cache", "cache": "--cache DIR"}
    for option, present in options.items():
        if not present:
            print(
                f"NOTE: `make_book.py build` has no {spelled[option]} option yet: the rows "
                "that need it run without it",
                flush=True,
            )
    pandoc = None
    if not {"pandoc-epub", "pandoc-typst"} <= skip:
        try:
            import pypandoc  # type: ignore[import-not-found]

            pandoc = pypandoc.get_pandoc_path()
        except (ImportError, OSError) as error:
            print(
                f"NOTE: no pandoc ({error}); `.venv/bin/pip install pypandoc-binary typst`: "
                "the pandoc rows are left out",
                flush=True,
            )

    corpus = args.out / f"corpus-{args.exercises}-p{args.photos}"
    started = time.perf_counter()
    generate(corpus, exercises=args.exercises, photos_per_chapter=args.photos, seed=args.seed)
    photos = list((corpus / "exercises" / "images").glob("*.jpg"))
    corpus_digest = markdown_digest(corpus)
    print(
        f"corpus {corpus} ready ({time.perf_counter() - started:.1f} s): {args.exercises} "
        f"exercises, {len(photos)} photos "
        f"({sum(p.stat().st_size for p in photos) / 2**20:.0f} MiB)",
        flush=True,
    )
    work = args.out / f"speed-{args.exercises}-p{args.photos}"
    work.mkdir(parents=True, exist_ok=True)
    samples = []
    for n in range(1, args.repeat + 1):
        print(f"run {n}/{args.repeat}", flush=True)
        samples.append(run_once(n, corpus, work, options, skip, pandoc))
    rows = summarise(samples)
    results = ratios(rows, options)

    system = system_info()
    if pandoc:
        import pypandoc  # type: ignore[import-not-found]

        system["versions"]["pandoc"] = pypandoc.get_pandoc_version()
    try:
        from importlib.metadata import version

        system["versions"]["typst (pip)"] = version("typst")
    except Exception:  # information only
        pass
    report = {
        "system": system,
        "corpus": {
            "folder": str(corpus),
            "exercises": args.exercises,
            "photos_per_chapter": args.photos,
            "photos": len(photos),
            "photo_bytes": sum(p.stat().st_size for p in photos),
            "seed": args.seed,
            "markdown_sha256": corpus_digest,
            "unchanged_after_run": markdown_digest(corpus) == corpus_digest,
        },
        "options_found": options,
        "repeat": args.repeat,
        "skipped": sorted(skip),
        "rows": rows,
        "ratios": results,
        "samples": samples,
    }
    if system["package"]["sha256"] != package_at_start["sha256"]:
        report["package_changed_during_run"] = package_at_start
    path = args.out / f"speed-{args.exercises}.json"
    path.write_text(json.dumps(report, indent=2, default=str), encoding="utf-8")

    table, footnotes = rows_table(rows)
    pages = next((rows[n]["pages"] for n in ROWS[1:5] if rows.get(n, {}).get("pages")), None)
    naive_pages = rows.get("naive", {}).get("pages")
    print(
        f"\n{args.exercises} exercises, {args.photos} photo(s) each, {pages} pages "
        f"(naive: {naive_pages}); "
        f"nproc={system['nproc']}; repeat={args.repeat}" + (" (medians)" if args.repeat > 1 else "")
    )
    print(table)
    for i, note in enumerate(footnotes, 1):
        print(f"[{i}] {note}")
    print()
    print(ratios_table(results))
    edits = [(n, rows[n]["edit"]) for n in REBUILDS if n in rows and "edit" in rows[n]]
    for name, edit in edits:
        print(
            f"{name}: {edit['chapter']}: {edit['what']}; "
            f"pages added: {edit.get('pages_added', '-')}"
        )
    if cache_bytes := rows.get("cache-fill", {}).get("cache_bytes"):
        print(f"layout cache after cache-fill: {cache_bytes / 2**20:.1f} MiB")
    last = samples[-1]
    if last.get("pandoc_chapter_order_notes"):
        print("pandoc's chapter order: " + "; ".join(last["pandoc_chapter_order_notes"]))
    if "corpus_copy_restored" in last:
        print(
            f"edited copy restored: {'yes' if last['corpus_copy_restored'] else 'NO'}; original "
            f"corpus unchanged: {'yes' if report['corpus']['unchanged_after_run'] else 'NO'}"
        )
    if "package_changed_during_run" in report:
        print(
            "NOTE: guidebook's sources changed while the benchmark ran; rows may have measured "
            "different versions"
        )
    bad = [name for name, r in rows.items() if any(r["returncode"])]
    if bad:
        print(f"\nFAILED runs (non-zero exit): {', '.join(bad)}; logs in {work}/logs-*/")
    print(f"\nwrote {path}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
