"""PDF/X-4 for printers who ask for it: the book's colours in CMYK, with an output intent.

What the printer gets from `--pdf-variant pdf/x-4`:

- **An output intent**: the CMYK profile in `assets/icc/` (coated offset paper, made from the
  FOGRA39 characterisation data; `assets/icc/README.md` says how), embedded as the PDF's
  /OutputIntents, the condition every CMYK value in the file is meant for.
- **Text, rules and panels in CMYK**: every colour in the stylesheets (a hex colour, `rgb()`,
  a named colour) becomes `device-cmyk()` before layout, converted through that profile with a
  relative colorimetric intent. Greys and the dark, nearly neutral colours of text and rules
  become black ink alone at the tone that matches their lightness, never a four-ink "rich"
  black that blurs small type when the plates are off register.
- **Photos and drawings colour-managed, not converted**: raster images and the RGB colours an
  SVG drawing paints keep their RGB values and are declared sRGB (an ICC-based colour space,
  and /DefaultRGB on every page), which PDF/X-4 allows: the printer's RIP converts them to its
  press with the output intent, as it does for any colour-managed RGB photo.
- WeasyPrint's PDF/X-4 marks (PDF 1.6, GTS_PDFXVersion in the XMP, Trapped false, a TrimBox on
  every page). Its XMP DocumentID is random; it is replaced by one derived from the title and the
  build time, so builds under SOURCE_DATE_EPOCH stay byte-identical.
"""

from __future__ import annotations

import functools
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import pydyf
import tinycss2  # type: ignore[import-untyped]
import tinycss2.color4  # type: ignore[import-untyped]
from PIL import Image, ImageCms

from guidebook.model import Asset, PrintSetup
from guidebook.render.resources import builtin_assets

PROFILE_NAME = "icc/guidebook-cmyk-fogra39.icc"
# Which colours are printed with black ink alone: true greys (Lab chroma under 3), and the
# dark, nearly neutral colours of text and rules (a cool grey of chroma 8 is still "black
# text" to a reader; on press, four inks would put it out of register).
GREY_CHROMA, DARK_CHROMA, DARK_LIGHTNESS = 3.0, 12.0, 60.0
OUTPUT_CONDITION = "Offset printing on coated paper, ISO 12647-2:2004/Amd 1 (FOGRA39)"
# The output profile, named where a stylesheet can load it (they sit in css/).
_PROFILE_RULE = (
    f"@color-profile device-cmyk {{ src: url(../{PROFILE_NAME}); components: c, m, y, k }}"
)
_SRGB_FUNCTIONS = {"rgb", "rgba", "hsl", "hsla", "hwb"}
_SRGB_SPACES = {"srgb", "hsl", "hwb"}
_NESTED_RULES = {"media", "supports", "layer", "container", "document"}


def is_pdfx(setup: PrintSetup) -> bool:
    return (setup.variant or "").startswith("pdf/x")


def profile_path() -> Path:
    return builtin_assets() / PROFILE_NAME


