"""Numbers as people and programs send them, bounded before they are converted.

Python refuses to convert a text of more than 4,300 digits to an integer (a
``ValueError`` far from where the text arrived), and SQLite and PostgreSQL keep
integers of 64 bits: an id beyond that cannot name a row, and a query with one
fails in the driver (PostgreSQL's ids are 32-bit). Every number a form, a
link, a query string or an import
file carries is read here first.
"""

from __future__ import annotations

import math
import re

#: The largest id a row can have: ids are 32-bit integers on PostgreSQL
#: (``SERIAL``); SQLite's go further, but never that far in practice.
MAX_ID = 2**31 - 1
#: The longest text read as a number. Ample for every number the app takes (a
#: seed has at most 19 digits; a handicap or a distance a few), and short
#: enough that converting it costs nothing.
NUMBER_TEXT_LIMIT = 40

_ID = re.compile(r"[0-9]{1,19}")
_WHOLE = re.compile(r"[+-]?[0-9]{1,30}")
_DECIMAL = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]{1,4})?")


def parse_id(text: object, most: int = MAX_ID) -> int | None:
    """A row id from a form, a link or a file: a whole number from 0 to
    ``most`` (:data:`MAX_ID`) written in ASCII digits, else None (no row has
    it). A seed is read with ``most=engine.constants.MAX_SEED``."""
    if isinstance(text, bool):
        return None
    if isinstance(text, int):
        return text if 0 <= text <= most else None
    if not isinstance(text, str):
        return None
    text = text.strip()
    if not _ID.fullmatch(text):
        return None
    value = int(text)
    return value if value <= most else None


def parse_whole(text: str) -> int:
    """A whole number (``-3``, ``+12``), or ValueError: ASCII digits only, at
    most 30 of them (never a conversion of thousands of digits)."""
    text = text.strip()
    if len(text) > NUMBER_TEXT_LIMIT or not _WHOLE.fullmatch(text):
        raise ValueError(f"not a whole number: {text[:NUMBER_TEXT_LIMIT]!r}")
    return int(text)


def parse_decimal(text: str) -> float:
    """A finite number (``7``, ``-2.5``, ``1e3``), or ValueError: no ``nan``,
    no infinity, no number too large for a float, no text of more than
    :data:`NUMBER_TEXT_LIMIT` characters."""
    text = text.strip()
    if len(text) > NUMBER_TEXT_LIMIT or not _DECIMAL.fullmatch(text):
        raise ValueError(f"not a number: {text[:NUMBER_TEXT_LIMIT]!r}")
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"not a finite number: {text!r}")
    return value
