"""Converting: ids, link resolution, mojibake repair, sanitising, sections and images."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import EMOJI, MOJIBAKE, copy_book, quiet_reporter
from lxml import etree

from guidebook.convert import convert_book
from guidebook.convert.sanitize import sanitize
from guidebook.convert.tree import drop_disallowed, parse_fragment, tidy_attributes, to_xhtml
from guidebook.diagnostics import Reporter
from guidebook.load import load_book
from guidebook.model import ChapterDoc, Edition
from guidebook.text import repair_mojibake

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*--[a-z0-9]+(?:-[a-z0-9]+)*$")


def make_edition(
    folder: Path, files: dict[str, str], book_yml: str | None = None
) -> tuple[Edition, Reporter]:
    content = folder / "content"
    for relative, text in files.items():
        path = content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    if book_yml is not None:
        (folder / "book.yml").write_text(book_yml, encoding="utf-8")
    reporter = quiet_reporter()
    book = load_book(content, None, reporter)
    reporter.check()
    return convert_book(book, reporter), reporter


def doc_of(edition: Edition, slug: str) -> ChapterDoc:
    return next(d for d in edition.chapters if d.chapter.slug == slug)


def tree(doc: ChapterDoc) -> etree._Element:
    return etree.fromstring(f"<div>{doc.html}</div>")


def link_by_text(root: etree._Element, text: str) -> etree._Element | None:
    return next((a for a in root.iter("a") if "".join(a.itertext()) == text), None)


# --- ids ------------------------------------------------------------------------------------

ID_FILES = {
    "exercises/row.md": "# Row\n\n## FAQ\n\n## FAQ\n\n## Über Übungen\n\n## 🔥\n\n"
    '## Title\n\n### Custom {#My-Anchor}\n\n<div id="Box 1">boxed</div>\n',
    "exercises/curl.md": "# Curl\n\n## FAQ\n\n"
    "See [custom](row.md#My-Anchor) and [faq](row.md#faq).\n",
}


def test_heading_ids_are_prefixed_slugified_and_unique(tmp_path: Path) -> None:
    edition, _ = make_edition(tmp_path, ID_FILES)
    row = tree(doc_of(edition, "row"))
    assert [h.get("id") for h in row.iter("h2", "h3")] == [
        "row--faq",
        "row--faq-2",
        "row--uber-ubungen",
        "row--section",
        "row--title-2",  # row--title is the chapter title's own id
        "row--my-anchor",
    ]
    assert row.find(".//div[@id='row--box-1']") is not None


def test_ids_are_unique_book_wide_and_only_use_a_z_0_9_and_hyphens(tmp_path: Path) -> None:
    edition, _ = make_edition(tmp_path, ID_FILES)
    seen: list[str] = []
    for doc in edition.chapters:
        ids = [el.get("id") for el in tree(doc).iter() if el.get("id")]
        assert all(ID_RE.match(i) and i.startswith(doc.chapter.slug + "--") for i in ids), ids
        seen += ids
    assert len(seen) == len(set(seen))
    assert "curl--faq" in seen and "row--faq" in seen


def test_links_to_author_anchors_follow_the_new_ids(tmp_path: Path) -> None:
    edition, reporter = make_edition(tmp_path, ID_FILES)
    curl = tree(doc_of(edition, "curl"))
    assert link_by_text(curl, "custom").get("href") == "#row--my-anchor"
    assert link_by_text(curl, "faq").get("href") == "#row--faq"
    assert reporter.warnings == []


def test_headings_are_listed_with_their_ids(tmp_path: Path) -> None:
    edition, _ = make_edition(tmp_path, {"a.md": "# A\n\n## One\n\n### One point five\n"})
    assert [(h.level, h.id, h.text) for h in doc_of(edition, "a").headings] == [
        (2, "a--one", "One"),
        (3, "a--one-point-five", "One point five"),
    ]


# --- links ----------------------------------------------------------------------------------

LINK_FILES = {
    "exercises/kettlebell-swing.md": "# Kettlebell Swing\n\n## How to perform\n\nSwing.\n\n"
    "## FAQ\n\nRead [the steps](#how-to-perform) first.\n",
    "guides/guide-hip-basics.md": """\
---
title: Hip Basics
---

# Hip Basics

## Intro

