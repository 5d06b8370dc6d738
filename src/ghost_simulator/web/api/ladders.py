"""Ghost ladders through the API: start one, list yours, read one (its
estimate of your level, its matches, the next ghost and your exact chance
against it) and start its next match, which is then played as any match is
(``/api/v1/matches/{id}/ends``)."""

from __future__ import annotations

from flask import Response, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from ...services import ladders, play
from ..common.limits import limit_match_creation
from . import auth, shapes
from .errors import ApiError
from .matches import CSRF_HEADER, ETAG, STATE_LINKS, etag, state
from .models import answers
from .models import ladders as models
from .registry import Answer, Param, operation, reply

LADDER_PARAM = Param(
    "ladder_id",
    "path",
    {"type": "string", "minLength": 1, "maxLength": models.LADDER_ID_LENGTH},
    "The ladder's id (from its state).",
    required=True,
)
LADDER_LINKS = {
    "GetLadder": {
        "operationId": "get_ladder",
        "parameters": {"ladder_id": "$response.body#/id"},
    },
    "ShootNextMatch": {
        "operationId": "shoot_ladder_match",
        "parameters": {"ladder_id": "$response.body#/id"},
    },
}


def not_found(ladder_id: str) -> ApiError:
    return ApiError(
        404,
        _(
            "There is no ladder %(id)s for you: check the id, and call as the"
            " archer (or from the browser session) that started it.",
            id=ladder_id[:32],
        ),
    )


def _links(ladder_id: str) -> models.LadderLinks:
    return models.LadderLinks(
        self=url_for("api.get_ladder", ladder_id=ladder_id),
        page=url_for("ladder.show", ladder_id=ladder_id),
        matches=url_for("api.shoot_ladder_match", ladder_id=ladder_id),
    )


def _format(found: ladders.stored.StoredLadder) -> models.LadderFormat:
    fmt = ladders.LadderFormat(
        found.kind, found.bow, found.indoor, found.round_code, found.scheme
    )
    return models.LadderFormat(
        kind=fmt.kind,
        bow=fmt.bow,
        indoor=fmt.indoor,
        round=ladders.format_code(fmt),
        round_name=fmt.round.name,
        scheme=fmt.scheme,
    )


def ladder_state(found: ladders.State) -> models.Ladder:
    return models.Ladder(
        id=found.id,
        created_at=shapes.moment(found.stored.created_at),
        format=_format(found.stored),
        target=found.target,
        start_level=found.stored.start_level,
        start=found.stored.start_source,
        estimate=models.LadderEstimate(
            level=found.estimate.level, uncertainty=found.estimate.uncertainty
        ),
        rungs=[
            models.LadderRung(
                number=step.rung.number,
                match_id=step.match_id,
                estimate=step.rung.estimate,
                ghost=step.rung.ghost,
                chance=step.rung.chance,
                result=step.rung.result,
                earned=step.rung.earned,
            )
            for step in found.steps
        ],
        won=found.won,
        lost=found.lost,
        tied=found.tied,
        win_rate=found.win_rate,
        next_ghost=models.NextGhost(
            handicap=found.next_ghost, chance=found.next_chance
        ),
        match_in_progress=found.in_progress,
        links=_links(found.id),
    )


def _load(ladder_id: str) -> ladders.State:
    found = ladders.load(auth.viewer(), ladder_id)
    if found is None:
        raise not_found(ladder_id)
    return found


@operation(
    "POST",
    "/v1/ladders",
    summary="Start a ghost ladder",
    description=(
        "A string of matches whose next ghost is always the one you beat"
        " `target` of the time, as the ladder believes your level from the"
        " arrows of every match so far. With a token the ladder is the"
        " archer's; from a browser it belongs to the session (and to the archer"
        " signed in on it)."
    ),
    tag="ladders",
    params=(CSRF_HEADER,),
    body=models.LadderSetup,
    answers=(
        Answer(
            201,
            "The ladder, started.",
            models.Ladder,
            {"Location": "The ladder's address in the API."},
        ),
    ),
    links=LADDER_LINKS,
)
def create_ladder(body: models.LadderSetup) -> ResponseReturnValue:
    who = auth.viewer()
    asked = ladders.LadderRequest(
        kind=body.kind,
        bow=body.bow,
        indoor=body.indoor,
        round_code=body.round,
        target=float(body.target),
        start=body.start,
        handicap=None if body.handicap is None else float(body.handicap),
        score=None if body.score is None else float(body.score),
        scheme=body.scheme,
    )
    try:
        ladder_id = ladders.create(who, asked)
    except ladders.LadderInvalid as exc:
        raise ApiError(422, str(exc), fields=exc.errors) from None
    found = _load(ladder_id)
    headers = {"Location": url_for("api.get_ladder", ladder_id=ladder_id)}
    return reply(ladder_state(found), 201, headers)


