"""Shell completion for bash and zsh, written from the parser itself, so it never drifts.

`make-book completion bash > ~/.local/share/bash-completion/completions/make-book` (or
`eval "$(make-book completion bash)"` in ~/.bashrc); zsh: `make-book completion zsh >
"${fpath[1]}/_make-book"`. Commands, each command's options, the choices of `--paper`,
`--print`, `--pdf-variant` and the like, the target names of `--targets`, folders for
`--content` and `--out`, files for `--book`, `--program` and `--roster`.
"""

from __future__ import annotations

import argparse
import shlex
from collections.abc import Iterable

NAMES = ("make-book", "make_book.py")
_FOLDERS = {"--content", "--out"}
_FILES = {"--book", "--program", "--roster"}


def script(parser: argparse.ArgumentParser, shell: str, targets: list[str]) -> str:
    """The completion script for `shell` ("bash" or "zsh")."""
    bash = _bash(parser, targets)
    if shell == "zsh":  # zsh runs bash's completion functions through bashcompinit
        return f"#compdef {' '.join(NAMES)}\nautoload -U +X bashcompinit && bashcompinit\n" + bash
    return bash


def _bash(parser: argparse.ArgumentParser, targets: list[str]) -> str:
    commands = _commands(parser)
    cases = []
    for name, sub in commands.items():
        options = sorted(s for a in sub._actions for s in a.option_strings)
        # a positional argument's choices (the shell of `completion`) come first
        options = [
            c for a in sub._actions if not a.option_strings for c in a.choices or ()
        ] + options
        values = []
        for action in sub._actions:
            strings = [s for s in action.option_strings if s.startswith("--")]
            if not strings or action.nargs == 0:
                continue
            pattern = "|".join(strings)
            if action.dest == "targets":
                values.append(f"        {pattern}) _mb_words {_words(targets)}; return;;")
            elif action.choices:
                values.append(f"        {pattern}) _mb_words {_words(action.choices)}; return;;")
            elif set(strings) & _FOLDERS:
                values.append(f"        {pattern}) _mb_folders; return;;")
            elif set(strings) & _FILES:
                values.append(f"        {pattern}) _mb_files; return;;")
        cases.append(
            f'    {name})\n      case "$prev" in\n'
            + "".join(v + "\n" for v in values)
            + f"      esac\n      _mb_words {_words(options)};;"
        )
    top = _words([*commands, "--help", "--version"])
    body = "\n".join(cases)
    return f"""# {NAMES[0]} completion for bash (written by `{NAMES[0]} completion bash`)
_mb_words() {{ COMPREPLY=($(compgen -W "$1" -- "$cur")); }}
_mb_folders() {{ COMPREPLY=($(compgen -d -- "$cur")); }}
_mb_files() {{ COMPREPLY=($(compgen -f -- "$cur")); }}
_make_book() {{
  local cur="${{COMP_WORDS[COMP_CWORD]}}" prev="${{COMP_WORDS[COMP_CWORD-1]}}" cmd="" i
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "${{COMP_WORDS[i]}}" in -*) ;; *) cmd="${{COMP_WORDS[i]}}"; break;; esac
  done
  case "$cmd" in
    "") _mb_words {top};;
{body}
  esac
}}
complete -o default -F _make_book {" ".join(NAMES)}
"""


def _commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _words(words: Iterable[object]) -> str:
    return shlex.quote(" ".join(str(w) for w in words))
