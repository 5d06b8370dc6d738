"""The training log's forms: what each field accepts, and what to say when it
does not, in the user's language. Views call these and only deal with HTTP."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, timedelta

from flask_babel import gettext as _

from ..engine.constants import BOWS
from ..store.training import (
    ARROW_COUNT,
    ARROWS_PER_ENTRY,
    DIAMETER,
    DISTANCE,
    DRAW_WEIGHT,
    ENTRY_KINDS,
    MARK,
    UNITS,
)
from .accounts import Parsed
from .numbers import parse_decimal, parse_whole

NAME_MAX = 64
NOTES_MAX = 1000
MARK_NOTES_MAX = 500
ENTRY_NOTES_MAX = 200
EARLIEST = date(2000, 1, 1)


def latest_day(today: date) -> date:
    """The last day a log takes: a day ahead of the server's, where the
    archer's own time zone may be already."""
    return today + timedelta(days=1)


def entry_kind_names() -> dict[str, str]:
    return {
        "sighters": _("Sighters"),
        "blank_bale": _("Blank bale"),
        "practice": _("Practice"),
        "other": _("Other"),
    }


def unit_names() -> dict[str, str]:
    return {"m": _("metres"), "yd": _("yards")}


def _text(
    data: Mapping[str, str],
    name: str,
    longest: int,
    parsed: Parsed,
    *,
    required: str | None = None,
) -> None:
    value = (data.get(name) or "").strip()
    if required is not None and not value:
        parsed.errors[name] = required
    elif len(value) > longest:
        parsed.errors[name] = _("At most %(count)s characters, please.", count=longest)
    parsed.values[name] = value[:longest] if value or required else None


def _number(
    data: Mapping[str, str],
    name: str,
    bounds: tuple[float, float],
    parsed: Parsed,
    *,
    whole: bool = False,
    required: bool = False,
    unit: str = "",
) -> None:
    text = (data.get(name) or "").strip().replace(",", ".")
    low, high = bounds
    parsed.values[name] = None
    if not text:
        if required:
            parsed.errors[name] = _("Enter a number.")
        return
    try:
        value: float = parse_whole(text) if whole else parse_decimal(text)
    except ValueError:
        value = math.nan  # not a number: said with the range a number takes
        if whole:
            parsed.errors[name] = _("Enter a whole number.")
            return
    if not (math.isfinite(value) and low <= value <= high):
        parsed.errors[name] = _(
            "Enter a number from %(low)s to %(high)s%(unit)s.",
            low=f"{low:g}",
            high=f"{high:g}",
            unit=f" {unit}" if unit else "",
        )
        return
    parsed.values[name] = value


def _day(data: Mapping[str, str], name: str, parsed: Parsed, today: date) -> None:
    text = (data.get(name) or "").strip()
    parsed.values[name] = today
    if not text:
        return
    try:
        day = date.fromisoformat(text)
    except ValueError:
        parsed.errors[name] = _("Enter a date as year-month-day, such as 2026-03-01.")
        return
    if not EARLIEST <= day <= latest_day(today):
        parsed.errors[name] = _(
            "Enter a date from %(first)s to today.", first=EARLIEST.isoformat()
        )
        return
    parsed.values[name] = day


def parse_bow(data: Mapping[str, str]) -> Parsed:
    parsed = Parsed()
    _text(data, "name", NAME_MAX, parsed, required=_("Give the bow a name."))
    bowstyle = data.get("bowstyle") or ""
    if bowstyle not in BOWS:
        parsed.errors["bowstyle"] = _("Choose a bow from the list.")
    parsed.values["bowstyle"] = bowstyle if bowstyle in BOWS else BOWS[0]
    _number(data, "draw_weight", DRAW_WEIGHT, parsed, unit="lb")
    _text(data, "notes", NOTES_MAX, parsed)
    return parsed


def parse_arrow_set(data: Mapping[str, str]) -> Parsed:
    parsed = Parsed()
    _text(data, "model", NAME_MAX, parsed, required=_("Say which arrows they are."))
    _number(data, "diameter", DIAMETER, parsed, required=True, unit="mm")
    _number(data, "count", ARROW_COUNT, parsed, whole=True)
    _text(data, "notes", NOTES_MAX, parsed)
    return parsed


def parse_sight_mark(data: Mapping[str, str], today: date) -> Parsed:
    parsed = Parsed()
    _number(data, "distance", DISTANCE, parsed, required=True)
    unit = data.get("unit") or ""
    if unit not in UNITS:
        parsed.errors["unit"] = _("Choose metres or yards.")
    parsed.values["unit"] = unit if unit in UNITS else "m"
    _number(data, "mark", MARK, parsed, required=True)
    _day(data, "shot_on", parsed, today)
    _text(data, "notes", MARK_NOTES_MAX, parsed)
    return parsed


def parse_arrow_entry(data: Mapping[str, str], today: date) -> Parsed:
    parsed = Parsed()
    _number(data, "arrows", ARROWS_PER_ENTRY, parsed, whole=True, required=True)
    kind = data.get("kind") or ""
    if kind not in ENTRY_KINDS:
        parsed.errors["kind"] = _("Choose what the arrows were.")
    parsed.values["kind"] = kind if kind in ENTRY_KINDS else "practice"
    _day(data, "shot_on", parsed, today)
    _text(data, "notes", ENTRY_NOTES_MAX, parsed)
    return parsed
