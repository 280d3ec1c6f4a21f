"""Numbers written by users (HTML widths, program counts, SOURCE_DATE_EPOCH), parsed safely.

Python's own parsers accept more than a book may: `str.isdigit()` and `int()` take '²' and
Arabic-Indic '١٢٠٠' (XHTML attributes and the formats we write need ASCII digits), `int()`
raises past 4,300 digits (CPython's limit on decimal conversion), and `float()` takes '1e3',
'-60', 'nan' and 'inf'. Each function here takes only ASCII digits, checks the length before
converting, and returns None for anything else or anything out of its bounds, so callers only
have to say what they expected.
"""

from __future__ import annotations

import re
from decimal import Decimal

_WHOLE = re.compile(r"[0-9]+")
_DECIMAL = re.compile(r"(?P<whole>[0-9]+)(?:[.,](?P<fraction>[0-9]+))?")

# HTML width/height in CSS pixels: more than any page or screen, far below anything absurd.
MAX_PIXELS = 10_000


def parse_whole(text: str, maximum: int, minimum: int = 0) -> int | None:
    """A whole number in ASCII digits from `minimum` to `maximum`, else None.

    Leading zeros are fine ('007' is 7); signs, spaces inside, other scripts' digits and
    superscripts are not. The length is checked first, so no text is too long to try.
    """
    text = text.strip()
    if not _WHOLE.fullmatch(text):
        return None
    digits = text.lstrip("0") or "0"
    if len(digits) > len(str(maximum)):
        return None
    value = int(digits)
    return value if minimum <= value <= maximum else None


def parse_decimal(text: str, max_decimals: int | None = 2) -> Decimal | None:
    """A non-negative decimal in ASCII digits, with '.' or ',' before the decimals ('72,5')
    and at most `max_decimals` of them (None: any number), else None.

    A Decimal, not a float: its digits are exact and it has no length limit, so a 5,000-digit
    text is simply a very large number for the caller's range check.
    """
    match = _DECIMAL.fullmatch(text.strip())
    if match is None:
        return None
    fraction = match["fraction"] or ""
    if max_decimals is not None and len(fraction) > max_decimals:
        return None
    return Decimal(f"{match['whole']}.{fraction or '0'}")


def parse_number(text: str) -> float | None:
    """'102.5' or '102,5' -> 102.5; anything else (units, signs, thousands marks) -> None."""
    text = text.strip()
    if not _DECIMAL.fullmatch(text):
        return None
    return float(text.replace(",", "."))


def parse_pixels(text: str | None) -> int | None:
    """An HTML `width` or `height`: whole CSS pixels from 1 to MAX_PIXELS, else None.

    XHTML wants a non-negative integer in ASCII digits; '²', '١٢٠٠', '50%', '12px' and a
    5,000-digit width are all None, and the caller drops the attribute.
    """
    if text is None:
        return None
    return parse_whole(text, MAX_PIXELS, minimum=1)
