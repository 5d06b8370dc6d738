"""Matches in the database: each stored as the engine's serialised state with a
summary beside it (for the history), against the browser session that started
it and, once they sign in, the archer who owns it.

Every change to a match is made on the version it was read at (:func:`save`:
``UPDATE ... WHERE version = N``): of two writes made from the same state
(two tabs, two scripts) one is stored and the other raises :class:`Conflict`,
instead of silently replacing the first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    Table,
    bindparam,
    func,
    insert,
    literal,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Update
from sqlalchemy.sql.elements import ColumnElement

from . import connection, get_session, owned, write
from .models import EndKey
from .models import Match as MatchRow
from .owned import Owner, new_id
from .times import aware

_TABLE: Table = MatchRow.__table__  # type: ignore[assignment]
FINISHED = ("won", "lost", "tied")
#: The PostgreSQL advisory lock (with a seed) that :func:`create_once` takes.
_CREATE_ONCE_LOCK = 0x6D617463  # "matc"
SUMMARY_FIELDS = (
    "bow",
    "half",
    "ghost_kind",
    "ghost_handicap",
    "model",
    "archer_total",
    "ghost_total",
    "ends_shot",
    "arrows_shot",
    "max_score",
    "archer_handicap",
    "archer_set_points",
    "ghost_set_points",
)


class Conflict(Exception):
    """The match changed since it was read (another window, another script):
    nothing was written. Read it again and show it as it stands."""


class Finished(Conflict):
    """The match is over: its stored ends can no longer change."""


class Repeated(Exception):
    """An entry sent again with the idempotency key it was stored with (a
    phone that did not hear the answer): nothing was written this time."""

    def __init__(self, match_id: str, end_number: int) -> None:
        super().__init__(match_id)
        self.end_number = end_number


def create(
    owner: Owner, state: dict[str, Any], status: str, summary: dict[str, Any]
) -> str:
    """Store a new match (at version 1) for its owner; its id."""
    match_id = new_id()

    def insert(session: Session) -> None:
        session.add(_new_row(match_id, owner, state, status, summary))

    write(insert)
    return match_id


def _new_row(
    match_id: str,
    owner: Owner,
    state: dict[str, Any],
    status: str,
    summary: dict[str, Any],
) -> MatchRow:
    """A new match's row, at version 1."""
    return MatchRow(
        id=match_id,
        owner_key=owner.key,
        archer_id=owner.archer_id,
        kind=state["kind"],
        round_code=round_code_of(state),
        ghost=state["ghost"],
        seed=int(state["seed"]),
        state=state,
        status=status,
        version=1,
        **_summary_values(status, summary),
    )


def create_once(
    owner: Owner, state: dict[str, Any], status: str, summary: dict[str, Any]
) -> tuple[str, bool]:
    """Store a new match unless this owner already has one with its seed (a
    form posted twice, two tabs on one old link): the match's id, and whether
    it was made now. The seed is drawn at random from 2**63, so one owner's
    two matches never share it by chance."""
    seed = int(state["seed"])
    match_id = new_id()

    def insert(session: Session) -> tuple[str, bool]:
        if session.get_bind().dialect.name == "postgresql":
            # The check and the insert as one, like SQLite's BEGIN IMMEDIATE.
            session.execute(
                text(
                    "SELECT pg_advisory_xact_lock(CAST(:scope AS integer),"
                    " CAST(:seed AS integer))"
                ),
                {"scope": _CREATE_ONCE_LOCK, "seed": seed % 2**31},
            )
        existing = session.scalars(
            select(MatchRow.id)
            .where(_visible_to(owner), MatchRow.seed == seed)
            .limit(1)
        ).first()
        if existing is not None:
            return existing, False
        session.add(_new_row(match_id, owner, state, status, summary))
        return match_id, True

    return write(insert)


@dataclass(frozen=True)
class Stored:
    """A match as read: its state, when it started, the version the state is
    at (what :func:`save` is given back) and its status."""

    state: dict[str, Any]
    created_at: datetime
    version: int
    status: str


def load(match_id: str, owner: Owner) -> Stored | None:
    """The stored state and its start time, or None when there is no such match
    for this owner (a tampered or foreign id looks exactly like a missing one)."""
    row = _row(match_id, owner)
    if row is None:
        return None
    return Stored(dict(row.state), aware(row.created_at), int(row.version), row.status)


