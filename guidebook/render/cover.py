"""A typographic EPUB cover drawn with Pillow when the book file names no cover image.

1600 x 2560 px (the 1:1.6 ratio stores recommend), title and author in the book's own fonts.
"""

from __future__ import annotations

import io
import textwrap

from PIL import Image, ImageDraw, ImageFont

from guidebook.model import BookConfig
from guidebook.render.resources import builtin_assets

WIDTH, HEIGHT = 1600, 2560
BACKGROUND = (29, 35, 42)
ACCENT = (180, 64, 15)
LIGHT = (243, 244, 246)
MUTED = (170, 178, 186)


def draw_cover(config: BookConfig) -> bytes:
    fonts = builtin_assets() / "fonts"
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, 40), fill=ACCENT)
    draw.rectangle((140, 700, 420, 724), fill=ACCENT)

    title_font = ImageFont.truetype(str(fonts / "Inter-ExtraBold.otf"), 150)
    y = 780
    for line in _wrap(draw, config.title, title_font, WIDTH - 280):
        draw.text((140, y), line, font=title_font, fill=LIGHT)
        y += 175
    if config.subtitle:
        sub_font = ImageFont.truetype(str(fonts / "Inter-Medium.otf"), 64)
        y += 40
        for line in _wrap(draw, config.subtitle, sub_font, WIDTH - 280):
            draw.text((140, y), line, font=sub_font, fill=MUTED)
            y += 84
    if config.authors:
        author_font = ImageFont.truetype(str(fonts / "Inter-SemiBold.otf"), 72)
        draw.text((140, HEIGHT - 320), ", ".join(config.authors), font=author_font, fill=LIGHT)
    if config.publisher:
        pub_font = ImageFont.truetype(str(fonts / "Inter-Regular.otf"), 48)
        draw.text((140, HEIGHT - 200), config.publisher, font=pub_font, fill=MUTED)

    out = io.BytesIO()
    image.save(out, format="JPEG", quality=90, optimize=True)
    return out.getvalue()


def _wrap(
    draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int
) -> list[str]:
    """Greedy word wrap measured in pixels (textwrap only counts characters)."""
    lines: list[str] = []
    for paragraph in textwrap.wrap(text, 200) or [""]:
        line = ""
        for word in paragraph.split():
            trial = f"{line} {word}".strip()
            if draw.textlength(trial, font=font) <= width or not line:
                line = trial
            else:
                lines.append(line)
                line = word
        lines.append(line)
    return lines
