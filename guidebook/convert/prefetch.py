"""The costly, independent part of conversion done ahead in worker processes, for big books.

Two steps of `convert_book` cost most and depend on one chapter only: Markdown -> HTML
(Python-Markdown) and the check of each local image (Pillow decodes every photo to prove it is
whole). With more than one core and a book of more than `MIN_CHAPTERS` chapters, `prefetch`
runs them in forked workers, batch by batch, and hands back what they found: conversions go
into the converter's memo (`memo.py`), image checks into a table by file. `convert_book` then
runs its passes in order in this process, as always, and finds that work done.

What the workers return is a cache, not an authority: a chapter or image a worker could not do
(a Markdown recursion, an unreadable or damaged file, a worker that died) is simply left out,
and the parent does it again and reports it as it always does. Workers run the same guarded
code as the parent and start as every worker does (`workers.started`).
"""

from __future__ import annotations

import concurrent.futures as futures
import multiprocessing
import os
from pathlib import Path
from urllib.parse import urlsplit

from guidebook import workers
from guidebook.convert.images import local_image
from guidebook.convert.memo import Converted, MemoConverter
from guidebook.convert.sanitize import sanitize
from guidebook.convert.tree import parse_fragment
from guidebook.imagefile import ImageFile, ImageProblem
from guidebook.model import Book

MIN_CHAPTERS = 48  # below this, starting the workers costs about what they save
BATCHES_PER_WORKER = 4

# (chapter text, the chapter's folder, its conversion if the converter knows it) in;
# (text, its conversion if the worker made it, {image path: check}) out.
Job = tuple[str, Path, Converted | None]
Done = tuple[str, Converted | None, dict[str, ImageFile]]


def prefetch(book: Book, converter: MemoConverter, jobs: int) -> dict[str, ImageFile]:
    """Convert the chapters `converter` does not know and check every chapter's images in
    `jobs` workers; return the image checks by resolved path (empty when it is not worth it)."""
    if jobs < 2 or len(book.chapters) < MIN_CHAPTERS:
        return {}
    todo = [(ch.markdown, ch.path.parent, converter.known(ch.markdown)) for ch in book.chapters]
    batches = _batches(todo, jobs * BATCHES_PER_WORKER)
    checked: dict[str, ImageFile] = {}
    pool = futures.ProcessPoolExecutor(
        jobs,
        mp_context=multiprocessing.get_context("fork"),
        initializer=workers.started,
        initargs=(os.getpid(),),
    )
    try:
        for done in pool.map(_work, batches, [book.content_dir] * len(batches)):
            for text, converted, images in done:
                if converted is not None:
                    converter.remember(text, converted)
                checked |= images
    except (futures.process.BrokenProcessPool, OSError):
        pass  # the parent converts what is missing
    finally:
        workers.kill(pool)
    return checked


def _batches(todo: list[Job], count: int) -> list[list[Job]]:
    """`todo` in `count` runs of about equal text, in book order."""
    total = sum(len(text) for text, _folder, _known in todo) or 1
    batches: list[list[Job]] = [[]]
    filled = 0
    for job in todo:
        if filled >= total * len(batches) / count and batches[-1]:
            batches.append([])
        batches[-1].append(job)
        filled += len(job[0])
    return batches


def _work(batch: list[Job], content_dir: Path) -> list[Done]:
    converter = MemoConverter()
    done: list[Done] = []
    for text, folder, known in batch:
        made = None
        if known is None:
            try:
                known = made = Converted.of(converter.convert(text), converter.guarded)
            except RecursionError:
                converter = MemoConverter()
                continue
        done.append((text, made, _check_images(known.html, folder, content_dir)))
    return done


def _check_images(html: str, folder: Path, content_dir: Path) -> dict[str, ImageFile]:
    found: dict[str, ImageFile] = {}
    for img in parse_fragment(sanitize(html)).iter("img"):
        address = urlsplit((img.get("src") or "").strip())
        if address.scheme or address.netloc or not address.path:
            continue
        try:
            path, info = local_image(address.path, folder, content_dir)
        except (ImageProblem, OSError):
            continue
        found[str(path)] = info
    return found
