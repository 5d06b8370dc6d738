"""Clubs in the database: the club, its members with their roles and what
they show of themselves. Invitations and ghost nights build on this.

Roles: ``owner`` (one per club: may delete it and hand it over), ``admin``
(invites, removes members, sets up ghost nights) and ``member``. Every read
that a page makes on a member's behalf goes through :func:`role_of`: not a
member, no club (a club of someone else's looks exactly like a missing one)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete as sql_delete
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from . import get_session, write
from .models import Archer, ClubInvite, ClubMember, GhostNight, League, NightEntry
from .models import Club as ClubRow
from .owned import new_id
from .times import aware

ROLES = ("owner", "admin", "member")
#: The roles that may run the club (invite, remove, set up ghost nights).
RUNS_THE_CLUB = ("owner", "admin")
#: How a member is named to the club.
SHOWN_AS = ("initials", "name")
#: The longest id (the column's size).
ID_LENGTH = 32


@dataclass(frozen=True)
class StoredClub:
    id: str
    name: str
    location: str | None
    description: str | None
    created_at: datetime


@dataclass(frozen=True)
class Member:
    """A member as the club sees them."""

    archer_id: int
    username: str
    name: str | None
    role: str
    shown_as: str
    shares_history: bool
    joined_at: datetime

    @property
    def display(self) -> str:
        """The member's name as they chose to be shown: their name, or their
        initials (of their name, else of their username)."""
        full = (self.name or self.username).strip()
        if self.shown_as == "name":
            return full
        parts = [p for p in full.replace("_", " ").replace("-", " ").split() if p]
        return "".join(p[0].upper() + "." for p in parts[:3]) or "?"


def _club(row: ClubRow) -> StoredClub:
    return StoredClub(
        row.id, row.name, row.location, row.description, aware(row.created_at)
    )


def create(
    owner_id: int, name: str, location: str | None, description: str | None
) -> str:
    """A new club with its owner as its first member; its id."""
    club_id = new_id()

    def insert(session: Session) -> None:
        session.add(
            ClubRow(id=club_id, name=name, location=location, description=description)
        )
        session.flush()
        session.add(ClubMember(club_id=club_id, archer_id=owner_id, role="owner"))

    write(insert)
    return club_id


def role_of(club_id: str, archer_id: int | None) -> str | None:
    """The archer's role in the club (None: not a member, or no such club)."""
    if archer_id is None or not club_id or len(club_id) > ID_LENGTH:
        return None
    found: str | None = get_session().scalar(
        select(ClubMember.role).where(
            ClubMember.club_id == club_id, ClubMember.archer_id == archer_id
        )
    )
    return found


def load(club_id: str) -> StoredClub | None:
    """The club (read once :func:`role_of` said the reader is a member)."""
    if not club_id or len(club_id) > ID_LENGTH:
        return None
    row = get_session().get(ClubRow, club_id)
    return None if row is None else _club(row)


@dataclass(frozen=True)
class Membership:
    club: StoredClub
    role: str
    members: int


def clubs_of(archer_id: int) -> list[Membership]:
    """The archer's clubs, by name, with their role and the club's size."""
    session = get_session()
    sizes = (
        select(ClubMember.club_id, func.count().label("n"))
        .group_by(ClubMember.club_id)
        .subquery()
    )
    statement = (
        select(ClubRow, ClubMember.role, sizes.c.n)
        .join(ClubMember, ClubMember.club_id == ClubRow.id)
        .join(sizes, sizes.c.club_id == ClubRow.id)
        .where(ClubMember.archer_id == archer_id)
        .order_by(ClubRow.name, ClubRow.id)
    )
    return [
        Membership(_club(row), role, int(n))
        for row, role, n in session.execute(statement).all()
    ]


def members(club_id: str) -> list[Member]:
    """The club's members: owner first, then admins, then by when they
    joined."""
    order = {"owner": 0, "admin": 1, "member": 2}
    statement = (
        select(
            ClubMember.archer_id,
            Archer.username,
            Archer.name,
            ClubMember.role,
            ClubMember.shown_as,
            ClubMember.shares_history,
            ClubMember.joined_at,
        )
        .join(Archer, Archer.id == ClubMember.archer_id)
        .where(ClubMember.club_id == club_id)
    )
    found = [
        Member(
            int(row.archer_id),
            row.username,
            row.name,
            row.role,
            row.shown_as,
            bool(row.shares_history),
            aware(row.joined_at),
        )
        for row in get_session().execute(statement).all()
    ]
    return sorted(found, key=lambda m: (order.get(m.role, 3), m.joined_at, m.archer_id))


