"""`serve --pdf`: the book's PDF made again after each change, in the background.

The PDF is made by `make-book build --targets pdf` in a child process, exactly as a build
makes it (through the writer: the previous PDF stays in place until the new one is complete).
A child rather than a thread because WeasyPrint's layout takes seconds and holds the
interpreter, which would hold up the HTML preview; and because the layout budgets
(`render/sandbox.py`) set process-wide limits that two renders at once would tangle. Changes
that arrive while a PDF is being made are made into one more PDF when it is done.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from guidebook.build import BuildRequest


@dataclass(frozen=True)
class PdfState:
    serial: int  # counts states, so that the page's link can tell a new PDF from the last
    label: str  # the link's text in the status bar
    detail: str = ""  # its tooltip: the first problem when the PDF could not be made
    href: str | None = None  # set once a PDF is in place


class PdfWorker:
    def __init__(
        self,
        request: BuildRequest,
        strict: bool,
        publish: Callable[[PdfState], None],
        progress: Callable[[str], None],
    ) -> None:
        self.request = request
        self.strict = strict
        self._publish = publish
        self._progress = progress
        self._wanted = threading.Condition()
        self._pending = False
        self._stopping = False
        self._child: subprocess.Popen[str] | None = None
        self._serial = 0
        self._href: str | None = None  # the last PDF made, still in place after a failure
        self.output = "book"  # the book file's `output`: the PDF's base name
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    @property
    def path(self) -> Path:
        return self.request.out_dir.resolve() / f"{self.output}.pdf"

    def want(self) -> None:
        """Make the PDF again (once more after the one being made, if any)."""
        with self._wanted:
            self._pending = True
            self._wanted.notify()

    def stop(self) -> None:
        with self._wanted:
            self._stopping = True
            self._wanted.notify()
            child = self._child
        if child is not None and child.poll() is None:
            child.terminate()  # the build removes its staging folder on SIGTERM
        self._thread.join(timeout=10)

    def command(self) -> list[str]:
        request = self.request
        command = [sys.executable, "-m", "guidebook", "build", "--targets", "pdf", "-q"]
        command += ["--content", str(request.content_dir.resolve())]
        command += ["--out", str(request.out_dir.resolve())]
        if request.book_file is not None:
            command += ["--book", str(request.book_file.resolve())]
        if self.strict:
            command.append("--strict")
        if request.remote_images:
            command.append("--allow-remote-images")
        return command

    def _run(self) -> None:
        while True:
            with self._wanted:
                while not (self._pending or self._stopping):
                    self._wanted.wait()
                if self._stopping:
                    return
                self._pending = False
                self._child = subprocess.Popen(
                    self.command(),
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
            self._state("PDF: rendering…", "the PDF is being laid out")
            out, err = self._child.communicate()
            with self._wanted:
                if self._stopping:
                    return
            self._finished(self._child.returncode, out, err)

    def _finished(self, code: int, out: str, err: str) -> None:
        problems = [line for line in err.splitlines() if line.strip()]
        for line in problems:
            self._progress(f"pdf: {line}")
        if code == 0:
            written = out.strip().removeprefix("wrote ") or "made again"
            self._progress(f"pdf: {written}")
            self._href = f"/{self.path.name}?v={self._serial + 1}"
            self._state("PDF", written)
        else:
            first = next((line for line in problems if "error:" in line), "see the terminal")
            old = "; the link is the last PDF made" if self._href else ""
            self._state("PDF: failed (see the terminal)", first + old)

    def _state(self, label: str, detail: str) -> None:
        self._serial += 1
        self._publish(PdfState(self._serial, label, detail, self._href))
