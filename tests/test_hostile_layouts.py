"""Layout overrides that try to exhaust the machine or read files outside the project: each
ends as one `layout:` error naming the override, in bounded time, with nothing written."""

from __future__ import annotations

import os
import time
from pathlib import Path

import jinja2
import pytest

from guidebook.render import sandbox
from tests.conftest import run_cli

# Each payload replaces the title-page macro, so it runs when the book document renders.
WRAP = (
    "{{% macro title_page(book) %}}\n{body}\n{{% endmacro %}}"
    "{{% macro copyright_page(book) %}}{{% endmacro %}}\n"
)


def _project(tmp_path: Path) -> tuple[Path, Path]:
    content = tmp_path / "proj" / "content"
    (content / "layouts" / "shared").mkdir(parents=True)
    (content / "squat.md").write_text("# Squat\n\nText.\n", encoding="utf-8")
    (content / "book.yml").write_text("title: T\n", encoding="utf-8")
    return content, content / "layouts" / "shared" / "titlepage.html.j2"


def _build(tmp_path: Path, content: Path) -> tuple[int, str]:
    out = tmp_path / "proj" / "build"
    code, _out, err = run_cli("build", "--content", content, "--out", out, "--format", "html")
    assert "Traceback" not in err
    assert not out.exists()  # a failed first build leaves nothing behind
    return code, err


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("{% macro m(n) %}{{ m(n + 1) }}{% endmacro %}{{ m(0) }}", "calls itself too deeply"),
        ("{{ 'x' * 10**8 }}", "repeats a text or list past"),
        ("{{ [1, 2] * 999999 }}", "repeats a text or list past"),
        ("{{ 10 ** (10 ** 10) }}", "makes a power this large"),
        (
            "{% set a = 2 ** 40000 %}{% set b = a * a %}{{ (b * b) % 7 }}",
            "multiplies numbers this large",
        ),
        ("{{ 'a' | center(10 ** 11) }}", "needed more than"),
        ("{{ '%*s' | format(10 ** 11, 'x') }}", "needed more than"),
        ("{{ 1 / 0 }}", "ZeroDivisionError"),
        ("{{ 2.0 ** 5000 }}", "OverflowError"),
    ],
)
def test_runaway_layouts_end_in_one_layout_error(tmp_path: Path, body: str, problem: str) -> None:
    content, override = _project(tmp_path)
    override.write_text(WRAP.format(body=body), encoding="utf-8")
    code, err = _build(tmp_path, content)
    assert code == 1
    assert f"{override}:2: error: layout: the layout " in err
    assert problem in err


@pytest.mark.slow
def test_a_layout_that_never_ends_is_stopped_at_its_time_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sandbox, "RENDER_SECONDS", 1.0)
    content, override = _project(tmp_path)
    loops = "{% for a in range(100000) %}{% for b in range(100000) %}x{% endfor %}{% endfor %}"
    override.write_text(WRAP.format(body=loops), encoding="utf-8")
    code, err = _build(tmp_path, content)
    assert code == 1
    assert f"{override}:2: error: layout: the layout ran for more than 1 s" in err


