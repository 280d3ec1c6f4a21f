"""Images: resolve each `<img src>` to a file inside the content folder and register it.

Only files under the content folder become assets; remote, absolute and `../` paths that leave
the folder are refused with a warning, so a chapter cannot pull other files into the outputs.
Images get a book-wide unique name under `images/`; a paragraph holding only an image becomes a
`<figure>` (with the image title as caption).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree

from guidebook.convert.tree import remove
from guidebook.diagnostics import Reporter
from guidebook.model import Asset, Chapter
from guidebook.text import line_of, slugify

MEDIA_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
}


@dataclass
class AssetRegistry:
    """Unique output names for source files; the same file used twice is stored once."""

    by_source: dict[Path, Asset] = field(default_factory=dict)
    names: set[str] = field(default_factory=set)

    def add(self, source: Path, chapter_slug: str) -> Asset:
        known = self.by_source.get(source)
        if known is not None:
            return known
        stem = slugify(source.stem) or "image"
        name, n = f"images/{chapter_slug}-{stem}{source.suffix.lower()}", 2
        while name in self.names:
            name = f"images/{chapter_slug}-{stem}-{n}{source.suffix.lower()}"
            n += 1
        asset = Asset(name, source, MEDIA_TYPES[source.suffix.lower()])
        self.by_source[source] = asset
        self.names.add(name)
        return asset


def collect_images(
    root: etree._Element,
    chapter: Chapter,
    content_dir: Path,
    registry: AssetRegistry,
    reporter: Reporter,
) -> None:
    for img in list(root.iter("img")):
        src = (img.get("src") or "").strip()
        source, problem = _locate(src, chapter.path.parent, content_dir)
        if source is None:
            reporter.warning(
                f"image '{src}' {problem}; left out", chapter.path, line_of(chapter.markdown, src)
            )
            remove(img)
            continue
        if not img.get("alt"):
            reporter.warning(
                f"image '{src}' has no alt text; readers who cannot see it get "
                "nothing (write ![what it shows](...))",
                chapter.path,
                line_of(chapter.markdown, src),
            )
            img.set("alt", "")
        for attribute in ("width", "height"):  # only plain pixel numbers are valid XHTML
            if not (img.get(attribute) or "").isdigit():
                img.attrib.pop(attribute, None)
        img.set("src", registry.add(source, chapter.slug).name)
        _make_figure(img)


def _locate(src: str, folder: Path, content_dir: Path) -> tuple[Path | None, str]:
    if not src:
        return None, "has no address (or one that was removed as unsafe)"
    parts = urlsplit(src)
    if parts.scheme or parts.netloc:
        return (
            None,
            "is not a local file; outputs never fetch from the network: save the "
            "image beside the chapter and link it by relative path",
        )
    if parts.path.startswith("/"):
        return None, "is an absolute path; use a path relative to the chapter"
    path = (folder / unquote(parts.path)).resolve()
    if not path.is_relative_to(content_dir):
        return None, "lies outside the content folder; copy it beside the chapter"
    if path.suffix.lower() not in MEDIA_TYPES:
        return None, "is not a PNG, JPEG, GIF or SVG file"
    if not path.is_file():
        return None, "does not exist"
    return path, ""


def _make_figure(img: etree._Element) -> None:
    parent = img.getparent()
    if parent is None or parent.tag != "p" or len(parent) != 1:
        return
    if (parent.text or "").strip() or (img.tail or "").strip():
        return
    parent.tag = "figure"
    parent.text = None
    img.tail = None
    title = img.get("title")
    if title:
        caption = etree.SubElement(parent, "figcaption")
        caption.text = title
