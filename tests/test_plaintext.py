"""The inline fast path (`convert/plaintext.py`): texts that no inline pattern can match skip
the inline passes, and the HTML is exactly what Python-Markdown makes without it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

import markdown
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown.inlinepatterns import SimpleTagInlineProcessor

from guidebook.convert.markdown import MarkdownConverter
from guidebook.convert.plaintext import TRIGGERS, PlainTextExtension, Skip, triggers_of

ROOT = Path(__file__).resolve().parent.parent

# Pieces of Markdown that start, end or sit next to every inline pattern and block we use.
PIECES = [
    "Squat", "deep", " ", "  ", "\n", "\n\n", "\t", "é", "中", "🏋", "'", '"', "don't",
    "'90s", "--", "---", "...", "*", "**", "_", "__", "[", "]", "(", ")", "<", ">", "&",
    "&amp;", "&#8212;", "\\", "\\*", "  \n", "`", "``", "!", "{: .x }", "{#id}", "\n- ",
    "\n1. ", "\n> ", '\n!!! note "Title"\n    ', "\n> [!TIP]\n> ", "[^1]", "\n[^1]: note\n",
    "|", "\n| a | b |\n|---|---|\n| c | d |\n", ":", "\n*[HTML]: Hyper Text\n", "HTML",
    "<b>", "</b>", "<!-- c -->", "http://x.y", "<http://a.b>", "<a@b.c>", "![alt](p.jpg)",
    "[link](http://x)", "[ref][r]", "\n[r]: http://r\n", "\n```\ncode 'q'\n```\n",
    "\n    indented 'q'\n", "\n# Head\n", "\n## Head {#id}\n", "\nTerm\n: def\n",
]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_the_html_is_what_python_markdown_makes_without_the_fast_path(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert _FAST.convert(text) == _PLAIN.convert(text)


_FAST, _PLAIN = MarkdownConverter(), MarkdownConverter(skip_plain=False)


def test_the_sample_and_the_seeds_convert_the_same() -> None:
    files = [*sorted((ROOT / "content").rglob("*.md")), *sorted(ROOT.parent.glob("shared/seeds/*"))]
    texts = [path.read_text(encoding="utf-8") for path in files if path.is_file()]
    assert len(texts) > 10
    for text in texts:
        assert _FAST.convert(text) == _PLAIN.convert(text)


def test_both_inline_passes_are_known_so_both_take_the_fast_path() -> None:
    """If a Python-Markdown upgrade adds a pattern, the fast path turns itself off; this says so
    (add the pattern's trigger to TRIGGERS) instead of the build quietly getting slower."""
    md = _FAST._md
    for name in ("inline", "smarty"):
        assert triggers_of(md.treeprocessors[name]) is not None, name
    marked: list[int] = []
    for name in ("guidebook_plain_inline", "guidebook_plain_smarty"):
        skip = md.treeprocessors[name]
        assert isinstance(skip, Skip)
        skip.run = _counting(skip, marked)  # type: ignore[method-assign,assignment]
    try:
        _FAST.convert("A plain sentence.\n\nAnother, with *stress* and no quote.\n")
    finally:
        for name in ("guidebook_plain_inline", "guidebook_plain_smarty"):
            del md.treeprocessors[name].run
    # The main pass: the first paragraph. Smarty's: the root's line break, both paragraphs, and
    # the emphasis's text and tail.
    assert marked == [1, 5]


def _counting(skip: Skip, counts: list[int]) -> Callable[[ElementTree.Element], None]:
    original = skip.run

    def run(root: ElementTree.Element) -> None:
        original(root)
        counts.append(len(skip.marked))

    return run


def test_a_pattern_it_does_not_know_turns_the_fast_path_off() -> None:
    md = markdown.Markdown(extensions=["markdown.extensions.smarty", PlainTextExtension()])
    md.inlinePatterns.register(SimpleTagInlineProcessor(r"()%%(.+?)%%", "mark"), "mark", 5)
    assert "mark" not in TRIGGERS
    assert triggers_of(md.treeprocessors["inline"]) is None
    assert triggers_of(md.treeprocessors["smarty"]) is not None
    # Nothing is marked for the main pass, so the unknown pattern still sees every text.
    assert md.convert("a %%marked%% word") == "<p>a <mark>marked</mark> word</p>"
