"""Hostile input to the printables: every file name is safe and distinct, nothing outside --out
changes, a failed run writes nothing, workers die with the command, and messages name the
chapter and the real cause."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, run_cli

from guidebook.filenames import MAX_STEM, file_stem, unique_stems

SAFE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
WINDOWS_DEVICES = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"{d}{n}" for d in ("com", "lpt") for n in range(10)),
}

STEPS = "## How to perform\n\n1. Stand tall.\n2. Squat down.\n\n## Common mistakes\n\n- Rushing.\n"


def exercise(title: str, front: str = "", body: str = STEPS) -> str:
    return f"---\nbody_part: Legs\ntarget_muscles: [Quadriceps]\n{front}---\n\n# {title}\n\n{body}"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("printables") / "proj"
    exercises, guides = root / "content" / "exercises", root / "content" / "guides"
    exercises.mkdir(parents=True)
    guides.mkdir()
    (exercises / "squat.md").write_text(exercise("Squat"), encoding="utf-8")
    (exercises / "linky.md").write_text(
        exercise("Linky", body=STEPS + "\nSee [the lost one](lost.md).\n"), encoding="utf-8"
    )
    (exercises / "reserved.md").write_text(exercise("Con", "slug: con\n"), encoding="utf-8")
    (exercises / "long.md").write_text(
        exercise("Long", f"slug: {'-'.join(['long'] * 80)}\n"), encoding="utf-8"
    )
    (guides / "guide.md").write_text(
        "# Guide\n\nSee [nothing](missing.md) and [gone](#nowhere).\n", encoding="utf-8"
    )
    return root


def snapshot(root: Path, skip: Path) -> dict[str, object]:
    """Every path under root except those under `skip` (the --out folder): a file's bytes, a
    link's target, None for anything else (only regular files are read: a FIFO would block)."""

    def state(path: Path) -> object:
        if path.is_symlink():
            return os.readlink(path)
        return path.read_bytes() if path.is_file() else None

    return {
        str(p.relative_to(root)): state(p)
        for p in sorted(root.rglob("*"))
        if not p.is_relative_to(skip)
    }


def around(project: Path, tmp_path: Path, out: Path) -> list[dict[str, object]]:
    """What a command must leave alone: the test's folder and the project's, but --out."""
    return [snapshot(tmp_path, out), snapshot(project.parent, out)]


def wrote(stdout: str, cwd: Path) -> list[Path]:
    """The files the 'wrote' lines name, each checked to exist and to be named only once."""
    paths = [cwd / line[len("wrote ") :].rsplit(": ", 1)[0] for line in stdout.splitlines()]
    assert len(set(paths)) == len(paths), "two 'wrote' lines name one file"
    assert all(p.is_file() for p in paths)
    return paths


def roster(tmp_path: Path, names: list[str], name: str = "team.csv") -> Path:
    path = tmp_path / name
    cells = ['"' + n.replace('"', '""') + '"' for n in names]
    path.write_text("name,squat\n" + "".join(f"{c},100\n" for c in cells), encoding="utf-8")
    return path


# --- file names -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "stem"),
    [
        ("Ana Silva", "ana-silva"),
        ("李小龍", "lixiaolong"),
        ("Сергей Иванов", "sergey-ivanov"),
        ("Ωμέγα", "omega"),
        ("../../x", "x"),
        ("/etc/passwd", "etc-passwd"),
        (".", "athlete"),
        ("..", "athlete"),
        ("-rf", "rf"),
        ("CON", "con-athlete"),
        ("com1", "com1-athlete"),
        ("Nul", "nul-athlete"),
        ("a\nb\x00c", "a-b-c"),
        ("\u200f\u0301", "athlete"),
        ("", "athlete"),
    ],
)
def test_file_stem(text: str, stem: str) -> None:
    assert file_stem(text, "athlete") == stem


@pytest.mark.parametrize("text", ["x" * 5000, "word " * 1000, "é" * 300, "李" * 200])
def test_a_long_name_gives_a_bounded_stem(text: str) -> None:
    stem = file_stem(text, "athlete")
    assert SAFE.fullmatch(stem) and 0 < len(stem) <= MAX_STEM


@pytest.mark.parametrize(
    ("stems", "unique"),
    [
        (["a", "a", "a"], ["a", "a-2", "a-3"]),
        (["a", "a", "a-2"], ["a", "a-3", "a-2"]),  # a name someone has is never taken
        (["a-2", "a", "a"], ["a-2", "a", "a-3"]),
        (["b", "a", "b", "a"], ["b", "a", "b-2", "a-2"]),
    ],
)
def test_unique_stems_keep_first_names_and_number_the_rest_in_order(
    stems: list[str], unique: list[str]
) -> None:
    assert unique_stems(stems) == unique


