"""Element ids unique across the whole book: `<chapter anchor>--<name>`, `[a-z0-9-]` only.

The anchor is the chapter's slug, or `c-<slug>` when the slug is not a valid XML name (it starts
with a digit) or is one the writers use (see names.py), so every id is a valid XML name too:
`3-4-sit-up.md`'s heading "3/4 sit-up" is `c-3-4-sit-up--3-4-sit-up`. Every element's id is
rewritten (the author's `{#id}`, raw HTML ids, Python-Markdown's `fn:1`), and headings without
one get one from their text; text with no Latin letters or digits ("日本語", "١٢٣") gives
`section`. The returned map lets links written against the author's names (`#how-to-perform`,
an explicit `{#id}`) find the new ids.
"""

from __future__ import annotations

from lxml import etree

from guidebook.convert.tree import text_of
from guidebook.model import Heading
from guidebook.names import Registry
from guidebook.text import slugify

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def assign_ids(root: etree._Element, anchor: str) -> tuple[dict[str, str], tuple[Heading, ...]]:
    mapping: dict[str, str] = {}
    used = Registry({anchor, f"{anchor}--title"})  # the chapter and its title keep these
    headings: list[Heading] = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        original = element.get("id")
        is_heading = element.tag in HEADINGS
        if original is None and not is_heading:
            continue
        name = slugify(original or "") or slugify(text_of(element)) or "section"
        new_id = used.unique(f"{anchor}--{name}")
        element.set("id", new_id)
        if original:
            mapping.setdefault(original, new_id)
        mapping.setdefault(name, new_id)
        mapping.setdefault(new_id[len(anchor) + 2 :], new_id)  # "faq-2" for the second FAQ
        if is_heading:
            mapping.setdefault(slugify(text_of(element)), new_id)
            headings.append(Heading(int(element.tag[1]), new_id, text_of(element)))
    return mapping, tuple(headings)