@pytest.mark.slow
def test_the_time_budget_covers_all_renders_of_an_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each EPUB chapter is one render: a chapter layout that spends most of a budget per
    chapter must not multiply the budget by the number of chapters."""
    monkeypatch.setattr(sandbox, "RENDER_SECONDS", 2.0)
    content, _override = _project(tmp_path)
    for n in range(20):
        (content / f"c{n}.md").write_text(f"# C{n}\n\nText.\n", encoding="utf-8")
    chapter = content / "layouts" / "epub" / "chapter.xhtml.j2"
    chapter.parent.mkdir()
    busy = "{% for a in range(100000) %}{% for b in range(4) %}{% endfor %}{% endfor %}"
    chapter.write_text(busy + "<section/>\n", encoding="utf-8")
    started = time.monotonic()
    out = tmp_path / "proj" / "build"
    code, _o, err = run_cli("build", "--content", content, "--out", out, "--format", "epub")
    assert code == 1, err
    assert "ran for more than 2 s (the budget of all layouts of an output)" in err
    assert time.monotonic() - started < 15


@pytest.mark.slow
def test_the_time_budget_does_not_fire_after_a_render_that_finished(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sandbox, "RENDER_SECONDS", 0.2)
    content, _override = _project(tmp_path)
    out = tmp_path / "proj" / "build"
    for _ in range(3):  # the timer of a finished render must never interrupt later work
        code, _o, err = run_cli("build", "--content", content, "--out", out, "--format", "html")
        assert code == 0, err
    time.sleep(0.5)  # a stray timeout would be delivered here


@pytest.mark.parametrize("kind", ["link-out", "link-in", "fifo", "folder-link"])
def test_an_included_layout_must_be_a_real_file_inside_the_layouts(
    tmp_path: Path, kind: str
) -> None:
    content, override = _project(tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-TOKEN\n", encoding="utf-8")
    shared = override.parent
    if kind == "link-out":
        (shared / "leak.html.j2").symlink_to(secret)
    elif kind == "link-in":  # even a link to another layout is refused: it could be anything
        (shared / "real.html.j2").write_text("x", encoding="utf-8")
        (shared / "leak.html.j2").symlink_to(shared / "real.html.j2")
    elif kind == "fifo":
        os.mkfifo(shared / "leak.html.j2")
    else:
        (tmp_path / "elsewhere").mkdir()
        (tmp_path / "elsewhere" / "leak.html.j2").write_text("SECRET-TOKEN", encoding="utf-8")
        (content / "layouts" / "inc").symlink_to(tmp_path / "elsewhere")
    name = "inc/leak.html.j2" if kind == "folder-link" else "shared/leak.html.j2"
    override.write_text(WRAP.format(body=f'{{% include "{name}" %}}'), encoding="utf-8")
    code, err = _build(tmp_path, content)
    assert code == 1
    assert "SECRET-TOKEN" not in err
    expected = "is not a regular file" if kind == "fifo" else "is a symbolic link"
    assert f"error: layout: the layout '{name}' " in err
    assert expected in err


def test_the_override_itself_may_not_be_a_link(tmp_path: Path) -> None:
    content, override = _project(tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_text(WRAP.format(body="SECRET-TOKEN"), encoding="utf-8")
    override.symlink_to(secret)
    code, err = _build(tmp_path, content)
    assert code == 1
    assert "'shared/titlepage.html.j2' is a symbolic link" in err


@pytest.mark.parametrize("name", ["../../secret.txt", "/etc/hostname", "shared/../../x"])
def test_an_include_cannot_climb_out_of_the_layouts(tmp_path: Path, name: str) -> None:
    content, override = _project(tmp_path)
    override.write_text(WRAP.format(body=f'{{% include "{name}" %}}'), encoding="utf-8")
    code, err = _build(tmp_path, content)
    assert code == 1
    assert "error: layout: " in err
    assert "leaves the layout folders" in err


def test_a_huge_layout_file_is_refused(tmp_path: Path) -> None:
    content, override = _project(tmp_path)
    override.write_text(WRAP.format(body="x" * (sandbox.MAX_LAYOUT_BYTES + 1)), encoding="utf-8")
    code, err = _build(tmp_path, content)
    assert code == 1
    assert "the layout 'shared/titlepage.html.j2' cannot be used: it is " in err


def test_an_override_under_the_old_folder_name_is_still_found(tmp_path: Path) -> None:
    """The printables' layouts moved from `print/` to `printables/`; a book's `print/` override
    counts, behind one under the new name, and a link there is refused like any other."""
    old, new = tmp_path / "layouts" / "print", tmp_path / "layouts" / "printables"
    old.mkdir(parents=True)
    (old / "sheet.html.j2").write_text("old {{ x }}", encoding="utf-8")
    env = sandbox.BoundedSandbox(loader=sandbox.LayoutLoader((tmp_path / "layouts",)))
    assert env.get_template("printables/sheet.html.j2").render(x=1) == "old 1"
    new.mkdir()
    (new / "sheet.html.j2").write_text("new {{ x }}", encoding="utf-8")
    env = sandbox.BoundedSandbox(loader=sandbox.LayoutLoader((tmp_path / "layouts",)))
    assert env.get_template("printables/sheet.html.j2").render(x=2) == "new 2"
    (old / "card.html.j2").symlink_to(tmp_path / "secret.txt")
    with pytest.raises(jinja2.TemplateError, match="is a symbolic link"):
        env.get_template("printables/card.html.j2")


def test_an_old_override_importing_the_old_folder_name_still_renders(tmp_path: Path) -> None:
    """The built-in printables once imported `print/parts.html.j2`; a book's override copied
    from them does too, and must still find the built-in parts under `printables/`."""
    builtin = tmp_path / "builtin" / "printables"
    builtin.mkdir(parents=True)
    (builtin / "parts.html.j2").write_text("{% macro foot() %}foot{% endmacro %}", "utf-8")
    old = tmp_path / "book" / "print"
    old.mkdir(parents=True)
    (old / "card.html.j2").write_text(
        '{% from "print/parts.html.j2" import foot %}card {{ foot() }}', "utf-8"
    )
    folders = (tmp_path / "book", tmp_path / "builtin")
    env = sandbox.BoundedSandbox(loader=sandbox.LayoutLoader(folders))
    assert env.get_template("printables/card.html.j2").render() == "card foot"


def test_compiled_layouts_are_kept_across_builds_until_their_text_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process that builds again (`serve`, a test run) compiles each layout once; an edited
    override is compiled again, never served from its old text."""
    from guidebook.render.resources import sandboxed_env

    compiled: list[str] = []
    compile_source = sandbox.BoundedSandbox.compile

    def counting(self: jinja2.Environment, source: object, *args: object, **kw: object) -> object:
        compiled.append(str(source))
        return compile_source(self, source, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(sandbox.BoundedSandbox, "compile", counting)
    layout = tmp_path / "page.html.j2"
    layout.write_text("first {{ n }}", encoding="utf-8")
    render = lambda: sandboxed_env((tmp_path,)).get_template("page.html.j2").render(n=1)  # noqa: E731
    assert render() == "first 1" and render() == "first 1"
    assert len(compiled) == 1
    layout.write_text("second {{ n }}", encoding="utf-8")
    assert render() == "second 1"
    assert len(compiled) == 2
