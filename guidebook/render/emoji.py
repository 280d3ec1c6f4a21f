"""EPUB stage, after the templates: the emoji in a page become small PNG images with alt text.

Why images: a reading system without an emoji font (e-ink Kobo and Kindle readers, Adobe's
RMSDK, headless Chromium on a server) draws an empty box for 🔥, and embedding the shipped
Noto Color Emoji does not help everywhere either: its glyphs are colour bitmaps (CBDT), which
Apple's CoreText and the e-ink renderers do not draw. Every reading system draws a PNG, and
`alt` keeps the character for screen readers, search and readers with images turned off.
The print outputs keep the characters (WeasyPrint draws them from the shipped font).

An emoji here is what the shipped font draws as one picture: a character it has that Unicode
shows as emoji by default (or any character followed by U+FE0F, the emoji selector), with its
skin-tone modifier, keycap mark and tag characters, regional-indicator pairs (flags) and
sequences joined by U+200D (ZWJ). U+FE0E asks for the text form and is left alone, as are ©, ™
and digits without U+FE0F (the font has them only as bases of emoji sequences).
The images are drawn from the font's 109-pixel strike by Pillow (whose HarfBuzz layout applies
the font's ligatures, so 👩‍🔬 is one picture) and scaled to `HEIGHT` pixels.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont  # type: ignore[import-untyped]
from lxml import etree
from PIL import Image, ImageDraw, ImageFont

from guidebook.convert.tree import parse_fragment, to_xhtml

ZWJ, TEXT_FORM, EMOJI_FORM, KEYCAP = "\u200d", "\ufe0e", "\ufe0f", "\u20e3"
HEIGHT = 72  # pixels: sharp at 1.2 em on a 3x screen; 2-3 KB a picture in 256 colours
# The size in the `width`/`height` attributes, for a reader that ignores the book's CSS (which
# sets 1.2 em): about a line of text, not the picture's 72 pixels.
INLINE_HEIGHT = 20
STRIKE = 109  # the only pixel size of Noto Color Emoji's bitmaps
FOLDER = "emoji"

# Characters below U+1F000 that Unicode shows as emoji without U+FE0F (Emoji_Presentation=Yes
# in the Unicode emoji data); above U+1F000 every character the font has counts.
_DEFAULT_EMOJI_BMP = (
    (0x231A, 0x231B), (0x23E9, 0x23EC), (0x23F0, 0x23F0), (0x23F3, 0x23F3), (0x25FD, 0x25FE),
    (0x2614, 0x2615), (0x2648, 0x2653), (0x267F, 0x267F), (0x2693, 0x2693), (0x26A1, 0x26A1),
    (0x26AA, 0x26AB), (0x26BD, 0x26BE), (0x26C4, 0x26C5), (0x26CE, 0x26CE), (0x26D4, 0x26D4),
    (0x26EA, 0x26EA), (0x26F2, 0x26F3), (0x26F5, 0x26F5), (0x26FA, 0x26FA), (0x26FD, 0x26FD),
    (0x2705, 0x2705), (0x270A, 0x270B), (0x2728, 0x2728), (0x274C, 0x274C), (0x274E, 0x274E),
    (0x2753, 0x2755), (0x2757, 0x2757), (0x2795, 0x2797), (0x27B0, 0x27B0), (0x27BF, 0x27BF),
    (0x2B1B, 0x2B1C), (0x2B50, 0x2B50), (0x2B55, 0x2B55),
)  # fmt: skip
DEFAULT_EMOJI_BMP = frozenset(c for lo, hi in _DEFAULT_EMOJI_BMP for c in range(lo, hi + 1))
# A page holding none of these holds no emoji and is passed through untouched.
_MAYBE_EMOJI = re.compile("[\u2300-\u2bff\ufe0f\u20e3\U0001f000-\U0001faff]")


def _modifier(ch: str) -> bool:
    return 0x1F3FB <= ord(ch) <= 0x1F3FF


def _tag(ch: str) -> bool:
    return 0xE0020 <= ord(ch) <= 0xE007F


def _regional(ch: str) -> bool:
    return 0x1F1E6 <= ord(ch) <= 0x1F1FF


@dataclass(frozen=True)
class EmojiFinder:
    """Splits text into plain runs and emoji, given the code points the emoji font has."""

    cmap: frozenset[int]

    def split(self, text: str) -> list[tuple[str, bool]]:
        """`text` as (run, is_emoji) pairs, in order; joined, the runs are `text` again."""
        pieces: list[tuple[str, bool]] = []
        plain = i = 0
        while i < len(text):
            end = self._element(text, i, joined=False)
            if end is None:
                i += 1
                continue
            while end + 1 < len(text) and text[end] == ZWJ:
                following = self._element(text, end + 1, joined=True)
                if following is None:
                    break
                end = following
            if plain < i:
                pieces.append((text[plain:i], False))
            pieces.append((text[i:end], True))
            plain = i = end
        if plain < len(text):
            pieces.append((text[plain:], False))
        return pieces

    def _element(self, text: str, i: int, joined: bool) -> int | None:
        """The end of the emoji starting at `text[i]` (before any ZWJ), or None if none does."""
        ch, n = text[i], len(text)
        after = text[i + 1] if i + 1 < n else ""
        if ord(ch) not in self.cmap or _tag(ch) or ch in (ZWJ, TEXT_FORM, EMOJI_FORM, KEYCAP):
            return None
        if ch.isascii() and ch not in "0123456789#*":
            return None  # the font has a space (and NUL, CR): never an emoji, even with U+FE0F
        if ch in "0123456789#*":  # only as a keycap: 1️⃣
            j = i + 2 if after == EMOJI_FORM else i + 1
            return j + 1 if j < n and text[j] == KEYCAP else None
        if after == TEXT_FORM:
            return None
        if not (
            joined or ord(ch) >= 0x1F000 or ord(ch) in DEFAULT_EMOJI_BMP or after == EMOJI_FORM
        ):
            return None
        j = i + 1
        if _regional(ch) and j < n and _regional(text[j]):
            j += 1
        if j < n and text[j] == EMOJI_FORM:
            j += 1
        if j < n and _modifier(text[j]):
            j += 1
        while j < n and _tag(text[j]):
            j += 1
        return j


@cache
def _finder(font: Path) -> EmojiFinder:
    with TTFont(font, lazy=True) as ttf:
        return EmojiFinder(frozenset(ttf.getBestCmap()))


def file_name(emoji: str) -> str:
    """`emoji/1f3cb.png` for 🏋️: its code points in hex, without the emoji selector."""
    return f"{FOLDER}/{'-'.join(f'{ord(c):x}' for c in emoji if c != EMOJI_FORM)}.png"


class EmojiImages:
    """Replaces the emoji of the pages given to it and remembers them, to draw them once."""

    def __init__(self, font: Path) -> None:
        self.font = font
        self.used: dict[str, str] = {}  # file name -> the emoji drawn in it
        self._face: ImageFont.FreeTypeFont | None = None

    def face(self) -> ImageFont.FreeTypeFont:
        if self._face is None:
            self._face = ImageFont.truetype(str(self.font), STRIKE)
        return self._face

    def replace(self, xhtml: str) -> str:
        """The XHTML fragment with each emoji in its text an `<img class="emoji">`."""
        if not _MAYBE_EMOJI.search(xhtml):
            return xhtml
        finder = _finder(self.font)
        root = parse_fragment(xhtml)
        changed = False
        for node in list(root.iter()):
            if isinstance(node.tag, str) and node.text:
                node.text, images = self._images(root, finder, node.text)
                for index, image in enumerate(images):
                    node.insert(index, image)
                changed |= bool(images)
            parent = node.getparent()
            if node.tail and parent is not None:
                node.tail, images = self._images(root, finder, node.tail)
                for offset, image in enumerate(images, 1):
                    parent.insert(parent.index(node) + offset, image)
                changed |= bool(images)
        return to_xhtml(root) if changed else xhtml

    def _images(
        self, root: etree._Element, finder: EmojiFinder, text: str
    ) -> tuple[str, list[etree._Element]]:
        """The text before the first emoji, and an image per emoji with its following text."""
        pieces = finder.split(text)
        lead = pieces[0][0] if pieces and not pieces[0][1] else ""
        images: list[etree._Element] = []
        for run, is_emoji in pieces[1 if lead else 0 :]:
            if not is_emoji:
                images[-1].tail = run
                continue
            name = file_name(run)
            self.used.setdefault(name, run)
            left, top, right, bottom = self.face().getbbox(run)
            width = max(1, round((right - left) * INLINE_HEIGHT / max(1, bottom - top)))
            attributes = {"src": name, "alt": run, "class": "emoji"}
            attributes.update(width=str(width), height=str(INLINE_HEIGHT))
            images.append(root.makeelement("img", attributes))
        return lead, images

    def files(self) -> list[tuple[str, bytes]]:
        """(file name, PNG bytes) for every emoji replaced so far, in file-name order."""
        return [(name, draw_emoji(self.face(), self.used[name])) for name in sorted(self.used)]


def draw_emoji(font: ImageFont.FreeTypeFont, emoji: str) -> bytes:
    """One emoji as a PNG `HEIGHT` pixels high, its advance box kept (no cropping), in 256
    colours with alpha: less than half the bytes of RGBA and no visible difference at that size."""
    left, top, right, bottom = (round(v) for v in font.getbbox(emoji))
    image = Image.new("RGBA", (max(1, right - left), max(1, bottom - top)))
    ImageDraw.Draw(image).text((-left, -top), emoji, font=font, embedded_color=True)
    width = max(1, round(image.width * HEIGHT / image.height))
    image = image.resize((width, HEIGHT), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.quantize(256, Image.Quantize.FASTOCTREE).save(out, "PNG", optimize=True)
    return out.getvalue()
