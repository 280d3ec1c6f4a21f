"""Hostile values (issue 8, §4 and §9): every one is a one-line `file:line: error:` or a
warning through the real CLI, never a traceback, and nothing outside --out changes.

Classes: impossible dates, integers past Python's 4,300-digit limit and other numbers YAML
cannot build, image widths that are not ASCII pixel numbers, control characters in YAML,
nonsense program numbers (round_to, loads), keys given twice, nesting too deep, a bad
SOURCE_DATE_EPOCH, and file names or messages holding line breaks.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import zipfile
from pathlib import Path

import pytest

from tests.conftest import run_cli, slow_except

BIG = "9" * 5000  # past int()'s 4,300-digit limit
SQUAT = "# Back Squat\n\nText.\n"


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _book(tmp_path: Path, chapter: str = SQUAT, book_yml: str | None = None) -> Path:
    """content/exercises/squat.md (and content/book.yml) in tmp_path; returns content/."""
    content = tmp_path / "content"
    (content / "exercises").mkdir(parents=True)
    (content / "exercises" / "squat.md").write_text(chapter, encoding="utf-8")
    if book_yml is not None:
        (content / "book.yml").write_text(book_yml, encoding="utf-8")
    return content


def _cli(tmp_path: Path, *args: object) -> tuple[int, str, str]:
    """Run the CLI in tmp_path (so paths print relative) and check the common promises: exit
    code 0 or 1, no traceback, and nothing but build/ changed in tmp_path."""
    before = {k: v for k, v in _tree(tmp_path).items() if not k.startswith("build")}
    code, out, err = run_cli(*args, cwd=tmp_path)
    assert code in (0, 1), err
    assert "Traceback" not in err
    after = {k: v for k, v in _tree(tmp_path).items() if not k.startswith("build")}
    assert after == before
    return code, out, err


def _errors(err: str) -> list[str]:
    return [line for line in err.splitlines() if ": error: " in line]


SQUAT_MD = os.path.join("content", "exercises", "squat.md")
BOOK_YML = os.path.join("content", "book.yml")


# --- dates ---------------------------------------------------------------------------------

IMPOSSIBLE_DATES = [
    "2026-02-30",
    "2025-02-29",
    "2026-13-01",
    "2026-04-31 10:00:00",
    "2026-01-01 25:00:00",
    "2026-01-01T10:00:00+99:00",
    "0000-01-01",
]


@pytest.mark.parametrize("date", IMPOSSIBLE_DATES)
def test_impossible_date_in_the_book_file(tmp_path: Path, date: str) -> None:
    _book(tmp_path, book_yml=f"title: T\ndate: {date}\n")
    code, _out, err = _cli(tmp_path, "check")
    assert code == 1
    assert _errors(err) == [
        f"{BOOK_YML}:2: error: book file: date: expected a date like 2026-11-21, got str '{date}'"
    ]


@pytest.mark.parametrize("date", IMPOSSIBLE_DATES)
def test_impossible_date_in_front_matter(tmp_path: Path, date: str) -> None:
    """Front matter has no date key: the value is an unknown key's, or a title's text."""
    chapter = f"---\ndate: {date}\ndescription: {date}\n---\n{SQUAT}"
    _book(tmp_path, chapter)
    code, _out, err = _cli(tmp_path, "check")
    assert code == 1
    assert _errors(err) == [
        f"{SQUAT_MD}:2: error: front matter: unknown key 'date' (did you mean 'draft'?)"
    ]
    _book(tmp_path / "titled", f"---\ntitle: {date}\n---\nText.\n")
    code, _out, err = _cli(tmp_path / "titled", "build", "--format", "epub")
    assert code == 0, err
    with zipfile.ZipFile(tmp_path / "titled" / "build" / "book.epub") as epub:
        assert date in epub.read("EPUB/nav.xhtml").decode("utf-8")


# --- numbers YAML cannot build ---------------------------------------------------------------

BASE_60 = "1" + ":00" * 3000  # a valid YAML 1.1 integer; converting it is quadratic
HUGE_NUMBERS = [
    BIG,
    "-" + BIG,
    "0x" + "f" * 5000,
    BASE_60,
    BIG + ".5",
    "0." + "0" * 5000 + "1",
    "!!int " + BIG,
    "!!float " + BIG,
]


def _too_long(number: str) -> str:
    length = len(number.removeprefix("!!int ").removeprefix("!!float "))
    return (
        f"a number {length} characters long; numbers have at most 100 (put it in quotes if "
        "it is a text)"
    )


@pytest.mark.parametrize("number", HUGE_NUMBERS)
@pytest.mark.parametrize("key", ["title", "date", "keywords", "paper"])
def test_huge_number_in_the_book_file(tmp_path: Path, key: str, number: str) -> None:
    _book(tmp_path, book_yml=f"title: T\n{key}: {number}\n")
    code, _out, err = _cli(tmp_path, "check")
    assert code == 1
    assert _errors(err) == [f"{BOOK_YML}:2: error: book file: {_too_long(number)}"]


@pytest.mark.parametrize("number", HUGE_NUMBERS)
@pytest.mark.parametrize("key", ["title", "description", "draft", "kind", "keywords"])
def test_huge_number_in_front_matter(tmp_path: Path, key: str, number: str) -> None:
    value = f"[a, {number}]" if key == "keywords" else number
    _book(tmp_path, f"---\nslug: squat\n{key}: {value}\n---\n{SQUAT}")
    code, _out, err = _cli(tmp_path, "check")
    assert code == 1
    assert _errors(err) == [f"{SQUAT_MD}:3: error: front matter: {_too_long(number)}"]


@pytest.mark.parametrize(
    "key",
    [
        "title",
        pytest.param("description", marks=pytest.mark.slow),
        pytest.param("body_part", marks=pytest.mark.slow),
    ],
)
def test_huge_number_in_quotes_is_a_text(tmp_path: Path, key: str) -> None:
    _book(tmp_path, f'---\nkind: exercise\n{key}: "{BIG}"\n---\n{SQUAT}', f'title: "{BIG}"\n')
    code, _out, err = _cli(tmp_path, "build", "--format", "epub")
    assert code == 0, err


@pytest.mark.parametrize(
    ("book_yml", "expected"),
    [
        ("title: !!int abc\n", []),
        ("title: !!float abc\n", []),
        ("title: !!bool abc\n", []),
        ("title: !!timestamp abc\n", []),
        ("title: 2026-02-30\n", []),
        (
            "chapter_start: !!bool x\n",
            ["book file: chapter_start: expected one of auto, right, any"],
        ),
        ("paper: !!float a4\n", []),
    ],
)
def test_scalars_yaml_cannot_build_are_text(
    tmp_path: Path, book_yml: str, expected: list[str]
) -> None:
    """PyYAML raised ValueError or KeyError from inside its constructors for these."""
    _book(tmp_path, book_yml=book_yml)
    code, _out, err = _cli(tmp_path, "check")
    assert code == (1 if expected else 0), err
    assert [line.split(": error: ")[1] for line in _errors(err)] == [
        f"{e}, got str 'x'" for e in expected
    ]


@pytest.mark.parametrize(
    ("front", "message"),
    [
        ("draft: !!bool maybe\n", "draft: expected true or false, got str 'maybe'"),
        ("draft: !!int x\n", "draft: expected true or false, got str 'x'"),
        ("kind: !!float guide\n", None),
    ],
)
def test_scalars_yaml_cannot_build_in_front_matter(
    tmp_path: Path, front: str, message: str | None
) -> None:
    _book(tmp_path, f"---\n{front}---\n{SQUAT}")
    code, _out, err = _cli(tmp_path, "check")
    assert code == (1 if message else 0), err
    if message:
        assert _errors(err) == [f"{SQUAT_MD}:2: error: front matter: {message}"]


@pytest.mark.parametrize("cover", ["a" * 5000, "a/" * 3000, BIG + ".png"])
def test_cover_path_too_long_for_the_file_system(tmp_path: Path, cover: str) -> None:
    """Was 'make_book: error: cannot write <path>: File name too long' naming no key."""
    _book(tmp_path, book_yml=f"title: T\ncover: {cover}\n")
    code, _out, err = _cli(tmp_path, "check")
    assert code == 1
    assert _errors(err) == [
        f"{BOOK_YML}:2: error: book file: cover: '{cover[:197]}...' is not a path this system "
        "can open (File name too long); give a short relative path"
    ]


# --- image widths -----------------------------------------------------------------------------

BAD_WIDTHS = ["²", "١٢٠٠", "１２００", BIG, "50%", "12px", "-5", "0", "1e3", "12.5", " "]


def _image_book(tmp_path: Path, width: str) -> None:
    from PIL import Image

    chapter = (
        "# Back Squat\n\n"
        f'<img src="a.png" alt="raw" width="{width}" height="{width}">\n\n'
        f'![attr](a.png){{: width="{width}" height="{width}" }}\n'
    )
    _book(tmp_path, chapter)
    Image.new("RGB", (1200, 800), "red").save(tmp_path / "content" / "exercises" / "a.png")


# A check and an EPUB build each: a superscript, 5,000 digits and a CSS unit in the inner loop.
@pytest.mark.parametrize("width", slow_except(BAD_WIDTHS, "²", BIG, "12px"))
def test_image_width_that_is_not_ascii_pixels_is_dropped(tmp_path: Path, width: str) -> None:
    """`check` measures print resolution from the width (int() crashed on '²' and 5,000
    digits); the EPUB never carries a width XHTML forbids."""
    _image_book(tmp_path, width)
    code, _out, err = _cli(tmp_path, "check")
    assert code == 0, err
    code, _out, err = _cli(tmp_path, "build", "--format", "epub")
    assert code == 0, err
    with zipfile.ZipFile(tmp_path / "build" / "book.epub") as epub:
        xhtml = epub.read("EPUB/squat.xhtml").decode("utf-8")
    images = re.findall(r"<img [^>]*>", xhtml)
    assert len(images) == 2
    # The writer's value is dropped; the image gets its size at 300 dpi (1200 x 800 px).
    assert all('width="384" height="256" class="print-size"' in img for img in images), images


def test_image_width_with_leading_zeros_is_normalised(tmp_path: Path) -> None:
    _image_book(tmp_path, "0800")
    code, _out, err = _cli(tmp_path, "build", "--format", "epub")
    assert code == 0, err
    with zipfile.ZipFile(tmp_path / "build" / "book.epub") as epub:
        xhtml = epub.read("EPUB/squat.xhtml").decode("utf-8")
    images = re.findall(r"<img [^>]*>", xhtml)
    assert len(images) == 2
    assert all('width="800"' in img and 'height="800"' in img for img in images)


# --- control characters in YAML ------------------------------------------------------------

# C0 controls, DEL, C1 controls that neither Windows-1252 nor the mojibake repair maps to a
# letter, and the noncharacters YAML forbids.
FORBIDDEN = [
    ("\x01", "a control character U+0001"),
    ("\x08", "a control character U+0008"),
    ("\x1b", "a control character U+001B"),
    ("\x7f", "a control character U+007F"),
    ("\x90", "a control character U+0090"),
    ("\ufffe", "a noncharacter U+FFFE"),
    ("\uffff", "a noncharacter U+FFFF"),
    ("\ufdd0", "a noncharacter U+FDD0"),  # YAML's reader allows this one
]


# Written raw, they are removed from the whole file as it is read (one warning naming the first
# line, text.remove_disallowed), before YAML sees them: the same rule as for chapter text.
def _removed(path: str, line: int, char: str, what: str = "") -> str:
    return (
        f"{path}:{line}: warning: {what}removed 1 control character or Unicode noncharacter (the "
        f"first, U+{ord(char):04X}, on this line) that no output can carry; delete them from "
        "the file to silence this"
    )


@pytest.mark.parametrize(("char", "name"), FORBIDDEN)
def test_control_character_in_front_matter(tmp_path: Path, char: str, name: str) -> None:
    _book(tmp_path, f"---\nkind: exercise\ntitle: Sq{char}uat\n---\nText.\n")
    code, _out, err = _cli(tmp_path, "check")
    assert code == 0, err
    assert _removed(SQUAT_MD, 3, char) in err.splitlines()


@pytest.mark.parametrize(("char", "name"), FORBIDDEN)
def test_control_character_in_the_book_file(tmp_path: Path, char: str, name: str) -> None:
    _book(tmp_path, book_yml=f"title: T\n\nsubtitle: a{char}\n")
    code, _out, err = _cli(tmp_path, "check")
    assert code == 0, err
    assert _removed(BOOK_YML, 3, char, "book file: ") in err.splitlines()


# Session cards are PDFs: a control character and a noncharacter in the inner loop.
@pytest.mark.parametrize(("char", "name"), slow_except(FORBIDDEN, "\x01", "\ufffe"))
def test_control_character_in_a_program(tmp_path: Path, char: str, name: str) -> None:
    _book(tmp_path)
    program = PROGRAM.format(extra="", week=1, sets=3, reps=5, load="70%", rest=90)
    (tmp_path / "p.yml").write_text(program.replace("S\n", f"S{char}\n"), encoding="utf-8")
    code, _out, err = _cli(tmp_path, "program", "p.yml")
    assert code == 0, err
    assert _removed("p.yml", 3, char, "program: ") in err.splitlines()


ESCAPED = [
    ("\\x01", "a control character U+0001"),
    ("\\e", "a control character U+001B"),
    ("\\N", "a control character U+0085"),
    ("\\x9f", "a control character U+009F"),
    ("\\ud800", "a surrogate U+D800"),
    ("\\udfff", "a surrogate U+DFFF"),
    ("\\ufdd0", "a noncharacter U+FDD0"),
    ("\\U0010FFFF", "a noncharacter U+10FFFF"),
]


@pytest.mark.parametrize(("escape", "name"), ESCAPED)
def test_escaped_control_character_is_removed_with_a_warning(
    tmp_path: Path, escape: str, name: str
) -> None:
    """YAML escapes let in what its reader refuses raw; values reach the EPUB's XHTML."""
    _book(
        tmp_path,
        f'---\nkind: exercise\ntitle: "Sq{escape}uat"\nkeywords: ["a{escape}{escape}"]\n---\nT.\n',
        f'title: "Bo{escape}ok"\nparts:\n  - title: "Le{escape}gs"\n    chapters: [squat]\n',
    )
    code, _out, err = _cli(tmp_path, "build", "--format", "epub")
    assert code == 0, err
    removed = f"removed {name}{{}} (written as an escape): no book can hold it; delete it to "
    removed += "silence this"
    assert [line for line in err.splitlines() if ": warning: " in line] == [
        f"{BOOK_YML}:1: warning: book file: {removed.format('')}",
        f"{BOOK_YML}:3: warning: book file: {removed.format('')}",
        f"{SQUAT_MD}:3: warning: front matter: {removed.format('')}",
        f"{SQUAT_MD}:4: warning: front matter: {removed.format(' and 1 more like it')}",
    ]
    with zipfile.ZipFile(tmp_path / "build" / "book.epub") as epub:
        names = [n for n in epub.namelist() if n.endswith((".xhtml", ".opf", ".ncx"))]
        text = "".join(epub.read(name).decode("utf-8") for name in names)
    assert "Squat" in text and "Book" in text and "Legs" in text


