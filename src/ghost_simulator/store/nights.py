"""Ghost nights in the database: a club's evening (or week) where every member
shoots the same match (format, ghost and seed) inside a window, and the
members' entries, each an ordinary match of theirs (``store.matches``).

Reads here are made once ``services.nights`` has said the reader is a member
of the club (:func:`.clubs.role_of`). :func:`touched` is called inside the
write that saves an end of a night's match: the night's ``version`` goes up
in the same transaction (and, on PostgreSQL, a ``pg_notify`` that is
delivered at its commit), which a live leaderboard waits on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete as sql_delete
from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from . import get_session, write
from .matches import FINISHED, Owner, _new_row, new_id
from .models import GhostNight, NightEntry
from .models import Match as MatchRow
from .times import aware

#: The longest id (the column's size).
ID_LENGTH = 32
#: The most nights a club keeps.
MOST_NIGHTS = 1000
#: The PostgreSQL channel a saved end of a night is announced on.
CHANNEL = "ghost_night"


class TooMany(Exception):
    """The club already keeps :data:`MOST_NIGHTS` nights."""


@dataclass(frozen=True)
class StoredNight:
    id: str
    club_id: str
    title: str
    match: dict[str, Any]
    ranking: str
    opens_at: datetime
    closes_at: datetime
    timezone: str
    created_by: int | None
    version: int
    created_at: datetime


@dataclass(frozen=True)
class StoredEntry:
    """A member's entry: their match's stored state and status."""

    archer_id: int
    match_id: str
    state: dict[str, Any]
    status: str
    joined_at: datetime
    updated_at: datetime | None = None
    #: The match's version (bumped by every write to it).
    version: int = 0


def _night(row: GhostNight) -> StoredNight:
    return StoredNight(
        id=row.id,
        club_id=row.club_id,
        title=row.title,
        match=dict(row.match),
        ranking=row.ranking,
        opens_at=aware(row.opens_at),
        closes_at=aware(row.closes_at),
        timezone=row.timezone,
        created_by=row.created_by,
        version=int(row.version or 0),
        created_at=aware(row.created_at),
    )


def create(
    club_id: str,
    *,
    title: str,
    match: dict[str, Any],
    ranking: str,
    opens_at: datetime,
    closes_at: datetime,
    timezone: str,
    created_by: int | None,
) -> str:
    """Store a new night for the club; its id. Raises :class:`TooMany` (and
    stores nothing) when the club keeps :data:`MOST_NIGHTS` already."""
    night_id = new_id()

    def insert(session: Session) -> str:
        count = session.scalar(
            select(func.count())
            .select_from(GhostNight)
            .where(GhostNight.club_id == club_id)
        )
        if int(count or 0) >= MOST_NIGHTS:
            raise TooMany(club_id)
        session.add(
            GhostNight(
                id=night_id,
                club_id=club_id,
                title=title,
                match=match,
                ranking=ranking,
                opens_at=opens_at,
                closes_at=closes_at,
                timezone=timezone,
                created_by=created_by,
                version=0,
            )
        )
        return night_id

    return write(insert)


def count(club_id: str) -> int:
    return int(
        get_session().scalar(
            select(func.count())
            .select_from(GhostNight)
            .where(GhostNight.club_id == club_id)
        )
        or 0
    )


def list_for(club_id: str, limit: int = 200) -> list[StoredNight]:
    """The club's nights, newest first."""
    statement = (
        select(GhostNight)
        .where(GhostNight.club_id == club_id)
        .order_by(GhostNight.opens_at.desc(), GhostNight.created_at.desc())
        .limit(limit)
    )
    return [_night(row) for row in get_session().scalars(statement).all()]


def load(club_id: str, night_id: str) -> StoredNight | None:
    """The club's night (None: no such night in this club)."""
    if not night_id or len(night_id) > ID_LENGTH or not club_id:
        return None
    row = get_session().get(GhostNight, night_id)
    if row is None or row.club_id != club_id:
        return None
    get_session().refresh(row)  # the version may have moved in this session
    return _night(row)


def entry_of(night_id: str, archer_id: int) -> str | None:
    """The archer's match on the night (None: not joined)."""
    found: str | None = get_session().scalar(
        select(NightEntry.match_id).where(
            NightEntry.night_id == night_id, NightEntry.archer_id == archer_id
        )
    )
    return found


