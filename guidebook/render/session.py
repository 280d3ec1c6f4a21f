"""One WeasyPrint session per process: everything every PDF target shares.

- **Paper**: the one table of paper sizes (`PAPERS`): the CSS page size, and the margins that
  centre a one-page form on it.
- **Fonts** are loaded once (`FontConfiguration`) and **stylesheets** parsed once per kind, so
  a batch of 200 sheets costs 200 layouts, not 200 start-ups.
- **Loading** goes through the sandboxed fetcher only (`fetcher.py`): the document's own files.
- **Logs**: WeasyPrint logs problems instead of raising them; `captured` turns each record
  into a warning naming the user's file rather than the sandbox's address for it.

The book's PDF links its stylesheets from the document (the HTML target is that document);
handouts, sheets and cards pass the parsed ones (`Session.layout(..., kind=...)`).

A `Draft` is a document parsed once and laid out as often as needed: the figure pass
(`holes.py`) edits its tree between layouts, and decoded images are kept between them. Their
files' bytes stay in memory until the PDF is written, unless the session has a `spill` folder
(the layout workers, which hold many chunks laid out): then they wait on disk (`DiskImages`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import cssselect2  # type: ignore[import-untyped]
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from guidebook.diagnostics import display_path
from guidebook.model import Asset, Paper
from guidebook.render.fetcher import BASE_URL, SandboxFetcher
from guidebook.render.resources import STYLESHEETS, static_assets


@dataclass(frozen=True)
class PaperSize:
    css: str  # the CSS `size` keyword, also how summaries name it: "A4"
    form_margins: str  # centre a 184 x 253 mm form (inside 210 x 279 with 12.7 mm around)


PAPERS: dict[Paper, PaperSize] = {
    "a4": PaperSize("A4", "22mm 13mm 28mm"),
    "letter": PaperSize("Letter", "13.2mm 15.95mm 19.2mm"),
}

Say = Callable[[str, Path | None], None]  # a warning and the user's file it is about


class Session:
    """Fonts and parsed stylesheets, kept for every layout this process makes."""

    def __init__(self, spill: Path | None = None) -> None:
        self.fonts = FontConfiguration()
        self._parsed: dict[str, list[CSS]] = {}
        self.spill = spill  # a folder for the image bytes of the drafts laid out
        self._drafts = 0

    def stylesheets(self, kind: str) -> list[CSS]:
        """The stylesheets of one kind (`resources.STYLESHEETS`), parsed on first use: a worker
        that prints only sheets never loads the book's text fonts."""
        if kind not in self._parsed:
            assets = {a.name: a for a in static_assets(kind)}
            fetcher = SandboxFetcher(assets)
            self._parsed[kind] = [
                CSS(
                    string=assets[name].read().decode("utf-8"),
                    base_url=BASE_URL + name,
                    url_fetcher=fetcher,
                    font_config=self.fonts,
                )
                for name in STYLESHEETS[kind]
            ]
        return self._parsed[kind]

    def layout(
        self, html: str, assets: Mapping[str, Asset], kind: str | None = None
    ) -> tuple[Any, SandboxFetcher]:
        """Lay out `html`, which may load `assets` and nothing else; with `kind`, styled by
        that kind's stylesheets, else by those the document links. Returns the WeasyPrint
        document and the fetcher (its `refused` lists what the document asked for in vain)."""
        draft = self.draft(html, assets, kind)
        return draft.layout(), draft.fetcher

    def draft(
        self,
        html: str,
        assets: Mapping[str, Asset],
        kind: str | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> Draft:
        """`html` parsed, ready to be laid out (and edited and laid out again) with WeasyPrint's
        `options` (a PDF variant lays out tagged boxes, so it is given here too). A sheet's or
        card's layout that is well-formed XHTML is read by the C XML parser (`_xhtml`), several
        times faster than WeasyPrint's HTML5 parser; anything else by WeasyPrint."""
        fetcher = SandboxFetcher(assets)
        parsed = _xhtml(html, fetcher) if kind == "printables" else None
        if parsed is None:
            parsed = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
        stylesheets = self.stylesheets(kind) if kind else None
        draft = Draft(parsed, fetcher, stylesheets, self.fonts, dict(options or {}))
        if self.spill is not None:
            self._drafts += 1
            draft.images = DiskImages(self.spill / f"images-{self._drafts}")
        return draft


_DOCTYPE = re.compile(r"\A\s*<!DOCTYPE html>", re.IGNORECASE)


def _xhtml(html: str, fetcher: SandboxFetcher) -> HTML | None:
    """A WeasyPrint document from well-formed XHTML without namespaces, or None when `html` is
    not that (a layout override may write any HTML). No DOCTYPE beyond `<!DOCTYPE html>` and
    no declaration at all: nothing for an entity to expand."""
    text = _DOCTYPE.sub("", html, count=1)
    if "<!" in text.replace("<!--", "") or "xmlns" in text:
        return None
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError:
        return None
    if root.tag != "html":
        return None
    parsed = HTML.__new__(HTML)  # what HTML.__init__ sets, from this tree instead of its parse
    parsed.base_url, parsed.url_fetcher, parsed.media_type = BASE_URL, fetcher, "print"
    parsed.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
    parsed.etree_element = parsed.wrapper_element.etree_element
    return parsed


@dataclass
class Draft:
    """A parsed document: `root` is its element tree, which may be edited between layouts."""

    parsed: HTML
    fetcher: SandboxFetcher
    stylesheets: list[CSS] | None
    fonts: FontConfiguration
    options: dict[str, Any] = field(default_factory=dict)  # WeasyPrint's, e.g. pdf_variant
    images: dict[str, Any] = field(default_factory=dict)  # WeasyPrint's image cache
    layouts: int = 0

    @property
    def root(self) -> Any:
        return self.parsed.etree_element

    def layout(self) -> Any:
        """Lay out the tree as it is now. The selector wrapper caches each element's children,
        so it is rebuilt from the (possibly edited) tree; images are decoded once."""
        if self.layouts:
            self.parsed.wrapper_element = cssselect2.ElementWrapper.from_html_root(
                self.root, content_language=None
            )
        self.layouts += 1
        return self.parsed.render(
            stylesheets=self.stylesheets, font_config=self.fonts, cache=self.images, **self.options
        )


@dataclass(frozen=True)
class _OnDisk:
    path: Path


class DiskImages(dict[str, Any]):
    """WeasyPrint's image cache, with every image file's bytes in a file of `folder` instead
    of in memory until the PDF is written; what else it caches (each image's size and mode)
    stays in memory. `close` removes the folder. The folder is the build's own scratch
    folder: what is read back is only what was written there. A dict, as WeasyPrint asks;
    it reads the cache only by `in` and `[]`."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder
        self._made = 0

    def __getitem__(self, key: str) -> Any:
        value = super().__getitem__(key)
        return value.path.read_bytes() if isinstance(value, _OnDisk) else value

    def __setitem__(self, key: str, value: Any) -> None:
        if key in self:
            del self[key]
        if isinstance(value, bytes):
            self.folder.mkdir(parents=True, exist_ok=True)
            self._made += 1
            path = self.folder / str(self._made)
            path.write_bytes(value)
            value = _OnDisk(path)
        super().__setitem__(key, value)

    def __delitem__(self, key: str) -> None:
        value = super().pop(key)
        if isinstance(value, _OnDisk):
            value.path.unlink(missing_ok=True)

    def close(self) -> None:
        for key in list(self):
            del self[key]
        if self.folder.is_dir():
            self.folder.rmdir()


# A file WeasyPrint names in a message, as the sandbox serves it: BASE_URL + the asset's name.
_SANDBOX_URL = re.compile(re.escape(BASE_URL) + r"([^'\"\s]+)")


class _Capture(logging.Handler):
    def __init__(self, say: Say, assets: Mapping[str, Asset]) -> None:
        super().__init__(logging.WARNING)
        self.say = say
        self.assets = assets

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage().splitlines()[0].rstrip(": ")
        if "guidebook refused" in message:
            return  # the target reports refusals once, with the URL (`SandboxFetcher.refused`)
        path = None
        if (match := _SANDBOX_URL.search(message)) and (asset := self.assets.get(match[1])):
            path = asset.source
            message = message.replace(match[0], display_path(path))
        self.say(f"PDF renderer: {message}", path)


@contextmanager
def captured(say: Say, assets: Mapping[str, Asset]) -> Iterator[None]:
    """While the block runs, WeasyPrint's warnings go to `say` alone (not to the console)."""
    logger = logging.getLogger("weasyprint")
    handler = _Capture(say, assets)
    old_propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.propagate = old_propagate