# -- invitations -----------------------------------------------------------------------

#: How many days an invitation may stay open (the default first).
INVITE_DAYS = (7, 1, 30)
#: Random bytes in an invitation token (urlsafe base64: 43 characters).
TOKEN_BYTES = 32
#: The longest token accepted (a longer one is not looked up).
TOKEN_MAX = 64


def token_hash(token: str) -> str:
    """What is kept of an invitation's token: its SHA-256, in hex."""
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


@dataclass(frozen=True)
class Invitation:
    """A live invitation (its token is not kept: only the link shows it,
    once)."""

    token_hash: str
    created_at: datetime
    expires_at: datetime


def create_invite(club_id: str, created_by: int | None, days: int = 7) -> str:
    """A new invitation to the club, open ``days`` days; its token (the only
    time it is seen: the database keeps its hash)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    expires = datetime.now(UTC) + timedelta(days=days)

    def insert(session: Session) -> None:
        session.add(
            ClubInvite(
                token_hash=token_hash(token),
                club_id=club_id,
                created_by=created_by,
                expires_at=expires,
            )
        )

    write(insert)
    return token


def _live(now: datetime) -> Any:
    return (ClubInvite.revoked_at.is_(None), ClubInvite.expires_at > now)


def find_invite(token: str) -> str | None:
    """The club a live invitation (not expired, not revoked) leads to."""
    if not token or len(token) > TOKEN_MAX:
        return None
    found: str | None = get_session().scalar(
        select(ClubInvite.club_id).where(
            ClubInvite.token_hash == token_hash(token), *_live(datetime.now(UTC))
        )
    )
    return found


def invites(club_id: str) -> list[Invitation]:
    """The club's live invitations, newest first."""
    statement = (
        select(ClubInvite)
        .where(ClubInvite.club_id == club_id, *_live(datetime.now(UTC)))
        .order_by(ClubInvite.created_at.desc(), ClubInvite.token_hash)
    )
    return [
        Invitation(row.token_hash, aware(row.created_at), aware(row.expires_at))
        for row in get_session().scalars(statement).all()
    ]


def revoke_invite(club_id: str, hashed: str) -> bool:
    """Revoke one of the club's invitations (by its hash); False: none such."""

    def change(session: Session) -> bool:
        result = session.execute(
            update(ClubInvite)
            .where(
                ClubInvite.club_id == club_id,
                ClubInvite.token_hash == hashed,
                ClubInvite.revoked_at.is_(None),
            )
            .values(revoked_at=datetime.now(UTC))
        )
        return bool(getattr(result, "rowcount", 0))

    return write(change)


# -- membership ------------------------------------------------------------------------


class OwnerCannotLeave(Exception):
    """The owner hands the club over (or deletes it) before leaving."""


def count_clubs(archer_id: int) -> int:
    return int(
        get_session().scalar(
            select(func.count()).where(ClubMember.archer_id == archer_id)
        )
        or 0
    )


def count_members(club_id: str) -> int:
    return int(
        get_session().scalar(select(func.count()).where(ClubMember.club_id == club_id))
        or 0
    )


def join(club_id: str, archer_id: int) -> bool:
    """Add the archer as a member; False when they already were one (joining
    twice changes nothing)."""

    def insert(session: Session) -> bool:
        if session.get(ClubMember, (club_id, archer_id)) is not None:
            return False
        session.add(ClubMember(club_id=club_id, archer_id=archer_id, role="member"))
        return True

    return write(insert)


def _remove(club_id: str, archer_id: int) -> bool:
    def change(session: Session) -> bool:
        result = session.execute(
            sql_delete(ClubMember).where(
                ClubMember.club_id == club_id, ClubMember.archer_id == archer_id
            )
        )
        return bool(getattr(result, "rowcount", 0))

    return write(change)