def test_escape_past_the_last_unicode_character(tmp_path: Path) -> None:
    _book(tmp_path, '---\nkind: guide\ntitle: "\\U00110000"\n---\nT.\n')
    code, _out, err = _cli(tmp_path, "check")
    assert code == 1
    assert _errors(err) == [
        f"{SQUAT_MD}:3: error: front matter: invalid YAML: an escape names no Unicode character "
        "(the last is \\U0010FFFF)"
    ]


# --- programs: numbers and loads that print nonsense ------------------------------------------

PROGRAM = """title: T
sessions:
  - title: S
    week: {week}
    exercises:
      - exercise: Back Squat
        sets: {sets}
        reps: {reps}
        load: {load}
        rest: {rest}
{extra}"""


def _program_errors(tmp_path: Path, **fields: object) -> list[str]:
    values: dict[str, object] = {
        "extra": "",
        "week": 1,
        "sets": 3,
        "reps": 5,
        "load": "70%",
        "rest": 90,
    }
    values.update(fields)
    _book(tmp_path)
    (tmp_path / "p.yml").write_text(PROGRAM.format(**values), encoding="utf-8")
    code, _out, err = _cli(tmp_path, "program", "p.yml")
    assert code == 1
    return _errors(err)


ROUND_TO = (
    "p.yml:11: error: program: round_to: expected a step from 0.01 to 50 with at most 2 "
    "decimals, like 2.5, got '{}'"
)


