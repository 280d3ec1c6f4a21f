"""The command line through `guidebook.cli.main`: exit codes, what is written, and what is not."""

from __future__ import annotations

import logging
import re
import shutil
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import (
    Built,
    copy_book,
    quiet_reporter,
    renderer_warnings,
    run_cli,
    warning_lines,
)
from pypdf import PdfReader

from guidebook.build import LAYOUT_CACHE
from guidebook.convert.memo import FILE
from guidebook.diagnostics import display_path
from guidebook.model import Asset
from guidebook.render.fetcher import BASE_URL
from guidebook.render.session import captured

CONVERTED = Path(LAYOUT_CACHE, FILE)  # the build cache's converted chapters


def files_under(folder: Path) -> dict[Path, bytes]:
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def page_size(pdf: Path) -> tuple[float, float]:
    box = PdfReader(pdf).pages[0].mediabox
    return round(float(box.width)), round(float(box.height))


@pytest.fixture(scope="module")
def small_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A one-chapter book (fast to render) reused by the option tests."""
    root = tmp_path_factory.mktemp("small")
    content = root / "content"
    content.mkdir()
    (content / "step-up.md").write_text(
        "# Step-Up\n\n## How to perform\n\n1. Step onto a sturdy box.\n2. Stand tall.\n",
        encoding="utf-8",
    )
    return root


@pytest.mark.slow
def test_good_build_writes_exactly_one_pdf_and_one_epub(tmp_path: Path) -> None:
    book = copy_book("withbook", tmp_path)
    out = tmp_path / "not" / "there" / "yet"
    code, stdout, stderr = run_cli("build", "--content", "content", "--out", out, cwd=book)
    assert code == 0, stderr
    assert sorted(p.name for p in out.iterdir()) == [LAYOUT_CACHE, "book.epub", "book.pdf"]
    assert stdout.count("wrote ") == 2
    assert re.search(r"book\.pdf: \d+ pages, Letter, ", stdout), stdout
    assert "book.epub: 4 chapters" in stdout
    assert warning_lines(stderr) == []
    assert renderer_warnings(stderr) == []


def test_default_out_folder_is_build_in_the_working_directory(
    small_book: Path, tmp_path: Path
) -> None:
    work = tmp_path / "work"
    shutil.copytree(small_book, work)
    code, _, stderr = run_cli("build", "--format", "epub", cwd=work)
    assert code == 0, stderr
    assert sorted(p.name for p in (work / "build").iterdir()) == [LAYOUT_CACHE, "book.epub"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["build", "--format", "bogus"],
            "make_book: error: --targets: unknown target 'bogus'; "
            "choose from html, pdf, epub, cover, handout, sheet, card (comma-separated)",
        ),
        (["build", "--targets", "pdf,mobi"], "unknown target 'mobi'"),
        (["build", "--format", ","], "--targets: no target given; choose from"),
        (["build", "--targets", "nope,zip,nope"], "unknown targets 'nope', 'zip'; choose"),
        (["build", "--targets", "sheets", "--only", ","], "--only: no slug given"),
        (["build", "--only", "squat"], "--only: only the handout and sheet targets print"),
        (["build", "--targets", "cards"], "the card target needs a program: add --program FILE"),
        (["build", "--colour", "red"], "unknown option '--colour'; see --help"),
        (["build", "--paper", "a3"], "--paper: unknown value 'a3'; choose from a4, letter,"),
        (["build", "--paper", "6x10"], "--paper: unknown value '6x10'; did you mean '7x10'"),
        (["sheets", "--paper", "6x9"], "--paper: unknown value '6x9'; choose from a4, letter"),
        (["publish"], "unknown command 'publish'; choose from build, check,"),
        (["buidl"], "make_book: error: unknown command 'buidl'; did you mean 'build'?"),
        (["build", "--pdf-varient", "pdf/ua-1"], "unknown option '--pdf-varient'; did you mean"),
        (["check", "--paper", "a4"], "option '--paper' is for build, cards, handouts and sheets"),
        (["build", "--targets", "epbu"], "unknown target 'epbu'; did you mean 'epub'?"),
        ([], "the following arguments are required: COMMAND"),
    ],
)
def test_usage_errors_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    code, stdout, stderr = run_cli(*args, cwd=tmp_path)
    assert code == 2
    assert message in stderr
    assert stdout == ""
    assert list(tmp_path.iterdir()) == []  # nothing built, not even the out folder


def test_version_exits_0() -> None:
    code, stdout, _ = run_cli("--version")
    assert code == 0
    assert stdout.startswith("guidebook ")


def test_content_error_exits_1_naming_file_and_line(tmp_path: Path) -> None:
    book = copy_book("unknown-key", tmp_path)
    code, stdout, stderr = run_cli("build", "--out", "out", cwd=book)
    assert code == 1
    assert stdout == ""
    assert stderr.splitlines() == [
        "content/squat.md:3: error: front matter: unknown key 'titel' (did you mean 'title'?)",
        "make_book: 1 problem to fix; no output was written",
    ]
    assert not (book / "out").exists()


@pytest.mark.parametrize(
    "case", ["bad-yaml", "no-title", "duplicate-slugs", "empty-file", "binary-file", "unknown-slug"]
)
def test_every_error_case_exits_1_and_writes_nothing(tmp_path: Path, case: str) -> None:
    book = copy_book(case, tmp_path)
    code, _, stderr = run_cli("build", "--out", "out", cwd=book)
    assert code == 1, stderr
    assert "problem" in stderr.splitlines()[-1] and "to fix; no output was written" in stderr
    assert ": error: " in stderr
    assert not (book / "out").exists()


def test_check_validates_and_writes_nothing(tmp_path: Path) -> None:
    book = copy_book("seedlike", tmp_path)
    before = files_under(book)
    code, stdout, stderr = run_cli("check", cwd=book)
    assert code == 0, stderr
    assert stdout == ""
    assert stderr.splitlines()[-1] == "check passed, 1 warning"
    assert files_under(book) == before
    assert not (book / "build").exists()


def test_check_reports_errors_with_exit_1(tmp_path: Path) -> None:
    book = copy_book("no-title", tmp_path)
    code, _, stderr = run_cli("check", cwd=book)
    assert code == 1
    assert "content/untitled.md:1: error: the chapter has no title" in stderr


def test_windows_1252_chapter_builds_with_a_warning(tmp_path: Path) -> None:
    book = copy_book("cp1252", tmp_path)
    code, _, stderr = run_cli("build", "--out", "out", "--format", "pdf", cwd=book)
    assert code == 0, stderr
    assert warning_lines(stderr) == [
        "content/cafe-stretch.md:1: warning: the file is not UTF-8; read it as Windows-1252. "
        "Save it as UTF-8 to silence this"
    ]
    text = "".join(page.extract_text() for page in PdfReader(book / "out" / "book.pdf").pages)
    assert "Café Stretch" in text
    assert "“naïve”" in text


def test_missing_image_warns_and_strict_fails(tmp_path: Path) -> None:
    book = copy_book("missing-image", tmp_path)
    code, _, stderr = run_cli("build", "--out", "out", "--format", "epub", cwd=book)
    assert code == 0
    assert warning_lines(stderr) == [
        "content/calf-raise.md:5: warning: image 'images/calf-top.png' does not exist (paths are "
        "relative to the chapter's folder); left out"
    ]
    first = (book / "out" / "book.epub").read_bytes()
    code, _, stderr = run_cli("build", "--strict", "--out", "out", "--format", "epub", cwd=book)
    assert code == 1
    assert stderr.splitlines()[-1] == (
        "make_book: 1 problem to fix; no output was written (--strict treats warnings as errors)"
    )
    assert (book / "out" / "book.epub").read_bytes() == first


def test_format_html_writes_the_document_with_css_and_fonts(
    small_book: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    code, _, stderr = run_cli("build", "--format", "html", "--out", out, cwd=small_book)
    assert code == 0, stderr
    index = out / "book" / "index.html"
    assert index.is_file()
    html = index.read_text(encoding="utf-8")
    assert 'href="css/base.css"' in html and "Step-Up" in html
    assert (out / "book" / "css" / "pdf.css").is_file()
    fonts = {p.name for p in (out / "book" / "fonts").iterdir()}
    assert "CharisSIL-Regular.ttf" in fonts and "Inter-Regular.otf" in fonts
    # Every file the stylesheets ask for was copied beside them.
    css = (out / "book" / "css" / "pdf.css").read_text(encoding="utf-8")
    for url in set(re.findall(r"url\(\.\./fonts/([^)]+)\)", css)):
        assert url in fonts
    assert [p.name for p in out.glob(".guidebook-*")] == [LAYOUT_CACHE]  # no staging left


@pytest.mark.parametrize(
    ("args", "size"),
    [
        ([], (595, 842)),
        pytest.param(["--paper", "letter"], (612, 792), marks=pytest.mark.slow),
        pytest.param(["--paper", "a4"], (595, 842), marks=pytest.mark.slow),
    ],
)
def test_paper_size(
    small_book: Path, tmp_path: Path, args: list[str], size: tuple[int, int]
) -> None:
    out = tmp_path / "out"
    code, _, stderr = run_cli("build", "--format", "pdf", "--out", out, *args, cwd=small_book)
    assert code == 0, stderr
    assert page_size(out / "book.pdf") == size
    assert renderer_warnings(stderr) == []


@pytest.mark.slow
def test_paper_option_overrides_the_book_file(tmp_path: Path) -> None:
    book = copy_book("withbook", tmp_path)  # book.yml says letter
    code, stdout, stderr = run_cli(
        "build", "--format", "pdf", "--paper", "a4", "--out", "out", cwd=book
    )
    assert code == 0, stderr
    assert page_size(book / "out" / "book.pdf") == (595, 842)
    assert ", A4, " in stdout


@pytest.mark.slow
def test_failed_build_leaves_the_previous_outputs_untouched(tmp_path: Path) -> None:
    book = copy_book("seedlike", tmp_path)
    code, _, stderr = run_cli("build", "--out", "out", cwd=book)
    assert code == 0, stderr
    before = files_under(book / "out")
    assert set(before) == {Path("book.pdf"), Path("book.epub"), CONVERTED}
    (book / "content" / "broken.md").write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    code, _, stderr = run_cli("build", "--out", "out", cwd=book)
    assert code == 1
    assert "content/broken.md:" in stderr and ": error: front matter: invalid YAML" in stderr
    assert files_under(book / "out") == before  # same names, same bytes, no temporary files


def test_build_output_names_follow_the_book_file(tmp_path: Path, small_book: Path) -> None:
    book = tmp_path / "named"
    shutil.copytree(small_book, book)
    (book / "book.yml").write_text("title: Named\noutput: hips-handbook\n", encoding="utf-8")
    code, _, stderr = run_cli("build", "--out", "out", cwd=book)
    assert code == 0, stderr
    assert sorted(p.name for p in (book / "out").iterdir()) == [
        LAYOUT_CACHE,
        "hips-handbook.epub",
        "hips-handbook.pdf",
    ]


EPOCH = "1700000000"  # 2023-11-14 22:13:20 UTC


@pytest.mark.slow
def test_source_date_epoch_makes_both_outputs_byte_identical(
    small_book: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    for out in ("a", "b"):
        code, _, stderr = run_cli("build", "--out", tmp_path / out, cwd=small_book)
        assert code == 0, stderr
        time.sleep(1.1)  # zip and PDF stamps have one-second resolution
    for name in ("book.pdf", "book.epub"):
        first, second = (tmp_path / "a" / name).read_bytes(), (tmp_path / "b" / name).read_bytes()
        assert first == second, name
    assert PdfReader(tmp_path / "a" / "book.pdf").metadata["/CreationDate"] == "D:20231114221320Z"


def test_without_source_date_epoch_the_dates_are_the_build_time(
    small_book: Path, tmp_path: Path
) -> None:
    code, _, stderr = run_cli("build", "--out", tmp_path, cwd=small_book)
    assert code == 0, stderr
    today = time.strftime("%Y%m%d", time.gmtime())
    assert PdfReader(tmp_path / "book.pdf").metadata["/CreationDate"].startswith(f"D:{today}")
    with zipfile.ZipFile(tmp_path / "book.epub") as zf:
        opf = zf.read("EPUB/content.opf").decode("utf-8")
    assert f'<meta property="dcterms:modified">{time.strftime("%Y-%m-%d", time.gmtime())}T' in opf


def test_source_date_epoch_sets_the_epub_modified_date_and_zip_timestamps(
    small_book: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    code, _, stderr = run_cli("build", "--format", "epub", "--out", tmp_path, cwd=small_book)
    assert code == 0, stderr
    with zipfile.ZipFile(tmp_path / "book.epub") as zf:
        opf = zf.read("EPUB/content.opf").decode("utf-8")
        stamps = {info.date_time for info in zf.infolist()}
    assert '<meta property="dcterms:modified">2023-11-14T22:13:20Z</meta>' in opf
    assert stamps == {(2023, 11, 14, 22, 13, 20)}


@pytest.mark.slow
@pytest.mark.weasyprint_warnings
def test_renderer_problems_become_warnings_and_fail_under_strict(tmp_path: Path) -> None:
    book = tmp_path / "book"
    (book / "content").mkdir(parents=True)
    (book / "content" / "pic.md").write_text(
        "# Odd Picture\n\n![A drawing](odd.svg)\n", encoding="utf-8"
    )
    # A valid SVG whose own stylesheet WeasyPrint complains about (and the sanitiser keeps:
    # a selector loads nothing, whether the renderer knows its pseudo-class or not).
    (book / "content" / "odd.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        "<style>rect:nonsense { fill: red }</style><rect width='5' height='5'/></svg>",
        encoding="utf-8",
    )
    code, _, stderr = run_cli("build", "--format", "pdf", "--out", "out", cwd=book)
    assert code == 0
    assert renderer_warnings(stderr) == [
        "warning: PDF renderer: Failed to apply CSS rule in SVG rule: "
        "('Unknown pseudo-class', 'nonsense')"
    ]
    code, _, stderr = run_cli("build", "--strict", "--format", "pdf", "--out", "strict", cwd=book)
    assert code == 1
    assert len(renderer_warnings(stderr)) == 1
    assert not (book / "strict" / "book.pdf").exists()


@pytest.mark.weasyprint_warnings
def test_renderer_messages_name_the_users_file_not_the_sandbox_address(tmp_path: Path) -> None:
    source = tmp_path / "content" / "pic.png"
    assets = {"images/pic-pic.png": Asset("images/pic-pic.png", source, "image/png")}
    reporter = quiet_reporter()
    with captured(reporter.warning, assets):
        logging.getLogger("weasyprint").error(
            "Failed to load image at %r: %s", f"{BASE_URL}images/pic-pic.png", "broken"
        )
    (warning,) = reporter.warnings
    assert warning.path == source
    assert warning.message == (
        f"PDF renderer: Failed to load image at '{display_path(source)}': broken"
    )


SITE_LINK = (
    "warning: link '/guide/{}' leads to no chapter of the book and no site_url is set (add the "
    "chapter, or set site_url in book.yml); printed as plain text"
)


def test_fixture_books_build_with_only_the_expected_warnings(
    seedlike_build: Built, withbook_build: Built
) -> None:
    assert warning_lines(seedlike_build.stderr) == [
        "content/guides/guide-glute-training.md:64: " + SITE_LINK.format("deadlift-technique")
    ]
    assert warning_lines(withbook_build.stderr) == []
    assert seedlike_build.stderr.splitlines()[-1].startswith(
        "done: 2 written, 0 unchanged, 1 warning ("
    )


@pytest.mark.slow
def test_seeds_build_with_only_their_dead_site_links_as_warnings(seeds_build: Built) -> None:
    assert warning_lines(seeds_build.stderr) == [
        f"content/guide-hip-thrust.md:{line}: " + SITE_LINK.format(slug)
        for line, slug in (
            (71, "deadlift-form"),
            (72, "how-to-squat-properly"),
            (73, "lunges-variations"),
        )
    ]
    notes = [line for line in seeds_build.stderr.splitlines() if ": note: " in line]
    assert [n.split("-> ")[1] for n in notes] == [f"'{e}'" for e in ("🏋️", "🔥", "💪")]


# --- a failure at any stage leaves the previous outputs as they were -------------------------


def _fail_rendering(target: str) -> Callable[..., object]:
    def render(*args: object, **_kwargs: object) -> object:
        destination = next(a for a in args if isinstance(a, Path))
        destination.write_bytes(b"half a file")  # as a renderer dying mid-write would
        raise OSError(28, "No space left on device", str(destination))

    return render


STAGE_FAILURES = {
    "load: invalid front matter": ("broken.md", "---\ntitle: [unclosed\n---\n", None),
    "convert: nesting too deep": (
        "deep.md",
        "# Deep\n\n" + "".join("    " * i + "- item\n" for i in range(400)),
        None,
    ),
    "strict: a warning during conversion": ("warns.md", "# W\n\n![Gone](gone.png)\n", None),
    "epub: the disk fills up": (None, None, "render_epub"),
    "pdf: the disk fills up": (None, None, "render_pdf"),
}


@pytest.mark.slow
@pytest.mark.parametrize("stage", STAGE_FAILURES)
def test_a_build_failing_at_any_stage_leaves_the_outputs_byte_identical(
    tmp_path: Path, stage: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = copy_book("seedlike", tmp_path)
    code, _, stderr = run_cli("build", "--out", "out", cwd=book)
    assert code == 0, stderr
    before = files_under(book / "out")
    name, text, renderer = STAGE_FAILURES[stage]
    if name is not None and text is not None:
        (book / "content" / name).write_text(text, encoding="utf-8")
    if renderer is not None:
        module = renderer.removeprefix("render_")  # render_pdf lives in guidebook.render.pdf
        monkeypatch.setattr(f"guidebook.render.{module}.{renderer}", _fail_rendering(renderer))
    strict = ["--strict"] if stage.startswith("strict") else []
    code, _, stderr = run_cli("build", *strict, "--out", "out", cwd=book)
    assert code == 1
    assert "Traceback" not in stderr
    assert files_under(book / "out") == before  # same names, same bytes, no temporary files
    if renderer is not None:
        assert "make_book: error: cannot write out/.guidebook-" in stderr
        assert ": No space left on device; no output was replaced" in stderr
