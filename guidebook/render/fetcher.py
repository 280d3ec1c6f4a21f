"""The only way WeasyPrint may load anything: a URL fetcher limited to the edition's files.

With its default fetcher WeasyPrint follows any `file://` or `http://` URL in the document; a
chapter could then embed `/etc/hostname` as an attachment or make the build reach the network.
This fetcher serves `data:` URLs and the exact files the edition declared (stylesheets, fonts,
images under a virtual root) and refuses everything else; refusals become warnings.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import unquote

from weasyprint.urls import URLFetcher, URLFetcherResponse

from guidebook.model import Asset

BASE_URL = "file:///guidebook-edition/"


class SandboxFetcher(URLFetcher):  # type: ignore[misc]
    def __init__(self, assets: Mapping[str, Asset]) -> None:
        super().__init__(allowed_protocols={"data"}, allow_redirects=False)
        self._assets = dict(assets)
        self.refused: list[str] = []

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if url.startswith(BASE_URL):
            asset = self._assets.get(unquote(url[len(BASE_URL) :].split("#")[0]))
            if asset is not None:
                return URLFetcherResponse(
                    url,
                    body=asset.read(),
                    headers={"Content-Type": asset.media_type},
                )
        self.refused.append(url)
        raise ValueError(f"guidebook refused to load '{url}': not a file of this book")
