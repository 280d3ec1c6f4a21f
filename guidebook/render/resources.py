"""Where layouts and static assets come from, and the Jinja2 environment built on them.

Built-in layouts and assets live at the top of the source tree (`layouts/`, `assets/`) and are
packed into the wheel as `guidebook/_data/`. A book may override any template by putting a file
of the same name in a `layouts/` folder beside its book file (or beside its content folder).
"""

from __future__ import annotations

from pathlib import Path

import jinja2
import jinja2.bccache

from guidebook.model import Asset, Book
from guidebook.render.sandbox import BoundedSandbox, LayoutLoader

_PACKAGE = Path(__file__).resolve().parent.parent
_CANDIDATES = (_PACKAGE / "_data", _PACKAGE.parent)


def _builtin(name: str) -> Path:
    for root in _CANDIDATES:
        if (root / name).is_dir():
            return root / name
    raise FileNotFoundError(f"guidebook's built-in '{name}' folder is missing from {_PACKAGE}")


def builtin_assets() -> Path:
    return _builtin("assets")


def layout_folders(book: Book) -> tuple[Path, ...]:
    """Where templates are looked up: the project's own `layouts/` first, then the built-in."""
    folders = []
    project = book.config.path.parent if book.config.path else book.content_dir.parent
    if (project / "layouts").is_dir() and (project / "layouts") != _builtin("layouts"):
        folders.append(project / "layouts")
    folders.append(_builtin("layouts"))
    return tuple(folders)


def template_env(book: Book) -> jinja2.Environment:
    return sandboxed_env(layout_folders(book))


class CompiledLayouts(jinja2.BytecodeCache):
    """Compiled templates kept in memory for the life of the process, so that each build (a
    test, a `serve` rebuild, a sheet worker) does not parse and compile the same layouts again.

    Jinja files an entry under the template's name and file and keeps the hash of the source
    it was compiled from: a layout whose text changed is compiled again. Nothing is read from
    or written to disk, and every environment that shares it is configured alike."""

    def __init__(self) -> None:
        self._compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if (data := self._compiled.get(bucket.key)) is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._compiled[bucket.key] = bucket.bytecode_to_string()


_COMPILED = CompiledLayouts()


def sandboxed_env(folders: tuple[Path, ...]) -> jinja2.Environment:
    """Every template, built-in or a book's override, renders in Jinja's immutable sandbox:
    no attribute walks to Python internals (`__class__`, `__globals__`, ...), no calls that
    mutate the context, nothing but the values the renderer passes, and bounded time, memory
    and output (`render.sandbox`)."""
    env = BoundedSandbox(
        loader=LayoutLoader(folders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=_COMPILED,
    )
    return env


# The stylesheets of each kind of document, in cascade order.
STYLESHEETS = {
    "pdf": ("css/base.css", "css/pdf.css"),
    "html": ("css/base.css", "css/pdf.css"),
    "epub": ("css/base.css", "css/epub.css"),
    "handout": ("css/base.css", "css/pdf.css", "css/handout.css"),
    "printables": ("css/printables.css",),  # form sheets and session cards
    "cover": ("css/cover.css",),  # the print cover
}

FONT_MEDIA_TYPES = {".ttf": "font/ttf", ".otf": "font/otf"}


def static_assets(kind: str) -> tuple[Asset, ...]:
    """Stylesheets and, for print kinds (all but the EPUB), the fonts they load."""
    root = builtin_assets()
    assets = [Asset(name, root / name, "text/css") for name in STYLESHEETS[kind]]
    if kind != "epub":
        assets.extend(
            Asset(f"fonts/{font.name}", font, FONT_MEDIA_TYPES[font.suffix])
            for font in sorted((root / "fonts").iterdir())
            if font.suffix in FONT_MEDIA_TYPES
        )
    return tuple(assets)
