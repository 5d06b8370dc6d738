"""An archer's history: their matches and rounds listed, filtered and counted
from the summary columns kept beside each state (nothing is replayed), and
their finished rounds on one round, for progress."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import Select, func, select

from . import get_session
from .matches import FINISHED
from .models import DayMatch
from .models import Match as MatchRow
from .times import aware

#: Any select statement: the filters keep its columns.
Statement = TypeVar("Statement", bound="Select[*tuple[Any, ...]]")

#: Statuses of a match still being shot.
UNFINISHED = ("in_progress", "shoot_off")


@dataclass(frozen=True)
class HistoryRow:
    """One match or round as the history lists it."""

    id: str
    kind: str
    round_code: str
    half: bool
    bow: str | None
    status: str
    ghost_kind: str | None
    ghost_handicap: float | None
    archer_total: int | None
    ghost_total: int | None
    ends_shot: int
    arrows_shot: int
    max_score: int | None
    archer_handicap: float | None
    archer_set_points: int | None
    ghost_set_points: int | None
    created_at: datetime
    finished_at: datetime | None

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def set_points(self) -> tuple[int, int] | None:
        """A set match's set points, its score (6-5 after a shoot-off); None
        for other matches."""
        if self.kind != "set" or self.archer_set_points is None:
            return None
        return self.archer_set_points, self.ghost_set_points or 0


_ROW_COLUMNS = (
    MatchRow.id,
    MatchRow.kind,
    MatchRow.round_code,
    MatchRow.half,
    MatchRow.bow,
    MatchRow.status,
    MatchRow.ghost_kind,
    MatchRow.ghost_handicap,
    MatchRow.archer_total,
    MatchRow.ghost_total,
    MatchRow.ends_shot,
    MatchRow.arrows_shot,
    MatchRow.max_score,
    MatchRow.archer_handicap,
    MatchRow.archer_set_points,
    MatchRow.ghost_set_points,
    MatchRow.created_at,
    MatchRow.finished_at,
)


def _history_row(row: Any) -> HistoryRow:
    return HistoryRow(
        id=row.id,
        kind=row.kind,
        round_code=row.round_code,
        half=bool(row.half),
        bow=row.bow,
        status=row.status,
        ghost_kind=row.ghost_kind,
        ghost_handicap=row.ghost_handicap,
        archer_total=row.archer_total,
        ghost_total=row.ghost_total,
        ends_shot=int(row.ends_shot or 0),
        arrows_shot=int(row.arrows_shot or 0),
        max_score=row.max_score,
        archer_handicap=row.archer_handicap,
        archer_set_points=row.archer_set_points,
        ghost_set_points=row.ghost_set_points,
        created_at=aware(row.created_at),
        finished_at=aware(row.finished_at) if row.finished_at else None,
    )


def _filtered(
    statement: Statement,
    archer_id: int,
    *,
    round_code: str | None = None,
    half: bool | None = None,
    bow: str | None = None,
    ghost_kind: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    status: str | Iterable[str] | None = None,
) -> Statement:
    statement = statement.where(MatchRow.archer_id == archer_id)
    # A competition day's matches are made when its bracket is drawn: one it
    # has not reached (no end shot) is not in the history yet.
    statement = statement.where(
        ~((MatchRow.ends_shot == 0) & MatchRow.id.in_(select(DayMatch.match_id)))
    )
    if round_code is not None:
        statement = statement.where(MatchRow.round_code == round_code)
    if half is not None:
        statement = statement.where(MatchRow.half.is_(half))
    if bow is not None:
        statement = statement.where(MatchRow.bow == bow)
    if ghost_kind is not None:
        statement = statement.where(MatchRow.ghost_kind == ghost_kind)
    if since is not None:
        statement = statement.where(MatchRow.created_at >= _utc(since))
    if until is not None:
        statement = statement.where(MatchRow.created_at < _utc(until))
    if status is not None:
        statuses = [status] if isinstance(status, str) else list(status)
        statement = statement.where(MatchRow.status.in_(statuses))
    return statement


def _utc(moment: datetime) -> datetime:
    """A moment as the database keeps it: in UTC (SQLite keeps no time zone,
    and compares the text). A naive moment is taken to be in UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def list_matches(
    archer_id: int,
    *,
    round_code: str | None = None,
    half: bool | None = None,
    bow: str | None = None,
    ghost_kind: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    status: str | Iterable[str] | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[HistoryRow], int]:
    """The archer's matches and rounds, newest first, finished or not: a page
    of ``limit`` from ``offset``, and how many match the filters in all.

    ``since`` is inclusive and ``until`` exclusive (moments, compared with
    when each match started); ``status`` is one status or several.
    """
    filters: dict[str, Any] = {
        "round_code": round_code,
        "half": half,
        "bow": bow,
        "ghost_kind": ghost_kind,
        "since": since,
        "until": until,
        "status": status,
    }
    session = get_session()
    count = _filtered(select(func.count()).select_from(MatchRow), archer_id, **filters)
    total = int(session.execute(count).scalar_one())
    if total == 0 or offset >= total:
        return [], total
    statement = (
        _filtered(select(*_ROW_COLUMNS), archer_id, **filters)
        .order_by(MatchRow.created_at.desc(), MatchRow.id)
        .limit(max(0, limit))
        .offset(max(0, offset))
    )
    return [_history_row(row) for row in session.execute(statement).all()], total


