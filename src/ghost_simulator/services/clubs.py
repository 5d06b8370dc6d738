"""Clubs: create one, invite by link, join, leave, remove, hand over, delete;
what each member shows of themself. The checks live here (the web pages, the
API and the CLI call the same operations): a club that cannot be made as
asked raises :class:`ClubInvalid` with a sentence per field, an operation the
archer's role does not allow :class:`NotAllowed` (403), and a club the archer
is not a member of :class:`LookupError` (404: it looks like a missing one)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from ..store import clubs as stored

#: The longest name, location and description.
NAME_MAX = 100
LOCATION_MAX = 100
DESCRIPTION_MAX = 500
#: The most clubs an archer may be in, and the most members a club may have.
CLUBS_MAX = 50
MEMBERS_MAX = 1000


class ClubInvalid(ValueError):
    """A club that cannot be made or changed as asked: a message per field at
    fault (``name``, ``location``, ``description``, ``days``, ``shown_as``,
    ``club``, ``member``)."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__(" ".join(errors.values()))
        self.errors = dict(errors)


class NotAllowed(PermissionError):
    """The archer's role in the club does not allow this (403)."""


@dataclass(frozen=True)
class ClubFields:
    name: str
    location: str | None
    description: str | None


def _text(form: Mapping[str, Any], name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def parse_fields(form: Mapping[str, Any]) -> ClubFields:
    """The club's name, location and description from a form or a JSON body,
    or :class:`ClubInvalid`."""
    errors: dict[str, str] = {}
    name = _text(form, "name")
    location = _text(form, "location")
    description = _text(form, "description")
    if not name:
        errors["name"] = _("Give the club a name.")
    elif len(name) > NAME_MAX:
        errors["name"] = _(
            "A club's name is at most %(count)s characters.", count=NAME_MAX
        )
    if len(location) > LOCATION_MAX:
        errors["location"] = _(
            "A club's location is at most %(count)s characters.", count=LOCATION_MAX
        )
    if len(description) > DESCRIPTION_MAX:
        errors["description"] = _(
            "A club's description is at most %(count)s characters.",
            count=DESCRIPTION_MAX,
        )
    if errors:
        raise ClubInvalid(errors)
    return ClubFields(name, location or None, description or None)


def _role(club_id: str, archer_id: int) -> str:
    role = stored.role_of(club_id, archer_id)
    if role is None:
        raise LookupError(club_id)
    return role


def _runs(club_id: str, archer_id: int) -> str:
    role = _role(club_id, archer_id)
    if role not in stored.RUNS_THE_CLUB:
        raise NotAllowed(_("Only the club's owner and admins may do this."))
    return role


def _owns(club_id: str, archer_id: int) -> None:
    if _role(club_id, archer_id) != "owner":
        raise NotAllowed(_("Only the club's owner may do this."))


def _too_many_clubs(archer_id: int) -> None:
    if stored.count_clubs(archer_id) >= CLUBS_MAX:
        raise ClubInvalid(
            {
                "club": _(
                    "An archer may be in at most %(count)s clubs: leave one first.",
                    count=CLUBS_MAX,
                )
            }
        )


def create(archer_id: int, form: Mapping[str, Any]) -> str:
    """A new club with the archer as its owner; its id."""
    fields = parse_fields(form)
    _too_many_clubs(archer_id)
    return stored.create(archer_id, fields.name, fields.location, fields.description)


def edit(club_id: str, archer_id: int, form: Mapping[str, Any]) -> None:
    _runs(club_id, archer_id)
    fields = parse_fields(form)
    stored.edit(club_id, fields.name, fields.location, fields.description)


def parse_days(value: Any) -> int:
    """An invitation's life in days: one of :data:`stored.INVITE_DAYS`."""
    if value in (None, ""):
        return stored.INVITE_DAYS[0]
    try:
        days = int(str(value).strip())
    except ValueError:
        days = -1
    if days not in stored.INVITE_DAYS:
        raise ClubInvalid({"days": _("An invitation is open for 1, 7 or 30 days.")})
    return days


def invite(club_id: str, archer_id: int, days: Any = None) -> str:
    """A new invitation (owner and admins); its token."""
    _runs(club_id, archer_id)
    return stored.create_invite(club_id, archer_id, parse_days(days))


def revoke(club_id: str, archer_id: int, hashed: str) -> None:
    _runs(club_id, archer_id)
    if not stored.revoke_invite(club_id, hashed[:64]):
        raise ClubInvalid({"invitation": _("That invitation is not open anymore.")})


def invited_to(token: str) -> stored.StoredClub | None:
    """The club a live invitation leads to (None: no such, expired or revoked
    invitation)."""
    club_id = stored.find_invite(token)
    return None if club_id is None else stored.load(club_id)


def join(token: str, archer_id: int) -> str:
    """Join the club an invitation leads to; its id. LookupError: the
    invitation is not live."""
    club_id = stored.find_invite(token)
    if club_id is None:
        raise LookupError(token)
    if stored.role_of(club_id, archer_id) is not None:
        return club_id  # joining twice is harmless
    _too_many_clubs(archer_id)
    if stored.count_members(club_id) >= MEMBERS_MAX:
        raise ClubInvalid(
            {
                "club": _(
                    "A club has at most %(count)s members: this one is full.",
                    count=MEMBERS_MAX,
                )
            }
        )
    stored.join(club_id, archer_id)
    return club_id


def leave(club_id: str, archer_id: int) -> None:
    if _role(club_id, archer_id) == "owner":
        raise NotAllowed(
            _(
                "The owner hands the club over to another member, or deletes it,"
                " before leaving."
            )
        )
    stored.leave(club_id, archer_id)


def remove(club_id: str, archer_id: int, member_id: int) -> None:
    """Remove a member (or leave, when it is the archer themself)."""
    if member_id == archer_id:
        leave(club_id, archer_id)
        return
    role = _role(club_id, archer_id)
    target = stored.role_of(club_id, member_id)
    if target is None:
        if role not in stored.RUNS_THE_CLUB:
            raise NotAllowed(_("Only the club's owner and admins may do this."))
        raise ClubInvalid({"member": _("That archer is not a member of the club.")})
    if not stored.may_remove(role, target):
        raise NotAllowed(
            _(
                "The owner removes admins; admins remove members; nobody"
                " removes the owner."
            )
        )
    stored.remove(club_id, member_id)


def set_role(club_id: str, archer_id: int, member_id: int, role: str) -> None:
    """The owner makes a member an admin, or an admin a member again."""
    _owns(club_id, archer_id)
    if role not in ("admin", "member"):
        raise ClubInvalid({"role": _("Choose admin or member.")})
    target = stored.role_of(club_id, member_id)
    if target is None or target == "owner":
        raise ClubInvalid({"member": _("That archer is not a member of the club.")})
    stored.set_role(club_id, member_id, role)


def transfer(club_id: str, archer_id: int, member_id: int) -> None:
    """The owner hands the club to another member (and becomes an admin)."""
    _owns(club_id, archer_id)
    if member_id == archer_id or stored.role_of(club_id, member_id) is None:
        raise ClubInvalid(
            {"member": _("Choose another member of the club to hand it over to.")}
        )
    stored.transfer(club_id, archer_id, member_id)


def delete(club_id: str, archer_id: int) -> None:
    _owns(club_id, archer_id)
    stored.delete(club_id)


def set_display(
    club_id: str, archer_id: int, shown_as: Any, shares_history: Any
) -> None:
    """What the archer shows of themself to this club."""
    _role(club_id, archer_id)
    if shown_as not in stored.SHOWN_AS:
        raise ClubInvalid({"shown_as": _("Choose your name or your initials.")})
    shares = shares_history in (True, "1", "on", "true", "yes")
    stored.set_display(club_id, archer_id, shown_as, shares)


@dataclass(frozen=True)
class ClubView:
    club: stored.StoredClub
    role: str
    members: list[stored.Member]
    invitations: list[stored.Invitation]

    @property
    def runs(self) -> bool:
        return self.role in stored.RUNS_THE_CLUB

    @property
    def owns(self) -> bool:
        return self.role == "owner"


def view(club_id: str, archer_id: int) -> ClubView:
    """The club as the archer (a member) sees it; LookupError otherwise."""
    role = _role(club_id, archer_id)
    club = stored.load(club_id)
    if club is None:
        raise LookupError(club_id)
    invitations = stored.invites(club_id) if role in stored.RUNS_THE_CLUB else []
    return ClubView(club, role, stored.members(club_id), invitations)


# -- a member's history, as they chose to share it --------------------------------

#: The most finished rounds and matches a member's shared history lists.
SHARED_ROWS = 50


@dataclass(frozen=True)
class MemberHistory:
    """A member's history as another member of the club may see it: their
    finished rounds and matches when they share it (``shared``), else none."""

    club: stored.StoredClub
    member: stored.Member
    shared: bool
    rows: list[Any]  # store.history.HistoryRow, newest first
    total: int  # how many finished ones they have in all


def member_history(club_id: str, viewer_id: int, member_id: int) -> MemberHistory:
    """``member_id``'s finished rounds and matches for ``viewer_id``, a member
    of the same club: shown only when the member lets the club see their
    history (or it is the viewer's own). A club the viewer is not in, or an
    archer who is not a member of it, raises ``LookupError`` (404)."""
    from ..store import history
    from ..store.matches import FINISHED

    _role(club_id, viewer_id)
    club = stored.load(club_id)
    member = next(
        (m for m in stored.members(club_id) if m.archer_id == member_id), None
    )
    if club is None or member is None:
        raise LookupError(member_id)
    shared = member.shares_history or member_id == viewer_id
    rows: list[Any] = []
    total = 0
    if shared:
        rows, total = history.list_matches(
            member_id, status=FINISHED, limit=SHARED_ROWS
        )
    return MemberHistory(club, member, shared, rows, total)
