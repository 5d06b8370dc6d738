"""Clubs through the API: your clubs, start one, read one (its members as the
club sees them), delete it (the owner), make an invitation (the owner and
admins: its link is answered once), join with an invitation's token, and
leave or remove a member."""

from __future__ import annotations

from flask import url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from ...services import clubs
from ...store import clubs as stored
from ..common.limits import INVITE_LOOKUP, limiter
from . import auth, shapes
from .errors import ApiError
from .matches import CSRF_HEADER
from .models import clubs as models
from .registry import Answer, Param, operation, reply

CLUB_PARAM = Param(
    "club_id",
    "path",
    {"type": "string", "minLength": 1, "maxLength": models.CLUB_ID_LENGTH},
    "The club's id.",
    required=True,
)
ARCHER_PARAM = Param(
    "archer_id",
    "path",
    {"type": "integer", "minimum": 1},
    "The member's archer id (yours, to leave).",
    required=True,
)


def not_found(club_id: str) -> ApiError:
    return ApiError(
        404,
        _("You are in no club %(id)s: check the id.", id=club_id[:32]),
    )


def _refused(exc: clubs.ClubInvalid) -> ApiError:
    return ApiError(422, str(exc), fields=exc.errors)


def _forbidden(exc: clubs.NotAllowed) -> ApiError:
    return ApiError(403, str(exc))


def _club(club_id: str, archer_id: int) -> models.Club:
    try:
        seen = clubs.view(club_id, archer_id)
    except LookupError:
        raise not_found(club_id) from None
    return models.Club(
        id=seen.club.id,
        name=seen.club.name,
        location=seen.club.location,
        description=seen.club.description,
        role=seen.role,
        created_at=shapes.moment(seen.club.created_at),
        members=[
            models.ClubMember(
                archer_id=m.archer_id,
                shown_as=m.display,
                role=m.role,
                shares_history=m.shares_history,
                joined_at=shapes.moment(m.joined_at),
            )
            for m in seen.members
        ],
    )


@operation(
    "GET",
    "/v1/clubs",
    summary="Your clubs",
    description="The clubs you are a member of, by name, with your role.",
    tag="clubs",
    security="archer",
    answers=(Answer(200, "Your clubs.", models.ClubList),),
)
def list_clubs() -> ResponseReturnValue:
    archer = auth.archer_required()
    return reply(
        models.ClubList(
            clubs=[
                models.ClubSummary(
                    id=m.club.id,
                    name=m.club.name,
                    location=m.club.location,
                    description=m.club.description,
                    role=m.role,
                    members=m.members,
                    created_at=shapes.moment(m.club.created_at),
                )
                for m in stored.clubs_of(archer.id)
            ]
        )
    )


@operation(
    "POST",
    "/v1/clubs",
    summary="Start a club",
    description=(
        "A new club with you as its owner. Refused (422) for a name of more"
        " than 100 characters (or none), a location of more than 100, a"
        " description of more than 500, or when you are in 50 clubs already."
    ),
    tag="clubs",
    security="archer",
    params=(CSRF_HEADER,),
    body=models.ClubSetup,
    answers=(
        Answer(
            201,
            "The club, started.",
            models.Club,
            {"Location": "The club's address in the API."},
        ),
    ),
)
def create_club(body: models.ClubSetup) -> ResponseReturnValue:
    archer = auth.archer_required()
    try:
        club_id = clubs.create(archer.id, body.model_dump())
    except clubs.ClubInvalid as exc:
        raise _refused(exc) from None
    headers = {"Location": url_for("api.get_club", club_id=club_id)}
    return reply(_club(club_id, archer.id), 201, headers)


@operation(
    "GET",
    "/v1/clubs/<club_id>",
    summary="A club",
    description=(
        "The club and its members as the club sees them (each by their name or"
        " initials, as they chose). 404 for a club you are not a member of."
    ),
    tag="clubs",
    security="archer",
    params=(CLUB_PARAM,),
    answers=(Answer(200, "The club.", models.Club),),
)
def get_club(club_id: str) -> ResponseReturnValue:
    archer = auth.archer_required()
    return reply(_club(club_id, archer.id))


