"""Names the writers give things: element ids and EPUB file names, valid and unique by construction.

EPUB wants every id (manifest item, spine itemref, NCX navPoint, XHTML element) to be an XML name
without colons (an NCName: it may not start with a digit) and unique in its document, and every
file name unique in the package; the one-document HTML behind the PDF wants its ids unique too.
Content does not give that for free: a chapter file `3-4-sit-up.md` has a slug starting with a
digit, a chapter may be called `nav`, `cover` or `contents` like the package's own files and ids,
two parts may share a title, and a title in CJK or Cyrillic script slugs to nothing at all.

So every chapter and part is given one *anchor* here, after loading and before anything is
named after it. The anchor is its element id, the prefix of every id inside it
(`<anchor>--<name>`, see convert/ids.py) and, in the EPUB, its file name (`<anchor>.xhtml`):

- a chapter keeps its slug when that starts with a letter and is not `RESERVED`; otherwise it
  becomes `c-<slug>`, with a `-2`, `-3` suffix if that is taken too;
- a part is `part-<words of its title>` (`part-<n>`, its position, when the title has no
  letters or digits in any script), with a suffix when a chapter or an earlier part has it.

Chapters are named before parts and natural slugs before prefixed ones, so a chapter's anchor
changes only when its own slug is unusable. Anchors never contain `--` (slugs and slugified
words cannot), so ids made inside one chapter never meet another's, an anchor or a reserved name.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable

from guidebook.model import Part
from guidebook.text import slugify

# Names the writers use for their own files and ids: the EPUB's cover.xhtml, titlepage.xhtml,
# nav.xhtml, toc.ncx, content.opf and css/, images/ folders, the ids of the title page, the
# copyright page and the contents of the book document, EbookLib's `id="id"` on the nav.
RESERVED = frozenset(
    {
        "book",
        "content",
        "contents",
        "contents-title",
        "copyright",
        "cover",
        "css",
        "epub",
        "fonts",
        "id",
        "images",
        "index",
        "landmarks",
        "meta-inf",
        "mimetype",
        "nav",
        "ncx",
        "package",
        "style",
        "titlepage",
        "toc",
    }
)

# The ASCII part of XML's NCName production; every name made here is ASCII.
NCNAME = re.compile(r"[A-Za-z_][A-Za-z0-9._-]*")


def is_ncname(name: str) -> bool:
    return NCNAME.fullmatch(name) is not None


class Registry:
    """Names in use; `unique` returns a candidate as it is when free, else with the first free
    `-2`, `-3` ... suffix. Linear overall: each candidate remembers the next suffix to try, so
    20,000 headings with one text do not re-probe `-2` ... `-n` every time."""

    def __init__(self, taken: Iterable[str] = ()) -> None:
        self.used = set(taken)
        self.next_suffix: dict[str, int] = {}

    def unique(self, candidate: str) -> str:
        result, n = candidate, self.next_suffix.get(candidate, 2)
        if result in self.used:
            result = f"{candidate}-{n}"
            while result in self.used:
                n += 1
                result = f"{candidate}-{n}"
            self.next_suffix[candidate] = n + 1
        self.used.add(result)
        return result


def chapter_anchor_is_slug(slug: str) -> bool:
    """A slug usable as it is: an NCName (starts with a letter) that the writers do not use."""
    return slug[:1].isascii() and slug[:1].isalpha() and slug not in RESERVED


def assign_anchors(parts: tuple[Part, ...]) -> tuple[Part, ...]:
    """The parts with an anchor on every part and chapter (see the module docstring)."""
    registry = Registry(RESERVED)
    chapters = [ch for part in parts for ch in part.chapters]
    natural = {ch.slug for ch in chapters if chapter_anchor_is_slug(ch.slug)}
    registry.used.update(natural)  # slugs are unique, so these never clash with each other
    anchors = {
        ch.slug: ch.slug if ch.slug in natural else registry.unique(f"c-{ch.slug}")
        for ch in chapters
    }
    named = []
    for number, part in enumerate(parts, 1):
        words = slugify(part.title or "") or str(number)
        named.append(
            dataclasses.replace(
                part,
                anchor=registry.unique(f"part-{words}"),
                chapters=tuple(
                    dataclasses.replace(ch, anchor=anchors[ch.slug]) for ch in part.chapters
                ),
            )
        )
    return tuple(named)