def leave(club_id: str, archer_id: int) -> bool:
    """The archer leaves the club (False: they were not in it). The owner
    cannot: :class:`OwnerCannotLeave`."""
    if role_of(club_id, archer_id) == "owner":
        raise OwnerCannotLeave(club_id)
    return _remove(club_id, archer_id)


def may_remove(remover_role: str | None, target_role: str | None) -> bool:
    """Whether a member of ``remover_role`` may remove one of ``target_role``:
    the owner removes anyone but themself; an admin removes members only."""
    if remover_role == "owner":
        return target_role in ("admin", "member")
    if remover_role == "admin":
        return target_role == "member"
    return False


def remove(club_id: str, archer_id: int) -> bool:
    """Remove a member (the caller checked :func:`may_remove`); never the
    owner."""
    if role_of(club_id, archer_id) == "owner":
        raise OwnerCannotLeave(club_id)
    return _remove(club_id, archer_id)


def set_role(club_id: str, archer_id: int, role: str) -> bool:
    """Make a member an admin or a member again (not the owner's role)."""
    if role not in ("admin", "member"):
        raise ValueError(role)

    def change(session: Session) -> bool:
        row = session.get(ClubMember, (club_id, archer_id))
        if row is None or row.role == "owner":
            return False
        row.role = role
        return True

    return write(change)


def transfer(club_id: str, owner_id: int, new_owner_id: int) -> bool:
    """Hand the club over: the member becomes its owner, the old owner an
    admin. False: the first is not the owner or the second not a member."""

    def change(session: Session) -> bool:
        old = session.get(ClubMember, (club_id, owner_id))
        new = session.get(ClubMember, (club_id, new_owner_id))
        if old is None or new is None or old.role != "owner" or old is new:
            return False
        old.role = "admin"
        new.role = "owner"
        return True

    return write(change)


def delete(club_id: str) -> bool:
    """Delete the club: its members, invitations, leagues, ghost nights and
    their entries go with it (the database's cascades); the matches the members
    shot stay in their own history."""

    def change(session: Session) -> bool:
        nights = select(GhostNight.id).where(GhostNight.club_id == club_id)
        # The cascades do this too; said here for databases without them on.
        session.execute(sql_delete(NightEntry).where(NightEntry.night_id.in_(nights)))
        session.execute(sql_delete(GhostNight).where(GhostNight.club_id == club_id))
        session.execute(sql_delete(League).where(League.club_id == club_id))
        session.execute(sql_delete(ClubInvite).where(ClubInvite.club_id == club_id))
        session.execute(sql_delete(ClubMember).where(ClubMember.club_id == club_id))
        result = session.execute(sql_delete(ClubRow).where(ClubRow.id == club_id))
        return bool(getattr(result, "rowcount", 0))

    return write(change)


def set_display(
    club_id: str, archer_id: int, shown_as: str, shares_history: bool
) -> bool:
    """What the member shows of themself to the club."""
    if shown_as not in SHOWN_AS:
        raise ValueError(shown_as)

    def change(session: Session) -> bool:
        row = session.get(ClubMember, (club_id, archer_id))
        if row is None:
            return False
        row.shown_as = shown_as
        row.shares_history = shares_history
        return True

    return write(change)


def edit(
    club_id: str, name: str, location: str | None, description: str | None
) -> bool:
    """Change the club's name, location and description."""

    def change(session: Session) -> bool:
        row = session.get(ClubRow, club_id)
        if row is None:
            return False
        row.name, row.location, row.description = name, location, description
        return True

    return write(change)


def all_clubs() -> list[tuple[StoredClub, int]]:
    """Every club with its number of members (for the operator)."""
    session = get_session()
    sizes = (
        select(ClubMember.club_id, func.count().label("n"))
        .group_by(ClubMember.club_id)
        .subquery()
    )
    statement = (
        select(ClubRow, func.coalesce(sizes.c.n, 0))
        .outerjoin(sizes, sizes.c.club_id == ClubRow.id)
        .order_by(ClubRow.name, ClubRow.id)
    )
    return [(_club(row), int(n)) for row, n in session.execute(statement).all()]


def count_nights(club_id: str) -> int:
    return int(
        get_session().scalar(select(func.count()).where(GhostNight.club_id == club_id))
        or 0
    )
