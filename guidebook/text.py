"""Text primitives used by several stages: reading text files, slugs and mojibake repair.

Every text file (chapters, the book file, programs, rosters) is read here, and characters no
output may carry are removed on the way in, once, with a warning: C0 and C1 control characters
other than tab and newline (most are not XML characters at all, so lxml refuses them and EPUBCheck
calls the file fatally broken; the rest are invisible junk from pasted text) and Unicode
noncharacters (U+FFFE, U+FFFF, U+FDD0-U+FDEF and the last two code points of every plane; the
first two are not XML characters either).

Mojibake: chapters pasted from web CMS exports often hold UTF-8 that was decoded as Mac Roman
(or Windows-1252) and saved again. ftfy repairs most Windows-1252 cases, but a UTF-8 emoji read
as Mac Roman starts with U+F8FF (Mac Roman's Apple logo for byte 0xF0), which ftfy leaves alone;
so runs of Mac Roman characters are first re-encoded and decoded as UTF-8 when that yields
valid UTF-8, then ftfy handles what is left.
"""

from __future__ import annotations

import functools
import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import ftfy
from anyascii import anyascii

from guidebook.diagnostics import Reporter

_SLUG_DROP = re.compile(r"[^a-z0-9]+")

# Characters Mac Roman maps to bytes 0x80-0xFF; a run of them may be mis-decoded UTF-8.
_MAC_ROMAN_HIGH = "".join(bytes([b]).decode("mac_roman") for b in range(0x80, 0x100))
_MAC_RUN = re.compile("[" + re.escape(_MAC_ROMAN_HIGH) + "]{2,}")

_FTFY = ftfy.TextFixerConfig(
    unescape_html=False,  # chapters may hold raw HTML on purpose
    uncurl_quotes=False,  # typographic quotes are wanted in print
    fix_latin_ligatures=False,
    fix_character_width=False,
    fix_line_breaks=False,
    explain=False,
)


@functools.lru_cache(maxsize=4096)  # headings repeat across chapters: "Steps", "Tips"...
def slugify(text: str) -> str:
    """Lower-case ASCII words joined by single hyphens: 'Pull-Up (Wide)' -> 'pull-up-wide'.

    Other scripts are transliterated (anyascii), so a book written in Chinese, Russian or Greek
    gets readable file names and ids ('Приседания' -> 'prisedaniya', '深蹲' -> 'shendun')
    instead of none. Anything but letters, marks and digits separates words (anyascii would spell
    an emoji's name)."""
    letters = "".join(ch if unicodedata.category(ch)[0] in "LMN" else " " for ch in text)
    return _SLUG_DROP.sub("-", anyascii(letters).lower()).strip("-")


@dataclass(frozen=True)
class Repair:
    line: int
    before: str
    after: str


def repair_mojibake(text: str) -> tuple[str, list[Repair]]:
    """Return the repaired text and what was changed, line by line (1-based lines)."""
    repairs: list[Repair] = []
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if line.isascii():
            continue
        fixed = _MAC_RUN.sub(_mac_roman_run, line)
        fixed = ftfy.fix_text(fixed, config=_FTFY)
        if fixed != line:
            repairs.append(Repair(index + 1, *_changed_span(line, fixed)))
            lines[index] = fixed
    return "\n".join(lines), repairs


def _mac_roman_run(match: re.Match[str]) -> str:
    run = match.group(0)
    try:
        decoded = run.encode("mac_roman").decode("utf-8")
    except UnicodeError:
        return run
    # Genuine accented text ("café") never decodes as UTF-8 this way; a lone combining mark
    # or control character would mean we guessed wrong.
    if any(unicodedata.category(ch) in ("Cc", "Mn") for ch in decoded[:1]):
        return run
    return decoded


def _changed_span(before: str, after: str) -> tuple[str, str]:
    """The differing middle of two strings, for a short message."""
    start = 0
    while start < min(len(before), len(after)) and before[start] == after[start]:
        start += 1
    end_b, end_a = len(before), len(after)
    while end_b > start and end_a > start and before[end_b - 1] == after[end_a - 1]:
        end_b -= 1
        end_a -= 1
    return before[start:end_b], after[start:end_a]


