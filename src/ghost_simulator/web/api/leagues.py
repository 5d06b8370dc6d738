"""Postal leagues through the API: a club's leagues, set one up with its
nights (the owner and admins), read one with its standings as the caller may
see them, and delete one (its nights go with it; the members keep their
matches). Each night is an ordinary ghost night: joined and shot through
``/api/v1/clubs/{club_id}/nights/{night_id}``."""

from __future__ import annotations

from flask import url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from ...services import leagues, nights
from . import auth, shapes
from .clubs import CLUB_PARAM, not_found
from .errors import ApiError
from .matches import CSRF_HEADER
from .models import leagues as models
from .reading import as_form
from .registry import Answer, Param, operation, reply

LEAGUE_PARAM = Param(
    "league_id",
    "path",
    {"type": "string", "minLength": 1, "maxLength": models.LEAGUE_ID_LENGTH},
    "The league's id.",
    required=True,
)


def _summary(league: leagues.stored.StoredLeague) -> dict[str, object]:
    return {
        "id": league.id,
        "title": league.title,
        "ranking": league.ranking,
        "nights": league.nights,
        "best": league.best,
        "every_days": league.every_days,
        "timezone": league.timezone,
        "created_at": shapes.moment(league.created_at),
    }


def _no_league(league_id: str) -> ApiError:
    return ApiError(404, _("There is no league %(id)s for you.", id=league_id[:32]))


def _league(club_id: str, league_id: str, archer_id: int) -> models.League:
    try:
        view = leagues.view(club_id, league_id, archer_id)
    except LookupError:
        raise _no_league(league_id) from None
    return models.League(
        **_summary(view.league),  # type: ignore[arg-type]
        club_id=club_id,
        schedule=[
            models.LeagueWeek(
                week=week.week,
                night_id=week.night.id,
                title=week.night.title,
                state=week.state,
                opens_at=shapes.moment(week.night.opens_at),
                closes_at=shapes.moment(week.night.closes_at),
            )
            for week in view.weeks
        ],
        standings=[
            models.Standing(
                rank=row.rank,
                archer_id=row.archer_id,
                shown_as=row.name,
                you=row.you,
                counted=row.counted,
                season=row.figure,
                weeks=[
                    models.WeekResult(
                        week=cell.week,
                        state=cell.state,
                        result=cell.value,
                        best=cell.best,
                    )
                    for cell in row.cells
                ],
            )
            for row in view.standings
        ],
    )


@operation(
    "GET",
    "/v1/clubs/<club_id>/leagues",
    summary="A club's postal leagues",
    description="The club's postal leagues, newest first (for its members).",
    tag="leagues",
    security="archer",
    params=(CLUB_PARAM,),
    answers=(Answer(200, "The club's leagues.", models.LeagueList),),
)
def list_leagues(club_id: str) -> ResponseReturnValue:
    archer = auth.archer_required()
    try:
        listing = leagues.leagues_of(club_id, archer.id)
    except LookupError:
        raise not_found(club_id) from None
    return reply(
        models.LeagueList(
            leagues=[
                models.LeagueSummary(**_summary(league))  # type: ignore[arg-type]
                for league in listing.leagues
            ]
        )
    )


@operation(
    "POST",
    "/v1/clubs/<club_id>/leagues",
    summary="Set up a postal league",
    description=(
        "For the club's owner and admins (403 for a member): the league and"
        " all its nights, each with its own arrows for the ghost, at the same"
        " local times `every_days` apart. Refused (422), with nothing stored,"
        " for a night's bad field (as when setting up a night), 2 to 52"
        " nights, 1 to 31 days apart, a window longer than the days between"
        " the nights, a `best` over `nights`, or nights that would take the"
        " club past 1,000."
    ),
    tag="leagues",
    security="archer",
    params=(CLUB_PARAM, CSRF_HEADER),
    body=models.LeagueSetup,
    errors=(403,),
    answers=(
        Answer(
            201,
            "The league, set up.",
            models.League,
            {"Location": "The league's address in the API."},
        ),
    ),
)
def create_league(club_id: str, body: models.LeagueSetup) -> ResponseReturnValue:
    archer = auth.archer_required()
    form = as_form(body)
    try:
        league_id = leagues.create(club_id, archer.id, form)
    except LookupError:
        raise not_found(club_id) from None
    except nights.NotAllowed:
        raise ApiError(
            403, _("Only the club's owner and admins set up postal leagues.")
        ) from None
    except leagues.LeagueInvalid as exc:
        raise ApiError(422, str(exc), fields=exc.errors) from None
    headers = {
        "Location": url_for("api.get_league", club_id=club_id, league_id=league_id)
    }
    return reply(_league(club_id, league_id, archer.id), 201, headers)


@operation(
    "GET",
    "/v1/clubs/<club_id>/leagues/<league_id>",
    summary="A postal league and its standings",
    description=(
        "The league, its nights and its standings as you may see them: a"
        " night's finished matches count once it has closed (until then you"
        " see only your own result of it); each member's best `best` results"
        " make their season figure."
    ),
    tag="leagues",
    security="archer",
    params=(CLUB_PARAM, LEAGUE_PARAM),
    answers=(Answer(200, "The league.", models.League),),
)
def get_league(club_id: str, league_id: str) -> ResponseReturnValue:
    archer = auth.archer_required()
    return reply(_league(club_id, league_id, archer.id))


@operation(
    "DELETE",
    "/v1/clubs/<club_id>/leagues/<league_id>",
    summary="Delete a postal league",
    description=(
        "The club's owner and admins (403 otherwise): the league, its nights"
        " and their entries go; the matches the members shot stay in their"
        " own history."
    ),
    tag="leagues",
    security="archer",
    params=(CLUB_PARAM, LEAGUE_PARAM, CSRF_HEADER),
    answers=(Answer(204, "The league is deleted.", None),),
    errors=(403,),
)
def delete_league(club_id: str, league_id: str) -> ResponseReturnValue:
    archer = auth.archer_required()
    try:
        leagues.delete(club_id, league_id, archer.id)
    except LookupError:
        raise _no_league(league_id) from None
    except nights.NotAllowed:
        raise ApiError(
            403, _("Only the club's owner and admins delete postal leagues.")
        ) from None
    return "", 204
