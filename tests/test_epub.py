"""EPUB structure (zipfile + lxml) and EPUBCheck: 0 errors and 0 warnings."""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from conftest import EMOJI, Built, book_params, epubcheck_messages
from lxml import etree

from guidebook.indexes import DEFAULT_INDEXES, BookIndex, Locator, book_indexes

NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"


@dataclass(frozen=True)
class Package:
    names: tuple[str, ...]  # zip entries in order
    opf_path: str
    opf: etree._Element
    manifest: dict[str, tuple[str, str, str]]  # id -> (zip path, media type, properties)
    spine: tuple[str, ...]  # idrefs
    xhtml: dict[str, etree._Element]  # zip path -> parsed document


@cache
def package(path: Path) -> Package:
    with zipfile.ZipFile(path) as zf:
        names = tuple(zf.namelist())
        container = etree.fromstring(zf.read("META-INF/container.xml"))
        opf_path = container.find(".//c:rootfile", NS).get("full-path")
        opf = etree.fromstring(zf.read(opf_path))
        base = posixpath.dirname(opf_path)
        manifest = {
            item.get("id"): (
                posixpath.join(base, item.get("href")),
                item.get("media-type"),
                item.get("properties") or "",
            )
            for item in opf.iterfind("opf:manifest/opf:item", NS)
        }
        spine = tuple(ref.get("idref") for ref in opf.iterfind("opf:spine/opf:itemref", NS))
        xhtml = {name: etree.fromstring(zf.read(name)) for name in names if name.endswith(".xhtml")}
    return Package(names, opf_path, opf, manifest, spine, xhtml)


def nav_document(pkg: Package) -> tuple[str, etree._Element]:
    (nav_id,) = [i for i, (_p, _t, props) in pkg.manifest.items() if "nav" in props.split()]
    path = pkg.manifest[nav_id][0]
    return path, pkg.xhtml[path]


def nav_of_type(pkg: Package, kind: str) -> etree._Element:
    _path, doc = nav_document(pkg)
    (nav,) = [n for n in doc.iter(f"{{{NS['x']}}}nav") if n.get(EPUB_TYPE) == kind]
    return nav


def chapter_file(pkg: Package, slug: str) -> str:
    """The file of a chapter whose slug is its anchor (a usable XML name; see names.py)."""
    return pkg.manifest[f"c-{slug}"][0]


# --- zip and package ------------------------------------------------------------------------


def test_mimetype_is_the_first_entry_stored_and_exact(any_build: Built) -> None:
    with zipfile.ZipFile(any_build.epub) as zf:
        first = zf.infolist()[0]
        assert first.filename == "mimetype"
        assert first.compress_type == zipfile.ZIP_STORED
        assert first.extra == b""
        assert zf.read("mimetype") == b"application/epub+zip"


def test_manifest_and_zip_agree(any_build: Built) -> None:
    pkg = package(any_build.epub)
    in_manifest = {p for p, _t, _props in pkg.manifest.values()}
    assert in_manifest <= set(pkg.names)
    for name in pkg.names:
        if name in ("mimetype", pkg.opf_path) or name.startswith("META-INF/"):
            continue
        assert name in in_manifest, f"{name} is in the zip but not in the manifest"


def test_every_xhtml_file_is_in_the_manifest_as_xhtml(any_build: Built) -> None:
    pkg = package(any_build.epub)
    types = {p: t for p, t, _props in pkg.manifest.values()}
    for name in pkg.xhtml:
        assert types.get(name) == "application/xhtml+xml", name


def indexes_of(built: Built) -> tuple[BookIndex, ...]:
    """The back-of-book indexes the book has (indexes.py), as the outputs should list them."""
    cfg = built.book.config
    exercises = [
        (ch.exercise, Locator(ch.anchor, ch.title)) for ch in built.book.chapters if ch.exercise
    ]
    return book_indexes(DEFAULT_INDEXES if cfg.indexes is None else cfg.indexes, exercises)


def test_spine_follows_the_book_order(any_build: Built) -> None:
    pkg = package(any_build.epub)
    expected: list[str] = ["cover", "titlepage", "nav"]
    for part in any_build.book.parts:
        if part.title:
            expected.append(f"c-{part.anchor}")
        expected += [f"c-{ch.anchor}" for ch in part.chapters]
    expected += ["book-index"] if indexes_of(any_build) else []  # the indexes, last
    assert list(pkg.spine) == expected


def test_withbook_spine_is_the_book_file_order(withbook_build: Built) -> None:
    assert list(package(withbook_build.epub).spine) == [
        "cover",
        "titlepage",
        "nav",
        "c-part-lower-body",
        "c-split-squat",
        "c-hip-hinge-drill",
        "c-part-planning",
        "c-weekly-plan",
        "c-rest-days",
        "book-index",
    ]


