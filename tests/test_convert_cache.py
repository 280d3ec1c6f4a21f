"""Conversion between builds and across cores: Markdown conversions kept in the build cache
(`convert/memo.py`), a big book's Markdown and images done ahead in workers
(`convert/prefetch.py`), and the EPUB's photos stored as they are (`render/epubzip.py`).

A rebuild converts only the chapters whose text changed; a converted-chapters file that is
damaged, foreign or forged is ignored or can do no more than a chapter; `-j 2` and `-j 1` make
the same EPUB, byte for byte."""

from __future__ import annotations

import json
import re
import zipfile
from concurrent import futures
from pathlib import Path

import pytest
from conftest import copy_book, run_cli
from PIL import Image

from guidebook.build import LAYOUT_CACHE
from guidebook.convert.memo import FILE, Converted, MemoConverter
from guidebook.convert.prefetch import MIN_CHAPTERS, Ahead, _check_images

EPOCH = {"SOURCE_DATE_EPOCH": "1700000000"}


def _epub(book: Path, *extra: str) -> tuple[str, Path]:
    """Build the EPUB into book/out; return the progress lines and the EPUB."""
    code, _out, err = run_cli("build", "--format", "epub", "--out", "out", *extra, cwd=book)
    assert code == 0, err
    return err, book / "out" / "book.epub"


def _from_cache(progress: str) -> int:
    found = re.search(r"converted (\d+) chapters \((\d+) from the cache\)", progress)
    assert found, progress
    return int(found[2])


def test_a_rebuild_converts_only_the_chapter_that_changed(tmp_path: Path) -> None:
    book = copy_book("withbook", tmp_path)
    err, _ = _epub(book)
    assert _from_cache(err) == 0
    assert (book / "out" / LAYOUT_CACHE / FILE).is_file()
    err, _ = _epub(book)
    chapters = int(re.search(r"converted (\d+) chapters", err)[1])  # type: ignore[index]
    assert _from_cache(err) == chapters
    squat = next((book / "content").rglob("*squat*.md"))
    squat.write_text(squat.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    err, epub = _epub(book)
    assert _from_cache(err) == chapters - 1
    with zipfile.ZipFile(epub) as z:
        assert any(b"One more line." in z.read(name) for name in z.namelist())


def test_no_cache_converts_everything_and_keeps_nothing(tmp_path: Path) -> None:
    book = copy_book("withbook", tmp_path)
    _epub(book)
    err, _ = _epub(book, "--no-cache")
    assert _from_cache(err) == 0
    (book / "out" / LAYOUT_CACHE / FILE).unlink()
    _epub(book, "--no-cache")
    assert not (book / "out" / LAYOUT_CACHE / FILE).exists()


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda path: path.write_text("{not json", encoding="utf-8"), "it is not readable"),
        (lambda path: path.write_text('{"format": 1, "builder": "guidebook 0.0", "entries": {}}',
                                      encoding="utf-8"), "another version"),
        (lambda path: path.write_text('{"format": 1}', encoding="utf-8"), "it is not readable"),
    ],
    ids=["broken", "foreign", "incomplete"],
)  # fmt: skip
def test_a_damaged_or_foreign_file_is_ignored_with_a_notice(
    tmp_path: Path, damage: object, reason: str
) -> None:
    book = copy_book("withbook", tmp_path)
    _epub(book)
    damage(book / "out" / LAYOUT_CACHE / FILE)  # type: ignore[operator]
    err, _ = _epub(book)
    assert f"ignored the converted chapters in out/{LAYOUT_CACHE}/{FILE} ({reason}" in err
    assert _from_cache(err) == 0
    assert "Traceback" not in err


def test_a_forged_conversion_is_sanitised_like_a_chapter(tmp_path: Path) -> None:
    """The file holds HTML before sanitising: an entry someone wrote to run a script in the
    EPUB comes out as a chapter with the same markup would, without the script."""
    book = copy_book("withbook", tmp_path)
    _epub(book)
    path = book / "out" / LAYOUT_CACHE / FILE
    data = json.loads(path.read_text(encoding="utf-8"))
    forged = '<p>Forged text.</p><script>alert(1)</script><img src="x" onerror="alert(2)">'
    for entry in data["entries"].values():
        entry["html"] = forged
    path.write_text(json.dumps(data), encoding="utf-8")
    _err, epub = _epub(book)
    with zipfile.ZipFile(epub) as z:
        pages = b"".join(z.read(n) for n in z.namelist() if n.endswith(".xhtml"))
    assert b"Forged text." in pages
    assert b"<script" not in pages and b"onerror" not in pages and b"alert(" not in pages


def test_a_file_that_is_a_link_is_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "elsewhere.json"
    secret.write_text("{}", encoding="utf-8")
    (tmp_path / FILE).symlink_to(secret)
    memo = MemoConverter.load(tmp_path)
    assert memo.notice is not None and "it is a link or not a file" in memo.notice
    assert not memo.knows("anything")


