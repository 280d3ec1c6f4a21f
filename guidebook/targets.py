"""The registry of targets: each name the command line accepts, and the renderer behind it.

Adding a target is a module with a `Renderer` (`contract.py`) and a line here. The order is the
order targets render in: the PDF before the EPUB, whose page-list needs to know where the
printed pages begin (`render/pagemap.py`), and the printables last.
"""

from __future__ import annotations

from typing import cast

from guidebook.cliparse import did_you_mean
from guidebook.contract import Renderer
from guidebook.diagnostics import UsageError
from guidebook.model import Target
from guidebook.printables.card import CardTarget
from guidebook.printables.handout import HandoutTarget
from guidebook.printables.sheet import SheetTarget
from guidebook.render.epub import EpubTarget
from guidebook.render.html import HtmlTarget
from guidebook.render.pdf import PdfTarget
from guidebook.render.printcover import CoverTarget

REGISTRY: dict[Target, Renderer] = {
    "html": HtmlTarget(),
    "pdf": PdfTarget(),
    "epub": EpubTarget(),  # after pdf: its page-list marks where the printed pages begin
    "cover": CoverTarget(),  # after pdf: its spine is as wide as the interior is thick
    "handout": HandoutTarget(),
    "sheet": SheetTarget(),
    "card": CardTarget(),
}

# Other spellings users type: the plural output folders' names.
ALIASES: dict[str, Target] = {"handouts": "handout", "sheets": "sheet", "cards": "card"}


def parse_targets(text: str) -> tuple[Target, ...]:
    """The targets a comma-separated list names (any case, aliases too), in registry order."""
    names = [n.strip().lower() for n in text.split(",") if n.strip()]
    wanted = {ALIASES.get(n, cast(Target, n)) for n in names}
    unknown = [n for n in names if ALIASES.get(n, n) not in REGISTRY]
    choices = f"choose from {', '.join(REGISTRY)} (comma-separated)"
    if not names:
        raise UsageError(f"--targets: no target given; {choices}")
    if unknown:
        listed = ", ".join(f"'{name}'" for name in dict.fromkeys(unknown))
        plural = "s" if len(set(unknown)) > 1 else ""
        hint = did_you_mean(unknown[0], [*REGISTRY, *ALIASES]) if len(set(unknown)) == 1 else ""
        raise UsageError(f"--targets: unknown target{plural} {listed}{hint}; {choices}")
    return tuple(t for t in REGISTRY if t in wanted)
