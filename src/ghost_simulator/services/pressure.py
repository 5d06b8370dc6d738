"""Under pressure (``engine.pressure``) from the archer's stored matches: their
finished set and cumulative matches, replayed, and what the pages, the API
and the command line say of them."""

from __future__ import annotations

import re
from typing import Any

from ..engine.matches import Match, MatchError
from ..engine.pressure import Pressure, under_pressure
from ..engine.rounds import RoundError
from ..lru import LRU
from ..store import history as stored
from ..store import matches as stored_matches

#: The most matches read (the latest): each is replayed to find its sets.
MOST_MATCHES = 200
#: How match formats are listed (``store.matches.round_code_of``).
_MATCH_CODE = re.compile(r"match_([a-z]+)_(indoor|outdoor)")


def match_codes(archer_id: int) -> list[str]:
    """The match formats (round codes) the archer has kept matches on."""
    shot = stored.rounds_shot(archer_id)
    return sorted({code for code, _half, _n in shot if _MATCH_CODE.fullmatch(code)})


def _finished_rows(
    archer_id: int, round_code: str | None, bow: str | None, most: int
) -> list[stored.HistoryRow]:
    """The archer's latest ``most`` finished set and cumulative matches' rows,
    oldest first."""
    codes = [round_code] if round_code is not None else match_codes(archer_id)
    rows: list[stored.HistoryRow] = []
    for code in codes:
        found, _total = stored.list_matches(
            archer_id,
            round_code=code,
            bow=bow,
            status=stored_matches.FINISHED,
            limit=most,
        )
        rows.extend(row for row in found if row.kind in ("set", "cumulative"))
    rows.sort(key=lambda row: (row.created_at, row.id))
    return rows[-most:]


def _replayed(archer_id: int, rows: list[stored.HistoryRow]) -> list[Match]:
    replayed = []
    for row in rows:
        kept = stored_matches.load_own(row.id, archer_id)
        if kept is None:
            continue
        try:
            replayed.append(Match.from_dict(kept.state))
        except (MatchError, RoundError, KeyError, TypeError, ValueError):
            continue
    return replayed


def finished_matches(
    archer_id: int,
    *,
    round_code: str | None = None,
    bow: str | None = None,
    most: int = MOST_MATCHES,
) -> list[Match]:
    """The archer's latest ``most`` finished set and cumulative matches (on
    one match format, or with one bow, when asked), oldest first, replayed. A
    match this release can no longer replay is left out."""
    return _replayed(archer_id, _finished_rows(archer_id, round_code, bow, most))


#: Figures worked out lately, by the scheme and the matches they read: a
#: finished match never changes, so the same matches give the same figures.
_FIGURES: LRU[tuple[str, tuple[str, ...]], Pressure] = LRU(64)


def archer_pressure(
    archer_id: int,
    scheme: str,
    *,
    round_code: str | None = None,
    bow: str | None = None,
) -> Pressure | None:
    """How the archer shoots under pressure, on ``scheme``'s handicaps; None
    when they have no finished elimination match (on that format, with that
    bow)."""
    rows = _finished_rows(archer_id, round_code, bow, MOST_MATCHES)
    if not rows:
        return None
    key = (scheme, tuple(row.id for row in rows))
    return _FIGURES.get_or_make(
        key, lambda: under_pressure(_replayed(archer_id, rows), scheme)
    )


def pressure_by_bow(archer_id: int, scheme: str) -> dict[str, Pressure]:
    """The figures for each bow the archer has shot matches with."""
    matches = finished_matches(archer_id)
    bows: dict[str, list[Match]] = {}
    for match in matches:
        bow = str(match.round.ref.get("match", {}).get("bow") or match.ghost.bow)
        bows.setdefault(bow, []).append(match)
    return {bow: under_pressure(found, scheme) for bow, found in bows.items()}


def as_dict(pressure: Pressure) -> dict[str, Any]:
    """The figures as the API and the command line give them."""
    data = pressure.to_dict()
    data["pressure_sets"] = [
        {
            "score": s.score,
            "expected": s.expected,
            "sd": s.sd,
            "percentile": s.percentile,
            "level": s.level,
        }
        for s in pressure.pressure_sets
    ]
    data["shoot_off_moments"] = [
        {"won": m.won, "chance": m.chance, "level": m.level}
        for m in pressure.shoot_off_moments
    ]
    return data
