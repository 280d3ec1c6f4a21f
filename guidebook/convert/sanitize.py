"""Allow-list sanitising of a chapter's HTML (Markdown output and any raw HTML in it).

Content is untrusted: raw HTML pasted from websites may carry scripts, event handlers, iframes,
forms, inline styles that fetch URLs, or `javascript:`/`file:` links. nh3 keeps only the tags and
attributes below; what a call-to-action block needs (div, a with href and class) survives.
Classes are filtered again in the tree (`tree.keep_user_classes`) so content cannot borrow the
layout's own class names.
"""

from __future__ import annotations

import nh3

TAGS = {
    "a",
    "abbr",
    "aside",
    "b",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "samp",
    "section",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
    "var",
}
ATTRIBUTES = {
    "*": {"id", "class", "title", "lang"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start", "reversed"},
    "td": {"colspan", "rowspan", "style"},
    "th": {"colspan", "rowspan", "style", "scope"},
    "time": {"datetime"},
}
# ftp survives sanitising only so that the link pass can say why it becomes plain text;
# javascript:, file: and data: never get that far.
URL_SCHEMES = {"http", "https", "mailto", "tel", "ftp", "ftps", "sftp"}


def sanitize(html: str) -> str:
    return str(
        nh3.clean(
            html,
            tags=TAGS,
            attributes=ATTRIBUTES,
            url_schemes=URL_SCHEMES,
            link_rel=None,
            strip_comments=True,
            # Python-Markdown writes table alignment as style="text-align: ..."; nothing else
            # of an inline style may pass (url() in a style would be fetched by the renderer).
            filter_style_properties={"text-align"},
            attribute_filter=_drop_useless_style,
        )
    )


def _drop_useless_style(_tag: str, attribute: str, value: str) -> str | None:
    """A style without text-align would be left behind as an empty `style=""`."""
    if attribute == "style" and "text-align" not in value.lower():
        return None
    return value
