"""The preview's HTTP server (the standard library's, one thread per connection): the page, the
files it loads, the PDF under --pdf, and the event stream that tells pages to reload.

It answers only from the current `Page`'s table of files (`paths.py` guards the rest), only to
requests whose Host header names the address it listens on (a web page elsewhere cannot reach
it by pointing a name at 127.0.0.1, "DNS rebinding"), and sends every page with a
Content-Security-Policy that allows no script but the preview's own and nothing from other
hosts: what a chapter says cannot call out.
"""

from __future__ import annotations

import ipaddress
import json
import socket
import threading
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import BinaryIO

from guidebook.render.resources import builtin_assets
from guidebook.serve.page import EVENTS
from guidebook.serve.paths import Refused, open_inside, request_name
from guidebook.serve.pdf import PdfState
from guidebook.serve.rebuild import Page

KEEPALIVE_SECONDS = 15.0  # a comment on an idle event stream, so a dead client is noticed
CHUNK = 256 * 1024


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Sources:
    """Where the files the server may send live: the content folder (images), the built-in
    assets (stylesheets, fonts) and, under --pdf, the PDF."""

    content: Path
    pdf: Path | None = None

    def roots(self) -> tuple[Path, ...]:
        return (self.content, builtin_assets())


class Hub:
    """The current page and PDF state; event streams wait here for either to change."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.pdf: PdfState | None = None
        self.closed = False
        self._changed = threading.Condition()

    def publish(self, page: Page) -> None:
        with self._changed:
            self.page = page
            self._changed.notify_all()

    def publish_pdf(self, state: PdfState) -> None:
        with self._changed:
            self.pdf = state
            self._changed.notify_all()

    def close(self) -> None:
        with self._changed:
            self.closed = True
            self._changed.notify_all()

    def wait(self, seen: tuple[int, int], timeout: float) -> tuple[int, int]:
        """(page version, PDF serial) once either differs from `seen`, or after `timeout`."""
        with self._changed:
            self._changed.wait_for(lambda: self.closed or self._now() != seen, timeout)
            return self._now()

    def _now(self) -> tuple[int, int]:
        return self.page.version, self.pdf.serial if self.pdf else 0


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True  # an open event stream must not hold up Ctrl-C

    def __init__(self, host: str, port: int, hub: Hub, sources: Sources) -> None:
        if ":" in host.strip("[]"):
            self.address_family = socket.AF_INET6
        self.hub = hub
        self.sources = sources
        self.host_names: set[str] = set()
        self.log: list[str] = []  # refused requests, for the terminal
        super().__init__((host.strip("[]"), port), PreviewHandler)
        port = self.server_address[1]
        names = {"127.0.0.1", "localhost", "[::1]"} | {host}
        self.host_names = {f"{name}:{port}" for name in names}
        self.check_host = is_loopback(host)  # shared on purpose: any name may reach it


class PreviewHandler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def log_message(self, format: str, *args: object) -> None:  # the base's name
        """Quiet: a request a minute is not news; refusals are logged in `_refuse`."""

    def _answer(self, send_body: bool) -> None:
        if self.server.check_host and self.headers.get("Host") not in self.server.host_names:
            self._refuse(HTTPStatus.MISDIRECTED_REQUEST, "a Host header for another address")
            return
        try:
            name = request_name(self.path)
        except Refused as exc:
            self._refuse(HTTPStatus.FORBIDDEN, str(exc))
            return
        page = self.server.hub.page
        if "/" + name == EVENTS:
            self._events()
        elif name in ("", "index.html"):
            self._send(page.html, "text/html; charset=utf-8", send_body, page)
        else:
            self._file(name, page, send_body)

    def _file(self, name: str, page: Page, send_body: bool) -> None:
        sources = self.server.sources
        try:
            if sources.pdf is not None and name == sources.pdf.name:
                handle = open_inside(sources.pdf, [sources.pdf.parent])
                media_type = "application/pdf"
            elif (asset := page.files.get(name)) is not None:
                if asset.data is not None:
                    self._send(asset.data, asset.media_type, send_body)
                    return
                handle = open_inside(asset.source, sources.roots())
                media_type = asset.media_type
            else:
                self.send_error(HTTPStatus.NOT_FOUND, "not a file of this book")
                return
        except Refused as exc:
            self._refuse(HTTPStatus.FORBIDDEN, str(exc))
            return
        with handle:
            self._stream(handle, media_type, send_body)

    def _send(
        self, body: bytes, media_type: str, send_body: bool, page: Page | None = None
    ) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(body)))
        self._headers(page)
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def _stream(self, handle: BinaryIO, media_type: str, send_body: bool) -> None:
        size = handle.seek(0, 2)
        handle.seek(0)
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(size))
        self._headers(None)
        self.end_headers()
        while send_body and (chunk := handle.read(CHUNK)):
            self.wfile.write(chunk)

    def _headers(self, page: Page | None) -> None:
        self.send_header("Cache-Control", "no-cache")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        if page is not None:
            self.send_header(
                "Content-Security-Policy",
                f"default-src 'self'; script-src 'nonce-{page.nonce}'; "
                f"style-src 'self' 'nonce-{page.nonce}' 'unsafe-inline'; img-src 'self' data:; "
                "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
            )

    def _events(self) -> None:
        """Server-sent events: `version` (the page's number: reload when it is not yours) and
        `pdf` (the PDF link's state), each sent on connecting and whenever it changes."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        hub = self.server.hub
        seen = (-1, -1)
        try:
            self.wfile.write(b"retry: 500\n\n")
            while not hub.closed:
                now = hub.wait(seen, KEEPALIVE_SECONDS)
                message = ": still here\n\n"
                if now[0] != seen[0]:
                    message = f"event: version\ndata: {now[0]}\n\n"
                if now[1] != seen[1] and hub.pdf is not None:
                    state = {"label": hub.pdf.label, "detail": hub.pdf.detail, "href": hub.pdf.href}
                    message += f"event: pdf\ndata: {json.dumps(state)}\n\n"
                seen = now
                self.wfile.write(message.encode("utf-8"))
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return  # the page was closed or reloaded

    def _refuse(self, status: HTTPStatus, why: str) -> None:
        self.server.log.append(f"refused {self.command} {self.path!r}: {why}")
        self.send_error(status, "refused")
