"""Load: front-matter values that need more than their schema's type check.

`url` must be a whole http(s) address; `log` one of the log plans of `logplan.py`. A wrong value
is an error on its line and the chapter gets the default.
"""

from __future__ import annotations

import re
from pathlib import Path

from guidebook.diagnostics import Reporter, shorten
from guidebook.logplan import LogPlan, parse_log
from guidebook.text import line_of


def chapter_url(value: str | None, text: str, path: Path, reporter: Reporter) -> str | None:
    """The front matter's `url`, checked: the page a form sheet's QR code opens."""
    if value is None:
        return None
    if re.fullmatch(r"https?://[^\s/?#]+\.[^\s]*", value.strip()):
        return value.strip()
    reporter.error(
        f"front matter: url: expected the chapter's web page as an http(s):// address, got "
        f"'{shorten(value, 60)}'; write it in full, e.g. 'url: https://example.com/exercises/plank'",
        path,
        (line_of(text, "\nurl:") or 0) + 1,
    )
    return None


def log_plan(value: object, text: str, path: Path, reporter: Reporter) -> LogPlan | None:
    """The `log:` of front matter or a `**Log:**` bullet, checked (see logplan.py)."""
    if value is None:
        return None
    plan = parse_log(str(value))
    if plan is None:
        front = line_of(text, "\nlog:")
        reporter.error(
            f"log: expected load, reps, time or distance, optionally followed by 'per side', "
            f"got '{shorten(str(value), 60)}'; e.g. 'log: time per side' for a side plank",
            path,
            front + 1 if front is not None else line_of(text, "**Log"),
        )
    return plan
