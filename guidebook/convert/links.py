"""Link resolution: every `<a href>` becomes a chapter link, an external link or plain text.

- `other.md`, `../guides/other.md#part`, `#part`: links to chapters of the book, written in the
  one-document form `#anchor--id`, the anchor being the chapter's slug or, when the slug is not a
  usable XML name, `c-<slug>` (names.py); render/epub.py turns them into `file.xhtml#id`;
- `/guide/deadlift-form` (site-relative) or an address under `site_url`: the chapter whose slug
  is the last path segment when the book has it, else the page on `site_url`;
- `https://...`, `mailto:`: kept;
- anything else is never a dead link: it becomes plain text and a warning names the line.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from lxml import etree

from guidebook.convert.tree import text_of, unwrap
from guidebook.diagnostics import Reporter
from guidebook.model import Chapter
from guidebook.text import line_of, slugify

EXTERNAL_SCHEMES = ("http", "https", "mailto", "tel")
PAGE_SUFFIXES = (".md", ".markdown", ".html", ".htm", ".xhtml")


@dataclass(frozen=True)
class LinkTable:
    """What links can point at: chapters by source path and by name, and their ids."""

    by_path: Mapping[Path, str]
    by_name: Mapping[str, str]  # slug or alias -> slug
    ids: Mapping[str, Mapping[str, str]]  # slug -> {author's anchor name -> book-wide id}
    site_url: str | None
    anchors: Mapping[str, str]  # slug -> the chapter's element id
    # (folder, written path) -> the file it names: chapters link to the same few targets
    resolved: dict[tuple[Path, str], Path] = field(default_factory=dict, compare=False)

    def file_named(self, folder: Path, written: str) -> Path:
        """The file `written` (a relative path, %-encoded) names from `folder`, resolved."""
        key = (folder, written)
        if key not in self.resolved:
            self.resolved[key] = (folder / unquote(written)).resolve()
        return self.resolved[key]

    @classmethod
    def build(
        cls,
        chapters: tuple[Chapter, ...],
        ids: Mapping[str, Mapping[str, str]],
        site_url: str | None,
    ) -> LinkTable:
        by_name: dict[str, str] = {}
        for chapter in chapters:
            by_name[chapter.slug] = chapter.slug
            for alias in chapter.aliases:
                by_name.setdefault(alias, chapter.slug)
        return cls(
            {c.path.resolve(): c.slug for c in chapters},
            by_name,
            ids,
            site_url,
            {c.slug: c.anchor for c in chapters},
        )


def resolve_links(
    root: etree._Element, chapter: Chapter, table: LinkTable, reporter: Reporter
) -> None:
    for link in list(root.iter("a")):
        href = (link.get("href") or "").strip()
        if not href:
            text = text_of(link)
            if text:  # an <a id> anchor has no text and needs no word
                reporter.warning(
                    f"link '{text}' has no address (or one removed as unsafe, such as "
                    "javascript: or file:); printed as plain text",
                    chapter.path,
                    line_of(chapter.markdown, text),
                )
            unwrap(link)
            continue
        target, problem = _resolve(href, chapter, table)
        if target is None:
            reporter.warning(
                f"link '{href}' {problem}; printed as plain text",
                chapter.path,
                line_of(chapter.markdown, href),
            )
            unwrap(link)
            continue
        link.set("href", target)
        if (
            target.startswith("#")
            and not target[1:].startswith(chapter.anchor + "--")
            and target[1:] != chapter.anchor
        ):
            link.set("class", _add_class(link.get("class"), "xref"))
        elif not target.startswith("#"):
            link.set("class", _add_class(link.get("class"), "ext"))


def _resolve(href: str, chapter: Chapter, table: LinkTable) -> tuple[str | None, str]:
    parts = urlsplit(href)
    scheme = parts.scheme.lower()
    if table.site_url and href.startswith(table.site_url + "/"):
        return _site_path(href[len(table.site_url) :], table, external=href)
    if scheme in EXTERNAL_SCHEMES:
        return _external(href, scheme, parts.netloc, parts.path)
    if scheme or parts.netloc:
        return None, f"uses the '{scheme or '//'}' scheme, which outputs cannot follow"
    if href.startswith("#"):
        return _anchor(chapter.slug, unquote(parts.fragment), table, chapter.slug)
    if parts.path.startswith("/"):
        return _site_path(href, table, external=None)
    return _relative(parts.path, parts.fragment, chapter, table)


# RFC 3986 reserved and unreserved characters and '%' (existing escapes): everything else in an
# address (a space, '|', '"', a second '#', non-ASCII letters) is percent-encoded, because EPUBCheck
# refuses an href that is not a valid URL (RSC-020) and readers may not follow it.
_URL_SAFE = "!$&'()*+,;=:@/?[]~%-._"


def _external(href: str, scheme: str, netloc: str, path: str) -> tuple[str | None, str]:
    if scheme in ("http", "https") and not netloc:
        return None, "names no web server after 'https://'"
    if scheme in ("mailto", "tel") and not path.strip():
        return None, f"has nothing after '{scheme}:'"
    address, hash_sign, fragment = href.partition("#")
    return quote(address, safe=_URL_SAFE) + hash_sign + quote(fragment, safe=_URL_SAFE), ""


def _relative(
    path: str, fragment: str, chapter: Chapter, table: LinkTable
) -> tuple[str | None, str]:
    target = table.file_named(chapter.path.parent, path)
    slug = table.by_path.get(target)
    if slug is None and target.suffix.lower() in PAGE_SUFFIXES:
        slug = table.by_path.get(target.with_suffix(".md"))
    if slug is None:  # a site-style name: `squat`, `../squat.html`, `3-4-sit-up`, `a.b.c`
        name = Path(unquote(path)).name
        slug = table.by_name.get(slugify(Path(name).stem)) or table.by_name.get(slugify(name))
    if slug is None:
        return None, "points to no chapter of the book"
    return _anchor(slug, unquote(fragment), table, chapter.slug)


def _site_path(href: str, table: LinkTable, external: str | None) -> tuple[str | None, str]:
    parts = urlsplit(href)
    segments = [s for s in parts.path.split("/") if s]
    name = slugify(Path(segments[-1]).stem) if segments else ""
    slug = table.by_name.get(name)
    if slug is not None:
        return _anchor(slug, unquote(parts.fragment), table, None)
    if external is not None:
        return external, ""
    if table.site_url:
        return table.site_url + href, ""
    return None, (
        "leads to no chapter of the book and no site_url is set (add the chapter, or "
        "set site_url in book.yml)"
    )


def _anchor(slug: str, fragment: str, table: LinkTable, here: str | None) -> tuple[str | None, str]:
    if not fragment:
        return f"#{table.anchors[slug]}", ""
    ids = table.ids.get(slug, {})
    target = ids.get(fragment) or ids.get(slugify(fragment))
    if target is None:
        where = "this chapter" if slug == here else f"chapter '{slug}'"
        return None, f"names '#{fragment}', which is not a heading or id in {where}"
    return f"#{target}", ""


def _add_class(existing: str | None, name: str) -> str:
    return f"{existing} {name}" if existing else name
