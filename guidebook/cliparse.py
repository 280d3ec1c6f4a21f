"""The command line's parser, friendlier than argparse's own.

- Messages and `--help` name the tool as it was run: `make-book` (the installed command),
  `make_book.py` (the script), `python -m guidebook`.
- A mistyped command, option or choice gets a "did you mean" (difflib's close matches):
  `make-book: error: unknown command 'buidl'; did you mean 'build'?`
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import sys
from collections.abc import Iterable
from typing import NoReturn

FALLBACK = "make_book"  # when run some other way (embedded, in tests)
_KNOWN = {"make-book", "make_book.py"}


def program_name(argv0: str | None = None) -> str:
    """The name the tool was run as, for messages and usage lines."""
    path = argv0 if argv0 is not None else (sys.argv[0] if sys.argv else "")
    name = os.path.basename(path)
    if name in _KNOWN:
        return name
    if name == "__main__.py" and os.path.basename(os.path.dirname(path)) == "guidebook":
        return "python -m guidebook"
    return FALLBACK


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """ "; did you mean 'x'?" (or "'x' or 'y'"), or "" when nothing is close."""
    bare = {choice.lstrip("-"): choice for choice in choices}  # "--colour" is no "--out"
    close = [bare[c] for c in difflib.get_close_matches(word.lstrip("-"), bare, n=2, cutoff=0.6)]
    if not close:
        return ""
    return "; did you mean " + " or ".join(f"'{c}'" for c in close) + "?"


_INVALID_CHOICE = re.compile(
    r"argument (?P<arg>[^:]+): invalid choice: '(?P<word>[^']*)' \(choose from (?P<choices>.*)\)"
)
_UNRECOGNIZED = re.compile(r"unrecognized arguments: (?P<args>.*)")


class Parser(argparse.ArgumentParser):
    """argparse with suggestions in its errors; subcommands' parsers are of this class too."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {self._friendlier(message)}\n")

    def _friendlier(self, message: str) -> str:
        if match := _INVALID_CHOICE.fullmatch(message):
            choices = re.findall(r"'([^']*)'", match["choices"])
            word, arg = match["word"], match["arg"]
            hint = did_you_mean(word, choices) or f"; choose from {', '.join(choices)}"
            if arg == "COMMAND":
                return f"unknown command '{word}'{hint}"
            return f"{arg}: unknown value '{word}'{hint}"
        if match := _UNRECOGNIZED.fullmatch(message):
            owners = self._options_by_command()
            for arg in match["args"].split():
                if not arg.startswith("-"):
                    return f"unexpected argument '{arg}'; see {self.prog} --help"
                name = arg.split("=", 1)[0]
                if name in owners:
                    *others, last = sorted(owners[name])
                    commands = f"{', '.join(others)} and {last}" if others else last
                    return f"option '{name}' is for {commands}, not this command; see --help"
                hint = did_you_mean(name, owners)
                return f"unknown option '{name}'{hint or '; see --help'}"
        return message

    def _options_by_command(self) -> dict[str, set[str]]:
        """Every long option of the subcommands, with the commands that take it."""
        owners: dict[str, set[str]] = {}
        for action in self._actions:
            if isinstance(action, argparse._SubParsersAction):
                seen: set[int] = set()
                for command, sub in action.choices.items():
                    if id(sub) in seen:  # an alias: the command's other name
                        continue
                    seen.add(id(sub))
                    for option in sub._actions:
                        for string in option.option_strings:
                            if string.startswith("--"):
                                owners.setdefault(string, set()).add(command)
        return owners