def save(
    match_id: str,
    owner: Owner,
    state: dict[str, Any],
    status: str,
    summary: dict[str, Any],
    *,
    version: int,
    end_key: str | None = None,
) -> int:
    """Store the match's new state, made from what was read at ``version``;
    the version it is at now.

    With ``end_key`` (an entry's idempotency key) the key is stored with the
    state, in the same transaction; a key this match already has raises
    :class:`Repeated` and writes nothing.

    One conditional ``UPDATE``: it changes the row only while the row is still
    at ``version``, is not finished, and is the owner's. Otherwise nothing is
    written and this raises :class:`Finished` (the match is over),
    :class:`Conflict` (another write came first) or ``LookupError`` (no such
    match for this owner)."""
    values = {
        "state": state,
        "status": status,
        "updated_at": datetime.now(UTC),
        **_summary_values(status, summary),
    }
    params = {f"new_{name}": value for name, value in values.items()}
    params.update(match_id=match_id, read_version=version, for_owner_key=owner.key)
    if owner.archer_id is not None:
        params["for_archer_id"] = owner.archer_id
    statement = _save_statement(owner.archer_id is not None)

    def conditional_update(session: Session) -> int:
        run = session.connection()
        if end_key is not None:
            _refuse_repeated(match_id, owner, end_key)
        if run.execute(statement, params).rowcount == 1:
            if end_key is not None:
                ends = int(summary.get("ends_shot") or 0)
                shoot_offs = len(state.get("shoot_offs") or ())
                run.execute(
                    _KEEP_END_KEY,
                    {
                        "match_id": match_id,
                        "key": end_key,
                        "end_number": ends + shoot_offs,
                    },
                )
            return version + 1
        row = _row(match_id, owner)  # why not: read under the same lock
        if row is None:
            raise LookupError(match_id)
        if end_key is not None:  # the same entry, stored by a racing request
            _refuse_repeated(match_id, owner, end_key)
        if row.status in FINISHED:
            raise Finished(match_id)
        raise Conflict(match_id)

    return write(conditional_update)


_END_KEY_NUMBER = select(EndKey.end_number).where(
    EndKey.match_id == bindparam("match_id"), EndKey.key == bindparam("key")
)
_KEEP_END_KEY = insert(EndKey).values(
    match_id=bindparam("match_id"),
    key=bindparam("key"),
    end_number=bindparam("end_number"),
)


def _refuse_repeated(match_id: str, owner: Owner, key: str) -> None:
    found = connection().execute(_END_KEY_NUMBER, {"match_id": match_id, "key": key})
    number = found.scalar()
    if number is not None and _row(match_id, owner) is not None:
        raise Repeated(match_id, int(number))


def entered_with(match_id: str, owner: Owner, key: str) -> int | None:
    """The end an idempotency key entered in this owner's match (None when the
    key is new to it)."""
    if _row(match_id, owner) is None:
        return None
    found = connection().execute(_END_KEY_NUMBER, {"match_id": match_id, "key": key})
    number = found.scalar()
    return None if number is None else int(number)


def end_keys(match_id: str, owner: Owner) -> list[str]:
    """The idempotency keys this owner's match has stored, oldest end first."""
    if _row(match_id, owner) is None:
        return []
    statement = (
        select(EndKey.key)
        .where(EndKey.match_id == match_id)
        .order_by(EndKey.end_number, EndKey.created_at)
    )
    return list(get_session().scalars(statement).all())


@cache
def _save_statement(signed_in: bool) -> Update:
    """The conditional ``UPDATE`` of :func:`save`, built once (a plain table
    update on the Core connection: SQLAlchemy compiles it once per database)
    and given its values as parameters."""
    table = _TABLE
    columns = ("state", "status", "updated_at", *SUMMARY_FIELDS, "finished_at")
    mine: ColumnElement[bool] = (table.c.archer_id.is_(None)) & (
        table.c.owner_key == bindparam("for_owner_key")
    )
    if signed_in:
        mine = or_(table.c.archer_id == bindparam("for_archer_id"), mine)
    return (
        update(table)
        .where(
            table.c.id == bindparam("match_id"),
            table.c.version == bindparam("read_version"),
            # One parameter each (a tuple would be expanded on every run).
            table.c.status.not_in([literal(status) for status in FINISHED]),
            mine,
        )
        .values(
            {
                **{
                    name: bindparam(f"new_{name}", type_=table.c[name].type)
                    for name in columns
                },
                "version": table.c.version + 1,
            }
        )
    )


def claim(owner_key: str, archer_id: int) -> int:
    """Give the archer the matches this browser played before signing in."""
    return owned.claim(MatchRow, owner_key, archer_id)


def latest_in_progress(owner: Owner) -> str | None:
    session = get_session()
    statement = (
        select(MatchRow.id)
        .where(_visible_to(owner))
        .where(MatchRow.status.in_(["in_progress", "shoot_off"]))
        .order_by(MatchRow.updated_at.desc())
        .limit(1)
    )
    return session.scalars(statement).first()


def _summary_values(status: str, summary: dict[str, Any]) -> dict[str, Any]:
    """The summary columns for a state (a row is written only while it is not
    finished, so a finished status finishes it now)."""
    values: dict[str, Any] = {name: summary.get(name) for name in SUMMARY_FIELDS}
    values["half"] = bool(summary.get("half"))
    values["ends_shot"] = int(summary.get("ends_shot") or 0)
    values["arrows_shot"] = int(summary.get("arrows_shot") or 0)
    values["finished_at"] = datetime.now(UTC) if status in FINISHED else None
    return values


