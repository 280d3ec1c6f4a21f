"""The EPUB's page-list: the print edition's pages, marked in the text (`pagemap.py`), listed
in the navigation document, and said in the package's metadata."""

from __future__ import annotations

from guidebook.render.pagemap import Marker, PageMap


def page_list_nav(markers: list[Marker], title: str = "Pages") -> str:
    """The navigation document's page-list (`<nav epub:type="page-list">`), hidden from the
    table of contents but offered by reading systems as "go to page"."""
    items = "".join(f'<li><a href="{m.file}#{m.id}">{m.label}</a></li>' for m in markers)
    return (
        f'<nav epub:type="page-list" role="doc-pagelist" id="page-list" hidden="hidden">'
        f"<h2>{title}</h2><ol>{items}</ol></nav>"
    )


def page_list_metadata(pages: PageMap) -> list[tuple[str, str]]:
    """The package metadata a page-list brings: the feature, and the edition it is of."""
    return [
        ("schema:accessibilityFeature", "printPageNumbers"),
        ("pageBreakSource", pages.source),
    ]


def page_list_summary(pages: PageMap) -> str:
    return (
        f"The page numbers of {pages.source} are marked in the text and listed in the "
        "navigation (page-list)."
    )


NAV = "EPUB/nav.xhtml"  # where EbookLib writes the navigation document


def with_page_list(nav: bytes, page_list: str) -> bytes:
    """The navigation document with `page_list` (`page_list_nav`) at the end of its body."""
    head, closing, tail = nav.rpartition(b"</body>")
    if not closing:
        raise AssertionError("EbookLib's navigation document has no </body>")
    return head + page_list.encode("utf-8") + closing + tail
