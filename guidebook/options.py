"""The command line's shared options: where the content is, where outputs go, how the PDF is
printed. `cli.py` builds the commands from them."""

from __future__ import annotations

import argparse
from typing import get_args

from guidebook.config import PDF_VARIANTS
from guidebook.model import Paper, Press, Trim

JOBS_VARIABLE = "GUIDEBOOK_JOBS"  # the default for -j (a CI machine, the test suite)


def content_options(sub: argparse.ArgumentParser) -> None:
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
    sub.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")


def output_options(sub: argparse.ArgumentParser, book: bool = False) -> None:
    sub.add_argument(
        "--out",
        default="build",
        metavar="DIR",
        help="output folder, created if needed (default: build)",
    )
    if book:
        sub.add_argument(
            "--paper",
            choices=get_args(Trim),
            help="the book's trim (default: from the book file, else a4); form sheets, cards "
            "and handouts print on Letter for the inch trims, else on A4",
        )
        print_options(sub)
        cache_options(sub)
    else:
        sub.add_argument(
            "--paper",
            choices=get_args(Paper),
            help="paper size (default: Letter if the book's trim is in inches, else A4)",
        )
    sub.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=None,
        metavar="N",
        help="convert a big book, lay out its PDF and render the printables with N processes "
        f"(default: ${JOBS_VARIABLE}, else 0: every core)",
    )


def cache_options(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--cache",
        metavar="DIR",
        help="where the converted chapters and the PDF's laid-out chunks are kept between "
        "builds, so that a rebuild converts and lays out only what changed (default: "
        ".guidebook-chunks in the output folder)",
    )
    sub.add_argument(
        "--no-cache",
        action="store_true",
        help="convert every chapter and lay out the whole PDF again; keep nothing for the "
        "next build",
    )


def print_options(sub: argparse.ArgumentParser) -> None:
    """The book PDF's print production options (each overrides the book file's key)."""
    sub.add_argument(
        "--print",
        dest="press",
        choices=get_args(Press),
        help="print-on-demand preset: the inside margin by page count and the printer's "
        "margin rules (default: from the book file, else none)",
    )
    sub.add_argument(
        "--bleed",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="extend the pages 0.125 in past the trim at the top, bottom and outer edge, with "
        "the part openers' colour running into it",
    )
    sub.add_argument(
        "--crop-marks",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="crop marks outside the trim (print-on-demand services refuse them)",
    )
    sub.add_argument(
        "--pdf-variant",
        choices=PDF_VARIANTS,
        help="PDF standard: pdf/ua-1 (tagged, accessible) or pdf/x-4 (CMYK) for printers who ask",
    )
