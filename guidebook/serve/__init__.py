"""`make-book serve`: the book as an HTML page on 127.0.0.1 that reloads on every save.

One loop: build the page (`rebuild.py`), serve it (`server.py`, a thread), wait for changes
(`watcher.py`), build again and tell the open pages to reload (server-sent events); with
`--pdf`, a worker process makes the PDF after each change (`pdf.py`). Content errors show in
the page over the last good build and go when fixed. Ctrl-C stops it cleanly.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from guidebook.build import BuildRequest
from guidebook.diagnostics import UsageError
from guidebook.serve.pdf import PdfWorker
from guidebook.serve.rebuild import Rebuilder
from guidebook.serve.server import Hub, PreviewServer, Sources, is_loopback
from guidebook.serve.watcher import Watcher, roots_for

Say = Callable[[str], None]


@dataclass(frozen=True)
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 8000
    pdf: bool = False
    strict: bool = False


def serve(request: BuildRequest, options: ServeOptions, say: Say) -> int:
    """Serve until interrupted (KeyboardInterrupt propagates to the command line)."""
    if not is_loopback(options.host):
        say(
            f"warning: serving on {options.host}: anyone who can reach this machine can read "
            "the book; leave out --host to keep it on 127.0.0.1"
        )
    rebuilder = Rebuilder(request, strict=options.strict, pdf=options.pdf)
    page, line = rebuilder.rebuild()
    say(line)
    hub = Hub(page)
    worker = PdfWorker(request, options.strict, hub.publish_pdf, say) if options.pdf else None
    if worker is not None and page.book is not None:
        worker.output = page.book.config.output
    sources = Sources(request.content_dir, worker.path if worker is not None else None)
    try:
        server = PreviewServer(options.host, options.port, hub, sources)
    except OSError as exc:
        if worker is not None:
            worker.stop()
        raise UsageError(
            f"serve: cannot listen on {options.host}:{options.port} ({exc.strerror}); "
            "choose another --port"
        ) from None
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = str(server.server_address[0]), int(server.server_address[1])
    shown = f"[{host}]" if ":" in host else host
    say(f"serving http://{shown}:{port}/ (Ctrl-C stops)")
    if worker is not None:
        worker.want()
    watcher = Watcher(roots_for(request, page.book))
    try:
        while True:
            changed = watcher.changes(timeout=1.0)
            for refused in server.log[:]:
                say(refused)
                server.log.remove(refused)
            if not changed:
                continue
            page, line = rebuilder.rebuild()
            hub.publish(page)
            say(f"{len(changed)} file(s) changed: {line}")
            if worker is not None:
                worker.want()
            roots = roots_for(request, page.book)
            if roots != watcher.roots:  # a new layouts/ folder or book file to watch
                watcher.stop()
                watcher = Watcher(roots)
    finally:
        watcher.stop()
        if worker is not None:
            worker.stop()
        hub.close()
        server.shutdown()
        server.server_close()