class Converter:
    """sRGB -> CMYK through the output profile, neutrals to black ink alone."""

    def __init__(self, profile: Path) -> None:
        srgb, lab = ImageCms.createProfile("sRGB"), ImageCms.createProfile("LAB")
        cmyk = ImageCms.getOpenProfile(str(profile))
        intent = ImageCms.Intent.RELATIVE_COLORIMETRIC
        self._to_cmyk = ImageCms.buildTransform(srgb, cmyk, "RGB", "CMYK", intent)
        self._to_lab = ImageCms.buildTransform(srgb, lab, "RGB", "LAB", intent)
        ramp = Image.new("CMYK", (256, 1))
        ramp.putdata([(0, 0, 0, k) for k in range(256)])
        ink_lab = ImageCms.buildTransform(cmyk, lab, "CMYK", "LAB", intent)
        self._black_ramp = [lab[0] for lab in _pixels(ink_lab, ramp)]

    @functools.lru_cache(maxsize=1024)  # noqa: B019  (one converter per process, few colours)
    def cmyk(self, rgb: tuple[int, int, int]) -> tuple[float, float, float, float]:
        pixel = Image.new("RGB", (1, 1), rgb)
        ((lightness, a, b),) = _pixels(self._to_lab, pixel)
        a, b = (a - 256 if a > 127 else a), (b - 256 if b > 127 else b)  # LAB bytes: signed a, b
        chroma, lightness_100 = (a * a + b * b) ** 0.5, lightness * 100 / 255
        if chroma < GREY_CHROMA or (chroma < DARK_CHROMA and lightness_100 < DARK_LIGHTNESS):
            k = min(range(256), key=lambda i: abs(self._black_ramp[i] - lightness))
            return (0.0, 0.0, 0.0, round(k / 255, 3))
        ((c, m, y, k),) = _pixels(self._to_cmyk, pixel)
        return (round(c / 255, 3), round(m / 255, 3), round(y / 255, 3), round(k / 255, 3))


def _pixels(transform: ImageCms.ImageCmsTransform, image: Image.Image) -> list[tuple[int, ...]]:
    """The image's pixels after `transform`, as tuples of channel bytes."""
    converted = transform.apply(image)
    data, bands = converted.tobytes(), len(converted.getbands())
    return [tuple(data[i : i + bands]) for i in range(0, len(data), bands)]


@functools.cache
def converter() -> Converter:
    return Converter(profile_path())


# --- stylesheets -------------------------------------------------------------------------------


def cmyk_css(css: str, convert: Converter | None = None) -> str:
    """The stylesheet with every colour in its declarations written as device-cmyk()."""
    convert = convert or converter()
    rules = tinycss2.parse_stylesheet(css, skip_comments=True)
    return str(tinycss2.serialize(_rules(rules, convert)))


def _rules(rules: Iterable[Any], convert: Converter) -> list[Any]:
    out = []
    for rule in rules:
        if rule.type == "qualified-rule":
            rule.content = _declarations(rule.content, convert)
        elif rule.type == "at-rule" and rule.content is not None:
            if rule.lower_at_keyword in _NESTED_RULES:
                nested = tinycss2.parse_rule_list(rule.content, skip_comments=True)
                rule.content = _as_tokens(_rules(nested, convert))
            else:  # @page and its margin boxes, @font-face: declarations
                rule.content = _declarations(rule.content, convert)
        out.append(rule)
    return out


def _declarations(tokens: list[Any], convert: Converter) -> list[Any]:
    items = tinycss2.parse_blocks_contents(tokens, skip_comments=True)
    out: list[Any] = []
    for item in items:
        out.append(item)
        if item.type == "declaration":  # serialize() ends each with ";"
            item.value = [_colour(token, convert) for token in item.value]
        elif item.type in ("at-rule", "qualified-rule") and item.content is not None:
            item.content = _declarations(item.content, convert)
    return out


def _as_tokens(rules: list[Any]) -> list[Any]:
    return list(tinycss2.parse_component_value_list(tinycss2.serialize(rules)))


def _colour(token: Any, convert: Converter) -> Any:
    """The token as device-cmyk() when it is an sRGB colour (hex, named, rgb(), hsl(), hwb());
    Lab and other device-independent colours stay as they are (PDF/X-4 takes them)."""
    if token.type == "function":
        token.arguments = [_colour(t, convert) for t in token.arguments]
        if token.lower_name not in _SRGB_FUNCTIONS:
            return token
    elif token.type not in ("hash", "ident"):
        return token
    colour = tinycss2.color4.parse_color(token)
    if getattr(colour, "space", None) not in _SRGB_SPACES or colour.alpha == 0:
        return token  # not a colour, currentcolor, Lab..., or transparent
    red, green, blue = (round(min(max(v, 0.0), 1.0) * 255) for v in colour.to("srgb").coordinates)
    c, m, y, k = convert.cmyk((red, green, blue))
    alpha = f" / {colour.alpha:g}" if colour.alpha < 1 else ""
    (function,) = tinycss2.parse_component_value_list(
        f"device-cmyk({c:g} {m:g} {y:g} {k:g}{alpha})"
    )
    return function


