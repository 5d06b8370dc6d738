"""Shared rounds through the API: share one of your finished ranking rounds
with one of your clubs or as a link (its address answered once), list and
revoke your shares, and start a match against a shared link's round."""

from __future__ import annotations

from flask import url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from ...services import play, shares
from . import auth, shapes
from .errors import ApiError
from .matches import CSRF_HEADER, etag, state
from .models import answers
from .models import shares as models
from .registry import Answer, Param, operation, reply

SHARE_PARAM = Param(
    "share_id",
    "path",
    {"type": "string", "minLength": 1, "maxLength": models.SHARE_ID_LENGTH},
    "The share's id.",
    required=True,
)
TOKEN_PARAM = Param(
    "token",
    "path",
    {"type": "string", "minLength": 1, "maxLength": models.SHARE_TOKEN_LENGTH},
    "The link's token (the last part of its address).",
    required=True,
)


def _gone() -> ApiError:
    return ApiError(404, _("This round is no longer shared."))


def _share(share: shares.Share) -> models.Share:
    return models.Share(
        id=share.id,
        match_id=share.match_id,
        round=shares.round_name(share),
        total=share.archer_total,
        club_id=share.club_id,
        created_at=shapes.moment(share.created_at),
        revoked_at=shapes.moment(share.revoked_at) if share.revoked_at else None,
    )


@operation(
    "POST",
    "/v1/shares",
    summary="Share a round",
    description=(
        "Share one of your finished ranking rounds with one of your clubs"
        " (``club_id``) or as a link (``link``: true). The link is answered"
        " only this once. 404 for a match that is not yours or a club you are"
        " not in; 422 for a match format or an unfinished round, or past"
        " 1,000 shares."
    ),
    tag="shares",
    security="archer",
    params=(CSRF_HEADER,),
    body=models.ShareSetup,
    answers=(Answer(201, "The share.", models.NewShare),),
    errors=(404,),
)
def create_share(body: models.ShareSetup) -> ResponseReturnValue:
    archer = auth.archer_required()
    if (body.club_id is None) == (not body.link):
        message = _("Choose one of your clubs, or a link.")
        raise ApiError(422, message, fields={"club_id": message})
    try:
        made = shares.share(archer.id, body.match_id, body.club_id)
    except shares.ShareError as exc:
        if exc.code == "missing":
            raise ApiError(404, _("No such round.")) from None
        if exc.code == "no_club":
            raise ApiError(404, _("You are in no such club.")) from None
        raise ApiError(422, _share_refusal(exc)) from None
    found = next(s for s in shares.mine(archer.id) if s.id == made.share_id)
    link = (
        url_for("share.link", token=made.token, _external=True)
        if made.token is not None
        else None
    )
    return reply(models.NewShare(**_share(found).model_dump(), link=link), 201)


def _share_refusal(exc: shares.ShareError) -> str:
    from ..share.views import refusal

    return refusal(exc)


@operation(
    "GET",
    "/v1/shares",
    summary="Your shares",
    description="The rounds you shared, newest first (revoked ones too).",
    tag="shares",
    security="archer",
    answers=(Answer(200, "Your shares.", models.ShareList),),
)
def list_shares() -> ResponseReturnValue:
    archer = auth.archer_required()
    return reply(models.ShareList(shares=[_share(s) for s in shares.mine(archer.id)]))


@operation(
    "DELETE",
    "/v1/shares/<share_id>",
    summary="Revoke a share",
    description=(
        "Its link and its club entry show nothing from now on; matches shot"
        " against it keep their ghost. 404 for no live share of yours."
    ),
    tag="shares",
    security="archer",
    params=(SHARE_PARAM, CSRF_HEADER),
    answers=(Answer(204, "The share is revoked.", None),),
    errors=(403,),
)
def revoke_share(share_id: str) -> ResponseReturnValue:
    archer = auth.archer_required()
    if not shares.revoke(archer.id, share_id):
        raise ApiError(404, _("You have no such share."))
    return "", 204


@operation(
    "POST",
    "/v1/shares/<token>/matches",
    summary="Shoot against a shared round",
    description=(
        "A new match of yours on the same round, the ghost shooting the shared"
        " round's arrows end by end. 404 for a revoked or unknown link."
    ),
    tag="shares",
    security="archer",
    params=(TOKEN_PARAM, CSRF_HEADER),
    answers=(
        Answer(
            201,
            "The match, started.",
            answers.Match,
            {"Location": "The match's address in the API."},
        ),
    ),
    errors=(403,),
)
def shoot_shared(token: str) -> ResponseReturnValue:
    auth.archer_required()
    share = shares.by_token(token)
    if share is None:
        raise _gone()
    match_id = shares.shoot_against(auth.viewer(), share)
    if match_id is None:
        raise _gone()
    found = play.load(auth.viewer(), match_id)
    if found is None:
        raise _gone()
    headers = {"Location": url_for("api.get_match", match_id=match_id)}
    headers.update(etag(found.version))
    return reply(
        state(match_id, found.match, found.version, found.created_at), 201, headers
    )
