"""Ghost nights through the API: a club's nights, set one up (the owner and
admins), read one with its leaderboard as the caller may see it, and join
(the match is then played as any match: ``/api/v1/matches/{id}/ends``)."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from ...services import nights
from . import auth, shapes
from .clubs import CLUB_PARAM, not_found
from .errors import ApiError
from .matches import CSRF_HEADER
from .models import nights as models
from .reading import as_form
from .registry import Answer, Param, operation, reply

NIGHT_PARAM = Param(
    "night_id",
    "path",
    {"type": "string", "minLength": 1, "maxLength": models.NIGHT_ID_LENGTH},
    "The ghost night's id.",
    required=True,
)


def _summary(night: nights.stored.StoredNight) -> dict[str, Any]:
    return {
        "id": night.id,
        "title": night.title,
        "ranking": night.ranking,
        "state": nights.state_of(night),
        "opens_at": shapes.moment(night.opens_at),
        "closes_at": shapes.moment(night.closes_at),
        "timezone": night.timezone,
    }


def _night(club_id: str, night_id: str, archer_id: int) -> models.Night:
    try:
        view = nights.view(club_id, night_id, archer_id)
    except LookupError:
        raise ApiError(
            404, _("There is no ghost night %(id)s for you.", id=night_id[:32])
        ) from None
    return models.Night(
        **_summary(view.night),
        club_id=club_id,
        version=view.night.version,
        round_name=str(view.format.get("round") or ""),
        ghost_handicap=view.ghost_handicap,
        your_match=view.your_match,
        leaderboard=[
            models.LeaderboardRow(
                rank=row.rank,
                archer_id=row.archer_id,
                shown_as=row.name,
                you=row.you,
                ends_shot=row.ends_shot,
                total=row.total,
                finished=row.finished,
                compared_ends=row.compared,
                ghost_total=row.ghost_total,
                margin=row.margin,
                percentile=row.percentile,
                late=row.late,
            )
            for row in view.rows
        ],
    )


@operation(
    "GET",
    "/v1/clubs/<club_id>/nights",
    summary="A club's ghost nights",
    description="The club's ghost nights, newest first (for its members).",
    tag="nights",
    security="archer",
    params=(CLUB_PARAM,),
    answers=(Answer(200, "The club's nights.", models.NightList),),
)
def list_nights(club_id: str) -> ResponseReturnValue:
    archer = auth.archer_required()
    try:
        listing = nights.nights_of(club_id, archer.id)
    except LookupError:
        raise not_found(club_id) from None
    return reply(
        models.NightList(
            nights=[models.NightSummary(**_summary(n)) for n in listing.nights]
        )
    )


@operation(
    "POST",
    "/v1/clubs/<club_id>/nights",
    summary="Set up a ghost night",
    description=(
        "For the club's owner and admins (403 for a member). Refused (422),"
        " with nothing stored, for a window already closed, a close before the"
        " open, more than 14 days, an unknown timezone, a bad format or ghost,"
        " or a club that keeps 1,000 nights already."
    ),
    tag="nights",
    security="archer",
    params=(CLUB_PARAM, CSRF_HEADER),
    body=models.NightSetup,
    errors=(403,),
    answers=(
        Answer(
            201,
            "The night, set up.",
            models.Night,
            {"Location": "The night's address in the API."},
        ),
    ),
)
def create_night(club_id: str, body: models.NightSetup) -> ResponseReturnValue:
    archer = auth.archer_required()
    form = as_form(body)
    try:
        night_id = nights.create(club_id, archer.id, form)
    except LookupError:
        raise not_found(club_id) from None
    except nights.NotAllowed:
        raise ApiError(
            403, _("Only the club's owner and admins set up ghost nights.")
        ) from None
    except nights.NightInvalid as exc:
        raise ApiError(422, str(exc), fields=exc.errors) from None
    headers = {"Location": url_for("api.get_night", club_id=club_id, night_id=night_id)}
    return reply(_night(club_id, night_id, archer.id), 201, headers)


@operation(
    "GET",
    "/v1/clubs/<club_id>/nights/<night_id>",
    summary="A ghost night",
    description=(
        "The night, your match on it, and its leaderboard as you may see it:"
        " the ghost's total and the margins only as far as you have shot"
        " yourself, all of it once the night has closed."
    ),
    tag="nights",
    security="archer",
    params=(CLUB_PARAM, NIGHT_PARAM),
    answers=(Answer(200, "The night.", models.Night),),
)
def get_night(club_id: str, night_id: str) -> ResponseReturnValue:
    archer = auth.archer_required()
    return reply(_night(club_id, night_id, archer.id))


@operation(
    "POST",
    "/v1/clubs/<club_id>/nights/<night_id>/entry",
    summary="Join a ghost night",
    description=(
        "Your match on the night: made now (201), or the one you have (200)."
        " Its ends are entered at /api/v1/matches/{id}/ends as any match's."
        " Refused (422) before the night opens or after it has closed."
    ),
    tag="nights",
    security="archer",
    params=(CLUB_PARAM, NIGHT_PARAM, CSRF_HEADER),
    errors=(403, 422),
    answers=(
        Answer(201, "Joined: your match.", models.NightEntry),
        Answer(200, "Joined before: your match.", models.NightEntry),
    ),
)
def join_night(club_id: str, night_id: str) -> ResponseReturnValue:
    auth.archer_required()
    try:
        match_id, made = nights.join(auth.viewer(), club_id, night_id)
    except LookupError:
        raise ApiError(
            404, _("There is no ghost night %(id)s for you.", id=night_id[:32])
        ) from None
    except nights.Outside as exc:
        raise ApiError(422, str(exc)) from None
    entry = models.NightEntry(
        match_id=match_id, match=url_for("api.get_match", match_id=match_id)
    )
    return reply(entry, 201 if made else 200)
