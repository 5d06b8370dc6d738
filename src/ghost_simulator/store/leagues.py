"""Postal leagues in the database: a club's season of ghost nights (each a row
of ``ghost_nights`` with its league and its week) with standings over the
season, worked out by ``services.leagues`` from the nights' entries.

A league and all its nights are stored in one transaction, and count toward
the club's :data:`.nights.MOST_NIGHTS`: a league that would take the club past
it is refused whole (:class:`.nights.TooMany`), with nothing stored. Reads
here are made once ``services.leagues`` has said the reader is a member of
the club."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete as sql_delete
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from . import get_session, write
from . import nights as stored_nights
from .matches import new_id
from .models import GhostNight, League, NightEntry
from .times import aware

#: The longest id (the column's size).
ID_LENGTH = 32


@dataclass(frozen=True)
class StoredLeague:
    id: str
    club_id: str
    title: str
    best: int
    ranking: str
    nights: int
    every_days: int
    timezone: str
    created_by: int | None
    created_at: datetime


@dataclass(frozen=True)
class LeagueNight:
    """A night of the league to store: its week (1, 2, ...), title, match
    (``Match.to_dict()``, its own seed) and window."""

    week: int
    title: str
    match: dict[str, Any]
    opens_at: datetime
    closes_at: datetime


@dataclass(frozen=True)
class Loaded:
    league: StoredLeague
    #: Its nights by week, first week first.
    nights: list[stored_nights.StoredNight]
    weeks: dict[str, int]  # night id -> week


def _league(row: League) -> StoredLeague:
    return StoredLeague(
        id=row.id,
        club_id=row.club_id,
        title=row.title,
        best=int(row.best),
        ranking=row.ranking,
        nights=int(row.nights),
        every_days=int(row.every_days),
        timezone=row.timezone,
        created_by=row.created_by,
        created_at=aware(row.created_at),
    )


def create(
    club_id: str,
    *,
    title: str,
    best: int,
    ranking: str,
    every_days: int,
    timezone: str,
    created_by: int | None,
    nights: Sequence[LeagueNight],
) -> str:
    """Store a new league and its nights for the club, in one transaction;
    its id. Raises :class:`.nights.TooMany` (and stores nothing) when its
    nights would take the club past :data:`.nights.MOST_NIGHTS`."""
    league_id = new_id()
    night_ids = [new_id() for _night in nights]

    def insert(session: Session) -> str:
        count = session.scalar(
            select(func.count())
            .select_from(GhostNight)
            .where(GhostNight.club_id == club_id)
        )
        if int(count or 0) + len(nights) > stored_nights.MOST_NIGHTS:
            raise stored_nights.TooMany(club_id)
        session.add(
            League(
                id=league_id,
                club_id=club_id,
                title=title,
                best=best,
                ranking=ranking,
                nights=len(nights),
                every_days=every_days,
                timezone=timezone,
                created_by=created_by,
            )
        )
        session.flush()
        for night_id, night in zip(night_ids, nights, strict=True):
            session.add(
                GhostNight(
                    id=night_id,
                    club_id=club_id,
                    title=night.title,
                    match=night.match,
                    ranking=ranking,
                    opens_at=night.opens_at,
                    closes_at=night.closes_at,
                    timezone=timezone,
                    created_by=created_by,
                    version=0,
                    league_id=league_id,
                    league_week=night.week,
                )
            )
        return league_id

    return write(insert)


def count(club_id: str) -> int:
    return int(
        get_session().scalar(
            select(func.count()).select_from(League).where(League.club_id == club_id)
        )
        or 0
    )


def list_for(club_id: str, limit: int = 200) -> list[StoredLeague]:
    """The club's leagues, newest first."""
    statement = (
        select(League)
        .where(League.club_id == club_id)
        .order_by(League.created_at.desc(), League.id)
        .limit(limit)
    )
    return [_league(row) for row in get_session().scalars(statement).all()]


def load(club_id: str, league_id: str) -> Loaded | None:
    """The club's league with its nights (None: no such league in this
    club)."""
    if not league_id or len(league_id) > ID_LENGTH or not club_id:
        return None
    row = get_session().get(League, league_id)
    if row is None or row.club_id != club_id:
        return None
    statement = (
        select(GhostNight)
        .where(GhostNight.league_id == league_id)
        .order_by(GhostNight.league_week, GhostNight.opens_at)
    )
    rows = get_session().scalars(statement).all()
    for night in rows:
        get_session().refresh(night)  # its version may have moved
    return Loaded(
        _league(row),
        [stored_nights._night(night) for night in rows],
        {night.id: int(night.league_week or 0) for night in rows},
    )


@dataclass(frozen=True)
class WeekOf:
    league_id: str
    title: str
    week: int
    weeks: int


def league_of_night(night_id: str) -> WeekOf | None:
    """The league a night is a week of (None: a night of its own)."""
    if not night_id or len(night_id) > ID_LENGTH:
        return None
    statement = (
        select(League.id, League.title, GhostNight.league_week, League.nights)
        .join(GhostNight, GhostNight.league_id == League.id)
        .where(GhostNight.id == night_id)
    )
    row = get_session().execute(statement).first()
    if row is None:
        return None
    return WeekOf(row[0], row[1], int(row[2] or 0), int(row[3]))


def delete(club_id: str, league_id: str) -> bool:
    """Delete the league, its nights and their entries (never the matches);
    whether it was there."""

    def remove(session: Session) -> bool:
        here = session.scalar(
            select(League.id).where(League.id == league_id, League.club_id == club_id)
        )
        if here is None:
            return False
        nights = select(GhostNight.id).where(GhostNight.league_id == league_id)
        session.execute(sql_delete(NightEntry).where(NightEntry.night_id.in_(nights)))
        session.execute(sql_delete(GhostNight).where(GhostNight.league_id == league_id))
        done: Any = session.execute(
            sql_delete(League).where(League.id == league_id, League.club_id == club_id)
        )
        return bool(done.rowcount)

    return write(remove)