@pytest.mark.parametrize(
    "step",
    ["0.0000000000000000000001", "0.001", "0.015", "51", "1000000000000000000000", f"'{BIG}'"],
)
def test_round_to_out_of_bounds(tmp_path: Path, step: str) -> None:
    shown = step if len(step) < 40 else step[1:38] + "..."
    assert _program_errors(tmp_path, extra=f"round_to: {step}\n") == [ROUND_TO.format(shown)]


@pytest.mark.parametrize(
    "load",
    [
        "-60 kg",
        "- 60",
        "+5 kg",
        "\u221260 kg",
        "1e3 kg",
        "1E3",
        "6e1%",
        "٦٠ kg",
        "60..5 kg",
        "-75%",
    ],
)
def test_load_that_looks_like_a_number_but_is_not(tmp_path: Path, load: str) -> None:
    assert _program_errors(tmp_path, load=f"'{load}'") == [
        f"p.yml:9: error: program: load: '{load}' is neither a weight nor a share of 1RM; "
        "write digits 0-9 without a sign or exponent, like 60 kg or 75%, or a text like "
        "bodyweight"
    ]


@pytest.mark.parametrize("load", ["60.125 kg", "1,000 kg", "72.125%", "0.001"])
def test_load_with_more_than_two_decimals(tmp_path: Path, load: str) -> None:
    assert _program_errors(tmp_path, load=f"'{load}'") == [
        f"p.yml:9: error: program: load: '{load}' has more than 2 decimals (a comma is a "
        "decimal mark); round it, e.g. 62.5 kg or 72.5%"
    ]


