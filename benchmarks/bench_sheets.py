#!/usr/bin/env python3
"""Form sheets per second on real-shaped exercises, against a baseline version in the same run.

    python benchmarks/bench_sheets.py [--exercises 200] [--jobs 0] [--repeat 3]
                                      [--baseline 9f08426] [--paper a4] [--breakdown 40]

The corpus is `sheetcorpus.py`'s: exercises written the way public libraries write them (steps
of several sentences, two photos each, most without common mistakes). Each run is
`make_book.py sheets` in a fresh child process with an empty output folder, so nothing is
skipped by the cache, alternately for this checkout and for the baseline commit (checked out
once into `out/baseline-<commit>`), so that both meet the same machine load:

- `render`: the rendering phase alone, as the command reports it ("rendered N sheets in S s"):
  the figure the target is about (sheets per second on every core);
- `wall`: the whole command (interpreter start, load, convert, rendering, writing).

`--breakdown N` then renders N sheets in this process on one core and says where the time
goes: WeasyPrint's parse, style and layout; the PDF write; the rest (layout template, arrangement
estimate, QR code, drawn rules). Results go to out/sheets-<N>.json.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from sheetcorpus import generate  # noqa: E402

REPO = HERE.parent
OUT = HERE / "out"
RENDERED = re.compile(r"rendered (\d+) sheets in ([\d.]+) s")


def checkout(commit: str) -> Path:
    """The baseline's tree at `commit`, extracted once (git archive: no worktree bookkeeping)."""
    folder = OUT / f"baseline-{commit}"
    if not (folder / "make_book.py").exists():
        folder.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(
            ["git", "-C", str(REPO), "archive", commit], capture_output=True, check=True
        )
        subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    return folder


def run(tree: Path, corpus: Path, out: Path, jobs: int, paper: str) -> tuple[float, int, float]:
    shutil.rmtree(out, ignore_errors=True)
    command = [sys.executable, str(tree / "make_book.py"), "sheets", "--content", str(corpus)]
    started = time.perf_counter()
    proc = subprocess.run(
        [*command, "--out", str(out), "-j", str(jobs), "--paper", paper],
        capture_output=True,
        text=True,
        check=False,
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
    )
    wall = time.perf_counter() - started
    match = RENDERED.search(proc.stderr)
    if proc.returncode != 0 or match is None:
        raise SystemExit(f"{tree}: sheets failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return wall, int(match[1]), float(match[2])


def breakdown(corpus: Path, count: int, paper: str) -> dict[str, float]:
    """Milliseconds per sheet, one process: WeasyPrint's layout and write, and the rest."""
    sys.path.insert(0, str(REPO))
    from guidebook.convert import convert_book
    from guidebook.diagnostics import Reporter
    from guidebook.load import load_book
    from guidebook.printables.content import exercise_sheets
    from guidebook.printables.render import SHEET, Job, Printer, _Layouts
    from guidebook.render.resources import layout_folders

    reporter = Reporter()
    book = load_book(corpus, corpus / "book.yml", reporter)
    sheets = list(exercise_sheets(convert_book(book, reporter), reporter).values())[:count]
    printer = Printer(layout_folders(book), paper)  # type: ignore[arg-type]
    printer.rooms()
    spent = {"layout": 0.0, "write": 0.0}
    make, write = _Layouts.make, Printer._write

    def timed(name, function):  # type: ignore[no-untyped-def]
        def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
            started = time.process_time()
            result = function(*args, **kwargs)
            spent[name] += time.process_time() - started
            return result

        return wrapper

    _Layouts.make, Printer._write = timed("layout", make), timed("write", write)  # type: ignore[method-assign]
    started = time.process_time()
    for sheet in sheets:
        context = {"sheet": sheet, "athlete": None, "one_rm": None, "book_title": "B"}
        output = OUT / "breakdown" / f"{sheet.slug}.pdf"
        job = Job(SHEET, {**context, "language": "en"}, output, one_page=True, qr=sheet.link)
        job = Job(**{**job.__dict__, "assets": (sheet.thumbnail,) if sheet.thumbnail else ()})
        printer.render(job)
    total = time.process_time() - started
    _Layouts.make, Printer._write = make, write  # type: ignore[method-assign]
    per = {name: seconds / len(sheets) * 1000 for name, seconds in spent.items()}
    per["other"] = total / len(sheets) * 1000 - per["layout"] - per["write"]
    per["total"] = total / len(sheets) * 1000
    return per


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--exercises", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=0, help="-j for the command (0: all cores)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--baseline", default="9f08426", help="commit to compare with")
    parser.add_argument("--paper", default="a4", choices=("a4", "letter"))
    parser.add_argument("--breakdown", type=int, default=40, help="sheets (0: skip)")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    corpus = generate(OUT / f"sheetcorpus-{args.exercises}", exercises=args.exercises)
    trees = {"now": REPO, "baseline": checkout(args.baseline)}
    rows: dict[str, list[dict[str, float]]] = {name: [] for name in trees}
    for _ in range(args.repeat):
        for name, tree in trees.items():
            wall, sheets, render = run(tree, corpus, OUT / f"sheets-{name}", args.jobs, args.paper)
            rows[name].append({"wall_s": wall, "render_s": render, "sheets": sheets})
            print(
                f"{name:8s} {sheets} sheets: rendering {render:.2f} s ({sheets / render:.1f}/s), "
                f"whole command {wall:.2f} s ({sheets / wall:.1f}/s)",
                flush=True,
            )
    summary: dict[str, object] = {"exercises": args.exercises, "paper": args.paper, "runs": rows}
    for name, samples in rows.items():
        render = statistics.median(r["sheets"] / r["render_s"] for r in samples)
        wall = statistics.median(r["sheets"] / r["wall_s"] for r in samples)
        summary[f"{name}_render_per_s"], summary[f"{name}_wall_per_s"] = render, wall
    ratio = float(summary["now_render_per_s"]) / float(summary["baseline_render_per_s"])  # type: ignore[arg-type]
    print(
        f"median: now {summary['now_render_per_s']:.1f} sheets/s rendering "
        f"({summary['now_wall_per_s']:.1f}/s whole command), baseline {args.baseline} "
        f"{summary['baseline_render_per_s']:.1f}/s ({summary['baseline_wall_per_s']:.1f}/s): "
        f"{ratio:.2f}x"
    )
    if args.breakdown:
        per = breakdown(corpus, args.breakdown, args.paper)
        summary["breakdown_ms_per_sheet"] = per
        print(
            "one process, ms per sheet: "
            + ", ".join(f"{name} {ms:.1f}" for name, ms in per.items())
            + " (layout: template, parse, style and layout by WeasyPrint; write: paint and "
            "PDF; other: estimate, QR code, drawn rules, bookkeeping)"
        )
    (OUT / f"sheets-{args.exercises}.json").write_text(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
