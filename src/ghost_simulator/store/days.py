"""Competition days in the database: the day (its field, round, bow, seed and
the archer's qualification score) and its matches by stage. The matches are
ordinary matches (``store.matches``); ``day_matches`` links each to its day
with its stage and the opponent's seed.

A day is owned as a match is (:class:`.matches.Owner`). Its bracket is not
stored: ``services.days`` draws it from the field and the seed, and reads the
archer's results from the matches."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete as sql_delete
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from . import get_session, owned, write
from .matches import Owner, _new_row, new_id
from .models import CompetitionDay as DayRow
from .models import DayMatch
from .models import Match as MatchRow
from .times import aware

#: The longest day id (the column's size).
ID_LENGTH = 32
#: The qualification round's stage.
QUALIFICATION = "qualification"


class AlreadyDrawn(Exception):
    """The day's bracket matches exist already (another request drew them)."""


@dataclass(frozen=True)
class StoredDay:
    id: str
    bow: str
    indoor: bool
    round_code: str
    scheme: str
    seed: int
    field_source: str
    field: list[tuple[str, float]]
    archer_name: str
    archer_score: float | None
    created_at: datetime


@dataclass(frozen=True)
class StoredDayMatch:
    """One of a day's matches, as stored."""

    stage: str
    match_id: str
    opponent: int
    status: str
    ends_shot: int
    state: dict[str, Any]


@dataclass(frozen=True)
class NewMatch:
    """A match to store for a day: its stage, the opponent's seed (0: the
    qualification round) and the match as stored."""

    stage: str
    opponent: int
    state: dict[str, Any]
    status: str
    summary: dict[str, Any]


def _columns() -> tuple[Any, ...]:
    return (
        DayRow.id,
        DayRow.bow,
        DayRow.indoor,
        DayRow.round_code,
        DayRow.scheme,
        DayRow.seed,
        DayRow.field_source,
        DayRow.field,
        DayRow.archer_name,
        DayRow.archer_score,
        DayRow.created_at,
    )


def _day(row: Any) -> StoredDay:
    return StoredDay(
        id=row.id,
        bow=row.bow,
        indoor=bool(row.indoor),
        round_code=row.round_code,
        scheme=row.scheme,
        seed=int(row.seed),
        field_source=row.field_source,
        field=[(str(name), float(score)) for name, score in row.field],
        archer_name=row.archer_name,
        archer_score=None if row.archer_score is None else float(row.archer_score),
        created_at=aware(row.created_at),
    )


def _visible_to(owner: Owner) -> ColumnElement[bool]:
    """As a match: the browser's anonymous days, and the archer's own."""
    return owned.visible_to(DayRow, owner)


def _add_matches(
    session: Session, day_id: str, owner: Owner, new: Sequence[NewMatch]
) -> list[str]:
    ids = []
    for made in new:
        match_id = new_id()
        session.add(_new_row(match_id, owner, made.state, made.status, made.summary))
        session.flush()  # the match before the row that refers to it
        session.add(
            DayMatch(
                day_id=day_id,
                stage=made.stage,
                match_id=match_id,
                opponent=made.opponent,
            )
        )
        ids.append(match_id)
    return ids


def create(
    owner: Owner,
    *,
    bow: str,
    indoor: bool,
    round_code: str,
    scheme: str,
    seed: int,
    field_source: str,
    field: Sequence[tuple[str, float]],
    archer_name: str,
    archer_score: float | None,
    matches: Sequence[NewMatch],
) -> str:
    """Store a new day and its first matches in one transaction; its id."""
    day_id = new_id()

    def insert(session: Session) -> None:
        session.add(
            DayRow(
                id=day_id,
                owner_key=owner.key,
                archer_id=owner.archer_id,
                bow=bow,
                indoor=indoor,
                round_code=round_code,
                scheme=scheme,
                seed=seed,
                field_source=field_source,
                field=[[name, score] for name, score in field],
                archer_name=archer_name,
                archer_score=archer_score,
            )
        )
        session.flush()
        _add_matches(session, day_id, owner, matches)

    write(insert)
    return day_id


def load(day_id: str, owner: Owner) -> StoredDay | None:
    """The owner's day, or None (no such day, or not theirs: the same)."""
    if not day_id or len(day_id) > ID_LENGTH:
        return None
    statement = select(*_columns(), DayRow.owner_key, DayRow.archer_id).where(
        DayRow.id == day_id
    )
    row = get_session().execute(statement).first()
    if row is None:
        return None
    return _day(row) if owned.owns(row, owner) else None