@operation(
    "GET",
    "/v1/ladders",
    summary="Your ghost ladders",
    description="The ladders you (or this browser session) started, newest first.",
    tag="ladders",
    answers=(Answer(200, "Your ladders.", models.LadderList),),
)
def list_ladders() -> ResponseReturnValue:
    listed = ladders.ladders_of(auth.viewer())
    return reply(
        models.LadderList(
            ladders=[
                models.LadderSummary(
                    id=item.ladder.id,
                    created_at=shapes.moment(item.ladder.created_at),
                    format=_format(item.ladder),
                    target=item.ladder.target,
                    matches=item.finished,
                    won=item.won,
                    links=_links(item.ladder.id),
                )
                for item in listed
            ]
        )
    )


@operation(
    "GET",
    "/v1/ladders/<ladder_id>",
    summary="A ghost ladder",
    description=(
        "Its format and target, what it believes of your level now, its"
        " finished matches (the ghost, your exact chance, the result and the"
        " level your arrows earned), the next ghost and your exact chance"
        " against it, and its match in progress, if any."
    ),
    tag="ladders",
    params=(LADDER_PARAM,),
    answers=(Answer(200, "The ladder as it stands.", models.Ladder),),
    links=LADDER_LINKS,
)
def get_ladder(ladder_id: str) -> ResponseReturnValue:
    return reply(ladder_state(_load(ladder_id)))


@operation(
    "POST",
    "/v1/ladders/<ladder_id>/matches",
    summary="Shoot the ladder's next match",
    description=(
        "Starts the ladder's next match, against its next ghost (201); while"
        " one of its matches is not finished, answers that one instead (200)."
        " Play it with the match operations."
    ),
    tag="ladders",
    params=(LADDER_PARAM, CSRF_HEADER),
    answers=(
        Answer(
            201,
            "The next match, started.",
            answers.Match,
            {"Location": "The match's address in the API.", **ETAG},
        ),
        Answer(200, "The ladder's match in progress.", answers.Match, ETAG),
    ),
    errors=(403, 429),  # no body, but a write: the session's CSRF header
    links=STATE_LINKS,
)
@limit_match_creation  # one budget with the other ways to start a match
def shoot_ladder_match(ladder_id: str) -> ResponseReturnValue:
    who = auth.viewer()
    shot = ladders.shoot_next(who, ladder_id)
    if shot is None:
        raise not_found(ladder_id)
    match_id, made = shot
    found = play.load(who, match_id)
    if found is None:  # pragma: no cover - made for this viewer just now
        raise not_found(ladder_id)
    answer = state(match_id, found.match, found.version, found.created_at)
    headers = {"Location": url_for("api.get_match", match_id=match_id)}
    headers.update(etag(found.version))
    return reply(answer, 201 if made else 200, headers)


@operation(
    "DELETE",
    "/v1/ladders/<ladder_id>",
    summary="Delete a ghost ladder",
    description=(
        "Deletes the ladder and its record. Its matches are not deleted: they"
        " stay among your matches (and in your history)."
    ),
    tag="ladders",
    params=(LADDER_PARAM, CSRF_HEADER),
    answers=(Answer(204, "The ladder is deleted.", None),),
    errors=(403,),  # no body, but a write: the session's CSRF header
)
def delete_ladder(ladder_id: str) -> ResponseReturnValue:
    if not ladders.delete(auth.viewer(), ladder_id):
        raise not_found(ladder_id)
    return Response(status=204)
