"""Hostile Markdown: text that makes Python-Markdown quadratic (unclosed `[`, `](`, tags and
comments that never close) or that is nothing but markup converts in bounded time, with one
warning naming the file and line; ordinary writing converts exactly as before. Also (issue 8,
section 9): a word too long to print is broken and reported, and lists are flattened at the
same depth as quotes (the README's 30 levels)."""

from __future__ import annotations

import re
import time
import zipfile
from pathlib import Path
from typing import Any

import markdown
import markdown.treeprocessors
import pytest
from conftest import BOOKS, REPO, run_cli, warning_lines
from pypdf import PdfReader

from guidebook.convert.markdown import EXTENSIONS, MarkdownConverter

PLAIN = "warning: this paragraph is printed as plain text"
TAGS = "open an HTML tag or comment that never closes"
LONG_WORD = "warning: a word of"

# Repeated to SIZE characters, as one paragraph or as paragraphs of 2 KB, with the warnings
# expected (the first always, the others when markup is dense enough). Before the guards 200 KB
# of most of them took hours (8 KB of `[` took 10 s, and it grows with the square). The inner
# loop (`-m "not slow"`) checks four patterns as one paragraph, one of them opening a tag; the
# others, and every 2 KB layout, run with the whole suite.
SIZE = 200_000
PATTERNS = [
    ("[", [PLAIN]),
    pytest.param("[[[[a](", [PLAIN], marks=pytest.mark.slow),
    ("[a](", [PLAIN]),
    pytest.param("![a](b ", [PLAIN], marks=pytest.mark.slow),
    pytest.param("[a][", [PLAIN], marks=pytest.mark.slow),
    pytest.param("[^", [PLAIN], marks=pytest.mark.slow),
    pytest.param("![", [PLAIN], marks=pytest.mark.slow),
    pytest.param("*_`[<", [PLAIN], marks=pytest.mark.slow),
    ("**a*", [PLAIN]),
    pytest.param("\\\\", [PLAIN], marks=pytest.mark.slow),
    pytest.param("<a ", [TAGS, PLAIN], marks=pytest.mark.slow),
    pytest.param("</", [TAGS, PLAIN], marks=pytest.mark.slow),
    pytest.param("<!--", [TAGS, PLAIN], marks=pytest.mark.slow),
    pytest.param('<a x="', [TAGS, PLAIN], marks=pytest.mark.slow),
    ("<http://", [TAGS, PLAIN]),
]