def day_matches(day_id: str) -> list[StoredDayMatch]:
    """The day's matches with their stored states (read after :func:`load`
    said the day is the viewer's)."""
    statement = (
        select(
            DayMatch.stage,
            DayMatch.match_id,
            DayMatch.opponent,
            MatchRow.status,
            MatchRow.ends_shot,
            MatchRow.state,
        )
        .join(MatchRow, MatchRow.id == DayMatch.match_id)
        .where(DayMatch.day_id == day_id)
    )
    return [
        StoredDayMatch(
            row.stage,
            row.match_id,
            int(row.opponent),
            row.status,
            int(row.ends_shot or 0),
            dict(row.state),
        )
        for row in get_session().execute(statement).all()
    ]


def draw_bracket(
    day_id: str, owner: Owner, archer_score: float, matches: Sequence[NewMatch]
) -> None:
    """Keep the archer's qualification score and the bracket's matches, in one
    transaction (:class:`AlreadyDrawn` when another request did it first;
    ``LookupError`` when the day is not the owner's)."""

    def draw(session: Session) -> None:
        row = session.execute(
            select(DayRow.id, DayRow.archer_score).where(
                DayRow.id == day_id, _visible_to(owner)
            )
        ).first()
        if row is None:
            raise LookupError(day_id)
        if row.archer_score is not None:
            raise AlreadyDrawn(day_id)
        done = session.execute(
            update(DayRow)
            .where(DayRow.id == day_id, DayRow.archer_score.is_(None))
            .values(archer_score=archer_score)
            .execution_options(synchronize_session=False)
        )
        if not getattr(done, "rowcount", 1):
            raise AlreadyDrawn(day_id)  # pragma: no cover - a race inside
        _add_matches(session, day_id, owner, matches)

    write(draw)


def drop_unshot(day_id: str, stages: Sequence[str]) -> int:
    """Delete the day's matches of ``stages`` that have no end shot (the
    matches the archer can no longer reach); how many went."""
    if not stages:
        return 0

    def drop(session: Session) -> int:
        ids = session.scalars(
            select(DayMatch.match_id)
            .join(MatchRow, MatchRow.id == DayMatch.match_id)
            .where(
                DayMatch.day_id == day_id,
                DayMatch.stage.in_(list(stages)),
                MatchRow.ends_shot == 0,
            )
        ).all()
        if not ids:
            return 0
        session.execute(
            sql_delete(DayMatch)
            .where(DayMatch.match_id.in_(ids))
            .execution_options(synchronize_session=False)
        )
        session.execute(
            sql_delete(MatchRow)
            .where(MatchRow.id.in_(ids), MatchRow.ends_shot == 0)
            .execution_options(synchronize_session=False)
        )
        return len(ids)

    return write(drop)


@dataclass(frozen=True)
class Listed:
    """A day in the owner's list, with its matches' results."""

    day: StoredDay
    won: int
    lost: int


def list_for(owner: Owner, limit: int = 100) -> list[Listed]:
    """The owner's days, newest first."""
    session = get_session()
    statement = (
        select(*_columns())
        .where(_visible_to(owner))
        .order_by(DayRow.created_at.desc(), DayRow.id)
        .limit(limit)
    )
    days = [_day(row) for row in session.execute(statement).all()]
    if not days:
        return []
    counts = (
        select(DayMatch.day_id, MatchRow.status, func.count().label("n"))
        .join(MatchRow, MatchRow.id == DayMatch.match_id)
        .where(
            DayMatch.day_id.in_([d.id for d in days]), DayMatch.stage != QUALIFICATION
        )
        .group_by(DayMatch.day_id, MatchRow.status)
    )
    found: dict[str, dict[str, int]] = {}
    for day_id, status, n in session.execute(counts).all():
        found.setdefault(day_id, {})[status] = int(n)
    return [
        Listed(
            day,
            found.get(day.id, {}).get("won", 0),
            found.get(day.id, {}).get("lost", 0),
        )
        for day in days
    ]


@dataclass(frozen=True)
class MatchOfDay:
    """Where a match stands in its day: the day, the stage, the opponent's
    seed (0: the qualification round) and the archer's qualification score
    (None before it is known)."""

    day_id: str
    stage: str
    opponent: int
    archer_score: float | None


