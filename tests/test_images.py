"""Images as users supply them: damaged, mislabelled, too coarse for print, scripted, remote."""

from __future__ import annotations

import http.server
import io
import os
import struct
import threading
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import PIL.ImageFile
import pytest
from conftest import run_cli, warning_lines
from lxml import etree
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from guidebook.imagefile import (
    ImageProblem,
    fit_for_epub,
    inspect_image,
    print_resolution,
    print_size,
)


def png(size: tuple[int, int], image_format: str = "PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (40, 120, 200)).save(out, image_format)
    return out.getvalue()


def make_book(folder: Path, markdown: str, files: dict[str, bytes | str]) -> Path:
    content = folder / "content"
    content.mkdir(parents=True)
    (content / "chapter.md").write_text(f"# Pictures\n\n{markdown}\n", encoding="utf-8")
    for name, data in files.items():
        target = content / name
        if isinstance(data, str):
            target.write_text(data, encoding="utf-8")
        else:
            target.write_bytes(data)
    return folder


def build(book: Path, *options: str) -> tuple[int, list[str]]:
    code, _, stderr = run_cli("build", "--out", "out", *options, cwd=book)
    return code, warning_lines(stderr)


def pdf_image_count(path: Path) -> int:
    """Distinct raster images in the PDF (WeasyPrint shares one resource dictionary)."""
    found: set[int] = set()
    for page in PdfReader(path).pages:
        resources = cast(DictionaryObject, page["/Resources"].get_object())
        xobjects = cast(DictionaryObject, resources.get("/XObject", DictionaryObject()))
        for ref in xobjects.values():
            if cast(DictionaryObject, ref.get_object()).get("/Subtype") == "/Image":
                found.add(ref.idnum)
    return len(found)


def epub_images(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as zf:
        return [n for n in zf.namelist() if "/images/" in n and not n.endswith("/cover.jpg")]


# --- damaged and mislabelled files -----------------------------------------------------------

JPEG = png((800, 600), "JPEG")


# Two builds (PDF and EPUB) each: the empty file in the inner loop, every case with -m slow.
@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        pytest.param(
            "photo.png",
            b"these are not the pixels you are looking for",
            "is not a readable image (unknown or damaged format); export it again as PNG or JPEG",
            marks=pytest.mark.slow,
        ),
        pytest.param(
            "cut.jpg",
            JPEG[: len(JPEG) // 2],
            "is not a readable image (image file is truncated (5 bytes not processed)); "
            "export it again as PNG or JPEG",
            marks=pytest.mark.slow,
        ),
        ("empty.png", b"", "is an empty file"),
        pytest.param(
            "broken.svg",
            '<svg xmlns="http://www.w3.org/2000/svg"><rect',
            "is not a well-formed SVG file",
            marks=pytest.mark.slow,
        ),
        pytest.param(
            "page.svg",
            "<html><body>not a drawing</body></html>",
            "is not a readable image (unknown or damaged format)",
            marks=pytest.mark.slow,
        ),
    ],
)
def test_a_file_that_is_not_a_valid_image_is_left_out_with_one_line(
    tmp_path: Path, name: str, data: bytes | str, problem: str
) -> None:
    book = make_book(tmp_path, f"![A lunge]({name})", {name: data})
    code, warnings = build(book, "--format", "pdf,epub")
    assert code == 0
    (line,) = warnings
    assert line.startswith(f"content/chapter.md:3: warning: image '{name}' {problem}")
    assert line.endswith("; left out")
    assert pdf_image_count(book / "out" / "book.pdf") == 0
    assert epub_images(book / "out" / "book.epub") == []
    assert build(book, "--strict")[0] == 1


@pytest.mark.slow
def test_a_png_named_jpg_is_carried_as_what_it_really_is(tmp_path: Path) -> None:
    book = make_book(tmp_path, "![A plank](plank.jpg)", {"plank.jpg": png((2400, 1600))})
    code, warnings = build(book, "--format", "pdf,epub")
    assert (code, warnings) == (0, [])
    assert epub_images(book / "out" / "book.epub") == ["EPUB/images/chapter-plank.png"]
    with zipfile.ZipFile(book / "out" / "book.epub") as zf:
        opf = etree.fromstring(zf.read("EPUB/content.opf"))
    (item,) = opf.iterfind(".//{*}item[@href='images/chapter-plank.png']")
    assert item.get("media-type") == "image/png"
    assert pdf_image_count(book / "out" / "book.pdf") == 1


@pytest.mark.parametrize(
    ("svg", "removed", "gone"),
    [
        ("<script>alert(1)</script>", "contains <script>", b"alert"),
        ("<foreignObject><p>x</p></foreignObject>", "contains <foreignObject>", b"<p"),
        (
            '<rect width="5" height="5" onclick="x()"/>',
            "has a script handler (onclick=...)",
            b"x()",
        ),
        (
            '<image href="other.png" width="5" height="5"/>',
            "links to another file ('other.png')",
            b"other.png",
        ),
        (
            '<image xlink:href="file:///etc/hostname" width="5" height="5"/>',
            "links to another file ('file:///etc/hostname')",
            b"hostname",
        ),
        (
            "<style>@import url(more.css);</style>",
            "loads another file from its styles ('@import')",
            b"more.css",
        ),
        (
            '<rect style="fill: url(http://example.org/p.svg#g)"/>',
            "loads another file from its styles ('url(http://example.org/p.svg#g)')",
            b"example.org",
        ),
    ],
)
def test_an_svg_that_scripts_or_loads_other_files_is_cleaned(
    svg: str, removed: str, gone: bytes
) -> None:
    """What could run or load is removed (and said); the drawing itself is kept."""
    data = (
        '<svg xmlns="http://www.w3.org/2000/svg" '
        f'xmlns:xlink="http://www.w3.org/1999/xlink">{svg}<rect width="9" height="9"/></svg>'
    ).encode()
    info = inspect_image(data)
    assert info.removed == (removed,)
    assert info.data is not None
    assert gone not in info.data
    assert b'<rect width="9" height="9"/>' in info.data


def test_an_svg_with_internal_references_and_data_images_is_fine() -> None:
    data = (
        b'<svg xmlns="http://www.w3.org/2000/svg"><defs><linearGradient id="g"/></defs>'
        b'<rect style="fill: url(#g)"/><use href="#g"/><image href="data:image/png;base64,AA=="/>'
        b"</svg>"
    )
    assert inspect_image(data).media_type == "image/svg+xml"


def test_an_image_with_too_many_pixels_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 10_000)  # instead of a real 180-Mpx file
    with pytest.raises(ImageProblem, match="has too many pixels to print safely"):
        inspect_image(png((150, 100)))


