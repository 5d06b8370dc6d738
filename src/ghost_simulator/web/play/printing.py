"""The printable score sheet of a match or round, in World Archery's layout.

One table per distance, a row per end: the arrows highest first, the end's
total, the running total and the tie-break counts (10+X and X outdoors, 10s and
9s indoors as WA indoor sheets have them, hits and golds on imperial faces);
then the distance totals, the grand total with hits, 10s and Xs, the ghost's
rows and set points in a match, and lines for the archer's and the scorer's
signatures. ``print.css`` lays it out on A4 for the browser to print or save
as PDF. The same visibility as the match page: another archer's match is 404.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from flask import Blueprint, abort, render_template
from flask_babel import gettext as _

from ...engine import Match
from ...engine.faces import Face
from ...engine.matches import ShootOff
from ...engine.scoring import End
from ...services.accounts import age_class_names, sex_names
from ...store import matches as stored
from ..common.viewer import owner, signed_in_archer

bp = Blueprint("printing", __name__)


@dataclass(frozen=True)
class PrintedEnd:
    """One end's row: ``arrows`` is None when only the total was entered, and
    ``total`` None for an end still to shoot (a blank row to fill in)."""

    number: int
    arrows: list[str] | None
    total: int | None
    running: int | None
    counts: list[int | None]
    ghost_arrows: list[str] | None = None
    ghost_total: int | None = None
    ghost_running: int | None = None
    points: tuple[int, int] | None = None  # set points of this set
    points_running: tuple[int, int] | None = None


@dataclass(frozen=True)
class Totals:
    """A score and its counts (in the order of the keys they were made for)."""

    total: int
    counts: list[int]


@dataclass
class PrintedDistance:
    label: str
    face: str
    arrows: int
    columns: int  # arrow cells per row: the distance's largest end
    count_keys: tuple[str, ...]
    ends: list[PrintedEnd] = field(default_factory=list)
    archer_ends: list[End] = field(default_factory=list)
    ghost_ends: list[End] = field(default_factory=list)
    totals: Totals | None = None  # None before any end at this distance
    grand: Totals | None = None  # the same ends, counted as the grand total is
    ghost_grand: Totals | None = None


@dataclass
class PrintedSheet:
    match: Match
    distances: list[PrintedDistance]
    grand_keys: tuple[str, ...]
    archer: Totals
    ghost: Totals
    has_ghost_rows: bool  # a match (set or cumulative): the ghost's rows too
    shoot_offs: list[ShootOff]
    page_breaks: bool  # a long round: a page per distance


#: A round this long prints a page per distance.
LONG_ROUND_ARROWS = 72
#: The grand total's counts (and the indoor 9s, as WA indoor sheets keep them).
GRAND_KEYS = ("hits", "tens", "xs")


def count_keys(face: Face, indoor: bool) -> tuple[str, ...]:
    """The two tie-break counts a sheet keeps for each end on this face."""
    if face.max_value < 10:  # imperial: the hits and golds of the AGB sheet
        return ("hits", "golds")
    if indoor:
        return ("tens", "nines")
    return ("tens", "xs")


def count(end: End, key: str, face: Face) -> int:
    if key == "tens":
        return end.tens
    if key == "xs":
        return end.xs
    if key == "nines":
        return sum(a.value == 9 for a in end.arrows)
    if key == "golds":
        return end.golds(face)
    return end.hits


def count_headings(keys: tuple[str, ...]) -> list[str]:
    """Column headings: "10+X" and "X" outdoors, "10s" and "9s" indoors."""
    names = {
        "tens": _("10s") if "nines" in keys else _("10+X"),
        "xs": _("Xs") if "hits" in keys else _("X"),
        "nines": _("9s"),
        "golds": _("Golds"),
        "hits": _("Hits"),
    }
    return [names[key] for key in keys]


def _totals(ends: list[End], keys: tuple[str, ...], face: Face) -> Totals:
    return Totals(
        sum(e.total for e in ends), [sum(count(e, k, face) for e in ends) for k in keys]
    )


def _sum(parts: list[Totals | None], keys: tuple[str, ...]) -> Totals:
    present = [p for p in parts if p is not None]
    counts = [sum(p.counts[i] for p in present) for i in range(len(keys))]
    return Totals(sum(p.total for p in present), counts)


def build_score_sheet(match: Match) -> PrintedSheet:
    """The sheet of the match as it stands: every end shot, and blank rows for
    the ends still due while it is not over."""
    rnd = match.round
    plan = rnd.end_plan()
    distances = [
        PrintedDistance(
            d.label,
            d.face.name,
            d.arrows,
            max(size for i, size in plan if i == index),
            count_keys(d.face, d.indoor),
        )
        for index, d in enumerate(rnd.distances)
    ]
    has_ghost = match.kind != "ranking"
    points = match.set_points() if match.kind == "set" else []
    points_running = list(
        itertools.accumulate(points, lambda a, b: (a[0] + b[0], a[1] + b[1]))
    )
    verdict = match.verdict()
    over = verdict.finished or verdict.status == "shoot_off"
    for index, (d_index, _size) in enumerate(plan):
        printed = distances[d_index]
        face = rnd.distances[d_index].face
        if index >= match.ends_shot:
            if not over:
                blank: list[int | None] = [None] * len(printed.count_keys)
                printed.ends.append(PrintedEnd(index + 1, [], None, None, blank))
            continue
        mine, ghost = match.archer_ends[index], match.ghost_ends[index]
        printed.archer_ends.append(mine)
        printed.ghost_ends.append(ghost)
        typed = mine.declared is None
        printed.ends.append(
            PrintedEnd(
                number=index + 1,
                arrows=mine.labels if typed else None,
                total=mine.total,
                running=sum(e.total for e in printed.archer_ends),
                counts=[
                    count(mine, key, face) if typed else None
                    for key in printed.count_keys
                ],
                ghost_arrows=ghost.labels if has_ghost else None,
                ghost_total=ghost.total if has_ghost else None,
                ghost_running=sum(e.total for e in printed.ghost_ends)
                if has_ghost
                else None,
                points=points[index] if points else None,
                points_running=points_running[index] if points else None,
            )
        )
    indoor = any(k == "nines" for d in distances for k in d.count_keys)
    grand_keys = GRAND_KEYS + (("nines",) if indoor else ())
    for printed, distance in zip(distances, rnd.distances, strict=True):
        if not printed.archer_ends:
            continue
        face, keys = distance.face, printed.count_keys
        printed.totals = _totals(printed.archer_ends, keys, face)
        printed.grand = _totals(printed.archer_ends, grand_keys, face)
        printed.ghost_grand = _totals(printed.ghost_ends, grand_keys, face)
    return PrintedSheet(
        match=match,
        distances=[d for d in distances if d.ends],
        grand_keys=grand_keys,
        archer=_sum([d.grand for d in distances], grand_keys),
        ghost=_sum([d.ghost_grand for d in distances], grand_keys),
        has_ghost_rows=has_ghost,
        shoot_offs=list(match.shoot_offs),
        page_breaks=len(rnd.distances) > 1 and rnd.arrows > LONG_ROUND_ARROWS,
    )


def bow_of(match: Match) -> str | None:
    ref = match.round.ref
    bow = ref["match"]["bow"] if "match" in ref else ref.get("bow")
    return str(bow) if bow else None


def archer_header() -> dict[str, str]:
    """The signed-in archer's name and category for the header (blank lines
    to fill in by hand for a match played without an account)."""
    archer = signed_in_archer()
    if archer is None:
        return {}
    category = age_class_names().get(archer.age_class, "")
    if archer.sex:
        category = _(
            "%(age)s, %(sex)s", age=category, sex=sex_names()[archer.sex].lower()
        )
    return {"name": archer.name or archer.username, "category": category}


@bp.get("/matches/<match_id>/sheet")
def score_sheet(match_id: str) -> str:
    found = stored.load(match_id, owner())
    if found is None:
        abort(404)
    match = Match.from_dict(found.state)
    return render_template(
        "score_sheet.html",
        match_id=match_id,
        started=found.created_at,
        printed=build_score_sheet(match),
        bow=bow_of(match),
        archer=archer_header(),
        headings=count_headings,
    )