def day_of(match_id: str, owner: Owner) -> MatchOfDay | None:
    """The owner's day a match belongs to, and where in it (None: on no day
    of the owner's)."""
    if not match_id or len(match_id) > ID_LENGTH:
        return None
    statement = (
        select(DayRow.id, DayRow.archer_score, DayMatch.stage, DayMatch.opponent)
        .join(DayMatch, DayMatch.day_id == DayRow.id)
        .where(DayMatch.match_id == match_id, _visible_to(owner))
    )
    row = get_session().execute(statement).first()
    if row is None:
        return None
    score = None if row.archer_score is None else float(row.archer_score)
    return MatchOfDay(row.id, row.stage, int(row.opponent), score)


def claim(owner_key: str, archer_id: int) -> int:
    """Give the archer the days this browser started before signing in."""
    return owned.claim(DayRow, owner_key, archer_id)


def delete(day_id: str, owner: Owner) -> bool:
    """Delete the owner's day, its links and its matches not shot yet, in one
    transaction; the matches with ends stay (ordinary matches of the
    owner's). False when there is no such day of the owner's."""
    if not day_id or len(day_id) > ID_LENGTH:
        return False

    def remove(session: Session) -> bool:
        mine = session.scalar(
            select(DayRow.id).where(DayRow.id == day_id, _visible_to(owner))
        )
        if mine is None:
            return False
        unshot = session.scalars(
            select(DayMatch.match_id)
            .join(MatchRow, MatchRow.id == DayMatch.match_id)
            .where(DayMatch.day_id == day_id, MatchRow.ends_shot == 0)
        ).all()
        session.execute(
            sql_delete(DayMatch)
            .where(DayMatch.day_id == day_id)
            .execution_options(synchronize_session=False)
        )
        if unshot:
            session.execute(
                sql_delete(MatchRow)
                .where(MatchRow.id.in_(list(unshot)))
                .execution_options(synchronize_session=False)
            )
        session.execute(
            sql_delete(DayRow)
            .where(DayRow.id == day_id)
            .execution_options(synchronize_session=False)
        )
        return True

    return write(remove)


# -- an archer's days in and out of an export ------------------------------------------


@dataclass(frozen=True)
class ExportedDay:
    """An archer's day as an export carries it: its fields, and its links
    (stage, match id, opponent's seed) to the archer's own matches."""

    day: StoredDay
    links: list[tuple[str, str, int]]


def of_archer(archer_id: int) -> list[ExportedDay]:
    """The archer's days, oldest first, each with its links to the archer's
    own matches (the ones an export of theirs carries), in no set order."""
    session = get_session()
    statement = (
        select(*_columns())
        .where(DayRow.archer_id == archer_id)
        .order_by(DayRow.created_at, DayRow.id)
    )
    days = [_day(row) for row in session.execute(statement).all()]
    if not days:
        return []
    links: dict[str, list[tuple[str, str, int]]] = {}
    statement_links = (
        select(DayMatch.day_id, DayMatch.stage, DayMatch.match_id, DayMatch.opponent)
        .join(MatchRow, MatchRow.id == DayMatch.match_id)
        .join(DayRow, DayRow.id == DayMatch.day_id)
        .where(DayRow.archer_id == archer_id, MatchRow.archer_id == archer_id)
        .order_by(DayMatch.day_id, DayMatch.stage)
    )
    for row in session.execute(statement_links).all():
        links.setdefault(row.day_id, []).append(
            (row.stage, row.match_id, int(row.opponent))
        )
    return [ExportedDay(day, links.get(day.id, [])) for day in days]


def add_imported(
    session: Session,
    *,
    owner_key: str,
    archer_id: int,
    values: dict[str, Any],
    links: Sequence[tuple[str, str, int]],
) -> str:
    """Add a day of an import and its links (stage, the id its match is kept
    by, opponent's seed) in the import's transaction, its matches already
    added; the day's new id."""
    day_id = new_id()
    session.add(DayRow(id=day_id, owner_key=owner_key, archer_id=archer_id, **values))
    session.flush()  # the day before the rows that refer to it
    for stage, match_id, opponent in links:
        session.add(
            DayMatch(day_id=day_id, stage=stage, match_id=match_id, opponent=opponent)
        )
    return day_id
