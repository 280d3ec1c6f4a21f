"""Allow-list sanitising of a chapter's HTML (Markdown output and any raw HTML in it).

Content is untrusted: raw HTML pasted from websites may carry scripts, event handlers, iframes,
forms, inline styles that fetch URLs, or `javascript:`/`file:` links. nh3 keeps only the tags and
attributes below; what a call-to-action block needs (div, a with href and class) survives.
Classes are filtered again in the tree (`tree.keep_user_classes`) so content cannot borrow the
layout's own class names.
"""

from __future__ import annotations

import re

import nh3

from guidebook.numbers import parse_pixels

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
            attribute_filter=_filter_attribute,
        )
    )


# Attribute values XHTML constrains; anything else is dropped (EPUBCheck rejects the book for
# a colspan of "abc" as surely as for a script).
_VALID_VALUE = {
    "colspan": re.compile(r"[1-9][0-9]{0,2}"),
    "rowspan": re.compile(r"[0-9]{1,4}"),
    "start": re.compile(r"-?[0-9]{1,9}"),
    "scope": re.compile(r"row|col|rowgroup|colgroup"),
    "lang": re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*"),
    "datetime": re.compile(
        r"[0-9]{4}(-[0-9]{2}(-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?"
        r"(Z|[+-][0-9]{2}:?[0-9]{2})?)?)?)?"
    ),
}


def _filter_attribute(_tag: str, attribute: str, value: str) -> str | None:
    if attribute == "style":  # without text-align it would be left behind as `style=""`
        return value if "text-align" in value.lower() else None
    if attribute == "reversed":
        return "reversed"
    if attribute in ("width", "height"):  # ASCII pixels only: not '²', '١٢٠٠' or 5,000 digits
        pixels = parse_pixels(value)
        return str(pixels) if pixels is not None else None
    pattern = _VALID_VALUE.get(attribute)
    if pattern is not None and not pattern.fullmatch(value.strip()):
        return None
    return value.strip() if pattern is not None else value
