"""Remote images, only when the user asks for them (`--allow-remote-images`).

By default nothing is fetched: a chapter's `http://` image is left out with a warning. With the
option, each distinct `http(s)` image address is downloaded once, during conversion, and carried
in memory as the book's own file, so the renderers themselves still never touch the network.
Downloads follow redirects only to other http(s) addresses and are bounded in size and in
*total* time: every read from the server (status line, headers, body, redirects included) waits
at most for what is left of one deadline, so a server trickling a byte every few seconds cannot
hold a build longer than that. (Name resolution is the system's and is not bounded here.)
"""

from __future__ import annotations

import functools
import http.client
import io
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

from guidebook import __version__

MAX_BYTES = 25 * 1024 * 1024
TIMEOUT_SECONDS = 15.0  # per image, in all: connecting, redirects, headers and body

Fetch = Callable[[str], bytes]


class RemoteProblem(ValueError):
    """Why a download failed; the message completes "image 'url' ..."."""


def download(url: str, seconds: float | None = None) -> bytes:
    """The body at `url`, fetched within `seconds` in all (default TIMEOUT_SECONDS)."""
    if not url.lower().startswith(("http://", "https://")):
        raise RemoteProblem("is not an http(s) address")
    seconds = TIMEOUT_SECONDS if seconds is None else seconds
    deadline = time.monotonic() + seconds
    try:
        with _opener(deadline).open(url, timeout=seconds) as response:
            data: bytes = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise RemoteProblem(f"could not be downloaded (HTTP {exc.code})") from None
    except (urllib.error.URLError, OSError, ValueError, http.client.HTTPException) as exc:
        reason = getattr(exc, "reason", exc)
        if time.monotonic() >= deadline or isinstance(reason, TimeoutError):
            raise RemoteProblem(
                f"could not be downloaded within {seconds:g} s; save it beside the chapter"
            ) from None
        raise RemoteProblem(f"could not be downloaded ({reason})") from None
    if len(data) > MAX_BYTES:
        raise RemoteProblem(f"is larger than {MAX_BYTES // (1024 * 1024)} MB")
    return data


def _opener(deadline: float) -> urllib.request.OpenerDirector:
    # Not build_opener(): that would also accept file:// and ftp:// (and redirects to them).
    opener = urllib.request.OpenerDirector()
    for handler in (
        _HTTPHandler(deadline),
        _HTTPSHandler(deadline),
        urllib.request.HTTPRedirectHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    opener.addheaders = [("User-Agent", f"guidebook/{__version__} (book builder)")]
    return opener


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, deadline: float) -> None:
        super().__init__()
        self.deadline = deadline

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(functools.partial(_HTTPConnection, deadline=self.deadline), req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, deadline: float) -> None:
        super().__init__()
        self.deadline = deadline

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        # No context given: http.client's default one, which verifies certificates and names.
        return self.do_open(functools.partial(_HTTPSConnection, deadline=self.deadline), req)


class _HTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args: Any, deadline: float, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.deadline = deadline

    def connect(self) -> None:
        self.timeout = _left(self.deadline)  # connecting counts too
        super().connect()
        self.sock = _with_deadline(self.sock, self.deadline)


class _HTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args: Any, deadline: float, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.deadline = deadline

    def connect(self) -> None:
        self.timeout = _left(self.deadline)  # connecting and the TLS handshake count too
        super().connect()
        self.sock = _with_deadline(self.sock, self.deadline)


def _with_deadline(sock: socket.socket, deadline: float) -> socket.socket:
    """The connected `sock`, reading against `deadline` (http.client reads only through
    `makefile`; everything else passes through)."""
    return cast(socket.socket, _DeadlineSocket(sock, deadline))


def _left(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("the download took too long")
    return left


class _DeadlineSocket:
    """A connected socket whose reads each wait at most for the time left."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        self._sock = sock
        self._deadline = deadline

    def makefile(self, mode: str = "r", *_args: Any, **_kwargs: Any) -> io.BufferedReader:
        assert mode == "rb", mode  # http.client reads responses only this way
        # The socket's own unbuffered file, so that urllib closing the socket early (it does,
        # once the headers are in) leaves it open until the body has been read.
        raw = self._sock.makefile("rb", buffering=0)
        return io.BufferedReader(_DeadlineReader(raw, self._sock, self._deadline))

    def __getattr__(self, name: str) -> Any:  # sendall, close, settimeout...
        return getattr(self._sock, name)


class _DeadlineReader(io.RawIOBase):
    def __init__(self, raw: Any, sock: socket.socket, deadline: float) -> None:
        super().__init__()
        self._raw = raw
        self._sock = sock
        self._deadline = deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        self._sock.settimeout(_left(self._deadline))
        count: int = self._raw.readinto(buffer)
        return count

    def close(self) -> None:
        self._raw.close()
        super().close()


@dataclass
class RemoteImages:
    """Downloads each address once per build; failures are remembered too."""

    fetch: Fetch = download
    results: dict[str, bytes | RemoteProblem] = field(default_factory=dict)

    def get(self, url: str) -> bytes:
        if url not in self.results:
            try:
                self.results[url] = self.fetch(url)
            except RemoteProblem as problem:
                self.results[url] = problem
        result = self.results[url]
        if isinstance(result, RemoteProblem):
            raise result
        return result
