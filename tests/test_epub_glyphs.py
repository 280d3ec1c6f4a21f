"""The EPUB's glyphs on readers without the fonts: emoji as pictures, ✓ ✗ → from an embedded font.

A reading system with no emoji font and text fonts without ✓ and ✗ (Liberation, many e-ink
readers) drew empty boxes; these tests pin what replaced them (render/emoji.py,
render/epub_fonts.py) as facts of the package: manifest, zip, CSS, fonts' character maps, PNGs.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile

import pytest
import tinycss2
from conftest import EMOJI, Built
from fontTools.ttLib import TTFont
from PIL import Image
from test_epub import NS, package

from guidebook.render.emoji import HEIGHT, EmojiImages, _finder, file_name
from guidebook.render.epub_fonts import FAMILY, content_characters, marks_fonts
from guidebook.render.resources import builtin_assets

FONTS = builtin_assets() / "fonts"
NOTO = FONTS / "NotoColorEmoji.ttf"
MARKS = " ✓✗→"


# --- finding emoji ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "emoji"),
    [
        ("🔥 Get the card", ["🔥"]),
        ("🏋️ benches", ["🏋️"]),  # with U+FE0F, one emoji
        ("a 👩‍🔬 b", ["👩‍🔬"]),  # a ZWJ sequence is one picture
        ("👍🏽 and 🇫🇷", ["👍🏽", "🇫🇷"]),  # skin tone; a flag is two regional indicators
        ("press 1️⃣ then #️⃣", ["1️⃣", "#️⃣"]),  # keycaps
        ("☕ and ♥️", ["☕", "♥️"]),  # emoji by default; text made emoji by U+FE0F
        ("♥ ⌚︎ © ™ ✓ ✗ → 3 × 10 – 12 #1", []),  # text forms, marks, digits, © and ™
        ("🏴󠁧󠁢󠁳󠁣󠁴󠁿 done", ["🏴󠁧󠁢󠁳󠁣󠁴󠁿"]),  # a tag sequence (Scotland)
        # The font has a space: a stray U+FE0F after one, or a ZWJ before one, is no emoji
        # (it was a picture of a space 2,720 px wide, or one picture of "👍 🏽").
        ("stray \ufe0f selector", []),
        ("👍\u200d 🏽", ["👍", "🏽"]),
    ],
)
def test_finder_splits_text_into_plain_runs_and_whole_emoji(text: str, emoji: list[str]) -> None:
    pieces = _finder(NOTO).split(text)
    assert "".join(run for run, _e in pieces) == text
    assert [run for run, is_emoji in pieces if is_emoji] == emoji


def test_file_names_are_code_points_without_the_emoji_selector() -> None:
    assert file_name("🏋️") == file_name("🏋") == "emoji/1f3cb.png"
    assert file_name("👩‍🔬") == "emoji/1f469-200d-1f52c.png"


def test_emoji_in_text_and_tails_become_pictures_with_alt_text() -> None:
    images = EmojiImages(NOTO)
    page = '<p title="🔥">Warm 🔥 up <a href="x.xhtml">💪 now</a> 🔥</p>'
    out = images.replace(page)
    assert out == (
        '<p title="🔥">Warm <img src="emoji/1f525.png" alt="🔥" class="emoji" width="21" '
        'height="20"/> up <a href="x.xhtml"><img src="emoji/1f4aa.png" alt="💪" class="emoji" '
        'width="21" height="20"/> now</a> <img src="emoji/1f525.png" alt="🔥" class="emoji" '
        'width="21" height="20"/></p>'
    )
    assert sorted(images.used) == ["emoji/1f4aa.png", "emoji/1f525.png"]


def test_a_page_without_emoji_is_passed_through_untouched() -> None:
    page = "<p>3 × 10 – ✓ ✗ → © ™</p>"
    images = EmojiImages(NOTO)
    assert images.replace(page) is page
    assert images.used == {} and images.files() == []


def test_pictures_are_small_transparent_pngs_one_per_emoji() -> None:
    images = EmojiImages(NOTO)
    images.replace("<p>🔥 👩‍🔬 🏋️</p>")
    files = dict(images.files())
    assert sorted(files) == ["emoji/1f3cb.png", "emoji/1f469-200d-1f52c.png", "emoji/1f525.png"]
    for name, data in files.items():
        picture = Image.open(io.BytesIO(data))
        assert picture.format == "PNG" and picture.height == HEIGHT, name
        assert picture.width <= HEIGHT * 1.2, name  # one glyph, the ZWJ sequence too
        rgba = picture.convert("RGBA")
        alpha = rgba.getchannel("A")
        assert alpha.getextrema() == (0, 255), name  # transparent corners, opaque drawing
        assert len(data) < 6000, name


# --- the marks fonts -----------------------------------------------------------------------------


def test_content_characters_come_from_content_strings_only() -> None:
    css = (
        'li::before { content: "✓"; color: red } .x::after { content: "Q " "→" }'
        '@media screen { p::before { content: "✗" } } p { font-family: "Ü" }'
    )
    assert content_characters(css) == "→✓✗"


def test_the_book_stylesheets_marks_are_the_ones_embedded() -> None:
    css = "".join(
        (builtin_assets() / "css" / n).read_text("utf-8") for n in ("base.css", "epub.css")
    )
    assert set("✓✗→") <= set(content_characters(css))


def test_marks_fonts_hold_the_marks_and_little_else_the_same_bytes_each_time() -> None:
    css = '.a::before { content: "✓" } .b::before { content: "✗" } .c::before { content: "→ " }'
    first, second = marks_fonts(FONTS, css), marks_fonts(FONTS, css)
    assert first == second  # no timestamps: reproducible EPUBs
    assert [name for name, _data in first] == ["fonts/marks-regular.otf", "fonts/marks-bold.otf"]
    for name, data in first:
        with TTFont(io.BytesIO(data)) as font:
            assert {chr(c) for c in font.getBestCmap()} == set(MARKS), name
            assert "Open Font License" in font["name"].getDebugName(13), name
        assert len(data) < 4000, name


# --- in the package ------------------------------------------------------------------------------


def _font_urls(css: str) -> dict[str, str]:
    """url -> font-weight ("normal" when unset) of the @font-face rules naming FAMILY."""
    urls = {}
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type != "at-rule" or rule.lower_at_keyword != "font-face":
            continue
        declarations = {
            d.lower_name: tinycss2.serialize(d.value).strip()
            for d in tinycss2.parse_declaration_list(rule.content, True, True)
            if d.type == "declaration"
        }
        if declarations.get("font-family") == f'"{FAMILY}"':
            (url,) = re.findall(r"url\(([^)]+)\)", declarations["src"])
            urls[url] = declarations.get("font-weight", "normal")
    return urls


def test_marks_fonts_are_in_the_manifest_the_zip_and_the_css(seedlike_build: Built) -> None:
    pkg = package(seedlike_build.epub)
    items = {path: media for path, media, _props in pkg.manifest.values()}
    (css_path,) = [p for p, media in items.items() if media == "text/css"]
    with zipfile.ZipFile(seedlike_build.epub) as zf:
        css = zf.read(css_path).decode("utf-8")
        urls = _font_urls(css)
        assert sorted(urls.values()) == ["bold", "normal"]
        for url in urls:
            path = posixpath.normpath(posixpath.join(posixpath.dirname(css_path), url))
            assert items.get(path) == "font/otf" and path in pkg.names, path
            with TTFont(io.BytesIO(zf.read(path))) as font:
                assert set(MARKS) <= {chr(c) for c in font.getBestCmap()}, path
    for selector in (".sec-tips li::before", ".sec-mistakes li::before"):
        assert re.search(re.escape(selector) + r"[^{]*\{\s*font-family:\s*\"" + FAMILY, css)


def test_emoji_are_packaged_pictures_and_no_emoji_is_left_as_text(seedlike_build: Built) -> None:
    pkg = package(seedlike_build.epub)
    items = {path: media for path, media, _props in pkg.manifest.values()}
    seen = set()
    finder = _finder(NOTO)
    with zipfile.ZipFile(seedlike_build.epub) as zf:
        for name, doc in pkg.xhtml.items():
            text = "".join(doc.find("x:body", NS).itertext())
            assert not [run for run, is_emoji in finder.split(text) if is_emoji], name
            for img in doc.iterfind(".//x:img[@class='emoji']", NS):
                src = posixpath.normpath(posixpath.join(posixpath.dirname(name), img.get("src")))
                assert items.get(src) == "image/png", src
                assert Image.open(io.BytesIO(zf.read(src))).height == HEIGHT
                seen.add(img.get("alt"))
    assert seen == set(EMOJI)
