"""The `serve` command's options. The preview itself (`serve/`: threads, watchfiles, the HTTP
server) is imported only when the command runs, not at every start of the command line."""

from __future__ import annotations

import argparse
from pathlib import Path

from guidebook.build import BuildRequest
from guidebook.contract import Progress
from guidebook.diagnostics import Reporter, UsageError
from guidebook.options import content_options
from guidebook.writer import Written


def add_command(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    serve = commands.add_parser(
        "serve", help="preview the book in a browser; every save reloads the page"
    )
    content_options(serve)
    serve.add_argument("--port", type=int, default=8000, help="default: 8000 (0: any free port)")
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default: 127.0.0.1, this machine only)",
    )
    serve.add_argument("--pdf", action="store_true", help="also make the PDF after every change")
    serve.add_argument("--out", default="build", metavar="DIR", help="where --pdf writes")
    serve.set_defaults(run=_serve)


def _serve(args: argparse.Namespace, reporter: Reporter, progress: Progress, w: Written) -> int:
    from guidebook.serve import ServeOptions, serve

    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port: {args.port} is not a port number (0 to 65535)")
    request = BuildRequest(
        content_dir=Path(args.content),
        out_dir=Path(args.out),
        targets=("pdf",) if args.pdf else (),
        book_file=Path(args.book) if args.book else None,
        remote_images=args.allow_remote_images,
    )
    options = ServeOptions(args.host, args.port, args.pdf, args.strict)
    return serve(request, options, lambda line: print(line, flush=True))
