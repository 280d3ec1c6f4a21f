"""Remote images, only when the user asks for them (`--allow-remote-images`).

By default nothing is fetched: a chapter's `http://` image is left out with a warning. With the
option, each distinct `http(s)` image address is downloaded once, during conversion, and carried
in memory as the book's own file, so the renderers themselves still never touch the network.
Downloads are bounded in time and size and follow redirects only to other http(s) addresses.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field

from guidebook import __version__

MAX_BYTES = 25 * 1024 * 1024
TIMEOUT_SECONDS = 15.0

Fetch = Callable[[str], bytes]


class RemoteProblem(ValueError):
    """Why a download failed; the message completes "image 'url' ..."."""


def _opener() -> urllib.request.OpenerDirector:
    # Not build_opener(): that would also accept file:// and ftp:// (and redirects to them).
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        urllib.request.HTTPRedirectHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    opener.addheaders = [("User-Agent", f"guidebook/{__version__} (book builder)")]
    return opener


def download(url: str) -> bytes:
    if not url.lower().startswith(("http://", "https://")):
        raise RemoteProblem("is not an http(s) address")
    try:
        with _opener().open(url, timeout=TIMEOUT_SECONDS) as response:
            data: bytes = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise RemoteProblem(f"could not be downloaded (HTTP {exc.code})") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise RemoteProblem(f"could not be downloaded ({reason})") from None
    if len(data) > MAX_BYTES:
        raise RemoteProblem(f"is larger than {MAX_BYTES // (1024 * 1024)} MB")
    return data


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