@pytest.mark.slow
def test_athletes_whose_names_give_one_file_name_get_a_folder_each(
    project: Path, tmp_path: Path
) -> None:
    team = roster(tmp_path, ["Ana Silva", "Ana-Silva", "ana.silva"])
    out = tmp_path / "out"
    code, stdout, err = run_cli("sheets", "squat", "--roster", team, "--out", out, cwd=project)
    assert code == 0, err
    assert sorted(str(p.relative_to(out)) for p in wrote(stdout, project)) == [
        "sheets/ana-silva-2/squat.pdf",
        "sheets/ana-silva-3/squat.pdf",
        "sheets/ana-silva/squat.pdf",
    ]
    for line, name, folder in ((3, "Ana-Silva", "ana-silva-2"), (4, "ana.silva", "ana-silva-3")):
        assert (
            f"{team}:{line}: warning: roster: '{name}' and 'Ana Silva' (line 2) give the same "
            f"file name 'ana-silva'; this athlete's files go in '{folder}'. Rename one of them "
            "to choose"
        ) in err.splitlines()


HOSTILE_NAMES = [
    "../../x",
    "/etc/passwd",
    ".",
    "..",
    "-rf",
    "CON",
    "lpt1",
    "x" * 3000,
    "!!!",
    "two\nlines",
    "李小龍",
    "Сергей Иванов",
    "محمد",
    "🏋️",
]


@pytest.mark.slow
def test_hostile_athlete_names_write_distinct_files_inside_out(
    project: Path, tmp_path: Path
) -> None:
    team = roster(tmp_path, HOSTILE_NAMES)
    out = tmp_path / "out"
    before = around(project, tmp_path, out)
    code, stdout, err = run_cli(
        "sheets", "squat", "--roster", team, "--out", out, "-j", "2", cwd=project
    )
    assert code == 0, err
    assert "Traceback" not in err
    files = wrote(stdout, project)
    assert len(files) == len(HOSTILE_NAMES)
    for path in files:
        sheets, folder, name = path.relative_to(out).parts
        assert (sheets, name) == ("sheets", "squat.pdf")
        assert SAFE.fullmatch(folder) and folder not in WINDOWS_DEVICES and len(folder) <= 70
    assert {p.parent.name for p in files} >= {"lixiaolong", "sergey-ivanov", "mhmd", "x"}
    assert around(project, tmp_path, out) == before  # nothing outside --out changed


def test_a_roster_with_a_nul_byte_is_refused_and_nothing_is_written(
    project: Path, tmp_path: Path
) -> None:
    team = tmp_path / "team.csv"
    team.write_bytes(b"name,squat\nAna\x00Silva,100\n")
    code, stdout, err = run_cli(
        "sheets", "squat", "--roster", team, "--out", tmp_path / "out", cwd=project
    )
    assert code == 1 and stdout == ""
    assert f"{team}: error: roster: this is not a text file (it contains NUL bytes)" in err
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_hostile_session_titles_write_distinct_files_inside_out(
    project: Path, tmp_path: Path
) -> None:
    titles = ["CON", "../../etc", "y" * 400, "Тренировка", "Тренировка", ".", "-rf"]
    sessions = "".join(
        f"  - title: {title!r}\n    exercises:\n      - exercise: Squat\n        sets: 3\n"
        "        reps: 5\n"
        for title in titles
    )
    program = tmp_path / "program.yml"
    program.write_text(f"title: Block\nsessions:\n{sessions}", encoding="utf-8")
    out = tmp_path / "out"
    before = around(project, tmp_path, out)
    code, stdout, err = run_cli("program", program, "--out", out, "-j", "2", cwd=project)
    assert code == 0, err
    files = wrote(stdout, project)
    assert len(files) == len(titles)
    for path in files:
        (cards, _name) = path.relative_to(out).parts
        assert cards == "cards" and path.suffix == ".pdf"
        assert SAFE.fullmatch(path.stem) and path.stem not in WINDOWS_DEVICES
        assert len(path.name) <= 80
    assert around(project, tmp_path, out) == before


@pytest.mark.slow
def test_chapter_slugs_that_are_device_names_or_very_long_give_safe_handouts(
    project: Path, tmp_path: Path
) -> None:
    long_slug = "-".join(["long"] * 80)
    out = tmp_path / "out"
    code, stdout, err = run_cli("handouts", "con", long_slug, "--out", out, cwd=project)
    assert code == 0, err
    names = sorted(p.name for p in wrote(stdout, project))
    assert names[0] == "con-chapter.pdf"
    assert names[1].startswith("long-long-") and len(names[1]) <= MAX_STEM + 4


# --- a failed run writes nothing, and says so -------------------------------------------------


