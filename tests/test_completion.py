"""`make-book completion bash|zsh`: the script completes what the parser accepts."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import run_cli


@pytest.fixture(scope="module")
def bash_script(tmp_path_factory: pytest.TempPathFactory) -> Path:
    code, out, err = run_cli("completion", "bash")
    assert code == 0, err
    path = tmp_path_factory.mktemp("completion") / "make-book.bash"
    path.write_text(out, encoding="utf-8")
    return path


def complete(script: Path, line: str, cwd: Path | None = None) -> list[str]:
    """What bash offers for `line` (the cursor at its end)."""
    program = (
        f"source {script}\n"
        f'read -ra COMP_WORDS <<< "make-book {line}"\n'
        f'[[ "{line}" == *" " || -z "{line}" ]] && COMP_WORDS+=("")\n'
        "COMP_CWORD=$((${#COMP_WORDS[@]} - 1))\n"
        '_make_book; printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    result = subprocess.run(
        ["bash", "-c", program], capture_output=True, text=True, cwd=cwd, check=True
    )
    return sorted(result.stdout.split())


@pytest.mark.parametrize(
    ("line", "offered"),
    [
        ("", ["--help", "--version", "build", "cards", "check", "completion", "handouts",
              "init", "new", "program", "serve", "sheets"]),
        ("bu", ["build"]),
        ("build --pdf", ["--pdf-variant"]),
        ("build --paper 6", ["6x9"]),
        ("sheets --paper ", ["a4", "letter"]),  # sheets print on office paper only
        ("build --targets ha", ["handout", "handouts"]),
        ("build --pdf-variant ", ["pdf/ua-1", "pdf/x-4"]),
        ("completion z", ["zsh"]),
    ],
)  # fmt: skip
def test_bash_completes_commands_options_and_values(
    bash_script: Path, line: str, offered: list[str]
) -> None:
    assert complete(bash_script, line) == offered


def test_bash_offers_folders_for_content(bash_script: Path, tmp_path: Path) -> None:
    (tmp_path / "chapters").mkdir()
    (tmp_path / "chart.txt").write_text("", encoding="utf-8")
    assert complete(bash_script, "build --content ch", cwd=tmp_path) == ["chapters"]
    assert complete(bash_script, "build --book ch", cwd=tmp_path) == ["chapters", "chart.txt"]


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed")
def test_the_zsh_script_loads_and_registers(tmp_path: Path) -> None:
    code, out, _ = run_cli("completion", "zsh")
    assert code == 0 and out.startswith("#compdef make-book make_book.py\n")
    script = tmp_path / "_make-book"
    script.write_text(out, encoding="utf-8")
    result = subprocess.run(
        ["zsh", "-c", f"autoload -U compinit && compinit -u; source {script}; complete -p"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "complete -o default -F _make_book make-book" in result.stdout
