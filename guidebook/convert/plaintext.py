"""Text with nothing for an inline pass to match skips that pass: a speed-up, same output.

Python-Markdown's inline passes (the main one, priority 20, and smarty's typographic one,
priority 6) try every pattern of their registry on every text and tail of the tree, about
2.5 µs a pattern even when nothing matches. Most of a book's texts match nothing: a step's
sentence has no `*`, `[` or `<`, and many have no quote or dash. Such texts cost half the
Markdown time of a 900-chapter book.

Every pattern needs a character to start: the backtick, the backslash, `[`, `<`, `&`, `*`,
`_`, two spaces before a line break; smarty's quotes, `--` and `...`. Before each pass,
`Skip` marks the texts containing none of their pass's `TRIGGERS` as `AtomicString` (which
every inline pass leaves as it is) and, after it, turns them back into plain strings, so the
later passes and the output see exactly what they saw before. A pass with a pattern not in
`TRIGGERS` (another Python-Markdown version, another extension) is left alone: the fast path
is only taken where it is known to be right.
"""

from __future__ import annotations

import re
from xml.etree import ElementTree

import markdown
from markdown.treeprocessors import InlineProcessor, Treeprocessor
from markdown.util import AtomicString

from guidebook.convert.mdsteps import Then

# What each pattern (by its registered name) needs in a text to match at all.
TRIGGERS: dict[str, tuple[str, ...]] = {
    "backtick": ("`",),
    "escape": ("\\",),
    "footnote": ("[",),
    "reference": ("[",),
    "link": ("[",),
    "image_link": ("[",),
    "image_reference": ("[",),
    "short_reference": ("[",),
    "short_image_ref": ("[",),
    "autolink": ("<",),
    "automail": ("<",),
    "linebreak": ("  \n",),
    "html": ("<",),
    "entity": ("&",),
    "not_strong": ("*", "_"),
    "em_strong": ("*", "_"),
    "em_strong2": ("_",),
    "smarty-em-dashes": ("--",),
    "smarty-en-dashes": ("--",),
    "smarty-ellipses": ("...",),
    "smarty-left-angle-quotes": ("<<",),
    "smarty-right-angle-quotes": (">>",),
    **{f"smarty-quotes-{n}": ("'", '"') for n in range(20)},
}

Spot = tuple[ElementTree.Element, str]  # an element and "text" or "tail"


class PlainTextExtension(markdown.Extension):  # type: ignore[misc]  # untyped base
    """Register a `Skip` around each inline pass it knows every pattern of."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        for name, before, after in (("inline", 20.2, 19.8), ("smarty", 6.2, 5.8)):
            if name in md.treeprocessors:
                skip = Skip(md, name)
                md.treeprocessors.register(skip, f"guidebook_plain_{name}", before)
                md.treeprocessors.register(skip.restore, f"guidebook_unplain_{name}", after)


def triggers_of(inline: InlineProcessor) -> re.Pattern[str] | None:
    """A search for any text a pattern of `inline` can start from (None: a pattern unknown)."""
    patterns = inline.inlinePatterns
    known = [name for name in TRIGGERS if name in patterns]
    if len(known) != len(patterns):
        return None
    needed = {text for name in known for text in TRIGGERS[name]}
    return re.compile("|".join(re.escape(text) for text in sorted(needed, key=len)))


class Skip(Treeprocessor):  # type: ignore[misc]  # untyped base
    """Mark the texts the pass `name` cannot change (`restore` unmarks them after it)."""

    def __init__(self, md: markdown.Markdown, name: str) -> None:
        super().__init__(md)
        self.name = name
        self.marked: list[Spot] = []
        self.restore = Then(md, self.unmark)

    def run(self, root: ElementTree.Element) -> None:
        self.marked = []
        pass_ = self.md.treeprocessors[self.name]
        search = triggers_of(pass_) if isinstance(pass_, InlineProcessor) else None
        if search is None:
            return
        for element in root.iter():
            for where in ("text", "tail"):
                text = getattr(element, where)
                if text and not isinstance(text, AtomicString) and not search.search(text):
                    setattr(element, where, AtomicString(text))
                    self.marked.append((element, where))

    def unmark(self, _root: ElementTree.Element) -> None:
        for element, where in self.marked:
            text = getattr(element, where)
            if isinstance(text, AtomicString):
                setattr(element, where, str(text))
        self.marked = []
