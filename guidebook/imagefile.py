"""What an image file really is: its format, pixel size, and whether it is fit to print.

A file's name is not trusted: a `.png` that holds a JPEG would give the EPUB a wrong media type,
and a truncated download or a renamed document would break the PDF. Raster images are read by
Pillow. SVG is sanitised by parsing (`guidebook.svg`): what could run scripts or pull in other
files is removed and the cleaned drawing is what the outputs carry (the PDF renderer could not
load those files anyway, and EPUB readers would flag the book); a drawing whose references
expand beyond what can be printed is refused.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

import PIL.ImageFile
from PIL import Image

from guidebook.svg import SvgProblem, sanitize_svg

# Pillow format name -> (media type, file extension used inside the outputs)
RASTER_FORMATS = {
    "PNG": ("image/png", ".png"),
    "JPEG": ("image/jpeg", ".jpg"),
    "GIF": ("image/gif", ".gif"),
}
SVG = ("image/svg+xml", ".svg")

# The print layout (assets/css/pdf.css): images keep their CSS size (96 px to the inch) but
# never exceed the text block's width or 110 mm in height.
CSS_PX_PER_INCH = 96
TEXT_WIDTH_MM = 170.0  # A4 less the 18 + 22 mm side margins (Letter's is 6 mm wider)
MAX_HEIGHT_MM = 110.0
PRINT_DPI = 300
MM_PER_INCH = 25.4


class ImageProblem(ValueError):
    """Why a file cannot be used as an image; the message completes "image 'x' ..."."""


@dataclass(frozen=True)
class ImageFile:
    media_type: str
    extension: str
    size: tuple[int, int] | None  # pixels; None for vector images
    data: bytes | None = None  # the bytes to carry when they are not the file's (a clean SVG)
    removed: tuple[str, ...] = ()  # what cleaning removed, phrases completing "image 'x' ..."

    @property
    def is_raster(self) -> bool:
        return self.size is not None


def inspect_image(data: bytes) -> ImageFile:
    """Identify `data`; raise ImageProblem if it is not an image the outputs can carry."""
    if not data:
        raise ImageProblem("is an empty file")
    if _looks_like_svg(data):
        try:
            svg = sanitize_svg(data, _check_embedded)
        except SvgProblem as problem:
            raise ImageProblem(str(problem)) from None
        return ImageFile(*SVG, None, svg.data, svg.removed)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                image_format, size = image.format, image.size
                image.verify()  # chunk structure and checksums, without decoding
            if image_format == "JPEG":  # verify() skips JPEG data: decode it, at 1/8 scale
                _decode_jpeg(data, size)
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise ImageProblem(
            "has too many pixels to print safely; scale it down (print needs no more than "
            "about 6000 px on its longer side)"
        ) from None
    except Exception as exc:  # Pillow raises many types for damaged or foreign data
        raise ImageProblem(
            f"is not a readable image ({_reason(exc)}); export it again as PNG or JPEG"
        ) from None
    if image_format not in RASTER_FORMATS:
        raise ImageProblem(f"is a {image_format} image; convert it to PNG or JPEG")
    return ImageFile(*RASTER_FORMATS[image_format], size)


def print_resolution(pixels: tuple[int, int], css_width: int | None) -> tuple[float, float, float]:
    """(dpi, width mm, height mm) at which the print layout sets an image of `pixels`."""
    px_w, px_h = pixels
    css_w = css_width or px_w
    width_mm = css_w / CSS_PX_PER_INCH * MM_PER_INCH
    height_mm = width_mm * px_h / max(px_w, 1)
    scale = min(1.0, TEXT_WIDTH_MM / width_mm, MAX_HEIGHT_MM / max(height_mm, 1e-9))
    width_mm, height_mm = width_mm * scale, height_mm * scale
    return px_w / (width_mm / MM_PER_INCH), width_mm, height_mm


def pixels_for_print(width_mm: float) -> int:
    return int(width_mm / MM_PER_INCH * PRINT_DPI + 0.999)


def _decode_jpeg(data: bytes, size: tuple[int, int]) -> None:
    # WeasyPrint switches Pillow to accept truncated files for the whole process; a truncated
    # photo would then print half grey, so refuse them here.
    accept_truncated = PIL.ImageFile.LOAD_TRUNCATED_IMAGES
    PIL.ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.draft("RGB", (max(1, size[0] // 8), max(1, size[1] // 8)))
            image.load()
    finally:
        PIL.ImageFile.LOAD_TRUNCATED_IMAGES = accept_truncated


def _looks_like_svg(data: bytes) -> bool:
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<?xml", b"<svg", b"<!--", b"<!doctype svg")) and b"<svg" in (
        data[:4096].lower()
    )


def _check_embedded(data: bytes) -> None:
    """A picture embedded in an SVG: a PNG, JPEG or GIF held to the same checks as a file."""
    if not data or _looks_like_svg(data):
        raise ImageProblem("is not a raster image")
    inspect_image(data)


def _reason(exc: Exception) -> str:
    text = str(exc).split("\n")[0].strip()
    if not text or "cannot identify image file" in text:
        return "unknown or damaged format"
    return text[:80]