SHOWN_BIG = "'" + "9" * 37 + "...'"


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"sets": BIG}, f"p.yml:7: error: program: {_too_long(BIG)}"),
        (
            {"sets": f'"{BIG}"'},
            f"p.yml:7: error: program: sets: expected a whole number from 1 to 20, got {SHOWN_BIG}",
        ),
        ({"reps": BIG}, f"p.yml:8: error: program: {_too_long(BIG)}"),
        (
            {"reps": f'"{BIG}"'},
            "p.yml:8: error: program: reps: expected a number (5), a range (8-10), AMRAP, a "
            f"time (30 s) or a distance (40 m), got {SHOWN_BIG}",
        ),
        (
            {"reps": f"1-{BIG}"},
            "p.yml:8: error: program: reps: expected a number (5), a range (8-10), AMRAP, a "
            "time (30 s) or a distance (40 m), got '1-99999999999999999999999999999999999...'",
        ),
        (
            {"reps": f"{BIG} s"},
            "p.yml:8: error: program: reps: expected a number (5), a range (8-10), AMRAP, a "
            f"time (30 s) or a distance (40 m), got {SHOWN_BIG}",
        ),
        (
            {"week": f'"{BIG}"'},
            "p.yml:4: error: program: week: expected a number or a short label (at most 30 "
            f"characters), got {SHOWN_BIG}",
        ),
        ({"rest": BIG}, f"p.yml:10: error: program: {_too_long(BIG)}"),
        (
            {"rest": f"'{BIG}'"},
            "p.yml:10: error: program: rest: expected at most 3600 seconds, like 90 or 2 min, "
            f"got {SHOWN_BIG}",
        ),
        ({"week": BASE_60}, f"p.yml:4: error: program: {_too_long(BASE_60)}"),
        (
            {"load": f"{BIG} kg"},
            "p.yml:9: error: program: load: 9999999999999999999999999999999999999... is out of "
            "range; a weight is more than 0 and less than 1000",
        ),
        (
            {"load": f"{BIG}%"},
            "p.yml:9: error: program: load: 9999999999999999999999999999999999999... is out of "
            "range; a share of 1RM is more than 0% and at most 120%",
        ),
    ],
)
def test_huge_numbers_in_a_program(
    tmp_path: Path, fields: dict[str, object], expected: str
) -> None:
    assert _program_errors(tmp_path, **fields) == [expected]


