#!/usr/bin/env python3
"""A cluster simulated with N local processes: what more workers would gain for the book's PDF.

    python benchmarks/bench_workers.py --exercises 300 [--photos 2] [--workers 1,2,4,8,16]

Each row builds the corpus's PDF with `-j N --no-cache` in a fresh child (`_measure.py`).
With N workers the book is cut into more chunks (at least 4 per worker), so the rows measure
what spreading the layout over N workers costs in work: more chunk boundaries, each laying
out the unit after it as its tail, more numbering messages. On a machine with fewer than N
cores the workers share the cores, so the wall time is not what N machines would take; the
CPU time is the work they would share. From the build's own step times:

  serial    = wall - (laid out + numbered + written): loading, converting, rendering the
              chunks' HTML and the join, which stay on one machine
  spread    = CPU - serial: the workers' share
  projected = serial + spread / N: the wall time on N cores with nothing else shared
              (no network, the photos and fonts already on every machine)

The rows and projections are printed and written to out/workers-<N>.json.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from bench_build import PYTHON, measure, pdf_pages  # noqa: E402
from corpus import generate  # noqa: E402

STEPS = re.compile(
    r"PDF laid out in (\d+) chunks .*?: laid out ([\d.]+) s, numbered ([\d.]+) s, "
    r"written ([\d.]+) s"
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exercises", type=int, default=300)
    parser.add_argument("--photos", type=int, default=2)
    parser.add_argument("--workers", default="1,2,4,8,16")
    parser.add_argument("--out", type=Path, default=HERE / "out")
    args = parser.parse_args()
    counts = [int(n) for n in args.workers.split(",")]
    corpus = args.out / f"corpus-{args.exercises}-p{args.photos}"
    generate(corpus, exercises=args.exercises, photos_per_chapter=args.photos)
    work = args.out / f"workers-{args.exercises}"
    shutil.rmtree(work, ignore_errors=True)
    rows = []
    for n in counts:
        out = work / f"j{n}"
        cmd = [PYTHON, str(ROOT / "make_book.py"), "build", "--content", str(corpus), "--out",
               str(out), "--format", "pdf", "-j", str(n), "--no-cache"]  # fmt: skip
        print(f"running -j {n} ...", flush=True)
        data = measure(f"j{n}", cmd, work / "runs")
        cpu = data["user_s"] + data["sys_s"]
        row = {
            "workers": n,
            "wall_s": data["wall_s"],
            "cpu_s": cpu,
            "pages": pdf_pages(out / "book.pdf"),
        }
        if found := STEPS.search(data["stderr"]):
            chunks, laid, numbered, written = found.groups()
            serial = data["wall_s"] - float(laid) - float(numbered) - float(written)
            row |= {"chunks": int(chunks), "serial_s": serial, "spread_s": cpu - serial}
            row["projected_s"] = serial + (cpu - serial) / n
        else:  # -j 1: one process, no chunks
            row |= {"chunks": 1, "serial_s": data["wall_s"], "spread_s": 0.0}
            row["projected_s"] = data["wall_s"]
        rows.append(row)
        print(f"  {row}", flush=True)
    print(f"\n{args.exercises} exercises, {args.photos} photos each")
    print(f"{'-j':>4} {'chunks':>6} {'wall s':>8} {'CPU s':>8} {'serial s':>9} {'spread s':>9} "
          f"{'on N cores':>10} {'pages':>6}")  # fmt: skip
    for row in rows:
        print(f"{row['workers']:>4} {row['chunks']:>6} {row['wall_s']:8.1f} {row['cpu_s']:8.1f} "
              f"{row['serial_s']:9.1f} {row['spread_s']:9.1f} {row['projected_s']:10.1f} "
              f"{row['pages'] or '':>6}")  # fmt: skip
    result = args.out / f"workers-{args.exercises}.json"
    result.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    print(f"\nwrote {result}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
