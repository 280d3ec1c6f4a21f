"""Where a form sheet's QR code points: the chapter's own page, never a guess."""

from __future__ import annotations

from pathlib import Path

import pytest

from guidebook.config import load_config
from guidebook.diagnostics import Reporter
from guidebook.model import BookConfig, Chapter, ChapterContent, ChapterDoc
from guidebook.printables.content import chapter_link


def config_of(tmp_path: Path, text: str) -> tuple[BookConfig, Reporter]:
    path = tmp_path / "book.yml"
    path.write_text(text, encoding="utf-8")
    reporter = Reporter()
    return load_config(path, reporter).config, reporter


def doc(slug: str = "plank", url: str | None = None, video: str | None = None) -> ChapterDoc:
    chapter = Chapter(slug, Path(f"{slug}.md"), "exercise", "Plank", "", url=url, video=video)
    return ChapterDoc(chapter, "", frozenset(), (), ChapterContent())


def test_chapter_url_may_start_with_the_site_url(tmp_path: Path) -> None:
    config, reporter = config_of(
        tmp_path,
        'site_url: "https://example.com/"\nchapter_url: "{site_url}/exercises/{slug}"\n',
    )
    assert not reporter.errors
    assert chapter_link(doc(), config) == ("https://example.com/exercises/plank", "Web page")


def test_site_url_alone_gives_no_qr_code(tmp_path: Path) -> None:
    config, _reporter = config_of(tmp_path, 'site_url: "https://example.com"\n')
    assert chapter_link(doc(), config) == (None, None)


def test_the_chapters_own_url_comes_first_then_its_video(tmp_path: Path) -> None:
    config, _reporter = config_of(tmp_path, 'chapter_url: "https://a.example/x/{slug}"\n')
    own = doc(url="https://b.example/plank-page", video="https://v.example/plank")
    assert chapter_link(own, config) == ("https://b.example/plank-page", "Web page")
    video = doc(video="https://v.example/p")
    assert chapter_link(video, config) == ("https://v.example/p", "Video")
    assert chapter_link(doc(), config) == ("https://a.example/x/plank", "Web page")


def test_a_slug_in_another_script_is_percent_encoded(tmp_path: Path) -> None:
    config, _reporter = config_of(tmp_path, 'chapter_url: "https://a.example/{slug}"\n')
    link, _label = chapter_link(doc(slug="übung"), config)
    assert link == "https://a.example/%C3%BCbung"


@pytest.mark.parametrize(
    "text, message",
    [
        (
            'chapter_url: "{site_url}/exercises/{slug}"\n',
            "book.yml:1: error: book file: chapter_url uses {site_url} but the book file has no",
        ),
        (
            'chapter_url: "https://example.com/exercises/"\n',
            "book.yml:1: error: book file: chapter_url: expected an http(s):// address",
        ),
        (
            'chapter_url: "https://example.com/{lang}/{slug}"\n',
            "book.yml:1: error: book file: chapter_url: expected an http(s):// address",
        ),
    ],
)
def test_a_wrong_chapter_url_is_an_error_on_its_line(
    tmp_path: Path, text: str, message: str
) -> None:
    _config, reporter = config_of(tmp_path, text)
    assert any(message in d.format() for d in reporter.errors), [
        d.format() for d in reporter.errors
    ]


def test_a_chapter_url_that_is_no_address_is_an_error_on_its_line(tmp_path: Path) -> None:
    from guidebook.load.chapters import load_chapter

    (tmp_path / "plank.md").write_text(
        "---\ntitle: Plank\nurl: /exercises/plank\n---\n\nHold it.\n", encoding="utf-8"
    )
    reporter = Reporter()
    chapter = load_chapter(tmp_path / "plank.md", tmp_path, reporter)
    assert chapter is not None and chapter.url is None
    assert "plank.md:3: error: front matter: url: expected the chapter's web page" in (
        reporter.errors[0].format()
    )
