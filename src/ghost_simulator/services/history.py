"""The archer's history as the pages and the API read it: the filters, what a
row shot, and a finished match's chance of winning end by end."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Any

from flask_babel import gettext as _
from flask_babel import to_utc

from ..engine.constants import BOWS
from .numbers import parse_id
from .state_cache import StateCache

#: Matches and rounds on a page of the history.
PAGE_SIZE = 25

#: The ghost's kinds (as ``engine.ghost.KINDS``), without loading the engine.
GHOST_KINDS = ("handicap", "score", "preset", "history", "replay", "minmax", "perfect")
_CODE = re.compile(r"[a-z0-9_]{1,64}")
_MATCH_CODE = re.compile(r"match_([a-z]+)_(indoor|outdoor)")


def what_was_shot(kind: str, round_code: str, half: bool) -> str:
    """ "Set match, 70 m", "WA 18m (half)": what a history row shot."""
    from ..engine import RoundError, get_round, match_round

    if kind in ("set", "cumulative"):
        found = _MATCH_CODE.fullmatch(round_code)
        distance = "?"
        if found:
            try:
                rnd = match_round(found[1], found[2] == "indoor")
                distance = rnd.distances[0].label
            except RoundError:
                pass
        if kind == "set":
            return _("Set match, %(distance)s", distance=distance)
        return _("Cumulative match, %(distance)s", distance=distance)
    if round_code == "custom":
        return _("A round of your own")
    try:
        return get_round(round_code, half=half).name
    except RoundError:
        return round_code.replace("_", " ")


# -- the filters ------------------------------------------------------------------


@dataclass
class Filters:
    """The history's filters, read from the query string."""

    round_code: str | None = None
    half: bool | None = None
    bow: str | None = None
    ghost_kind: str | None = None
    since: date | None = None
    until: date | None = None
    page: int = 1
    errors: list[str] = field(default_factory=list)

    @property
    def round_value(self) -> str:
        """The round as the form's select names it: ``wa18`` or ``wa18:half``."""
        if self.round_code is None:
            return ""
        return self.round_code + (":half" if self.half else "")

    def query(self, **changes: Any) -> dict[str, str]:
        """The filters as link parameters (for the pages' links)."""
        values = {
            "round": self.round_value,
            "bow": self.bow or "",
            "ghost": self.ghost_kind or "",
            "since": self.since.isoformat() if self.since else "",
            "until": self.until.isoformat() if self.until else "",
            "page": str(self.page) if self.page > 1 else "",
        }
        values.update({k: str(v) for k, v in changes.items()})
        if values["page"] == "1":
            values["page"] = ""
        return {k: v for k, v in values.items() if v}

    def store_filters(self) -> dict[str, Any]:
        """The filters as ``store.history`` takes them: days in the user's
        time zone (Flask-Babel's), ``until`` included, as moments in UTC."""
        until = None
        if self.until is not None and self.until < date.max:
            until = _start_of(self.until + timedelta(days=1))
        return {
            "round_code": self.round_code,
            "half": self.half if self.round_code is not None else None,
            "bow": self.bow,
            "ghost_kind": self.ghost_kind,
            "since": _start_of(self.since) if self.since else None,
            "until": until,
        }

    @property
    def active(self) -> bool:
        return any((self.round_code, self.bow, self.ghost_kind, self.since, self.until))


def _start_of(day: date) -> datetime | None:
    """Midnight at the start of ``day`` in the user's time zone, in UTC; None
    for a day at the calendar's ends (no bound)."""
    try:
        return to_utc(datetime.combine(day, time.min)).replace(tzinfo=UTC)
    except (OverflowError, ValueError):
        return None


@cache
def _known_rounds() -> frozenset[str]:
    from ..engine.rounds import MATCH_FORMATS, all_rounds

    matches = {
        f"match_{bow}_{'indoor' if indoor else 'outdoor'}"
        for bow, indoor in MATCH_FORMATS
    }
    return frozenset(all_rounds()) | matches | {"custom"}


def _day(args: Mapping[str, str], name: str, errors: list[str]) -> date | None:
    text = (args.get(name) or "").strip()
    if not text:
        return None
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        errors.append(
            _(
                "Give dates as year-month-day, such as %(example)s.",
                example="2026-05-31",
            )
        )
        return None


def parse_filters(
    args: Mapping[str, str], shot: Sequence[str] = (), *, any_round: bool = False
) -> Filters:
    """Read the filters; ``errors`` says, in the user's language, what is
    wrong with any of them. ``shot``: round codes the archer has kept.
    ``any_round``: a round code in the right form that names no round the
    archer could have shot filters out everything (the API's way), rather
    than being refused as mistyped (the page's)."""
    filters = Filters()
    errors = filters.errors
    round_text = (args.get("round") or "").strip()
    if round_text:
        code, _sep, part = round_text.partition(":")
        if (
            not _CODE.fullmatch(code)
            or part not in ("", "half")
            or (code not in _known_rounds() and code not in shot and not any_round)
        ):
            errors.append(_("There is no such round to filter by."))
        else:
            filters.round_code, filters.half = code, part == "half"
    bow = (args.get("bow") or "").strip()
    if bow:
        if bow in BOWS:
            filters.bow = bow
        else:
            errors.append(_("Choose a bow from the list."))
    kind = (args.get("ghost") or "").strip()
    if kind:
        if kind in GHOST_KINDS:
            filters.ghost_kind = kind
        else:
            errors.append(_("Choose a kind of ghost from the list."))
    filters.since = _day(args, "since", errors)
    filters.until = _day(args, "until", errors)
    if filters.since and filters.until and filters.since > filters.until:
        errors.append(_("The first day comes after the last."))
    page = (args.get("page") or "1").strip()
    number = parse_id(page) if len(page) <= 6 else None
    if number:
        filters.page = number
    else:
        errors.append(_("The page is a whole number from 1."))
    filters.errors = list(dict.fromkeys(errors))  # each message once
    return filters


_CHANCES: StateCache[tuple[float, ...]] = StateCache(256)


def chances_by_end(match: Any) -> tuple[float, ...]:
    """Replay the match end by end with the engine and ask for the odds after
    each end, as the score sheet showed them then (with the archer's level as
    the sheet estimates it). Finished matches do not change: the figures are
    kept for the next visit."""
    return _CHANCES.get(match, lambda: tuple(_replay_chances(match)))


def _replay_chances(match: Any) -> list[float]:
    from ..engine import Match
    from ..engine.odds import live_odds
    from .sheets import archer_level

    partial = Match(match.kind, match.round, match.ghost, match.seed)
    partial.archer = match.archer
    chances = []

    def record() -> None:
        level = archer_level(partial)
        chances.append(math.nan if level is None else live_odds(partial, level).win)

    record()
    for end in match.archer_ends:
        partial.archer_ends.append(end)
        record()
    for shoot_off in match.shoot_offs:
        partial.shoot_offs.append(shoot_off)
        record()
    return chances
