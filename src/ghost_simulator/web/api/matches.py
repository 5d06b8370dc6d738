"""Playing through the API: start a match, enter ends, correct the last one,
shoot off, read the sheet and the odds.

Every write is made on the version of the match it was read at: a write that
lost a race (another window, another script), or one made from an old
version the client names (``version`` in the body, or ``If-Match``), is
refused with 409 and the match as it now stands, never half-applied.
"""

from __future__ import annotations

import re
from typing import Any

from flask import request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from ...engine import Match
from ...services import play
from ...services.nights import shot_at
from ..common.limits import limit_match_creation
from . import auth, shapes
from .catalogue import read_setup
from .errors import ApiError
from .models import answers
from .models.requests import MATCH_ID_LENGTH, EndEntry, Setup, ShootOffEntry
from .registry import Answer, Param, operation, reply

MATCH_PARAM = Param(
    "match_id",
    "path",
    {"type": "string", "minLength": 1, "maxLength": MATCH_ID_LENGTH},
    "The match's id (from its state).",
    required=True,
)
IF_MATCH = Param(
    "If-Match",
    "header",
    {"type": "string", "pattern": r'^(\*|(W/)?"?[0-9]{1,9}"?)$'},
    'The version you read, as an entity tag ("3"); or use the `version` field.',
)
CSRF_HEADER = Param(
    "X-CSRFToken",
    "header",
    {"type": "string"},
    "Needed with the session cookie (not with a token): from GET /api/v1/me.",
)
IDEMPOTENCY_KEY = Param(
    "Idempotency-Key",
    "header",
    {"type": "string", "pattern": r"^[A-Za-z0-9_-]{16,64}$"},
    "A key you draw for this end (16 to 64 letters, digits, - or _): the same"
    " end sent again with it (the answer was lost) is not entered twice; you"
    " get the match as it stands.",
)
STATE_LINKS = {
    "GetMatch": {
        "operationId": "get_match",
        "parameters": {"match_id": "$response.body#/id"},
    },
    "AddEnd": {
        "operationId": "add_end",
        "parameters": {"match_id": "$response.body#/id"},
    },
    "MatchOdds": {
        "operationId": "match_odds",
        "parameters": {"match_id": "$response.body#/id"},
    },
    "CorrectEnd": {
        "operationId": "correct_end",
        "parameters": {"match_id": "$response.body#/id"},
    },
}
ETAG = {"ETag": 'The match\'s version, as an entity tag ("3").'}


def not_found(match_id: str) -> ApiError:
    return ApiError(
        404,
        _(
            "There is no match %(id)s for you: check the id, and call as the"
            " archer (or from the browser session) that started it.",
            id=match_id[:32],
        ),
    )


def _load(match_id: str) -> play.Loaded:
    found = play.load(auth.viewer(), match_id)
    if found is None:
        raise not_found(match_id)
    return found


def state(match_id: str, match: Match, version: int, created_at: Any) -> answers.Match:
    return shapes.match_state(match_id, match, version, created_at)


def etag(version: int) -> dict[str, str]:
    return {"ETag": f'"{version}"'}


def conflict(
    message: str, match_id: str, match: Match, version: int, created_at: Any
) -> ApiError:
    return ApiError(
        409,
        message,
        extra={
            "match": state(match_id, match, version, created_at).model_dump(
                mode="json", exclude_unset=True
            )
        },
        headers=etag(version),
    )


def wanted_version(body: EndEntry | ShootOffEntry) -> int | None:
    """The version the client read: the body's ``version``, else If-Match."""
    if body.version is not None:
        return body.version
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return None
    found = re.fullmatch(r'(?:W/)?"?([0-9]{1,9})"?', header.strip())
    if found is None:
        message = _('If-Match is the match version you read, such as "3".')
        raise ApiError(400, message, fields={"If-Match": message})
    return int(found[1])


@operation(
    "POST",
    "/v1/matches",
    summary="Start a match",
    description=(
        "Takes the new-match form's fields, with the same defaults and checks."
        " With a token the match is the archer's; from a browser it belongs to"
        " the session (and to the archer signed in on it)."
    ),
    tag="matches",
    params=(CSRF_HEADER,),
    body=Setup,
    answers=(
        Answer(
            201,
            "The match, started.",
            answers.Match,
            {"Location": "The match's address in the API.", **ETAG},
        ),
    ),
    errors=(429,),
    links=STATE_LINKS,
)
@limit_match_creation  # one budget with the form's, per client address
def create_match(body: Setup) -> ResponseReturnValue:
    who = auth.viewer()
    match_id = play.start(who, read_setup(body).build(who.history))
    found = _load(match_id)
    headers = {"Location": url_for("api.get_match", match_id=match_id)}
    headers.update(etag(found.version))
    answer = state(match_id, found.match, found.version, found.created_at)
    return reply(answer, 201, headers)


@operation(
    "GET",
    "/v1/matches/<match_id>",
    summary="A match's score sheet",
    description=(
        "Your ends and the ghost's for the same ends (never its later arrows),"
        " the totals, set points, status and what is due next."
    ),
    tag="matches",
    params=(MATCH_PARAM,),
    answers=(Answer(200, "The match as it stands.", answers.Match, ETAG),),
)
def get_match(match_id: str) -> ResponseReturnValue:
    found = _load(match_id)
    body = state(match_id, found.match, found.version, found.created_at)
    return reply(body, headers=etag(found.version))