def chapter(tmp_path: Path, body: str) -> Path:
    content = tmp_path / "proj" / "content"
    content.mkdir(parents=True)
    (content / "hostile.md").write_text(f"# Hostile\n\n{body}\n", encoding="utf-8")
    return content


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize(
    "layout", ["one paragraph", pytest.param("2 KB paragraphs", marks=pytest.mark.slow)]
)
@pytest.mark.parametrize(("pattern", "expected"), PATTERNS)
def test_pathological_inline_text_converts_with_one_warning(
    tmp_path: Path, pattern: str, expected: list[str], layout: str
) -> None:
    unit = pattern * (SIZE // len(pattern) if layout == "one paragraph" else 2048 // len(pattern))
    body = "\n\n".join([unit] * (SIZE // len(unit)))
    content = chapter(tmp_path, body)
    before = tree(tmp_path)
    code, _out, err = run_cli("check", "--content", content)
    assert "Traceback" not in err
    assert code == 0, err
    warnings = warning_lines(err)
    # Most of these are also one long "word": that warning may come too.
    assert [w for w in warnings if not any(e in w for e in [*expected, LONG_WORD])] == []
    assert len([w for w in warnings if expected[0] in w]) == 1  # the others may follow
    for line in warnings:
        assert line.startswith(f"{content / 'hostile.md'}:3: ")
    assert tree(tmp_path) == before


def test_a_plain_paragraph_keeps_its_text_and_the_rest_its_markup(tmp_path: Path) -> None:
    hostile = "[" * 20_000 + " tail &amp; <b"
    content = chapter(
        tmp_path, f"Before **bold**.\n\n{hostile}\n\nAfter *em* and [a link](https://example.org)."
    )
    out = tmp_path / "proj" / "out"
    code, _out, err = run_cli("build", "--content", content, "--out", out, "--format", "epub")
    assert code == 0, err
    plain, word = warning_lines(err)
    assert plain.startswith(f"{content / 'hostile.md'}:5: {PLAIN}")
    assert word.startswith(f"{content / 'hostile.md'}:5: {LONG_WORD} 20,000 characters")
    with zipfile.ZipFile(out / "book.epub") as epub:
        xhtml = epub.read("EPUB/hostile.xhtml").decode()
    assert "<strong>bold</strong>" in xhtml and "<em>em</em>" in xhtml
    # As typed (entities as characters), with the long word's break opportunities.
    assert "[" * 20_000 + " tail &amp; &lt;b" in xhtml.replace("\u200b", "")


def ordinary_documents() -> list[Path]:
    return sorted((REPO / "content").rglob("*.md")) + sorted(BOOKS.rglob("*.md"))


ORDINARY_EDGES = """# Edges

An unclosed [bracket, a stray ( and a `<` in code: `a < b`, `<div`, and a < b in text.

A [link](https://example.org/(x)) and ![an image](pic.png "title") and [ref][r] and [^1].

<div class="note">Raw <em>HTML</em> block</div>

    indented <code> [[[ block

```
fenced <a <a <a [[[
```

- list item with [a link](#a)
- **bold** *em* _em_ __strong__ \\*escaped\\* &amp; &copy;

[r]: https://example.org
[^1]: A footnote.
"""


@pytest.mark.parametrize("path", ordinary_documents(), ids=lambda p: p.name)
def test_ordinary_writing_converts_exactly_as_without_the_guards(path: Path) -> None:
    text = path.read_bytes().decode("utf-8", "replace")  # some fixtures are not UTF-8 on purpose
    assert MarkdownConverter().convert(text) == _unguarded(text)


def test_ordinary_edge_cases_convert_exactly_as_without_the_guards() -> None:
    converter = MarkdownConverter()
    assert converter.convert(ORDINARY_EDGES) == _unguarded(ORDINARY_EDGES)
    assert (converter.guarded.plain, converter.guarded.escaped) == ([], 0)


def _unguarded(text: str) -> str:
    md = markdown.Markdown(
        extensions=EXTENSIONS,
        extension_configs={"markdown.extensions.smarty": {"smart_angled_quotes": False}},
        output_format="html",
    )
    return str(md.convert(text))


# --- words too long to print -------------------------------------------------------------------


def body_text(page: Any) -> str:
    """The page's text without what is printed in its top and bottom 18 mm (running head,
    folio): pypdf's visitor gives each piece of text with its position."""
    height, margin = float(page.mediabox.height), 18 * 72 / 25.4
    pieces: list[str] = []

    def keep(text: str, cm: Any, tm: Any, _font: Any, _size: Any) -> None:
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]  # the text's baseline in page space
        if margin < y < height - margin:
            pieces.append(text)

    page.extract_text(visitor_text=keep)
    return "".join(pieces)


@pytest.mark.slow  # a PDF build each
@pytest.mark.parametrize(
    ("word", "where"),
    [
        ("x" * 5_000, "paragraph"),
        ("Z" * 3_000, "table cell"),
        ("0123456789abcdef" * 200, "list item"),
        ("http://" + "a" * 3_000, "address beyond any real one"),
    ],
)
def test_an_absurdly_long_word_is_broken_in_print_with_a_warning(
    tmp_path: Path, word: str, where: str
) -> None:
    body = {
        "paragraph": f"Before {word} after.",
        "table cell": f"| a | b |\n|---|---|\n| x | {word} |",
        "list item": f"- one\n- {word}",
        "address beyond any real one": f"See {word} now.",
    }[where]
    content = chapter(tmp_path, body)
    out = tmp_path / "proj" / "out"
    code, _out, err = run_cli("build", "--content", content, "--out", out)
    assert code == 0, err
    (line,) = warning_lines(err)
    number = 3 + body[: body.index(word)].count("\n")
    where_ = f"{content / 'hostile.md'}:{number}"
    assert line.startswith(
        f"{where_}: {LONG_WORD} {len(word):,} characters ('{word[:20]}...') "
        "has no place to break a line; it is broken every 20 characters"
    )
    # Every character reaches the page: nothing ran off it. (Only the text area is read: a
    # word broken over three pages would otherwise have running heads and folios inside it.)
    printed = "".join(body_text(page) for page in PdfReader(out / "book.pdf").pages)
    squeezed = re.sub(r"[\s\u200b\u2022-]", "", printed)  # list bullets extract apart
    assert word in squeezed


@pytest.mark.parametrize(
    "word",
    [
        "x" * 100,
        "https://example.org/" + "p" * 500,
        "Donaudampfschifffahrtsgesellschaft",
        "-".join(["step"] * 80),  # hyphens are places to break already
    ],
)
def test_long_but_real_words_and_addresses_are_left_alone(tmp_path: Path, word: str) -> None:
    content = chapter(tmp_path, f"Before {word} after.")
    out = tmp_path / "proj" / "out"
    code, _out, err = run_cli("build", "--content", content, "--out", out, "--format", "epub")
    assert (code, warning_lines(err)) == (0, [])
    with zipfile.ZipFile(out / "book.epub") as epub:
        assert word in epub.read("EPUB/hostile.xhtml").decode()


# --- nesting: flattened beyond 30 levels, for lists as for quotes ------------------------------

NESTING = "content nested more than 30 levels deep"


def nested(kind: str, levels: int) -> str:
    if kind == "quote":
        return "> " * levels + "deepest *words*\n"
    marker = "- " if kind == "list" else "1. "
    return "".join("    " * i + f"{marker}level {i + 1} *words*\n" for i in range(levels))


@pytest.mark.parametrize("kind", ["list", "numbered list", "quote"])
@pytest.mark.parametrize(("levels", "flattened"), [(30, False), (31, True)])
def test_nesting_is_flattened_from_level_31_whatever_it_is(
    tmp_path: Path, kind: str, levels: int, flattened: bool
) -> None:
    content = chapter(tmp_path, nested(kind, levels))
    code, _out, err = run_cli("check", "--content", content)
    assert code == 0, err
    assert [NESTING in w for w in warning_lines(err)] == ([True] if flattened else [])


def test_the_second_inline_pass_sees_no_indentation() -> None:
    """Smarty's inline pass looks every element with a tail up in its parent's children, so
    20,000 headings (each indented by a newline tail) took 30 s; without the indentation it
    is linear, and the indentation is back in the output."""
    seen: list[int] = []

    class Spy(markdown.treeprocessors.Treeprocessor):  # type: ignore[misc]
        def run(self, root: Any) -> None:
            seen.append(sum(1 for e in root.iter() if e.tail is not None and e.tail.isspace()))

    converter = MarkdownConverter()
    converter._md.treeprocessors.register(Spy(converter._md), "spy", 6.25)  # just before smarty
    html = converter.convert("## Same\n\nText.\n\n" * 1000)
    assert seen == [0]
    assert html.count("</h2>\n<p>") == 1000


@pytest.mark.parametrize("block", ["word\n\n", "| a | b |\n", "## Same\n\nText.\n\n"])
def test_a_chapter_longer_than_any_real_one_is_refused_at_once(tmp_path: Path, block: str) -> None:
    """Ordinary markup is linear but not cheap (0.3 ms a block): 200,000 one-word paragraphs
    took a minute. A chapter is refused past 20,000 lines, before any conversion."""
    content = chapter(tmp_path, block * 20_000)
    started = time.monotonic()
    code, _out, err = run_cli("check", "--content", content)
    assert code == 1
    path = content / "hostile.md"
    assert f"{path}: error: the chapter has " in err
    assert "a chapter may have at most 20,000: split it into several chapters" in err
    assert time.monotonic() - started < 10