- [chapter](../exercises/kettlebell-swing.md)
- [section](../exercises/kettlebell-swing.md#how-to-perform)
- [own heading](#intro)
- [site chapter](/exercises/kettlebell-swing)
- [site alias](/guide/hip-basics)
- [site missing](/guide/deadlift-form)
- [external](https://example.org/tools)
- [mail](mailto:coach@example.org)
- [bad anchor](../exercises/kettlebell-swing.md#nope)
- [no such file](missing.md)
- [ftp](ftp://example.org/file.txt)
- [absolute site chapter](https://example.org/exercises/kettlebell-swing#how-to-perform)
""",
}


@pytest.fixture
def linked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[etree._Element, Reporter]:
    monkeypatch.chdir(tmp_path)
    edition, reporter = make_edition(Path("."), LINK_FILES)
    return tree(doc_of(edition, "guide-hip-basics")), reporter


@pytest.mark.parametrize(
    ("text", "href", "css"),
    [
        ("chapter", "#kettlebell-swing", "xref"),
        ("section", "#kettlebell-swing--how-to-perform", "xref"),
        ("own heading", "#guide-hip-basics--intro", None),
        ("site chapter", "#kettlebell-swing", "xref"),
        ("site alias", "#guide-hip-basics", None),
        ("external", "https://example.org/tools", "ext"),
        ("mail", "mailto:coach@example.org", "ext"),
    ],
)
def test_link_is_resolved(
    linked: tuple[etree._Element, Reporter], text: str, href: str, css: str | None
) -> None:
    root, _ = linked
    link = link_by_text(root, text)
    assert link is not None
    assert link.get("href") == href
    assert link.get("class") == css


def test_anchor_link_inside_a_chapter(tmp_path: Path) -> None:
    edition, _ = make_edition(tmp_path, LINK_FILES)
    root = tree(doc_of(edition, "kettlebell-swing"))
    assert link_by_text(root, "the steps").get("href") == "#kettlebell-swing--how-to-perform"


@pytest.mark.parametrize("text", ["site missing", "bad anchor", "no such file", "ftp"])
def test_unresolvable_links_become_plain_text(
    linked: tuple[etree._Element, Reporter], text: str
) -> None:
    root, _ = linked
    assert link_by_text(root, text) is None
    assert text in "".join(root.itertext())


def test_unresolvable_link_warnings_are_pinned(linked: tuple[etree._Element, Reporter]) -> None:
    _, reporter = linked
    where = "content/guides/guide-hip-basics.md"
    assert [d.format() for d in reporter.warnings] == [
        f"{where}:14: warning: link '/guide/deadlift-form' leads to no chapter of the book and "
        "no site_url is set (add the chapter, or set site_url in book.yml); printed as plain "
        "text",
        f"{where}:17: warning: link '../exercises/kettlebell-swing.md#nope' names '#nope', "
        "which is not a heading or id in chapter 'kettlebell-swing'; printed as plain text",
        f"{where}:18: warning: link 'missing.md' points to no chapter of the book; printed as "
        "plain text",
        f"{where}:19: warning: link 'ftp://example.org/file.txt' uses the 'ftp' scheme, which "
        "outputs cannot follow; printed as plain text",
    ]


def test_link_with_an_unsupported_scheme_warns(linked: tuple[etree._Element, Reporter]) -> None:
    _, reporter = linked
    assert any("ftp://example.org/file.txt" in d.message for d in reporter.warnings)


def test_with_site_url_site_links_go_to_the_website(tmp_path: Path) -> None:
    edition, reporter = make_edition(tmp_path, LINK_FILES, "site_url: https://example.org/\n")
    root = tree(doc_of(edition, "guide-hip-basics"))
    missing = link_by_text(root, "site missing")
    assert missing is not None
    assert (missing.get("href"), missing.get("class")) == (
        "https://example.org/guide/deadlift-form",
        "ext",
    )
    absolute = link_by_text(root, "absolute site chapter")
    assert absolute is not None
    assert absolute.get("href") == "#kettlebell-swing--how-to-perform"
    assert link_by_text(root, "site chapter").get("href") == "#kettlebell-swing"
    assert not any("deadlift-form" in d.message for d in reporter.warnings)


def test_without_site_url_an_address_on_the_website_stays_external(tmp_path: Path) -> None:
    edition, _ = make_edition(tmp_path, LINK_FILES)
    root = tree(doc_of(edition, "guide-hip-basics"))
    link = link_by_text(root, "absolute site chapter")
    assert link is not None
    assert link.get("href") == "https://example.org/exercises/kettlebell-swing#how-to-perform"


def test_seedlike_links(tmp_path: Path) -> None:
    book_dir = copy_book("seedlike", tmp_path)
    reporter = quiet_reporter()
    edition = convert_book(load_book(book_dir / "content", None, reporter), reporter)
    guide = tree(doc_of(edition, "guide-glute-training"))
    assert link_by_text(guide, "swing drills").get("href") == "#kettlebell-swing--how-to-perform"
    assert link_by_text(guide, "Warm-Up Basics").get("href") == "#guide-warm-up-basics"
    assert link_by_text(guide, "Deadlift Technique") is None
    assert "Deadlift Technique - Pull heavy weights" in "".join(guide.itertext())
    assert [d.message for d in reporter.warnings] == [
        "link '/guide/deadlift-technique' leads to no chapter of the book and no site_url is set "
        "(add the chapter, or set site_url in book.yml); printed as plain text"
    ]


# --- mojibake -------------------------------------------------------------------------------


@pytest.mark.parametrize(("broken", "fixed"), list(zip(MOJIBAKE, EMOJI, strict=True)))
def test_each_seed_emoji_is_repaired(broken: str, fixed: str) -> None:
    text, repairs = repair_mojibake(f'<a class="cta-button">{broken} Shop now</a>')
    assert text == f'<a class="cta-button">{fixed} Shop now</a>'
    assert [(r.line, r.after) for r in repairs] == [(1, fixed)]


def test_mojibake_fixture_strings_are_what_the_seed_holds() -> None:
    assert MOJIBAKE[1] == "\uf8ffüî•"
    assert all(m.startswith("\uf8ff") for m in MOJIBAKE)


def test_all_three_repaired_on_their_own_lines() -> None:
    text = "intro\n" + "\n".join(f"{m} button {i}" for i, m in enumerate(MOJIBAKE)) + "\n"
    fixed, repairs = repair_mojibake(text)
    assert fixed == "intro\n" + "\n".join(f"{e} button {i}" for i, e in enumerate(EMOJI)) + "\n"
    assert [r.line for r in repairs] == [2, 3, 4]


@pytest.mark.parametrize(
    "text",
    [
        "café",
        "naïve",
        "“quotes”",
        "3 × 10",
        "Crème brûlée – déjà vu… “naïve” ×2 ½ kg °C",
        "Übung für Schultern, Größe M",
        "already fine 🔥 emoji 💪",
    ],
)
def test_genuine_text_is_left_untouched(text: str) -> None:
    assert repair_mojibake(text) == (text, [])


def test_windows_1252_mojibake_is_repaired_too() -> None:
    fixed, _ = repair_mojibake("cafÃ© and naÃ¯ve")
    assert fixed == "café and naïve"


# --- sanitising -----------------------------------------------------------------------------

DIRTY = """\
<p>Before<script>alert('x')</script> after <span onclick="steal()">click</span></p>
<iframe src="https://tracker.example/embed"></iframe>
<form action="https://evil.example/post"><input name="q"><button>Go</button></form>
<p style="background: url(https://tracker.example/pixel.png)">styled</p>
<p><a href="javascript:alert(1)">js link</a> <a href="file:///etc/passwd">file link</a>
<a href="https://example.org/ok" onmouseover="x()">ok link</a></p>
<div class="cta-buttons">
<a href="https://example.org/shop" class="cta-button cta-primary chapter-title"
 target="_blank" rel="nofollow">Shop</a>
</div>
<img src="x.png" onerror="boom()" alt="pic">
<object data="movie.swf"></object><embed src="movie.swf"><link rel="stylesheet" href="x.css">
"""


@pytest.fixture
def cleaned() -> etree._Element:
    root = parse_fragment(sanitize(DIRTY))
    tidy_attributes(root)
    return etree.fromstring(f"<div>{to_xhtml(root)}</div>")


def test_sanitize_removes_active_content(cleaned: etree._Element) -> None:
    tags = {el.tag for el in cleaned.iter()}
    assert not tags & {"script", "iframe", "form", "input", "button", "object", "embed", "link"}
    assert "alert" not in etree.tostring(cleaned, encoding="unicode")


def test_sanitize_removes_handlers_and_styles(cleaned: etree._Element) -> None:
    for element in cleaned.iter():
        assert not [a for a in element.attrib if a.startswith("on")], element.attrib
        assert "style" not in element.attrib
        assert "target" not in element.attrib and "rel" not in element.attrib


def test_sanitize_removes_javascript_and_file_hrefs(cleaned: etree._Element) -> None:
    hrefs = [a.get("href") for a in cleaned.iter("a")]
    assert not any(h and h.lower().startswith(("javascript:", "file:")) for h in hrefs)
    assert link_by_text(cleaned, "js link").get("href") is None
    assert link_by_text(cleaned, "file link").get("href") is None
    assert link_by_text(cleaned, "ok link").get("href") == "https://example.org/ok"


def test_sanitize_keeps_the_call_to_action_block(cleaned: etree._Element) -> None:
    block = cleaned.find(".//div[@class='cta-buttons']")
    assert block is not None
    (button,) = block.iter("a")
    assert button.get("href") == "https://example.org/shop"
    assert button.get("class") == "cta-button cta-primary"  # the layout's class is dropped
    assert button.text == "Shop"


def test_table_alignment_style_survives_but_nothing_else() -> None:
    out = sanitize('<table><tr><td style="text-align: right; color: red">1</td></tr></table>')
    assert re.search(r'style="text-align:\s*right;?"', out), out
    assert "color" not in out


def test_style_attribute_with_only_disallowed_properties_is_dropped() -> None:
    out = sanitize(
        '<table><tr><td style="background: url(https://t.example/p.png)">1</td></tr></table>'
    )
    assert "style" not in out, out


def test_unsafe_links_in_a_chapter_end_as_plain_text(tmp_path: Path) -> None:
    edition, reporter = make_edition(tmp_path, {"g.md": "# G\n\n" + DIRTY})
    root = tree(doc_of(edition, "g"))
    assert link_by_text(root, "js link") is None and link_by_text(root, "file link") is None
    assert "js link" in "".join(root.itertext())
    text = etree.tostring(root, encoding="unicode")
    assert "<script" not in text and "onclick" not in text and "javascript:" not in text
    assert root.find(".//img") is None  # x.png does not exist
    assert any("x.png" in d.message for d in reporter.warnings)


# --- sections -------------------------------------------------------------------------------


def test_exercise_sections_get_their_roles(tmp_path: Path) -> None:
    book_dir = copy_book("seedlike", tmp_path)
    reporter = quiet_reporter()
    edition = convert_book(load_book(book_dir / "content", None, reporter), reporter)
    root = tree(doc_of(edition, "kettlebell-swing"))
    sections = [(s.get("class"), s.get("aria-labelledby")) for s in root.iter("section")]
    assert sections == [
        ("sec sec-quick", "kettlebell-swing--quick-answer"),
        ("sec sec-steps", "kettlebell-swing--how-to-perform"),
        ("sec sec-tips", "kettlebell-swing--pro-tips"),
        ("sec sec-mistakes", "kettlebell-swing--common-mistakes"),
        ("sec sec-faq", "kettlebell-swing--faq"),
        ("sec sec-related", "kettlebell-swing--related-exercises"),
    ]
    steps = root.find(".//section[@class='sec sec-steps']/ol")
    assert steps is not None and steps.get("class") == "steps" and len(steps) == 5
    faq = root.findall(".//section[@class='sec sec-faq']/div[@class='qa']")
    assert len(faq) == 3
    assert all(qa[0].tag == "h3" and qa[1].get("class") == "answer" for qa in faq)
    # the rule between the metadata and "How to perform" only repeated the structure
    assert root.find(".//section[@class='sec sec-quick']/hr") is None
    assert "**" not in etree.tostring(root, encoding="unicode")


# --- images ---------------------------------------------------------------------------------


def test_missing_image_is_left_out_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book_dir = copy_book("missing-image", tmp_path)
    monkeypatch.chdir(book_dir)
    reporter = quiet_reporter()
    edition = convert_book(load_book(Path("content"), None, reporter), reporter)
    assert [d.format() for d in reporter.diagnostics] == [
        "content/calf-raise.md:5: warning: image 'images/calf-top.png' does not exist (paths are "
        "relative to the chapter's folder); left out"
    ]
    assert "<img" not in edition.chapters[0].html
    assert edition.assets == ()


def test_local_image_becomes_a_figure_and_an_asset(tmp_path: Path) -> None:
    book_dir = copy_book("withbook", tmp_path)
    reporter = quiet_reporter()
    edition = convert_book(load_book(book_dir / "content", None, reporter), reporter)
    (asset,) = edition.assets
    assert asset.name == "images/split-squat-stance.svg"
    assert asset.media_type == "image/svg+xml"
    figure = tree(doc_of(edition, "split-squat")).find(".//figure")
    assert figure is not None
    assert figure[0].get("src") == "images/split-squat-stance.svg"
    assert figure[0].get("alt") == "A staggered stance seen from the side"
    assert figure.findtext("figcaption") == "Front shin upright, back knee low"


@pytest.mark.parametrize(
    ("src", "problem"),
    [
        (
            "https://example.org/pic.png",
            "is not a local file; builds never fetch from the network: save the image "
            "beside the chapter and link it by relative path (or build with "
            "--allow-remote-images)",
        ),
        ("/etc/pic.png", "is an absolute path; use a path relative to the chapter"),
        ("../../pic.png", "lies outside the content folder; copy it beside the chapter"),
        ("notes.txt", "is not a PNG, JPEG, GIF or SVG file"),
    ],
)
def test_images_outside_the_book_are_refused(tmp_path: Path, src: str, problem: str) -> None:
    (tmp_path / "pic.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    edition, reporter = make_edition(
        tmp_path, {"a/b.md": f"# B\n\n![pic]({src})\n", "a/notes.txt": "x"}
    )
    assert [d.message for d in reporter.warnings] == [f"image '{src}' {problem}; left out"]
    assert edition.assets == ()


def test_image_without_alt_text_warns(tmp_path: Path) -> None:
    edition, reporter = make_edition(
        tmp_path,
        {"a.md": "# A\n\n![](dot.svg)\n", "dot.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>'},
    )
    assert [d.message.split(";")[0] for d in reporter.warnings] == [
        "image 'dot.svg' has no alt text"
    ]
    assert tree(doc_of(edition, "a")).find(".//img").get("alt") == ""


# --- fragments ------------------------------------------------------------------------------


def test_every_fragment_is_well_formed_xml(tmp_path: Path) -> None:
    book_dir = copy_book("seedlike", tmp_path)
    reporter = quiet_reporter()
    edition = convert_book(load_book(book_dir / "content", None, reporter), reporter)
    for doc in edition.chapters:
        root = tree(doc)
        ids = [el.get("id") for el in root.iter() if el.get("id")]
        assert len(ids) == len(set(ids))
        assert set(ids) <= doc.ids


@pytest.mark.parametrize(
    "text",
    [
        "<p>plain text, &amp; &lt;b&gt; &nbsp; &eacute; &NewLine;</p>",
        "<p>a &#xFFFE; reference</p>",
        "<p>a &#1; reference in <b title='x&#xFDD0;'>an attribute</b></p>",
        "<p>raw \x01 and \ufffe characters</p>",
        "<p>&#65535;</p>",
        "&#65535; as leading text",
        "",
    ],
)
def test_the_disallowed_walk_is_skipped_only_where_the_source_proves_it_idle(text: str) -> None:
    """`drop_disallowed(root, source)` skips its walk for a clean source; it must remove as
    much as the full walk on the same tree."""
    clean = sanitize(text)
    assert drop_disallowed(parse_fragment(clean), clean) == drop_disallowed(parse_fragment(clean))


def test_a_fragment_parses_as_lxml_html_would() -> None:
    """`parse_fragment` uses libxml2's HTML parser without lxml.html's classes: the same tree."""
    from lxml import html

    for text in ("lead <p>a</p> tail", "   <p>x</p>", "<table><td>c</table>", "", "t&amp;<b>x"):
        text = sanitize(text)
        ours = etree.tostring(parse_fragment(text))
        theirs = etree.tostring(html.fragment_fromstring(text or "<p></p>", create_parent="div"))
        assert ours == theirs
