"""Element ids unique across the whole book: `<chapter slug>--<name>`, `[a-z0-9-]` only.

Headings without an id get one from their text. The returned map lets links written against
the author's names (`#how-to-perform`, an explicit `{#id}`) find the new ids.
"""

from __future__ import annotations

from lxml import etree

from guidebook.convert.tree import text_of
from guidebook.model import Heading
from guidebook.text import slugify

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def assign_ids(root: etree._Element, slug: str) -> tuple[dict[str, str], tuple[Heading, ...]]:
    mapping: dict[str, str] = {}
    used: set[str] = {slug, f"{slug}--title"}  # the chapter and its title keep these
    headings: list[Heading] = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        original = element.get("id")
        is_heading = element.tag in HEADINGS
        if original is None and not is_heading:
            continue
        name = slugify(original or "") or slugify(text_of(element)) or "section"
        new_id = _unique(f"{slug}--{name}", used)
        element.set("id", new_id)
        if original:
            mapping.setdefault(original, new_id)
        mapping.setdefault(name, new_id)
        mapping.setdefault(new_id[len(slug) + 2 :], new_id)  # "faq-2" for the second FAQ
        if is_heading:
            mapping.setdefault(slugify(text_of(element)), new_id)
            headings.append(Heading(int(element.tag[1]), new_id, text_of(element)))
    return mapping, tuple(headings)


def _unique(candidate: str, used: set[str]) -> str:
    result, n = candidate, 2
    while result in used:
        result = f"{candidate}-{n}"
        n += 1
    used.add(result)
    return result