def join(
    night_id: str,
    owner: Owner,
    *,
    state: dict[str, Any],
    status: str,
    summary: dict[str, Any],
) -> tuple[str, bool]:
    """The archer's match on the night, made now (with its entry, in one
    transaction) unless they joined already: its id and whether it is new."""
    if owner.archer_id is None:
        raise ValueError("a night entry needs a signed-in archer")
    archer_id = owner.archer_id
    match_id = new_id()

    def insert(session: Session) -> tuple[str, bool]:
        existing = session.scalar(
            select(NightEntry.match_id).where(
                NightEntry.night_id == night_id, NightEntry.archer_id == archer_id
            )
        )
        if existing is not None:
            return existing, False
        session.add(_new_row(match_id, owner, state, status, summary))
        session.flush()
        session.add(
            NightEntry(night_id=night_id, archer_id=archer_id, match_id=match_id)
        )
        return match_id, True

    return write(insert)


def entries(night_id: str) -> list[StoredEntry]:
    """Every entry of the night with its match as stored, oldest first."""
    statement = (
        select(
            NightEntry.archer_id,
            NightEntry.match_id,
            MatchRow.state,
            MatchRow.status,
            NightEntry.joined_at,
            MatchRow.updated_at,
            MatchRow.version,
        )
        .join(MatchRow, MatchRow.id == NightEntry.match_id)
        .where(NightEntry.night_id == night_id)
        .order_by(NightEntry.joined_at, NightEntry.archer_id)
    )
    return [
        StoredEntry(int(a), m, dict(s), st, aware(j), aware(u) if u else None, int(v))
        for a, m, s, st, j, u, v in get_session().execute(statement).all()
    ]


@dataclass(frozen=True)
class NightOfMatch:
    night_id: str
    club_id: str
    archer_id: int
    opens_at: datetime
    closes_at: datetime
    timezone: str


def night_of_match(match_id: str) -> NightOfMatch | None:
    """The night a match is an entry of (None: it is on none)."""
    if not match_id or len(match_id) > ID_LENGTH:
        return None
    statement = (
        select(
            GhostNight.id,
            GhostNight.club_id,
            NightEntry.archer_id,
            GhostNight.opens_at,
            GhostNight.closes_at,
            GhostNight.timezone,
        )
        .join(NightEntry, NightEntry.night_id == GhostNight.id)
        .where(NightEntry.match_id == match_id)
    )
    row = get_session().execute(statement).first()
    if row is None:
        return None
    return NightOfMatch(
        row[0], row[1], int(row[2]), aware(row[3]), aware(row[4]), row[5]
    )


def earned_before(
    archer_id: int,
    round_code: str,
    half: bool,
    kind: str,
    before: datetime | None,
) -> list[float]:
    """The handicaps the archer's finished matches of this kind on the round
    earned (started before ``before``), oldest first."""
    statement = (
        select(MatchRow.archer_handicap)
        .where(
            MatchRow.archer_id == archer_id,
            MatchRow.round_code == round_code,
            MatchRow.half.is_(half),
            MatchRow.kind == kind,
            MatchRow.status.in_(FINISHED),
            MatchRow.archer_handicap.is_not(None),
        )
        .order_by(MatchRow.created_at, MatchRow.id)
    )
    if before is not None:
        statement = statement.where(MatchRow.created_at < before)
    return [float(h) for h in get_session().scalars(statement).all() if h is not None]


def touched(match_id: str) -> str | None:
    """When the match is a night's entry: the night's version goes up (in the
    write this is called from, or in one of its own) and, on PostgreSQL, the
    night's id is announced on :data:`CHANNEL` at commit. The night's id
    (None: the match is on no night)."""

    def bump(session: Session) -> str | None:
        night_id = session.scalar(
            select(NightEntry.night_id).where(NightEntry.match_id == match_id)
        )
        if night_id is None:
            return None
        session.execute(
            update(GhostNight)
            .where(GhostNight.id == night_id)
            .values(version=GhostNight.version + 1)
        )
        if session.get_bind().dialect.name == "postgresql":
            session.execute(
                text("SELECT pg_notify(:channel, :night_id)"),
                {"channel": CHANNEL, "night_id": night_id},
            )
        return str(night_id)

    return write(bump)


def delete(club_id: str, night_id: str) -> bool:
    """Delete the night and its entries (never the matches); whether it was
    there."""

    def remove(session: Session) -> bool:
        here = session.scalar(
            select(GhostNight.id).where(
                GhostNight.id == night_id, GhostNight.club_id == club_id
            )
        )
        if here is None:
            return False
        session.execute(sql_delete(NightEntry).where(NightEntry.night_id == night_id))
        done: Any = session.execute(
            sql_delete(GhostNight).where(
                GhostNight.id == night_id, GhostNight.club_id == club_id
            )
        )
        return bool(done.rowcount)

    return write(remove)
