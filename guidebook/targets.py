"""The registry of targets: each name the command line accepts, and the renderer behind it.

Adding a target is a module with a `Renderer` (`contract.py`) and a line here. The order is the
order targets render in: the PDF before the EPUB, whose page-list needs to know where the
printed pages begin (`render/pagemap.py`), and the printables last.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from functools import cached_property
from typing import cast

from guidebook.cliparse import did_you_mean
from guidebook.contract import Needs, Output, RenderContext, Renderer
from guidebook.diagnostics import UsageError
from guidebook.model import Target

NOTHING, PRINT = Needs(), Needs(print_images=True)


class Deferred(Renderer):
    """A target whose module is imported when a build first uses it, so that `check` and an
    EPUB-only build never import WeasyPrint (a second of a quick build). What the orchestrator
    asks before rendering, `needs`, is stated here; a test holds it equal to the target's."""

    def __init__(self, name: str, where: str, needs: Needs = NOTHING) -> None:
        self.name, self.where, self.needs = name, where, needs

    @cached_property
    def target(self) -> Renderer:
        module, _, cls = self.where.partition(":")
        made: Renderer = getattr(importlib.import_module(module), cls)()
        return made

    def chapters(self, context: RenderContext) -> Sequence[str]:
        return self.target.chapters(context)

    def render(self, context: RenderContext) -> list[Output]:
        return self.target.render(context)


REGISTRY: dict[Target, Renderer] = {
    "html": Deferred("html", "guidebook.render.html:HtmlTarget"),
    "pdf": Deferred("pdf", "guidebook.render.pdf:PdfTarget", PRINT),
    # after pdf: its page-list marks where the printed pages begin
    "epub": Deferred("epub", "guidebook.render.epub:EpubTarget"),
    # after pdf: its spine is as wide as the interior is thick
    "cover": Deferred("cover", "guidebook.render.printcover:CoverTarget"),
    "handout": Deferred("handout", "guidebook.printables.handout:HandoutTarget", PRINT),
    "sheet": Deferred("sheet", "guidebook.printables.sheet:SheetTarget"),
    "card": Deferred("card", "guidebook.printables.card:CardTarget"),
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
        rest = f" ({choices})" if hint else f"; {choices}"
        raise UsageError(f"--targets: unknown target{plural} {listed}{hint}{rest}")
    return tuple(t for t in REGISTRY if t in wanted)
