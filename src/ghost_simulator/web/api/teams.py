"""Team and mixed-team matches against ghosts through the API: start one,
list yours, read one (only the ends shot: never the ghosts' arrows of ends to
come), enter your two arrows of an end and your shoot-off arrows."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from ...services import teams
from ..common.limits import limit_match_creation
from . import auth, shapes
from .errors import ApiError
from .matches import CSRF_HEADER
from .models import teams as models
from .registry import Answer, Param, operation, reply

TEAM_PARAM = Param(
    "team_id",
    "path",
    {"type": "string", "minLength": 1, "maxLength": models.TEAM_ID_LENGTH},
    "The team match's id (from its state).",
    required=True,
)
TEAM_LINKS = {
    "GetTeamMatch": {
        "operationId": "get_team_match",
        "parameters": {"team_id": "$response.body#/id"},
    },
    "EnterTeamEnd": {
        "operationId": "enter_team_end",
        "parameters": {"team_id": "$response.body#/id"},
    },
}


def not_found(match_id: str) -> ApiError:
    return ApiError(
        404,
        _(
            "There is no team match %(id)s for you: check the id, and call as"
            " the archer (or from the browser session) that started it.",
            id=match_id[:32],
        ),
    )


def _links(match_id: str) -> models.TeamLinks:
    return models.TeamLinks(
        self=url_for("api.get_team_match", team_id=match_id),
        page=url_for("team.show", match_id=match_id),
        sheet=url_for("team.sheet", match_id=match_id),
        ends=url_for("api.enter_team_end", team_id=match_id),
        shoot_offs=url_for("api.enter_team_shoot_off", team_id=match_id),
    )


def team_state(loaded: teams.Loaded) -> models.TeamMatch:
    data: dict[str, Any] = teams.public(loaded)
    data["created_at"] = shapes.moment(loaded.stored.created_at)
    data["links"] = _links(loaded.id)
    return models.TeamMatch.model_validate(data)


def _load(match_id: str) -> teams.Loaded:
    found = teams.load(auth.viewer(), match_id)
    if found is None:
        raise not_found(match_id)
    return found


def _refused(exc: teams.TeamInvalid) -> ApiError:
    return ApiError(422, str(exc), fields=exc.errors)


def _stale() -> ApiError:
    message = _("The team match changed since that version was read: read it again.")
    return ApiError(422, message, fields={"version": message})


@operation(
    "POST",
    "/v1/team-matches",
    summary="Start a team match",
    description=(
        "A team (three a side, 6 arrows an end) or mixed-team (two a side, 4"
        " arrows an end) match: you shoot your two arrows of every end, ghost"
        " teammates the rest of your side, and a team of ghosts at `handicap`"
        " the other. First to 5 set points; compound teams by their total over"
        " 4 ends."
    ),
    tag="teams",
    params=(CSRF_HEADER,),
    body=models.TeamSetup,
    answers=(
        Answer(
            201,
            "The team match, started.",
            models.TeamMatch,
            {"Location": "The team match's address in the API."},
        ),
    ),
    errors=(429,),
    links=TEAM_LINKS,
)
@limit_match_creation
def create_team_match(body: models.TeamSetup) -> ResponseReturnValue:
    who = auth.viewer()
    asked = teams.TeamRequest(
        kind=body.kind,
        bow=body.bow,
        indoor=body.indoor,
        handicap=None if body.handicap is None else float(body.handicap),
        teammates=body.teammates,
        teammate_handicap=(
            None if body.teammate_handicap is None else float(body.teammate_handicap)
        ),
        scheme=body.scheme,
    )
    try:
        match_id = teams.create(who, asked)
    except teams.TeamInvalid as exc:
        raise _refused(exc) from None
    headers = {"Location": url_for("api.get_team_match", team_id=match_id)}
    return reply(team_state(_load(match_id)), 201, headers)


@operation(
    "GET",
    "/v1/team-matches",
    summary="Your team matches",
    description="The team matches you (or this browser session) started, newest first.",
    tag="teams",
    answers=(Answer(200, "Your team matches.", models.TeamList),),
)
def list_team_matches() -> ResponseReturnValue:
    listed = teams.list_for(auth.viewer())
    return reply(
        models.TeamList(
            team_matches=[
                models.TeamSummary(
                    id=item.id,
                    kind=item.kind,
                    bow=item.bow,
                    indoor=item.indoor,
                    system=item.system,  # type: ignore[arg-type]
                    status=item.status,
                    created_at=shapes.moment(item.created_at),
                    finished_at=(
                        None
                        if item.finished_at is None
                        else shapes.moment(item.finished_at)
                    ),
                    links=_links(item.id),
                )
                for item in listed
            ]
        )
    )


@operation(
    "GET",
    "/v1/team-matches/<team_id>",
    summary="A team match",
    description=(
        "Where it stands, every end shot (each member's arrows, the totals,"
        " the set points) and the shoot-offs; the seed once it is over."
    ),
    tag="teams",
    params=(TEAM_PARAM,),
    answers=(Answer(200, "The team match as it stands.", models.TeamMatch),),
    links=TEAM_LINKS,
)
def get_team_match(team_id: str) -> ResponseReturnValue:
    return reply(team_state(_load(team_id)))


@operation(
    "POST",
    "/v1/team-matches/<team_id>/ends",
    summary="Enter your arrows of a team end",
    description=(
        "Your 2 arrows of the next end; the ghosts shoot theirs. Refused (422)"
        " when no end is due, an arrow is not on the face, or `version` is not"
        " the match's."
    ),
    tag="teams",
    params=(TEAM_PARAM, CSRF_HEADER),
    body=models.TeamEnd,
    answers=(Answer(200, "The team match, with the end.", models.TeamMatch),),
    links=TEAM_LINKS,
)
def enter_team_end(team_id: str, body: models.TeamEnd) -> ResponseReturnValue:
    match_id = team_id
    try:
        found = teams.add_end(
            auth.viewer(), match_id, list(body.arrows), version=body.version
        )
    except teams.TeamInvalid as exc:
        raise _refused(exc) from None
    except teams.Stale:
        raise _stale() from None
    if found is None:
        raise not_found(match_id)
    return reply(team_state(found))


@operation(
    "POST",
    "/v1/team-matches/<team_id>/shoot-offs",
    summary="Enter your team shoot-off arrow",
    description=(
        "Your shoot-off arrow (the ghosts shoot theirs); when the totals tie"
        " and the rings cannot say who was closer (`needs_closer`), send"
        " `closer` for the arrow already entered."
    ),
    tag="teams",
    params=(TEAM_PARAM, CSRF_HEADER),
    body=models.TeamShootOffEntry,
    answers=(Answer(200, "The team match, with the arrow.", models.TeamMatch),),
    links=TEAM_LINKS,
)
def enter_team_shoot_off(
    team_id: str, body: models.TeamShootOffEntry
) -> ResponseReturnValue:
    match_id = team_id
    try:
        found = teams.add_shoot_off(
            auth.viewer(), match_id, body.arrow, body.closer, version=body.version
        )
    except teams.TeamInvalid as exc:
        raise _refused(exc) from None
    except teams.Stale:
        raise _stale() from None
    if found is None:
        raise not_found(match_id)
    return reply(team_state(found))
