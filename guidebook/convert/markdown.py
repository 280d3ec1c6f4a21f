"""Markdown -> HTML text with Python-Markdown, before sanitising and the tree passes.

One `Markdown` instance is reused for every chapter (`reset()` between them): building one per
chapter costs more than converting a short chapter. Two guard passes (`guard.py`) keep
pathological text from making Python-Markdown quadratic; what they changed is in `guarded`.
Texts with nothing for an inline pass to match skip that pass (`plaintext.py`): the same
output in half the time on ordinary prose.
"""

from __future__ import annotations

import markdown

from guidebook.convert.callouts import CalloutExtension
from guidebook.convert.guard import GuardExtension, GuardLog
from guidebook.convert.plaintext import PlainTextExtension

EXTENSIONS = [
    "markdown.extensions.extra",  # tables, footnotes, definition lists, attr_list, fenced code
    "markdown.extensions.sane_lists",
    "markdown.extensions.smarty",  # typographic quotes, dashes and ellipses for print
    "markdown.extensions.admonition",  # !!! warning "Title" boxes (callouts.py styles them)
]


class MarkdownConverter:
    def __init__(self, skip_plain: bool = True) -> None:
        """`skip_plain=False` turns off the fast path of `plaintext.py` (to test it)."""
        self.guarded = GuardLog()
        ours = [CalloutExtension(), GuardExtension(self.guarded)]
        self._md = markdown.Markdown(
            extensions=[*EXTENSIONS, *ours, *([PlainTextExtension()] if skip_plain else [])],
            extension_configs={"markdown.extensions.smarty": {"smart_angled_quotes": False}},
            output_format="html",
        )

    def convert(self, text: str) -> str:
        self._md.reset()
        self.guarded.clear()
        return str(self._md.convert(text))
