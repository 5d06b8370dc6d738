"""Ghost ladders in the database: a ladder (its format, target win rate and
starting level) and its matches, in order. The matches are ordinary matches
(``store.matches``); ``ladder_matches`` links each to its ladder with its
number and its ghost's handicap.

A ladder is owned as a match is (:class:`.matches.Owner`): the browser that
started it while nobody was signed in, or the archer signed in. Its state is
not stored: ``services.ladders`` rebuilds it from its finished matches."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete as sql_delete
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from . import get_session, owned, write
from .matches import FINISHED, Owner, _new_row, new_id
from .models import Ladder as LadderRow
from .models import LadderMatch
from .models import Match as MatchRow
from .times import aware

#: The longest ladder id (the column's size).
ID_LENGTH = 32


class InProgress(Exception):
    """The ladder has a match that is not finished: shoot it first."""

    def __init__(self, match_id: str) -> None:
        super().__init__(match_id)
        self.match_id = match_id


class Moved(Exception):
    """Another match was added to the ladder since it was read."""


@dataclass(frozen=True)
class StoredLadder:
    id: str
    kind: str
    bow: str
    indoor: bool
    round_code: str | None
    scheme: str
    target: float
    start_level: float
    start_source: str
    created_at: datetime


@dataclass(frozen=True)
class StoredRung:
    """One of a ladder's matches, as stored."""

    number: int
    match_id: str
    ghost_handicap: float
    status: str
    state: dict[str, Any]
    created_at: datetime


def _ladder(row: Any) -> StoredLadder:
    return StoredLadder(
        id=row.id,
        kind=row.kind,
        bow=row.bow,
        indoor=bool(row.indoor),
        round_code=row.round_code,
        scheme=row.scheme,
        target=float(row.target),
        start_level=float(row.start_level),
        start_source=row.start_source,
        created_at=aware(row.created_at),
    )


def _visible_to(owner: Owner) -> ColumnElement[bool]:
    """As a match: the browser's anonymous ladders, and the archer's own."""
    return owned.visible_to(LadderRow, owner)


def create(
    owner: Owner,
    *,
    kind: str,
    bow: str,
    indoor: bool,
    round_code: str | None,
    scheme: str,
    target: float,
    start_level: float,
    start_source: str,
) -> str:
    """Store a new ladder for its owner; its id (random, as a match's)."""
    ladder_id = new_id()

    def insert(session: Session) -> None:
        session.add(
            LadderRow(
                id=ladder_id,
                owner_key=owner.key,
                archer_id=owner.archer_id,
                kind=kind,
                bow=bow,
                indoor=indoor,
                round_code=round_code,
                scheme=scheme,
                target=target,
                start_level=start_level,
                start_source=start_source,
            )
        )

    write(insert)
    return ladder_id


def _columns() -> tuple[Any, ...]:
    return (
        LadderRow.id,
        LadderRow.kind,
        LadderRow.bow,
        LadderRow.indoor,
        LadderRow.round_code,
        LadderRow.scheme,
        LadderRow.target,
        LadderRow.start_level,
        LadderRow.start_source,
        LadderRow.created_at,
    )


def load(ladder_id: str, owner: Owner) -> StoredLadder | None:
    """The owner's ladder, or None (no such ladder, or not theirs: the same)."""
    if not ladder_id or len(ladder_id) > ID_LENGTH:
        return None
    statement = select(*_columns(), LadderRow.owner_key, LadderRow.archer_id).where(
        LadderRow.id == ladder_id
    )
    row = get_session().execute(statement).first()
    if row is None:
        return None
    return _ladder(row) if owned.owns(row, owner) else None


@dataclass(frozen=True)
class Listed:
    """A ladder in the owner's list, with how many matches it has."""

    ladder: StoredLadder
    matches: int
    finished: int
    won: int


def list_for(owner: Owner, limit: int = 100) -> list[Listed]:
    """The owner's ladders, newest first."""
    session = get_session()
    statement = (
        select(*_columns())
        .where(_visible_to(owner))
        .order_by(LadderRow.created_at.desc(), LadderRow.id)
        .limit(limit)
    )
    ladders = [_ladder(row) for row in session.execute(statement).all()]
    if not ladders:
        return []
    counts = select(
        LadderMatch.ladder_id, MatchRow.status, func.count().label("n")
    ).join(MatchRow, MatchRow.id == LadderMatch.match_id)
    counts = counts.where(LadderMatch.ladder_id.in_([x.id for x in ladders]))
    counts = counts.group_by(LadderMatch.ladder_id, MatchRow.status)
    found: dict[str, dict[str, int]] = {}
    for ladder_id, status, n in session.execute(counts).all():
        found.setdefault(ladder_id, {})[status] = int(n)
    listed = []
    for ladder in ladders:
        by_status = found.get(ladder.id, {})
        listed.append(
            Listed(
                ladder,
                sum(by_status.values()),
                sum(by_status.get(s, 0) for s in FINISHED),
                by_status.get("won", 0),
            )
        )
    return listed


