"""EPUB 3 target with EbookLib: cover, title page, nav + NCX, one XHTML file per chapter.

Every chapter and part is one file, `<anchor>.xhtml`, and one manifest item, `c-<anchor>`: the
anchor is a valid XML name unique in the book that no file or id of the package's own uses
(names.py), and the `c-` prefix keeps manifest ids apart from EbookLib's own (`style`, `ncx`,
`cover-img`, `id`, `creator0`, `img-...`), whatever the chapters are called.
The edition's one-document links (`#anchor--id`) become `anchor.xhtml#anchor--id` here; ids are
unique book-wide, so the id alone says which file holds it. Chapters are given to EbookLib as
body fragments (a whole document given as text may be written as an empty file), stylesheets
are attached per item (EbookLib drops anything put in <head>), and the package carries the
EPUB Accessibility 1.1 metadata the European Accessibility Act asks of ebooks sold in the EU.
Photos over 4 megapixels, which Apple Books refuses, are scaled down for the EPUB alone.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path

import jinja2
from ebooklib import epub

from guidebook.contract import Needs, Output, RenderContext, Renderer
from guidebook.convert.tree import parse_fragment, to_xhtml
from guidebook.imagefile import fit_for_epub, inspect_image
from guidebook.model import ChapterDoc, Edition
from guidebook.render.context import BookView, book_view
from guidebook.render.cover import draw_cover
from guidebook.render.emoji import EmojiImages
from guidebook.render.epub_fonts import MEDIA_TYPE as FONT_MEDIA_TYPE
from guidebook.render.epub_fonts import marks_fonts
from guidebook.render.epubzip import write_zip
from guidebook.render.pagelist import page_list_metadata, page_list_nav, page_list_summary
from guidebook.render.pagemap import Marker, PageMap, mark_pages
from guidebook.render.resources import builtin_assets, template_env

ACCESSIBILITY = (
    ("schema:accessMode", "textual"),
    ("schema:accessMode", "visual"),
    ("schema:accessModeSufficient", "textual,visual"),
    ("schema:accessibilityFeature", "structuralNavigation"),
    ("schema:accessibilityFeature", "tableOfContents"),
    ("schema:accessibilityFeature", "readingOrder"),
    ("schema:accessibilityFeature", "alternativeText"),
    ("schema:accessibilityFeature", "displayTransformability"),
    ("schema:accessibilityHazard", "none"),
)
CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"
INDEX_FILE = "book_index.xhtml"  # no chapter's: anchors never contain "_" (names.py)
SUMMARY = (
    "Reflowable text with a navigable table of contents, headings for every chapter and "
    "section, and text alternatives for images."
)


class EpubTarget(Renderer):
    name = "epub"
    needs = Needs()

    def render(self, context: RenderContext) -> list[Output]:
        final = context.out_dir / f"{context.edition.book.config.output}.epub"
        (path,) = context.staging.claim([final])
        pages = context.handover.print_pages
        chapters, markers = render_epub(context.edition, path, context.when, pages)
        summary = chapter_count(chapters)
        if pages is not None:
            summary += f", {len(markers)} of {len(pages.pages)} print pages marked"
        return [Output(final, summary)]


def chapter_count(count: int) -> str:
    return f"{count} chapter{'s' if count != 1 else ''}"


def render_epub(
    edition: Edition, path: Path, when: dt.datetime, print_pages: PageMap | None = None
) -> tuple[int, list[Marker]]:
    """Write the EPUB to `path`; return the number of chapters and the print-page markers
    placed (none without `print_pages`, the PDF's pages laid out in the same build)."""
    files = {i: f"{doc.chapter.anchor}.xhtml" for doc in edition.chapters for i in doc.ids}
    view = book_view(edition, when.date(), body_of=lambda doc: _retarget(doc, files))
    env = template_env(edition.book)
    book = epub.EpubBook()
    _metadata(book, view, when)

    stylesheet = _stylesheet()
    css = epub.EpubItem(
        uid="style", file_name="css/book.css", media_type="text/css", content=stylesheet
    )
    book.add_item(css)
    emoji = EmojiImages(builtin_assets() / "fonts" / "NotoColorEmoji.ttf")

    def page(uid: str, name: str, title: str, content: str) -> epub.EpubHtml:
        """An XHTML item with the book's language and stylesheet, its emoji as images."""
        item = epub.EpubHtml(uid=uid, file_name=name, title=title, lang=view.language)
        item.content = emoji.replace(content)
        item.add_item(css)
        book.add_item(item)
        return item

    cover = _cover(book, edition, view, env, page)
    titlepage = page(
        "titlepage",
        "titlepage.xhtml",
        view.title,
        env.get_template("epub/titlepage.xhtml.j2").render(book=view),
    )
    nav = epub.EpubNav(uid="nav", file_name="nav.xhtml", title="Contents")
    nav.add_item(css)
    book.add_item(nav)
    book.add_item(epub.EpubNcx())

    spine: list[epub.EpubHtml] = [cover, titlepage, nav]
    markers: list[Marker] = []

    def marked(content: str, anchor: str, file: str | None = None) -> str:
        """The part's, chapter's or index's page with the print pages that begin in it marked."""
        if print_pages is None:
            return content
        content, placed = mark_pages(content, anchor, file or f"{anchor}.xhtml", print_pages)
        markers.extend(placed)
        return content

    toc: list[object] = []
    chapter_template = env.get_template("epub/chapter.xhtml.j2")
    part_template = env.get_template("epub/part.xhtml.j2")
    for number, part in enumerate(view.parts, 1):
        if part.title:
            content = marked(part_template.render(part=part, number=number), part.anchor)
            spine.append(page(manifest_id(part.anchor), part.file, part.title, content))
        links = []
        for ch in part.chapters:
            uid = manifest_id(ch.anchor)
            content = marked(chapter_template.render(ch=ch), ch.anchor)
            spine.append(page(uid, ch.file, ch.title, content))
            links.append(epub.Link(ch.file, ch.title, uid))
        if part.title:
            toc.append((epub.Section(part.title, href=part.file), links))
        else:
            toc.extend(links)
    if view.indexes:
        content = env.get_template("epub/index.xhtml.j2").render(indexes=view.indexes)
        for index in view.indexes:
            content = marked(content, index.anchor, INDEX_FILE)
        spine.append(page("book-index", INDEX_FILE, "Index", content))
        toc.extend(epub.Link(f"{INDEX_FILE}#{i.anchor}", i.title, i.anchor) for i in view.indexes)
    for asset in edition.assets:
        book.add_item(
            epub.EpubItem(
                uid=f"img-{asset.name.split('/')[-1]}",
                file_name=asset.name,
                media_type=asset.media_type,
                content=_image_for_epub(asset.read(), asset.media_type),
            )
        )
    _add_glyphs(book, emoji, stylesheet)

    _page_metadata(
        book,
        print_pages if markers else None,
        view.publisher or ", ".join(view.authors) or view.title,
    )
    book.toc = toc
    book.spine = spine
    first = view.chapters[0].file if view.chapters else "titlepage.xhtml"
    book.guide = [
        {"href": "cover.xhtml", "title": "Cover", "type": "cover"},
        {"href": "nav.xhtml", "title": "Contents", "type": "toc"},
        {"href": first, "title": "Start of content", "type": "bodymatter"},
        *([{"href": INDEX_FILE, "title": "Index", "type": "index"}] if view.indexes else []),
    ]
    packed = io.BytesIO()  # EbookLib's zip, left uncompressed: `write_zip` compresses once
    epub.write_epub(
        packed,
        book,
        {
            "compresslevel": 0,
            "raise_exceptions": True,
            "mtime": when,
            "epub2_guide": False,
            "epub3_landmark": True,
            "landmark_title": "Landmarks",
            "play_order": {"enabled": False},
            "epub3_pages": False,  # ours (below): EbookLib's takes any element with an id
        },
    )
    nav_extra = page_list_nav(markers) if markers else ""
    write_zip(packed, path, when, view.language, nav_extra)
    return len(view.chapters), markers


def manifest_id(anchor: str) -> str:
    """The manifest id (and NCX navPoint id) of a chapter's or part's file."""
    return f"c-{anchor}"


def _metadata(book: epub.EpubBook, view: BookView, when: dt.datetime) -> None:
    book.set_identifier(view.identifier)
    book.set_title(view.title)
    book.set_language(view.language)
    for index, author in enumerate(view.authors):
        book.add_author(author, uid=f"creator{index}")
    book.add_metadata("DC", "date", view.date.isoformat())
    if view.publisher:
        book.add_metadata("DC", "publisher", view.publisher)
    if view.rights:
        book.add_metadata("DC", "rights", view.rights)
    if view.description:
        book.add_metadata("DC", "description", view.description)
    for keyword in view.keywords:
        book.add_metadata("DC", "subject", keyword)
    for prop, value in ACCESSIBILITY:
        book.add_metadata(None, "meta", value, {"property": prop})


def _page_metadata(book: epub.EpubBook, print_pages: PageMap | None, certifier: str) -> None:
    """The accessibility summary and conformance claim, and with a page-list, what its page
    numbers are of."""
    summary = SUMMARY
    if print_pages is not None:
        for prop, value in page_list_metadata(print_pages):
            book.add_metadata(None, "meta", value, {"property": prop})
        summary += f" {page_list_summary(print_pages)}"
    book.add_metadata(None, "meta", summary, {"property": "schema:accessibilitySummary"})
    # The claim, and who makes it: DAISY Ace finds no violation in what we write
    # (tests/test_ace.py); the book's publisher (or authors) answer for their own content.
    book.add_metadata(None, "meta", CONFORMS_TO, {"property": "dcterms:conformsTo"})
    book.add_metadata(None, "meta", certifier, {"property": "a11y:certifiedBy"})


def _cover(
    book: epub.EpubBook,
    edition: Edition,
    view: BookView,
    env: jinja2.Environment,
    page: Callable[[str, str, str, str], epub.EpubHtml],
) -> epub.EpubHtml:
    configured = edition.book.config.cover
    if configured is not None:
        data = configured.read_bytes()  # checked when the book file was read
        name = f"images/cover{inspect_image(data).extension}"
    else:
        data, name = draw_cover(edition.book.config), "images/cover.jpg"
    book.set_cover(name, data, create_page=False)
    byline = f" by {', '.join(view.authors)}" if view.authors else ""
    content = env.get_template("epub/cover.xhtml.j2").render(
        image=name, alt=f"Cover: {view.title}{byline}"
    )
    return page("cover", "cover.xhtml", "Cover", content)


def _retarget(doc: ChapterDoc, files: dict[str, str]) -> str:
    """Turn `#id` links into `file.xhtml#id` (or `#id` within the same file)."""
    here = f"{doc.chapter.anchor}.xhtml"
    root = parse_fragment(doc.html)
    for link in root.iter("a"):
        href = link.get("href") or ""
        if not href.startswith("#"):
            continue
        file = files.get(href[1:])
        if file is None or file == here:
            continue
        link.set("href", file if href[1:] == file[: -len(".xhtml")] else file + href)
    return to_xhtml(root)


def _image_for_epub(data: bytes, media_type: str) -> bytes:
    """Apple Books rejects images over 4 megapixels inside an EPUB: larger photos are scaled
    down here, for the EPUB only (print keeps every pixel it can use)."""
    return fit_for_epub(data) if media_type in ("image/jpeg", "image/png") else data


def _add_glyphs(book: epub.EpubBook, emoji: EmojiImages, stylesheet: bytes) -> None:
    """The emoji pictures and the marks fonts (render/emoji.py, render/epub_fonts.py)."""
    for name, data in emoji.files():
        uid = "emoji-" + name.removeprefix("emoji/").removesuffix(".png")
        book.add_item(epub.EpubItem(uid=uid, file_name=name, media_type="image/png", content=data))
    for name, data in marks_fonts(builtin_assets() / "fonts", stylesheet.decode("utf-8")):
        uid = "font-" + name.removeprefix("fonts/").removesuffix(".otf")
        book.add_item(
            epub.EpubItem(uid=uid, file_name=name, media_type=FONT_MEDIA_TYPE, content=data)
        )


def _stylesheet() -> bytes:
    css = builtin_assets() / "css"
    return (css / "base.css").read_bytes() + b"\n" + (css / "epub.css").read_bytes()
