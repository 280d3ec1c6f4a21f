"""The book file (`book.yml`): its declared schema and loading. Input: a path; output: BookConfig.

The book file is optional: `find_book_file` looks in the content folder, then beside it, so a
bare folder of chapters builds with the defaults. Chapter order (`parts`, `chapters`) is kept
raw here and resolved by `load`, which knows the chapters.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args

from guidebook.diagnostics import Reporter, shorten
from guidebook.imagefile import ImageProblem, inspect_image
from guidebook.indexes import parse_indexes
from guidebook.language import check_language
from guidebook.model import BookConfig, Press, Trim
from guidebook.schema import Field, build, parse_yaml_mapping, validate
from guidebook.text import MAX_IMAGE_BYTES, MAX_TEXT_BYTES, read_regular, remove_disallowed

BOOK_FILE_NAMES = ("book.yml", "book.yaml")
# PDF/X-4 only among the PDF/X family: X-1a and X-3 forbid the transparency and (X-1a) the
# colour-managed RGB photos a book has; every printer that takes PDF/X takes X-4.
PDF_VARIANTS = ("pdf/ua-1", "pdf/x-4")

BOOK_FIELDS: tuple[Field, ...] = (
    Field(
        "title",
        "str",
        "Book title, on the title page, the PDF metadata and the EPUB.",
    ),
    Field("subtitle", "str", "Printed under the title."),
    Field("author", "strings", "Author name, or a list of names.", attr="authors"),
    Field("language", "str", "Language code (BCP 47), e.g. en, en-GB, de."),
    Field(
        "identifier",
        "str",
        "EPUB identifier, e.g. an ISBN or urn:uuid:...; default: a UUID derived from the title.",
    ),
    Field("date", "date", "Publication date (YYYY-MM-DD); default: the build date."),
    Field("description", "str", "One-paragraph description for the metadata of both outputs."),
    Field("keywords", "strings", "Subjects for the metadata (list or comma-separated)."),
    Field("publisher", "str", "Publisher, on the title and copyright pages."),
    Field("rights", "str", "Copyright line; default: '© <year> <author>'."),
    Field(
        "site_url",
        "str",
        "Your website. Site-relative links (/guide/x) that are not chapters of the book go "
        "there; without it they become plain text with a warning.",
    ),
    Field(
        "chapter_url",
        "str",
        "Address of each chapter's web page, with {slug} and optionally {site_url} in it, e.g. "
        "'{site_url}/exercises/{slug}': what a form sheet's QR code opens for a chapter without "
        "its own 'url' or 'video'. Without it (and without those) a sheet has no QR code.",
    ),
    Field(
        "paper",
        "choice",
        "The book's trim (page size): a4, letter, a5, 5.5x8.5, 6x9, 7x10 or 8.5x11 (inches); "
        "the --paper option overrides. The design scales with it. Form sheets, session cards "
        "and handouts print on office paper: Letter for the inch trims, else A4.",
        choices=get_args(Trim),
    ),
    Field(
        "print",
        "choice",
        "Print-on-demand preset: kdp or ingram set the inside margin by the page count and "
        "the outside margins their rules ask for; none (default) keeps the design's margins.",
        choices=get_args(Press),
        attr="press",
    ),
    Field(
        "bleed",
        "bool",
        "true: the PDF's pages extend 0.125 in past the trim at the top, bottom and outer edge, "
        "and art that touches the edge (part openers) runs into it (--bleed).",
    ),
    Field(
        "crop_marks",
        "bool",
        "true: crop marks outside the trim, for a printer who cuts the pages (--crop-marks). "
        "Print-on-demand services refuse them.",
    ),
    Field(
        "pdf_variant",
        "choice",
        "PDF standard to follow: pdf/ua-1 (tagged, accessible) or pdf/x-4 (CMYK with an "
        "output intent, for printers who ask for PDF/X; --pdf-variant).",
        choices=PDF_VARIANTS,
    ),
    Field(
        "paper_stock",
        "choice",
        "The interior's paper, white or cream: how thick the print cover's spine is "
        "(cover target).",
        choices=("white", "cream"),
    ),
    Field(
        "chapter_start",
        "choice",
        "auto: an exercise opens on the next page and a guide on a right-hand page, and a "
        "part's title heads the first page of its first chapter (no blank pages between short "
        "chapters); right: every chapter opens on a right-hand page and every part has a "
        "right-hand page of its own listing its chapters, as traditional printed books do; "
        "any: every chapter on the next page (best for PDFs read on screen).",
        choices=("auto", "right", "any"),
    ),
    Field("output", "str", "Base name of the output files: <output>.pdf, <output>.epub."),
    Field(
        "cover",
        "str",
        "Cover image for the EPUB (JPEG or PNG, ideally 1600x2560), relative to the book file; "
        "default: a typographic cover is drawn.",
    ),
    Field(
        "indexes",
        "raw",
        "Back-of-book indexes: a list of target, secondary, equipment, body_part, difficulty, "
        "or a mapping of those to titles; false for none. Default: all five.",
    ),
    Field("chapters", "parts", "Chapter order as a list of slugs, without parts."),
    Field(
        "parts",
        "parts",
        "Parts, each '{title: ..., chapters: [slug, ...]}', or 'auto': exercises grouped by "
        "body part, then guides.",
    ),
)


@dataclass(frozen=True)
class BookFile:
    config: BookConfig
    order: Any  # raw `parts` / `chapters` value, resolved by load
    order_key: str | None
    order_line: int | None


def find_book_file(content_dir: Path) -> Path | None:
    for folder in (content_dir, content_dir.parent):
        for name in BOOK_FILE_NAMES:
            if (folder / name).is_file():
                return folder / name
    return None


def load_config(path: Path | None, reporter: Reporter) -> BookFile:
    """Read and check the book file; with no file, the defaults."""
    if path is None:
        return BookFile(BookConfig(), None, None, None)
    try:
        text = read_regular(path, MAX_TEXT_BYTES).decode("utf-8")
    except OSError as exc:
        reporter.error(f"cannot read the book file: {exc.strerror}; give a YAML text file", path)
        return BookFile(BookConfig(path=path), None, None, None)
    except UnicodeError as exc:
        reporter.error(f"cannot read the book file: {exc}; save it as UTF-8", path)
        return BookFile(BookConfig(path=path), None, None, None)
    text = remove_disallowed(text, path, reporter, "book file: ")
    doc = parse_yaml_mapping(text, path, 1, reporter, "book file")
    if doc is None:
        return BookFile(BookConfig(path=path), None, None, None)
    values = validate(doc, BOOK_FIELDS, path, reporter, "book file")
    if "parts" in values and "chapters" in values:
        reporter.error(
            "book file: give either 'parts' or 'chapters', not both",
            path,
            doc.line_of("chapters"),
        )
    order_key = "parts" if "parts" in values else "chapters" if "chapters" in values else None
    checks: dict[str, Callable[[str, Path, int, Reporter], object]] = {
        "site_url": _site_url,
        "chapter_url": _chapter_url,
        "cover": _cover,
        "language": check_language,
        "output": _output,
        "indexes": parse_indexes,
    }
    for key, check in checks.items():  # None: wrong (reported), so the default is used
        if key in values:
            values[key] = check(values[key], path, doc.line_of(key), reporter)
    if values.get("chapter_url") and "{site_url}" in values["chapter_url"]:
        values["chapter_url"] = _with_site(values, path, doc.line_of("chapter_url"), reporter)
    config = build(BookConfig, BOOK_FIELDS, values, path=path)
    return BookFile(
        config,
        values.get(order_key) if order_key else None,
        order_key,
        doc.line_of(order_key) if order_key else None,
    )


def _site_url(value: str, book_file: Path, line: int, reporter: Reporter) -> str | None:
    if value.startswith(("https://", "http://")):
        return value.rstrip("/") or None
    reporter.error(
        f"book file: site_url: expected an http(s):// address, got '{value}'", book_file, line
    )
    return None


def _chapter_url(value: str, book_file: Path, line: int, reporter: Reporter) -> str | None:
    address = value.replace("{site_url}", "https://site", 1) if value.startswith("{") else value
    unknown = set(re.findall(r"\{[^{}]*\}", value)) - {"{slug}", "{site_url}"}
    if address.startswith(("https://", "http://")) and "{slug}" in value and not unknown:
        return value
    reporter.error(
        "book file: chapter_url: expected an http(s):// address, or one starting with "
        "{site_url}, with {slug} where the chapter's slug goes (e.g. "
        f"'{{site_url}}/exercises/{{slug}}'), got '{value}'",
        book_file,
        line,
    )
    return None


def _with_site(
    values: dict[str, Any], book_file: Path, line: int, reporter: Reporter
) -> str | None:
    """`chapter_url` with `{site_url}` filled in from `site_url`."""
    if values.get("site_url"):
        return str(values["chapter_url"]).replace("{site_url}", values["site_url"])
    reporter.error(
        "book file: chapter_url uses {site_url} but the book file has no (valid) site_url; "
        "add 'site_url: https://...' or write the address in full",
        book_file,
        line,
    )
    return None


def _output(value: str, book_file: Path, line: int, reporter: Reporter) -> str | None:
    if OUTPUT_NAME.fullmatch(value):
        return value
    reporter.error(
        f"book file: output: '{value}' is not a plain file name; use letters, digits, "
        "'-', '_' and '.', not starting with '.' or '-' and without '/' (e.g. 'my-book')",
        book_file,
        line,
    )
    return None


# A base name only: no folder separators, no '.'/'..', no hidden or option-like names.
OUTPUT_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}")

# Stores' floor for the short side of a cover (Apple: 1400 px; KDP's ideal is 1600 x 2560).
COVER_MIN_SHORT_SIDE = 1400


def _cover(value: str, book_file: Path, line: int, reporter: Reporter) -> Path | None:
    """The cover image: a JPEG or PNG inside the project folder (the book file's folder)."""
    if not value:
        return None

    def problem(text: str) -> None:
        reporter.error(f"book file: cover: '{shorten(value, 200)}' {text}", book_file, line)

    try:
        project = book_file.parent.resolve()
        path = (book_file.parent / value).resolve()
        inside, exists = path.is_relative_to(project), path.is_file()
    except OSError as exc:  # e.g. a name longer than the file system allows
        problem(f"is not a path this system can open ({exc.strerror}); give a short relative path")
        return None
    if not inside:
        problem("lies outside the project folder; copy the image beside the book file")
        return None
    if not exists:
        problem("does not exist (the path is relative to the book file)")
        return None
    try:
        info = inspect_image(read_regular(path, MAX_IMAGE_BYTES))
    except OSError as exc:
        problem(f"cannot be read: {exc.strerror}")
        return None
    except ImageProblem as exc:
        problem(str(exc))
        return None
    if info.size is None or info.media_type not in ("image/jpeg", "image/png"):
        problem("must be a JPEG or PNG image (stores do not accept other cover formats)")
        return None
    if min(info.size) < COVER_MIN_SHORT_SIDE:
        reporter.warning(
            f"book file: cover: '{value}' is {info.size[0]}x{info.size[1]} px; stores want at "
            f"least {COVER_MIN_SHORT_SIDE} px on the short side (1600 x 2560 is ideal)",
            book_file,
            line,
        )
    return path