def rungs(ladder_id: str) -> list[StoredRung]:
    """The ladder's matches in order, with their stored states (read after
    :func:`load` said the ladder is the viewer's)."""
    statement = (
        select(
            LadderMatch.number,
            LadderMatch.match_id,
            LadderMatch.ghost_handicap,
            MatchRow.status,
            MatchRow.state,
            MatchRow.created_at,
        )
        .join(MatchRow, MatchRow.id == LadderMatch.match_id)
        .where(LadderMatch.ladder_id == ladder_id)
        .order_by(LadderMatch.number)
    )
    return [
        StoredRung(
            int(row.number),
            row.match_id,
            float(row.ghost_handicap),
            row.status,
            dict(row.state),
            aware(row.created_at),
        )
        for row in get_session().execute(statement).all()
    ]


def add_match(
    ladder_id: str,
    owner: Owner,
    *,
    number: int,
    ghost_handicap: float,
    state: dict[str, Any],
    status: str,
    summary: dict[str, Any],
) -> str:
    """Store the ladder's match ``number`` (a new match for the owner, linked
    to the ladder) in one transaction; its id.

    Raises :class:`InProgress` when the ladder has an unfinished match,
    :class:`Moved` when its last match is not ``number - 1`` any more (another
    request added one since the ladder was read) and ``LookupError`` when the
    ladder is not the owner's."""
    match_id = new_id()

    def insert(session: Session) -> str:
        mine = session.scalar(
            select(LadderRow.id).where(LadderRow.id == ladder_id, _visible_to(owner))
        )
        if mine is None:
            raise LookupError(ladder_id)
        unfinished = session.scalar(
            select(LadderMatch.match_id)
            .join(MatchRow, MatchRow.id == LadderMatch.match_id)
            .where(
                LadderMatch.ladder_id == ladder_id,
                MatchRow.status.not_in(FINISHED),
            )
            .limit(1)
        )
        if unfinished is not None:
            raise InProgress(unfinished)
        last = session.scalar(
            select(func.max(LadderMatch.number)).where(
                LadderMatch.ladder_id == ladder_id
            )
        )
        if int(last or 0) != number - 1:
            raise Moved(ladder_id)
        session.add(_new_row(match_id, owner, state, status, summary))
        session.flush()  # the match before the row that refers to it
        session.add(
            LadderMatch(
                ladder_id=ladder_id,
                number=number,
                match_id=match_id,
                ghost_handicap=ghost_handicap,
            )
        )
        return match_id

    return write(insert)


def ladder_of(match_id: str, owner: Owner) -> str | None:
    """The ladder a match of the owner's belongs to (None: none, or not the
    owner's)."""
    if not match_id or len(match_id) > ID_LENGTH:
        return None
    statement = (
        select(LadderRow.id)
        .join(LadderMatch, LadderMatch.ladder_id == LadderRow.id)
        .where(LadderMatch.match_id == match_id, _visible_to(owner))
    )
    found: str | None = get_session().scalar(statement)
    return found


def claim(owner_key: str, archer_id: int) -> int:
    """Give the archer the ladders this browser started before signing in
    (as :func:`.matches.claim` does their matches)."""
    return owned.claim(LadderRow, owner_key, archer_id)


def delete(ladder_id: str, owner: Owner) -> bool:
    """Delete the owner's ladder and its links to its matches, in one
    transaction; the matches stay (ordinary matches of the owner's). False
    when there is no such ladder of the owner's."""
    if not ladder_id or len(ladder_id) > ID_LENGTH:
        return False

    def remove(session: Session) -> bool:
        mine = session.scalar(
            select(LadderRow.id).where(LadderRow.id == ladder_id, _visible_to(owner))
        )
        if mine is None:
            return False
        session.execute(
            sql_delete(LadderMatch)
            .where(LadderMatch.ladder_id == ladder_id)
            .execution_options(synchronize_session=False)
        )
        session.execute(
            sql_delete(LadderRow)
            .where(LadderRow.id == ladder_id)
            .execution_options(synchronize_session=False)
        )
        return True

    return write(remove)


@dataclass(frozen=True)
class ExportedLadder:
    """An archer's ladder as an export carries it: its fields, and its matches
    (number, match id, ghost's handicap) in order."""

    ladder: StoredLadder
    links: list[tuple[int, str, float]]


def of_archer(archer_id: int) -> list[ExportedLadder]:
    """The archer's ladders, oldest first, each with its links to the archer's
    own matches (the ones an export of theirs carries)."""
    session = get_session()
    statement = (
        select(*_columns())
        .where(LadderRow.archer_id == archer_id)
        .order_by(LadderRow.created_at, LadderRow.id)
    )
    ladders = [_ladder(row) for row in session.execute(statement).all()]
    if not ladders:
        return []
    links: dict[str, list[tuple[int, str, float]]] = {}
    statement_links = (
        select(
            LadderMatch.ladder_id,
            LadderMatch.number,
            LadderMatch.match_id,
            LadderMatch.ghost_handicap,
        )
        .join(MatchRow, MatchRow.id == LadderMatch.match_id)
        .join(LadderRow, LadderRow.id == LadderMatch.ladder_id)
        .where(LadderRow.archer_id == archer_id, MatchRow.archer_id == archer_id)
        .order_by(LadderMatch.ladder_id, LadderMatch.number)
    )
    for row in session.execute(statement_links).all():
        links.setdefault(row.ladder_id, []).append(
            (int(row.number), row.match_id, float(row.ghost_handicap))
        )
    return [ExportedLadder(ladder, links.get(ladder.id, [])) for ladder in ladders]