# --- keys given twice, nesting ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("chapter", "book_yml", "expected"),
    [
        (
            "---\ntitle: A\nkind: guide\ntitle: B\n---\nText.\n",
            None,
            f"{SQUAT_MD}:4: error: front matter: key 'title' is given twice (lines 2 and 4); "
            "keep one of them",
        ),
        (
            "---\nkeywords: a\n'keywords': b\n---\n# S\n",
            None,
            f"{SQUAT_MD}:3: error: front matter: key 'keywords' is given twice (lines 2 and "
            "3); keep one of them",
        ),
        (
            SQUAT,
            "title: T\nauthor: A\ntitle: U\n",
            f"{BOOK_YML}:3: error: book file: key 'title' is given twice (lines 1 and 3); "
            "keep one of them",
        ),
        (
            SQUAT,
            "parts:\n  - {title: P, chapters: [squat], title: Q}\n",
            f"{BOOK_YML}:2: error: book file: key 'title' is given twice on line 2; keep one "
            "of them",
        ),
    ],
)
def test_keys_given_twice(
    tmp_path: Path, chapter: str, book_yml: str | None, expected: str
) -> None:
    _book(tmp_path, chapter, book_yml)
    code, _out, err = _cli(tmp_path, "check")
    assert code == 1
    assert _errors(err) == [expected]


