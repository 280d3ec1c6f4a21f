"""Command line: `build`, `check`, and the printables `handouts`, `sheets` and `program`.

Exit codes: 0 success, 1 content errors (or a disk error), 2 usage errors, 130 interrupted
(Ctrl-C), 143 terminated (SIGTERM). A command that fails writes nothing (`writer.py`), and its
closing line says exactly what it left in place.

Progress and diagnostics go to stderr; one summary line per output goes to stdout.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import cast

from guidebook import __version__
from guidebook.build import BuildOptions, Progress, build_book, prepare
from guidebook.diagnostics import BookError, Reporter, UsageError, display_path
from guidebook.interrupts import Terminated, termination_raises
from guidebook.model import TARGETS, Paper, Target
from guidebook.printables.commands import PrintOptions, make_cards, make_handouts, make_sheets
from guidebook.writer import Written


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse already printed its message
        return int(exc.code or 0)
    reporter = Reporter(strict=getattr(args, "strict", False))
    progress = (lambda _line: None) if args.quiet else _progress
    written = Written()  # what is in place: every closing message below is made from it
    try:
        with termination_raises():
            return _command(args, reporter, progress, written)
    except UsageError as exc:
        print(f"make_book: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        _fail(f"interrupted; {_outcome(written, 'no output was replaced')}")
        return 130
    except Terminated:
        _fail(f"terminated; {_outcome(written, 'no output was replaced')}")
        return 143
    except OSError as exc:  # the disk, not the content: full, read-only, permissions
        where = f" {display_path(Path(exc.filename))}" if exc.filename else ""
        reason = exc.strerror or exc
        _fail(
            f"error: cannot write{where}: {reason}; {_outcome(written, 'no output was replaced')}"
        )
        return 1
    except BookError as exc:
        count = len(exc.diagnostics)
        strict = (
            " (--strict treats warnings as errors)" if reporter.strict and reporter.warnings else ""
        )
        _fail(
            f"{count} problem{'s' if count != 1 else ''} to fix; "
            f"{_outcome(written, 'no output was written')}{strict}"
        )
        return 1


def _command(
    args: argparse.Namespace, reporter: Reporter, progress: Progress, written: Written
) -> int:
    options = _options(args)
    if args.command == "check":
        prepare(options, reporter, progress)
        _finish_check(reporter)
        return 0
    if args.command in PRINTABLES:
        return _printables(args, reporter, progress, written)
    started = time.perf_counter()
    for output in build_book(options, reporter, progress, written):
        print(f"wrote {display_path(output.path)}: {output.summary}, {output.seconds:.1f} s")
    _progress(f"done, {_warnings(reporter)} ({time.perf_counter() - started:.1f} s in all)")
    return 0


def _fail(message: str) -> None:
    print(f"make_book: {message}", file=sys.stderr)


def _outcome(written: Written, nothing: str) -> str:
    """What a failed command left in place, exactly: `nothing` when it replaced nothing."""
    if not written.paths:
        return nothing
    names = [display_path(p) for p in written.paths]
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    return (
        f"{len(names)} output{'s were' if len(names) != 1 else ' was'} already replaced ({shown})"
    )


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())


def _progress(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _warnings(reporter: Reporter) -> str:
    count = len(reporter.warnings)
    return f"{count} warning{'s' if count != 1 else ''}"


def _finish_check(reporter: Reporter) -> None:
    reporter.check()
    _progress(f"check passed, {_warnings(reporter)}")


PRINTABLES = ("handouts", "sheets", "program")


def _printables(
    args: argparse.Namespace, reporter: Reporter, progress: Progress, written: Written
) -> int:
    options = PrintOptions(
        content_dir=Path(args.content),
        out_dir=Path(args.out),
        paper=cast(Paper | None, args.paper),
        book_file=Path(args.book) if args.book else None,
        slugs=tuple(getattr(args, "slugs", ())),
        workers=args.jobs,
        written=written,
    )
    if args.jobs < 0:
        raise UsageError("-j: expected a number of processes (0: every core)")
    started = time.perf_counter()
    roster = Path(args.roster) if getattr(args, "roster", None) else None
    if args.command == "handouts":
        results = make_handouts(options, reporter, progress)
    elif args.command == "sheets":
        results = make_sheets(options, reporter, progress, roster)
    else:
        results = make_cards(options, reporter, progress, Path(args.file), roster, args.with_sheets)
    seconds = time.perf_counter() - started
    # A run that failed anywhere raised before moving anything: these are all in place now.
    done = [r for r in results if not r.skipped]
    for result in done:
        print(f"wrote {display_path(result.output)}: {result.pages} page{'s' * (result.pages > 1)}")
    _progress(
        f"done: {len(done)} written, {len(results) - len(done)} unchanged, "
        f"{_warnings(reporter)} ({seconds:.1f} s, {len(done) / seconds:.1f} PDFs/s)"
    )
    return 0


def _options(args: argparse.Namespace) -> BuildOptions:
    formats = _formats(getattr(args, "format", "pdf,epub"))
    return BuildOptions(
        content_dir=Path(args.content),
        out_dir=Path(getattr(args, "out", "build")),
        formats=formats,
        paper=cast(Paper | None, getattr(args, "paper", None)),
        book_file=Path(args.book) if args.book else None,
        remote_images=args.allow_remote_images,
    )


def _formats(text: str) -> tuple[Target, ...]:
    names = [n.strip().lower() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in TARGETS]
    if unknown or not names:
        raise UsageError(
            f"--format: unknown format '{','.join(unknown) or text}'; choose from "
            f"{', '.join(TARGETS)} (comma-separated)"
        )
    wanted = set(names)
    return tuple(t for t in TARGETS if t in wanted)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="make_book.py",
        description="Build a print-ready PDF and an EPUB 3 from Markdown exercise chapters.",
    )
    parser.add_argument("--version", action="version", version=f"guidebook {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def common(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--content",
            default="content",
            metavar="DIR",
            help="folder of Markdown chapters (default: content)",
        )
        sub.add_argument(
            "--book",
            metavar="FILE",
            help="book file (default: book.yml in the content folder or beside it)",
        )
        sub.add_argument(
            "--strict",
            action="store_true",
            help="treat every warning, the PDF renderer's too, as an error",
        )
        sub.add_argument(
            "--allow-remote-images",
            action="store_true",
            help="download http(s) images named in chapters (default: refuse them; "
            "builds never touch the network otherwise)",
        )
        sub.add_argument("-q", "--quiet", action="store_true", help="no progress lines")

    build = commands.add_parser("build", help="build the PDF and EPUB (and optionally HTML)")
    common(build)
    build.add_argument(
        "--out",
        default="build",
        metavar="DIR",
        help="output folder, created if needed (default: build)",
    )
    build.add_argument(
        "--format",
        default="pdf,epub",
        metavar="LIST",
        help="comma-separated: pdf, epub, html (default: pdf,epub)",
    )
    build.add_argument(
        "--paper",
        choices=("a4", "letter"),
        help="PDF paper size (default: from the book file, else a4)",
    )
    check = commands.add_parser("check", help="validate the content without writing anything")
    common(check)

    def printable(name: str, text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=text, description=text)
        common(sub)
        sub.add_argument("--out", default="build", metavar="DIR", help="(default: build)")
        sub.add_argument("--paper", choices=("a4", "letter"), help="(default: the book's)")
        sub.add_argument(
            "-j",
            "--jobs",
            type=int,
            default=0,
            metavar="N",
            help="render with N processes (default 0: every core)",
        )
        return sub

    handouts = printable("handouts", "one standalone PDF per chapter (<out>/handouts/)")
    handouts.add_argument("slugs", nargs="*", metavar="SLUG", help="only these chapters")
    sheets = printable("sheets", "one-page form sheet per exercise (<out>/sheets/)")
    sheets.add_argument("slugs", nargs="*", metavar="SLUG", help="only these exercises")
    sheets.add_argument("--roster", metavar="FILE", help="CSV of athletes: one sheet each")
    program = printable("program", "one-page session cards from a program file (<out>/cards/)")
    program.add_argument("file", metavar="FILE", help="the program (YAML)")
    program.add_argument("--roster", metavar="FILE", help="CSV of athletes: one card each")
    program.add_argument(
        "--with-sheets", action="store_true", help="also the form sheets of its exercises"
    )
    return parser
