"""Card target: a one-page session card per session of a program (`<out>/cards/...`).

A card lists the session's exercises in order with sets, reps, load (worked out from each
athlete's 1RM when a roster gives it), effort, tempo and rest, boxes to log each set that fit
the exercise (`cardlog.card_log`: load, reps, seconds or distance, L and R per side) and notes.
Supersets and circuits (A1, A2 ...) are drawn as one linked group with their rest said once.
It needs a program file (`--program`, or the `cards PROGRAM` command).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from guidebook.contract import Needs, Output, RenderContext, Renderer
from guidebook.filenames import file_stem, unique_stems
from guidebook.model import Asset
from guidebook.printables.cardlog import blocks, card_log, set_boxes
from guidebook.printables.content import ExerciseSheet, exercise_sheets
from guidebook.printables.jobs import run_jobs
from guidebook.printables.loads import working_load
from guidebook.printables.render import Job
from guidebook.training import Athlete, Prescription, Program, Session

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
        sheets = exercise_sheets(context.edition, None, self.chapters(context))
        cfg = context.edition.book.config
        names = unique_stems([file_stem(s.slug, "session") for s in program.sessions])
        jobs = []
        for athlete, folder in context.inputs.people:
            for session, name in zip(program.sessions, names, strict=True):
                groups = _groups(session, athlete, program, sheets)
                thumbs = tuple(
                    dict.fromkeys(
                        t for _label, _rest, rows in groups for _p, _l, t, _b in rows if t
                    )
                )
                jobs.append(
                    Job(
                        TEMPLATE,
                        {
                            "program": program.title,
                            "units": program.units,
                            "session": session,
                            "groups": groups,
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


# One block of a card: its label ("Superset A") and rest line, and a row per exercise: the
# prescription, the athlete's load, the thumbnail and the labels of one set's log boxes.
Row = tuple[Prescription, str | None, Asset | None, tuple[str, ...]]


def _groups(
    session: Session,
    athlete: Athlete | None,
    program: Program,
    sheets: Mapping[str, ExerciseSheet],
) -> tuple[tuple[str | None, str | None, tuple[Row, ...]], ...]:
    def row(p: Prescription) -> Row:
        sheet = sheets[p.slug]
        boxes = set_boxes(card_log(p, sheet.log), p, program.units)
        return (p, working_load(p, athlete, program), sheet.thumbnail, boxes)

    return tuple(
        (block.label, block.rest, tuple(row(p) for p in block.exercises))
        for block in blocks(session.exercises)
    )
