"""Playing through the API: start a match, enter ends, correct the last one,
shoot off, read the sheet and the odds.

Every write is made on the version of the match it was read at: a write that
lost a race (another window, another script), or one made from an old
version the client names (``version`` in the body, or ``If-Match``), is
refused with 409 and the match as it now stands, never half-applied.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flask import request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from ...engine import Match, MatchError
from ...store import matches as stored
from ..common.limits import limit_match_creation
from ..play.views import entry_error
from . import auth, shapes
from .catalogue import read_setup
from .errors import ApiError
from .registry import Answer, Param, operation, reply
from .schemas import MATCH_ID

#: The engine's reasons that are about the entry itself (422), by the field
#: at fault; any other reason is about the match as it stands (409).
ENTRY_FIELDS = {
    "bad_label": "arrows",
    "arrow_count": "arrows",
    "bad_total": "total",
    "arrows_or_total": "arrows",
    "bad_closer": "closer",
}

MATCH_PARAM = Param(
    "match_id", "path", MATCH_ID, "The match's id (from its state).", required=True
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


def _load(match_id: str, owner: stored.Owner) -> Any:
    found = stored.load(match_id, owner)
    if found is None:
        raise not_found(match_id)
    return found


def state(match_id: str, match: Match, found: Any, version: int) -> dict[str, Any]:
    return shapes.match_state(match_id, match, version, found.created_at)


def etag(version: int) -> dict[str, str]:
    return {"ETag": f'"{version}"'}


def conflict(
    message: str, match_id: str, match: Match, found: Any, version: int
) -> ApiError:
    return ApiError(
        409,
        message,
        extra={"match": state(match_id, match, found, version)},
        headers=etag(version),
    )


def wanted_version(body: dict[str, Any]) -> int | None:
    """The version the client read: the body's ``version``, else If-Match."""
    if body.get("version") is not None:
        return int(body["version"])
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
    body="Setup",
    answers=(
        Answer(
            201,
            "The match, started.",
            "Match",
            {"Location": "The match's address in the API.", **ETAG},
        ),
    ),
    errors=(429,),
    links=STATE_LINKS,
)
@limit_match_creation  # one budget with the form's, per client address
def create_match(body: dict[str, Any]) -> ResponseReturnValue:
    match = read_setup(body).build(auth.history())
    owner = auth.owner()
    match_id = stored.create(
        owner, match.to_dict(), match.verdict().status, match.summary()
    )
    found = _load(match_id, owner)
    headers = {"Location": url_for("api.get_match", match_id=match_id)}
    headers.update(etag(found.version))
    return reply(state(match_id, match, found, found.version), 201, headers)


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
    answers=(Answer(200, "The match as it stands.", "Match", ETAG),),
)
def get_match(match_id: str) -> ResponseReturnValue:
    found = _load(match_id, auth.owner())
    match = Match.from_dict(found.state)
    return reply(
        state(match_id, match, found, found.version), headers=etag(found.version)
    )


def _play(
    match_id: str,
    body: dict[str, Any],
    action: Callable[[Match], object],
    key: str | None = None,
) -> ResponseReturnValue:
    """Apply an entry to the match as read, and save it only if nobody else
    changed the match meanwhile. With an idempotency ``key`` the match has
    stored already, nothing is entered: the answer is the match as it stands."""
    owner = auth.owner()
    found = _load(match_id, owner)
    match = Match.from_dict(found.state)
    wanted = wanted_version(body)  # a malformed If-Match is refused, keyed or not
    if key is not None and stored.entered_with(match_id, owner, key) is not None:
        return reply(
            state(match_id, match, found, found.version), headers=etag(found.version)
        )
    if wanted is not None and wanted != found.version:
        raise conflict(
            _(
                "The match changed since you read version %(wanted)s (in another"
                " window, or by another script): here it is as it stands, at"
                " version %(version)s.",
                wanted=wanted,
                version=found.version,
            ),
            match_id,
            match,
            found,
            found.version,
        )
    try:
        action(match)
    except MatchError as exc:
        raise refusal(exc, match_id, Match.from_dict(found.state), found) from None
    try:
        version = stored.save(
            match_id,
            owner,
            match.to_dict(),
            match.verdict().status,
            match.summary(),
            version=found.version,
            end_key=key,
        )
    except stored.Repeated:  # a racing request with the same key stored it
        now = _load(match_id, owner)
        same = Match.from_dict(now.state)
        return reply(state(match_id, same, now, now.version), headers=etag(now.version))
    except LookupError:  # deleted meanwhile (the account, say)
        raise not_found(match_id) from None
    except stored.Conflict:
        now = _load(match_id, owner)
        raise conflict(
            _(
                "The match changed while this entry was being saved (in another"
                " window, or by another script), so it was not saved: here is"
                " the match as it stands."
            ),
            match_id,
            Match.from_dict(now.state),
            now,
            now.version,
        ) from None
    return reply(state(match_id, match, found, version), headers=etag(version))


