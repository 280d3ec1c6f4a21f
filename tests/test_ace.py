"""DAISY Ace, the accessibility checker EPUB stores and libraries use, finds no violation in the
sample book, the seeds built as a book, or a generated photo book (with its page-list).

Ace is a Node program: `.ci/run` installs it (`npm install --ignore-scripts @daisy/ace`; the
scripts would download Electron, which `ace-puppeteer` does not need) and points
GUIDEBOOK_ACE at its `ace-puppeteer`; it drives Debian's `chromium`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, SEEDS, copy_sample, needs_seeds, run_cli

sys.path.insert(0, str(REPO / "benchmarks"))
from photobook import generate

pytestmark = pytest.mark.slow


def ace() -> str:
    found = os.environ.get("GUIDEBOOK_ACE") or shutil.which("ace-puppeteer")
    local = Path("/work/ace/node_modules/.bin/ace-puppeteer")  # a developer's own install
    found = found or (str(local) if local.exists() else None)
    if not found:
        pytest.skip("DAISY Ace is not installed (npm install --ignore-scripts @daisy/ace)")
    if shutil.which("chromium") is None:
        pytest.skip("Ace needs a browser: apt-get install chromium")
    return found


def violations(epub: Path, report: Path) -> list[str]:
    """Ace's findings (anything not 'pass'), as 'file: rule (impact)' lines."""
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": shutil.which("chromium") or ""}
    result = subprocess.run(
        [ace(), "-o", str(report), "-f", str(epub)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    data = json.loads((report / "report.json").read_text(encoding="utf-8"))
    found = []
    for subject in data["assertions"]:
        for check in subject.get("assertions", []):
            if check["earl:result"]["earl:outcome"] != "pass":
                test = check["earl:test"]
                found.append(
                    f"{subject['earl:testSubject']['url']}: {test['dct:title']} "
                    f"({test['earl:impact']})"
                )
    return found


def build(root: Path, *options: str) -> Path:
    code, _, err = run_cli("build", "--out", root / "out", *options, cwd=root)
    assert code == 0, err
    return root / "out" / "book.epub"


def test_the_sample_book_has_no_violation(tmp_path: Path) -> None:
    epub = build(copy_sample(tmp_path / "book"))
    assert violations(epub, tmp_path / "report") == []


def test_the_seeds_have_no_violation(tmp_path: Path) -> None:
    needs_seeds()
    shutil.copytree(SEEDS, tmp_path / "book" / "content")
    epub = build(tmp_path / "book", "--content", "content")
    assert violations(epub, tmp_path / "report") == []


def test_a_photo_book_with_its_page_list_has_no_violation(tmp_path: Path) -> None:
    book = generate(tmp_path / "book", exercises=12, guides=2)
    epub = build(book, "--content", ".", "--paper", "6x9")
    assert violations(epub, tmp_path / "report") == []
