"""Hostile SVG files and remote images (issue 8, section 8).

SVG: whatever a drawing tries (CSS escapes, processing instructions, remote
references in any element, scripts in any namespace or casing, event handlers, entities, and
`<use>` bombs), the build ends with one clear line, the EPUB carries no reference to another
file or address, and nothing outside --out changes.

The outputs are checked on their bytes: every SVG the EPUB holds is parsed and every attribute
value, style sheet and processing instruction is looked at, rather than trusting a warning.

Remote images (--allow-remote-images): a server that trickles its answer is cut off at one
deadline per image, not per read.
"""

from __future__ import annotations

import base64
import http.server
import io
import re
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import epubcheck_messages, run_cli, slow_except, warning_lines
from lxml import etree
from PIL import Image

from guidebook.convert import remote

SVG_OPEN = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
    'width="40" height="40">'
)
KEPT = '<rect id="kept" x="1" y="1" width="7" height="7" fill="#123456"/>'
CARRIES = "; the book carries the drawing without them"
LOADS = "loads another file from its styles"
LINKS = "links to another file"


def png_data_url() -> str:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(out, "PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def project(tmp_path: Path, svg: str) -> Path:
    content = tmp_path / "proj" / "content"
    content.mkdir(parents=True)
    (content / "chapter.md").write_text(
        "# Drawing\n\n![A diagram](drawing.svg)\n\nText after.\n", encoding="utf-8"
    )
    (content / "drawing.svg").write_text(svg, encoding="utf-8")
    return content


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def build(content: Path, formats: str = "epub", *options: str) -> tuple[int, str, Path]:
    out = content.parent / "out"
    before = tree(content.parent)
    code, _out, err = run_cli(
        "build", "--content", content, "--out", out, "--format", formats, *options
    )
    assert "Traceback" not in err
    after = {k: v for k, v in tree(content.parent).items() if not k.startswith("out/")}
    assert after == before, "something outside --out changed"
    return code, err, out


def epub_svgs(epub: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(epub) as zf:
        return {n: zf.read(n) for n in zf.namelist() if n.endswith(".svg")}


# What may appear as a reference in a carried drawing: a fragment, or an embedded PNG/JPEG/GIF.
SAFE_REFERENCE = re.compile(r"#[^\s]+|data:image/(png|jpeg|gif);base64,[A-Za-z0-9+/=\s]*")


def assert_references_nothing(svg: bytes) -> None:
    """The drawing names no file, address or script in any form an EPUB reader might follow."""
    assert b"<!DOCTYPE" not in svg and b"<!ENTITY" not in svg
    root = etree.fromstring(svg, etree.XMLParser(resolve_entities=False, no_network=True))
    assert [n for n in root.itersiblings(preceding=True)] == []  # no <?xml-stylesheet?>
    for node in root.iter():
        assert isinstance(node.tag, str), f"non-element node {node!r}"
        assert node.tag.startswith("{http://www.w3.org/2000/svg}"), node.tag
        assert etree.QName(node).localname not in ("script", "foreignObject", "set", "animate")
        texts = [node.text or ""]
        for name, value in node.attrib.items():
            local = etree.QName(name).localname
            assert not local.lower().startswith("on"), f"handler {name}"
            if local == "href":
                assert SAFE_REFERENCE.fullmatch(value.strip()), f"href {value!r}"
            texts.append(value)
        for text in texts:
            lowered = text.lower()
            assert "javascript:" not in lowered and "://" not in lowered, text
            assert "@import" not in lowered and "\\" not in text, text
            for url in re.findall(r"url\(\s*['\"]?([^)'\"]*)", text):
                assert url.startswith("#"), f"url({url})"


# --- removed, the rest kept --------------------------------------------------------------------

CLEANED = [
    # CSS escapes: tinycss2 resolves them before anything is checked.
    ("<style>rect { fill: \\75 rl(http://evil.test/x.svg#g) }</style>", LOADS),
    ("<style>rect { fill: u\\72l(http://evil.test/x.svg#g) }</style>", LOADS),
    ("<style>rect { fill: \\000075rl( 'http://evil.test/x.svg#g' ) }</style>", LOADS),
    ('<style>@\\69mport "http://evil.test/x.css";</style>', f"{LOADS} ('@import')"),
    ("<style>@import url(http://evil.test/x.css);</style>", f"{LOADS} ('@import')"),
    ('<style>rect { fill: url("http://evil.test/x.svg#g") }</style>', LOADS),
    ("<style>rect { fill: image-set('http://evil.test/x.png' 1x) }</style>", "uses a style"),
    ("<style>@font-face { font-family: x; src: url(/etc/passwd) }</style>", "uses a style"),
    ('<rect style="fill: url(http://evil.test/x.svg#g)" width="3" height="3"/>', LOADS),
    ('<rect style="fill: \\75rl(file:///etc/passwd)" width="3" height="3"/>', LOADS),
    ('<rect fill="url(//evil.test/x.svg#g)" width="3" height="3"/>', LOADS),
    ('<rect filter="u\\72l(http://evil.test/f.svg#f)" width="3" height="3"/>', LOADS),
    # Remote and file references in every element that takes one.
    ('<use href="http://evil.test/s.svg#x"/>', f"{LINKS} ('http://evil.test/s.svg#x')"),
    ('<use xlink:href="file:///etc/passwd#x"/>', f"{LINKS} ('file:///etc/passwd#x')"),
    ('<image href="https://evil.test/i.png" width="4" height="4"/>', LINKS),
    ('<image xlink:href="../../secret.png" width="4" height="4"/>', LINKS),
    ('<image href="data:image/svg+xml;base64,PHN2Zy8+" width="4" height="4"/>', LINKS),
    ('<pattern id="p" href="http://evil.test/p.svg#p"/>', LINKS),
    ('<linearGradient id="g" xlink:href="http://evil.test/g.svg#g"/>', LINKS),
    ('<filter id="f"><feImage href="http://evil.test/i.png"/></filter>', LINKS),
    ('<text><textPath href="http://evil.test/p.svg#p">x</textPath></text>', LINKS),
    # Scripts in other namespaces and casings, handlers, links, animation.
    ("<script>alert(1)</script>", "contains <script>"),
    ("<SCRIPT>alert(1)</SCRIPT>", "contains <SCRIPT>"),
    ('<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script>', "contains <h:script>"),
    (
        '<foreignObject><iframe xmlns="http://www.w3.org/1999/xhtml" '
        'src="http://evil.test/"/></foreignObject>',
        "contains <foreignObject>",
    ),
    ('<rect onload="alert(1)" width="3" height="3"/>', "has a script handler (onload=...)"),
    ('<g OnClick="alert(1)"><rect width="3" height="3"/></g>', "has a script handler (OnClick"),
    ('<a href="javascript:alert(1)"><rect width="3" height="3"/></a>', "has a link ('javascript"),
    ('<a xlink:href=" JaVaScRiPt:alert(1)"><text>x</text></a>', "has a link ('JaVaScRiPt"),
    ('<set attributeName="href" to="javascript:alert(1)"/>', "contains <set>"),
    ('<animate attributeName="fill" values="url(http://evil.test/)"/>', "contains <animate>"),
    (
        '<rect xml:base="http://evil.test/" width="3" height="3"/>',
        "has an attribute a book cannot carry (xml:base)",
    ),
]


# An EPUB build each: in the inner loop one of each kind (a CSS escape, an escaped @import, a
# style function, a style attribute, a remote <use>, an SVG as data, <script>, a script in another
# namespace, a handler, a javascript: link, <set>, xml:base); every one with the whole suite.
INNER_LOOP_CLEANED = [CLEANED[i][0] for i in (0, 3, 6, 8, 12, 16, 21, 23, 25, 27, 29, 31)]


@pytest.mark.parametrize(("drawing", "removed"), slow_except(CLEANED, *INNER_LOOP_CLEANED))
def test_what_could_load_or_run_is_removed_and_the_drawing_kept(
    tmp_path: Path, drawing: str, removed: str
) -> None:
    content = project(tmp_path, f"{SVG_OPEN}{drawing}{KEPT}</svg>")
    code, err, out = build(content)
    assert code == 0, err
    (line,) = warning_lines(err)
    assert line.startswith(f"{content / 'chapter.md'}:3: warning: image 'drawing.svg' {removed}")
    assert line.endswith(CARRIES)
    ((_name, svg),) = epub_svgs(out / "book.epub").items()
    assert_references_nothing(svg)
    assert b'id="kept"' in svg and b'fill="#123456"' in svg


def test_a_stylesheet_processing_instruction_is_removed(tmp_path: Path) -> None:
    content = project(
        tmp_path,
        '<?xml version="1.0"?>\n<?xml-stylesheet type="text/css" href="http://evil.test/s.css"?>'
        f"\n{SVG_OPEN}{KEPT}</svg>",
    )
    code, err, out = build(content)
    assert code == 0
    assert warning_lines(err) == [
        f"{content / 'chapter.md'}:3: warning: image 'drawing.svg' has a processing instruction "
        f"(<?xml-stylesheet?>){CARRIES}"
    ]
    ((_name, svg),) = epub_svgs(out / "book.epub").items()
    assert b"xml-stylesheet" not in svg and b'id="kept"' in svg


def test_what_is_local_or_embedded_stays(tmp_path: Path) -> None:
    """References inside the file, embedded pictures, @media and colour functions are the
    drawing itself: kept, and no warning."""
    drawing = (
        '<defs><linearGradient id="g"><stop offset="0" stop-color="rgb(1,2,3)"/></linearGradient>'
        '<symbol id="s"><circle r="2"/></symbol></defs>'
        "<style>@media print { .a { fill: url(#g); stroke: hsl(10, 20%, 30%) } }</style>"
        f'<use xlink:href="#s"/><rect class="a" style="fill: url(\'#g\')" width="5" height="5"/>'
        f'<image href="{png_data_url()}" width="4" height="4"/>'
    )
    content = project(tmp_path, f"{SVG_OPEN}{drawing}{KEPT}</svg>")
    code, err, out = build(content)
    assert (code, warning_lines(err)) == (0, [])
    ((_name, svg),) = epub_svgs(out / "book.epub").items()
    assert_references_nothing(svg)
    for kept in (b'xlink:href="#s"', b"url(#g)", b"@media print", b"data:image/png;base64,"):
        assert kept in svg


# --- refused: left out -------------------------------------------------------------------------

REFUSED = [
    (
        '<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        f"{SVG_OPEN}<text>&x;</text></svg>",
        "declares entities (which could read other files); export it again without them",
    ),
    (
        '<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        f'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>{SVG_OPEN}<text>&c;</text></svg>',
        "declares entities",
    ),
    (
        f'<!DOCTYPE svg [<!ENTITY e PUBLIC "-//x" "http://evil.test/e">]>{SVG_OPEN}</svg>',
        "declares entities",
    ),
    (f"{SVG_OPEN}<text>&undefined;</text></svg>", "is not a well-formed SVG file"),
    ('<svg><rect width="3" height="3"/></svg>', "is not an SVG image"),
]


@pytest.mark.parametrize(("svg", "problem"), REFUSED)
def test_a_drawing_with_entities_or_no_svg_namespace_is_left_out(
    tmp_path: Path, svg: str, problem: str
) -> None:
    content = project(tmp_path, svg)
    code, err, out = build(content)
    assert code == 0
    (line,) = warning_lines(err)
    assert line.startswith(f"{content / 'chapter.md'}:3: warning: image 'drawing.svg' {problem}")
    assert line.endswith("; left out")
    assert epub_svgs(out / "book.epub") == {}


def test_a_public_doctype_is_dropped_without_a_word(tmp_path: Path) -> None:
    """What drawing programs write (no internal subset) is harmless: dropped, not reported."""
    content = project(
        tmp_path,
        '<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
        f'"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n{SVG_OPEN}{KEPT}</svg>',
    )
    code, err, out = build(content)
    assert (code, warning_lines(err)) == (0, [])
    ((_name, svg),) = epub_svgs(out / "book.epub").items()
    assert_references_nothing(svg)


# --- EPUBCheck ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_an_epub_with_a_cleaned_hostile_drawing_passes_epubcheck(tmp_path: Path) -> None:
    hostile = "".join(drawing for drawing, _removed in CLEANED)
    content = project(
        tmp_path,
        f'<?xml-stylesheet href="http://evil.test/s.css"?>{SVG_OPEN}{hostile}{KEPT}</svg>',
    )
    code, err, out = build(content)
    assert code == 0, err
    ((_name, svg),) = epub_svgs(out / "book.epub").items()
    assert_references_nothing(svg)
    assert epubcheck_messages(out / "book.epub") == ()


# --- <use> bombs and other expansions ----------------------------------------------------------


def use_chain(levels: int, fan: int, wrapper: str = "g", href: str = "href") -> str:
    parts = ['<defs><rect id="l0" width="1" height="1"/>']
    for i in range(1, levels + 1):
        uses = f'<use {href}="#l{i - 1}"/>' * fan
        parts.append(f'<{wrapper} id="l{i}">{uses}</{wrapper}>')
    parts.append(f'</defs><use {href}="#l{levels}"/>')
    return "".join(parts)


def pattern_chain(levels: int, fan: int) -> str:
    """Each pattern paints `fan` shapes inheriting the fill of the pattern below it."""
    rects = '<rect width="1" height="1"/>' * fan
    patterns = "".join(
        f'<pattern id="p{i}" width="1" height="1"><g fill="url(#p{i - 1})">{rects}</g></pattern>'
        for i in range(1, levels + 1)
    )
    shape = f'<rect width="9" height="9" fill="url(#p{levels})"/>'
    return f'<defs><pattern id="p0"/>{patterns}</defs>{shape}'


def marker_chain(levels: int, vertices: int) -> str:
    path = "M0 0" + " L1 1" * vertices
    markers = "".join(
        f'<marker id="m{i}"><path d="{path}" marker-mid="url(#m{i - 1})"/></marker>'
        for i in range(1, levels + 1)
    )
    shape = f'<path d="{path}" style="marker-mid: url(#m{levels})"/>'
    return f'<defs><marker id="m0"><rect/></marker>{markers}</defs>{shape}'


TOO_MANY = "would draw more than 50,000 elements once its <use> and other references are expanded"
TOO_DEEP = "nests references (<use>, patterns, markers...) more than 8 deep"
ITSELF = "refers to itself"

# Each bomb is a PDF and EPUB build: the inner loop (`-m "not slow"`) has one that draws too much
# and one that refers to itself, the whole suite every one.
BOMBS = [
    pytest.param(use_chain(7, 10), TOO_MANY, id="use-10^7"),
    pytest.param(
        use_chain(5, 10, "symbol", "xlink:href"),
        TOO_MANY,
        id="symbol-xlink-10^5",
        marks=pytest.mark.slow,
    ),
    pytest.param(use_chain(2, 400), TOO_MANY, id="use-wide-160000", marks=pytest.mark.slow),
    pytest.param(
        pattern_chain(6, 10), TOO_MANY, id="pattern-inherited-fill-10^6", marks=pytest.mark.slow
    ),
    pytest.param(marker_chain(5, 20), TOO_MANY, id="marker-mid-vertices", marks=pytest.mark.slow),
    pytest.param(
        "<style>.b { fill: url(#p) }</style><defs><pattern id='p' width='2' height='2'>"
        "<rect class='b' width='1' height='1'/></pattern></defs>"
        "<rect class='b' width='5' height='5'/>",
        ITSELF,
        id="pattern-through-stylesheet-cycle",
        marks=pytest.mark.slow,
    ),
    pytest.param('<use id="a" href="#a"/>', ITSELF, id="use-self", marks=pytest.mark.slow),
    pytest.param(
        '<g id="a"><rect width="1" height="1"/><use href="#a"/></g>',
        ITSELF,
        id="use-ancestor",
        marks=pytest.mark.slow,
    ),
    pytest.param(
        '<defs><g id="a"><use href="#b"/></g><g id="b"><use xlink:href="#a"/></g></defs>'
        '<use href="#a"/>',
        ITSELF,
        id="use-mutual",
    ),
    pytest.param(use_chain(12, 1), TOO_DEEP, id="use-depth-12", marks=pytest.mark.slow),
]


@pytest.mark.parametrize(("drawing", "problem"), BOMBS)
def test_a_drawing_that_expands_without_bound_is_left_out_quickly(
    tmp_path: Path, drawing: str, problem: str
) -> None:
    content = project(tmp_path, f"{SVG_OPEN}{drawing}</svg>")
    started = time.monotonic()
    code, err, out = build(content, "pdf,epub")
    assert time.monotonic() - started < 60  # a generous bound: the bombs took hours before
    assert code == 0
    (line,) = warning_lines(err)
    assert line.startswith(f"{content / 'chapter.md'}:3: warning: image 'drawing.svg' {problem}")
    assert line.endswith("; left out")
    assert epub_svgs(out / "book.epub") == {}


def test_a_drawing_that_reuses_within_the_limits_is_kept(tmp_path: Path) -> None:
    """10^4 copies (about 2 s to render) is a big drawing, not a bomb."""
    content = project(tmp_path, f"{SVG_OPEN}{use_chain(4, 10)}</svg>")
    code, err, out = build(content)
    assert (code, warning_lines(err)) == (0, [])
    assert len(epub_svgs(out / "book.epub")) == 1


# --- remote images: one deadline per image ----------------------------------------------------


class Trickle(http.server.BaseHTTPRequestHandler):
    """Sends its answer a byte every 0.2 s: each read succeeds, the whole never ends in time."""

    def do_GET(self) -> None:
        if self.path == "/redirect.png":
            self._trickle(b"HTTP/1.0 302 Found\r\nLocation: /body.png\r\n\r\n", fast=True)
        elif self.path == "/headers.png":
            self._trickle(b"HTTP/1.0 200 OK\r\n" + b"X-Slow: yes\r\n" * 50 + b"\r\n")
        else:
            self._trickle(b"HTTP/1.0 200 OK\r\nContent-Type: image/png\r\n\r\n", fast=True)
            self._trickle(b"\x89PNG" + b"\0" * 60)

    def _trickle(self, data: bytes, fast: bool = False) -> None:
        try:
            for i in range(len(data)):
                self.wfile.write(data[i : i + 1])
                self.wfile.flush()
                if not fast:
                    time.sleep(0.2)
        except OSError:
            pass  # the client gave up, as it should

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def trickling_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Trickle)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.mark.slow
@pytest.mark.parametrize("path", ["/body.png", "/headers.png", "/redirect.png"])
def test_a_download_that_trickles_is_cut_off_at_one_deadline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, trickling_server: str, path: str
) -> None:
    """A byte every 0.2 s passes any per-read timeout; the deadline is for the whole image."""
    monkeypatch.setattr(remote, "TIMEOUT_SECONDS", 1.0)
    content = tmp_path / "proj" / "content"
    content.mkdir(parents=True)
    url = f"{trickling_server}{path}"
    (content / "chapter.md").write_text(f"# Remote\n\n![A photo]({url})\n", encoding="utf-8")
    started = time.monotonic()
    code, err, _out = build(content, "epub", "--allow-remote-images")
    assert time.monotonic() - started < 5
    assert code == 0
    assert warning_lines(err) == [
        f"{content / 'chapter.md'}:3: warning: image '{url}' could not be downloaded within "
        "1 s; save it beside the chapter; left out"
    ]
