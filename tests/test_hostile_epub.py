"""Hostile content and the EPUB invariant: exit 0 means EPUBCheck reports 0 errors, 0 warnings.

Names come from content (file names, slugs, part titles, headings), so every id and file name the
EPUB and HTML writers make must be a valid XML name (NCName), unique, and apart from the
package's own (`nav`, `cover`, `titlepage`, ...), by construction. Text may carry characters no
XML document can (U+FFFE, controls): they are removed on reading, with a warning.

- one hostile book combining every case, built without --strict (warnings expected) and its
  silent part with --strict, each checked by EPUBCheck (two runs, ~15 s each);
- fast structural checks of the EPUB and the HTML folder, parametrised over odd names;
- the diagnostics: a language that is not BCP 47, removed characters, a blank title, a pipe or
  an unreadable folder among the chapters.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest
from lxml import etree, html

from guidebook.text import slugify
from tests.conftest import BOOKS, epubcheck_messages, run_cli, slow_except

# --- what a valid name is (XML 1.0 fifth edition, Name without ':'), written out here rather
# than taken from guidebook so the tests do not trust the code they test.

_START = (
    "A-Z_a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
NCNAME = re.compile(f"[{_START}][{_START}\\-.0-9\u00b7\u0300-\u036f\u203f-\u2040]*")

NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
}
XHTML = "{http://www.w3.org/1999/xhtml}"
# Control characters and noncharacters: none may reach an output.
DISALLOWED = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff\U0001fffe-\U0001ffff]"
)


def dumps(value: object) -> str:
    """A YAML (JSON) value with the characters as they are, not as escapes."""
    return json.dumps(value, ensure_ascii=False)


def assert_names(names: list[str], what: str) -> None:
    bad = [n for n in names if not NCNAME.fullmatch(n)]
    assert not bad, f"{what}: not XML names: {bad}"
    twice = sorted({n for n in names if names.count(n) > 1})
    assert not twice, f"{what}: used twice: {twice}"


def _ids(root: etree._Element) -> list[str]:
    return [el.get("id") for el in root.iter() if isinstance(el.tag, str) and el.get("id")]


def check_epub(path: Path) -> None:
    """Every name in the package valid and unique; every reference resolves; widths numbers."""
    with zipfile.ZipFile(path) as zf:
        entries = zf.namelist()
        folded = [unicodedata.normalize("NFC", n).casefold() for n in entries]
        assert len(folded) == len(set(folded)), "zip entries collide"
        container = etree.fromstring(zf.read("META-INF/container.xml"))
        opf_path = container.find(".//c:rootfile", NS).get("full-path")
        base = posixpath.dirname(opf_path)
        opf = etree.fromstring(zf.read(opf_path))
        items = opf.findall("opf:manifest/opf:item", NS)
        assert_names(_ids(opf), "package document ids")
        files = {i.get("id"): posixpath.join(base, i.get("href")) for i in items}
        assert set(files.values()) <= set(entries)
        spine = [ref.get("idref") for ref in opf.iterfind("opf:spine/opf:itemref", NS)]
        assert_names(spine, "spine idrefs")
        assert set(spine) <= set(files)
        ncx_name = next(
            posixpath.join(base, i.get("href")) for i in items if "ncx" in i.get("media-type")
        )
        ncx = etree.fromstring(zf.read(ncx_name))
        assert_names(_ids(ncx), "NCX ids")
        for content in ncx.iter(f"{{{NS['ncx']}}}content"):
            assert posixpath.join(base, content.get("src").partition("#")[0]) in entries
        docs = {n: etree.fromstring(zf.read(n)) for n in entries if n.endswith(".xhtml")}
        text = "".join(
            zf.read(n).decode("utf-8") for n in entries if n.endswith((".xhtml", ".opf", ".ncx"))
        )
    assert not DISALLOWED.search(text)
    ids = {name: _ids(doc) for name, doc in docs.items()}
    for name, doc_ids in ids.items():
        assert_names(doc_ids, name)
    nav = [n for n in docs if n.endswith("/nav.xhtml")]
    # Element ids are unique book-wide: a link's id alone says which file holds it.
    assert_names([i for n, doc_ids in ids.items() if n not in nav for i in doc_ids], "book")
    for name, doc in docs.items():
        for el in doc.iter():
            if not isinstance(el.tag, str):
                continue
            for ref in (el.get("aria-labelledby") or "").split():
                assert ref in ids[name], f"{name}: aria-labelledby {ref} names no id"
            for size in ("width", "height"):
                if el.tag == f"{XHTML}img" and el.get(size) is not None:
                    assert re.fullmatch("[0-9]+", el.get(size)), f"{name}: {size}={el.get(size)!r}"
            href = el.get("href") if el.tag == f"{XHTML}a" else None
            if href and not href.startswith(("http://", "https://", "mailto:", "tel:")):
                file, _, fragment = href.partition("#")
                target = (
                    posixpath.normpath(posixpath.join(posixpath.dirname(name), file))
                    if file
                    else name
                )
                assert target in docs, f"{name}: {href} leads to no file"
                assert not fragment or fragment in ids[target], f"{name}: {href} leads to no id"
            title = el.text if el.tag == f"{XHTML}title" else "x"
            assert (title or "").strip(), f"{name}: empty <title>"
        for a in doc.iter(f"{XHTML}a"):
            if name in nav:
                assert "".join(a.itertext()).strip(), f"{name}: a nav entry without text"


def check_html(folder: Path) -> None:
    """The HTML output: one document whose ids are valid and unique and whose links resolve to
    its ids and to files of its own folder."""
    doc = html.fromstring((folder / "index.html").read_bytes())
    ids = _ids(doc)
    assert_names(ids, "index.html")
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        for ref in (el.get("aria-labelledby") or "").split():
            assert ref in ids, f"aria-labelledby {ref} names no id"
        for attr in ("href", "src"):
            value = el.get(attr)
            if not value or value.startswith(("http://", "https://", "mailto:", "tel:", "data:")):
                continue
            file, _, fragment = value.partition("#")
            if file:
                assert (folder / file).is_file(), f"{value} leads to no file of the folder"
            else:
                assert fragment in ids, f"{value} leads to no id"
    assert not DISALLOWED.search((folder / "index.html").read_text(encoding="utf-8"))


def snapshot(root: Path, skip: Path) -> dict[str, bytes]:
    return {
        str(p): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and not p.is_relative_to(skip)
    }


# --- the hostile book -----------------------------------------------------------------------

RESERVED_SLUGS = ("nav", "cover", "style", "titlepage", "ncx", "toc", "contents", "copyright")
LONG = "a-" * 60 + "z"


def _chapter(title: str, body: str = "Text.\n") -> str:
    return f"# {title}\n\n{body}"


def write_hostile_book(root: Path, noisy: bool) -> tuple[Path, Path]:
    """Every naming case in one book; with `noisy`, the cases that warn too (removed
    characters, a blank title). Returns (content folder, book file)."""
    content = root / "content"
    content.mkdir(parents=True)
    files = {
        "3-4-sit-up.md": _chapter(
            "3/4 Sit-Up",
            "## 3/4 sit-up\n\nSee [nav](nav.md), [legs](part-legs.md#how), [digits](#١٢٣) and "
            "[this](#3-4-sit-up).\n\n## ١٢٣\n\nA note[^1].\n\n## 日本語\n\n## 日本語\n\n"
            "[^1]: The note.\n",
        ),
        "part-legs.md": _chapter("Part Legs", "## How\n\nBack to [the sit-up](3-4-sit-up.md).\n"),
        "c-nav.md": _chapter("C Nav", "Not [nav](nav.md#nav-2).\n"),
        "part-3.md": _chapter("Part 3"),
        "1.md": _chapter("One"),
        "2024.md": _chapter("The 2024 Plan"),
        "💪-curl.md": _chapter("💪 Curl"),
        f"{LONG}.md": _chapter("Long"),
        "cjk.md": "---\ntitle: 日本語の章\n---\n\n## 見出し\n\nText.\n",
    }
    for slug in RESERVED_SLUGS:
        files[f"{slug}.md"] = _chapter(
            f"Chapter {slug}",
            f"## {slug}\n\n## {slug}\n\nBack to [3/4](3-4-sit-up.md#3-4-sit-up).\n",
        )
    parts: list[tuple[str, list[str]]] = [
        ("Legs", ["3-4-sit-up", "nav", "cover"]),
        ("Legs", ["style", "titlepage", "part-legs"]),
        ("日本語", ["ncx", "toc"]),
        ("中文", ["contents", "copyright"]),
        ("Другое", ["c-nav", "part-3"]),
        ("💪", ["1", "2024", "curl", LONG, "cjk"]),
    ]
    title = "Hostile Book"
    if noisy:
        files["blank.md"] = "# \n\nThe title is blank.\n"
        files["nonchar.md"] = (
            '---\ndescription: "bad \ufffe value"\n---\n# Non\ufffechar \x01Title\n\n'
            "Text \ufffe and \x1b and &#xFFFE; and &#xFDD0;.\n"
        )
        parts.append((" ", ["blank", "nonchar"]))  # a blank part title is no title
        title = "Hostile \ufffe Book"
    for name, text in files.items():
        (content / name).write_text(text, encoding="utf-8")
    book = root / "book.yml"
    listed = "".join(f"  - title: {dumps(t)}\n    chapters: {dumps(slugs)}\n" for t, slugs in parts)
    book.write_text(f"title: {dumps(title)}\nlanguage: en-GB\nparts:\n{listed}", "utf-8")
    return content, book


def write_width_book(root: Path) -> tuple[Path, Path]:
    content = root / "content"
    content.mkdir(parents=True)
    (content / "stance.svg").write_bytes(
        (BOOKS / "withbook" / "content" / "exercises" / "images" / "stance.svg").read_bytes()
    )
    (content / "wide.md").write_text(
        '# Wide\n\n<img src="stance.svg" width="١٢٠٠" alt="Stance">\n\n'
        '![Stance](stance.svg){: width="１２００" }\n',
        encoding="utf-8",
    )
    book = root / "book.yml"
    book.write_text("title: Widths\n", encoding="utf-8")
    return content, book


BUILDS = {
    "all": (lambda root: write_hostile_book(root, noisy=True), []),
    "names-strict": (lambda root: write_hostile_book(root, noisy=False), ["--strict"]),
    "width": (write_width_book, []),
}


def _build(tmp_path: Path, case: str) -> tuple[Path, str]:
    write, extra = BUILDS[case]
    content, book = write(tmp_path / "proj")
    out = tmp_path / "proj" / "out"
    before = snapshot(tmp_path, out)
    code, _stdout, err = run_cli(
        "build",
        "--content",
        content,
        "--book",
        book,
        "--out",
        out,
        "--format",
        "epub,html",
        *extra,
    )
    assert "Traceback" not in err
    assert code == 0, err
    assert snapshot(tmp_path, out) == before  # nothing outside --out changed
    return out, err


@pytest.mark.slow
@pytest.mark.parametrize("case", ["all", "names-strict", "width"])
def test_hostile_book_builds_and_passes_epubcheck(tmp_path: Path, case: str) -> None:
    out, err = _build(tmp_path, case)
    check_epub(out / "book.epub")
    check_html(out / "book")
    if case == "all":
        content = tmp_path / "proj" / "content"
        assert f"{tmp_path / 'proj' / 'book.yml'}:1: warning: book file: removed 1 " in err
        assert f"{content / 'blank.md'}:1: warning: the chapter's title is blank" in err
        assert f"{content / 'nonchar.md'}:2: warning: removed 5 control characters " in err
        assert f"{content / 'nonchar.md'}:6: warning: removed 2 control character(s) " in err
    assert epubcheck_messages(out / "book.epub") == ()


def test_hostile_book_names(tmp_path: Path) -> None:
    """What the names come out as: slugs kept when usable, `c-` otherwise, parts apart."""
    out, _err = _build(tmp_path, "names-strict")
    with zipfile.ZipFile(out / "book.epub") as zf:
        names = set(zf.namelist())
        opf = etree.fromstring(zf.read("EPUB/content.opf"))
    spine = [ref.get("idref") for ref in opf.iterfind("opf:spine/opf:itemref", NS)]
    assert spine[:9] == [
        "cover",
        "titlepage",
        "nav",
        "c-part-legs-2",  # the chapter part-legs keeps its slug; parts make way
        "c-c-3-4-sit-up",
        "c-c-nav-2",  # c-nav is a chapter's own slug
        "c-c-cover",
        "c-part-legs-3",
        "c-c-style",
    ]
    assert {"EPUB/part-legs.xhtml", "EPUB/nav.xhtml", "EPUB/c-nav.xhtml"} <= names
    # Other scripts are transliterated; a title with no letters at all is named by its place.
    transliterated = {"EPUB/part-ribenyu.xhtml", "EPUB/part-zhongwen.xhtml"}
    assert transliterated | {"EPUB/part-drugoe.xhtml", "EPUB/part-6.xhtml"} <= names


# --- fast structural checks over many odd names ---------------------------------------------

ODD_NAMES = [
    "3-4-sit-up",
    "1",
    "2024",
    *RESERVED_SLUGS,
    "id",
    "index",
    "landmarks",
    "c-nav",
    "part-legs",
    "part-1",
    "Legs",
    "日本語",
    "١٢٣",
    "Другое упражнение",
    "💪",
    "💪 curl",
    "Ünïcödé Straße",
    "ab" * 50 + "-" + "cd" * 50,  # 201 characters, a place to break (see test_hostile_markdown)
    "x-" * 100 + "9",
    "-dash-",
    "a.b.c",
    " ",
]


def write_odd_book(root: Path, name: str) -> tuple[Path, Path]:
    """`name` as a file name (when it slugs to something), part title twice, heading twice,
    beside chapters named like the prefixed and part names it may be given."""
    content = root / "content"
    content.mkdir(parents=True)
    slug = slugify(name)
    stem = slug if slug else "plain"
    (content / f"{name if slug else stem}.md").write_text(
        _chapter(f"{name} chapter", f"## {name}\n\n## {name}\n\nText.\n"), encoding="utf-8"
    )
    target = quote(f"{name if slug else stem}.md") + (f"#{slug}" if slug else "")
    (content / "other.md").write_text(
        _chapter("Other", f"See [it]({target}) and [it again]({quote(name if slug else stem)}).\n"),
        encoding="utf-8",
    )
    chapters = [stem, "other"]
    for extra in (f"c-{stem}", f"part-{stem}", "part-1", "part-2"):
        if extra not in chapters:
            (content / f"{extra}.md").write_text(_chapter(extra.title()), encoding="utf-8")
            chapters.append(extra)
    book = root / "book.yml"
    book.write_text(
        f"title: Odd\nparts:\n"
        f"  - title: {dumps(name)}\n    chapters: {dumps(chapters[:2])}\n"
        f"  - title: {dumps(name)}\n    chapters: {dumps(chapters[2:])}\n",
        encoding="utf-8",
    )
    return content, book


# A digit, a reserved name, another script and an emoji in the inner loop.
@pytest.mark.parametrize("name", slow_except(ODD_NAMES, "1", "nav", "日本語", "💪 curl"))
def test_every_name_is_valid_and_unique(tmp_path: Path, name: str) -> None:
    content, book = write_odd_book(tmp_path / "proj", name)
    out = tmp_path / "out"
    code, _stdout, err = run_cli(
        "build",
        "--content",
        content,
        "--book",
        book,
        "--out",
        out,
        "--format",
        "epub,html",
        "-q",
        "--strict",
    )
    assert "Traceback" not in err
    assert code == 0, err  # odd names are not the writer's problem: no warning either
    check_epub(out / "book.epub")
    check_html(out / "book")


def test_widths_are_numbers_in_the_epub(tmp_path: Path) -> None:
    out, _err = _build(tmp_path, "width")
    check_epub(out / "book.epub")


# --- language ---------------------------------------------------------------------------------


def _book_with(
    tmp_path: Path, book_yml: str, chapter: str = "# Squat\n\nText.\n"
) -> tuple[Path, Path]:
    content = tmp_path / "proj" / "content"
    content.mkdir(parents=True)
    (content / "squat.md").write_text(chapter, encoding="utf-8")
    book = tmp_path / "proj" / "book.yml"
    book.write_text(book_yml, encoding="utf-8")
    return content, book


@pytest.mark.parametrize(
    "tag",
    [
        "xx_YY!",
        "en_GB",
        "e",
        "english language",
        "en-",
        "-en",
        "12",
        "en-x",
        "日本語",
        "de-DE-",
        "toolonglanguage",
        "en-GB-a",
        "en--GB",
        "fr-FR.UTF-8",
    ],
)
def test_language_must_be_a_bcp47_tag(tmp_path: Path, tag: str) -> None:
    content, book = _book_with(tmp_path, f"title: T\nlanguage: {dumps(tag)}\n")
    code, _out, err = run_cli("check", "--content", content, "--book", book)
    assert code == 1
    assert (
        f"{book}:2: error: book file: language: '{tag}' is not a BCP 47 language tag; write "
        "e.g. en, en-GB, pt-BR"
    ) in err.splitlines()
    assert "Traceback" not in err


# An EPUB build each: four of them in the inner loop.
@pytest.mark.parametrize(
    "tag",
    slow_except(
        [
            "en",
            "en-GB",
            "pt-BR",
            "zh-Hant-TW",
            "sr-Latn-RS",
            "de-CH-1901",
            "es-419",
            "i-klingon",
            "x-private",
            "en-US-u-ca-gregory",
            "sl-rozaj-biske",
            "zh-yue-HK",
            "EN-gb",
        ],
        "en",
        "zh-Hant-TW",
        "x-private",
        "EN-gb",
    ),
)
def test_well_formed_language_tags_are_kept(tmp_path: Path, tag: str) -> None:
    content, book = _book_with(tmp_path, f"title: T\nlanguage: {dumps(tag)}\n")
    out = tmp_path / "out"
    code, _out, err = run_cli(
        "build", "--content", content, "--book", book, "--out", out, "--format", "epub", "-q"
    )
    assert code == 0, err
    with zipfile.ZipFile(out / "book.epub") as zf:
        opf = zf.read("EPUB/content.opf").decode("utf-8")
    assert f"<dc:language>{tag}</dc:language>" in opf


# --- characters no output can carry -----------------------------------------------------------

CHARACTERS = ["\x01", "\x0b", "\x1b", "\x7f", "\x85", "\x9f", "\ufffe", "\uffff", "\ufdd0",
              "\ufdef", "\U0001fffe", "\U0010ffff"]  # fmt: skip

# Where the character is: (file, its text, the line of the character).
PLACES: dict[str, Callable[[str], tuple[str, str, int]]] = {
    "body": lambda c: ("squat.md", f"# Squat\n\nText {c}here.\n", 3),
    "title": lambda c: ("squat.md", f"# Sq{c}uat\n\nText.\n", 1),
    "front matter": lambda c: ("squat.md", f"---\ndescription: 'a{c}b'\n---\n# Squat\n", 2),
    "book file": lambda c: ("book.yml", f"language: en\ntitle: 'Bo{c}ok'\n", 2),
}


# Two EPUB builds each: a noncharacter in every place in the inner loop, all with the whole suite.
@pytest.mark.parametrize("char", slow_except(CHARACTERS, "\ufffe"), ids=lambda c: f"U+{ord(c):04X}")
@pytest.mark.parametrize("place", list(PLACES))
def test_controls_and_noncharacters_are_removed_with_a_warning(
    tmp_path: Path, place: str, char: str
) -> None:
    name, text, line = PLACES[place](char)
    content, book = _book_with(tmp_path, "title: T\n")
    path = book if name == "book.yml" else content / name
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    code, _out, err = run_cli(
        "build", "--content", content, "--book", book, "--out", out, "--format", "epub,html"
    )
    assert "Traceback" not in err
    assert code == 0, err
    what = "book file: " if name == "book.yml" else ""
    assert (
        f"{path}:{line}: warning: {what}removed 1 control character or Unicode noncharacter "
        f"(the first, U+{ord(char):04X}, on this line) that no output can carry; delete them "
        "from the file to silence this"
    ) in err.splitlines()
    check_epub(out / "book.epub")
    check_html(out / "book")
    code, _out, err = run_cli(
        "build", "--content", content, "--book", book, "--out", out, "--format", "epub", "--strict"
    )
    assert code == 1 and "Traceback" not in err


@pytest.mark.parametrize(
    "ref",
    slow_except(
        ["&#xFFFE;", "&#xffff;", "&#xFDD0;", "&#65534;", "&#x1FFFF;"], "&#xFFFE;", "&#65534;"
    ),
)
def test_character_references_to_them_are_removed_with_a_warning(tmp_path: Path, ref: str) -> None:
    content, book = _book_with(
        tmp_path, "title: T\n", f"# Squat\n\nFine.\n\nText {ref} and <b title='a{ref}'>b</b>.\n"
    )
    out = tmp_path / "out"
    code, _out, err = run_cli(
        "build", "--content", content, "--book", book, "--out", out, "--format", "epub,html"
    )
    assert code == 0, err
    assert (
        f"{content / 'squat.md'}:5: warning: removed 2 control character(s) or Unicode "
        "noncharacter(s) written as character references (such as &#xFFFE;) that no output can "
        "carry; delete them"
    ) in err.splitlines()
    check_epub(out / "book.epub")
    check_html(out / "book")


# --- a blank title ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("# \n\nText.\n", 1),
        pytest.param("#\n\nText.\n", 1, marks=pytest.mark.slow),
        pytest.param("\n\n#    #\n\nText.\n", 3, marks=pytest.mark.slow),
        pytest.param("# {#top}\n\nText.\n", 1, marks=pytest.mark.slow),
        ("# **\n\nText.\n", None),  # `**` is a title, if an odd one: not blank
        ("---\nkind: guide\n---\n# \n\nText.\n", 4),
    ],
)
def test_blank_title_falls_back_to_the_file_name(
    tmp_path: Path, text: str, line: int | None
) -> None:
    content, book = _book_with(tmp_path, "title: T\n")
    (content / "squat.md").unlink()
    path = content / "leg_day-2.md"
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    code, _out, err = run_cli(
        "build", "--content", content, "--book", book, "--out", out, "--format", "epub,html"
    )
    assert code == 0, err
    warning = (
        f"{path}:{line}: warning: the chapter's title is blank; it is titled 'Leg day 2' after "
        "its file name. Write the title after the '# ' (or in 'title:')"
    )
    if line is None:
        assert "title is blank" not in err
        return
    assert warning in err.splitlines()
    check_epub(out / "book.epub")
    with zipfile.ZipFile(out / "book.epub") as zf:
        assert "<title>Leg day 2</title>" in zf.read("EPUB/leg-day-2.xhtml").decode("utf-8")


def test_no_title_at_all_is_still_an_error(tmp_path: Path) -> None:
    content, book = _book_with(tmp_path, "title: T\n", "Just text.\n")
    code, _out, err = run_cli("check", "--content", content, "--book", book)
    assert code == 1
    assert f"{content / 'squat.md'}:1: error: the chapter has no title; " in err


# --- discovery: nothing is left out silently ------------------------------------------------


def test_a_pipe_among_the_chapters_is_left_out_with_a_warning(tmp_path: Path) -> None:
    content, book = _book_with(tmp_path, "title: T\n")
    os.mkfifo(content / "pipe.md")
    code, _out, err = run_cli(
        "build", "--content", content, "--book", book, "--out", tmp_path / "out", "--format", "epub"
    )
    assert code == 0, err
    assert (
        f"{content / 'pipe.md'}: warning: is not a regular file (a pipe, device or socket); "
        "left out of the book"
    ) in err.splitlines()


def test_a_broken_link_among_the_chapters_is_left_out_with_a_warning(tmp_path: Path) -> None:
    content, book = _book_with(tmp_path, "title: T\n")
    (content / "gone.md").symlink_to(content / "missing.md")
    code, _out, err = run_cli("check", "--content", content, "--book", book)
    assert code == 0, err
    assert (
        f"{content / 'gone.md'}: warning: cannot read the file: No such file or directory; "
        "left out of the book"
    ) in err.splitlines()


@pytest.mark.parametrize("folder", ["locked", "exercises/locked"])
def test_an_unreadable_folder_is_left_out_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, folder: str
) -> None:
    """Tests run as root, whom permissions do not stop, so the folder's listing is refused the
    way the system refuses it to other users."""
    content, book = _book_with(tmp_path, "title: T\n")
    locked = content / folder
    locked.mkdir(parents=True)
    (locked / "hidden.md").write_text("# Hidden\n", encoding="utf-8")
    real = os.scandir

    def scandir(path: object = ".") -> object:
        if Path(str(path)) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    code, _out, err = run_cli("check", "--content", content, "--book", book)
    assert code == 0, err
    assert (
        f"{locked}: warning: cannot read the folder: Permission denied; the chapters in it are "
        "left out"
    ) in err.splitlines()


def test_yaml_escapes_to_them_are_removed_with_a_warning(tmp_path: Path) -> None:
    """Escapes decode only when the YAML is parsed: "\\uFFFE", "\\x01", a lone surrogate
    "\\ud83d" (which cannot even be written as UTF-8); a JSON-style pair is one emoji."""
    content, book = _book_with(
        tmp_path,
        'language: en\ntitle: "Bo\\uFFFEok \\ud83d\\udcaa"\nauthor: "\\ud83dAna\\x01"\n'
        'parts:\n  - title: "\\uD83D"\n    chapters: [squat]\n',
        '---\ndescription: "a\\x01b"\n---\n# Squat\n\nText.\n',
    )
    out = tmp_path / "out"
    code, _out, err = run_cli(
        "build", "--content", content, "--book", book, "--out", out, "--format", "epub,html"
    )
    assert "Traceback" not in err
    assert code == 0, err
    removed = "(written as an escape): no book can hold it; delete it to silence this"
    assert (
        f"{book}:2: warning: book file: removed a noncharacter U+FFFE {removed}" in err.splitlines()
    )
    assert (
        f"{content / 'squat.md'}:2: warning: front matter: removed a control character U+0001 "
        f"{removed}" in err.splitlines()
    )
    check_epub(out / "book.epub")
    check_html(out / "book")
    with zipfile.ZipFile(out / "book.epub") as zf:
        opf = zf.read("EPUB/content.opf").decode("utf-8")
    assert "<dc:title>Book 💪</dc:title>" in opf and '<dc:creator id="creator0">Ana<' in opf


def test_digit_slugs_may_be_unquoted_in_the_book_file(tmp_path: Path) -> None:
    """YAML reads `2024` as a number; the chapter 2024.md is still what it names."""
    content, book = _book_with(tmp_path, "title: T\nchapters: [2024, squat, 7]\n")
    (content / "2024.md").write_text("# The 2024 Plan\n", encoding="utf-8")
    (content / "7.md").write_text("# Seven\n", encoding="utf-8")
    out = tmp_path / "out"
    code, _out, err = run_cli(
        "build", "--content", content, "--book", book, "--out", out, "--format", "epub", "--strict"
    )
    assert code == 0, err
    check_epub(out / "book.epub")


def test_external_addresses_are_valid_urls_or_plain_text(tmp_path: Path) -> None:
    """EPUBCheck refuses an href that is not a valid URL (RSC-005, RSC-020): characters a URL may
    not hold are percent-encoded, and an address with nothing to follow is plain text."""
    content = tmp_path / "content"
    content.mkdir()
    (content / "a.md").write_text(
        "# T\n\n[m](mailto:) [t](tel:) [f](https://a.com/#a#b) [p](https://a.com/a|b) "
        "[u](https://ex.com/ü x) [h](https:///x) [ok](https://ex.com/a?b=c&d=e#top)\n\n"
        '<a href="tel:">r</a>\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    code, _out, err = run_cli("build", "--content", content, "--out", out, "--format", "epub")
    assert code == 0, err
    with zipfile.ZipFile(out / "book.epub") as zf:
        page = zf.read("EPUB/a.xhtml").decode("utf-8")
    hrefs = re.findall(r'<a [^>]*href="([^"]*)"', page)
    assert hrefs == [
        "https://a.com/#a%23b",
        "https://a.com/a%7Cb",
        "https://ex.com/%C3%BC%20x",
        "https://ex.com/a?b=c&amp;d=e#top",
    ]
    for problem in ("has nothing after 'mailto:'", "has nothing after 'tel:'", "names no web"):
        assert problem in err
