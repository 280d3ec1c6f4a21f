"""What the preview adds to the book document: the reload script, a status bar with the PDF
link, and the overlay that lists content errors.

The overlay is written into the page on the server, so it shows whatever the browser (or a
test) loads, and it is gone from the next page once the error is fixed. The script listens to
the server's event stream (`/_serve/events`, server-sent events) and reloads the page when the
server's version differs from the one the page was made at, keeping the scroll position; it
updates the PDF link in place. It runs under a nonce: the page's Content-Security-Policy
(`server.py`) allows no other script.
"""

from __future__ import annotations

import html
import json

from guidebook.diagnostics import Diagnostic, display_path, one_line

EVENTS = "/_serve/events"  # the reserved prefix: no asset name starts with an underscore

_STYLE = """
#guidebook-serve-overlay { position: fixed; inset: 0; z-index: 2147483647; overflow: auto;
  background: rgba(20, 20, 24, 0.92); color: #fff; font: 15px/1.5 system-ui, sans-serif;
  padding: 2rem 3rem; }
#guidebook-serve-overlay h2 { color: #ff8a80; font-size: 1.3rem; margin: 0 0 1rem; }
#guidebook-serve-overlay li { margin: 0 0 0.8rem; }
#guidebook-serve-overlay code { font: 14px/1.4 ui-monospace, monospace; color: #ffd180; }
#guidebook-serve-bar { position: fixed; right: 0.5rem; bottom: 0.5rem; z-index: 2147483646;
  background: #263238; color: #eceff1; font: 12px/1.4 system-ui, sans-serif;
  padding: 0.3rem 0.7rem; border-radius: 4px; opacity: 0.85; }
#guidebook-serve-bar a { color: #80d8ff; }
"""

_SCRIPT = """
(function () {
  var version = %(version)s, key = "guidebook-serve-scroll";
  window.addEventListener("load", function () {
    var saved = sessionStorage.getItem(key);
    if (saved !== null) { sessionStorage.removeItem(key); window.scrollTo(0, Number(saved)); }
  });
  var events = new EventSource(%(events)s);
  events.addEventListener("version", function (event) {
    if (Number(event.data) !== version) {
      sessionStorage.setItem(key, String(window.scrollY));
      events.close();
      location.reload();
    }
  });
  events.addEventListener("pdf", function (event) {
    var state = JSON.parse(event.data), link = document.getElementById("guidebook-serve-pdf");
    if (!link) { return; }
    link.textContent = state.label;
    link.title = state.detail;
    if (state.href) { link.href = state.href; } else { link.removeAttribute("href"); }
  });
})();
"""


def decorate(document: str, version: int, problems: list[Diagnostic], pdf: bool, nonce: str) -> str:
    """The book document with the preview's additions before `</body>` (or at the end, for a
    layout override that has none)."""
    parts = [f'<style nonce="{nonce}">{_STYLE}</style>']
    if problems:
        parts.append(overlay(problems))
    bar = "guidebook preview"
    if pdf:
        bar += ' · <a id="guidebook-serve-pdf" title="rendering">PDF: rendering…</a>'
    parts.append(f'<div id="guidebook-serve-bar">{bar}</div>')
    script = _SCRIPT % {"version": version, "events": json.dumps(EVENTS)}
    parts.append(f'<script nonce="{nonce}">{script}</script>')
    addition = "\n".join(parts)
    at = document.rfind("</body>")
    if at < 0:
        return document + addition
    return document[:at] + addition + document[at:]


def overlay(problems: list[Diagnostic]) -> str:
    """The errors as a list over the page: each with its file and line, as the terminal says."""
    count = len(problems)
    items = "".join(f"<li>{_item(problem)}</li>" for problem in problems)
    return (
        '<div id="guidebook-serve-overlay" role="alert">'
        f"<h2>{count} problem{'s' if count != 1 else ''} to fix</h2><ol>{items}</ol>"
        "<p>Behind this is the last version of the book that built. "
        "It updates when you save a fix.</p></div>"
    )


def _item(problem: Diagnostic) -> str:
    located = ""
    if problem.path is not None:
        where = display_path(problem.path) + (f":{problem.line}" if problem.line else "")
        located = f"<code>{html.escape(where)}</code> "
    return f"{located}{problem.severity}: {html.escape(one_line(problem.message))}"


def blank_document(title: str) -> str:
    """The page shown before the book has ever built: the overlay has something to cover."""
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>'
        f"{html.escape(title)}</title></head><body></body></html>"
    )