def huge_exercise(project: Path, what: str) -> str:
    """An exercise that cannot fit a sheet because of `what`; returns its slug."""
    if what == "target":
        muscles = ", ".join(f"Muscle number {n}" for n in range(300))
        text = exercise("Huge", f"target_muscles: [{muscles}]\n").replace(
            "target_muscles: [Quadriceps]\n", "", 1
        )
    else:
        text = exercise(" ".join(["Very long title"] * 350))
    path = project / "content" / "exercises" / f"huge-{what}.md"
    path.write_text(text, encoding="utf-8")
    return f"huge-{what}"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("what", "cause"),
    [
        (
            "target",
            "its 'Target' line (300 items, 5,588 characters) is too long; shorten "
            "target_muscles in the chapter's metadata",
        ),
        ("title", "its title (5,599 characters) is too long; shorten the chapter's title"),
    ],
)
def test_a_sheet_that_cannot_fit_names_its_chapter_and_the_cause_and_nothing_is_written(
    project: Path, tmp_path: Path, what: str, cause: str
) -> None:
    book = tmp_path / "book"
    shutil.copytree(project, book)
    slug = huge_exercise(book, what)
    out = tmp_path / "out"
    code, stdout, err = run_cli("sheets", "squat", slug, "--out", out, "-j", "1", cwd=book)
    assert code == 1
    pattern = (
        rf"content/exercises/{slug}\.md: error: sheet for {slug}: does not fit on one page "
        rf"even set at its smallest \(\d+ pages\): {re.escape(cause)}"
    )
    assert re.search(pattern, err), err
    assert "make_book: 1 problem to fix; no output was written" in err
    assert stdout == ""  # the squat's sheet, which fitted, was not written either
    assert not out.exists() or not list(out.rglob("*.pdf"))


# --- only the chapters printed speak ----------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("strict", [[], ["--strict"]])
def test_sheets_say_nothing_about_chapters_they_do_not_print(
    project: Path, tmp_path: Path, strict: list[str]
) -> None:
    code, _, err = run_cli("sheets", "squat", *strict, "--out", tmp_path, cwd=project)
    assert code == 0, err
    assert [line for line in err.splitlines() if "warning:" in line] == []
    assert "0 warnings" in err


@pytest.mark.slow
@pytest.mark.parametrize(
    ("command", "shown"),
    [
        (["sheets", "linky"], "content/exercises/linky.md"),
        (["handouts", "guide"], "content/guides/guide.md"),
    ],
)
def test_printed_chapters_still_warn(
    project: Path, tmp_path: Path, command: list[str], shown: str
) -> None:
    code, _, err = run_cli(*command, "--out", tmp_path, cwd=project)
    assert code == 0, err
    warned = {line.split(":")[0] for line in err.splitlines() if ": warning: " in line}
    assert warned == {shown}


# --- signals: workers die with the command, staging goes --------------------------------------


def start(args: list[object], cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(REPO / "make_book.py"), *map(str, args)],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a shell job has
    )


def children(pid: int) -> set[int]:
    """Live (not zombie) processes whose parent is `pid`, read from /proc."""
    found = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(entry))
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def busy_sheets(project: Path, tmp_path: Path) -> tuple[subprocess.Popen[str], set[int], Path]:
    """`sheets` for 40 athletes on two workers, caught while the workers render."""
    team = roster(tmp_path, [f"Athlete {n}" for n in range(40)])
    out = tmp_path / "out"
    process = start(["sheets", "squat", "--roster", team, "-j", "2", "--out", out], project)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        workers = children(process.pid)
        if len(workers) >= 2 and list(out.glob(".guidebook-staging-*")):
            time.sleep(0.5)
            return process, workers, out
        assert process.poll() is None, process.communicate()
        time.sleep(0.05)
    process.kill()
    raise AssertionError("the workers never started")


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_workers_end_within_seconds_when_sheets_is_killed(project: Path, tmp_path: Path) -> None:
    process, workers, _out = busy_sheets(project, tmp_path)
    process.kill()
    process.communicate(timeout=30)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(alive(w) for w in workers):
        time.sleep(0.1)
    left = [w for w in workers if alive(w)]
    for worker in left:  # do not leave them to the rest of the test run
        os.kill(worker, signal.SIGKILL)
    assert left == [], "workers outlived the killed command"


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
@pytest.mark.parametrize(
    ("sent", "group", "code", "said"),
    [
        (signal.SIGINT, True, 130, "interrupted"),  # Ctrl-C: the terminal signals the group
        (signal.SIGTERM, False, 143, "terminated"),  # kill <pid>
    ],
)
def test_interrupted_sheets_exit_cleanly_with_no_worker_left(
    project: Path, tmp_path: Path, sent: signal.Signals, group: bool, code: int, said: str
) -> None:
    process, workers, out = busy_sheets(project, tmp_path)
    if group:
        os.killpg(process.pid, sent)
    else:
        process.send_signal(sent)
    stdout, err = process.communicate(timeout=60)
    assert process.returncode == code, err
    assert f"make_book.py: {said}; no output was replaced" in err  # the name it was run as
    assert "Traceback" not in err and stdout == ""
    time.sleep(0.5)
    assert not [w for w in workers if alive(w)]
    assert not out.exists()  # it made the folder, and left nothing in it: no sheet, no staging


