"""Running printables: a target's jobs rendered as one batch into the build's staging folder.

Every output is claimed first (the writer refuses a path it may not replace before anything is
rendered), then the batch renders what changed (`batch.py`); each job's warnings and errors
are reported against its chapter or program file. One failed PDF fails the build, so nothing
is moved into place (`writer.py`).
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from guidebook.cache import OutputCache
from guidebook.contract import Output, RenderContext
from guidebook.filenames import file_stem, unique_stems
from guidebook.printables.batch import Batch
from guidebook.printables.render import Job
from guidebook.render.resources import layout_folders
from guidebook.schema import suggestion


def run_jobs(jobs: Sequence[Job], context: RenderContext, what: str) -> list[Output]:
    """Render `jobs` (PDFs of one kind, `what`: "sheets") into staging; one Output each."""
    context.staging.claim([job.output for job in jobs])
    batch = Batch(
        tuple(jobs),
        layout_folders(context.edition.book),
        context.setup.paper,
        context.inputs.workers,
    )
    started = time.perf_counter()
    results = batch.run(context.staging.path_for, OutputCache.load(context.out_dir))
    seconds = time.perf_counter() - started
    rendered = [r for r in results if not r.skipped]
    context.progress(
        f"rendered {len(rendered)} {what} in {seconds:.2f} s "
        f"({len(rendered) / max(seconds, 1e-9):.1f} per second, "
        f"{batch.processes(len(rendered))} process(es)); "
        f"{len(results) - len(rendered)} unchanged"
    )
    for job, result in zip(jobs, results, strict=True):
        for warning in result.warnings:
            context.reporter.warning(f"{job.label}: {warning}", job.source)
        if result.error:
            context.reporter.error(f"{job.label}: {result.error}", job.source)
    return [
        Output(r.output, f"{r.pages} page{'s' * (r.pages > 1)}", unchanged=r.skipped, key=r.key)
        for r in results
    ]


def choose(context: RenderContext, known: Sequence[str], what: str) -> list[str]:
    """The chapters of `known` asked for (`context.inputs.slugs`), or all of them. A slug that
    is no chapter is an error with a did-you-mean; one of another kind is skipped (handouts and
    sheets may be asked for together), unless that leaves this target nothing to print. The
    caller checks the reporter."""
    wanted = list(dict.fromkeys(context.inputs.slugs))
    if not wanted:
        return list(known)
    kinds = {doc.chapter.slug: doc.chapter.kind for doc in context.edition.chapters}
    chosen = [slug for slug in wanted if slug in known]
    for slug in wanted:
        if slug not in kinds:
            context.reporter.error(f"no {what} with the slug '{slug}'{suggestion(slug, known)}")
        elif not chosen:
            context.reporter.error(f"no {what} with the slug '{slug}' (it is a {kinds[slug]})")
    return chosen


def file_stems(slugs: Sequence[str], fallback: str) -> dict[str, str]:
    """Each slug's file name: safe and distinct (see filenames.py)."""
    return dict(zip(slugs, unique_stems([file_stem(s, fallback) for s in slugs]), strict=True))