def test_nav_has_one_link_per_chapter_and_landmarks(any_build: Built) -> None:
    pkg = package(any_build.epub)
    toc = nav_of_type(pkg, "toc")
    links = [(a.get("href"), "".join(a.itertext())) for a in toc.iter(f"{{{NS['x']}}}a")]
    chapter_links = [link for link in links if not link[0].startswith(("part-", "book_index"))]
    assert chapter_links == [(f"{slug}.xhtml", title) for slug, title in any_build.chapters]
    index_links = [link for link in links if link[0].startswith("book_index")]
    expected = [(f"book_index.xhtml#{i.anchor}", i.title) for i in indexes_of(any_build)]
    assert index_links == expected and links[len(links) - len(expected) :] == expected
    titled = [p for p in any_build.book.parts if p.title]
    assert [t for h, t in links if h.startswith("part-")] == [p.title for p in titled]
    landmarks = nav_of_type(pkg, "landmarks")
    kinds = {a.get(EPUB_TYPE): a.get("href") for a in landmarks.iter(f"{{{NS['x']}}}a")}
    assert kinds["toc"] == "nav.xhtml"
    assert kinds["bodymatter"] == f"{any_build.chapters[0][0]}.xhtml"
    assert kinds["cover"] == "cover.xhtml"


def test_withbook_nav_nests_chapters_under_parts(withbook_build: Built) -> None:
    toc = nav_of_type(package(withbook_build.epub), "toc")
    outer = toc.find("x:ol", NS)
    tree = [
        (li.find("x:a", NS).text, [a.text for a in li.iterfind("x:ol/x:li/x:a", NS)])
        for li in outer.iterfind("x:li", NS)
    ]
    assert tree == [
        ("Lower Body", ["Split Squat", "Hip Hinge Drill"]),
        ("Planning", ["A Weekly Plan for Stronger Hips", "Rest Days"]),
        *((index.title, []) for index in indexes_of(withbook_build)),
    ]


def test_opf_metadata(withbook_build: Built) -> None:
    meta = package(withbook_build.epub).opf.find("opf:metadata", NS)
    assert meta.findtext("dc:title", namespaces=NS) == "Hinge and Bridge Handbook"
    assert meta.findtext("dc:creator", namespaces=NS) == "Ida Testwright"
    assert meta.findtext("dc:language", namespaces=NS) == "en-GB"
    assert meta.findtext("dc:date", namespaces=NS) == "2025-03-14"
    assert meta.findtext("dc:publisher", namespaces=NS) == "Fixture Press"
    assert [s.text for s in meta.iterfind("dc:subject", NS)] == [
        "hip hinge",
        "split squat",
        "training plan",
    ]


def test_accessibility_metadata(any_build: Built) -> None:
    meta = package(any_build.epub).opf.find("opf:metadata", NS)
    props: dict[str, list[str]] = {}
    for m in meta.iterfind("opf:meta", NS):
        if m.get("property"):
            props.setdefault(m.get("property"), []).append(m.text)
    assert {"textual", "visual"} <= set(props["schema:accessMode"])
    assert {"structuralNavigation", "tableOfContents", "alternativeText"} <= set(
        props["schema:accessibilityFeature"]
    )
    assert props["schema:accessibilityHazard"] == ["none"]
    assert props["schema:accessibilitySummary"][0].strip()
    assert props["schema:accessModeSufficient"] == ["textual,visual"]


# --- the XHTML files ------------------------------------------------------------------------


def test_every_xhtml_has_the_book_language(any_build: Built) -> None:
    language = any_build.book.config.language
    for name, doc in package(any_build.epub).xhtml.items():
        assert doc.tag == f"{{{NS['x']}}}html", name
        assert (doc.get("lang"), doc.get(XML_LANG)) == (language, language), name


def test_no_duplicate_ids_within_a_file(any_build: Built) -> None:
    for name, doc in package(any_build.epub).xhtml.items():
        ids = [el.get("id") for el in doc.iter() if el.get("id") is not None]
        assert len(ids) == len(set(ids)), (name, sorted({i for i in ids if ids.count(i) > 1}))


def test_internal_links_resolve_to_files_and_ids(any_build: Built) -> None:
    pkg = package(any_build.epub)
    ids = {
        name: {el.get("id") for el in doc.iter() if el.get("id")} for name, doc in pkg.xhtml.items()
    }
    checked = 0
    for name, doc in pkg.xhtml.items():
        for a in doc.iter(f"{{{NS['x']}}}a"):
            href = a.get("href")
            assert href is not None, f"{name}: <a> without href"
            if href.startswith(("http://", "https://", "mailto:", "tel:")):
                continue
            path, _, fragment = href.partition("#")
            target = (
                posixpath.normpath(posixpath.join(posixpath.dirname(name), path)) if path else name
            )
            assert target in pkg.xhtml, f"{name}: {href} points to no file"
            if fragment:
                assert fragment in ids[target], f"{name}: {href} points to no id"
            assert not path.endswith((".md", ".html")), href
            checked += 1
    assert checked >= len(any_build.chapters)


def test_no_element_has_a_style_attribute(any_build: Built) -> None:
    for name, doc in package(any_build.epub).xhtml.items():
        styled = [el.tag for el in doc.iter() if el.get("style") is not None]
        assert styled == [], (name, styled)


