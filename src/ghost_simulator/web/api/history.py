"""The calling archer's history: their matches, filtered and paged as the
history page does it, and one match with how their chances moved."""

from __future__ import annotations

import math
from typing import Any

from flask import request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from ...engine import Match
from ...services import history as pages
from ...store import history as stored_history
from ...store import matches as stored
from . import auth, shapes
from .errors import ApiError
from .matches import MATCH_PARAM, etag, not_found
from .models import answers
from .models.requests import HistoryQuery, PressureQuery, SpreadQuery
from .registry import Answer, operation, reply

#: Matches on a page unless ``per_page`` says otherwise.
PER_PAGE = pages.PAGE_SIZE

FILTERS = ("round", "bow", "ghost", "since", "until", "page")


def _filter_problems(args: Any, shot: list[str]) -> dict[str, str]:
    """Each filter's own problem, read alone (the history page's rules)."""
    problems: dict[str, str] = {}
    for name in FILTERS:
        if name in args:
            errors = pages.parse_filters(
                {name: args[name]}, shot, any_round=True
            ).errors
            if errors:
                problems[name] = errors[0]
    return problems


@operation(
    "GET",
    "/v1/history",
    summary="Your history",
    description=(
        "Your matches and rounds, newest first, with the history page's filters;"
        " a page at a time."
    ),
    tag="history",
    security="archer",
    query=HistoryQuery,
    answers=(Answer(200, "A page of your history.", answers.HistoryPage),),
    errors=(404,),
)
def history(query: HistoryQuery) -> ResponseReturnValue:
    archer = auth.archer_required()
    shot = [code for code, _half, _n in stored_history.rounds_shot(archer.id)]
    filters = pages.parse_filters(request.args, shot, any_round=True)
    if filters.errors:
        raise ApiError(
            400,
            " ".join(filters.errors),
            fields=_filter_problems(request.args, shot),
        )
    per_page = query.per_page or PER_PAGE
    offset = (filters.page - 1) * per_page
    rows, total = stored_history.list_matches(
        archer.id, **filters.store_filters(), limit=per_page, offset=offset
    )
    pages_count = max(1, math.ceil(total / per_page))
    if filters.page > pages_count:
        raise ApiError(
            404,
            _(
                "There is no page %(page)s: these filters give %(pages)s.",
                page=filters.page,
                pages=pages_count,
            ),
        )
    return reply(
        answers.HistoryPage(
            matches=[
                shapes.history_item(
                    row, pages.what_was_shot(row.kind, row.round_code, row.half)
                )
                for row in rows
            ],
            total=total,
            page=filters.page,
            per_page=per_page,
            pages=pages_count,
        )
    )


def _win_chances(match: Match) -> list[answers.WinChance]:
    if not match.verdict().finished:
        return []
    steps = ["start"]
    steps += [f"end {n}" for n in range(1, match.ends_shot + 1)]
    steps += [f"shoot-off {n}" for n in range(1, len(match.shoot_offs) + 1)]
    return [
        answers.WinChance(after=step, win=chance)
        for step, chance in zip(steps, pages.chances_by_end(match), strict=True)
        if not math.isnan(chance)
    ]


@operation(
    "GET",
    "/v1/history/<match_id>",
    summary="One of your matches",
    description=(
        "One of your matches, wherever you played it, and for a finished one"
        " your chance of winning before it and after each end."
    ),
    tag="history",
    security="archer",
    params=(MATCH_PARAM,),
    answers=(
        Answer(200, "The match.", answers.HistoryMatch, {"ETag": "Its version."}),
    ),
)
def history_match(match_id: str) -> ResponseReturnValue:
    archer = auth.archer_required()
    found = stored.load_own(match_id, archer.id)
    if found is None:
        raise not_found(match_id)
    match = Match.from_dict(found.state)
    body = answers.HistoryMatch(
        match=shapes.match_state(match_id, match, found.version, found.created_at),
        win_chances=_win_chances(match),
    )
    return reply(body, headers=etag(found.version))


@operation(
    "GET",
    "/v1/spread",
    summary="Your own spread",
    description=(
        "How much you vary from one day to the next (form) and within a day"
        " (drift), estimated from your finished ranking rounds and shrunk toward"
        " archers of your level; the figures the odds and a ghost `like_me` use."
        " Fewer than 10 comparable rounds: your level's figures, and `own` is"
        " false."
    ),
    tag="history",
    security="archer",
    query=SpreadQuery,
    answers=(Answer(200, "Your spread.", answers.Spread),),
    errors=(400, 404),
)
def spread(query: SpreadQuery) -> ResponseReturnValue:
    from ...engine import RoundError, get_round
    from ...services import spread as spreads

    archer = auth.archer_required()
    rnd = None
    if query.round:
        code, _sep, half = query.round.partition(":")
        try:
            rnd = get_round(code, bow=archer.bowstyle or "recurve", half=bool(half))
        except RoundError as exc:
            raise ApiError(
                404, _("There is no round %(code)s.", code=query.round)
            ) from exc
    found = spreads.own_spread(archer.id, query.scheme or archer.scheme or "AGB")
    if found is None:
        raise ApiError(
            400,
            _(
                "You have no finished ranking round yet: a spread is measured"
                " from your rounds."
            ),
        )
    return reply(answers.Spread(**spreads.as_dict(found, rnd)))


@operation(
    "GET",
    "/v1/pressure",
    summary="You under pressure",
    description=(
        "How you shoot when the match is on the line: your sets at 4-4 and the"
        " close last ends of cumulative matches, and your shoot-offs, each"
        " against what your own level predicted at that moment, as a"
        " percentile (50: exactly your level; 80 or more: calmer than your"
        " level; 20 or less: below it). The order of arrows within a set is"
        " not kept, so the last arrow is not compared with the first two."
    ),
    tag="history",
    security="archer",
    query=PressureQuery,
    answers=(Answer(200, "Your figures under pressure.", answers.Pressure),),
    errors=(400, 404),
)
def pressure(query: PressureQuery) -> ResponseReturnValue:
    from ...services import pressure as pressures

    archer = auth.archer_required()
    found = pressures.archer_pressure(
        archer.id,
        query.scheme or archer.scheme or "AGB",
        round_code=query.round,
        bow=query.bow,
    )
    if found is None:
        raise ApiError(
            404,
            _(
                "You have no finished elimination match (on this format, with"
                " this bow) yet."
            ),
        )
    return reply(answers.Pressure(**pressures.as_dict(found)))
