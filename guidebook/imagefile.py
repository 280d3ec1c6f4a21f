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

# The print layout (assets/css/base.css, pdf.css): a raster image is set at its size at 300 dpi
# (`image-resolution`, class `print-size`), no wider than its slot in the figure row (the text
# block's width for a block of one) and no taller than 110 mm. An image the writer gave a width
# keeps that width (CSS px, 96 to the inch).
CSS_PX_PER_INCH = 96
TEXT_WIDTH_MM = 170.0  # A4 less the 18 + 22 mm side margins (Letter's is 6 mm wider)
MAX_HEIGHT_MM = 110.0
PRINT_DPI = 300
MM_PER_INCH = 25.4
MIN_FIGURE_MM = 40.0  # narrower than this, a photo in a figure row is too small to read
EPUB_MAX_PIXELS = 4_000_000  # Apple Books refuses larger images inside an EPUB


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


def print_size(pixels: tuple[int, int]) -> tuple[int, int]:
    """The CSS px (96 to the inch) an image of `pixels` covers at 300 dpi: 850 px -> 272."""
    width, height = pixels
    return round(width * CSS_PX_PER_INCH / PRINT_DPI), round(height * CSS_PX_PER_INCH / PRINT_DPI)


def print_resolution(
    pixels: tuple[int, int],
    css_width: int | None,
    slot_mm: float = TEXT_WIDTH_MM,
    max_height_mm: float = MAX_HEIGHT_MM,
) -> tuple[float, float, float]:
    """(dpi, width mm, height mm) at which the print layout sets an image of `pixels`: its
    300-dpi size, or `css_width` when the writer gave one, no wider than `slot_mm` and no
    taller than `max_height_mm`."""
    px_w, px_h = pixels
    if css_width:
        width_mm = css_width / CSS_PX_PER_INCH * MM_PER_INCH
    else:
        width_mm = px_w / PRINT_DPI * MM_PER_INCH
    height_mm = width_mm * px_h / max(px_w, 1)
    scale = min(1.0, slot_mm / max(width_mm, 1e-9), max_height_mm / max(height_mm, 1e-9))
    width_mm, height_mm = width_mm * scale, height_mm * scale
    return px_w / max(width_mm / MM_PER_INCH, 1e-9), width_mm, height_mm


def pixels_for_print(width_mm: float) -> int:
    return int(width_mm / MM_PER_INCH * PRINT_DPI + 0.999)


def drawing_shape(data: bytes) -> tuple[float, float] | None:
    """An SVG's width and height (from `viewBox`, else its `width`/`height` numbers), for its
    figure's orientation; None when it states neither."""
    from lxml import etree

    try:
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return None
    box = (root.get("viewBox") or "").replace(",", " ").split()
    candidates = [box[2:4]] if len(box) == 4 else []
    candidates.append([root.get("width") or "", root.get("height") or ""])
    for pair in candidates:
        try:
            width, height = (float(v.strip().removesuffix("px")) for v in pair)
        except ValueError:
            continue
        if width > 0 and height > 0:
            return width, height
    return None


def fit_for_epub(data: bytes, limit: int = EPUB_MAX_PIXELS) -> bytes:
    """`data` scaled down to at most `limit` pixels in the same format (JPEG quality 88, PNG
    optimised); the bytes unchanged when they are within it or not PNG or JPEG."""
    with Image.open(io.BytesIO(data)) as image:
        width, height = image.size
        image_format = image.format
        if width * height <= limit or image_format not in ("JPEG", "PNG"):
            return data
        scale = (limit / (width * height)) ** 0.5
        size = (max(1, int(width * scale)), max(1, int(height * scale)))
        while size[0] * size[1] > limit:  # rounding can leave it a few pixels over
            size = (size[0] - 1, max(1, size[1] - 1))
        try:
            smaller = image.resize(size, Image.Resampling.LANCZOS)
        except (OSError, ValueError):  # data verify() passed but that does not decode
            return data
        out = io.BytesIO()
        if image_format == "JPEG":
            if smaller.mode not in ("RGB", "L", "CMYK"):
                smaller = smaller.convert("RGB")
            smaller.save(
                out, "JPEG", quality=88, optimize=True, icc_profile=image.info.get("icc_profile")
            )
        else:
            smaller.save(out, "PNG", optimize=True, icc_profile=image.info.get("icc_profile"))
        return out.getvalue()


def _decode_jpeg(data: bytes, size: tuple[int, int]) -> None:
    # WeasyPrint switches Pillow to accept truncated files for the whole process; a truncated
    # photo would then print half grey, so refuse them here.
    accept_truncated = PIL.ImageFile.LOAD_TRUNCATED_IMAGES
    PIL.ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with Image.open(io.BytesIO(data)) as image:
            # grey at 1/8: every coefficient is still entropy-decoded, colour is not built
            image.draft("L", (max(1, size[0] // 8), max(1, size[1] // 8)))
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