@pytest.mark.parametrize("value", ["[" * 1000 + "]" * 1000, "{a: " * 500 + "1" + "}" * 500])
def test_nesting_too_deep(tmp_path: Path, value: str) -> None:
    _book(
        tmp_path, f"---\nkind: guide\nkeywords: {value}\n---\n{SQUAT}", f"title: T\nparts: {value}"
    )
    code, _out, err = _cli(tmp_path, "check")
    assert code == 1
    message = "invalid YAML: values are nested more than 32 levels deep; flatten them"
    assert _errors(err) == [
        f"{BOOK_YML}:2: error: book file: {message}",
        f"{SQUAT_MD}:3: error: front matter: {message}",
    ]


# --- SOURCE_DATE_EPOCH ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    slow_except(
        ["abc", "99999999999999999", "-5", "1e9", "١٧٠٠٠٠٠٠٠٠", "4354819200", "1_700", BIG],
        "abc",
        "4354819200",
        BIG,
    ),
)
def test_bad_source_date_epoch_is_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    _book(tmp_path)
    code, _out, err = _cli(tmp_path, "build", "--format", "epub")
    assert code == 0, err
    shown = repr(value if len(value) < 40 else value[:37] + "...")
    assert (
        f"warning: SOURCE_DATE_EPOCH={shown}: not a Unix time (whole seconds since 1970, at "
        "most 4354819199); using the current time"
    ) in err.splitlines()
    assert "SOURCE_DATE_EPOCH" not in os.environ  # nothing later reads the bad value
    with zipfile.ZipFile(tmp_path / "build" / "book.epub") as epub:
        stamp = dt.datetime(*epub.infolist()[0].date_time)
    assert abs(stamp - dt.datetime.now(dt.UTC).replace(tzinfo=None)) < dt.timedelta(hours=1)