# --- print resolution ------------------------------------------------------------------------


def test_print_resolution_follows_the_print_layout() -> None:
    # An image prints at its 300-dpi size: 600 px are 50.8 mm.
    dpi, width, height = print_resolution((600, 400), None)
    assert (round(dpi), round(width, 2), round(height, 2)) == (300, 50.8, 33.87)
    # Wider than the text block: scaled to 170 mm, so finer than 300 dpi.
    dpi, width, _ = print_resolution((3000, 1500), None)
    assert (round(width), round(dpi)) == (170, 448)
    # Tall images are held to 110 mm high.
    _, width, height = print_resolution((1000, 3000), None)
    assert (round(height), round(width, 1)) == (110, 36.7)
    # A writer's width sets the printed size, within the slot of its figure row.
    dpi, width, _ = print_resolution((1200, 800), 300)
    assert (round(width, 1), round(dpi)) == (79.4, 384)
    dpi, width, _ = print_resolution((1200, 800), 800, slot_mm=82)
    assert (round(width), round(dpi)) == (82, 372)
    # A start/end pair of 850 x 567 photos: 72 mm each, inside an 82 mm slot, at 300 dpi.
    dpi, width, height = print_resolution((850, 567), None, slot_mm=82)
    assert (round(dpi), round(width), round(height)) == (300, 72, 48)


def test_print_size_is_the_300_dpi_size_in_css_pixels() -> None:
    assert print_size((850, 567)) == (272, 181)
    assert print_size((3000, 2000)) == (960, 640)


