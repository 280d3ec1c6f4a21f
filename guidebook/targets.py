"""The registry of targets: each name the command line accepts, and the renderer behind it.

Adding a target is a module with a `Renderer` (`contract.py`) and a line here. The order is the
order targets render in: cheap ones first, so that an EPUB problem shows in seconds rather than
after the long PDF layout, and the printables last.
"""

from __future__ import annotations

from guidebook.contract import Renderer
from guidebook.model import Target
from guidebook.printables.card import CardTarget
from guidebook.printables.handout import HandoutTarget
from guidebook.printables.sheet import SheetTarget
from guidebook.render.epub import EpubTarget
from guidebook.render.html import HtmlTarget
from guidebook.render.pdf import PdfTarget

REGISTRY: dict[Target, Renderer] = {
    "epub": EpubTarget(),
    "html": HtmlTarget(),
    "pdf": PdfTarget(),
    "handout": HandoutTarget(),
    "sheet": SheetTarget(),
    "card": CardTarget(),
}

# Other spellings users type: the plural output folders' names.
ALIASES: dict[str, Target] = {"handouts": "handout", "sheets": "sheet", "cards": "card"}
