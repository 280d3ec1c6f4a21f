"""The preview server's path guard: which request paths name a file it may send, and whether
a file on disk is one of the book's own.

The server answers from a table of names (the preview page, the stylesheets, fonts and images
the book document loads, the PDF), never by joining a request path onto a folder. These checks
come on top: a request path with `..`, `.`, an empty segment, a backslash, a NUL or a drive
letter is refused before any lookup, in its raw and its percent-decoded form; and a file is
opened only when its real path (symbolic links followed) lies inside one of the allowed roots
and the last component is not itself a link, so a symbolic link from the content folder to
`/etc/passwd` is never read.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote

_DRIVE = re.compile(r"^[A-Za-z]:")


class Refused(Exception):
    """A request path or file the server will not serve; the message says why (for the log)."""


def request_name(raw: str) -> str:
    """The name a request path asks for, relative and normalised ("images/x.svg"; "" for the
    page itself), or `Refused` when it tries to leave the table's namespace."""
    # Not urlsplit: it reads "//etc/passwd" as a host and a path.
    path = raw.split("?", 1)[0].split("#", 1)[0]
    for text in (path, unquote(path)):
        if "\\" in text or "\x00" in text:
            raise Refused("a backslash or NUL in the path")
        if not text.startswith("/") or text.startswith("//"):
            raise Refused("not a path from the server's root")
        pieces = text[1:].split("/")
        if text == "/":
            continue
        if any(piece in ("", ".", "..") for piece in pieces):
            raise Refused("an empty, '.' or '..' segment")
        if _DRIVE.match(pieces[0]):
            raise Refused("a drive letter")
    return unquote(path)[1:]


def inside(path: Path, roots: Iterable[Path]) -> bool:
    """`path`, with every symbolic link resolved, lies inside one of `roots` (resolved too)."""
    real = os.path.realpath(path)
    for root in roots:
        base = os.path.realpath(root)
        if os.path.commonpath([real, base]) == base:
            return True
    return False


def open_inside(path: Path, roots: Iterable[Path]) -> BinaryIO:
    """Open a regular file of the book for reading: inside `roots`, not through a link at its
    last component (checked again at open time, `O_NOFOLLOW`), not a FIFO or device."""
    if not inside(path, roots):
        raise Refused(f"{path} is outside the project")
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise Refused(f"{path}: {exc.strerror}") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise Refused(f"{path} is not a regular file")
    return os.fdopen(fd, "rb")