def test_entries_must_be_what_we_write(tmp_path: Path) -> None:
    good = MemoConverter()
    good.convert("Some *text*.")
    good.save(tmp_path)
    assert MemoConverter.load(tmp_path).knows("Some *text*.")
    data = json.loads((tmp_path / FILE).read_text(encoding="utf-8"))
    for entry in data["entries"].values():
        entry["escaped"] = "many"
    (tmp_path / FILE).write_text(json.dumps(data), encoding="utf-8")
    memo = MemoConverter.load(tmp_path)
    assert memo.notice is not None and not memo.knows("Some *text*.")


def _big_book(folder: Path, chapters: int) -> Path:
    """A book of `chapters` short exercise chapters, each with a small drawn photo, one of them
    damaged, and one chapter with a paragraph the Markdown guard makes plain text (its warning
    comes from a worker)."""
    content = folder / "big" / "content"
    images = content / "images"
    images.mkdir(parents=True)
    for n in range(chapters):
        photo = images / f"{n:03d}-photo.jpg"
        Image.new("RGB", (120 + n, 90), (n * 3 % 256, 90, 140)).save(photo, quality=80)
        extra = "\n" + "[x](" * 3000 + "\n" if n == 7 else ""
        (content / f"{n:03d}-move.md").write_text(
            f"---\ntitle: Move {n}\n---\n\n![Move {n} from the side](images/{photo.name})\n\n"
            f"1. Stand tall with the feet under the hips, then brace.\n2. Lower under control."
            f"{extra}\n",
            encoding="utf-8",
        )
    (images / "005-photo.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a JPEG")
    return folder / "big"


@pytest.mark.slow
def test_two_workers_make_the_same_epub_and_warnings_as_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in EPOCH.items():
        monkeypatch.setenv(key, value)
    book = _big_book(tmp_path, MIN_CHAPTERS + 4)
    one_err, one = _epub(book, "-j", "1", "--no-cache")
    one_bytes = one.read_bytes()
    remembered: list[str] = []
    remember = MemoConverter.remember

    def spy(self: MemoConverter, text: str, converted: Converted) -> None:
        remembered.append(text)
        remember(self, text, converted)

    monkeypatch.setattr(MemoConverter, "remember", spy)
    many_err, many = _epub(book, "-j", "2", "--no-cache")
    assert len(remembered) == MIN_CHAPTERS + 4  # every chapter was converted by a worker
    assert many.read_bytes() == one_bytes

    def warnings(err: str) -> list[str]:
        return [line for line in err.splitlines() if "warning:" in line]

    assert warnings(many_err) == warnings(one_err)
    assert any("005-photo.jpg" in line for line in warnings(one_err))
    assert any("printed as plain text" in line for line in warnings(one_err))


def test_conversion_takes_in_the_workers_batches_as_it_reaches_them(tmp_path: Path) -> None:
    """The parent works on a chapter as soon as its batch is in, not after every batch."""
    texts = [f"# Chapter {n}\n\nIt says {n}." for n in range(6)]
    batches = [
        [(text, tmp_path, None) for text in texts[:3]],
        [(text, tmp_path, None) for text in texts[3:]],
    ]
    converter = MemoConverter()
    with futures.ThreadPoolExecutor(2) as pool:
        ahead = Ahead(converter, pool, batches, tmp_path)  # type: ignore[arg-type]
        assert "<h1>Chapter 1</h1>" in converter.convert(texts[1])
        assert ahead.taken == 1 and ahead.pool is pool
        assert converter.knows(texts[2]) and not converter.knows(texts[3])
        converter.convert(texts[5])
        assert ahead.taken == 2 and ahead.pool is None  # every batch in: the workers stop
        assert converter.ahead is None
    assert converter.converted == 6  # each made by a worker, none again here


def test_workers_check_every_image_a_chapter_shows(tmp_path: Path) -> None:
    """The workers find images on the HTML text; each they find spares the parent a check."""
    (tmp_path / "images").mkdir()
    names = ["a b.jpg", "q&a.png", "raw.jpg", "upper.png", "bare.png"]
    for name in names:
        Image.new("RGB", (40, 30), "grey").save(tmp_path / "images" / name)
    markdown = (
        '![Side view](images/a%20b.jpg)\n\n![Q and A](<images/q&a.png> "title")\n\n'
        "<p><img alt='x' src='images/raw.jpg'></p>\n\n<IMG\nSRC=\"images/upper.png\">\n\n"
        "<div><img src=images/bare.png></div>\n\n`<img src='images/code.jpg'>`\n"
    )
    html = MemoConverter().convert(markdown)
    found = _check_images(html, tmp_path, tmp_path)
    assert sorted(Path(path).name for path in found) == sorted(names)
    assert all(info.size == (40, 30) for info in found.values())


def test_photos_are_stored_and_text_is_deflated(tmp_path: Path) -> None:
    book = copy_book("withbook", tmp_path)
    _err, epub = _epub(book)
    with zipfile.ZipFile(epub) as z:
        kinds = {info.filename: info.compress_type for info in z.infolist()}
    photos = [name for name in kinds if name.endswith((".jpg", ".png"))]
    assert photos and all(kinds[name] == zipfile.ZIP_STORED for name in photos)
    assert all(kinds[n] == zipfile.ZIP_DEFLATED for n in kinds if n.endswith((".xhtml", ".css")))
    assert kinds["mimetype"] == zipfile.ZIP_STORED
