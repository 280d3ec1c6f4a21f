"""Handout target: one standalone PDF per chapter (`<out>/handouts/<slug>.pdf`).

A handout is the chapter as the book prints it, with its own title block and images at print
size. Links to other chapters cannot work in a file of its own: they go to the chapter's web
page when the book has one (`chapter_link`), else they become plain text.
"""

from __future__ import annotations

from collections.abc import Sequence

from guidebook.contract import Needs, Output, RenderContext, Renderer
from guidebook.convert.tree import parse_fragment, to_xhtml, unwrap
from guidebook.model import ChapterDoc, Edition
from guidebook.printables.content import chapter_assets, chapter_link
from guidebook.printables.jobs import choose, file_stems, run_jobs
from guidebook.printables.render import Job
from guidebook.render.context import chapter_view
from guidebook.render.paper import mark_for_paper

TEMPLATE = "printables/handout.html.j2"


class HandoutTarget(Renderer):
    name = "handout"
    needs = Needs(print_images=True)

    def chapters(self, context: RenderContext) -> Sequence[str]:
        docs = [doc.chapter.slug for doc in context.edition.chapters]
        return choose(context, docs, "chapter")

    def render(self, context: RenderContext) -> list[Output]:
        edition = context.edition
        docs = {doc.chapter.slug: doc for doc in edition.chapters}
        chosen = self.chapters(context)
        names = file_stems(chosen, "chapter")
        cfg = edition.book.config
        jobs = []
        for slug in chosen:
            doc = docs[slug]
            view = chapter_view(doc, first=False, body_of=lambda d: _body(d, docs, edition))
            jobs.append(
                Job(
                    TEMPLATE,
                    {
                        "chapter": view,
                        "book_title": cfg.title,
                        "language": cfg.language,
                        "link": chapter_link(doc, cfg)[0],
                    },
                    context.out_dir / "handouts" / f"{names[slug]}.pdf",
                    assets=chapter_assets(doc, edition),
                    label=f"handout of {slug}",
                    source=doc.chapter.path,
                )
            )
        return run_jobs(jobs, context, "handouts")


def _body(doc: ChapterDoc, docs: dict[str, ChapterDoc], edition: Edition) -> str:
    """The chapter's XHTML with links to other chapters sent to their web page, or made text."""
    root = parse_fragment(doc.html)
    # Links read `#anchor--id`; the anchor is the slug unless that is no XML name (names.py).
    by_anchor = {d.chapter.anchor: d for d in docs.values()}
    for link in list(root.iter("a")):
        href = link.get("href") or ""
        if not href.startswith("#") or href[1:] in doc.ids:
            continue
        target = by_anchor.get(href[1:].split("--")[0])
        url = chapter_link(target, edition.book.config)[0] if target else None
        if url:
            link.set("href", url)
            link.set("class", "ext")
        else:
            unwrap(link)
    mark_for_paper(root)  # addresses after links, last words unhyphenated, as in the book
    return to_xhtml(root)
