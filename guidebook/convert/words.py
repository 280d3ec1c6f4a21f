"""Words too long to print: given places to break, and reported.

The print stylesheet lets a word longer than the line break at the margin (`overflow-wrap:
break-word` in pdf.css), which is all an occasional long address needs. An absurd word is
another matter: the PDF renderer re-measures what is left of it for every line it breaks off
(100,000 letters took 210 s, a megabyte would take hours), and in a table cell it is not broken
at all. So a word of more than MAX_WORD characters gets a zero-width space (an invisible break
opportunity) every BREAK_EVERY characters, in print and ebook alike, and the chapter a warning.
A web address is a word too, but a long one is ordinary: only one beyond MAX_ADDRESS counts.
"""

from __future__ import annotations

import re

from lxml import etree

MAX_WORD = 100  # longer than any real word or identifier a reader would type
MAX_ADDRESS = 2000  # longer than addresses browsers and servers accept
BREAK_EVERY = 20
ZWSP = "\u200b"

# A hyphen is already a place to break: "x-x-x..." is many short words.
_LONG = re.compile(rf"[^\s{ZWSP}\-\u2010\u00ad]{{{MAX_WORD + 1},}}")
_ADDRESS = re.compile(r"(?i)(https?|ftp)://|www\.|mailto:")


def break_long_words(root: etree._Element) -> list[str]:
    """Give every absurd word in the tree's text break opportunities; return those words."""
    found: list[str] = []

    def fix(text: str | None) -> str | None:
        if not text or len(text) <= MAX_WORD:
            return text
        return _LONG.sub(lambda match: _broken(match[0], found), text)

    for element in root.iter():
        if isinstance(element.tag, str):
            element.text = fix(element.text)
        if element is not root:
            element.tail = fix(element.tail)
    return found


def _broken(word: str, found: list[str]) -> str:
    if _ADDRESS.match(word) and len(word) <= MAX_ADDRESS:
        return word
    found.append(word)
    return ZWSP.join(word[i : i + BREAK_EVERY] for i in range(0, len(word), BREAK_EVERY))
