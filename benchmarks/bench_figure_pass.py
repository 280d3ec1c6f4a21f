"""What the figure pass (render/holes.py, render/spill.py) costs: the PDF target's time with
the pass against the same target with it switched off, measured alternately in one run.

    python benchmarks/bench_figure_pass.py [--exercises 120] [--repeats 2]

Generates the `photobook.py` corpus, loads and converts it once, then renders the PDF
`--repeats` times each way, alternating (off, on, off, on, ...) so that a machine busy with
other work slows both alike. Prints the median wall time of each, their ratio, and what the
pass did (layouts, holes found, figures shrunk, moved and tightened).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))
from photobook import generate  # noqa: E402

from guidebook.build import BuildRequest, prepare  # noqa: E402
from guidebook.diagnostics import Reporter  # noqa: E402
from guidebook.render import holes  # noqa: E402
from guidebook.render.pdf import render_pdf  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--exercises", type=int, default=120)
    parser.add_argument("--repeats", type=int, default=2)
    options = parser.parse_args()
    content = generate(HERE / "out" / f"photobook-{options.exercises}-s0", options.exercises)
    reporter = Reporter(sink=None)
    edition = prepare(BuildRequest(content, book_file=content / "book.yml"), reporter, print)
    when = dt.datetime(2026, 1, 1)
    times: dict[str, list[float]] = {"off": [], "on": []}
    last = None
    with tempfile.TemporaryDirectory() as work:
        for _ in range(options.repeats):
            for mode, layouts in (("off", 1), ("on", holes.MAX_LAYOUTS)):
                holes.MAX_LAYOUTS, saved = layouts, holes.MAX_LAYOUTS
                started = time.perf_counter()
                result = render_pdf(edition, Path(work) / f"{mode}.pdf", "a4", when, reporter)
                times[mode].append(time.perf_counter() - started)
                holes.MAX_LAYOUTS = saved
                print(f"{mode}: {times[mode][-1]:.1f} s, {result.pages} pages", flush=True)
                last = result if mode == "on" else last
    off, on = statistics.median(times["off"]), statistics.median(times["on"])
    assert last is not None
    done = last.figures
    print(f"PDF without the pass  {off:6.1f} s (median of {options.repeats})")
    print(f"PDF with the pass     {on:6.1f} s  ratio {on / off:.2f}")
    print(
        f"layouts {done.layouts}, holes found per layout {done.holes}, shrunk {done.shrunk}, "
        f"moved {done.moved}, tightened {done.tightened}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
