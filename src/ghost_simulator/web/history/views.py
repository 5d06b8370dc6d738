"""The signed-in archer's history: every match and round they kept, filtered
and paged; their progress on one round (personal best, average, the handicap
each round earned, the classification it earns, charts); and, on a finished
match's page, how their chance of winning moved end by end.

Views read the store's summaries (nothing is replayed to list a history),
ask the engine for figures, and leave the drawing to the templates
(``charts`` does the sums).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_date, format_decimal
from flask_babel import gettext as _
from flask_login import login_required

from ...engine.constants import BOWS
from ...services.history import (
    _MATCH_CODE,
    PAGE_SIZE,
    chances_by_end,
    parse_filters,
    what_was_shot,
)
from ...services.labels import percent
from ...store import history as stored
from ...store.models import Archer
from ..common import charts
from ..common.viewer import required_archer

bp = Blueprint("history", __name__)

#: How many of the latest rounds the arrow-value chart reads.
SPREAD_ROUNDS = 200
#: Ghost levels are grouped in bands this wide for the win rate.
BAND = 10


# -- words for what the summaries hold ------------------------------------------------


def ghost_kind_names() -> dict[str, str]:
    return {
        "handicap": _("Handicap"),
        "score": _("Score to beat"),
        "preset": _("Championship or record"),
        "history": _("Your own level"),
        "replay": _("Your past round"),
        "minmax": _("Points per end"),
        "perfect": _("Perfect"),
    }


def ghost_summary(kind: str | None, handicap: float | None) -> tuple[str, str]:
    """The ghost of a history row: what kind ("Score to beat") and its level
    ("handicap 38.5", or nothing for a ghost without one)."""
    name = ghost_kind_names().get(kind or "", _("A ghost"))
    if handicap is None:
        return name, ""
    level = _("handicap %(handicap)s", handicap=format_decimal(round(handicap, 1)))
    return (level, "") if kind == "handicap" else (name, level)


def result_label(status: str) -> str:
    return {
        "won": _("Won"),
        "lost": _("Lost"),
        "tied": _("Tied"),
    }.get(status, _("unfinished"))


def band_label(low: int) -> str:
    return _("%(low)s to %(high)s", low=low, high=low + BAND - 1)


# -- the history ------------------------------------------------------------------


def row_view(row: stored.HistoryRow) -> dict[str, Any]:
    """A history row as the pages list it (a club member's page too)."""
    return {
        "id": row.id,
        "url": url_for("play.show", match_id=row.id),
        "started": row.created_at,
        "what": what_was_shot(row.kind, row.round_code, row.half),
        "ghost": ghost_summary(row.ghost_kind, row.ghost_handicap),
        "archer_total": row.archer_total if row.archer_total is not None else 0,
        "ghost_total": row.ghost_total if row.ghost_total is not None else 0,
        # A set match is won on set points: those are its score, its arrows'
        # totals only a hint.
        "set_points": row.set_points,
        "status": row.status if row.finished else "unfinished",
        "result": result_label(row.status),
        "ends": row.ends_shot,
    }


def _round_options(shot: list[tuple[str, bool, int]]) -> list[dict[str, Any]]:
    return [
        {
            "value": code + (":half" if half else ""),
            "name": _round_name(code, half),
            "count": count,
            "code": code,
            "half": half,
            "progress": _has_progress(code),
        }
        for code, half, count in shot
    ]


def _round_name(code: str, half: bool) -> str:
    """A round's name, or a match format's ("Recurve match, 70 m")."""
    from ...engine import RoundError, match_round
    from ...services.labels import bow_names

    found = _MATCH_CODE.fullmatch(code)
    if found and found[1] in BOWS:
        try:
            distance = match_round(found[1], found[2] == "indoor").distances[0].label
        except RoundError:
            distance = "?"
        return _(
            "%(bow)s match, %(distance)s",
            bow=bow_names()[found[1]],
            distance=distance,
        )
    return what_was_shot("ranking", code, half)


def _has_progress(code: str) -> bool:
    """A round has a progress page; a match format has one too (how the
    archer shoots under pressure in its matches)."""
    from ...engine.rounds import all_rounds

    found = _MATCH_CODE.fullmatch(code)
    return code in all_rounds() or bool(found and found[1] in BOWS)


def win_rate_by_level(results: Sequence[tuple[float, str]]) -> list[dict[str, Any]]:
    """Wins and matches played against ghosts in each band of ``BAND``
    handicap points, from the lowest band up."""
    played: Counter[int] = Counter()
    won: Counter[int] = Counter()
    for level, status in results:
        band = math.floor(level / BAND) * BAND
        played[band] += 1
        won[band] += status == "won"
    return [
        {
            "low": band,
            "label": band_label(band),
            "played": played[band],
            "won": won[band],
            "rate": won[band] / played[band],
        }
        for band in sorted(played)
    ]


def _win_rate_chart(bands: list[dict[str, Any]]) -> charts.BarChart | None:
    if not bands:
        return None
    return charts.bar_chart(
        [(str(format_decimal(band["low"])), band["rate"]) for band in bands],
        y_range=(0.0, 1.0),
        y_format=percent,
        value_text=percent,
        titles=[
            _(
                "Ghosts of handicap %(band)s: won %(won)s of %(played)s",
                band=band["label"],
                won=band["won"],
                played=band["played"],
            )
            for band in bands
        ],
    )


@bp.get("/history")
@login_required
def index() -> ResponseReturnValue:
    archer = required_archer()
    shot = stored.rounds_shot(archer.id)
    filters = parse_filters(request.args, [code for code, _half, _n in shot])
    context: dict[str, Any] = {
        "filters": filters,
        "rounds": _round_options(shot),
        "bows": BOWS,
        "ghost_kinds": ghost_kind_names(),
    }
    if filters.errors:
        return render_template("history.html", **context, rows=None), 400
    where = filters.store_filters()
    offset = (filters.page - 1) * PAGE_SIZE
    rows, total = stored.list_matches(
        archer.id, **where, limit=PAGE_SIZE, offset=offset
    )
    pages = max(1, math.ceil(total / PAGE_SIZE))
    if filters.page > pages:
        abort(404, description=_("There is no page %(page)s.", page=filters.page))
    bands = win_rate_by_level(stored.ghost_results(archer.id, archer.scheme, **where))
    return render_template(
        "history.html",
        **context,
        rows=[row_view(row) for row in rows],
        total=total,
        first=offset + 1,
        last=offset + len(rows),
        pages=pages,
        bands=bands,
        win_chart=_win_rate_chart(bands),
        scheme=archer.scheme,
    )


# -- one round: progress ----------------------------------------------------------


def _handicaps(
    sessions: Sequence[stored.Session], rnd: Any, scheme: str
) -> list[float | None]:
    """The handicap each session earned, on the archer's scheme: as stored
    when the ghost was on that scheme, worked out again otherwise."""
    from ...engine.handicaps import handicap_earned

    earned: list[float | None] = []
    for session in sessions:
        if session.scheme == scheme and session.archer_handicap is not None:
            earned.append(session.archer_handicap)
        else:
            try:
                earned.append(handicap_earned(rnd, session.archer_total, scheme))
            except ValueError:
                earned.append(None)
    return earned


def _arrow_key(label: str) -> int:
    """X first, then 10 down to 1, then M."""
    if label == "X":
        return -11
    if label.isdigit():
        return -int(label)
    return 0


def arrow_spread(entries: Sequence[Sequence[Any]]) -> tuple[list[tuple[str, int]], int]:
    """How many arrows scored each value (X first), and how many ends were
    typed as totals (their arrows are unknown)."""
    counts: Counter[str] = Counter()
    totals_only = 0
    for ends in entries:
        for end in ends:
            if isinstance(end, list):
                counts.update(str(label) for label in end)
            else:
                totals_only += 1
    return sorted(counts.items(), key=lambda item: _arrow_key(item[0])), totals_only


def _classification(
    archer: Archer, code: str, half: bool, best: int | None
) -> dict[str, Any]:
    """What the personal best earns, and what the next class needs."""
    from ...engine.classifications import (
        classification_for,
        classification_scores,
        next_classification,
    )

    if half:
        return {"state": "half"}
    if not archer.sex or not archer.age_class:
        return {"state": "profile"}
    try:
        table = classification_scores(
            code, archer.bowstyle, archer.sex, archer.age_class
        )
    except ValueError:
        return {"state": "profile"}
    if not table:
        return {"state": "none"}
    if best is None:
        return {"state": "no_score", "table": table}
    args = (code, archer.bowstyle, archer.sex, archer.age_class)
    return {
        "state": "ok",
        "table": table,
        "earned": classification_for(best, *args),
        "next": next_classification(best, *args),
    }


def _date_labels(sessions: Sequence[stored.Session]) -> list[str]:
    return [format_date(s.date, "short") for s in sessions]


@bp.get("/history/rounds/<round_code>")
@login_required
def round_progress(round_code: str) -> ResponseReturnValue:
    from ...engine import RoundError, get_round
    from ...engine.handicaps import scheme as handicap_scheme

    archer = required_archer()
    half_text = request.args.get("half", "0")
    if half_text not in ("0", "1"):
        abort(400, description=_("half is 1 (the first half of the round) or 0."))
    half = half_text == "1"
    found = _MATCH_CODE.fullmatch(round_code)
    if found and found[1] in BOWS and not half:
        return _match_format_progress(archer, round_code, found[1], found[2])
    try:
        rnd = get_round(round_code, half=half)
    except RoundError:
        abort(404)
    code = str(rnd.ref.get("codename") or rnd.codename)
    if code != round_code:
        target = url_for(
            "history.round_progress", round_code=code, half="1" if half else None
        )
        return redirect(target, 301)
    sessions = stored.round_sessions(archer.id, code, half)
    totals = [s.archer_total for s in sessions]
    best = max(totals) if totals else None
    best_session = next((s for s in sessions if s.archer_total == best), None)
    scheme = archer.scheme or "AGB"
    earned = _handicaps(sessions, rnd, scheme)
    lower_is_better = bool(handicap_scheme(scheme).desc_scale)
    dates = _date_labels(sessions)
    score_chart = handicap_chart = None
    if sessions:
        score_chart = charts.line_chart(
            totals,
            [
                _("%(date)s: %(score)s", date=d, score=format_decimal(t))
                for d, t in zip(dates, totals, strict=True)
            ],
            x_labels=dates,
            y_format=lambda v: str(format_decimal(v)),
        )
        known = [(d, h) for d, h in zip(dates, earned, strict=True) if h is not None]
        if known:
            handicap_chart = charts.line_chart(
                [h for _d, h in known],
                [
                    _(
                        "%(date)s: handicap %(handicap)s",
                        date=d,
                        handicap=format_decimal(round(h, 1)),
                    )
                    for d, h in known
                ],
                x_labels=[d for d, _h in known],
                invert=lower_is_better,
                y_format=lambda v: str(format_decimal(v)),
            )
    spread, totals_only = arrow_spread(
        list(stored.round_entries(archer.id, code, half, limit=SPREAD_ROUNDS))
    )
    spread_chart = (
        charts.bar_chart(spread, y_format=lambda v: str(format_decimal(v)))
        if spread
        else None
    )
    arrows_counted = sum(n for _label, n in spread)
    own = _own_spread(archer, rnd, scheme, totals) if sessions else None
    setup: dict[str, Any] = {
        "kind": "half" if half else "ranking",
        "round": code,
        "indoor": "1" if rnd.indoor else "0",
        "bow": archer.bowstyle or "recurve",
    }
    return render_template(
        "round_history.html",
        rnd=rnd,
        code=code,
        half=half,
        sessions=[
            {
                "url": url_for("play.show", match_id=s.id),
                "date": s.date,
                "total": s.archer_total,
                "handicap": format_decimal(round(h, 1)) if h is not None else "",
                "arrows": s.arrows,
                "best": s is best_session,
            }
            for s, h in zip(sessions, earned, strict=True)
        ],
        best=best,
        best_url=url_for("play.show", match_id=best_session.id)
        if best_session
        else None,
        average=format_decimal(round(sum(totals) / len(totals), 1)) if totals else "",
        lowest=min(totals) if totals else None,
        classification=_classification(archer, code, half, best),
        score_chart=score_chart,
        handicap_chart=handicap_chart,
        lower_is_better=lower_is_better,
        scheme=scheme,
        spread=spread,
        spread_chart=spread_chart,
        arrows_counted=arrows_counted,
        totals_only=totals_only,
        spread_rounds=min(len(sessions), SPREAD_ROUNDS),
        spread_most=SPREAD_ROUNDS,
        own=own,
        new_match=url_for("play.new", **setup),
        like_me_ghost=url_for("play.new", **setup, ghost="mine", mine="like_me"),
        best_ghost=url_for("play.new", **setup, ghost="past", past="best"),
        class_ghost=url_for("play.new", **setup, ghost="classification"),
    )


def _match_format_progress(
    archer: Archer, code: str, bow: str, where: str
) -> ResponseReturnValue:
    """A match format's page (``match_recurve_outdoor``): how the archer
    shoots under pressure in its matches (404 with no finished match on it)."""
    from ...engine import RoundError, match_round
    from ...engine.matches import default_system

    indoor = where == "indoor"
    try:
        rnd = match_round(bow, indoor)
    except RoundError:
        abort(404)
    pressure = _pressure(archer, code)
    if pressure is None:
        abort(404)
    setup: dict[str, Any] = {
        "kind": default_system(bow),
        "bow": bow,
        "indoor": "1" if indoor else "0",
    }
    return render_template(
        "round_history.html",
        rnd=rnd,
        code=code,
        half=False,
        sessions=[],
        new_match=url_for("play.new", **setup),
        pressure=pressure,
    )


def _pressure(archer: Archer, code: str) -> dict[str, Any] | None:
    """How the archer shoots under pressure on a match format, as its page
    shows it; None with no finished match on it."""
    from ...engine.pressure import CLOSE_TOTAL, DECIDING_POINTS, HIGH, LOW
    from ...services.pressure import archer_pressure

    scheme = archer.scheme or "AGB"
    found = archer_pressure(archer.id, scheme, round_code=code)
    if found is None:
        return None

    def number(value: float) -> str:
        return str(format_decimal(round(value, 1)))

    def centile(value: float | None) -> str:
        return "" if value is None else str(format_decimal(round(value)))

    sets, shoot_offs = found.sets, found.shoot_offs
    rows = []
    if sets.enough and sets.percentile is not None:
        rows.append(
            (
                _("Sets"),
                sets.percentile,
                _(
                    "Deciding sets: percentile %(percentile)s of what your level"
                    " predicts",
                    percentile=centile(sets.percentile),
                ),
            )
        )
    if shoot_offs.enough and shoot_offs.percentile is not None:
        rows.append(
            (
                _("Shoot-offs"),
                shoot_offs.percentile,
                _(
                    "Shoot-offs: percentile %(percentile)s of what your level predicts",
                    percentile=centile(shoot_offs.percentile),
                ),
            )
        )
    last = found.last_arrows
    if last.enough and last.percentile is not None:
        rows.append(
            (
                _("Last arrow"),
                last.percentile,
                _(
                    "The last arrow of a set: percentile %(percentile)s of what"
                    " your model predicts",
                    percentile=centile(last.percentile),
                ),
            )
        )
    chart = (
        charts.percentile_chart(
            rows, band=(LOW, HIGH), x_format=lambda v: str(format_decimal(v))
        )
        if rows
        else None
    )
    return {
        "matches": found.matches,
        "points": DECIDING_POINTS,
        "close": CLOSE_TOTAL,
        "low": centile(LOW),
        "high": centile(HIGH),
        "sets": sets,
        "sets_observed": number(sets.observed),
        "sets_expected": number(sets.expected),
        "sets_percentile": centile(sets.percentile),
        "shoot_offs": shoot_offs,
        "won": round(shoot_offs.observed),
        "shoot_offs_expected": number(shoot_offs.expected),
        "shoot_offs_percentile": centile(shoot_offs.percentile),
        "last": last,
        "last_observed": number(last.observed),
        "before_last": number(found.before_last or 0.0),
        "last_percentile": centile(last.percentile),
        "chart": chart,
    }


#: The latest rounds shown as dots on the spread's picture.
SPREAD_DOTS = 30


def _own_spread(
    archer: Archer, rnd: Any, scheme: str, totals: Sequence[int]
) -> dict[str, Any] | None:
    """The archer's own spread as the progress page shows it: the figures in
    this round's points, and a picture of both bands with their scores."""
    from ...services import spread as spreads

    found = spreads.own_spread(archer.id, scheme)
    if found is None:
        return None
    shown = spreads.on_round(found, rnd)

    def points(value: float) -> str:
        return str(format_decimal(round(value)))

    rows = [
        (
            _("You"),
            shown.mean - shown.own,
            shown.mean,
            shown.mean + shown.own,
            list(totals[-SPREAD_DOTS:]),
            _(
                "You: %(low)s to %(high)s",
                low=points(shown.mean - shown.own),
                high=points(shown.mean + shown.own),
            ),
        ),
        (
            _("Your level"),
            shown.mean - shown.typical,
            shown.mean,
            shown.mean + shown.typical,
            [],
            _(
                "Archers of your level: %(low)s to %(high)s",
                low=points(shown.mean - shown.typical),
                high=points(shown.mean + shown.typical),
            ),
        ),
    ]
    return {
        "figures": shown,
        "own": points(shown.own),
        "own_n": round(shown.own),
        "typical": points(shown.typical),
        "typical_n": round(shown.typical),
        "mean": points(shown.mean),
        "chart": charts.range_chart(
            rows,
            x_format=points,
            dot_label=lambda v: _("A round of yours: %(score)s", score=points(v)),
        ),
    }


# -- a finished match: its chance of winning, end by end --------------------------


@dataclass(frozen=True)
class WinChances:
    """The archer's chance of winning before the first end and after each end
    (and shoot-off arrow) of a finished match, and its chart."""

    steps: list[tuple[str, str, float]]  # (axis label, when, chance)
    chart: charts.LineChart


def win_chances(match: Any) -> WinChances | None:
    """For a finished match's page: the chance of winning end by end, or None
    (a match in progress)."""
    if not match.verdict().finished:
        return None
    chances = chances_by_end(match)
    ends, shoot_offs = len(match.archer_ends), len(match.shoot_offs)
    whens = [(_("Start"), _("Before the first end"))]
    whens += [(str(n), _("After end %(n)s", n=n)) for n in range(1, ends + 1)]
    whens += [
        (_("S-O %(n)s", n=n), _("After shoot-off arrow %(n)s", n=n))
        for n in range(1, shoot_offs + 1)
    ]
    steps = [
        (tick, when, chance)
        for (tick, when), chance in zip(whens, chances, strict=True)
        if not math.isnan(chance)
    ]
    if not steps:
        return None
    chart = charts.line_chart(
        [c for _tick, _when, c in steps],
        [
            _("%(when)s: %(chance)s", when=when, chance=percent(c))
            for _tick, when, c in steps
        ],
        x_labels=[tick for tick, _when, _c in steps],
        y_range=(0.0, 1.0),
        y_format=percent,
        guides=(0.5,),
        max_x_ticks=13,
    )
    return WinChances(steps, chart)


@bp.app_template_global("win_chances")
def _win_chances_global(match: Any) -> WinChances | None:
    return win_chances(match)
