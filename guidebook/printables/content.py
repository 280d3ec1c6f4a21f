"""What a form sheet or session card shows of an exercise, taken from its converted chapter."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from urllib.parse import quote

from guidebook.diagnostics import Reporter
from guidebook.logplan import LogPlan, guess_log
from guidebook.model import Asset, BookConfig, ChapterDoc, Edition
from guidebook.printables.checklist import Group, checklist, first_sentence
from guidebook.printables.qr import qr_problem

LOADED = LogPlan("load", loaded=True)

# The metadata rows a sheet prints (body part is already in the kicker above the title), and
# the front-matter key each comes from (for messages).
SHEET_FACTS = ("Target", "Secondary", "Equipment", "Difficulty")
FACT_KEYS = {
    "Target": "target_muscles",
    "Secondary": "secondary_muscles",
    "Equipment": "equipment",
    "Difficulty": "difficulty",
}


@dataclass(frozen=True)
class ExerciseSheet:
    slug: str
    title: str
    kicker: tuple[str, ...]  # body part, equipment, difficulty
    facts: tuple[tuple[str, str], ...]  # (label, value): target, secondary, equipment...
    groups: tuple[Group, ...]
    watch_for: tuple[str, ...]
    thumbnail: Asset | None
    link: str | None  # what the QR code opens
    link_label: str | None  # "Video" or "Web page"
    log: LogPlan = LOADED
    steps: int = 0  # numbered steps in the chapter (the cues may be more)


def exercise_sheets(
    edition: Edition, reporter: Reporter | None, only: Collection[str] | None = None
) -> dict[str, ExerciseSheet]:
    """The exercise chapters of the book (`only` those, when given) as sheet content, by slug;
    with a `reporter`, what keeps a sheet from being complete is said (the sheet target's
    business, not a card's)."""
    assets = {asset.name: asset for asset in edition.assets}
    return {
        doc.chapter.slug: _sheet(doc, edition.book.config, assets, reporter)
        for doc in edition.chapters
        if doc.chapter.kind == "exercise" and (only is None or doc.chapter.slug in only)
    }


def chapter_assets(doc: ChapterDoc, edition: Edition) -> tuple[Asset, ...]:
    """The assets the chapter's images use, in the edition's order."""
    names = {image.name for image in doc.content.images}
    return tuple(asset for asset in edition.assets if asset.name in names)


def chapter_link(doc: ChapterDoc, config: BookConfig) -> tuple[str | None, str | None]:
    """The chapter's own `url`, else its video, else `chapter_url` with its slug, else nothing:
    never a guess at where the page might be."""
    if doc.chapter.url:
        return doc.chapter.url, "Web page"
    video = (doc.chapter.video or "").strip()
    if video.startswith(("https://", "http://")):
        return video, "Video"
    if config.chapter_url:
        return config.chapter_url.replace("{slug}", quote(doc.chapter.slug)), "Web page"
    return None, None


def log_plan(doc: ChapterDoc) -> LogPlan:
    """What the chapter's sheet logs: its `log:`, else the guess from its metadata and words."""
    chapter, info = doc.chapter, doc.chapter.exercise
    if chapter.log is not None:
        return chapter.log
    category, equipment = (info.category, info.equipment) if info else (None, ())
    return guess_log(chapter.title, category, equipment, doc.content.steps)


def _sheet(
    doc: ChapterDoc, config: BookConfig, assets: Mapping[str, Asset], reporter: Reporter | None
) -> ExerciseSheet:
    chapter, info, content = doc.chapter, doc.chapter.exercise, doc.content
    steps = list(content.steps)
    mistakes = [first_sentence(mistake) for mistake in content.mistakes]
    log = log_plan(doc)
    if not steps and reporter is not None:
        reporter.warning(
            "no numbered steps under 'How to perform': the form sheet's checklist is empty",
            chapter.path,
        )
    video = chapter.video or ""
    if video and not video.startswith(("https://", "http://")) and reporter is not None:
        reporter.warning(
            f"video: '{chapter.video}' is not an http(s) address; the sheet has no QR code for it",
            chapter.path,
        )
    link, label = chapter_link(doc, config)
    if link is not None and (problem := qr_problem(link)) is not None:
        if reporter is not None:
            where = "url" if chapter.url else "video" if label == "Video" else "chapter_url"
            reporter.warning(f"{problem}; the sheet has no QR code: shorten {where}", chapter.path)
        link = label = None
    image = content.images[0] if content.images else None
    kicker = info.kicker_parts() if info else ()
    facts = tuple((k, v) for k, v in info.rows() if k in SHEET_FACTS) if info else ()
    return ExerciseSheet(
        slug=chapter.slug,
        title=chapter.title,
        kicker=kicker,
        facts=facts,
        groups=checklist(steps, static=log.static),
        watch_for=tuple(m for m in mistakes if m),
        thumbnail=assets.get(image.name) if image is not None else None,
        link=link,
        link_label=label,
        log=log,
        steps=len(steps),
    )


@dataclass(frozen=True)
class SheetPart:
    """One part of a sheet's text, for saying which one keeps it from fitting one page."""

    what: str  # "its 'Target' line (500 items, 6,389 characters)"
    advice: str  # "shorten target_muscles in the chapter's metadata"
    size: int  # characters
    without: ExerciseSheet  # the sheet with this part left out


def sheet_parts(sheet: ExerciseSheet) -> list[SheetPart]:
    """The parts a writer can shorten, longest first (the likeliest cause is tried first)."""
    parts = [
        SheetPart(
            f"its title ({len(sheet.title):,} characters)",
            "shorten the chapter's title",
            len(sheet.title),
            replace(sheet, title="T"),
        )
    ]
    for label, value in sheet.facts:
        items = value.count(", ") + 1
        parts.append(
            SheetPart(
                f"its '{label}' line ({items:,} item{'s' * (items > 1)}, {len(value):,} "
                "characters)",
                f"shorten {FACT_KEYS.get(label, label)} in the chapter's metadata",
                len(value),
                replace(
                    sheet,
                    facts=tuple(f for f in sheet.facts if f[0] != label),
                    kicker=tuple(k for k in sheet.kicker if k != value),
                ),
            )
        )
    values = {value for _label, value in sheet.facts}
    rest = "".join(k for k in sheet.kicker if k not in values)  # the body part
    if rest:
        parts.append(
            SheetPart(
                f"its body part ({len(rest):,} characters)",
                "shorten body_part in the chapter's metadata",
                len(rest),
                replace(sheet, kicker=tuple(k for k in sheet.kicker if k in values)),
            )
        )
    steps = sum(len(cue) for group in sheet.groups for cue in group.cues)
    parts.append(
        SheetPart(
            f"its steps ({steps:,} characters)",
            "shorten the numbered steps under 'How to perform'",
            steps,
            replace(sheet, groups=()),
        )
    )
    mistakes = sum(len(m) for m in sheet.watch_for)
    parts.append(
        SheetPart(
            f"its common mistakes ({mistakes:,} characters)",
            "shorten the common mistakes",
            mistakes,
            replace(sheet, watch_for=()),
        )
    )
    return sorted((part for part in parts if part.size), key=lambda part: -part.size)
