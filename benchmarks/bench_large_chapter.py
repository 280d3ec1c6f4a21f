"""Does one very large chapter cost time and memory in proportion to its size?

    python benchmarks/bench_large_chapter.py [--units 50,100,200,400] [--pdf-units 25,50,100]

Writes a book of ONE chapter made of N copies of a ~1.7 KB unit (headings, paragraphs with
emphasis and links to the unit's own headings, a numbered list, a table, a quote, an FAQ) and
times, each in its own process via `_measure.py` (wall time and peak RSS):

- `check` (load + convert: Markdown, sanitising, tree passes) at each --units size,
- `build --format epub` at each --units size,
- `build --format pdf` at each --pdf-units size (the PDF is long: ~1 page per unit).

Prints one table row per run with the ratios to the smallest size: proportional cost shows as
time ratio ~= size ratio. Results go to benchmarks/out/large-chapter.json.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OUT = HERE / "out"

UNIT = """\
## Block {n}: bracing under load

Brace before every rep: breathe in through the nose, push the belly out against the belt and
keep that pressure while the bar moves. *Slow the lowering* to three seconds and **pause** for
one count at the bottom. The cue that works for most lifters is "ribs down, then squeeze";
see [the tempo notes](#block-{n}-tempo-and-rest) for how long each phase should take.

1. Set the feet at shoulder width, toes turned out a little.
2. Take the air in and lock the ribcage down before unracking.
3. Sit between the heels; keep the knees over the toes all the way down.
4. Drive the floor away and breathe out only after the sticking point.

| Week | Sets x reps | Load (% 1RM) | RPE |
|------|-------------|--------------|-----|
| 1    | 4 x 6       | 70           | 7   |
| 2    | 4 x 5       | 75           | 8   |
| 3    | 5 x 4       | 80           | 8   |

> Strength is a skill: practise the same setup every single time, even on warm-up sets.

### Block {n}: tempo and rest

A tempo of `31X0` means three seconds down, a one-second pause, up as fast as possible and no
rest at the top. Rest two to three minutes between heavy sets and ninety seconds after lighter
ones; shorter rests turn a strength session into conditioning.

### Block {n}: how often should I train this?

Two or three times a week leaves enough recovery for most people. Beginners progress on almost
any schedule; intermediates need the week planned: one heavy day, one lighter technique day.

- Track every session: load, reps and how hard it felt.
- Add load only when all sets hit the top of the rep range.
- Deload every fourth to sixth week, or when the bar speed drops.

"""


def write_book(folder: Path, units: int) -> int:
    content = folder / "content"
    content.mkdir(parents=True, exist_ok=True)
    text = "# One Very Long Chapter\n\n" + "".join(UNIT.format(n=n) for n in range(units))
    (content / "long.md").write_text(text, encoding="utf-8")
    return len(text.encode("utf-8"))


def measure(args: list[str], cwd: Path, name: str) -> dict[str, float]:
    result = OUT / f"large-{name}.json"
    subprocess.run(
        [
            sys.executable,
            str(HERE / "_measure.py"),
            str(result),
            str(OUT / f"large-{name}.out"),
            str(OUT / f"large-{name}.err"),
            "--",
            sys.executable,
            str(REPO / "make_book.py"),
            *args,
        ],
        cwd=cwd,
        check=True,
    )
    data: dict[str, float] = json.loads(result.read_text())
    if data["returncode"] != 0:
        raise SystemExit(f"{name}: exit {data['returncode']}; see {OUT}/large-{name}.err")
    return data


def run(kind: str, sizes: list[int], args: list[str]) -> list[dict[str, float]]:
    rows = []
    for units in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            size = write_book(folder, units)
            data = measure([*args, "-q"], folder, f"{kind}-{units}")
        rows.append({"kind": kind, "units": units, "bytes": size, **data})
        base = rows[0]
        print(
            f"{kind:6} {units:4} units {size / 1e6:6.2f} MB  {data['wall_s']:7.2f} s  "
            f"{data['maxrss_kb'] / 1024:7.0f} MiB   x{size / base['bytes']:4.1f} size -> "
            f"x{data['wall_s'] / base['wall_s']:4.1f} time, "
            f"x{data['maxrss_kb'] / base['maxrss_kb']:4.1f} memory",
            flush=True,
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", default="500,1000,2000,4000")
    parser.add_argument("--pdf-units", default="100,200,400")
    options = parser.parse_args()
    units = [int(u) for u in options.units.split(",")]
    pdf_units = [int(u) for u in options.pdf_units.split(",") if u]
    OUT.mkdir(exist_ok=True)
    rows = run("check", units, ["check"])
    rows += run("epub", units, ["build", "--format", "epub", "--out", "out"])
    if pdf_units:
        rows += run("pdf", pdf_units, ["build", "--format", "pdf", "--out", "out"])
    (OUT / "large-chapter.json").write_text(json.dumps(rows, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
