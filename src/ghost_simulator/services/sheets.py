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
    live_odds,
    needed_in_set,
    needed_in_total,
    opponents_in,
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


def end_rows(match: Match) -> list[Row]:
    """Each end shot so far, the archer's beside the ghost's, with running
    totals and (a set match) the set's points: what the page and the API
    show of the ends."""
    archer_running = itertools.accumulate(e.total for e in match.archer_ends)
    ghost_running = itertools.accumulate(e.total for e in match.ghost_ends)
    points = match.set_points() if match.kind == "set" else [None] * match.ends_shot
    return [
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
        )
    ]


def build_sheet(match: Match) -> Sheet:
    rows = end_rows(match)
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
    opponents = opponents_in(match, handicap)
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


#: Shoot-off arrows the page's plan holds ahead (the engine shoots more, on
#: the same stream, only if the archers keep being equally close).
PLAN_SHOOT_OFF_ARROWS = 10


def ghost_plan(match: Match, version: int) -> dict[str, Any]:
    """Everything a page needs to play the match to its end without the
    server: the ghost's arrows for every end and shoot-off arrow (as the sheet
    labels them), and the faces the archer's ends are shot on. The page keeps
    it in a JSON data block and shows none of it before the archer's end.

    The contract (the offline sheet and the shooting clock read it): ``version``
    (the match's stored version), ``ends`` (the ghost's labels, end by end, for
    every end of the match), ``end_totals``, ``shoot_off`` (one label per
    arrow), ``shoot_off_mm`` (each one's distance from the centre, mm); then
    ``kind``, ``end_sizes``, ``end_faces`` (an index into ``faces``, each with
    its ``labels`` and their ``values``), ``shoot_off_face``,
    ``points_to_win``, and the archer's own entries so far: ``archer_ends``
    (``{"labels": [...]}`` or ``{"total": n}``) and ``archer_shoot_offs``
    (``{"label", "closer"}``)."""
    from ..engine.matches import POINTS_TO_WIN

    ghost = match.ghost_round
    shoot_off = match.ghost_shoot_off_arrows(PLAN_SHOOT_OFF_ARROWS)
    faces: list[dict[str, Any]] = []
    index_of: dict[str, int] = {}

    def face_index(face: Any) -> int:
        if face.name not in index_of:
            index_of[face.name] = len(faces)
            faces.append({"labels": list(face.labels), "values": dict(face.values)})
        return index_of[face.name]

    plan = match.round.end_plan()
    end_faces = [face_index(match.face_for_end(i)) for i in range(len(plan))]
    shoot_off_face = face_index(match.shoot_off_face) if shoot_off else None
    return {
        "version": version,
        "ends": [end.labels for end in ghost.ends],
        "end_totals": [end.total for end in ghost.ends],
        "shoot_off": [[a.label] for a in shoot_off],
        "shoot_off_mm": [
            None if a.distance is None else round(a.distance * 1000) for a in shoot_off
        ],
        "kind": match.kind,
        "end_sizes": [size for _, size in plan],
        "end_faces": end_faces,
        "faces": faces,
        "shoot_off_face": shoot_off_face,
        "points_to_win": POINTS_TO_WIN,
        "archer_ends": [
            {"labels": end.labels} if end.declared is None else {"total": end.declared}
            for end in match.archer_ends
        ],
        "archer_shoot_offs": [
            {"label": s.archer.label, "closer": s.closer} for s in match.shoot_offs
        ],
    }


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