@pytest.mark.slow
def test_an_image_too_coarse_for_print_warns_with_the_size_it_needs(tmp_path: Path) -> None:
    book = make_book(
        tmp_path,
        "![Coarse](coarse.png)\n\nText.\n\n![Fine](fine.png)\n\nText.\n\n"
        '![Set small](small.png){: width="300" }\n\nText.\n\n'
        '![Set large](large.png){: width="800" }',
        {
            "coarse.png": png((300, 200)),
            "fine.png": png((850, 567)),
            "small.png": png((1200, 800)),
            "large.png": png((1200, 800)),
        },
    )
    code, warnings = build(book, "--format", "pdf")
    assert code == 0
    assert warnings == [
        "content/chapter.md:3: warning: image 'coarse.png' prints only 25 mm wide (300x200 px "
        "at 300 dpi); print needs 40 mm for a photo to be read: use a file at least 473 px wide",
        "content/chapter.md:15: warning: image 'large.png' prints at 185 dpi (1200x800 px over "
        "165 x 110 mm); print needs 300 dpi: use a file at least 1949 px wide",
    ]
    assert pdf_image_count(book / "out" / "book.pdf") == 4  # a warning, not a refusal
    assert build(book, "--format", "pdf", "--strict")[0] == 1


def test_the_print_resolution_check_is_for_print_only(tmp_path: Path) -> None:
    book = make_book(tmp_path, "![Coarse](coarse.png)", {"coarse.png": png((600, 400))})
    assert build(book, "--format", "epub") == (0, [])


# --- remote images ---------------------------------------------------------------------------


