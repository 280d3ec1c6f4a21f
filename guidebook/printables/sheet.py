"""Sheet target: a one-page form sheet per exercise (`<out>/sheets/[<athlete>/]<slug>.pdf`).

A sheet holds the exercise's facts, its steps as a checklist, what to watch for, a log grid
and ruled notes, and a QR code to the chapter's video or web page; with a roster, every athlete
gets their own copy, with their name and 1RM.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from guidebook.contract import Needs, Output, RenderContext, Renderer
from guidebook.model import Edition
from guidebook.printables.content import ExerciseSheet, exercise_sheets
from guidebook.printables.jobs import choose, file_stems, run_jobs
from guidebook.printables.loads import format_number
from guidebook.printables.render import SHEET, Job
from guidebook.training import Person


class SheetTarget(Renderer):
    name = "sheet"
    needs = Needs()

    def chapters(self, context: RenderContext) -> Sequence[str]:
        """The exercises asked for; else, with a program, its exercises; else every one."""
        program = context.inputs.program
        if program and not context.inputs.slugs:
            return program.exercise_slugs()
        exercises = [
            d.chapter.slug for d in context.edition.chapters if d.chapter.kind == "exercise"
        ]
        return choose(context, exercises, "exercise")

    def render(self, context: RenderContext) -> list[Output]:
        chosen = self.chapters(context)
        sheets = exercise_sheets(context.edition, context.reporter, chosen)
        without = [slug for slug in chosen if sheets[slug].link is None]
        if without:
            config = context.edition.book.config
            context.reporter.note(
                f"{len(without)} of {len(chosen)} sheets have no QR code: their chapters have "
                "no 'url' or 'video' and the book file has no 'chapter_url'; add one, e.g. "
                "chapter_url: '{site_url}/exercises/{slug}'",
                config.path,
            )
        jobs = sheet_jobs([sheets[s] for s in chosen], context.inputs.people, context)
        return run_jobs(jobs, context, "sheets")


def sheet_jobs(
    sheets: Sequence[ExerciseSheet], people: Sequence[Person], context: RenderContext
) -> list[Job]:
    """A job per sheet and person: `<out>/sheets/<athlete folder>/<slug>.pdf`."""
    edition: Edition = context.edition
    cfg = edition.book.config
    paths: dict[str, Path] = {doc.chapter.slug: doc.chapter.path for doc in edition.chapters}
    names = file_stems([sheet.slug for sheet in sheets], "sheet")
    jobs = []
    for athlete, folder in people:
        for sheet in sheets:
            one_rm = athlete.one_rep_max.get(sheet.slug) if athlete else None
            jobs.append(
                Job(
                    SHEET,
                    {
                        "sheet": sheet,
                        "athlete": athlete.name if athlete else None,
                        "one_rm": format_number(one_rm) if one_rm else None,
                        "book_title": cfg.title,
                        "language": cfg.language,
                    },
                    context.out_dir / "sheets" / folder / f"{names[sheet.slug]}.pdf",
                    assets=(sheet.thumbnail,) if sheet.thumbnail else (),
                    one_page=True,
                    qr=sheet.link,
                    label=f"sheet for {sheet.slug}",
                    too_long="shorten the chapter's metadata, steps or common mistakes",
                    source=paths.get(sheet.slug),
                )
            )
    return jobs
