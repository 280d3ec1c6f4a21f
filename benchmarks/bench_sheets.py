#!/usr/bin/env python3
"""Form sheets per second: 200 generated exercises, one sheet each, on every core.

    python benchmarks/bench_sheets.py [--exercises 200] [--photos 1] [--jobs 0] [--repeat 3]

Generates (or reuses) a corpus with corpus.py (each exercise with `--photos` JPEG photos, the
first of which becomes the sheet's thumbnail), then runs `make_book.py sheets` in a fresh child
process per run, with an empty output folder so nothing is skipped by the cache:

- `wall`: the whole command (interpreter start, load, convert, rendering, writing);
- `render`: the rendering phase alone, as the command reports it ("rendered N PDF(s) in S s").

Sheets per second = sheets / seconds for both. A last run repeats the command on the same output
folder to show the content-hash cache at work (everything skipped). Results go to
benchmarks/out/sheets-<N>.json.
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

from corpus import generate  # noqa: E402

REPO = HERE.parent
OUT = HERE / "out"
RENDERED = re.compile(r"rendered (\d+) PDF\(s\) in ([\d.]+) s .*; (\d+) unchanged")


def run(corpus: Path, out: Path, jobs: int) -> tuple[float, int, int, float]:
    started = time.perf_counter()
    proc = subprocess.run(
        [
            sys.executable,
            str(REPO / "make_book.py"),
            "sheets",
            "--content",
            str(corpus),
            "--out",
            str(out),
            "-j",
            str(jobs),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - started
    match = RENDERED.search(proc.stderr)
    if proc.returncode != 0 or match is None:
        raise SystemExit(f"sheets failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    written, render, unchanged = match.groups()
    return wall, int(written), int(unchanged), float(render)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--exercises", type=int, default=200)
    parser.add_argument("--photos", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=0, help="-j for the command (0: all cores)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    corpus = generate(
        OUT / f"corpus-{args.exercises}-p{args.photos}",
        exercises=args.exercises,
        photos_per_chapter=args.photos,
        guides=0,
    )
    rows = []
    for _ in range(args.repeat):
        out = OUT / "sheets-run"
        shutil.rmtree(out, ignore_errors=True)
        wall, written, _unchanged, render = run(corpus, out, args.jobs)
        rows.append({"wall_s": wall, "render_s": render, "sheets": written})
        print(
            f"{written} sheets: wall {wall:.2f} s ({written / wall:.1f} sheets/s), "
            f"rendering {render:.2f} s ({written / render:.1f} sheets/s)",
            flush=True,
        )
    wall, written, unchanged, render = run(corpus, OUT / "sheets-run", args.jobs)
    print(f"again, unchanged: {unchanged} skipped, {written} written, wall {wall:.2f} s")
    summary = {
        "exercises": args.exercises,
        "jobs": args.jobs,
        "runs": rows,
        "median_wall_sheets_per_s": statistics.median(r["sheets"] / r["wall_s"] for r in rows),
        "median_render_sheets_per_s": statistics.median(r["sheets"] / r["render_s"] for r in rows),
        "cached_rerun_wall_s": wall,
    }
    print(
        f"median: {summary['median_wall_sheets_per_s']:.1f} sheets/s whole command, "
        f"{summary['median_render_sheets_per_s']:.1f} sheets/s rendering"
    )
    (OUT / f"sheets-{args.exercises}.json").write_text(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
