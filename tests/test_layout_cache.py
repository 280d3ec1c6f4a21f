"""The chunked PDF's layout cache (render/chunkcache.py): a rebuild lays out only the chunks
that changed and the PDF is the one a clean build makes; a cache that is damaged, foreign or
hostile is ignored with a notice, never trusted."""

from __future__ import annotations

import hashlib
import json
import pickle
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import build_pdf, copy_book
from test_parallel_pdf import assert_same, generate

from guidebook.render.chunkcache import FORMAT, ChunkCache, _builder

CACHE = ".guidebook-chunks"


def _build(root: Path, *extra: str) -> tuple[Path, str, int, int]:
    """Build with two workers into root/out: the PDF, stderr, chunks, chunks reused."""
    pdf, err = build_pdf(root, "-j", "2", *extra)
    found = re.search(r"PDF laid out in (\d+) chunks \((\d+) from the layout cache\)", err)
    assert found, err
    return pdf, err, int(found[1]), int(found[2])


def _rewrite_manifest(root: Path, change: Callable[[dict[str, Any]], None]) -> None:
    """Read the cache's manifest in root/out, `change` it in place, write it back."""
    manifest = root / "out" / CACHE / "manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    change(data)
    manifest.write_text(json.dumps(data), encoding="utf-8")


def _clean(root: Path) -> Path:
    build_pdf(root, "-j", "1", "--no-cache", "--out", "clean")
    return root / "clean" / "book.pdf"


@pytest.mark.slow
def test_a_rebuild_takes_every_chunk_from_the_cache(tmp_path: Path) -> None:
    root = copy_book("withbook", tmp_path)
    _pdf, _err, chunks, reused = _build(root)
    assert reused == 0 and (root / "out" / CACHE / "manifest.json").is_file()
    pdf, _err, again, reused = _build(root)
    assert (again, reused) == (chunks, chunks)
    assert_same(_clean(root), pdf)


@pytest.mark.slow
def test_an_edit_lays_out_only_its_chunk(tmp_path: Path) -> None:
    root = copy_book("withbook", tmp_path)
    _pdf, _err, chunks, _reused = _build(root)
    chapter = next((root / "content").rglob("weekly-plan.md"))
    chapter.write_text(chapter.read_text(encoding="utf-8").replace(" the ", " a ", 1), "utf-8")
    pdf, _err, again, reused = _build(root)
    assert again == chunks and reused >= chunks - 2  # the edited chunk (and the one it ends)
    assert_same(_clean(root), pdf)


@pytest.mark.slow
def test_a_chapter_that_grows_moves_the_pages_after_it(tmp_path: Path) -> None:
    root = copy_book("withbook", tmp_path)
    _build(root)
    chapter = next((root / "content").rglob("split-squat.md"))
    text = chapter.read_text(encoding="utf-8")
    grown = "Brace, then breathe out slowly as you stand up tall again. " * 80
    chapter.write_text(text.replace("\n## ", f"\n{grown}\n\n## ", 1), encoding="utf-8")
    pdf, _err, _chunks, _reused = _build(root)
    assert_same(_clean(root), pdf)


@pytest.mark.slow
def test_a_rebuild_from_the_cache_is_byte_identical_to_a_clean_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Built, edited (a chapter grows: the pages after it move), built, the edit undone and
    built again from the cache: the same bytes as a build without a cache. Chunks taken from
    the cache, laid out with the last build's pages as guesses, or written before their
    references' pages were known all make the same file. (Every chapter of this corpus
    refers to three others, so the pages the edit moved are printed in every chunk: all are
    laid out again, from different guesses than a clean build's.)"""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = tmp_path / "book"
    generate(root / "content", exercises=60, photos_per_chapter=0, seed=7)
    _build(root, "--content", "content")
    chapter = sorted((root / "content").rglob("*.md"))[20]
    text = chapter.read_text(encoding="utf-8")
    grown = "Brace, then breathe out slowly as you stand up tall again. " * 80
    chapter.write_text(text.replace("\n## ", f"\n{grown}\n\n## ", 1), encoding="utf-8")
    _build(root, "--content", "content")
    chapter.write_text(text, encoding="utf-8")
    pdf, _err, _chunks, _reused = _build(root, "--content", "content")
    clean, _err = build_pdf(root, "-j", "2", "--no-cache", "--out", "clean", "--content", "content")
    assert pdf.read_bytes() == clean.read_bytes()


@pytest.mark.slow
def test_a_damaged_cache_is_ignored_with_a_notice(tmp_path: Path) -> None:
    root = copy_book("withbook", tmp_path)
    _build(root)
    kept = sorted((root / "out" / CACHE).glob("*.pdf"))[0]
    kept.write_bytes(kept.read_bytes()[:-100])
    pdf, err, chunks, reused = _build(root)
    assert reused == 0 and "ignored the layout cache" in err and "is damaged" in err
    assert_same(_clean(root), pdf)
    _pdf, err, _chunks, reused = _build(root)  # rebuilt: trusted again
    assert reused == chunks and "ignored" not in err


@pytest.mark.slow
def test_a_cache_from_another_version_is_ignored(tmp_path: Path) -> None:
    root = copy_book("withbook", tmp_path)
    _build(root)
    _rewrite_manifest(root, lambda data: data.update(builder="guidebook 0.0.1"))
    _pdf, err, _chunks, reused = _build(root)
    assert reused == 0 and "another version of guidebook made it" in err


class Boom:
    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (print, ("the cache ran code",))


def test_a_record_that_would_run_code_is_refused_before_it_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The records are unpickled by an unpickler that knows our few classes only (the cache
    alone, without a build: the end-to-end case is the next test)."""
    folder = tmp_path / CACHE
    folder.mkdir()
    chunk = folder / "chunk.pdf"
    chunk.write_bytes(b"%PDF-1.7\n%%EOF\n")
    record = {
        "file": chunk.name,
        "sha256": hashlib.sha256(chunk.read_bytes()).hexdigest(),
        "facts": pickle.dumps(Boom()).hex(),
    }
    manifest = {"format": FORMAT, "builder": _builder(), "entries": {"k": record}, "hints": {}}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    cache = ChunkCache.load(folder)
    assert cache.entries == {}
    assert cache.notice is not None and "its records name builtins.print" in cache.notice
    assert "the cache ran code" not in capsys.readouterr().out


@pytest.mark.slow
def test_a_manifest_that_would_run_code_is_refused(tmp_path: Path) -> None:
    """The records are unpickled by an unpickler that knows our few classes only."""
    root = copy_book("withbook", tmp_path)
    _build(root)

    def plant(data: dict[str, Any]) -> None:
        for record in data["entries"].values():
            record["facts"] = pickle.dumps(Boom()).hex()

    _rewrite_manifest(root, plant)
    _pdf, err, _chunks, reused = _build(root)
    assert reused == 0 and "its records name builtins.print" in err
    assert "the cache ran code" not in err


@pytest.mark.slow
def test_no_cache_keeps_nothing(tmp_path: Path) -> None:
    root = copy_book("withbook", tmp_path)
    _pdf, _err, _chunks, reused = _build(root, "--no-cache")
    assert reused == 0 and not (root / "out" / CACHE).exists()


@pytest.mark.slow
def test_a_cache_folder_of_ones_own_choosing(tmp_path: Path) -> None:
    root = copy_book("withbook", tmp_path)
    _build(root, "--cache", str(tmp_path / "elsewhere"))
    assert (tmp_path / "elsewhere" / "manifest.json").is_file()
    assert not (root / "out" / CACHE).exists()