def refusal(exc: MatchError, match_id: str, match: Match, found: Any) -> ApiError:
    """The engine's reason as an answer: 422 naming the field at fault, or
    409 with the match when the entry does not fit the match as it stands."""
    message = entry_error(exc, match) if exc.code != "stale" else str(exc)
    field = ENTRY_FIELDS.get(exc.code)
    if field is not None:
        return ApiError(422, message, fields={field: message})
    return conflict(message, match_id, match, found, found.version)


def _labels_or_total(body: dict[str, Any]) -> tuple[list[str] | None, int | None]:
    labels, total = body.get("arrows"), body.get("total")
    if labels is None and total is None:
        message = _("Give the end's arrows, or its total.")
        raise ApiError(422, message, fields={"arrows": message, "total": message})
    if labels is not None and total is not None:
        raise MatchError(
            "Enter either the end's arrows or its total.", "arrows_or_total"
        )
    return (list(labels) if labels is not None else None), total


PLAY_PARAMS = (MATCH_PARAM, IF_MATCH, CSRF_HEADER)
PLAY_ANSWERS = (Answer(200, "The match with the entry made.", "Match", ETAG),)


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
    body="EndEntry",
    answers=PLAY_ANSWERS,
    errors=(409,),
    links=STATE_LINKS,
)
def add_end(match_id: str, body: dict[str, Any]) -> ResponseReturnValue:
    def enter(match: Match) -> object:
        number = body.get("end")
        due = match.ends_shot + 1
        if number is not None and match.expected_arrows() and number != due:
            raise MatchError(
                _(
                    "This entry is for end %(end)s, but the next end is %(due)s:"
                    " it was sent twice, or from an out-of-date screen. Here is"
                    " the match as it stands.",
                    end=number,
                    due=due,
                ),
                "stale",
            )
        labels, total = _labels_or_total(body)
        return match.add_end(labels, total=total)

    return _play(match_id, body, enter, idempotency_key())


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
    body="EndEntry",
    answers=PLAY_ANSWERS,
    errors=(409,),
    links=STATE_LINKS,
)
def correct_end(match_id: str, body: dict[str, Any]) -> ResponseReturnValue:
    def replace_last(match: Match) -> object:
        if match.verdict().finished:
            raise MatchError(
                _("This match is over: its ends can no longer be corrected."),
                "stale",
            )
        number = body.get("end")
        if number is not None and match.ends_shot and number != match.ends_shot:
            raise MatchError(
                _(
                    "Only the last end, end %(last)s, can be corrected; this"
                    " correction is for end %(end)s.",
                    last=match.ends_shot,
                    end=number,
                ),
                "stale",
            )
        labels, total = _labels_or_total(body)
        return match.correct_last_end(labels, total=total)

    return _play(match_id, body, replace_last)


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
    body="ShootOffEntry",
    answers=PLAY_ANSWERS,
    errors=(409,),
)
def shoot_off(match_id: str, body: dict[str, Any]) -> ResponseReturnValue:
    def shoot(match: Match) -> object:
        pending = bool(match.shoot_offs) and match.shoot_offs[-1].result is None
        closer = body.get("closer")
        label = body.get("arrow")
        if pending:
            if closer is None:
                message = _("Say whose arrow is closer to the centre.")
                raise ApiError(422, message, fields={"closer": message})
            label = match.shoot_offs[-1].archer.label
        elif label is None:
            if match.verdict().status != "shoot_off":
                raise MatchError("No shoot-off is due.", "no_shoot_off")
            message = _("Give your shoot-off arrow's value.")
            raise ApiError(422, message, fields={"arrow": message})
        try:
            return match.add_shoot_off(label, closer)
        except MatchError as exc:
            if exc.code == "bad_label":
                message = entry_error(exc, match)
                raise ApiError(422, message, fields={"arrow": message}) from None
            raise

    return _play(match_id, body, shoot)


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
    answers=(Answer(200, "The odds.", "Odds", ETAG),),
)
def match_odds(match_id: str) -> ResponseReturnValue:
    from ...services.sheets import build_sheet

    found = _load(match_id, auth.owner())
    sheet = build_sheet(Match.from_dict(found.state))
    odds = sheet.odds
    assert odds is not None  # the sheet always has a level to go by
    return reply(
        {
            "win": odds.win,
            "loss": odds.loss,
            "shoot_off": odds.shoot_off,
            "archer_handicap": sheet.archer_handicap,
            "needed": dict(sheet.needed),
            "status": sheet.verdict.status,
            "version": found.version,
        },
        headers=etag(found.version),
    )