@pytest.mark.parametrize("blocker", ["link", "file", "html"])
def test_printables_never_write_through_a_link_a_file_or_the_html_folder(
    project: Path, tmp_path: Path, blocker: str
) -> None:
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    elsewhere.mkdir()
    out.mkdir()
    if blocker == "link":
        (out / "sheets").symlink_to(elsewhere)
    elif blocker == "file":
        (out / "sheets").write_text("mine\n", encoding="utf-8")
    else:
        (out / "sheets").mkdir()
        (out / "sheets" / ".guidebook-output").write_text("marker\n", encoding="utf-8")
    before = snapshot(tmp_path, tmp_path / "nothing")
    code, stdout, err = run_cli("sheets", "squat", "--out", out, cwd=project)
    assert code == 1 and stdout == ""
    assert (
        f"error: '{out / 'sheets'}' is a link, a file or the book's HTML folder, not a folder "
        "for these files; move it away or choose another --out"
    ) in err
    assert snapshot(tmp_path, tmp_path / "nothing") == before


# --- the sheets' cache and layouts reached through links -------------------------------------


def _one_exercise(tmp_path: Path) -> Path:
    content = tmp_path / "proj" / "content"
    content.mkdir(parents=True)
    (content / "squat.md").write_text(exercise("Squat"), encoding="utf-8")
    (content / "book.yml").write_text("title: T\n", encoding="utf-8")
    return content


@pytest.mark.slow  # renders a sheet
@pytest.mark.parametrize("name", [".guidebook-cache.tmp", ".guidebook-cache.json"])
def test_the_sheet_cache_never_writes_or_reads_through_a_link(tmp_path: Path, name: str) -> None:
    """A content pack may carry its own build folder with links where the cache goes."""
    content = _one_exercise(tmp_path)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    out = content / "build"
    out.mkdir()
    (out / name).symlink_to(victim)
    code, _out, err = run_cli("sheets", "--content", content, "--out", out, "-j", "1")
    assert code == 0, err
    assert victim.read_text(encoding="utf-8") == "precious\n"
    assert not (out / ".guidebook-cache.json").is_symlink()


@pytest.mark.slow  # renders a sheet
def test_files_linked_into_the_layouts_are_not_read(tmp_path: Path) -> None:
    """The sheets' cache key hashes the layouts folder: only files the loader would use."""
    content = _one_exercise(tmp_path)
    (content / "layouts").mkdir()
    (content / "layouts" / "zero.txt").symlink_to("/dev/zero")  # would never end
    (content / "layouts" / "pagemap.txt").symlink_to("/proc/self/pagemap")  # a 'file' that fails
    os.mkfifo(content / "layouts" / "pipe.txt")  # would block
    code, _out, err = run_cli(
        "sheets", "--content", content, "--out", tmp_path / "out", "-j", "1", "-q"
    )
    assert code == 0, err
    assert "Traceback" not in err


def test_a_layout_override_cannot_make_the_drawn_marks_huge(tmp_path: Path) -> None:
    """The grid, fields and labels are drawn from data- attributes a layout override writes:
    nonsense values are clamped (a 0.0001 mm row would be 640,000 rules), never an error."""
    from guidebook.printables import rules

    class Box:
        def __init__(self, attributes: dict[str, str]) -> None:
            self.element = attributes

        def border_box_x(self) -> float:
            return 0.0

        border_box_y = content_box_x = content_box_y = border_box_x

        def border_width(self) -> float:
            return 600.0

        def border_height(self) -> float:
            return 240.0

        width = 600.0
        height = 240.0

    grid = rules._grid(
        Box({"data-row": "0.0001", "data-edges": ",".join(["50"] * 10_000)}), bottom=1000.0
    )
    assert len(grid) < 200
    assert rules._grid(Box({"data-row": "nan", "data-edges": "x,inf,-5"}), bottom=1000.0)
    assert len(rules._grid(Box({"data-row": "5"}), bottom=-10.0)) < 10  # below the page: none
    fields = rules._fields(Box({"data-fields": "|".join(["A:nan:1e308"] * 1000)}))
    assert len(fields) < 200
    label = rules._label(Box({"data-label": "x" * 100_000, "data-size": "1e9"}))
    assert len(label) < 10