@operation(
    "DELETE",
    "/v1/clubs/<club_id>",
    summary="Delete a club",
    description=(
        "The owner only (403 otherwise): the club, its members' places, its"
        " invitations and its ghost nights go; the matches its members shot"
        " stay in their own history."
    ),
    tag="clubs",
    security="archer",
    params=(CLUB_PARAM, CSRF_HEADER),
    answers=(Answer(204, "The club is deleted.", None),),
    errors=(403,),
)
def delete_club(club_id: str) -> ResponseReturnValue:
    archer = auth.archer_required()
    try:
        clubs.delete(club_id, archer.id)
    except LookupError:
        raise not_found(club_id) from None
    except clubs.NotAllowed as exc:
        raise _forbidden(exc) from None
    return "", 204


@operation(
    "POST",
    "/v1/clubs/<club_id>/invitations",
    summary="Make an invitation link",
    description=(
        "The owner and admins (403 otherwise). The link is answered only this"
        " once: the server keeps a hash of its token."
    ),
    tag="clubs",
    security="archer",
    params=(CLUB_PARAM, CSRF_HEADER),
    body=models.InvitationSetup,
    answers=(Answer(201, "The invitation.", models.Invitation),),
    errors=(403,),
)
def create_club_invitation(
    club_id: str, body: models.InvitationSetup
) -> ResponseReturnValue:
    archer = auth.archer_required()
    try:
        token = clubs.invite(club_id, archer.id, body.days)
    except LookupError:
        raise not_found(club_id) from None
    except clubs.NotAllowed as exc:
        raise _forbidden(exc) from None
    except clubs.ClubInvalid as exc:
        raise _refused(exc) from None
    live = stored.invites(club_id)
    hashed = stored.token_hash(token)
    expires = next(i.expires_at for i in live if i.token_hash == hashed)
    return reply(
        models.Invitation(
            token=token,
            link=url_for("club.join", token=token, _external=True),
            expires_at=shapes.moment(expires),
        ),
        201,
    )


@operation(
    "POST",
    "/v1/clubs/invitations/join",
    summary="Join a club",
    description=(
        "With the token of a live invitation link (404 for one that expired,"
        " was revoked or never was: nothing of the club is said). Joining"
        " twice changes nothing. Rate-limited per address."
    ),
    tag="clubs",
    security="archer",
    params=(CSRF_HEADER,),
    body=models.JoinRequest,
    answers=(Answer(200, "The club you are a member of.", models.Club),),
    errors=(404, 429),
)
@limiter.limit(INVITE_LOOKUP)
def join_club(body: models.JoinRequest) -> ResponseReturnValue:
    archer = auth.archer_required()
    try:
        club_id = clubs.join(body.token, archer.id)
    except LookupError:
        raise ApiError(
            404,
            _(
                "This invitation is not valid: it may have expired or been"
                " revoked. Ask the club for a new link."
            ),
        ) from None
    except clubs.ClubInvalid as exc:
        raise _refused(exc) from None
    return reply(_club(club_id, archer.id))


@operation(
    "DELETE",
    "/v1/clubs/<club_id>/members/<int:archer_id>",
    summary="Leave a club, or remove a member",
    description=(
        "Your own id: you leave (not the owner, who hands the club over or"
        " deletes it first). Another's: the owner removes admins and members,"
        " an admin members (403 otherwise)."
    ),
    tag="clubs",
    security="archer",
    params=(CLUB_PARAM, ARCHER_PARAM, CSRF_HEADER),
    answers=(Answer(204, "The member is out of the club.", None),),
    errors=(403,),
)
def remove_club_member(club_id: str, archer_id: int) -> ResponseReturnValue:
    archer = auth.archer_required()
    try:
        clubs.remove(club_id, archer.id, archer_id)
    except LookupError:
        raise not_found(club_id) from None
    except clubs.NotAllowed as exc:
        raise _forbidden(exc) from None
    except clubs.ClubInvalid as exc:
        raise ApiError(404, str(exc)) from None
    return "", 204
