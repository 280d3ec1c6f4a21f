"""The costly, independent part of conversion done ahead in worker processes, for big books.

Two steps of `convert_book` cost most and depend on one chapter only: Markdown -> HTML
(Python-Markdown) and the check of each local image (Pillow decodes every photo to prove it is
whole). With more than one core and a book of more than `MIN_CHAPTERS` chapters, `prefetch`
runs them in forked workers, batch by batch, in book order. `convert_book` runs its passes in
order in this process, as always, and as it reaches each chapter it takes in the batches up to
that chapter's (`Ahead`): conversions go into the converter's memo (`memo.py`), image checks
into a table by file. So this process works on the first chapters while the workers convert
the later ones.

What the workers return is a cache, not an authority: a chapter or image a worker could not do
(a Markdown recursion, an unreadable or damaged file, a worker that died) is simply left out,
and the parent does it again and reports it as it always does. Workers run the same guarded
code as the parent and start as every worker does (`workers.started`).
"""

from __future__ import annotations

import concurrent.futures as futures
import multiprocessing
import os
import re
from html import unescape
from pathlib import Path
from urllib.parse import urlsplit

from guidebook import workers
from guidebook.convert.images import local_image
from guidebook.convert.memo import Converted, MemoConverter
from guidebook.imagefile import ImageFile, ImageProblem
from guidebook.model import Book

MIN_CHAPTERS = 48  # below this, starting the workers costs about what they save
BATCHES_PER_WORKER = 4

# (chapter text, the chapter's folder, its conversion if the converter knows it) in;
# (text, its conversion if the worker made it, {image path: check}) out.
Job = tuple[str, Path, Converted | None]
Done = tuple[str, Converted | None, dict[str, ImageFile]]


class Ahead:
    """The workers' batches, taken in book order as conversion reaches them: the parent runs
    its passes on one chapter while the workers convert the chapters after it. `checked` fills
    with the image checks of every batch taken; all are in once the last chapter is reached."""

    def __init__(
        self,
        converter: MemoConverter,
        pool: futures.ProcessPoolExecutor,
        batches: list[list[Job]],
        content_dir: Path,
    ) -> None:
        self.converter = converter
        self.pool: futures.ProcessPoolExecutor | None = pool
        self.checked: dict[str, ImageFile] = {}
        self.batch_of: dict[str, int] = {}  # chapter text -> the first batch that holds it
        for index, batch in enumerate(batches):
            for text, _folder, _known in batch:
                self.batch_of.setdefault(text, index)
        self.running = [pool.submit(_work, batch, content_dir) for batch in batches]
        self.taken = 0
        converter.ahead = self  # each `convert` takes in the batches up to its chapter's

    def __call__(self, text: str) -> None:
        """Take in every batch up to the one holding `text` (a text no batch holds: none)."""
        wanted = self.batch_of.get(text, -1)
        while self.taken <= wanted:
            try:
                done = self.running[self.taken].result()
            except (futures.process.BrokenProcessPool, OSError):
                self.close()  # the parent converts what is missing
                return
            for text_done, converted, images in done:
                if converted is not None:
                    self.converter.remember(text_done, converted)
                self.checked |= images
            self.taken += 1
        if self.taken == len(self.running):
            self.close()

    def close(self) -> None:
        """Stop the workers (what they have not sent is done by the parent) and leave the
        converter as it was."""
        if self.pool is not None:
            workers.kill(self.pool)
            self.pool = None
        self.taken = len(self.running)
        self.converter.ahead = None


def prefetch(book: Book, converter: MemoConverter, jobs: int) -> Ahead | None:
    """Start converting the chapters `converter` does not know, and checking every chapter's
    images, in `jobs` workers (None when it is not worth it). The converter takes the results
    in as it reaches each chapter (`MemoConverter.ahead`) until the caller closes it."""
    if jobs < 2 or len(book.chapters) < MIN_CHAPTERS:
        return None
    todo = [(ch.markdown, ch.path.parent, converter.known(ch.markdown)) for ch in book.chapters]
    pool = futures.ProcessPoolExecutor(
        jobs,
        mp_context=multiprocessing.get_context("fork"),
        initializer=workers.started,
        initargs=(os.getpid(),),
    )
    return Ahead(converter, pool, _batches(todo, jobs * BATCHES_PER_WORKER), book.content_dir)


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


# An `<img>`'s src as Python-Markdown or a writer's raw HTML spells it. Found on the HTML text
# rather than on a sanitised tree: a miss is checked by the parent, an extra one costs a check.
_IMG_SRC = re.compile(
    r"""<img\b[^>]{0,4096}?\ssrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.IGNORECASE
)


def _check_images(html: str, folder: Path, content_dir: Path) -> dict[str, ImageFile]:
    found: dict[str, ImageFile] = {}
    for match in _IMG_SRC.finditer(html):
        src = unescape(next(group for group in match.groups() if group is not None))
        address = urlsplit(src.strip())
        if address.scheme or address.netloc or not address.path:
            continue
        try:
            path, info = local_image(address.path, folder, content_dir)
        except (ImageProblem, OSError):
            continue
        found[str(path)] = info
    return found