def _visible_to(owner: Owner) -> ColumnElement[bool]:
    """A browser sees the matches it started while nobody was signed in; a
    signed-in archer sees their own, wherever they were played."""
    return owned.visible_to(MatchRow, owner)


#: What reading a match for a request needs (not the history's summary).
_READ = select(  # a plain select of the table: no ORM loading machinery
    _TABLE.c.state,
    _TABLE.c.created_at,
    _TABLE.c.version,
    _TABLE.c.status,
    _TABLE.c.archer_id,
    _TABLE.c.owner_key,
)


_READ_ONE = _READ.where(_TABLE.c.id == bindparam("match_id"))


def _row(match_id: str, owner: Owner) -> Any:
    """The match's row if this owner may see it (inside a write, read on the
    write's connection, under its lock, as every read is)."""
    if not match_id or len(match_id) > 32:
        return None
    # A plain select, not the session's identity map: what the database holds
    # now (another request may have written the match since this one read it).
    row: Any = connection().execute(_READ_ONE, {"match_id": match_id}).first()
    if row is None or not owned.owns(row, owner):
        return None
    return row


def round_code_of(state: dict[str, Any]) -> str:
    """The code a match's round is listed by (a match format: by its bow and
    where it is shot)."""
    ref = state["round"]
    if "codename" in ref:
        return str(ref["codename"])
    if "match" in ref:
        where = "indoor" if ref["match"]["indoor"] else "outdoor"
        return f"match_{ref['match']['bow']}_{where}"
    return "custom"


# -- the archer's own past, for ghosts made from it ----------------------------------


@dataclass(frozen=True)
class Past:
    """A match or round the archer shot, as the new-match form lists it."""

    id: str
    kind: str
    round_code: str
    half: bool
    archer_total: int
    arrows_shot: int
    status: str
    created_at: datetime


def _past(row: Any) -> Past:
    return Past(
        row.id,
        row.kind,
        row.round_code,
        bool(row.half),
        int(row.archer_total or 0),
        int(row.arrows_shot or 0),
        row.status,
        aware(row.created_at),
    )


_PAST_COLUMNS = (
    MatchRow.id,
    MatchRow.kind,
    MatchRow.round_code,
    MatchRow.half,
    MatchRow.archer_total,
    MatchRow.arrows_shot,
    MatchRow.status,
    MatchRow.created_at,
)


def past_rounds(archer_id: int, limit: int = 50) -> list[Past]:
    """The archer's matches and rounds with arrows in them, newest first."""
    statement = (
        select(*_PAST_COLUMNS)
        .where(MatchRow.archer_id == archer_id, MatchRow.arrows_shot > 0)
        .order_by(MatchRow.created_at.desc(), MatchRow.id)
        .limit(limit)
    )
    return [_past(row) for row in get_session().execute(statement).all()]


def personal_best(
    archer_id: int,
    round_code: str,
    half: bool,
    *,
    exclude: str | None = None,
) -> Past | None:
    """The archer's highest finished total on that round (a match: on that
    format), other than ``exclude``."""
    statement = (
        select(*_PAST_COLUMNS)
        .where(
            MatchRow.archer_id == archer_id,
            MatchRow.round_code == round_code,
            MatchRow.half.is_(half),
            MatchRow.status.in_(FINISHED),
            MatchRow.arrows_shot > 0,
        )
        .order_by(MatchRow.archer_total.desc(), MatchRow.created_at)
        .limit(1)
    )
    if exclude is not None:
        statement = statement.where(MatchRow.id != exclude)
    row = get_session().execute(statement).first()
    return _past(row) if row is not None else None


def match_record(archer_id: int, kind: str, round_code: str) -> tuple[int, int]:
    """How many finished matches of that kind on that format (a set match's
    match round, say) the archer has won and lost."""
    statement = (
        select(MatchRow.status, func.count())
        .where(
            MatchRow.archer_id == archer_id,
            MatchRow.kind == kind,
            MatchRow.round_code == round_code,
            MatchRow.status.in_(("won", "lost")),
        )
        .group_by(MatchRow.status)
    )
    counts = {status: n for status, n in get_session().execute(statement)}
    return int(counts.get("won", 0)), int(counts.get("lost", 0))


def earned_handicaps(archer_id: int, round_code: str, half: bool) -> list[float]:
    """The handicaps the archer's finished rounds on that round earned, oldest
    first."""
    statement = (
        select(MatchRow.archer_handicap)
        .where(
            MatchRow.archer_id == archer_id,
            MatchRow.round_code == round_code,
            MatchRow.half.is_(half),
            MatchRow.status.in_(FINISHED),
            MatchRow.archer_handicap.is_not(None),
        )
        .order_by(MatchRow.created_at, MatchRow.id)
    )
    return [float(h) for h in get_session().scalars(statement).all() if h is not None]


def load_own(match_id: str, archer_id: int) -> Stored | None:
    """One of the archer's own matches, wherever it was played."""
    return load(match_id, Owner("", archer_id))
