"""Resource bombs (issue 8, section 3): does every hostile input end in bounded time and memory?

    python benchmarks/bench_hostile.py [--only NAME,...] [--timeout 300] [--tree DIR]

Each case writes a small project holding one bomb and runs the real CLI (`make_book.py` of
--tree, default this checkout) on it in a child process of its own; `os.wait4` gives that
child's wall time and peak RSS, and a timer kills its process group after --timeout seconds
(shown as "> N s"). The baseline rows, measured in the same run, build the repository's sample
book. Printed as a Markdown table (the one in benchmarks/README.md); JSON goes to
benchmarks/out/hostile.json. To measure the code before the fixes, point --tree at an older
checkout (`git worktree add /tmp/before <commit>`).

The bombs run `build --format epub` (conversion is where they struck) except where the PDF
renderer is the one that suffered: the SVG <use> bomb and the 1 MB word build the PDF too.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OUT = HERE / "out"
MB = 1024 * 1024

# Nine levels of nine aliases, all under a known key whose type is wrong, so that the
# builder's message describes the (expanded) value: 9^9 strings from about 600 bytes.
YAML_BOMB = "title:\n- &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"- &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
)


def use_bomb(levels: int = 7, fan: int = 10) -> str:
    parts = ['<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><defs>']
    parts.append('<rect id="l0" width="1" height="1"/>')
    for i in range(1, levels + 1):
        parts.append(f'<g id="l{i}">' + f'<use href="#l{i - 1}"/>' * fan + "</g>")
    parts.append(f'</defs><use href="#l{levels}"/></svg>')
    return "".join(parts)


def repeated(pattern: str, size: int = MB, paragraph: int | None = None) -> str:
    """`pattern` repeated to `size` characters: one paragraph, or paragraphs of `paragraph`."""
    unit = pattern * ((paragraph or size) // len(pattern))
    return "\n\n".join([unit] * (size // len(unit)))


@dataclass(frozen=True)
class Case:
    name: str
    what: str
    files: dict[str, str]  # path under the project folder -> text ("FIFO" makes a FIFO)
    args: tuple[str, ...]  # after make_book.py; {project} and {repo} are filled in


def chapter(body: str) -> dict[str, str]:
    return {"content/bomb.md": f"# Bomb\n\n{body}\n"}


EPUB = ("build", "--content", "{project}/content", "--out", "{project}/out", "--format", "epub")
PDF_EPUB = (*EPUB[:-1], "pdf,epub")
SAMPLE = ("build", "--content", "{repo}/content", "--book", "{repo}/book.yml", "--out")

CASES = [
    Case(
        "baseline-epub",
        "sample book, 12 chapters (EPUB)",
        {},
        (*SAMPLE, "{project}/out", "--format", "epub"),
    ),
    Case("baseline-pdf", "sample book, 12 chapters (PDF + EPUB)", {}, (*SAMPLE, "{project}/out")),
    Case(
        "yaml-front-matter",
        "YAML alias bomb (376 bytes, 9^9 strings) in front matter",
        {"content/bomb.md": f"---\n{YAML_BOMB}---\n# Bomb\n\nText.\n"},
        EPUB,
    ),
    Case(
        "yaml-book-file",
        "YAML alias bomb (376 bytes, 9^9 strings) in book.yml",
        {"content/book.yml": YAML_BOMB, **chapter("Text.")},
        EPUB,
    ),
    Case(
        "svg-use-bomb",
        "SVG of 10^7 <use> copies (PDF + EPUB)",
        {**chapter("![A diagram](bomb.svg)"), "content/bomb.svg": use_bomb()},
        PDF_EPUB,
    ),
    Case("headings", "19,990 identical headings", chapter("## Same\n" * 19_990), EPUB),
    Case("md-brackets", "1 MB of '[' in one paragraph", chapter(repeated("[")), EPUB),
    Case(
        "md-unclosed-links",
        "1 MB of '[[[[a](' in one paragraph",
        chapter(repeated("[[[[a](")),
        EPUB,
    ),
    Case(
        "md-open-tags",
        "1 MB of '<a ' in 2 KB paragraphs",
        chapter(repeated("<a ", paragraph=2048)),
        EPUB,
    ),
    Case(
        "md-emphasis",
        "1 MB of '**a*' in 2 KB paragraphs",
        chapter(repeated("**a*", paragraph=2048)),
        EPUB,
    ),
    Case("long-word", "a 1 MB word (PDF + EPUB)", chapter(f"Before {'a' * MB} after."), PDF_EPUB),
    Case("book-dev-zero", "--book /dev/zero", chapter("Text."), (*EPUB, "--book", "/dev/zero")),
    Case(
        "fifo-chapter", "a FIFO as chapter", {"content/fifo.md": "FIFO", **chapter("Text.")}, EPUB
    ),
]


@dataclass
class Result:
    name: str
    what: str
    code: int | None  # None: killed at the timeout
    wall_s: float
    maxrss_mib: float
    message: str
    traceback: bool


def run_case(case: Case, make_book: Path, timeout: float) -> Result:
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        for name, text in case.files.items():
            path = project / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if text == "FIFO":
                os.mkfifo(path)
            else:
                path.write_text(text, encoding="utf-8")
        args = [a.format(project=project, repo=REPO) for a in case.args]
        code, wall, rss, stderr = _measure([sys.executable, str(make_book), *args, "-q"], timeout)
    return Result(
        case.name,
        case.what,
        code,
        wall,
        rss / 1024,
        _message(stderr, tmp),
        "Traceback" in stderr,
    )


def _measure(cmd: list[str], timeout: float) -> tuple[int | None, float, int, str]:
    """(exit code or None if killed, wall seconds, peak RSS in KiB, stderr) of one child."""
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        # No PYTHONPATH: the child imports the package beside the make_book.py it runs.
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        child = subprocess.Popen(
            cmd, stdout=subprocess.DEVNULL, stderr=err, start_new_session=True, env=env
        )
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            os.killpg(child.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, kill)
        timer.start()
        _pid, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        timer.cancel()
        child.returncode = os.waitstatus_to_exitcode(status)  # reaped by wait4 already
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    return (None if killed.is_set() else child.returncode), wall, usage.ru_maxrss, stderr


def _message(stderr: str, project: str) -> str:
    """The first diagnostic the run printed, paths shortened, cut to fit a table cell."""
    for line in stderr.splitlines():
        if ": error: " in line or ": warning: " in line or line.startswith(("error", "make_book")):
            text = line.replace(project + "/", "").replace("|", "\\|")
            return text if len(text) <= 110 else text[:107] + "..."
    return ""


def _row(result: Result, timeout: float) -> str:
    wall = f"> {timeout:.0f}" if result.code is None else f"{result.wall_s:.1f}"
    code = "killed" if result.code is None else str(result.code)
    trace = "yes" if result.traceback else "no"
    return (
        f"| {result.what} | {code} | {wall} | {result.maxrss_mib:.0f} | {trace} | "
        f"{result.message or '-'} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--only", default="", help="comma-separated case names")
    parser.add_argument("--timeout", type=float, default=300.0)
    parser.add_argument("--tree", type=Path, default=REPO, help="checkout whose CLI to run")
    options = parser.parse_args()
    chosen = [c for c in CASES if not options.only or c.name in options.only.split(",")]
    make_book = options.tree.resolve() / "make_book.py"
    print("| case | exit | wall s | peak RSS MiB | traceback | first message |")
    print("|---|---:|---:|---:|---|---|")
    results = []
    for case in chosen:
        result = run_case(case, make_book, options.timeout)
        results.append(result)
        print(_row(result, options.timeout), flush=True)
    OUT.mkdir(exist_ok=True)
    (OUT / "hostile.json").write_text(
        json.dumps(
            {"tree": str(make_book.parent), "results": [asdict(r) for r in results]}, indent=1
        ),
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