@pytest.mark.parametrize(
    ("value", "stamp"),
    [("1700000000", (2023, 11, 14, 22, 13, 20)), (" 1700000000\n", (2023, 11, 14, 22, 13, 20))],
)
def test_valid_source_date_epoch_still_dates_the_outputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str, stamp: tuple[int, ...]
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    _book(tmp_path)
    code, _out, err = _cli(tmp_path, "build", "--format", "epub")
    assert code == 0, err
    assert "SOURCE_DATE_EPOCH" not in err
    with zipfile.ZipFile(tmp_path / "build" / "book.epub") as epub:
        assert epub.infolist()[0].date_time == stamp


def test_bad_source_date_epoch_does_not_reach_the_pdf_renderer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Emoji send WeasyPrint through fontTools, which reads SOURCE_DATE_EPOCH with int()."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "abc")
    _book(tmp_path, "# Back Squat 🔥\n\nBrace 💪.\n")
    code, out, err = _cli(tmp_path, "build", "--format", "pdf")
    assert code == 0, err
    assert "wrote build/book.pdf" in out
    assert "warning: SOURCE_DATE_EPOCH='abc': not a Unix time" in err


# --- one diagnostic, one line -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("bad\nname", "bad\\nname"),
        ("bad\rname", "bad\\rname"),
        ("bad\x1b[31mname", "bad\\x1b[31mname"),
        ("bad\u2028name", "bad\\u2028name"),
        ("bad\u202ename", "bad\\u202ename"),
    ],
)
def test_file_name_with_a_line_break_is_escaped(tmp_path: Path, name: str, shown: str) -> None:
    content = _book(tmp_path)
    (content / f"{name}.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")
    code, _out, err = _cli(tmp_path, "check")
    assert code == 1
    lines = err.splitlines()
    [error] = [line for line in lines if ": error: " in line]
    assert error.startswith(f"content/{shown}.md:2: error: front matter: invalid YAML: ")
    assert len(lines) == 2  # the error and the summary: nothing split


def test_message_with_a_line_break_is_escaped(tmp_path: Path) -> None:
    _book(tmp_path, '---\n"ti\\ntle": x\n---\n# S\n')
    code, _out, err = _cli(tmp_path, "check")
    assert code == 1
    assert err.splitlines()[0] == (
        f"{SQUAT_MD}:2: error: front matter: unknown key 'ti\\ntle' (did you mean 'title'?)"
    )


@pytest.mark.slow
def test_long_session_title_gives_a_short_file_name(tmp_path: Path) -> None:
    """The slug names the card's file: 300 characters were past the file system's 255."""
    title = " ".join(["Lower body strength"] * 16)
    program = PROGRAM.format(extra="", week=1, sets=3, reps=5, load="70%", rest=90)
    _book(tmp_path)
    (tmp_path / "p.yml").write_text(program.replace("title: S\n", f"title: {title}\n"), "utf-8")
    code, out, err = _cli(tmp_path, "program", "p.yml", "-j", "1")
    assert code == 0, err
    [card] = (tmp_path / "build" / "cards").iterdir()
    words = "-".join(["lower-body-strength"] * 16)
    assert len(card.stem) <= 80
    assert f"w01-{words}".startswith(card.stem + "-")  # cut between words
    assert f"wrote build/cards/{card.name}: 1 page" in out
