"""`make-book serve`: the path guard and the loopback rule, and the real thing in headless
Chromium (driven over the DevTools protocol with websocket-client): a saved chapter shows in
the page within 2 s; a content error shows over it with its file and line and goes when fixed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, copy_sample

from guidebook.serve.paths import Refused, open_inside, request_name
from guidebook.serve.server import is_loopback

# --- the guards, without a server --------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    ["/../etc/passwd", "/%2e%2e/etc/passwd", "/images/../../x", "//etc/passwd", "/a\\b",
     "/C:/x", "/images//x", "/%00", "/./book.css"],
)  # fmt: skip
def test_paths_that_try_to_leave_are_refused(raw: str) -> None:
    with pytest.raises(Refused):
        request_name(raw)


def test_ordinary_paths_name_the_book_files() -> None:
    assert request_name("/") == ""
    assert request_name("/images/goblet%20squat.jpg?x=1") == "images/goblet squat.jpg"


def test_a_link_out_of_the_project_is_not_followed(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    (tmp_path / "content" / "photo.jpg").symlink_to(tmp_path / "secret.txt")
    with pytest.raises(Refused):
        open_inside(tmp_path / "content" / "photo.jpg", [tmp_path / "content"])


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("localhost", True), ("::1", True), ("0.0.0.0", False),
     ("192.168.1.9", False)],
)  # fmt: skip
def test_only_loopback_counts_as_local(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_serve_listens_on_loopback_unless_told() -> None:
    from guidebook.cli import _parser

    args = _parser().parse_args(["serve"])
    assert (args.host, args.port, args.pdf) == ("127.0.0.1", 8000, False)


# --- in a browser ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Browser:
    """Headless Chromium with one page, spoken to over the DevTools protocol."""

    def __init__(self, url: str, profile: Path) -> None:
        import websocket  # websocket-client, a test dependency

        chromium = shutil.which("chromium") or shutil.which("chromium-browser")
        if chromium is None:
            pytest.skip("headless Chromium is not installed (apt-get install chromium)")
        port = free_port()
        self.process = subprocess.Popen(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--no-first-run", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", f"--user-data-dir={profile}", f"--remote-debugging-port={port}",
             "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        targets = wait_for(lambda: _json(f"http://127.0.0.1:{port}/json"), 20)
        page = next(t for t in targets if t["type"] == "page")
        self.socket = websocket.create_connection(
            page["webSocketDebuggerUrl"], timeout=10, suppress_origin=True
        )
        self.serial = 0
        self.call("Page.navigate", url=url)

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        self.serial += 1
        self.socket.send(json.dumps({"id": self.serial, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.serial:
                return dict(message.get("result", {}))

    def evaluate(self, expression: str) -> Any:
        """The expression's value; "" while the page is between documents (a reload answers
        with no value, and a check must then read as "not yet", not fail)."""
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        value = result.get("result", {}).get("value")
        return "" if value is None else value

    def close(self) -> None:
        self.socket.close()
        self.process.terminate()
        self.process.wait(timeout=10)


def _json(url: str) -> Any:
    try:
        with urllib.request.urlopen(url, timeout=2) as answer:
            return json.loads(answer.read())
    except OSError:
        return None


def wait_for(check: Callable[[], Any], seconds: float) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := check():
            return value
        time.sleep(0.05)
    raise AssertionError(f"not within {seconds} s")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    book = copy_sample(tmp_path / "book")
    command = [sys.executable, str(REPO / "make_book.py"), "serve", "--port", "0"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(
        command, cwd=book, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
    )
    assert process.stdout is not None
    address = None
    for line in process.stdout:
        if match := re.search(r"serving (http://127\.0\.0\.1:\d+/)", line):
            address = match[1]
            break
    assert address, "serve did not start"
    try:
        yield book, address
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.mark.slow
def test_a_save_shows_in_the_browser_and_errors_show_over_the_page(
    served: tuple[Path, str], tmp_path: Path
) -> None:
    book, address = served
    browser = Browser(address, tmp_path / "profile")
    try:
        text = "document.body ? document.body.innerText : ''"
        wait_for(lambda: "Goblet Squat" in browser.evaluate(text), 20)
        chapter = book / "content" / "exercises" / "goblet-squat.md"
        original = chapter.read_text(encoding="utf-8")
        chapter.write_text(original + "\nSaved just now: keep the elbows in.\n", encoding="utf-8")
        started = time.monotonic()
        wait_for(lambda: "Saved just now: keep the elbows in." in browser.evaluate(text), 2)
        latency = time.monotonic() - started
        print(f"reload latency: {latency:.2f} s")
        assert latency <= 2

        chapter.write_text("---\ntitle: [unclosed\n---\n" + original, encoding="utf-8")
        overlay = "(document.getElementById('guidebook-serve-overlay') || {}).innerText || ''"
        shown = wait_for(lambda: browser.evaluate(overlay), 5)
        assert "goblet-squat.md:2" in shown
        chapter.write_text(original, encoding="utf-8")
        wait_for(lambda: not browser.evaluate(overlay) and "Goblet" in browser.evaluate(text), 5)
    finally:
        browser.close()


@pytest.mark.slow
def test_pdf_is_made_and_served_and_other_hosts_are_refused(tmp_path: Path) -> None:
    book = copy_sample(tmp_path / "book")
    command = [sys.executable, str(REPO / "make_book.py"), "serve", "--port", "0", "--pdf"]
    process = subprocess.Popen(
        command, cwd=book, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )  # fmt: skip
    assert process.stdout is not None
    try:
        address = next(m[1] for line in process.stdout if (m := re.search(r"(http://\S+/)", line)))

        def pdf() -> bytes | None:
            try:
                with urllib.request.urlopen(address + "book.pdf", timeout=2) as answer:
                    return bytes(answer.read())
            except OSError:
                return None

        assert wait_for(pdf, 60).startswith(b"%PDF-")
        foreign = urllib.request.Request(address, headers={"Host": "attacker.example"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(foreign, timeout=2)
        assert refused.value.code == 421
    finally:
        process.terminate()
        process.wait(timeout=20)