def _enter(match_id: str, entry: play.Entry) -> ResponseReturnValue:
    """Enter it (see :mod:`...services.play`, the pages' path too) and answer:
    the match as it stands when saved or sent again with its key; 409 with
    the match when it changed since the client read it, or the entry no
    longer fits it; 422 naming the field at fault."""
    outcome = play.enter(auth.viewer(), match_id, entry)
    if outcome.result == "missing":
        raise not_found(match_id)
    assert outcome.match is not None
    match, version, created = outcome.match, outcome.version, outcome.created_at
    if outcome.result == "changed":
        if entry.read_version is not None and entry.read_version != version:
            message = _(
                "The match changed since you read version %(wanted)s (in another"
                " window, or by another script): here it is as it stands, at"
                " version %(version)s.",
                wanted=entry.read_version,
                version=version,
            )
        else:
            message = _(
                "The match changed while this entry was being saved (in another"
                " window, or by another script), so it was not saved: here is"
                " the match as it stands."
            )
        raise conflict(message, match_id, match, version, created)
    if outcome.refusal is not None:
        message = play.message(outcome.refusal)
        field = outcome.field
        if field is not None:
            raise ApiError(422, message, fields={field: message})
        raise conflict(message, match_id, match, version, created)
    return reply(state(match_id, match, version, created), headers=etag(version))


def _entry(
    action: str, body: EndEntry | ShootOffEntry, key: str | None = None
) -> play.Entry:
    if isinstance(body, ShootOffEntry):
        arrow = body.arrow
        return play.Entry(
            action,
            arrows=[arrow] if arrow is not None else None,
            closer=body.closer,
            read_version=wanted_version(body),
        )
    return play.Entry(
        action,
        arrows=list(body.arrows) if body.arrows is not None else None,
        total=body.total,
        end=body.end,
        read_version=wanted_version(body),
        key=key,
        shot_at=shot_at(body.shot_at),
        in_order=body.in_order,
    )


PLAY_PARAMS = (MATCH_PARAM, IF_MATCH, CSRF_HEADER)
PLAY_ANSWERS = (Answer(200, "The match with the entry made.", answers.Match, ETAG),)


@operation(
    "POST",
    "/v1/matches/<match_id>/ends",
    summary="Enter the next end",
    description=(
        "Your next end, arrow by arrow or as its total; the ghost's end is"
        " revealed with it."
    ),
    tag="matches",
    params=(*PLAY_PARAMS, IDEMPOTENCY_KEY),
    body=EndEntry,
    answers=PLAY_ANSWERS,
    errors=(409,),
    links=STATE_LINKS,
)
def add_end(match_id: str, body: EndEntry) -> ResponseReturnValue:
    return _enter(match_id, _entry("end", body, idempotency_key()))


def idempotency_key() -> str | None:
    """The ``Idempotency-Key`` header, when sent (400 when malformed)."""
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    if not re.fullmatch(r"[A-Za-z0-9_-]{16,64}", key):
        message = _("The Idempotency-Key is 16 to 64 letters, digits, '-' or '_'.")
        raise ApiError(400, message, fields={"Idempotency-Key": message})
    return key


@operation(
    "POST",
    "/v1/matches/<match_id>/correction",
    summary="Correct the last end",
    description=(
        "Replace your last end (before the next is entered). A finished match,"
        " or one in its shoot-off, cannot be corrected."
    ),
    tag="matches",
    params=PLAY_PARAMS,
    body=EndEntry,
    answers=PLAY_ANSWERS,
    errors=(409,),
    links=STATE_LINKS,
)
def correct_end(match_id: str, body: EndEntry) -> ResponseReturnValue:
    return _enter(match_id, _entry("correction", body))


@operation(
    "POST",
    "/v1/matches/<match_id>/shoot-off",
    summary="Shoot off",
    description=(
        "Your shoot-off arrow; when its value ties the ghost's, also say whose"
        " arrow is closer to the centre (now, or in a second request with"
        " `closer` alone)."
    ),
    tag="matches",
    params=PLAY_PARAMS,
    body=ShootOffEntry,
    answers=PLAY_ANSWERS,
    errors=(409,),
)
def shoot_off(match_id: str, body: ShootOffEntry) -> ResponseReturnValue:
    return _enter(match_id, _entry("shoot_off", body))


@operation(
    "GET",
    "/v1/matches/<match_id>/odds",
    summary="Your chances now",
    description=(
        "Your chance of winning, losing and of a shoot-off from here, knowing"
        " the ghost's ends shown so far and not the ones to come; and the"
        " totals that win half the time. The match page shows the same figures."
    ),
    tag="matches",
    params=(MATCH_PARAM,),
    answers=(Answer(200, "The odds.", answers.Odds, ETAG),),
)
def match_odds(match_id: str) -> ResponseReturnValue:
    from ...services.sheets import build_sheet

    found = _load(match_id)
    sheet = build_sheet(found.match)
    odds = sheet.odds
    assert odds is not None  # the sheet always has a level to go by
    return reply(
        answers.Odds(
            win=odds.win,
            loss=odds.loss,
            shoot_off=odds.shoot_off,
            archer_handicap=sheet.archer_handicap,
            needed=answers.Needed(**sheet.needed),
            status=sheet.verdict.status,
            version=found.version,
        ),
        headers=etag(found.version),
    )
