"""Shared rounds in the database: an archer's finished ranking round shared
with one of their clubs or as a link (the link's token is never kept: only
its SHA-256, as club invitations), until revoked. A revoked share, or one
whose round or club is gone, is found by nobody."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import exists, func, select, update
from sqlalchemy.orm import Session

from . import get_session, write
from .clubs import TOKEN_BYTES, TOKEN_MAX, token_hash
from .models import Archer, ClubMember, SharedRound
from .models import Club as ClubRow
from .models import Match as MatchRow
from .owned import new_id
from .times import aware

#: The most shares an archer keeps (revoked ones count until deleted).
MAX_SHARES = 1000


@dataclass(frozen=True)
class Share:
    """A share as its owner and its recipients see it."""

    id: str
    archer_id: int
    match_id: str
    club_id: str | None
    club_name: str | None
    round_code: str
    archer_total: int
    created_at: datetime
    revoked_at: datetime | None
    owner_username: str
    owner_name: str | None

    @property
    def live(self) -> bool:
        return self.revoked_at is None

    @property
    def owner_initials(self) -> str:
        """The owner as a link shows them: their initials only."""
        full = (self.owner_name or self.owner_username).strip()
        parts = [p for p in full.replace("_", " ").replace("-", " ").split() if p]
        return "".join(p[0].upper() + "." for p in parts[:3]) or "?"


_COLUMNS = (
    SharedRound.id,
    SharedRound.archer_id,
    SharedRound.match_id,
    SharedRound.club_id,
    ClubRow.name.label("club_name"),
    MatchRow.round_code,
    MatchRow.archer_total,
    SharedRound.created_at,
    SharedRound.revoked_at,
    Archer.username,
    Archer.name,
)


def _select() -> Any:
    return (
        select(*_COLUMNS)
        .join(MatchRow, MatchRow.id == SharedRound.match_id)
        .join(Archer, Archer.id == SharedRound.archer_id)
        .outerjoin(ClubRow, ClubRow.id == SharedRound.club_id)
    )


def _share(row: Any) -> Share:
    return Share(
        row.id,
        int(row.archer_id),
        row.match_id,
        row.club_id,
        row.club_name,
        row.round_code,
        int(row.archer_total or 0),
        aware(row.created_at),
        aware(row.revoked_at) if row.revoked_at is not None else None,
        row.username,
        row.name,
    )


def count(archer_id: int) -> int:
    statement = select(func.count()).where(SharedRound.archer_id == archer_id)
    return int(get_session().execute(statement).scalar_one())


def create(
    archer_id: int, match_id: str, club_id: str | None
) -> tuple[str, str | None]:
    """A new share of the match with the club (or, without a club, as a link);
    its id and the link's token (None for a club: the only time it is
    seen)."""
    share_id = new_id()
    token = None if club_id is not None else secrets.token_urlsafe(TOKEN_BYTES)

    def insert(session: Session) -> None:
        session.add(
            SharedRound(
                id=share_id,
                archer_id=archer_id,
                match_id=match_id,
                club_id=club_id,
                token_hash=token_hash(token) if token is not None else None,
            )
        )

    write(insert)
    return share_id, token


def of_archer(archer_id: int) -> list[Share]:
    """The archer's shares, newest first (revoked ones too)."""
    statement = (
        _select()
        .where(SharedRound.archer_id == archer_id)
        .order_by(SharedRound.created_at.desc(), SharedRound.id)
    )
    return [_share(row) for row in get_session().execute(statement).all()]


def by_token(token: str) -> Share | None:
    """The live share a link's token opens, or None."""
    if not token or len(token) > TOKEN_MAX:
        return None
    statement = _select().where(
        SharedRound.token_hash == token_hash(token),
        SharedRound.revoked_at.is_(None),
    )
    row = get_session().execute(statement).first()
    return _share(row) if row is not None else None


#: A club share is seen while its owner is still one of the club's members.
_OWNER_IN_CLUB = exists().where(
    ClubMember.club_id == SharedRound.club_id,
    ClubMember.archer_id == SharedRound.archer_id,
)


def in_club(club_id: str) -> list[Share]:
    """The club's live shares (of members still in it), newest first."""
    statement = (
        _select()
        .where(
            SharedRound.club_id == club_id,
            SharedRound.revoked_at.is_(None),
            _OWNER_IN_CLUB,
        )
        .order_by(SharedRound.created_at.desc(), SharedRound.id)
    )
    return [_share(row) for row in get_session().execute(statement).all()]


def in_club_one(club_id: str, share_id: str) -> Share | None:
    """One of the club's live shares, or None."""
    if not share_id or len(share_id) > 32:
        return None
    statement = _select().where(
        SharedRound.id == share_id,
        SharedRound.club_id == club_id,
        SharedRound.revoked_at.is_(None),
        _OWNER_IN_CLUB,
    )
    row = get_session().execute(statement).first()
    return _share(row) if row is not None else None


def revoke(archer_id: int, share_id: str) -> bool:
    """Revoke one of the archer's shares; whether there was a live one."""
    if not share_id or len(share_id) > 32:
        return False

    def change(session: Session) -> bool:
        result = session.execute(
            update(SharedRound)
            .where(
                SharedRound.id == share_id,
                SharedRound.archer_id == archer_id,
                SharedRound.revoked_at.is_(None),
            )
            .values(revoked_at=datetime.now(UTC))
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(result, "rowcount", 0))

    return write(change)
