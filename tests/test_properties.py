"""Property: any Markdown from a small hostile grammar either loads and converts to well-formed
XHTML fragments with unique ids, or fails with BookError, never with anything else."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
import yaml
from conftest import MOJIBAKE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from guidebook.convert import convert_book
from guidebook.convert.repair import repair_content_model
from guidebook.convert.sanitize import sanitize
from guidebook.convert.tree import parse_fragment, tidy_attributes, to_xhtml
from guidebook.diagnostics import BookError, Reporter
from guidebook.load import load_book

# Hundreds of generated examples: run with the whole suite, not in the inner loop.
pytestmark = pytest.mark.slow

ID_RE = re.compile(r"^[a-z0-9-]+$")

words = st.lists(
    st.sampled_from(
        [
            "hip",
            "Knee",
            "brace",
            "Über",
            "café",
            "3 × 10",
            "🔥",
            "&",
            "<",
            ">",
            '"quote"',
            "it's",
            "--",
            "...",
            "1.",
            "#",
            "*",
            "_",
            "`",
            "{#x}",
            *MOJIBAKE,
        ]
    ),
    min_size=1,
    max_size=6,
).map(" ".join)

targets = st.sampled_from(
    [
        "ch1.md",
        "../exercises/ch1.md#faq",
        "guide-ch4.md#how-to-perform",
        "#faq",
        "#",
        "",
        "/guide/ch4",
        "/guide/nowhere",
        "/exercises/ch1",
        "https://example.org/x?a=1&b=2",
        "mailto:coach@example.org",
        "javascript:alert(1)",
        "ftp://example.org/f",
        "file:///etc/passwd",
        "missing.md",
        "ch3.md#Nope",
        "data:text/html,hi",
        "//evil.example/x",
        "a b",
        "%zz",
    ]
)

html_snippets = st.sampled_from(
    [
        '<div class="cta-buttons">',
        '<a href="https://example.org" class="cta-button cta-primary" target="_blank" '
        'rel="nofollow">Go</a>',
        "<script>alert(1)</script>",
        "<div>",
        "</div>",
        "</p>",
        '<span id="faq">',
        '<div id="FAQ">',
        '<p style="color:red" onclick="x()">',
        '<iframe src="https://x.example">',
        "<b><i>open",
        "<table><tr><td>cell",
        "<!-- note -->",
        '<img src="nope.png">',
        '<img src="https://x/y.png" alt="">',
        "&nbsp;",
        "&amp;",
        "&bogus;",
        "<form><input name=q>",
        "<svg><circle r=1 /></svg>",
        '<a href="javascript:alert(1)">js</a>',
        "<details><summary>More</summary>hidden",
        "<br>",
        '<h2 id="faq">FAQ</h2>',
        "<h1>Second title</h1>",
        '<section class="chapter-title">',
    ]
)


@st.composite
def blocks(draw: st.DrawFn) -> str:
    kind = draw(
        st.sampled_from(
            [
                "heading",
                "paragraph",
                "list",
                "olist",
                "meta",
                "link",
                "html",
                "rule",
                "code",
                "table",
            ]
        )
    )
    if kind == "heading":
        level = draw(st.integers(1, 6))
        return "#" * level + " " + draw(words) + draw(st.sampled_from(["", " {#faq}", " {#Q 1}"]))
    if kind == "paragraph":
        return draw(words) + " *" + draw(words) + "* and **" + draw(words) + "** `x`"
    if kind == "list":
        return "\n".join("- " + draw(words) for _ in range(draw(st.integers(1, 3))))
    if kind == "olist":
        return "\n".join(f"{n}. " + draw(words) for n in range(1, draw(st.integers(2, 4))))
    if kind == "meta":
        labels = draw(
            st.lists(
                st.sampled_from(
                    [
                        "Body Part",
                        "Equipment",
                        "Target Muscle",
                        "Secondary Muscles",
                        "Difficulty",
                        "Force",
                        "Level",
                    ]
                ),
                min_size=1,
                max_size=4,
            )
        )
        return "\n".join(f"- **{label}:** {draw(words)}" for label in labels)
    if kind == "link":
        return f"See [{draw(words)}]({draw(targets)}) now."
    if kind == "html":
        return "\n".join(draw(st.lists(html_snippets, min_size=1, max_size=4)))
    if kind == "rule":
        return "---"
    if kind == "code":
        return "```\n# not a heading\n<script>x</script>\n```"
    return "| a | b |\n|:--|--:|\n| " + draw(words) + " | [x](" + draw(targets) + ") |"


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | words | st.sampled_from(["2026-01-02", ""]),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["a", "b"]), inner, max_size=2)
    ),
    max_leaves=4,
)
front_keys = st.sampled_from(
    [
        "title",
        "slug",
        "kind",
        "description",
        "meta",
        "keywords",
        "body_part",
        "equipment",
        "target_muscles",
        "secondary_muscles",
        "difficulty",
        "category",
        "video",
        "draft",
        "titel",
        "colour",
    ]
)


text_keys = st.sampled_from(
    ["title", "description", "meta", "body_part", "difficulty", "category", "video"]
)
list_keys = st.sampled_from(["keywords", "equipment", "target_muscles", "secondary_muscles"])


@st.composite
def front_matter(draw: st.DrawFn) -> str:
    # Mostly valid front matter, so that most examples reach the converter; sometimes hostile.
    choice = draw(st.sampled_from(["none", "none", "valid", "valid", "valid", "hostile", "broken"]))
    if choice == "none":
        return ""
    if choice == "broken":
        return "---\ntitle: [unclosed\n---\n"
    if choice == "valid":
        data = draw(st.dictionaries(text_keys, words, max_size=3))
        data.update(
            draw(
                st.dictionaries(
                    list_keys, st.lists(words, min_size=1, max_size=3) | words, max_size=3
                )
            )
        )
        if draw(st.booleans()):
            data["kind"] = draw(st.sampled_from(["exercise", "guide"]))
    else:
        data = draw(st.dictionaries(front_keys, yaml_values, max_size=4))
        if draw(st.booleans()):
            data["slug"] = draw(st.sampled_from(["ch1", "Bad Slug", "ok-slug", "x--y"]))
    return "---\n" + yaml.safe_dump(data, allow_unicode=True) + "---\n"


@st.composite
def chapter(draw: st.DrawFn) -> str:
    title = draw(st.sampled_from(["# ", "# ", "# ", "# ", ""]))
    title = title + draw(words) + "\n\n" if title else ""
    body = "\n\n".join(draw(st.lists(blocks(), min_size=0, max_size=8)))
    return draw(front_matter()) + title + body + "\n"


books = st.dictionaries(
    st.sampled_from(
        ["exercises/ch1.md", "guides/ch1.md", "guides/guide-ch4.md", "ch3.md", "misc/ch5.md"]
    ),
    chapter(),
    min_size=1,
    max_size=3,
)


@settings(
    max_examples=50, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(files=books, site_url=st.sampled_from([None, "https://example.org"]))
def test_random_markdown_converts_or_fails_with_book_error(
    files: dict[str, str], site_url: str | None
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for relative, text in files.items():
            path = root / "content" / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        if site_url:
            (root / "book.yml").write_text(f"site_url: {site_url}\n", encoding="utf-8")
        reporter = Reporter(sink=None)
        try:
            book = load_book(root / "content", None, reporter)
            reporter.check()
            edition = convert_book(book, reporter)
            reporter.check()
        except BookError:
            return

    seen: set[str] = set()
    for doc in edition.chapters:
        tree = etree.fromstring(f"<div>{doc.html}</div>")
        ids = [el.get("id") for el in tree.iter() if el.get("id") is not None]
        assert len(ids) == len(set(ids)), doc.chapter.path
        assert all(ID_RE.match(i) and i.startswith(doc.chapter.slug + "--") for i in ids), ids
        assert not seen & set(ids), "ids must be unique book-wide"
        seen |= set(ids)
        for element in tree.iter():
            assert element.tag not in ("script", "iframe", "form", "input")
            assert not [k for k in element.attrib if k.startswith("on")]
        for a in tree.iter("a"):
            href = a.get("href") or ""
            assert href.startswith(("#", "https://", "mailto:")), href


# --- pasted HTML: the content model holds whatever tags come in any order -----------------

SOUP_TAGS = [
    "p",
    "div",
    "span",
    "b",
    "em",
    "h2",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "table",
    "tr",
    "td",
    "th",
    "caption",
    "blockquote",
    "pre",
    "a",
    "figure",
    "figcaption",
    "details",
    "summary",
    "center",
    "font",
    "section",
    "code",
    "sup",
]

soup = st.lists(
    st.one_of(
        st.sampled_from(SOUP_TAGS).map(lambda t: f"<{t}>"),
        st.sampled_from(SOUP_TAGS).map(lambda t: f"</{t}>"),
        st.sampled_from(["text", "more words", " ", "\n\n"]),
    ),
    min_size=1,
    max_size=40,
).map("".join)

PHRASING_PARENTS = {"p", "span", "b", "em", "h2", "code", "sup", "pre", "dt", "summary", "caption"}
BLOCKS = {"div", "p", "ul", "ol", "dl", "table", "blockquote", "pre", "figure", "h2", "details"}


@settings(max_examples=300, deadline=None)
@given(html=soup)
def test_pasted_tag_soup_always_meets_the_xhtml_content_model(html: str) -> None:
    root = parse_fragment(sanitize(html))
    tidy_attributes(root)
    repair_content_model(root)
    etree.fromstring(f"<div>{to_xhtml(root)}</div>")  # well-formed
    for element in root.iter():
        tag, parent = element.tag, element.getparent()
        if tag == "li":
            assert parent is not None and parent.tag in ("ul", "ol")
        if tag in ("dt", "dd"):
            assert parent is not None and parent.tag == "dl"
        if tag in ("ul", "ol"):
            assert all(child.tag == "li" for child in element)
            assert not (element.text or "").strip()
        if tag == "dl" and len(element):
            assert element[0].tag == "dt" and element[-1].tag == "dd"
        if tag in PHRASING_PARENTS:
            blocks = {child.tag for child in element.iter() if child is not element} & BLOCKS
            assert not blocks, f"{tag} holds {blocks}"
