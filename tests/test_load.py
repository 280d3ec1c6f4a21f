"""Loading: kinds, slugs, titles, order, the book file, and every content error message pinned."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import copy_book, quiet_reporter

from guidebook.config import BookFile
from guidebook.diagnostics import BookError, Reporter
from guidebook.load import load_book
from guidebook.load.chapters import load_chapter
from guidebook.load.order import Order, PartSpec, read_order
from guidebook.model import BookConfig

METADATA = "- **Body Part:** Back\n- **Equipment:** Cable\n"


def write(folder: Path, relative: str, text: str) -> Path:
    path = folder / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def load_one(tmp_path: Path, relative: str, text: str, reporter: Reporter | None = None):
    content = tmp_path / "content"
    path = write(content, relative, text)
    return load_chapter(path, content, reporter or quiet_reporter())


def messages(reporter: Reporter) -> list[str]:
    return [d.format() for d in reporter.diagnostics]


# --- kind -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("relative", "text", "kind"),
    [
        # front matter kind beats the folder and the metadata
        ("exercises/a.md", "---\nkind: guide\n---\n# A\n\n" + METADATA, "guide"),
        ("guides/a.md", "---\nkind: exercise\n---\n# A\n", "exercise"),
        # the folder beats the metadata
        ("exercises/a.md", "# A\n\nNo metadata here.\n", "exercise"),
        ("guides/a.md", "# A\n\n" + METADATA, "guide"),
        ("exercises/legs/a.md", "# A\n", "exercise"),
        # no folder: metadata makes an exercise, none a guide
        ("a.md", "# A\n\n" + METADATA, "exercise"),
        ("a.md", "---\nbody_part: Back\n---\n# A\n", "exercise"),
        ("a.md", "# A\n\nJust prose.\n", "guide"),
        ("misc/a.md", "# A\n\nJust prose.\n", "guide"),
    ],
)
def test_kind_detection_order(tmp_path: Path, relative: str, text: str, kind: str) -> None:
    chapter = load_one(tmp_path, relative, text)
    assert chapter is not None
    assert chapter.kind == kind


# --- slug -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("squat.md", "squat"),
        ("Pull-Up (Wide Grip).md", "pull-up-wide-grip"),
        ("Übung_Nummer 2.md", "ubung-nummer-2"),
    ],
)
def test_slug_comes_from_the_file_name(tmp_path: Path, name: str, slug: str) -> None:
    chapter = load_one(tmp_path, name, "# T\n")
    assert chapter is not None
    assert chapter.slug == slug


def test_slug_from_front_matter_wins(tmp_path: Path) -> None:
    chapter = load_one(tmp_path, "squat.md", "---\nslug: box-squat\n---\n# T\n")
    assert chapter is not None
    assert chapter.slug == "box-squat"


def test_invalid_slug_in_front_matter_is_an_error(tmp_path: Path) -> None:
    reporter = quiet_reporter()
    chapter = load_one(tmp_path, "squat.md", "---\nslug: Box Squat\n---\n# T\n", reporter)
    assert chapter is None
    assert [d.message for d in reporter.errors] == [
        "front matter: slug: expected lower-case letters, digits and single hyphens, "
        "got 'Box Squat' (try 'box-squat')"
    ]


def test_file_name_without_letters_needs_a_slug(tmp_path: Path) -> None:
    reporter = quiet_reporter()
    assert load_one(tmp_path, "___.md", "# T\n", reporter) is None
    assert [d.message for d in reporter.errors] == [
        "cannot make a slug from this file name; rename the file or add 'slug:' to its front matter"
    ]


def test_seed_style_prefix_gives_an_alias(tmp_path: Path) -> None:
    chapter = load_one(tmp_path, "guide-hip-thrust.md", "# T\n")
    assert chapter is not None
    assert (chapter.slug, chapter.aliases) == ("guide-hip-thrust", ("hip-thrust",))


# --- title, deck, markdown ------------------------------------------------------------------


def test_front_matter_title_wins_and_h1_becomes_the_deck(tmp_path: Path) -> None:
    chapter = load_one(
        tmp_path,
        "g.md",
        '---\ntitle: "Long Title: With Subtitle"\n---\n\n# Short *Heading*\n\nBody.\n',
    )
    assert chapter is not None
    assert chapter.title == "Long Title: With Subtitle"
    assert chapter.deck == "Short Heading"
    assert "# Short" not in chapter.markdown


def test_title_comes_from_the_first_h1_outside_code(tmp_path: Path) -> None:
    chapter = load_one(tmp_path, "g.md", "```\n# not a title\n```\n\n# The **Real** Title\n")
    assert chapter is not None
    assert chapter.title == "The Real Title"
    assert chapter.deck is None


def test_markdown_keeps_the_file_line_numbers(tmp_path: Path) -> None:
    text = "---\ntitle: T\nkeywords: a, b\n---\n# Heading\n\nFirst paragraph.\n"
    chapter = load_one(tmp_path, "g.md", text)
    assert chapter is not None
    assert chapter.markdown.split("\n").index("First paragraph.") == 6
    assert chapter.keywords == ("a", "b")


def test_seed_meta_key_is_the_description(tmp_path: Path) -> None:
    chapter = load_one(tmp_path, "g.md", '---\ntitle: T\nmeta: "One sentence."\n---\n')
    assert chapter is not None
    assert chapter.description == "One sentence."


def test_draft_chapters_are_left_out(tmp_path: Path) -> None:
    assert load_one(tmp_path, "g.md", "---\ndraft: true\n---\n# Draft\n") is None


def test_hidden_and_underscore_files_are_not_chapters(tmp_path: Path) -> None:
    content = tmp_path / "content"
    write(content, "real.md", "# Real\n")
    write(content, "_partial.md", "# Partial\n")
    write(content, ".hidden/secret.md", "# Secret\n")
    book = load_book(content, None, quiet_reporter())
    assert [c.slug for c in book.chapters] == ["real"]


# --- order ----------------------------------------------------------------------------------


def test_default_order_is_exercises_by_body_part_then_guides_by_title(tmp_path: Path) -> None:
    content = tmp_path / "content"
    write(
        content, "exercises/curl.md", "# Curl\n\n- **Body Part:** Arms\n- **Equipment:** Dumbbell\n"
    )
    write(content, "exercises/row.md", "# Row\n\n- **Body Part:** Back\n- **Equipment:** Cable\n")
    write(
        content, "exercises/lunge.md", "# Lunge\n\n- **Body Part:** Legs\n- **Equipment:** None\n"
    )
    write(
        content, "exercises/bridge.md", "# Bridge\n\n- **Body Part:** Legs\n- **Equipment:** None\n"
    )
    write(content, "guides/warm-up.md", "# Warm-Up\n")
    write(content, "guides/ageing.md", "# Ageing Well\n")
    book = load_book(content, None, quiet_reporter())
    assert [c.slug for c in book.chapters] == [
        "bridge",
        "lunge",
        "row",
        "curl",
        "ageing",
        "warm-up",
    ]
    assert len(book.parts) == 1 and book.parts[0].title is None


def test_book_file_parts_set_the_order(tmp_path: Path) -> None:
    book_dir = copy_book("withbook", tmp_path)
    reporter = quiet_reporter()
    book = load_book(book_dir / "content", None, reporter)
    assert reporter.diagnostics == []
    assert [(p.title, [c.slug for c in p.chapters]) for p in book.parts] == [
        ("Lower Body", ["split-squat", "hip-hinge-drill"]),
        ("Planning", ["weekly-plan", "rest-days"]),
    ]
    cfg = book.config
    assert (cfg.title, cfg.authors, cfg.language, cfg.paper) == (
        "Hinge and Bridge Handbook",
        ("Ida Testwright",),
        "en-GB",
        "letter",
    )
    assert cfg.site_url == "https://example.org"  # trailing slash dropped
    assert cfg.keywords == ("hip hinge", "split squat", "training plan")


def test_parts_auto_groups_exercises_by_body_part(tmp_path: Path) -> None:
    book_dir = copy_book("seedlike", tmp_path)
    (book_dir / "book.yml").write_text("parts: auto\n", encoding="utf-8")
    book = load_book(book_dir / "content", None, quiet_reporter())
    assert [(p.title, [c.slug for c in p.chapters]) for p in book.parts] == [
        ("Legs", ["glute-bridge", "kettlebell-swing"]),
        ("Guides", ["guide-glute-training", "guide-warm-up-basics"]),
    ]


def test_book_file_order_is_read_once_into_a_typed_order(tmp_path: Path) -> None:
    book_yml = tmp_path / "book.yml"
    config = BookConfig(path=book_yml)
    parts = [
        {"title": " ", "chapters": ["a", 2024]},
        {"title": "B"},
        {"title": "C", "chapters": []},
    ]
    reporter = quiet_reporter()
    order = read_order(BookFile(config, parts, "parts", 3), reporter)
    assert order == Order("listed", (PartSpec(None, ("a", "2024")), PartSpec("C", ())), book_yml, 3)
    assert messages(reporter) == [
        f"{book_yml}:3: error: book file: parts: part 2: expected 'title: <text>' and "
        "'chapters: [<slug>, ...]'"
    ]
    assert read_order(BookFile(config, "auto", "parts", 3), reporter).kind == "auto"
    assert read_order(BookFile(config, None, None, None), reporter) == Order()
    wrong = read_order(BookFile(config, "x", "chapters", 1), reporter)
    assert wrong == Order("listed", (), book_yml, 1)
    assert messages(reporter)[-1].endswith("chapters: expected a list of chapter slugs")


# --- content errors, from the fixture books --------------------------------------------------


def load_case(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Reporter:
    """Load tests/books/<case> from inside its folder, so paths print as `content/...`."""
    book_dir = copy_book(case, tmp_path)
    monkeypatch.chdir(book_dir)
    reporter = quiet_reporter()
    load_book(Path("content"), None, reporter)
    return reporter


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        (
            "bad-yaml",
            [
                "content/lunge.md:4: error: front matter: invalid YAML: expected ',' or ']', "
                "but got ':'",
            ],
        ),
        (
            "unknown-key",
            [
                "content/squat.md:3: error: front matter: unknown key 'titel' (did you mean "
                "'title'?)",
            ],
        ),
        (
            "no-title",
            [
                "content/untitled.md:1: error: the chapter has no title; start it with a '# Title' "
                "line or add 'title:' to its front matter",
            ],
        ),
        (
            "empty-file",
            [
                "content/empty.md: error: the file is empty; write the chapter or delete the file",
            ],
        ),
        (
            "binary-file",
            [
                "content/notes.md: error: this is not a text file (it contains NUL bytes); "
                "remove it or rename it so it does not end in .md",
            ],
        ),
        (
            "unknown-slug",
            [
                "book.yml:2: error: book file: no chapter has the slug 'stepup-drill' "
                "(did you mean 'step-up-drill'?)",
                "book.yml:2: error: book file: no chapter has the slug 'calf-raise'",
                "content/step-up-drill.md: warning: chapter 'step-up-drill' is not listed in "
                "the book file; added at the end",
            ],
        ),
        (
            "cp1252",
            [
                "content/cafe-stretch.md:1: warning: the file is not UTF-8; read it as "
                "Windows-1252. Save it as UTF-8 to silence this",
            ],
        ),
    ],
)
def test_content_problem_messages(
    case: str, expected: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert messages(load_case(case, tmp_path, monkeypatch)) == expected


def test_duplicate_slugs_are_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reporter = load_case("duplicate-slugs", tmp_path, monkeypatch)
    assert [(d.path and d.path.name, d.message.split(" (")[0]) for d in reporter.errors] == [
        ("plank.md", "two chapters have the slug 'plank'")
    ]


def test_duplicate_slug_error_tells_the_two_files_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reporter = load_case("duplicate-slugs", tmp_path, monkeypatch)
    assert "exercises/plank.md" in reporter.errors[0].message


def test_windows_1252_file_is_read_correctly(tmp_path: Path) -> None:
    book_dir = copy_book("cp1252", tmp_path)
    book = load_book(book_dir / "content", None, quiet_reporter())
    (chapter,) = book.chapters
    assert chapter.title == "Café Stretch"
    assert "“naïve”" in chapter.markdown
    assert "–" in chapter.markdown


def test_every_content_error_is_collected_before_failing(tmp_path: Path) -> None:
    content = tmp_path / "content"
    write(content, "a.md", "---\ntitel: A\n---\n# A\n")
    write(content, "b.md", "no title here\n")
    write(content, "c.md", "")
    reporter = quiet_reporter()
    load_book(content, None, reporter)
    assert sorted(d.path.name for d in reporter.errors if d.path) == ["a.md", "b.md", "c.md"]
    with pytest.raises(BookError) as raised:
        reporter.check()
    assert len(raised.value.diagnostics) == 3


def test_missing_content_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(BookError) as raised:
        load_book(tmp_path / "nowhere", None, quiet_reporter())
    assert "does not exist" in str(raised.value)


def test_folder_without_chapters_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    reporter = quiet_reporter()
    load_book(tmp_path / "content", None, reporter)
    assert len(reporter.errors) == 1
    assert reporter.errors[0].message.startswith("no chapters:")


# --- schema messages ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("front", "message", "line"),
    [
        ("titel: Squat", "front matter: unknown key 'titel' (did you mean 'title'?)", 2),
        (
            "title: T\nequipmnet: Bar",
            "front matter: unknown key 'equipmnet' (did you mean 'equipment'?)",
            3,
        ),
        ("title: T\ndraft: 'yes'", "front matter: draft: expected true or false, got str 'yes'", 3),
        (
            "title: T\nkeywords: {a: 1}",
            "front matter: keywords: expected a list of texts or one "
            "comma-separated text, got dict {'a': 1}",
            3,
        ),
        (
            "title: T\nkind: workout",
            "front matter: kind: expected one of exercise, guide, got str 'workout'",
            3,
        ),
        ("title:", "front matter: title: expected a text, got nothing", 2),
        (
            "title: T\nequipment: [Bar, [Nested]]",
            "front matter: equipment: expected a list of "
            "texts or one comma-separated text, got list ['Bar', ['Nested']]",
            3,
        ),
        ("- just\n- a list", "front matter: expected 'key: value' lines, got list", 2),
        (
            "title: T\ntitle: U",
            "front matter: key 'title' is given twice (lines 2 and 3); keep one of them",
            3,
        ),
        (
            "description: A\ntitle: T\nmeta: B",
            "front matter: key 'description' is given twice, as 'description' and 'meta' "
            "(lines 2 and 4); keep one of them",
            4,
        ),
        (
            "target_muscle: A\ntarget_muscles: B",
            "front matter: key 'target_muscles' is given twice, as 'target_muscle' and "
            "'target_muscles' (lines 2 and 3); keep one of them",
            3,
        ),
    ],
)
def test_front_matter_schema_messages(tmp_path: Path, front: str, message: str, line: int) -> None:
    reporter = quiet_reporter()
    load_one(tmp_path, "x.md", f"---\n{front}\n---\n# X\n", reporter)
    assert [(d.message, d.line) for d in reporter.errors] == [(message, line)]


def test_unknown_key_without_a_close_match_lists_the_known_keys(tmp_path: Path) -> None:
    reporter = quiet_reporter()
    load_one(tmp_path, "x.md", "---\nzzz: 1\n---\n# X\n", reporter)
    (error,) = reporter.errors
    assert error.message.startswith("front matter: unknown key 'zzz'; known keys: title, slug, ")


def test_unclosed_front_matter_is_an_error(tmp_path: Path) -> None:
    reporter = quiet_reporter()
    assert load_one(tmp_path, "x.md", "---\ntitle: X\n\n# X\n", reporter) is None
    assert [(d.message, d.line) for d in reporter.errors] == [
        (
            "front matter starts with '---' on line 1 but has no closing '---' line; add one "
            "after the last key",
            1,
        )
    ]


@pytest.mark.parametrize(
    ("yaml_text", "message", "line"),
    [
        (
            "paper: a3\n",
            "book file: paper: expected one of a4, letter, a5, 5.5x8.5, 6x9, 7x10, 8.5x11, "
            "got str 'a3'",
            1,
        ),
        (
            "title: T\ndate: soon\n",
            "book file: date: expected a date like 2026-11-21, got str 'soon'",
            2,
        ),
        (
            "title: T\nsite_url: example.org\n",
            "book file: site_url: expected an http(s):// address, got 'example.org'",
            2,
        ),
        ("titel: T\n", "book file: unknown key 'titel' (did you mean 'title'?)", 1),
        (
            "title: T\nchapters: [a]\nparts: auto\n",
            "book file: give either 'parts' or 'chapters', not both",
            2,
        ),
    ],
)
def test_book_file_schema_messages(tmp_path: Path, yaml_text: str, message: str, line: int) -> None:
    content = tmp_path / "content"
    write(content, "a.md", "# A\n")
    (tmp_path / "book.yml").write_text(yaml_text, encoding="utf-8")
    reporter = quiet_reporter()
    load_book(content, None, reporter)
    assert [(d.message, d.line) for d in reporter.errors][:1] == [(message, line)]
    assert reporter.errors[0].path == tmp_path / "book.yml"
