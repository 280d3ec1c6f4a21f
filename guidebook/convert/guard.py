"""Bounding Python-Markdown's work on pathological text, as two Markdown extension passes.

Python-Markdown is quadratic on two kinds of input (measured: 8 KB of `[` takes 10 s, 16 KB of
`<a ` 5 s, so a 1 MB chapter would take days):

- an unclosed `[` (link, image, footnote or reference) or an unclosed `(` after `](` makes the
  inline parser scan to the end of its paragraph, once per opener;
- a `<` that opens a tag or comment that never closes makes the HTML block parser (the
  standard library's, over the whole chapter) scan to the next `>` or `-->`, once per `<`.

Each pass estimates that scanning (characters scanned, counted in one linear pass) and leaves
text alone below a budget, so ordinary writing is never changed. Above it:

- `InlineGuard` (a treeprocessor, before inline parsing) turns the costliest paragraphs,
  list items, headings or cells into plain text (`AtomicString`) until the rest fits the
  budget; a single paragraph with more than MAX_MARKUP markup characters is plain text too
  (it is not prose, and Python-Markdown spends ~10 µs on each);
- `HtmlGuard` (a preprocessor, after fenced code is set aside and before the HTML block
  parser) writes each `<` whose tag or comment cannot close before the next one opens as
  `&lt;`: it was printed as text already, and now the parser skips it.

What was changed is kept in `GuardLog` for one warning per chapter, naming its line.

A third pass changes nothing: the typographic-quotes extension (smarty) runs a second inline
pass after the tree has been indented, and that pass looks each element with a tail up in its
parent's list of children (`list(parent).index(child)`), so a chapter of 20,000 headings took
30 s. `TailStash` takes the indentation (whitespace-only tails) off just before that pass and
puts it back just after: the output is the same, and the pass linear.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.etree import ElementTree

import markdown
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from guidebook.convert.mdsteps import Then

# Characters scanned; at about 0.15-0.3 µs each this is one to two seconds per chapter.
INLINE_BUDGET = 5_000_000
HTML_BUDGET = 10_000_000
# Markup characters: Python-Markdown spends 10-40 µs on each, linearly.
MAX_MARKUP = 10_000  # in one paragraph
MARKUP_BUDGET = 100_000  # in one chapter, counting only paragraphs denser than DENSE
DENSE = 0.1  # markup characters per character; prose with a link a sentence has about 0.05


@dataclass
class GuardLog:
    """What the guards changed in the chapter being converted."""

    plain: list[str] = field(default_factory=list)  # each paragraph made plain text
    escaped: int = 0  # how many `<` were written as &lt;
    first_escaped: str = ""  # the text from the first of them on

    def clear(self) -> None:
        self.plain.clear()
        self.escaped, self.first_escaped = 0, ""


class GuardExtension(markdown.Extension):  # type: ignore[misc]  # untyped base
    def __init__(self, log: GuardLog) -> None:
        super().__init__()
        self.log = log

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.preprocessors.register(HtmlGuard(md, self.log), "guidebook_html_guard", 22)
        md.treeprocessors.register(InlineGuard(md, self.log), "guidebook_inline_guard", 25)
        # Around smarty's inline pass (priority 6), after the indentation (10) and attr_list (8).
        stash = TailStash(md)
        md.treeprocessors.register(stash, "guidebook_tails_off", 6.5)
        md.treeprocessors.register(stash.restore, "guidebook_tails_on", 5.5)


# --- inline: unclosed brackets ----------------------------------------------------------------

_BRACKETS = re.compile(r"[\[\]()]")
_MARKUP = re.compile(r"[\[\]()<>*_`\\&!]")


def inline_cost(text: str) -> int:
    """Characters the inline parser scans in vain: from each unclosed `[`, and from each
    unclosed `(` that follows `]`, to the end of the text."""
    brackets: list[int] = []
    parens: list[tuple[int, bool]] = []
    for match in _BRACKETS.finditer(text):
        pos, char = match.start(), match[0]
        if pos and text[pos - 1] == "\\":
            continue  # an escaped bracket opens nothing
        if char == "[":
            brackets.append(pos)
        elif char == "]":
            if brackets:
                brackets.pop()
        elif char == "(":
            parens.append((pos, pos > 0 and text[pos - 1] == "]"))
        elif parens:
            parens.pop()
    unclosed = brackets + [pos for pos, after_link in parens if after_link]
    return sum(len(text) - pos for pos in unclosed)


@dataclass
class _Unit:
    """One text the inline parser would work on."""

    element: ElementTree.Element
    where: str  # "text" or "tail"
    text: str
    cost: int  # inline_cost(text)
    markup: int  # markup characters in it
    plain: bool = False


class InlineGuard(Treeprocessor):  # type: ignore[misc]  # untyped base
    def __init__(self, md: markdown.Markdown, log: GuardLog) -> None:
        super().__init__(md)
        self.log = log

    def run(self, root: ElementTree.Element) -> None:
        units = [unit for unit in self._units(root) if not self._too_much_markup(unit)]
        # Quadratic scanning first: the costliest texts go until the rest fits the budget.
        total = sum(unit.cost for unit in units)
        for unit in sorted(units, key=lambda u: -u.cost):
            if total <= INLINE_BUDGET:
                break
            self._make_plain(unit)
            total -= unit.cost
        # Then linear work: the densest markup goes until the rest fits its budget.
        dense = [u for u in units if not u.plain and u.markup >= DENSE * len(u.text)]
        total = sum(unit.markup for unit in dense)
        for unit in sorted(dense, key=lambda u: -u.markup / len(u.text)):
            if total <= MARKUP_BUDGET:
                break
            self._make_plain(unit)
            total -= unit.markup

    def _units(self, root: ElementTree.Element) -> Iterator[_Unit]:
        """Every text the inline parser will see (element text and tails, not code)."""
        for element in root.iter():
            for where in ("text", "tail"):
                text = getattr(element, where)
                if isinstance(text, str) and text and not isinstance(text, AtomicString):
                    yield _Unit(element, where, text, inline_cost(text), len(_MARKUP.findall(text)))

    def _too_much_markup(self, unit: _Unit) -> bool:
        if unit.markup <= MAX_MARKUP:
            return False
        self._make_plain(unit)
        return True

    def _make_plain(self, unit: _Unit) -> None:
        # Entities still print as their characters (&lt; included, which HtmlGuard may have
        # written); everything else prints as typed.
        setattr(unit.element, unit.where, AtomicString(html.unescape(unit.text)))
        unit.plain = True
        self.log.plain.append(unit.text)


# --- indentation, around smarty --------------------------------------------------------------


class TailStash(Treeprocessor):  # type: ignore[misc]  # untyped base
    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        self.tails: list[tuple[ElementTree.Element, str]] = []
        self.restore = Then(md, self.put_back)

    def run(self, root: ElementTree.Element) -> None:
        self.tails = [(e, e.tail) for e in root.iter() if e.tail is not None and e.tail.isspace()]
        for element, _tail in self.tails:
            element.tail = None

    def put_back(self, _root: ElementTree.Element) -> None:
        for element, tail in self.tails:
            element.tail = tail if element.tail is None else tail + element.tail
        self.tails = []


# --- block HTML: tags that never close --------------------------------------------------------

_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")


class HtmlGuard(Preprocessor):  # type: ignore[misc]  # untyped base
    def __init__(self, md: markdown.Markdown, log: GuardLog) -> None:
        super().__init__(md)
        self.log = log

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        starts = [match.start() for match in _TAG_START.finditer(text)]
        ends = _tag_ends(text, starts)
        if sum(end - start for start, end in zip(starts, ends, strict=True)) <= HTML_BUDGET:
            return lines
        # A tag that is still open when the next one starts is no tag: the parser would scan
        # on from it in vain. Writing it as &lt; prints the same character.
        following = [*starts[1:], len(text)]
        cut = {s for s, e, n in zip(starts, ends, following, strict=True) if e > n}
        if not cut:
            return lines
        parts, last = [], 0
        for start in sorted(cut):
            parts += [text[last:start], "&lt;"]
            last = start + 1
        parts.append(text[last:])
        self.log.escaped += len(cut)
        self.log.first_escaped = self.log.first_escaped or text[min(cut) : min(cut) + 60]
        return "".join(parts).split("\n")


def _tag_ends(text: str, starts: list[int]) -> list[int]:
    """Where the HTML parser's scan from each `<` stops: after the next `>` (`-->` for a
    comment), or the end of the text. Found by bisection, so this pass stays linear itself."""
    closers = {">": [m.end() for m in re.finditer(">", text)]}
    closers["-->"] = [m.end() for m in re.finditer("-->", text)]
    ends = []
    for start in starts:
        found = closers["-->" if text.startswith("<!--", start) else ">"]
        index = bisect.bisect_left(found, start + 2)
        ends.append(found[index] if index < len(found) else len(text))
    return ends
