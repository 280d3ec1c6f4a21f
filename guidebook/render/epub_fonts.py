"""EPUB stage: the fonts the EPUB embeds, cuts of the shipped Inter holding the stylesheet's marks.

The tip and mistake lists are marked ✓ and ✗, and related links →, drawn by CSS `content`
(base.css). Many text fonts have no ✓ or ✗ (Liberation Serif and Sans among them:
`fc-list ':charset=2713'`), so a reading system with only such fonts shows empty boxes. The EPUB
therefore carries the shipped Inter (regular and bold, as the marks are set bold) cut down to the
characters of the stylesheet's `content` strings that are not ASCII, as a family of its own
("Guidebook Marks", named by epub.css on those marks only): 2 KB a font, and no other text
changes font.
Apple Books, Kobo, Google Play Books, Thorium and Calibre use embedded fonts; a reader that
ignores them falls back to the next family in epub.css and its own fonts.

The body text is not embedded: every reading system has Latin text fonts, readers choose their
own, and the four Charis SIL styles would add a few hundred kilobytes (and Charis reserves its
name, so a cut-down copy would have to be renamed).

fontTools keeps the font's name table (copyright, licence and its URL: OFL-1.1) and, since
`recalcTimestamp` is off, the `head` dates, so the bytes are the same on every build.
"""

from __future__ import annotations

import functools
import io
from pathlib import Path

import tinycss2  # type: ignore[import-untyped]
from fontTools import subset  # type: ignore[import-untyped]
from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

FAMILY = "Guidebook Marks"
# (file in the EPUB, shipped font): the names epub.css's @font-face rules point at.
MARKS_FONTS = (
    ("fonts/marks-regular.otf", "Inter-Regular.otf"),
    ("fonts/marks-bold.otf", "Inter-Bold.otf"),
)
MEDIA_TYPE = "font/otf"
_LAYOUT_TABLES = {"GSUB", "GPOS", "GDEF", "BASE", "JSTF"}


@functools.lru_cache(maxsize=8)
def content_characters(css: str) -> str:
    """The characters, other than ASCII, of every `content` string in the stylesheet."""
    found: set[str] = set()

    def visit(rules: list[tinycss2.ast.Node]) -> None:
        for rule in rules:
            if rule.type not in ("qualified-rule", "at-rule") or rule.content is None:
                continue
            if rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports"):
                visit(tinycss2.parse_rule_list(rule.content, True, True))
                continue
            for declaration in tinycss2.parse_declaration_list(rule.content, True, True):
                if declaration.type == "declaration" and declaration.lower_name == "content":
                    for token in declaration.value:
                        if token.type == "string":
                            found.update(ch for ch in token.value if not ch.isascii())

    visit(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))
    return "".join(sorted(found))


def marks_fonts(fonts: Path, css: str) -> list[tuple[str, bytes]]:
    """(file name, OpenType bytes) of each marks font: the characters of `css`'s content
    strings that the shipped font has, and the space (the marks are followed by one)."""
    wanted = " " + content_characters(css)
    return [(name, _subset_of(fonts / source, wanted)) for name, source in MARKS_FONTS]


def _subset_of(path: Path, characters: str) -> bytes:
    """The cut of `path` for `characters`, made once per process for each version of the file
    (the same few kilobytes on every build of a test run or of `serve`)."""
    found = path.stat()
    return _subset(path, found.st_mtime_ns, found.st_size, characters)


@functools.lru_cache(maxsize=16)
def _subset(path: Path, _mtime_ns: int, _size: int, characters: str) -> bytes:
    options = subset.Options()
    options.name_IDs = ["*"]  # keep the copyright and licence records
    options.name_languages = ["*"]
    options.notdef_outline = True
    with TTFont(path, recalcTimestamp=False) as font:
        # Single marks: no kerning or ligatures to keep. Removed before the subsetter reads
        # them, which takes 0.3 s a font for Inter's GPOS.
        for tag in _LAYOUT_TABLES & set(font.keys()):
            del font[tag]
        have = font.getBestCmap()
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=[ord(ch) for ch in characters if ord(ch) in have])
        subsetter.subset(font)
        out = io.BytesIO()
        font.save(out)
    return out.getvalue()
