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
    used = _Names({slug, f"{slug}--title"})  # the chapter and its title keep these
    headings: list[Heading] = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        original = element.get("id")
        is_heading = element.tag in HEADINGS
        if original is None and not is_heading:
            continue
        name = slugify(original or "") or slugify(text_of(element)) or "section"
        new_id = used.unique(f"{slug}--{name}")
        element.set("id", new_id)
        if original:
            mapping.setdefault(original, new_id)
        mapping.setdefault(name, new_id)
        mapping.setdefault(new_id[len(slug) + 2 :], new_id)  # "faq-2" for the second FAQ
        if is_heading:
            mapping.setdefault(slugify(text_of(element)), new_id)
            headings.append(Heading(int(element.tag[1]), new_id, text_of(element)))
    return mapping, tuple(headings)


class _Names:
    """Names in use; `unique` is linear overall: each candidate remembers the next suffix to
    try, so 20,000 identical headings do not re-probe `-2` ... `-n` every time."""

    def __init__(self, taken: set[str]) -> None:
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