@dataclass(frozen=True)
class Session:
    """A finished ranking round: what the progress of a round is made of."""

    id: str
    date: datetime
    archer_total: int
    archer_handicap: float | None
    arrows: int
    bow: str | None
    scheme: str | None  # the ghost's handicap scheme, which ``archer_handicap`` is on


def round_sessions(
    archer_id: int, round_code: str, half: bool = False
) -> list[Session]:
    """The archer's finished ranking rounds on that round (or its half), oldest
    first."""
    statement = (
        select(
            MatchRow.id,
            MatchRow.created_at,
            MatchRow.archer_total,
            MatchRow.archer_handicap,
            MatchRow.arrows_shot,
            MatchRow.bow,
            MatchRow.ghost["scheme"].as_string().label("scheme"),
        )
        .where(
            MatchRow.archer_id == archer_id,
            MatchRow.kind == "ranking",
            MatchRow.round_code == round_code,
            MatchRow.half.is_(half),
            MatchRow.status.in_(FINISHED),
        )
        .order_by(MatchRow.created_at, MatchRow.id)
    )
    return [
        Session(
            row.id,
            aware(row.created_at),
            int(row.archer_total or 0),
            row.archer_handicap,
            int(row.arrows_shot or 0),
            row.bow,
            row.scheme,
        )
        for row in get_session().execute(statement).all()
    ]


def round_entries(
    archer_id: int, round_code: str, half: bool = False, *, limit: int = 200
) -> Iterator[list[Any]]:
    """What the archer entered, end by end, in their last ``limit`` finished
    ranking rounds on that round: each end's arrow labels, or ``{"total": n}``
    for an end typed as a total. Only this reads the stored states."""
    statement = (
        select(MatchRow.state)
        .where(
            MatchRow.archer_id == archer_id,
            MatchRow.kind == "ranking",
            MatchRow.round_code == round_code,
            MatchRow.half.is_(half),
            MatchRow.status.in_(FINISHED),
        )
        .order_by(MatchRow.created_at.desc(), MatchRow.id)
        .limit(limit)
    )
    for state in get_session().scalars(statement):
        ends = state.get("archer_ends") if isinstance(state, dict) else None
        yield list(ends or [])


@dataclass(frozen=True)
class Entered:
    """A finished ranking round as entered: what an archer's spread is read
    from."""

    round_code: str
    half: bool
    bow: str | None
    ends: list[Any]  # each end's arrow labels, or {"total": n}


def latest_rounds(archer_id: int, limit: int) -> list[Entered]:
    """The archer's latest ``limit`` finished ranking rounds (any round),
    oldest first, with what they entered end by end."""
    statement = (
        select(MatchRow.round_code, MatchRow.half, MatchRow.bow, MatchRow.state)
        .where(
            MatchRow.archer_id == archer_id,
            MatchRow.kind == "ranking",
            MatchRow.status.in_(FINISHED),
        )
        .order_by(MatchRow.created_at.desc(), MatchRow.id.desc())
        .limit(limit)
    )
    rows = [
        Entered(
            row.round_code,
            bool(row.half),
            row.bow,
            list((row.state or {}).get("archer_ends") or [])
            if isinstance(row.state, dict)
            else [],
        )
        for row in get_session().execute(statement).all()
    ]
    return rows[::-1]


def rounds_shot(archer_id: int) -> list[tuple[str, bool, int]]:
    """Each round (and match format) the archer has kept, half rounds apart,
    with how many times: the most shot first."""
    count = func.count().label("n")
    statement = (
        select(MatchRow.round_code, MatchRow.half, count)
        .where(MatchRow.archer_id == archer_id)
        .group_by(MatchRow.round_code, MatchRow.half)
        .order_by(count.desc(), MatchRow.round_code, MatchRow.half)
    )
    return [
        (code, bool(half), int(n))
        for code, half, n in get_session().execute(statement).all()
    ]


def ghost_results(
    archer_id: int,
    scheme: str,
    **filters: Any,
) -> list[tuple[float, str]]:
    """The level and result (won, lost, tied) of every finished match against
    a ghost with a handicap on that scheme, for a win rate by ghost level.
    ``filters`` are ``list_matches``' own."""
    statement = _filtered(
        select(MatchRow.ghost_handicap, MatchRow.status),
        archer_id,
        **{**filters, "status": FINISHED},
    ).where(
        MatchRow.ghost_handicap.is_not(None),
        MatchRow.ghost["scheme"].as_string() == scheme,
    )
    return [
        (float(level), status)
        for level, status in get_session().execute(statement).all()
        if level is not None
    ]
