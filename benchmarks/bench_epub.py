"""EPUB alone: our `build --targets epub` against pandoc's EPUB writer, on the same photo book.

    .venv/bin/python benchmarks/bench_epub.py [--exercises 300] [--repeat 3]

Generates (or reuses) the photo-book corpus of `photobook.py`, then alternates, `--repeat`
times, in fresh child processes measured by `_measure.py`:

- `ours`: `make_book.py build --targets epub --content .` in the corpus folder;
- `pandoc`: pandoc 3 (pip `pypandoc-binary`, not a project dependency: install it for this
  benchmark) turning the same chapters, in the same order, into one EPUB with their photos
  (`--resource-path` each chapter's folder), the closest thing pandoc users run.

Prints the median wall time and peak RSS of each, and the ratio ours / pandoc (the issue's
target: at most 0.25). Both write the EPUB into `benchmarks/out/epub/`.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PYTHON = sys.executable
sys.path.insert(0, str(HERE))

from photobook import generate  # noqa: E402


def measure(name: str, cmd: list[str], folder: Path, cwd: Path) -> dict:
    folder.mkdir(parents=True, exist_ok=True)
    result, out, err = folder / f"{name}.json", folder / f"{name}.out", folder / f"{name}.err"
    wrapper = [PYTHON, str(HERE / "_measure.py"), str(result), str(out), str(err), "--"]
    subprocess.run([*wrapper, *cmd], check=True, cwd=cwd)
    data = json.loads(result.read_text())
    if data["returncode"] != 0:
        raise SystemExit(f"{name} failed:\n{err.read_text(errors='replace')[-2000:]}")
    return data


def chapters_in_order(book: Path) -> list[Path]:
    """The corpus's chapters as the book orders them: exercises by folder, then guides."""
    return sorted(book.rglob("*.md"), key=lambda p: (p.parent.name == "guides", str(p)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--exercises", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    import pypandoc  # type: ignore[import-not-found]

    pandoc = pypandoc.get_pandoc_path()
    book = generate(HERE / "out" / f"photobook-{args.exercises}", exercises=args.exercises)
    out = HERE / "out" / "epub"
    chapters = chapters_in_order(book)
    folders = ":".join(sorted({str(p.parent) for p in chapters}))
    runs: dict[str, list[dict]] = {"ours": [], "pandoc": []}
    for _ in range(args.repeat):
        runs["ours"].append(
            measure(
                "ours",
                [PYTHON, str(ROOT / "make_book.py"), "build", "--targets", "epub",
                 "--content", ".", "--out", str(out / "ours"), "-q"],
                out, book,
            )
        )  # fmt: skip
        runs["pandoc"].append(
            measure(
                "pandoc",
                [pandoc, "-f", "markdown", "-t", "epub3", "--resource-path", folders,
                 "-o", str(out / "pandoc.epub"), *map(str, chapters)],
                out, book,
            )
        )  # fmt: skip
    summary = {}
    for name, results in runs.items():
        summary[name] = {
            "wall_s": statistics.median(r["wall_s"] for r in results),
            "maxrss_mb": statistics.median(r["maxrss_kb"] for r in results) / 1024,
            "load": max(r["loadavg_before"] for r in results),
        }
    ratio = summary["ours"]["wall_s"] / summary["pandoc"]["wall_s"]
    memory = summary["ours"]["maxrss_mb"] / summary["pandoc"]["maxrss_mb"]
    print(f"{len(chapters)} chapters, {args.repeat} runs each, medians")
    for name, row in summary.items():
        print(
            f"  {name:7} {row['wall_s']:6.2f} s  {row['maxrss_mb']:7.0f} MB  "
            f"(load before: up to {row['load']:.1f})"
        )
    print(f"  ours / pandoc: wall {ratio:.2f}x (target <= 0.25), peak RSS {memory:.2f}x")
    (out / "results.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
