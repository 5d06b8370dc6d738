"""Team and mixed-team matches in the database: each stored as the engine's
state (``TeamMatch.to_dict()``: the archer's entries) with its status, owned
as matches are (:class:`.matches.Owner`).

Every change is made on the version it was read at (:func:`save`: one
``UPDATE ... WHERE id AND version AND status not finished``): of two writes
made from the same state one is stored, the other raises
:class:`.matches.Conflict` (or :class:`.matches.Finished`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete as sql_delete
from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from . import get_session, owned, write
from .matches import Conflict, Finished, Owner, new_id
from .models import TeamMatchRow
from .times import aware

#: The longest team match id (the column's size).
ID_LENGTH = 32
FINISHED = ("won", "lost")

__all__ = ["Conflict", "Finished", "Owner", "StoredTeamMatch"]


@dataclass(frozen=True)
class StoredTeamMatch:
    id: str
    kind: str
    bow: str
    indoor: bool
    system: str
    state: dict[str, Any]
    status: str
    version: int
    created_at: datetime
    finished_at: datetime | None


def _columns() -> tuple[Any, ...]:
    return (
        TeamMatchRow.id,
        TeamMatchRow.kind,
        TeamMatchRow.bow,
        TeamMatchRow.indoor,
        TeamMatchRow.system,
        TeamMatchRow.state,
        TeamMatchRow.status,
        TeamMatchRow.version,
        TeamMatchRow.created_at,
        TeamMatchRow.finished_at,
    )


def _stored(row: Any) -> StoredTeamMatch:
    return StoredTeamMatch(
        id=row.id,
        kind=row.kind,
        bow=row.bow,
        indoor=bool(row.indoor),
        system=row.system,
        state=dict(row.state),
        status=row.status,
        version=int(row.version),
        created_at=aware(row.created_at),
        finished_at=None if row.finished_at is None else aware(row.finished_at),
    )


def _visible_to(owner: Owner) -> ColumnElement[bool]:
    """As a match: the browser's anonymous team matches, and the archer's own."""
    return owned.visible_to(TeamMatchRow, owner)


def create(owner: Owner, state: dict[str, Any], status: str) -> str:
    """Store a new team match (at version 1) for its owner; its id."""
    match_id = new_id()

    def insert(session: Session) -> None:
        session.add(
            TeamMatchRow(
                id=match_id,
                owner_key=owner.key,
                archer_id=owner.archer_id,
                kind=state["kind"],
                bow=state["bow"],
                indoor=bool(state["indoor"]),
                system=state["system"],
                state=state,
                status=status,
                version=1,
                finished_at=datetime.now(UTC) if status in FINISHED else None,
            )
        )

    write(insert)
    return match_id


def load(match_id: str, owner: Owner) -> StoredTeamMatch | None:
    """The owner's team match, or None (no such match, or not theirs: the same)."""
    if not match_id or len(match_id) > ID_LENGTH:
        return None
    statement = select(
        *_columns(), TeamMatchRow.owner_key, TeamMatchRow.archer_id
    ).where(TeamMatchRow.id == match_id)
    row = get_session().execute(statement).first()
    if row is None:
        return None
    return _stored(row) if owned.owns(row, owner) else None


def list_for(owner: Owner, limit: int = 100) -> list[StoredTeamMatch]:
    """The owner's team matches, newest first."""
    statement = (
        select(*_columns())
        .where(_visible_to(owner))
        .order_by(TeamMatchRow.created_at.desc(), TeamMatchRow.id)
        .limit(limit)
    )
    return [_stored(row) for row in get_session().execute(statement).all()]


def save(
    match_id: str,
    owner: Owner,
    state: dict[str, Any],
    status: str,
    *,
    version: int,
) -> int:
    """Store the match's new state, made from what was read at ``version``;
    the version it is at now. One conditional ``UPDATE``: otherwise nothing
    is written and this raises :class:`Finished`, :class:`Conflict` or
    ``LookupError`` (no such match of the owner's)."""

    def conditional_update(session: Session) -> int:
        result = session.execute(
            update(TeamMatchRow)
            .where(
                TeamMatchRow.id == match_id,
                TeamMatchRow.version == version,
                TeamMatchRow.status.not_in(FINISHED),
                _visible_to(owner),
            )
            .values(
                state=state,
                status=status,
                version=TeamMatchRow.version + 1,
                finished_at=datetime.now(UTC) if status in FINISHED else None,
            )
            .execution_options(synchronize_session=False)
        )
        if int(getattr(result, "rowcount", 0) or 0) == 1:
            return version + 1
        row = session.execute(
            select(TeamMatchRow.status).where(
                TeamMatchRow.id == match_id, _visible_to(owner)
            )
        ).first()
        if row is None:
            raise LookupError(match_id)
        if row.status in FINISHED:
            raise Finished(match_id)
        raise Conflict(match_id)

    return write(conditional_update)


def claim(owner_key: str, archer_id: int) -> int:
    """Give the archer the team matches this browser played before signing in."""
    return owned.claim(TeamMatchRow, owner_key, archer_id)


def delete(match_id: str, owner: Owner) -> bool:
    """Delete the owner's team match; False when there is none of theirs."""
    if not match_id or len(match_id) > ID_LENGTH:
        return False

    def remove(session: Session) -> bool:
        result = session.execute(
            sql_delete(TeamMatchRow)
            .where(TeamMatchRow.id == match_id, _visible_to(owner))
            .execution_options(synchronize_session=False)
        )
        return int(getattr(result, "rowcount", 0) or 0) == 1

    return write(remove)


def of_archer(archer_id: int) -> list[StoredTeamMatch]:
    """The archer's own team matches, oldest first (what an export of theirs
    carries; not a browser's anonymous ones)."""
    statement = (
        select(*_columns())
        .where(TeamMatchRow.archer_id == archer_id)
        .order_by(TeamMatchRow.created_at, TeamMatchRow.id)
    )
    return [_stored(row) for row in get_session().execute(statement).all()]


def add_imported(
    session: Session,
    *,
    owner_key: str,
    archer_id: int,
    state: dict[str, Any],
    status: str,
    created_at: datetime,
    finished_at: datetime | None,
) -> str:
    """Add a team match of an import (at version 1) in the import's
    transaction; its new id. ``finished_at`` is kept for a finished match only."""
    match_id = new_id()
    session.add(
        TeamMatchRow(
            id=match_id,
            owner_key=owner_key,
            archer_id=archer_id,
            kind=state["kind"],
            bow=state["bow"],
            indoor=bool(state["indoor"]),
            system=state["system"],
            state=state,
            status=status,
            version=1,
            created_at=created_at,
            finished_at=finished_at if status in FINISHED else None,
        )
    )
    return match_id
