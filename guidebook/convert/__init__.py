"""Stage 2, convert: `Book` -> `Edition` (target-neutral XHTML fragments and their assets).

Per chapter: Markdown -> HTML (Python-Markdown) -> allow-list sanitising (nh3) -> lxml tree ->
content-model repair -> book-wide ids -> (once every chapter's ids are known) links, images,
sections -> XHTML text, and the chapter's content as data (`ChapterContent`).
Internal links come out in the one-document form `#anchor--id`; renderers adapt them.
"""

from __future__ import annotations

import html

from guidebook.convert.callouts import mark_callouts
from guidebook.convert.guard import GuardLog
from guidebook.convert.ids import assign_ids
from guidebook.convert.images import AssetRegistry, ImageOptions, collect_images
from guidebook.convert.links import LinkTable, resolve_links
from guidebook.convert.markdown import MarkdownConverter
from guidebook.convert.repair import repair_content_model
from guidebook.convert.sanitize import sanitize
from guidebook.convert.sections import read_content, structure_sections
from guidebook.convert.tree import (
    MAX_DEPTH,
    drop_disallowed,
    limit_depth,
    parse_fragment,
    tidy_attributes,
    to_xhtml,
)
from guidebook.convert.typography import tie_text
from guidebook.convert.words import BREAK_EVERY, break_long_words
from guidebook.diagnostics import Reporter
from guidebook.model import Book, Chapter, ChapterDoc, Edition
from guidebook.text import disallowed_reference_line, line_of

__all__ = ["ImageOptions", "convert_book"]


def convert_book(
    book: Book,
    reporter: Reporter,
    images: ImageOptions | None = None,
    converter: MarkdownConverter | None = None,
) -> Edition:
    """`converter`: one kept between builds (`serve` passes one that remembers its results)."""
    converter = converter or MarkdownConverter()
    trees = {}
    ids = {}
    headings = {}
    for chapter in book.chapters:
        try:
            html = converter.convert(chapter.markdown)
        except RecursionError:  # Python-Markdown recurses once per level of nesting
            reporter.error(
                "lists or quotes are nested too deeply to convert (hundreds of levels), or a "
                "definition list runs for hundreds of items without a blank line; flatten the "
                "structure or put blank lines between the items",
                chapter.path,
            )
            converter, html = MarkdownConverter(), ""  # the old one may be mid-parse
        _report_guarded(converter.guarded, chapter, reporter)
        clean = sanitize(html)
        root = parse_fragment(clean)
        if removed := drop_disallowed(root, clean):
            reporter.warning(
                f"removed {removed} control character(s) or Unicode noncharacter(s) written as "
                "character references (such as &#xFFFE;) that no output can carry; delete them",
                chapter.path,
                disallowed_reference_line(chapter.markdown),
            )
        if limit_depth(root):
            reporter.warning(
                f"content nested more than {MAX_DEPTH} levels deep (lists, quotes or HTML) is "
                "printed as plain text; flatten the structure",
                chapter.path,
            )
        tidy_attributes(root)
        mark_callouts(root)
        repair_content_model(root)
        ids[chapter.slug], headings[chapter.slug] = assign_ids(root, chapter.anchor)
        trees[chapter.slug] = root

    table = LinkTable.build(book.chapters, ids, book.config.site_url)
    registry = AssetRegistry()
    docs = {}
    for chapter in book.chapters:
        root = trees.pop(chapter.slug)  # free each tree once written out
        resolve_links(root, chapter, table, reporter)
        collect_images(
            root, chapter, book.content_dir, registry, reporter, images or ImageOptions()
        )
        sections = structure_sections(root)
        tie_text(root)
        _report_long_words(break_long_words(root), chapter, reporter)
        all_ids = frozenset(
            {chapter.anchor} | {el.get("id") for el in root.iter() if el.get("id") is not None}
        )
        docs[chapter.slug] = ChapterDoc(
            chapter,
            to_xhtml(root),
            all_ids,
            headings[chapter.slug],
            read_content(root, sections),
        )

    parts = tuple((part, tuple(docs[ch.slug] for ch in part.chapters)) for part in book.parts)
    return Edition(book, parts, registry.assets)


def _report_guarded(log: GuardLog, chapter: Chapter, reporter: Reporter) -> None:
    """One warning per kind of change the Markdown guards made (`guard.py`)."""
    if log.plain:
        more = len(log.plain) - 1
        reporter.warning(
            "this paragraph is printed as plain text: its unclosed '[' or '(' or its sheer "
            "amount of markup would take Markdown minutes to format"
            + (f" (so are {more} more in this chapter)" if more else "")
            + "; close the brackets or write \\[ for a literal bracket",
            chapter.path,
            _line(chapter.markdown, log.plain[0]),
        )
    if log.escaped:
        reporter.warning(
            f"{log.escaped} '<' open an HTML tag or comment that never closes; they are printed "
            "as text without being parsed as HTML (which would take minutes); write &lt; for a "
            "literal '<'",
            chapter.path,
            _line(chapter.markdown, log.first_escaped),
        )


_UNSMARTY = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "--"}
    | {"\u2014": "---", "\u2026": "..."}
)


def _line(markdown: str, text: str) -> int | None:
    """The line where `text` (as Markdown handed it over, maybe trimmed) starts."""
    # HtmlGuard may have written &lt;, smarty typographic quotes and dashes.
    for candidate in (text, html.unescape(text), text.translate(_UNSMARTY)):
        for size in (60, 20, 5):
            if (line := line_of(markdown, candidate.strip()[:size])) is not None:
                return line
    return None


def _report_long_words(words: list[str], chapter: Chapter, reporter: Reporter) -> None:
    if not words:
        return
    word = words[0]
    more = f" (and {len(words) - 1} more in this chapter)" if len(words) > 1 else ""
    reporter.warning(
        f"a word of {len(word):,} characters ('{word[:20]}...') has no place to break a "
        f"line{more}; it is broken every {BREAK_EVERY} characters; put spaces in it if it is "
        "not one word",
        chapter.path,
        _line(chapter.markdown, word.replace("\u200b", "")),
    )
