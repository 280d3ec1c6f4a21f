"""Load, stage 1 of 2: files -> chapters. Input: the content folder; output: `Chapter`s.

Finds every `*.md` under the content folder (`discover`), reads it, repairs mis-decoded text,
splits front matter, takes the title from front matter or the first `# heading`, reads exercise
metadata from front matter or the bold-label bullets, and decides each chapter's kind and slug
(`load_chapter`); `load_chapters` does all of it and keeps slugs unique. The chapters come out
in file order: `order.py` puts them in the book's order.
"""

from __future__ import annotations

import dataclasses
import os
import re
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from guidebook.diagnostics import Reporter, display_path
from guidebook.frontmatter import split_front_matter
from guidebook.load.values import chapter_url, log_plan
from guidebook.metadata import BulletMetadata, find_bullet_metadata
from guidebook.model import Chapter, ChapterKind, ExerciseInfo
from guidebook.text import line_of, read_text_file, repair_mojibake, slugify, without_disallowed

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_H1 = re.compile(r"^#(?!#)\s*(?P<title>.*?)\s*#*\s*$")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_KIND_FOLDERS: dict[str, ChapterKind] = {
    "exercises": "exercise",
    "exercise": "exercise",
    "guides": "guide",
    "guide": "guide",
}
_SLUG_PREFIXES = ("exercise-", "guide-")


def load_chapters(content_dir: Path, reporter: Reporter) -> list[Chapter]:
    """Every chapter of the folder in file order, drafts and refused files left out."""
    chapters = [
        chapter
        for path in discover(content_dir, reporter)
        if (chapter := load_chapter(path, content_dir, reporter)) is not None
    ]
    chapters = _unique_slugs(chapters, reporter)
    if not chapters and not reporter.errors:
        reporter.error(
            f"no chapters: '{content_dir}' holds no .md files; add one per exercise or guide",
            content_dir,
        )
    return chapters


def discover(content_dir: Path, reporter: Reporter) -> list[Path]:
    """Markdown files below the folder, in a stable order; names starting '_' or '.' skipped.

    A file that is a link to something outside the content folder is refused: content must
    not be able to pull other files on the machine into the book. A folder that cannot be read
    and a `.md` that is not a regular file (a pipe, a device, a broken link) are left out with a
    warning, never silently: the book would otherwise just be shorter.
    """
    root = content_dir.resolve()
    found = []
    for path in sorted(_markdown_files(content_dir, reporter)):
        if not path.resolve().is_relative_to(root):
            reporter.error(
                "is a link to a file outside the content folder; copy the chapter into the "
                "folder instead",
                path,
            )
            continue
        try:
            mode = path.stat().st_mode
        except OSError as exc:
            reporter.warning(f"cannot read the file: {exc.strerror}; left out of the book", path)
            continue
        if stat.S_ISREG(mode):
            found.append(path)
        elif not stat.S_ISDIR(mode):  # a folder named x.md is walked like any other
            reporter.warning(
                "is not a regular file (a pipe, device or socket); left out of the book", path
            )
    return found


def _markdown_files(content_dir: Path, reporter: Reporter) -> Iterable[Path]:
    """Every `*.md` name below the folder outside '_' and '.' folders; links to folders are not
    followed (a link loop would never end)."""

    def unreadable(exc: OSError) -> None:
        where = Path(exc.filename) if exc.filename else content_dir
        reporter.warning(
            f"cannot read the folder: {exc.strerror}; the chapters in it are left out", where
        )

    for folder, subfolders, files in os.walk(content_dir, onerror=unreadable):
        subfolders[:] = [name for name in subfolders if not name.startswith(("_", "."))]
        base = Path(folder)
        yield from (base / f for f in files if f.endswith(".md") and not f.startswith(("_", ".")))


# Python-Markdown spends about 0.3 ms on each block, so a chapter of 200,000 one-word
# paragraphs (1.2 MB) took a minute to convert; real chapters have hundreds of lines.
MAX_CHAPTER_LINES = 20_000


def read_source(path: Path, reporter: Reporter) -> str | None:
    text = read_text_file(
        path, reporter, not_text="remove it or rename it so it does not end in .md"
    )
    if text is not None and (lines := text.count("\n") + 1) > MAX_CHAPTER_LINES:
        reporter.error(
            f"the chapter has {lines:,} lines; a chapter may have at most "
            f"{MAX_CHAPTER_LINES:,}: split it into several chapters",
            path,
        )
        return None
    return text


