"""`make-book init` and `make-book new`: a book that builds at once, and chapters from archetypes.

- `init [DIR]`: `book.yml` with every key the schema knows, commented with what it does
  (written from `config.BOOK_FIELDS`, so it never lags behind it), one example exercise and one
  example guide in the input format, and a `.gitignore` for the output folder. A folder that
  has files already is refused unless `--force`; even then no existing file is replaced: each
  one kept is named.
- `new exercise|guide "Name"`: a chapter from an archetype, the project's own
  (`archetypes/exercise.md` beside the book file) before the built-in, under
  `content/exercises/` or `content/guides/`, named by the slug of its name, never replacing a
  file. Archetypes come from anyone: their `$placeholders` are filled by `string.Template`
  (text substitution, nothing evaluated), and every value is checked first.

The built-in files are package data (`assets/scaffold/`).
"""

from __future__ import annotations

import string
import textwrap
from dataclasses import dataclass
from pathlib import Path

from guidebook.config import BOOK_FIELDS
from guidebook.diagnostics import Reporter, UsageError, display_path
from guidebook.render.resources import builtin_assets
from guidebook.text import MAX_TEXT_BYTES, read_regular, slugify

KINDS = {"exercise": "exercises", "guide": "guides"}
DIFFICULTIES = ("Beginner", "Intermediate", "Advanced")
# What each key of book.yml looks like, for its commented example line.
EXAMPLES = {
    "subtitle": '"Technique and Programming for Busy Lifters"',
    "author": '"Your Name"',
    "language": "en",
    "identifier": '"urn:isbn:9780000000000"',
    "date": "2026-01-31",
    "description": '"One or two sentences for the stores and the copyright page."',
    "keywords": "[strength training, technique]",
    "publisher": '"Your Press"',
    "rights": '"© 2026 Your Name. All rights reserved."',
    "site_url": '"https://example.com"',
    "chapter_url": '"{site_url}/exercises/{slug}"',
    "output": "book",
    "cover": "cover.jpg",
    "indexes": "[target, equipment]",
    "chapters": "[glute-bridge, warm-up-basics]",
    "parts": "auto",
}


@dataclass(frozen=True)
class Made:
    written: tuple[Path, ...]
    kept: tuple[Path, ...]  # already there, left as they were


def init_book(folder: Path, force: bool = False) -> Made:
    """Write a new book into `folder` (created if needed)."""
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"init: '{display_path(folder)}' is a file, not a folder")
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise UsageError(
            f"init: '{display_path(folder)}' is not empty; choose a new folder, or add --force "
            "to add the book's files beside what is there (no file is replaced)"
        )
    scaffold = builtin_assets() / "scaffold"
    files = {
        "book.yml": book_file(folder.resolve().name),
        ".gitignore": (scaffold / "gitignore").read_text(encoding="utf-8"),
        "content/exercises/glute-bridge.md": (scaffold / "example-exercise.md").read_text(
            encoding="utf-8"
        ),
        "content/guides/warm-up-basics.md": (scaffold / "example-guide.md").read_text(
            encoding="utf-8"
        ),
    }
    written, kept = [], []
    for name, text in files.items():
        path = folder / name
        if path.exists():
            kept.append(path)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_new(path, text)
        written.append(path)
    return Made(tuple(written), tuple(kept))


def book_file(name: str) -> str:
    """book.yml with the title set and every other key commented, each with what it does."""
    title = " ".join(word.capitalize() for word in slugify(name).split("-")) or "My Book"
    lines = [
        "# The book file: every key is optional. Uncomment a line to use it.",
        "# Reference: the README's 'The book file (book.yml)'.",
        "",
    ]
    for field in BOOK_FIELDS:
        lines += [f"# {line}" for line in textwrap.wrap(field.doc, 94)]
        if field.name == "title":
            lines.append(f'title: "{title}"')
        else:
            example = EXAMPLES.get(field.name) or _example(field.kind, field.choices)
            lines.append(f"# {field.name}: {example}")
        lines.append("")
    return "\n".join(lines)


def _example(kind: str, choices: tuple[str, ...]) -> str:
    if choices:
        return f"{choices[0]}    # or: {', '.join(choices[1:])}"
    return "false" if kind == "bool" else '""'


# --- new chapters ------------------------------------------------------------------------------


def new_chapter(
    kind: str,
    name: str,
    project: Path,
    content: Path,
    values: dict[str, str | None],
    reporter: Reporter,
) -> Path:
    """Write a new chapter of `kind` named `name` under `content`; return its path."""
    name = " ".join(name.split())
    slug = slugify(name)
    if not slug:
        raise UsageError(f"new {kind}: '{name}' has no letters or digits to name a file after")
    filled = _values(kind, name, values)
    path = content / KINDS[kind] / f"{slug}.md"
    if path.exists():
        raise UsageError(
            f"new {kind}: '{display_path(path)}' exists already; pick another name or edit "
            "that file"
        )
    text = string.Template(_archetype(kind, project, reporter)).safe_substitute(filled)
    path.parent.mkdir(parents=True, exist_ok=True)
    _write_new(path, text)
    return path


def _values(kind: str, name: str, given: dict[str, str | None]) -> dict[str, str]:
    """The archetype's placeholders: the name and the options, each a single clean line."""
    if kind == "guide":  # the title and keywords go into front matter, inside double quotes
        name = name.replace("\\", "").replace('"', "'")
    values = {"title": name, "keywords": name.lower()}
    defaults = {"body_part": "Legs", "equipment": "Body Weight", "target": "Glutes",
                "secondary": "Hamstrings", "difficulty": "Beginner"}  # fmt: skip
    for key, default in defaults.items():
        value = " ".join((given.get(key) or default).split())
        if any(ch in value for ch in "*[]`<>$\\") or len(value) > 120:
            raise UsageError(f"new {kind}: --{key.replace('_', '-')}: write plain words")
        values[key] = value
    if values["difficulty"].capitalize() not in DIFFICULTIES:
        raise UsageError(
            f"new {kind}: --difficulty: '{values['difficulty']}' is not one of "
            f"{', '.join(DIFFICULTIES)}"
        )
    values["difficulty"] = values["difficulty"].capitalize()
    return values


def _archetype(kind: str, project: Path, reporter: Reporter) -> str:
    """The project's archetype (`archetypes/<kind>.md`) or the built-in one."""
    own = project / "archetypes" / f"{kind}.md"
    if own.is_file() or own.is_symlink():
        try:
            return read_regular(own, MAX_TEXT_BYTES).decode("utf-8")
        except (OSError, UnicodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            reporter.error(f"archetype: cannot read it ({reason}); save it as a UTF-8 file", own)
            reporter.check()
    return (builtin_assets() / "scaffold" / "archetypes" / f"{kind}.md").read_text(encoding="utf-8")


def _write_new(path: Path, text: str) -> None:
    """Create `path` with `text`; never replace a file (or follow a link) already there."""
    with path.open("x", encoding="utf-8") as handle:
        handle.write(text)
