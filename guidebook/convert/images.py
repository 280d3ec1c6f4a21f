"""Images: resolve each `<img src>` to a file inside the content folder and register it.

Only files under the content folder become assets; absolute and `../` paths that leave the folder
(symlinks included) are refused with a warning, so a chapter cannot pull other files into the
outputs; remote images are refused too unless the build allows them (`remote.py`). Every image is
checked for what it really is (`imagefile.py`): damaged files are left out, raster images too
coarse for their printed size are reported. Images get a book-wide unique name under `images/`
with the extension of their real format. A raster image the writer gave no size is given its
size at 300 dpi (`width`/`height` in CSS px, class `print-size`), so print sets it no larger than
its pixels allow; runs of images then become figure blocks (`figures.py`), and the resolution
check knows each image's slot in its row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from lxml import etree

from guidebook.convert.figures import Shape, group_figures, orientation, slot_width_mm
from guidebook.convert.remote import RemoteImages, RemoteProblem
from guidebook.convert.tree import remove
from guidebook.diagnostics import Reporter
from guidebook.imagefile import (
    MAX_HEIGHT_MM,
    MIN_FIGURE_MM,
    MM_PER_INCH,
    PRINT_DPI,
    TEXT_WIDTH_MM,
    ImageFile,
    ImageProblem,
    drawing_shape,
    inspect_image,
    pixels_for_print,
    print_resolution,
    print_size,
)
from guidebook.model import Asset, Chapter
from guidebook.numbers import parse_pixels
from guidebook.text import MAX_IMAGE_BYTES, line_of, read_regular, slugify

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".svg"})


@dataclass(frozen=True)
class ImageOptions:
    remote: RemoteImages | None = None  # None: remote images are refused (the default)
    print_images: bool = True  # warn about images too coarse for print (`Needs.print_images`)
    checked: dict[str, ImageFile] = field(default_factory=dict)  # done ahead (`prefetch.py`)


@dataclass
class AssetRegistry:
    """Unique output names for images; the same file or address used twice is stored once."""

    by_source: dict[str, tuple[Asset, ImageFile]] = field(default_factory=dict)
    names: set[str] = field(default_factory=set)
    reported: set[str] = field(default_factory=set)  # sources whose cleaning was reported

    @property
    def assets(self) -> tuple[Asset, ...]:
        return tuple(asset for asset, _info in self.by_source.values())

    def add(
        self,
        key: str,
        stem: str,
        info: ImageFile,
        chapter: Chapter,
        source: Path,
        data: bytes | None,
    ) -> Asset:
        """Register `key`; `data` are the bytes to carry when they are not the file at `source`
        (a download, a sanitised SVG)."""
        stem = slugify(stem) or "image"
        name, n = f"images/{chapter.slug}-{stem}{info.extension}", 2
        while name in self.names:
            name = f"images/{chapter.slug}-{stem}-{n}{info.extension}"
            n += 1
        asset = Asset(name, source, info.media_type, data)
        self.by_source[key] = (asset, info)
        self.names.add(name)
        return asset


def collect_images(
    root: etree._Element,
    chapter: Chapter,
    content_dir: Path,
    registry: AssetRegistry,
    reporter: Reporter,
    options: ImageOptions,
) -> None:
    shapes: dict[etree._Element, Shape | None] = {}
    rasters: list[tuple[etree._Element, str, tuple[int, int], int | None]] = []
    for img in list(root.iter("img")):
        src = (img.get("src") or "").strip()
        line = line_of(chapter.markdown, src)
        try:
            asset, info = _register(src, chapter, content_dir, registry, options)
        except (ImageProblem, RemoteProblem) as problem:
            reporter.warning(f"image '{src}' {problem}; left out", chapter.path, line)
            remove(img)
            continue
        if info.removed and asset.name not in registry.reported:
            registry.reported.add(asset.name)
            reporter.warning(
                f"image '{src}' {_listing(info.removed)}; the book carries the drawing "
                "without them",
                chapter.path,
                line,
            )
        if not img.get("alt"):
            reporter.warning(
                f"image '{src}' has no alt text; readers who cannot see it get "
                "nothing (write ![what it shows](...))",
                chapter.path,
                line,
            )
            img.set("alt", "")
        for attribute in ("width", "height"):  # only plain pixel numbers are valid XHTML
            pixels = parse_pixels(img.get(attribute))
            if pixels is None:
                img.attrib.pop(attribute, None)
            else:
                img.set(attribute, str(pixels))  # '0800' -> '800'; keeps its place
        if info.size is not None:
            if img.get("width") is None:  # a writer's width stays; a lone height goes
                width, height = print_size(info.size)
                img.set("width", str(width))
                img.set("height", str(height))
                img.set("class", "print-size")
            rasters.append((img, src, info.size, line))
        shapes[img] = info.size or (drawing_shape(info.data) if info.data else None)
        img.set("src", asset.name)
    group_figures(root, chapter, shapes)
    if options.print_images:
        for img, src, size, at in rasters:
            _check_resolution(img, src, size, chapter, at, reporter)


def _register(
    src: str,
    chapter: Chapter,
    content_dir: Path,
    registry: AssetRegistry,
    options: ImageOptions,
) -> tuple[Asset, ImageFile]:
    if not src:
        raise ImageProblem("has no address (or one that was removed as unsafe)")
    parts = urlsplit(src)
    remote = options.remote
    if parts.scheme or parts.netloc:
        if remote is None or parts.scheme.lower() not in ("http", "https"):
            raise ImageProblem(
                "is not a local file; builds never fetch from the network: save the image "
                "beside the chapter and link it by relative path"
                + (" (or build with --allow-remote-images)" if remote is None else "")
            )
        if src not in registry.by_source:
            data = remote.get(src)
            info = inspect_image(data)
            stem = PurePosixPath(unquote(parts.path)).stem
            registry.add(src, stem, info, chapter, chapter.path, info.data or data)
        return registry.by_source[src]
    path = _local_path(parts.path, chapter.path.parent, content_dir)
    key = str(path)
    if key not in registry.by_source:
        info = options.checked.get(key) or _check_file(path)
        registry.add(key, path.stem, info, chapter, path, info.data)
    return registry.by_source[key]


def local_image(address: str, folder: Path, content_dir: Path) -> tuple[Path, ImageFile]:
    """The file a chapter in `folder` names by the path part of `address`, and what it is;
    raise ImageProblem as `collect_images` would report it."""
    path = _local_path(address, folder, content_dir)
    return path, _check_file(path)


def _check_file(path: Path) -> ImageFile:
    try:
        data = read_regular(path, MAX_IMAGE_BYTES)
    except OSError as exc:
        raise ImageProblem(f"cannot be read: {exc.strerror}") from exc
    return inspect_image(data)


def _local_path(address: str, folder: Path, content_dir: Path) -> Path:
    if address.startswith("/"):
        raise ImageProblem("is an absolute path; use a path relative to the chapter")
    path = (folder / unquote(address)).resolve()
    if not path.is_relative_to(content_dir):
        raise ImageProblem("lies outside the content folder; copy it beside the chapter")
    if path.suffix.lower() not in IMAGE_SUFFIXES:
        raise ImageProblem("is not a PNG, JPEG, GIF or SVG file")
    if not path.exists():
        raise ImageProblem("does not exist (paths are relative to the chapter's folder)")
    if not path.is_file():
        raise ImageProblem("is not a regular file (a folder, pipe or device)")
    return path


def _check_resolution(
    img: etree._Element,
    src: str,
    pixels: tuple[int, int],
    chapter: Chapter,
    line: int | None,
    reporter: Reporter,
) -> None:
    """Warn when an image prints below 300 dpi (a writer's width too large for its pixels), or
    when a photo of a figure block has too few pixels to print the 40 mm a reader needs."""
    count = _block_size(img)
    slot = slot_width_mm(count, TEXT_WIDTH_MM) if count else TEXT_WIDTH_MM
    tall = orientation(pixels) != "landscape"
    cap = MAX_HEIGHT_MM if count <= 1 else 90.0 if count == 2 or not tall else 65.0
    written = None if "print-size" in (img.get("class") or "") else parse_pixels(img.get("width"))
    dpi, width_mm, height_mm = print_resolution(pixels, written, slot, cap)
    size = f"{pixels[0]}x{pixels[1]} px"
    if dpi < PRINT_DPI - 0.5:
        reporter.warning(
            f"image '{src}' prints at {dpi:.0f} dpi ({size} over {width_mm:.0f} x "
            f"{height_mm:.0f} mm); print needs {PRINT_DPI} dpi: use a file at least "
            f"{pixels_for_print(width_mm)} px wide",
            chapter.path,
            line,
        )
    elif count and written is None and pixels[0] / PRINT_DPI * MM_PER_INCH < MIN_FIGURE_MM:
        reporter.warning(
            f"image '{src}' prints only {width_mm:.0f} mm wide ({size} at {PRINT_DPI} dpi); "
            f"print needs {MIN_FIGURE_MM:.0f} mm for a photo to be read: use a file at least "
            f"{pixels_for_print(MIN_FIGURE_MM)} px wide",
            chapter.path,
            line,
        )


def _block_size(img: etree._Element) -> int:
    """How many images share the figure block `img` is in; 0 for an image in running text."""
    figure = img.getparent()
    block = figure.getparent() if figure is not None else None
    if figure is None or figure.tag != "figure" or block is None:
        return 0
    if "figures" not in (block.get("class") or "").split():
        return 0
    return sum(1 for _ in block.iterchildren("figure"))


def _listing(phrases: tuple[str, ...], shown: int = 4) -> str:
    """ "a, b and c"; past `shown` items, the rest are counted."""
    items = list(phrases[:shown])
    if len(phrases) > shown:
        items.append(f"{len(phrases) - shown} more")
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
