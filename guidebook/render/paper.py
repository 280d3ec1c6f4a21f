"""Print-only passes over a chapter's XHTML (the book's PDF): link addresses and last words.

On paper a reader cannot click, so every external link shows its address: after
each external link (`a.ext`) whose text is not already its address, a `<span class="print-url">`
with the short form of the address (no scheme, no `www.`, no trailing slash), which a reader
can type. pdf.css sets it small and grey; under a call-to-action button it goes on a line of
its own, and in a list item that opens with the link (related exercises) it moves to the end
of the item, so the item's own words stay together. The EPUB never gets these spans: its
links work, and an address in the text would be noise.

The last word of each paragraph (not of list items, see `mark_for_paper`) goes in a
`<span class="last-word">`, which pdf.css never hyphenates (WeasyPrint has no
`hyphenate-limit-last`, and a last line holding half a word looks like a mistake).
Reflowable ebooks hyphenate as their reader likes.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from lxml import etree

from guidebook.convert.tree import parse_fragment, text_of, to_xhtml

_SCHEME = re.compile(r"^(?:https?://)?(?:www\.)?", re.IGNORECASE)


def short_address(href: str) -> str:
    """'https://www.example.com/guide/x/' -> 'example.com/guide/x'; mailto: -> the address.
    Percent-escapes are decoded ('bücher.example', not 'b%C3%BCcher.example': a reader types
    what is printed) unless that would print a space, a control or a byte that is no text."""
    if href.lower().startswith("mailto:"):
        href = href[len("mailto:") :].split("?", 1)[0]
    else:
        href = _SCHEME.sub("", href).rstrip("/")
    readable = unquote(href, errors="replace")  # bytes not UTF-8 become U+FFFD: kept escaped
    unclear = any(ch.isspace() or not ch.isprintable() or ch == "\ufffd" for ch in readable)
    return href if unclear else readable


def for_paper(html: str) -> str:
    """The fragment with link addresses and last words marked (see the module doc)."""
    root = parse_fragment(html)
    mark_for_paper(root)
    return to_xhtml(root)


def mark_for_paper(root: etree._Element) -> None:
    """`for_paper` on a tree a renderer already holds (the handouts')."""
    for block in root.iter("p"):
        # Not in list items: their markers are floats, and WeasyPrint 70 then breaks a line
        # holding the span right after its first word (measured: "✗ Adding | load before...").
        if not any(a.tag == "li" for a in block.iterancestors()):
            _mark_last_word(block)
    add_print_addresses(root)


def add_print_addresses(root: etree._Element) -> None:
    """A short address after each external link (see the module doc)."""
    for link in list(root.iter("a")):
        if "ext" not in (link.get("class") or "").split():
            continue
        address = short_address(link.get("href") or "")
        if not address or _same(text_of(link), address):
            continue
        span = etree.Element("span")
        span.set("class", "print-url")
        parent = link.getparent()
        item = parent if parent is not None and parent.tag == "li" else None
        if item is not None and item.index(link) == 0 and not (item.text or "").strip():
            span.text = " " + address
            item.append(span)  # the end of the item: "Title - description" stays whole
        else:
            span.text = " " + address if "cta-button" not in (link.get("class") or "") else address
            span.tail, link.tail = link.tail, None
            link.addnext(span)


def _same(text: str, address: str) -> bool:
    """Whether the link's text already shows the address (an autolink)."""
    plain = _SCHEME.sub("", text.strip()).rstrip("/")
    return plain.lower() == address.rstrip("/").lower()


_LAST_WORD = re.compile(r"(\S{6,})(\s*)$")


def _mark_last_word(block: etree._Element) -> None:
    """Wrap the paragraph's last word (when it is long enough to be hyphenated at all)."""
    if any(a.tag in ("pre", "code") for a in block.iterancestors()):
        return
    last = block[-1] if len(block) else None
    if last is not None:
        if not isinstance(last.tag, str) or not last.tail or not last.tail.strip():
            return  # ends with an element (a link, a tied quantity): leave it be
        found = _LAST_WORD.search(last.tail)
        if found is None or (found.start() == 0 and not last.tail[:1].isspace()):
            return
        last.tail = last.tail[: found.start()]
        span = _last_word(found.group(1), found.group(2))
        last.addnext(span)
        return
    text = block.text or ""
    found = _LAST_WORD.search(text)
    if found is None or found.start() == 0:
        return
    block.text = text[: found.start()]
    span = _last_word(found.group(1), found.group(2))
    block.append(span)


def _last_word(word: str, tail: str) -> etree._Element:
    span = etree.Element("span")
    span.set("class", "last-word")
    span.text, span.tail = word, tail
    return span
