"""Untrusted chapter content cannot make the builder read a file outside the project or reach
the network, proven on the bytes of the outputs rather than by the absence of an error.

How:

- Every escape route (one way a chapter could name an outside file or a URL) gets a chapter of
  its own, `content/<route>.md`, and an outside folder of its own, `outside/<route>/`, whose
  `secret.txt`, `secret.png`, `secret.css`, `secret.svg` and `secret.md` all carry the canary
  `CANARY-7f3a9d-outside-the-project-<route>-END`. One build (PDF, EPUB and HTML) of a book
  holding every route then says which route leaked, by which canary turns up.
- `output_bytes` gathers everything an output could leak through: the PDF's raw bytes, every
  decoded stream, its attachments and its extracted page text; every EPUB member, decompressed,
  and its name; every file of the HTML folder and its name. The PNG canary is in a tEXt chunk
  (found in copies of the file) and is the image's pixel data too (found once re-encoded into
  the PDF).
- Positive controls: a chapter and an image inside the content folder carry a control marker
  that the scanner must find in every output, so these tests can fail; and every route's
  chapter must reach the PDF, so no route can hide the ones after it from the renderer.
- Network routes point at a local HTTP server that counts connections; it must see none. With
  --allow-remote-images (the user's opt-in) only the chapters' http images may be requested.
- Routes that need a book of their own (a chapter file that is a symlink, book.yml's cover) get
  separate builds. Leaks found are xfail(strict=True) with the reason starting "LEAK:".

Refused loads are logged by WeasyPrint, so the whole module expects WeasyPrint warnings.
"""

from __future__ import annotations

import base64
import hashlib
import http.server
import io
import re
import socket
import threading
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from conftest import run_cli
from lxml import etree
from lxml import html as lxml_html
from PIL import Image
from PIL.PngImagePlugin import PngInfo
from pypdf import PdfReader
from pypdf.generic import DictionaryObject, StreamObject

from guidebook.imagefile import ImageProblem, inspect_image
from guidebook.render.epub_fonts import MARKS_FONTS
from guidebook.render.resources import builtin_assets
from guidebook.writer import MARKER as HTML_MARKER
from guidebook.writer import MARKER_TEXT

pytestmark = pytest.mark.weasyprint_warnings

CANARY_STEM = "CANARY-7f3a9d-outside-the-project"
CONTROL = "CONTROL-7f3a9d-inside-the-project-END"
SHARED_CORE = "7f3a9d"  # in every canary and in the control marker
FORMATS = "pdf,epub,html"
SVG_NS = 'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
ORDINARY_CHAPTER = """---
body_part: Legs
equipment: Body Weight
---

# Bodyweight Squat

Stand with your feet shoulder-width apart, sit back and down, then stand up again.
"""


def canary(route: str) -> str:
    return f"{CANARY_STEM}-{route}-END"


# --- the secrets outside the project -----------------------------------------------------------


