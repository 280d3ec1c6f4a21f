"""Card target: a one-page session card per session of a program (`<out>/cards/...`).

A card lists the session's exercises in order with sets, reps, load (worked out from each
athlete's 1RM when a roster gives it), effort, tempo and rest, a log cell per set and notes.
It needs a program file (`--program`, or the `cards PROGRAM` command).
"""

from __future__ import annotations

from collections.abc import Sequence

from guidebook.contract import Needs, Output, RenderContext, Renderer
from guidebook.filenames import file_stem, unique_stems
from guidebook.printables.content import exercise_sheets
from guidebook.printables.jobs import run_jobs
from guidebook.printables.loads import working_load
from guidebook.printables.render import Job

TEMPLATE = "printables/card.html.j2"


class CardTarget(Renderer):
    name = "card"
    needs = Needs()

    def chapters(self, context: RenderContext) -> Sequence[str]:
        program = context.inputs.program
        return program.exercise_slugs() if program else []

    def render(self, context: RenderContext) -> list[Output]:
        program = context.inputs.program
        assert program is not None, "the command line asks for a program with the card target"
        sheets = exercise_sheets(context.edition, context.reporter, self.chapters(context))
        cfg = context.edition.book.config
        names = unique_stems([file_stem(s.slug, "session") for s in program.sessions])
        jobs = []
        for athlete, folder in context.inputs.people:
            for session, name in zip(program.sessions, names, strict=True):
                rows = tuple(
                    (p, working_load(p, athlete, program), sheets[p.slug].thumbnail)
                    for p in session.exercises
                )
                thumbs = tuple(dict.fromkeys(t for _p, _l, t in rows if t is not None))
                jobs.append(
                    Job(
                        TEMPLATE,
                        {
                            "program": program.title,
                            "units": program.units,
                            "session": session,
                            "rows": rows,
                            "athlete": athlete.name if athlete else None,
                            "book_title": cfg.title,
                            "language": cfg.language,
                        },
                        context.out_dir / "cards" / folder / f"{name}.pdf",
                        assets=thumbs,
                        one_page=True,
                        label=f"session card {name}",
                        too_long="split the session into two, or give fewer exercises or sets",
                        source=program.path,
                    )
                )
        return run_jobs(jobs, context, "cards")