def pdfx_assets(assets: Mapping[str, Asset], stylesheets: Iterable[str]) -> dict[str, Asset]:
    """The document's files for PDF/X: its stylesheets in CMYK, the first one naming the
    output profile (`@color-profile device-cmyk`), and the profile itself."""
    first, *_ = stylesheets
    out = dict(assets)
    for name, asset in assets.items():
        if asset.media_type != "text/css":
            continue
        css = cmyk_css(asset.read().decode("utf-8"))
        if name == first:
            css = f"{_PROFILE_RULE}\n{css}"
        out[name] = replace(asset, data=css.encode("utf-8"))
    out[PROFILE_NAME] = Asset(PROFILE_NAME, profile_path(), "application/vnd.iccprofile")
    return out


# --- the written PDF ---------------------------------------------------------------------------


def colour_manage(pdf: Any, identity: str) -> None:
    """Declare the RGB that is left (photos, SVG drawings) as sRGB, and make the XMP's document
    ID a function of `identity` (title and build time) rather than random."""
    srgb = pydyf.Stream([_srgb_profile()], pydyf.Dictionary({"N": 3}), compress=True)
    pdf.add_object(srgb)
    space = pydyf.Array(("/ICCBased", srgb.reference))
    for obj in list(pdf.objects):
        if isinstance(obj, pydyf.Stream):
            if obj.extra.get("Subtype") == "/Image" and obj.extra.get("ColorSpace") == "/DeviceRGB":
                obj.extra["ColorSpace"] = space
        elif isinstance(obj, pydyf.Dictionary) and {"ExtGState", "ColorSpace"} <= set(obj):
            spaces = _resolve(pdf, obj["ColorSpace"])
            spaces["DefaultRGB"] = space
    _name_the_condition(pdf)
    _stable_document_id(pdf, identity)


def _name_the_condition(pdf: Any) -> None:
    """Name the output intent by its registered characterisation, as prepress tools expect:
    the profile is made from FOGRA39's data, so a RIP may use its own FOGRA39 profile."""
    for intent in _resolve(pdf, pdf.catalog.get("OutputIntents", pydyf.Array())):
        intent = _resolve(pdf, intent)
        intent["OutputConditionIdentifier"] = pydyf.String("FOGRA39")
        intent["OutputCondition"] = pydyf.String(OUTPUT_CONDITION)
        intent["RegistryName"] = pydyf.String("http://www.color.org")


def _resolve(pdf: Any, value: Any) -> Any:
    if isinstance(value, bytes):  # a reference: b"12 0 R"
        return pdf.objects[int(value.split()[0])]
    return value


@functools.cache
def _srgb_profile() -> bytes:
    """LittleCMS's sRGB profile, without the creation time it stamps in the header (bytes
    24-35) and so without a profile ID (84-99, an MD5 that covers it; zero means none)."""
    data = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    data[24:36] = bytes(12)
    data[84:100] = bytes(16)
    return bytes(data)


_DOCUMENT_ID = re.compile(rb"xmp\.did:[0-9a-f-]{36}")


def _stable_document_id(pdf: Any, identity: str) -> None:
    metadata = pdf.catalog.get("Metadata")
    if metadata is None:
        return
    stream = _resolve(pdf, metadata)
    stable = f"xmp.did:{uuid.uuid5(uuid.NAMESPACE_URL, 'guidebook:' + identity)}".encode()
    stream.stream = [
        _DOCUMENT_ID.sub(stable, part if isinstance(part, bytes) else str(part).encode())
        for part in stream.stream
    ]
