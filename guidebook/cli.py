"""Command line: `build` and `check`, and `handouts`, `sheets` and `cards` as short spellings of
`build --targets handout|sheet|card`. One function per command, each owning its messages.

Exit codes: 0 success, 1 content errors (or a disk error), 2 usage errors, 130 interrupted
(Ctrl-C), 143 terminated (SIGTERM). A command that fails writes nothing (`writer.py`), and its
closing line says exactly what it left in place.

Progress and diagnostics go to stderr; one line per output written goes to stdout.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import cast

from guidebook import __version__, progressbar
from guidebook.build import BuildRequest, build, prepare
from guidebook.cliparse import Parser, program_name
from guidebook.completion import script
from guidebook.contract import Output, Progress
from guidebook.diagnostics import BookError, Reporter, UsageError, display_path
from guidebook.interrupts import Terminated, termination_raises
from guidebook.model import Target, Trim
from guidebook.options import JOBS_VARIABLE, content_options, output_options
from guidebook.scaffold_cli import add_commands
from guidebook.serve_cli import add_command as add_serve
from guidebook.targets import ALIASES, REGISTRY, parse_targets
from guidebook.writer import Written

Command = Callable[[argparse.Namespace, Reporter, Progress, Written], int]


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse already printed its message
        return int(exc.code or 0)
    reporter = Reporter(strict=args.strict, quiet=args.quiet)
    progressbar.enable(sys.stderr.isatty() and not args.quiet)
    progress = (lambda _line: None) if args.quiet else _progress
    written = Written()  # what is in place: every closing message below is made from it
    command: Command = args.run
    try:
        with termination_raises():
            return command(args, reporter, progress, written)
    except UsageError as exc:
        print(f"{program_name()}: error: {exc}", file=sys.stderr)
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


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())


# --- the commands ----------------------------------------------------------------------------


def _build(args: argparse.Namespace, reporter: Reporter, progress: Progress, w: Written) -> int:
    targets = parse_targets(args.targets)
    if args.slugs == []:
        raise UsageError(
            "--only: no slug given; write the chapters' slugs, e.g. --only plank,pull-up"
        )
    for option, given, users, what in (
        ("--only", args.slugs, ("handout", "sheet"), "print chosen chapters"),
        ("--program", args.program, ("sheet", "card"), "use a program"),
        ("--roster", args.roster, ("sheet", "card"), "print for each athlete"),
    ):
        if given and not set(users) & set(targets):
            raise UsageError(f"{option}: only the {' and '.join(users)} targets {what}")
    if "cover" in targets and "pdf" not in targets:
        raise UsageError(
            "the cover target needs the pdf target in the same build (the spine is as wide as "
            "the interior is thick): add pdf to --targets"
        )
    if "card" in targets and not args.program:
        raise UsageError("the card target needs a program: add --program FILE")
    return _write(_request(args, targets), reporter, progress, w)


def _check(args: argparse.Namespace, reporter: Reporter, progress: Progress, w: Written) -> int:
    prepare(_request(args, ()), reporter, progress)
    reporter.check()
    progress(f"check passed, {_warnings(reporter)}")
    return 0


def _handouts(args: argparse.Namespace, reporter: Reporter, progress: Progress, w: Written) -> int:
    return _write(_request(args, ("handout",)), reporter, progress, w)


def _sheets(args: argparse.Namespace, reporter: Reporter, progress: Progress, w: Written) -> int:
    return _write(_request(args, ("sheet",)), reporter, progress, w)


def _cards(args: argparse.Namespace, reporter: Reporter, progress: Progress, w: Written) -> int:
    targets: tuple[Target, ...] = ("card", "sheet") if args.with_sheets else ("card",)
    return _write(_request(args, targets), reporter, progress, w)


def _completion(args: argparse.Namespace, *_: object) -> int:
    print(script(_parser(), args.shell, [*REGISTRY, *ALIASES]), end="")
    return 0


def _write(request: BuildRequest, reporter: Reporter, progress: Progress, w: Written) -> int:
    """Build, then say what was written: a line per new file, and a closing count."""
    started = time.perf_counter()
    outputs = build(request, reporter, progress, w)
    # A build that failed anywhere raised before moving anything: these are all in place now.
    for output in outputs:
        if not output.unchanged and not reporter.quiet:
            print(f"wrote {display_path(output.path)}: {_summary(output)}")
    new = sum(not output.unchanged for output in outputs)
    progress(
        f"done: {new} written, {len(outputs) - new} unchanged, {_warnings(reporter)} "
        f"({time.perf_counter() - started:.1f} s)"
    )
    return 0


# --- helpers ---------------------------------------------------------------------------------


def _jobs(args: argparse.Namespace) -> int:
    """-j N, else $GUIDEBOOK_JOBS, else 0 (every core)."""
    jobs = getattr(args, "jobs", None)
    if jobs is None:
        text = os.environ.get(JOBS_VARIABLE, "").strip() or "0"
        if not text.isdigit():
            raise UsageError(f"{JOBS_VARIABLE}={text!r}: expected a number of processes")
        jobs = int(text)
    if jobs < 0:
        raise UsageError("-j: expected a number of processes (0: every core)")
    return int(jobs)


def _request(args: argparse.Namespace, targets: tuple[Target, ...]) -> BuildRequest:
    workers = _jobs(args)
    program = getattr(args, "program", None)
    roster = getattr(args, "roster", None)
    return BuildRequest(
        content_dir=Path(args.content),
        out_dir=Path(getattr(args, "out", "build")),
        targets=targets,
        paper=cast(Trim | None, getattr(args, "paper", None)),
        press=getattr(args, "press", None),
        bleed=getattr(args, "bleed", None),
        crop_marks=getattr(args, "crop_marks", None),
        pdf_variant=getattr(args, "pdf_variant", None),
        book_file=Path(args.book) if args.book else None,
        remote_images=args.allow_remote_images,
        slugs=tuple(getattr(args, "slugs", None) or ()),
        program=Path(program) if program else None,
        roster=Path(roster) if roster else None,
        workers=workers,
        cache=Path(args.cache) if getattr(args, "cache", None) else None,
        no_cache=getattr(args, "no_cache", False),
    )


def _summary(output: Output) -> str:
    return f"{output.summary}, {output.seconds:.1f} s" if output.seconds else output.summary


def _fail(message: str) -> None:
    print(f"{program_name()}: {message}", file=sys.stderr)


def _outcome(written: Written, nothing: str) -> str:
    """What a failed command left in place, exactly: `nothing` when it replaced nothing."""
    if not written.paths:
        return nothing
    names = [display_path(p) for p in written.paths]
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    return (
        f"{len(names)} output{'s were' if len(names) != 1 else ' was'} already replaced ({shown})"
    )


def _progress(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _warnings(reporter: Reporter) -> str:
    count = len(reporter.warnings)
    return f"{count} warning{'s' if count != 1 else ''}"


# --- the parser ------------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog=program_name(),
        description="Build a print-ready PDF, an EPUB 3 and coaches' printables from Markdown "
        "exercise chapters.",
    )
    parser.add_argument("--version", action="version", version=f"guidebook {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(
        name: str, run: Command, text: str, aliases: Sequence[str] = ()
    ) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=text, description=text, aliases=list(aliases))
        sub.set_defaults(run=run)
        content_options(sub)
        return sub

    build_ = command("build", _build, "build the book and whatever else --targets names")
    output_options(build_, book=True)
    build_.add_argument(
        "--targets",
        "--format",
        dest="targets",
        default="pdf,epub",
        metavar="LIST",
        help=f"comma-separated: {', '.join(REGISTRY)} (plurals too: handouts, sheets, cards; "
        "default: pdf,epub)",
    )
    build_.add_argument("--program", metavar="FILE", help="the program (YAML) for the card target")
    build_.add_argument("--roster", metavar="FILE", help="CSV of athletes: a sheet or card each")
    build_.add_argument(
        "--only",
        dest="slugs",
        type=lambda text: [slug.strip() for slug in text.split(",") if slug.strip()],
        metavar="SLUGS",
        help="handouts and sheets of these chapters only (comma-separated slugs)",
    )
    command("check", _check, "validate the content without writing anything")
    handouts = command("handouts", _handouts, "one standalone PDF per chapter (<out>/handouts/)")
    output_options(handouts)
    handouts.add_argument("slugs", nargs="*", metavar="SLUG", help="only these chapters")
    sheets = command("sheets", _sheets, "one-page form sheet per exercise (<out>/sheets/)")
    output_options(sheets)
    sheets.add_argument("slugs", nargs="*", metavar="SLUG", help="only these exercises")
    sheets.add_argument("--roster", metavar="FILE", help="CSV of athletes: one sheet each")
    cards = command(
        "cards",
        _cards,
        "one-page session cards from a program file (<out>/cards/)",
        aliases=("program",),
    )
    output_options(cards)
    cards.add_argument("program", metavar="FILE", help="the program (YAML)")
    cards.add_argument("--roster", metavar="FILE", help="CSV of athletes: one card each")
    cards.add_argument(
        "--with-sheets", action="store_true", help="also the form sheets of its exercises"
    )
    add_commands(commands)  # init, new
    add_serve(commands)
    shells = commands.add_parser("completion", help="print a bash or zsh completion script")
    shells.add_argument("shell", choices=("bash", "zsh"))
    shells.set_defaults(run=_completion, quiet=False, strict=False)
    return parser