def test_no_active_content_or_layout_attributes(any_build: Built) -> None:
    for name, doc in package(any_build.epub).xhtml.items():
        for el in doc.iter():
            if not isinstance(el.tag, str):
                continue
            local = etree.QName(el).localname
            assert local not in ("script", "iframe", "form", "object", "embed"), name
            assert not [k for k in el.attrib if k.startswith("on")], name
            if local != "link":
                assert "target" not in el.attrib and "rel" not in el.attrib, name


@pytest.mark.parametrize("name", book_params("seedlike", "seeds"))
def test_call_to_action_links_are_real_links_with_emoji(
    request: pytest.FixtureRequest, name: str
) -> None:
    built: Built = request.getfixturevalue(f"{name}_build")
    pkg = package(built.epub)
    guide = next(s for s, _t in built.chapters if s.startswith("guide-"))
    doc = pkg.xhtml[chapter_file(pkg, guide)]
    (block,) = [d for d in doc.iter(f"{{{NS['x']}}}div") if d.get("class") == "cta-buttons"]
    buttons = list(block.iter(f"{{{NS['x']}}}a"))
    assert len(buttons) == 3
    for button, emoji in zip(buttons, EMOJI, strict=True):
        assert button.get("href", "").startswith("https://")
        assert "cta-button" in button.get("class", "").split()
        # The emoji is a picture with the character as its alt text (render/emoji.py).
        picture = button[0]
        assert (picture.tag, picture.get("class"), picture.get("alt")) == (
            f"{{{NS['x']}}}img",
            "emoji",
            emoji,
        )
        assert not (button.text or "").strip() and (picture.tail or "").startswith(" ")


def test_all_three_emoji_and_no_mojibake(any_build: Built) -> None:
    with zipfile.ZipFile(any_build.epub) as zf:
        text = "".join(zf.read(n).decode("utf-8") for n in zf.namelist() if n.endswith(".xhtml"))
    assert "\uf8ff" not in text and "üî" not in text and "Ô∏" not in text
    if any_build.name in ("seeds", "seedlike"):
        for emoji in EMOJI:
            assert f'alt="{emoji}"' in text  # as pictures' alt text (render/emoji.py)


def test_unresolved_site_link_is_plain_text(seedlike_build: Built) -> None:
    pkg = package(seedlike_build.epub)
    doc = pkg.xhtml[chapter_file(pkg, "guide-glute-training")]
    texts = ["".join(a.itertext()) for a in doc.iter(f"{{{NS['x']}}}a")]
    assert "Deadlift Technique" not in texts
    assert "Warm-Up Basics" in texts
    assert "Deadlift Technique - Pull heavy weights" in "".join(doc.itertext())


def test_cross_chapter_links_take_the_epub_form(seedlike_build: Built) -> None:
    pkg = package(seedlike_build.epub)
    doc = pkg.xhtml[chapter_file(pkg, "guide-glute-training")]
    hrefs = {"".join(a.itertext()): a.get("href") for a in doc.iter(f"{{{NS['x']}}}a")}
    assert hrefs["swing drills"] == "kettlebell-swing.xhtml#kettlebell-swing--how-to-perform"
    assert hrefs["Warm-Up Basics"] == "guide-warm-up-basics.xhtml"


def test_metadata_box_is_a_table_of_row_headers(seedlike_build: Built) -> None:
    """Labels are row headers (`<th scope="row">`): a screen reader says each value's label."""
    pkg = package(seedlike_build.epub)
    doc = pkg.xhtml[chapter_file(pkg, "kettlebell-swing")]
    trs = list(doc.iterfind(".//x:div[@class='meta']/x:table//x:tr", NS))
    assert all(tr.find("x:th", NS).get("scope") == "row" for tr in trs)
    rows = [(tr.findtext("x:th", namespaces=NS), tr.findtext("x:td", namespaces=NS)) for tr in trs]
    assert rows == [
        ("Body part", "Legs"),
        ("Target", "Glutes"),
        ("Secondary", "Hamstrings, Core"),
        ("Equipment", "Kettlebell"),
        ("Difficulty", "Intermediate"),
        ("Category", "Strength"),
    ]
    assert "**" not in "".join(doc.itertext())


def test_images_are_packaged_with_alt_text(withbook_build: Built) -> None:
    pkg = package(withbook_build.epub)
    types = {p: t for p, t, _props in pkg.manifest.values()}
    assert types.get("EPUB/images/split-squat-stance.svg") == "image/svg+xml"
    for name, doc in pkg.xhtml.items():
        for img in doc.iter(f"{{{NS['x']}}}img"):
            assert img.get("alt"), name
            src = posixpath.normpath(posixpath.join(posixpath.dirname(name), img.get("src")))
            assert src in pkg.names


# --- EPUBCheck ------------------------------------------------------------------------------


@pytest.mark.slow
def test_epubcheck_reports_no_errors_and_no_warnings(any_build: Built) -> None:
    assert epubcheck_messages(any_build.epub) == ()