def write_marked_png(path: Path, marker: str) -> None:
    """A one-row RGB PNG whose tEXt chunk and whose pixel bytes both spell the marker."""
    pixels = marker.encode("ascii")
    pixels += b"-" * (-len(pixels) % 3)
    image = Image.frombytes("RGB", (len(pixels) // 3, 1), pixels)
    info = PngInfo()
    info.add_text("canary", marker)
    image.save(path, pnginfo=info)


def write_secrets(folder: Path, marker: str) -> None:
    folder.mkdir(parents=True)
    (folder / "secret.txt").write_text(f"{marker}\n", encoding="utf-8")
    write_marked_png(folder / "secret.png", marker)
    (folder / "secret.css").write_text(f"body{{color:red}} /* {marker} */\n", encoding="utf-8")
    (folder / "secret.svg").write_text(
        f'<svg {SVG_NS} width="400" height="20"><g id="x"><text y="15">{marker}</text></g>'
        f'<linearGradient id="g"><stop offset="0" stop-color="red"/></linearGradient></svg>',
        encoding="utf-8",
    )
    (folder / "secret.md").write_text(f"# Secret Chapter\n\n{marker}\n", encoding="utf-8")


# --- the escape routes -------------------------------------------------------------------------


@dataclass(frozen=True)
class Refs:
    """How a route's chapter (or SVG file, which sits beside it) names the route's secrets."""

    url: str  # file:// URL of the route's outside folder
    path: str  # its absolute path
    rel: str  # its path relative to the content folder
    link: str  # a symlink inside the content folder to the outside secret.png
    folder: str  # a symlink inside the content folder to the outside folder
    http: str  # http://127.0.0.1:PORT/<route> on the counting server

    @property
    def data_svg(self) -> str:
        """A data: URL (which the PDF renderer may load) of an SVG naming the outside PNG."""
        inner = f'<svg {SVG_NS} width="4" height="4"><image href="{self.url}/secret.png"/></svg>'
        return "data:image/svg+xml;base64," + base64.b64encode(inner.encode()).decode()


@dataclass(frozen=True)
class Route:
    id: str
    body: str  # the chapter's Markdown after its title; str.format()ed with a Refs
    report: str | None = None  # a fragment of the warning that names the route, if any
    where: str = ""  # what that warning line names; default: the chapter file
    svg: str | None = None  # content/<id>.svg, the drawing the chapter shows (format()ed)
    network: bool = False

    def chapter(self, refs: Refs) -> str:
        return f"# Route {self.id}\n\n{self.body.format(**vars(refs), id=self.id)}\n"

    def drawing(self, refs: Refs) -> str | None:
        if self.svg is None:
            return None
        return self.svg.format(**vars(refs), data_svg=refs.data_svg, ns=SVG_NS)

    @property
    def reported_in(self) -> str:
        return self.where or f"/{self.id}.md"


def svg_route(
    route_id: str, drawing: str, report: str | None, where: str = "", network: bool = False
) -> Route:
    """A route through an SVG file inside the content folder: allowed itself, but it names
    outside files or addresses."""
    return Route(
        route_id,
        f"![A diagram]({route_id}.svg)",
        report,
        where,
        svg=f'<svg {{ns}} width="10" height="10">{drawing}<rect width="5" height="5"/></svg>',
        network=network,
    )


NO_ADDRESS = "has no address"  # the sanitiser removed a javascript:/file: URL
NOT_A_CHAPTER = "points to no chapter"
OUTSIDE = "lies outside the content folder"
ABSOLUTE = "is an absolute path"
NOT_LOCAL = "is not a local file"
LINKS_OUT = "links to another file"  # the SVG check at conversion
STYLES_OUT = "loads another file from its styles"
REFUSED = "renderer was refused"  # the PDF renderer's sandbox; names the URL, not the chapter

ROUTES: tuple[Route, ...] = (
    # 1. <link rel=attachment>: WeasyPrint would embed the file in the PDF.
    Route("link-attachment-file-url", '<link rel="attachment" href="{url}/secret.txt">'),
    Route("link-attachment-relative", '<link rel="attachment" href="{rel}/secret.txt">'),
    Route("link-attachment-absolute", '<link rel="attachment" href="{path}/secret.txt">'),
    Route("link-attachment-etc-hostname", '<link rel="attachment" href="file:///etc/hostname">'),
    # 2. <a rel=attachment>: WeasyPrint embeds a[rel~=attachment] targets too.
    Route(
        "a-attachment-file-url",
        '<a rel="attachment" href="{url}/secret.txt">attached</a>',
        NO_ADDRESS,
    ),
    Route(
        "a-attachment-relative",
        '<a rel="attachment" href="{rel}/secret.txt">attached</a>',
        NOT_A_CHAPTER,
    ),
    # 3. Images, Markdown and raw HTML.
    Route("md-image-file-url", "![s]({url}/secret.png)", NO_ADDRESS),
    Route("md-image-absolute", "![s]({path}/secret.png)", ABSOLUTE),
    Route("md-image-relative", "![s]({rel}/secret.png)", OUTSIDE),
    Route("md-image-symlink", "![s]({link})", OUTSIDE),
    Route("md-image-folder-symlink", "![s]({folder}/secret.png)", OUTSIDE),
    Route("md-image-percent-encoded", "![s](%2E%2E/%2E%2E/outside/{id}/secret.png)", OUTSIDE),
    Route("img-file-url", '<img alt="s" src="{url}/secret.png">', NO_ADDRESS),
    Route("img-absolute", '<img alt="s" src="{path}/secret.png">', ABSOLUTE),
    Route("img-relative", '<img alt="s" src="{rel}/secret.png">', OUTSIDE),
    Route("img-symlink", '<img alt="s" src="{link}">', OUTSIDE),
    Route("media-elements", '<video src="{url}/secret.png" poster="{url}/secret.png"></video>'),
    Route("input-image", '<p><input type="image" alt="s" src="{url}/secret.png"></p>'),
    # 4. Style attributes (table cells may keep text-align; nothing else of a style survives).
    Route("style-attr-file-url", '<p style="background: url({url}/secret.png)">styled</p>'),
    Route("style-attr-relative", "<div style=\"background-image:url('{rel}/secret.png')\">x</div>"),
    Route("style-attr-content", '<p><span style="content: url({url}/secret.png)">x</span></p>'),
    Route(
        "style-attr-table-cell",
        '<table><tr><td style="text-align: center; background: url({url}/secret.png)">'
        "cell</td></tr></table>",
    ),
    # 5. Style sheets.
    Route(
        "style-element-import",
        '<style>@import url("{url}/secret.css"); body{{background:url({url}/secret.png)}}</style>',
    ),
    Route("link-stylesheet", '<link rel="stylesheet" href="{url}/secret.css">'),
    # 6. Embedding elements, inline SVG, <base>.
    Route("object-data", '<object data="{url}/secret.png" type="image/png"></object>'),
    Route("embed-src", '<embed src="{url}/secret.png" type="image/png">'),
    Route("iframe-src", '<iframe src="{url}/secret.txt"></iframe>'),
    Route(
        "inline-svg-image",
        '<svg width="10" height="10"><image href="{url}/secret.png" width="4" height="4"/></svg>',
    ),
    Route("base-href", '<base href="{url}/">\n\n<img alt="s" src="secret.png">', "does not exist"),
    # 7. An SVG file inside the content folder that names outside files.
    svg_route("svg-file-image-file-url", '<image href="{url}/secret.png"/>', LINKS_OUT),
    svg_route("svg-file-image-relative", '<image href="{rel}/secret.png"/>', LINKS_OUT),
    svg_route("svg-file-xlink-href", '<image xlink:href="{url}/secret.png"/>', LINKS_OUT),
    svg_route("svg-file-use-href", '<use href="{url}/secret.svg#x"/>', LINKS_OUT),
    svg_route("svg-file-css-import", "<style>@import url({url}/secret.css);</style>", STYLES_OUT),
    svg_route("svg-file-fill-url", '<rect style="fill: url({url}/secret.svg#g)"/>', STYLES_OUT),
    # Presentation attributes and CSS escapes: styles are checked as tokenised CSS.
    svg_route(
        "svg-file-fill-attribute",
        '<rect fill="url({url}/secret.svg#g)" filter="url({url}/secret.svg#f)"/>',
        STYLES_OUT,
    ),
    svg_route(
        "svg-file-css-escaped-url",
        "<style>rect {{ fill: \\75rl({url}/secret.svg#g) }}</style>",
        STYLES_OUT,
    ),
    # A data: SVG could name other files in turn: only embedded PNG, JPEG and GIF pass.
    svg_route(
        "svg-file-nested-data-svg",
        '<image href="{data_svg}"/>',
        "links to another file ('data:image/svg+xml",
    ),
    # An XML external entity: refused before any parser could be asked to resolve it.
    Route(
        "svg-file-external-entity",
        "![A diagram](svg-file-external-entity.svg)",
        "declares entities (which could read other files)",
        svg='<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY secret SYSTEM "{url}/secret.txt">]>\n'
        '<svg {ns} width="300" height="20"><text y="15">&secret;</text></svg>',
    ),
    # 8. Links.
    Route("md-link-file-url", "[secret]({url}/secret.txt)", NO_ADDRESS),
    Route("md-link-javascript", "[run](javascript:alert(1))", NO_ADDRESS),
    Route("md-link-relative", "[secret]({rel}/secret.txt)", NOT_A_CHAPTER),
    Route("a-href-file-url", '<a href="{url}/secret.txt">secret</a>', NO_ADDRESS),
    Route("md-autolink-file-url", "<{url}/secret.txt>", NO_ADDRESS),
    # 10. The network.
    Route("net-md-image", "![r]({http}/x.png)", NOT_LOCAL, network=True),
    Route("net-img", '<img alt="r" src="{http}/x.png">', NOT_LOCAL, network=True),
    Route("net-link-stylesheet", '<link rel="stylesheet" href="{http}/x.css">', network=True),
    Route("net-style-attr", '<p style="background:url({http}/x.png)">styled</p>', network=True),
    Route("net-style-import", '<style>@import url("{http}/x.css");</style>', network=True),
    Route("net-link-attachment", '<link rel="attachment" href="{http}/x.bin">', network=True),
    Route("net-a-attachment", '<a rel="attachment" href="{http}/x.bin">file</a>', network=True),
    Route("net-md-link", "[a page]({http}/page)", network=True),
    svg_route("net-svg-file-image", '<image href="{http}/y.png"/>', LINKS_OUT, network=True),
)
FILE_ROUTES = [pytest.param(r, id=r.id) for r in ROUTES if not r.network]
NETWORK_ROUTES = [pytest.param(r, id=r.id) for r in ROUTES if r.network]
REPORTED_ROUTES = [pytest.param(r, id=r.id) for r in ROUTES if r.report]


# --- scanning the outputs ----------------------------------------------------------------------


@dataclass
class Outputs:
    """Everything the outputs hold, by where it was found."""

    blobs: dict[str, bytes] = field(default_factory=dict)  # raw and decoded bytes, names
    texts: dict[str, str] = field(default_factory=dict)  # text a PDF viewer would show

    def where(self, marker: str) -> list[str]:
        """Where the marker turns up, as itself, UTF-16 or hex, or (in shown text) with the
        hyphens and line breaks of justified text squeezed out."""
        assert SHARED_CORE in marker, "only markers holding the shared core are looked for"
        needles = _encodings(marker)
        found = [name for name, blob in self._suspects() if any(n in blob for n in needles)]
        squeezed = _squeeze(marker)
        found += [name for name, text in self.texts.items() if squeezed in _squeeze(text)]
        return found

    def _suspects(self) -> list[tuple[str, bytes]]:
        """The blobs holding the marker's shared core at all (the fonts are large)."""
        core = _encodings(SHARED_CORE)
        return [(name, blob) for name, blob in self.blobs.items() if any(c in blob for c in core)]


def _encodings(text: str) -> tuple[bytes, ...]:
    ascii_, utf16 = text.encode("ascii"), text.encode("utf-16-be")
    return (
        ascii_,
        utf16,
        ascii_.hex().encode(),
        ascii_.hex().upper().encode(),
        utf16.hex().encode(),
        utf16.hex().upper().encode(),
    )


def _squeeze(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "", text)


def output_bytes(path: Path) -> Outputs:
    """What one output (a .pdf, an .epub, or the HTML folder) could leak through."""
    if path.is_dir():
        return _folder_outputs(path)
    if path.suffix == ".pdf":
        return _pdf_outputs(path)
    if path.suffix == ".epub":
        return _epub_outputs(path)
    return Outputs({path.name: path.read_bytes()})


def _pdf_outputs(path: Path) -> Outputs:
    reader = PdfReader(path)
    out = Outputs({"pdf file": path.read_bytes()})
    size = reader.trailer["/Size"]
    assert isinstance(size, int)
    for number in range(1, size):
        obj = reader.get_object(number)
        if isinstance(obj, StreamObject):
            out.blobs[f"pdf object {number}"] = obj.get_data()
    for name, contents in reader.attachments.items():
        for index, data in enumerate(contents):
            out.blobs[f"pdf attachment {name} #{index}"] = name.encode() + b"\n" + data
    for index, page in enumerate(reader.pages):
        out.texts[f"pdf page {index + 1} text"] = page.extract_text()
    return out


def _epub_outputs(path: Path) -> Outputs:
    with zipfile.ZipFile(path) as epub:
        return Outputs({f"epub {n}": n.encode() + b"\n" + epub.read(n) for n in epub.namelist()})


def _folder_outputs(folder: Path) -> Outputs:
    return Outputs(
        {
            f"html {p.relative_to(folder)}": str(p.relative_to(folder)).encode()
            + b"\n"
            + p.read_bytes()
            for p in sorted(folder.rglob("*"))
            if p.is_file()
        }
    )


def scan(out: Path) -> Outputs:
    """The three outputs of a build into `out`, merged."""
    merged = Outputs()
    for output in (out / "book.pdf", out / "book.epub", out / "book"):
        if output.exists():
            part = output_bytes(output)
            merged.blobs.update(part.blobs)
            merged.texts.update(part.texts)
    return merged


def _digests(folder: Path) -> set[str]:
    """SHA-256 of every regular file inside the folder (symlinks leading out are not)."""
    root = folder.resolve()
    return {
        hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.rglob("*")
        if p.is_file() and p.resolve().is_relative_to(root)
    }


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _clean_svg_digests(folder: Path) -> set[str]:
    """SHA-256 of the sanitised copy of every SVG inside the folder: what the outputs carry
    (the sanitiser only removes, so a copy can hold nothing the file did not)."""
    found = set()
    for path in folder.rglob("*.svg"):
        try:
            data = inspect_image(path.read_bytes()).data
        except ImageProblem:
            continue
        if data is not None:
            found.add(_digest(data))
    return found


# --- the counting HTTP server ------------------------------------------------------------------


@dataclass
class Server:
    port: int
    connections: list[str]  # peer of every accepted connection
    requests: list[str]  # path of every HTTP request

    def base(self, route: str) -> str:
        return f"http://127.0.0.1:{self.port}/{route}"


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes = b""


@contextmanager
def counting_server(replies: dict[str, Reply] | None = None) -> Iterator[Server]:
    """An HTTP server on a free local port that records every connection and request and
    answers 404 except for the paths in `replies`."""
    connections: list[str] = []
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            reply = (replies or {}).get(self.path)
            if reply is None:
                self.send_error(404)
                return
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)

        do_HEAD = do_POST = do_GET

        def log_message(self, format: str, *args: Any) -> None:
            pass

    class CountingServer(http.server.ThreadingHTTPServer):
        def verify_request(self, request: Any, client_address: Any) -> bool:
            connections.append(str(client_address))
            return True

    httpd = CountingServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield Server(httpd.server_address[1], connections, requests)
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with counting_server() as running:
        yield running


# --- the builds --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Build:
    root: Path  # tmp folder holding outside/ and project/
    content: Path
    out: Path
    code: int
    stderr: str

    @property
    def pdf(self) -> Path:
        return self.out / "book.pdf"

    @property
    def epub(self) -> Path:
        return self.out / "book.epub"

    @property
    def html(self) -> Path:
        return self.out / "book"


def new_project(root: Path) -> Path:
    """project/content/ with one ordinary exercise chapter; returns the content folder."""
    content = root / "project" / "content"
    (content / "exercises").mkdir(parents=True)
    (content / "exercises" / "bodyweight-squat.md").write_text(ORDINARY_CHAPTER, encoding="utf-8")
    return content


def build(root: Path, content: Path, *extra: object) -> Build:
    out = root / "project" / "out"
    code, _, stderr = run_cli(
        "build", "--content", content, "--out", out, "--format", FORMATS, *extra
    )
    return Build(root, content, out, code, stderr)


# The tests on this build (PDF, EPUB and HTML of every route, then scanned: seconds) are slow.
@pytest.fixture(scope="module")
def escapes(tmp_path_factory: pytest.TempPathFactory, server: Server) -> Build:
    """One book: the ordinary chapter, the control chapter and one chapter per route."""
    root = tmp_path_factory.mktemp("sandbox")
    content = new_project(root)
    (content / "control.md").write_text(
        f"# Control Chapter\n\n{CONTROL}\n\n![The control image](control.png)\n", encoding="utf-8"
    )
    write_marked_png(content / "control.png", CONTROL)
    for route in ROUTES:
        outside = root / "outside" / route.id
        write_secrets(outside, canary(route.id))
        refs = Refs(
            url=outside.as_uri(),
            path=str(outside),
            rel=f"../../outside/{route.id}",
            link=f"{route.id}-link.png",
            folder=f"{route.id}-folder",
            http=server.base(route.id),
        )
        # Symlinks only where the route uses them: a linked folder holds secret.md too.
        if "{link}" in route.body:
            (content / refs.link).symlink_to(outside / "secret.png")
        if "{folder}" in route.body:
            (content / refs.folder).symlink_to(outside, target_is_directory=True)
        (content / f"{route.id}.md").write_text(route.chapter(refs), encoding="utf-8")
        drawing = route.drawing(refs)
        if drawing is not None:
            (content / f"{route.id}.svg").write_text(drawing, encoding="utf-8")
    built = build(root, content)
    assert built.code == 0, f"the build failed; refusals should only warn:\n{built.stderr}"
    return built


@pytest.fixture(scope="module")
def scanned(escapes: Build) -> Outputs:
    return scan(escapes.out)


# --- the detector works ------------------------------------------------------------------------


@pytest.mark.slow
def test_the_scanner_finds_the_control_marker_in_text_and_pixels(scanned: Outputs) -> None:
    found = scanned.where(CONTROL)
    assert any(w.startswith("pdf page") for w in found), "control text not seen in the PDF"
    assert any(w.startswith("pdf object") for w in found), "control pixels not seen in the PDF"
    assert "epub EPUB/control.xhtml" in found
    assert "epub EPUB/images/control-control.png" in found
    assert "html index.html" in found
    assert "html images/control-control.png" in found


@pytest.mark.slow
def test_the_scanner_finds_a_canary_in_an_outside_file(escapes: Build) -> None:
    outside = escapes.root / "outside" / "md-image-relative"
    marker = canary("md-image-relative")
    for name in ("secret.txt", "secret.png", "secret.css", "secret.svg"):
        assert output_bytes(outside / name).where(marker), name


# --- per route: no canary, the expected warning ------------------------------------------------


@pytest.mark.slow
def test_the_build_succeeds_with_every_route_in_it(escapes: Build) -> None:
    assert escapes.code == 0
    assert escapes.pdf.is_file() and escapes.epub.is_file() and escapes.html.is_dir()


@pytest.mark.slow
def test_every_route_reached_the_pdf(scanned: Outputs) -> None:
    """No route's markup swallowed the chapters after it, hiding them from the renderer."""
    shown = _squeeze("".join(scanned.texts.values()))
    assert [r.id for r in ROUTES if _squeeze(f"Route {r.id}") not in shown] == []


@pytest.mark.slow
@pytest.mark.parametrize("route", FILE_ROUTES)
def test_route_leaks_no_outside_file(route: Route, scanned: Outputs) -> None:
    assert scanned.where(canary(route.id)) == []


@pytest.mark.slow
@pytest.mark.parametrize("route", REPORTED_ROUTES)
def test_route_is_reported(route: Route, escapes: Build) -> None:
    assert route.report is not None
    lines = [
        line
        for line in escapes.stderr.splitlines()
        if "warning:" in line and route.reported_in in line and route.report in line
    ]
    assert lines, f"no warning naming {route.reported_in!r} with {route.report!r}"


@pytest.mark.slow
def test_no_outside_canary_at_all(scanned: Outputs) -> None:
    """Catch-all: no canary of any route, under any name, anywhere."""
    assert scanned.where(CANARY_STEM) == []


# --- the network -------------------------------------------------------------------------------


@pytest.mark.slow
def test_the_build_made_no_network_connection(escapes: Build, server: Server) -> None:
    assert server.connections == []
    assert server.requests == []


@pytest.mark.slow
@pytest.mark.parametrize("route", NETWORK_ROUTES)
def test_route_fetches_nothing(route: Route, escapes: Build, server: Server) -> None:
    assert [path for path in server.requests if path.startswith(f"/{route.id}/")] == []


def test_the_counting_server_does_count() -> None:
    """Control for the two tests above: a real request is seen."""
    with (
        counting_server() as control,
        socket.create_connection(("127.0.0.1", control.port)) as sock,
    ):
        sock.sendall(b"GET /control/x.png HTTP/1.0\r\n\r\n")
        sock.recv(1024)
    assert len(control.connections) == 1
    assert control.requests == ["/control/x.png"]


# --- what the outputs may link to and hold -----------------------------------------------------

FORBIDDEN_SCHEMES = ("file:", "javascript:")


def pdf_link_actions(pdf: Path) -> list[tuple[str, str]]:
    """(action type, URI) of every annotation action in the PDF ('' where not a URI)."""
    actions = []
    for page in PdfReader(pdf).pages:
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            action = annot.get("/A")
            if action is not None:
                action = action.get_object()
                actions.append((str(action.get("/S")), str(action.get("/URI", ""))))
    return actions


def pdf_annotation_subtypes(pdf: Path) -> set[str]:
    return {
        str(ref.get_object().get("/Subtype"))
        for page in PdfReader(pdf).pages
        for ref in page.get("/Annots") or []
    }


def document_attribute_values(documents: dict[str, bytes]) -> list[str]:
    """Every attribute value of every (X)HTML, OPF or NCX document given."""
    values = []
    for name, data in documents.items():
        parse = lxml_html.document_fromstring if name.endswith(".html") else etree.fromstring
        root = parse(data)
        values += [v for el in root.iter() if isinstance(el.tag, str) for v in el.attrib.values()]
    return values


def epub_documents(epub: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(epub) as z:
        return {n: z.read(n) for n in z.namelist() if n.endswith((".xhtml", ".opf", ".ncx"))}


@pytest.mark.slow
def test_the_pdf_has_no_attachment(escapes: Build, scanned: Outputs) -> None:
    reader = PdfReader(escapes.pdf)
    assert dict(reader.attachments) == {}
    names = reader.root_object.get("/Names")
    names = names.get_object() if names is not None else DictionaryObject()
    assert isinstance(names, DictionaryObject)
    assert "/EmbeddedFiles" not in names
    assert "/FileAttachment" not in pdf_annotation_subtypes(escapes.pdf)
    # Nor, anywhere in the file (object streams included), an embedded file or file spec.
    pdf_blobs = [blob for name, blob in scanned.blobs.items() if name.startswith("pdf")]
    for token in (b"/EmbeddedFile", b"/Filespec", b"/FileAttachment", b"/Launch", b"/GoToR"):
        assert not any(token in blob for blob in pdf_blobs), token


@pytest.mark.slow
def test_the_pdf_links_only_to_the_web_and_itself(escapes: Build, server: Server) -> None:
    actions = pdf_link_actions(escapes.pdf)
    assert {kind for kind, _uri in actions} <= {"/URI", "/GoTo"}
    uris = [uri for _kind, uri in actions if uri]
    assert [u for u in uris if u.strip().lower().startswith(FORBIDDEN_SCHEMES)] == []
    # Control: the plain web link of net-md-link is seen, so links are being read.
    assert f"{server.base('net-md-link')}/page" in uris


@pytest.mark.slow
def test_the_epub_and_html_link_to_no_file_or_script(escapes: Build, server: Server) -> None:
    documents = epub_documents(escapes.epub)
    documents["index.html"] = (escapes.html / "index.html").read_bytes()
    values = document_attribute_values(documents)
    assert [v for v in values if any(s in v.lower() for s in FORBIDDEN_SCHEMES)] == []
    assert values.count(f"{server.base('net-md-link')}/page") == 2  # control: EPUB and HTML


@pytest.mark.slow
def test_the_epub_holds_only_the_books_own_files(escapes: Build) -> None:
    slugs = {"bodyweight-squat", "control", *(r.id for r in ROUTES)}
    structure = {
        "mimetype",
        "META-INF/container.xml",
        "EPUB/content.opf",
        "EPUB/toc.ncx",
        "EPUB/nav.xhtml",
        "EPUB/css/book.css",
        "EPUB/cover.xhtml",
        "EPUB/titlepage.xhtml",
        "EPUB/book_index.xhtml",  # the back-of-book indexes, made from the metadata
        "EPUB/images/cover.jpg",  # drawn by guidebook
        *(f"EPUB/{name}" for name, _font in MARKS_FONTS),  # cut from the shipped Inter
        *(f"EPUB/{slug}.xhtml" for slug in slugs),
    }
    content = _digests(escapes.content) | _clean_svg_digests(escapes.content)
    with zipfile.ZipFile(escapes.epub) as epub:
        foreign = [
            name
            for name in epub.namelist()
            if name not in structure
            and not (name.startswith("EPUB/images/") and _digest(epub.read(name)) in content)
        ]
    assert foreign == []


@pytest.mark.slow
def test_the_html_folder_holds_only_the_books_own_files(escapes: Build) -> None:
    content, builtin = _digests(escapes.content), _digests(builtin_assets())
    content |= _clean_svg_digests(escapes.content)
    foreign = []
    for path in sorted(escapes.html.rglob("*")):
        name = path.relative_to(escapes.html).as_posix()
        if path.is_dir() or name == "index.html":
            continue
        if name == HTML_MARKER:  # the builder's own marker, a fixed sentence
            assert path.read_text(encoding="utf-8") == MARKER_TEXT
            continue
        allowed = content if name.startswith("images/") else builtin
        if _digest(path.read_bytes()) not in allowed:
            foreign.append(name)
    assert foreign == []


@pytest.mark.slow
def test_etc_hostname_is_in_no_output(scanned: Outputs) -> None:
    """link-attachment-etc-hostname names the file the issue names; its content must not show."""
    try:
        hostname = Path("/etc/hostname").read_text(encoding="utf-8").strip()
    except (OSError, UnicodeError):
        pytest.skip("no readable /etc/hostname")
    if len(hostname) < 4 or not hostname.isascii():
        pytest.skip(f"/etc/hostname ({hostname!r}) is too short to recognise in the outputs")
    text_outputs = {
        name: blob
        for name, blob in scanned.blobs.items()
        if name == "pdf file" or name.endswith((".xhtml", ".opf", ".ncx", ".html"))
    }
    assert [name for name, blob in text_outputs.items() if hostname.encode() in blob] == []
    assert [name for name, text in scanned.texts.items() if hostname in text] == []


# --- routes that need a book of their own ------------------------------------------------------


def test_a_chapter_symlinked_to_an_outside_file_is_not_read(tmp_path: Path) -> None:
    content = new_project(tmp_path)
    write_secrets(tmp_path / "outside" / "chapter", canary("chapter-symlink"))
    (content / "borrowed.md").symlink_to(tmp_path / "outside" / "chapter" / "secret.md")
    built = build(tmp_path, content)
    assert built.code == 1
    assert (
        "borrowed.md: error: is a link to a file outside the content folder; copy the chapter "
        "into the folder instead"
    ) in built.stderr
    assert scan(built.out).where(canary("chapter-symlink")) == []


@pytest.mark.slow
def test_a_folder_symlinked_to_an_outside_folder_is_not_read(tmp_path: Path) -> None:
    content = new_project(tmp_path)
    write_secrets(tmp_path / "outside" / "folder", canary("folder-symlink"))
    (content / "borrowed").symlink_to(tmp_path / "outside" / "folder", target_is_directory=True)
    built = build(tmp_path, content)
    assert built.code == 0, built.stderr
    assert scan(built.out).where(canary("folder-symlink")) == []


@pytest.mark.parametrize(
    ("cover", "problem"),
    [
        pytest.param("../outside/cover/secret.png", "lies outside the project", id="relative"),
        pytest.param("{root}/outside/cover/secret.png", "lies outside the project", id="absolute"),
        pytest.param("cover.png", "lies outside the project", id="symlink-in-project"),
        pytest.param("../outside/cover/secret.txt", "lies outside the project", id="text-file"),
        pytest.param("notes.txt", "is not a readable image", id="not-an-image"),
    ],
)
def test_a_cover_outside_the_project_is_not_read(tmp_path: Path, cover: str, problem: str) -> None:
    content = new_project(tmp_path)
    write_secrets(tmp_path / "outside" / "cover", canary("cover"))
    project = content.parent
    (project / "cover.png").symlink_to(tmp_path / "outside" / "cover" / "secret.png")
    (project / "notes.txt").write_text(canary("cover"), encoding="utf-8")
    (project / "book.yml").write_text(
        f"title: Sandbox\ncover: {cover.format(root=tmp_path)}\n", encoding="utf-8"
    )
    built = build(tmp_path, content)
    assert built.code == 1
    (line,) = [ln for ln in built.stderr.splitlines() if ": error: " in ln]
    named = cover.format(root=tmp_path)
    assert f"/project/book.yml:2: error: book file: cover: '{named}' {problem}" in line
    assert scan(built.out).where(canary("cover")) == []


@pytest.mark.slow
def test_allowed_remote_images_are_the_only_download_and_cannot_redirect_to_files(
    tmp_path: Path,
) -> None:
    """With --allow-remote-images the user opts in to downloading http(s) images; nothing
    else is fetched, and a server's redirect to a file:// URL reads no file."""
    content = new_project(tmp_path)
    outside = tmp_path / "outside" / "remote"
    write_secrets(outside, canary("remote-redirect"))
    image = io.BytesIO()
    Image.new("RGB", (600, 20), (0, 90, 200)).save(image, format="PNG")
    replies = {
        "/remote/ok.png": Reply(200, {"Content-Type": "image/png"}, image.getvalue()),
        "/remote/redirect.png": Reply(302, {"Location": (outside / "secret.png").as_uri()}),
    }
    with counting_server(replies) as remote:
        web = remote.base("remote")
        (content / "remote.md").write_text(
            f"# Remote Images\n\n![ok]({web}/ok.png)\n\n![moved]({web}/redirect.png)\n\n"
            f'<link rel="stylesheet" href="{web}/x.css">\n\n'
            f'<p style="background:url({web}/bg.png)">styled</p>\n\n![A diagram](remote.svg)\n',
            encoding="utf-8",
        )
        (content / "remote.svg").write_text(
            f'<svg {SVG_NS} width="10" height="10"><image href="{web}/y.png"/></svg>',
            encoding="utf-8",
        )
        built = build(tmp_path, content, "--allow-remote-images")
    assert built.code == 0, built.stderr
    assert sorted(remote.requests) == ["/remote/ok.png", "/remote/redirect.png"]
    assert any(
        "remote.md" in line and "redirect.png" in line and "could not be downloaded" in line
        for line in built.stderr.splitlines()
    ), built.stderr
    assert scan(built.out).where(canary("remote-redirect")) == []
    with zipfile.ZipFile(built.epub) as epub:  # control: the allowed image did arrive
        assert image.getvalue() in [epub.read(n) for n in epub.namelist()]
