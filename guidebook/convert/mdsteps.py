"""A Python-Markdown treeprocessor that runs one function: the second half of a pass that
undoes, after someone else's step, what its first half did (`guard.TailStash` puts the
indentation back after smarty; `plaintext.Skip` unmarks the texts an inline pass skipped)."""

from __future__ import annotations

from collections.abc import Callable
from xml.etree import ElementTree

import markdown
from markdown.treeprocessors import Treeprocessor


class Then(Treeprocessor):  # type: ignore[misc]  # untyped base
    def __init__(self, md: markdown.Markdown, step: Callable[[ElementTree.Element], None]):
        super().__init__(md)
        self.step = step

    def run(self, root: ElementTree.Element) -> None:
        self.step(root)