class ImageServer(http.server.ThreadingHTTPServer):
    """A loopback server that counts requests: the network a build must not touch."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.files: dict[str, tuple[int, bytes, dict[str, str]]] = {}
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append(self.path)
                status, body, headers = server.files.get(self.path, (404, b"missing", {}))
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        super().__init__(("127.0.0.1", 0), Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@pytest.fixture
def server() -> Iterator[ImageServer]:
    srv = ImageServer()
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        yield srv
    finally:
        srv.shutdown()
        srv.server_close()


@pytest.mark.slow
def test_by_default_a_build_never_touches_the_network(tmp_path: Path, server: ImageServer) -> None:
    server.files["/squat.png"] = (200, png((2400, 1600)), {"Content-Type": "image/png"})
    book = make_book(
        tmp_path,
        f'![Squat]({server.url}/squat.png)\n\n<img src="{server.url}/raw.png" alt="Raw">',
        {},
    )
    code, warnings = build(book, "--format", "pdf,epub,html")
    assert code == 0
    assert server.requests == []
    assert len(warnings) == 2
    assert all(
        "is not a local file; builds never fetch from the network" in line
        and "(or build with --allow-remote-images); left out" in line
        for line in warnings
    )
    assert pdf_image_count(book / "out" / "book.pdf") == 0
    assert epub_images(book / "out" / "book.epub") == []


@pytest.mark.slow
def test_allowed_remote_images_are_downloaded_once_and_packaged(
    tmp_path: Path, server: ImageServer
) -> None:
    server.files["/squat.png"] = (200, png((2400, 1600)), {"Content-Type": "image/png"})
    book = make_book(
        tmp_path,
        f"![Squat]({server.url}/squat.png)\n\n![Again]({server.url}/squat.png)",
        {},
    )
    code, warnings = build(book, "--format", "pdf,epub", "--allow-remote-images")
    assert (code, warnings) == (0, [])
    assert server.requests == ["/squat.png"]
    assert epub_images(book / "out" / "book.epub") == ["EPUB/images/chapter-squat.png"]
    assert pdf_image_count(book / "out" / "book.pdf") == 1


@pytest.mark.slow
@pytest.mark.parametrize(
    ("path", "response", "problem"),
    [
        ("/gone.png", None, "could not be downloaded (HTTP 404)"),
        (
            "/page.png",
            (200, b"<html>a web page</html>", {"Content-Type": "text/html"}),
            "is not a readable image",
        ),
        (
            "/moved.png",
            (302, b"", {"Location": "file:///etc/hostname"}),
            "could not be downloaded",
        ),
    ],
)
def test_a_failed_download_is_left_out_with_one_line(
    tmp_path: Path,
    server: ImageServer,
    path: str,
    response: tuple[int, bytes, dict[str, str]] | None,
    problem: str,
) -> None:
    if response is not None:
        server.files[path] = response
    book = make_book(tmp_path, f"![Remote]({server.url}{path})", {})
    code, warnings = build(book, "--format", "epub", "--allow-remote-images")
    assert code == 0
    (line,) = warnings
    assert line.startswith(f"content/chapter.md:3: warning: image '{server.url}{path}' {problem}")
    assert epub_images(book / "out" / "book.epub") == []
    with zipfile.ZipFile(book / "out" / "book.epub") as zf:
        hostname = Path("/etc/hostname").read_bytes().strip()
        assert all(hostname not in zf.read(name) for name in zf.namelist() if len(hostname) >= 4)


def test_remote_images_other_than_http_are_refused_even_when_allowed(tmp_path: Path) -> None:
    book = make_book(tmp_path, "![Ftp](ftp://127.0.0.1/x.png)", {})
    code, warnings = build(book, "--format", "epub", "--allow-remote-images")
    assert code == 0
    (line,) = warnings
    assert "is not a local file; builds never fetch from the network" in line


# --- the cover -------------------------------------------------------------------------------


def test_a_cover_is_carried_as_its_real_format_and_a_small_one_warns(tmp_path: Path) -> None:
    book = make_book(tmp_path, "Text.", {})
    (book / "cover.jpg").write_bytes(png((1600, 2560)))  # a PNG with a .jpg name
    (book / "book.yml").write_text("title: Covered\ncover: cover.jpg\n", encoding="utf-8")
    assert build(book, "--format", "epub") == (0, [])
    with zipfile.ZipFile(book / "out" / "book.epub") as zf:
        opf = etree.fromstring(zf.read("EPUB/content.opf"))
    (item,) = opf.iterfind(".//{*}item[@properties='cover-image']")
    assert (item.get("href"), item.get("media-type")) == ("images/cover.png", "image/png")

    (book / "cover.jpg").write_bytes(png((800, 1280), "JPEG"))
    assert build(book, "--format", "epub") == (
        0,
        [
            "book.yml:2: warning: book file: cover: 'cover.jpg' is 800x1280 px; stores want at "
            "least 1400 px on the short side (1600 x 2560 is ideal)"
        ],
    )


@pytest.mark.parametrize("kind", ["fifo", "folder", "device-link"])
def test_an_image_that_is_not_a_regular_file_is_named_as_such(tmp_path: Path, kind: str) -> None:
    content = tmp_path / "proj" / "content"
    content.mkdir(parents=True)
    image = content / "photo.png"
    if kind == "fifo":
        os.mkfifo(image)
    elif kind == "folder":
        image.mkdir()
    else:  # a link to a device inside the project's own tree would still not be a file
        (content / "dev").symlink_to("/dev")
        image = content / "dev" / "zero.png"
    (content / "squat.md").write_text(
        f"# Squat\n\n![start]({image.relative_to(content)})\n", encoding="utf-8"
    )
    out = tmp_path / "proj" / "build"
    code, _o, err = run_cli("check", "--content", content)
    assert "Traceback" not in err
    assert code == 0
    if kind == "device-link":  # resolves outside the content folder
        assert "lies outside the content folder" in err
    else:
        assert f"{content / 'squat.md'}:3: warning: image 'photo.png' is not a regular file" in err
    assert not out.exists()


def test_fit_for_epub_keeps_a_png_whose_pixels_do_not_decode() -> None:
    """verify() checks a PNG's chunks and checksums, not its compressed pixels: a damaged
    stream with good checksums passed inspection and the EPUB's downscale raised OSError."""
    out = io.BytesIO()
    Image.new("RGB", (2100, 2000), "white").save(out, "PNG")
    data = bytearray(out.getvalue())
    at = data.find(b"IDAT")
    length = struct.unpack(">I", data[at - 4 : at])[0]
    data[at + 4 : at + 4 + length] = bytes(b ^ 0x5A for b in data[at + 4 : at + 4 + length])
    data[at + 4 + length : at + 8 + length] = struct.pack(
        ">I", zlib.crc32(data[at : at + 4 + length])
    )
    damaged = bytes(data)
    assert inspect_image(damaged).size == (2100, 2000)
    accept, PIL.ImageFile.LOAD_TRUNCATED_IMAGES = PIL.ImageFile.LOAD_TRUNCATED_IMAGES, False
    try:
        assert fit_for_epub(damaged) == damaged
    finally:
        PIL.ImageFile.LOAD_TRUNCATED_IMAGES = accept