def line_of(text: str, needle: str) -> int | None:
    """The 1-based line where `needle` first occurs in `text`, for messages."""
    index = text.find(needle) if needle else -1
    return text.count("\n", 0, index) + 1 if index >= 0 else None


def decode_lenient(data: bytes, path: Path, reporter: Reporter, what: str = "") -> str:
    """UTF-8 (BOM allowed), else Windows-1252 with a warning naming the first bad line; newlines
    made "\\n". `what` prefixes the warning ("roster: ")."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        text = data.decode("cp1252", errors="replace")
        reporter.warning(
            f"{what}the file is not UTF-8; read it as Windows-1252. Save it as UTF-8 to "
            "silence this",
            path,
            line,
        )
    return text.replace("\r\n", "\n").replace("\r", "\n")


# See the module docstring. \r is gone by now (newlines are "\n"); DEL (U+007F) goes with C1.
# Surrogates never come from decoding a file, but a YAML escape ("\\ud83d") makes them: the YAML
# loader removes this same set from decoded escapes.
DISALLOWED = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(17))
    + "]"
)


def without_disallowed(text: str) -> str:
    """`text` without control characters (except tab and newline) and noncharacters."""
    return DISALLOWED.sub("", text)


def remove_disallowed(text: str, path: Path | None, reporter: Reporter, what: str = "") -> str:
    """`without_disallowed`, with one warning naming the first line that had any."""
    first = DISALLOWED.search(text)
    if first is None:
        return text
    count = len(DISALLOWED.findall(text))
    reporter.warning(
        f"{what}removed {count} control character{'s' if count != 1 else ''} or Unicode "
        f"noncharacter{'s' if count != 1 else ''} (the first, U+{ord(first.group()):04X}, on "
        "this line) that no output can carry; delete them from the file to silence this",
        path,
        text.count("\n", 0, first.start()) + 1,
    )
    return without_disallowed(text)


_CHARACTER_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));?")


def disallowed_reference_line(text: str) -> int | None:
    """The line of the first character reference (`&#xFFFE;`, `&#1;`) to a character
    `without_disallowed` removes, for a message."""
    for match in _CHARACTER_REFERENCE.finditer(text):
        value = int(match[1], 16) if match[1] else int(match[2])
        if value < 0x110000 and DISALLOWED.match(chr(value)):
            return text.count("\n", 0, match.start()) + 1
    return None


MAX_TEXT_BYTES = 16 * 1024 * 1024  # a chapter, book file, program or roster
MAX_IMAGE_BYTES = 64 * 1024 * 1024


class NotReadable(OSError):
    """A path that is not a regular file, or one larger than the limit."""


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes. A device (`/dev/zero`), FIFO,
    socket or folder is refused before anything is read, so no input can block or stream
    forever; a file that grows past `limit` while being read is refused too."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotReadable(0, "it is not a regular file (a device, pipe or folder)")
        if info.st_size > limit:
            raise NotReadable(0, f"it is over {limit // 2**20} MB")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(limit + 1)
        if len(data) > limit:
            raise NotReadable(0, f"it is over {limit // 2**20} MB")
        return data
    finally:
        os.close(fd)


def read_text_file(
    path: Path, reporter: Reporter, what: str = "", not_text: str = "save it as UTF-8 text"
) -> str | None:
    """A text file's contents (see `decode_lenient`) without the characters no output can carry
    (`remove_disallowed`), or None after reporting why not: it cannot be read, or it holds NUL
    bytes (`not_text` says what to do). `what` prefixes every message ("roster: ")."""
    try:
        data = read_regular(path, MAX_TEXT_BYTES)
    except OSError as exc:
        reporter.error(f"{what}cannot read the file: {exc.strerror}", path)
        return None
    if b"\x00" in data:
        reporter.error(f"{what}this is not a text file (it contains NUL bytes); {not_text}", path)
        return None
    return remove_disallowed(decode_lenient(data, path, reporter, what), path, reporter, what)