def load_chapter(path: Path, content_dir: Path, reporter: Reporter) -> Chapter | None:
    text = read_source(path, reporter)
    if text is None:
        return None
    if not text.strip():
        reporter.error("the file is empty; write the chapter or delete the file", path)
        return None
    text, repairs = repair_mojibake(text)
    for fix in repairs:
        reporter.note(
            f"repaired mis-decoded characters '{fix.before}' -> '{fix.after}'", path, fix.line
        )
    front = split_front_matter(text, path, reporter)
    if not front.ok:
        return None
    values = front.values
    if values.get("draft"):
        return None
    body, h1, h1_line = _take_h1(front.body)
    bullets = find_bullet_metadata(body)
    if bullets is not None:
        body = bullets.body
    declared = values.get("title")
    if not declared and h1 is None:
        reporter.error(
            "the chapter has no title; start it with a '# Title' line or add "
            "'title:' to its front matter",
            path,
            1,
        )
        return None
    title = _plain_title(declared or h1 or "")
    if not title:
        title = _title_from_file(path)
        reporter.warning(
            f"the chapter's title is blank; it is titled '{title}' after its file name. Write "
            "the title after the '# ' (or in 'title:')",
            path,
            (line_of(text, "\ntitle:") or 0) + 1 if declared else h1_line,
        )
    exercise = _exercise_info(values, bullets, path, reporter)
    slug = _slug(values.get("slug"), path, reporter)
    if slug is None:
        return None
    return Chapter(
        slug=slug,
        path=path,
        kind=_kind(values.get("kind"), path.relative_to(content_dir), exercise),
        title=title,
        markdown=body,
        deck=_plain_title(h1) or None if h1 and declared and h1 != declared else None,
        description=values.get("description"),
        keywords=values.get("keywords", ()),
        exercise=exercise,
        video=values.get("video"),
        url=chapter_url(values.get("url"), text, path, reporter),
        log=log_plan(
            values.get("log") or (bullets.values.get("log") if bullets else None),
            text,
            path,
            reporter,
        ),
        aliases=_aliases(slug, path),
    )


def _take_h1(markdown: str) -> tuple[str, str | None, int | None]:
    """Remove the first level-1 ATX heading outside code fences; return its text and line."""
    lines = markdown.split("\n")
    in_fence = False
    for index, line in enumerate(lines):
        if _FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence and (match := _H1.match(line)):
            lines[index] = ""
            return "\n".join(lines), match["title"], index + 1
    return markdown, None, None


def _plain_title(title: str) -> str:
    title = re.sub(r"\s*\{#[^}]*\}\s*$", "", title)  # attr_list id on the heading
    return re.sub(r"(\*\*|__|\*|_|`)(.+?)\1", r"\2", title).strip()


def _title_from_file(path: Path) -> str:
    """A blank title's stand-in: the file name's words ("3-4-sit-up.md" -> "3 4 sit up")."""
    words = " ".join(re.split(r"[\s_-]+", without_disallowed(path.stem))).strip()
    return words[:1].upper() + words[1:] if words else "Untitled"


def _exercise_info(
    front: dict[str, Any], found: BulletMetadata | None, path: Path, reporter: Reporter
) -> ExerciseInfo | None:
    """Front matter and the bold-label bullets merged; front matter wins where they differ."""
    bullets: dict[str, Any] = found.values if found else {}
    extra = found.extra if found else ()
    bullet_line = found.first_line if found else None
    fields = [f.name for f in dataclasses.fields(ExerciseInfo) if f.name != "extra"]
    merged: dict[str, Any] = {}
    for name in fields:
        if name in front and name in bullets and front[name] != bullets[name]:
            reporter.warning(
                f"{name.replace('_', ' ')} is given in front matter and in the "
                "bullet list with different values; using the front matter",
                path,
                bullet_line,
            )
        if name in front or name in bullets:
            merged[name] = front.get(name, bullets.get(name))
    if not merged and not extra:
        return None
    return ExerciseInfo(**merged, extra=extra)


def _kind(declared: str | None, relative: Path, exercise: ExerciseInfo | None) -> ChapterKind:
    if declared in ("exercise", "guide"):
        return "exercise" if declared == "exercise" else "guide"
    for folder in relative.parts[:-1]:
        if folder.lower() in _KIND_FOLDERS:
            return _KIND_FOLDERS[folder.lower()]
    return "exercise" if exercise is not None else "guide"


def _slug(declared: str | None, path: Path, reporter: Reporter) -> str | None:
    if declared is not None:
        if not SLUG_RE.match(declared):
            reporter.error(
                f"front matter: slug: expected lower-case letters, digits and single "
                f"hyphens, got '{declared}' (try '{slugify(declared)}')",
                path,
            )
            return None
        return declared
    slug = slugify(path.stem)
    if not slug:
        reporter.error(
            "cannot make a slug from this file name; rename the file or add 'slug:' "
            "to its front matter",
            path,
        )
        return None
    return slug


def _aliases(slug: str, path: Path) -> tuple[str, ...]:
    """`guide-hip-thrust.md` is also found by a site link `/guide/hip-thrust`."""
    for prefix in _SLUG_PREFIXES:
        if slug.startswith(prefix) and len(slug) > len(prefix):
            return (slug[len(prefix) :],)
    return ()


def _unique_slugs(chapters: list[Chapter], reporter: Reporter) -> list[Chapter]:
    seen: dict[str, Chapter] = {}
    kept = []
    for chapter in chapters:
        first = seen.get(chapter.slug)
        if first is not None:
            reporter.error(
                f"two chapters have the slug '{chapter.slug}' (the other is "
                f"{display_path(first.path)}); rename one file or set 'slug:' in its front "
                "matter",
                chapter.path,
            )
            continue
        seen[chapter.slug] = chapter
        kept.append(chapter)
    # An alias must not shadow a real slug or another chapter's alias.
    taken = set(seen)
    result = []
    for chapter in kept:
        free = tuple(a for a in chapter.aliases if a not in taken)
        taken.update(free)
        result.append(dataclasses.replace(chapter, aliases=free))
    return result
