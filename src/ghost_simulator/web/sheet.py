"""The score sheet of a match as a page shows it: rows, totals, odds, verdict.

Presentation only: it reads the engine's match and asks the engine for odds.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from ..engine import Match
from ..engine.handicaps import bounds, expected_score, handicap_for_score
from ..engine.odds import (
    Odds,
    Opponents,
    live_odds,
    needed_in_set,
    needed_in_total,
)
from .state_cache import StateCache

#: How many arrows the archer's level estimate trusts its starting guess for.
PRIOR_ARROWS = 12


@dataclass
class Row:
    number: int
    archer: list[str] | None  # labels, or None when only a total was typed
    archer_total: int
    archer_running: int
    ghost: list[str]
    ghost_total: int
    ghost_running: int
    points: tuple[int, int] | None  # set points of this set


@dataclass
class Sheet:
    match: Match
    rows: list[Row]
    odds: Odds | None
    needed: dict[str, int | None]
    archer_handicap: float | None

    @cached_property
    def verdict(self) -> Any:
        return self.match.verdict()

    @property
    def leader(self) -> str:
        """ "archer", "ghost" or "level"."""
        v = self.verdict
        a, g = v.archer_points or 0, v.ghost_points or 0
        if a == g:
            return "level"
        return "archer" if a > g else "ghost"


def build_sheet(match: Match) -> Sheet:
    rows = []
    archer_running = itertools.accumulate(e.total for e in match.archer_ends)
    ghost_running = itertools.accumulate(e.total for e in match.ghost_ends)
    points = match.set_points() if match.kind == "set" else [None] * match.ends_shot
    for number, (a, g, ar, gr, p) in enumerate(
        zip(
            match.archer_ends,
            match.ghost_ends,
            archer_running,
            ghost_running,
            points,
            strict=True,
        ),
        1,
    ):
        rows.append(
            Row(
                number,
                a.labels if a.declared is None else None,
                a.total,
                ar,
                g.labels,
                g.total,
                gr,
                p,
            )
        )
    handicap = archer_level(match)
    odds: Odds | None = None
    needed: dict[str, int | None] = {}
    if handicap is not None:
        odds, needed = _FIGURES.get(
            match, lambda: (live_odds(match, handicap), _needed(match, handicap))
        )
    return Sheet(match, rows, odds, needed, handicap)


#: The odds and "you need N" of recently shown states (both pure functions of
#: the state, the archer's level being worked out from it too).
_FIGURES: StateCache[tuple[Odds, dict[str, int | None]]] = StateCache(512)


def archer_level(match: Match) -> float | None:
    """The archer's handicap as the odds assume it: the ghost's level at the
    start, then more and more what the archer's own arrows say."""
    prior = match.ghost.handicap
    if prior is None:
        best = bounds(match.ghost.scheme)[0]
        prior = _level_of_min_max(match) if match.ghost.kind == "minmax" else best
    arrows = sum(end.arrow_count for end in match.archer_ends)
    estimate = match.archer_handicap()
    if estimate is None:
        return prior
    return (PRIOR_ARROWS * prior + arrows * estimate) / (PRIOR_ARROWS + arrows)


def _level_of_min_max(match: Match) -> float:
    ghost = match.ghost
    assert ghost.min_end is not None
    assert ghost.max_end is not None
    rnd = match.round
    per_end = (ghost.min_end + ghost.max_end) / 2
    target = per_end * rnd.arrows / rnd.end_size
    best = bounds(ghost.scheme)[0]
    top = expected_score(rnd, best, ghost.scheme)
    return handicap_for_score(rnd, min(max(target, 0.0), top - 1e-6), ghost.scheme)


def _needed(match: Match, handicap: float) -> dict[str, int | None]:
    verdict = match.verdict()
    if verdict.finished or verdict.status == "shoot_off":
        return {}
    opponents = Opponents(match.round.distances[-1], handicap, match.ghost.scheme)
    shown = match.ghost_values_shown
    if match.kind == "set":
        return needed_in_set(
            opponents,
            match.ghost,
            archer_points=verdict.archer_points or 0,
            ghost_points=verdict.ghost_points or 0,
            ghost_shown=shown,
            rnd=match.round,
        )
    if match.kind == "cumulative":
        left = sum(size for _, size in match.round.end_plan()[match.ends_shot :])
        total = needed_in_total(
            opponents,
            match.ghost,
            archer_total=match.archer_tally().total,
            ghost_total=match.ghost_tally().total,
            arrows_left=left,
            ghost_shown=shown,
            rnd=match.round,
        )
        return {"to_win_match": total, "arrows_left": left}
    return {}


def target_svg_points(match: Match, size: float = 200.0) -> dict[str, Any] | None:
    """The ghost's last end as points on its face, scaled to an SVG box."""
    if not match.ghost_ends:
        return None
    index = match.ends_shot - 1
    face = match.face_for_end(index)
    radius = face.diameter / 2
    scale = size / 2 / (radius * 1.08)
    rings = [
        {"r": zone.radius * scale, "label": zone.label}
        for zone in reversed(face.zones[:-1])
    ]
    arrows = []
    for a in match.ghost_ends[-1].arrows:
        if a.x is None or a.y is None:
            continue
        x, y = a.x * scale, -a.y * scale
        limit = size / 2 - 4
        distance = math.hypot(x, y)
        if distance > limit:  # a miss: show it at the edge
            x, y = x * limit / distance, y * limit / distance
        arrows.append({"x": x, "y": y, "label": a.label})
    return {"size": size, "rings": rings, "arrows": arrows, "system": face.system}
