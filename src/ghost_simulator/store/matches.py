"""Matches in the database: each stored as the engine's serialised state with a
summary beside it (for the history), against the browser session that started
it and, once they sign in, the archer who owns it."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.sql.elements import ColumnElement

from . import get_session
from .models import Match as MatchRow

FINISHED = ("won", "lost", "tied")
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
)


@dataclass(frozen=True)
class Owner:
    """Who is asking: the browser's key, and the archer signed in (if any)."""

    key: str
    archer_id: int | None = None


def new_id() -> str:
    """A public match id: random, so ids cannot be guessed or walked."""
    return secrets.token_urlsafe(16)[:22]


def create(
    owner: Owner, state: dict[str, Any], status: str, summary: dict[str, Any]
) -> str:
    session = get_session()
    row = MatchRow(
        id=new_id(),
        owner_key=owner.key,
        archer_id=owner.archer_id,
        kind=state["kind"],
        round_code=_round_code(state),
        ghost=state["ghost"],
        seed=state["seed"],
        state=state,
        status=status,
    )
    _summarise(row, status, summary)
    session.add(row)
    session.commit()
    return row.id


@dataclass(frozen=True)
class Stored:
    state: dict[str, Any]
    created_at: datetime


def load(match_id: str, owner: Owner) -> Stored | None:
    """The stored state and its start time, or None when there is no such match
    for this owner (a tampered or foreign id looks exactly like a missing one)."""
    row = _row(match_id, owner)
    if row is None:
        return None
    return Stored(dict(row.state), _aware(row.created_at))


def save(
    match_id: str,
    owner: Owner,
    state: dict[str, Any],
    status: str,
    summary: dict[str, Any],
) -> None:
    session = get_session()
    row = _row(match_id, owner)
    if row is None:
        raise LookupError(match_id)
    row.state = state
    row.status = status
    row.updated_at = datetime.now(UTC)
    _summarise(row, status, summary)
    session.commit()


def claim(owner_key: str, archer_id: int) -> int:
    """Give the archer the matches this browser played before signing in."""
    session = get_session()
    result = session.execute(
        update(MatchRow)
        .where(MatchRow.owner_key == owner_key, MatchRow.archer_id.is_(None))
        .values(archer_id=archer_id)
    )
    session.commit()
    return int(getattr(result, "rowcount", 0) or 0)


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


def _summarise(row: MatchRow, status: str, summary: dict[str, Any]) -> None:
    for name in SUMMARY_FIELDS:
        setattr(row, name, summary.get(name))
    row.half = bool(summary.get("half"))
    row.ends_shot = int(summary.get("ends_shot") or 0)
    row.arrows_shot = int(summary.get("arrows_shot") or 0)
    if status in FINISHED and row.finished_at is None:
        row.finished_at = datetime.now(UTC)
    elif status not in FINISHED:
        row.finished_at = None


def _visible_to(owner: Owner) -> ColumnElement[bool]:
    """A browser sees the matches it started while nobody was signed in; a
    signed-in archer sees their own, wherever they were played."""
    anonymous = (MatchRow.archer_id.is_(None)) & (MatchRow.owner_key == owner.key)
    if owner.archer_id is None:
        return anonymous
    return or_(MatchRow.archer_id == owner.archer_id, anonymous)


def _row(match_id: str, owner: Owner) -> MatchRow | None:
    if not match_id or len(match_id) > 32:
        return None
    session = get_session()
    row = session.get(MatchRow, match_id)
    if row is None:
        return None
    if owner.archer_id is not None and row.archer_id == owner.archer_id:
        return row
    if row.archer_id is None and secrets.compare_digest(row.owner_key, owner.key):
        return row
    return None


def _aware(moment: datetime) -> datetime:
    """SQLite keeps no time zone: what it returns was stored in UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _round_code(state: dict[str, Any]) -> str:
    ref = state["round"]
    if "codename" in ref:
        return str(ref["codename"])
    if "match" in ref:
        where = "indoor" if ref["match"]["indoor"] else "outdoor"
        return f"match_{ref['match']['bow']}_{where}"
    return "custom"
