"""The `init` and `new` commands: their options and what they print (`scaffold.py` works)."""

from __future__ import annotations

import argparse
from pathlib import Path

from guidebook.cliparse import program_name
from guidebook.config import find_book_file
from guidebook.contract import Progress
from guidebook.diagnostics import Reporter, display_path
from guidebook.scaffold import init_book, new_chapter
from guidebook.writer import Written


def add_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    init = commands.add_parser("init", help="start a new book that builds at once")
    init.add_argument("folder", nargs="?", default=".", metavar="DIR", help="default: here")
    init.add_argument("--force", action="store_true", help="add to a folder that has files")
    init.set_defaults(run=_init, quiet=False, strict=False)
    new = commands.add_parser("new", help="add a chapter from an archetype")
    new.add_argument("kind", choices=("exercise", "guide"))
    new.add_argument("name", help='the chapter\'s name, e.g. "Bulgarian Split Squat"')
    new.add_argument("--content", default="content", metavar="DIR", help="default: content")
    for option in ("body-part", "equipment", "target", "secondary", "difficulty"):
        new.add_argument(f"--{option}", metavar="WORDS", help="exercise metadata")
    new.set_defaults(run=_new, quiet=False, strict=False)


def _init(args: argparse.Namespace, reporter: Reporter, progress: Progress, w: Written) -> int:
    folder = Path(args.folder)
    made = init_book(folder, args.force)
    for path in made.written:
        print(f"wrote {display_path(path)}")
    for path in made.kept:
        print(f"kept {display_path(path)} (it was there already)")
    where = "" if folder == Path(".") else f"cd {display_path(folder)} && "
    tool = program_name()
    progress(f'next: {where}{tool} build  (or: {tool} new exercise "Name")')
    return 0


def _new(args: argparse.Namespace, reporter: Reporter, progress: Progress, w: Written) -> int:
    content = Path(args.content)
    book_file = find_book_file(content.resolve())
    project = book_file.parent if book_file else content.resolve().parent
    values = {key: getattr(args, key) for key in ("body_part", "equipment", "target", "secondary")}
    values["difficulty"] = args.difficulty
    path = new_chapter(args.kind, args.name, project, content, values, reporter)
    print(f"wrote {display_path(path)}")
    return 0
