"""Matches in the database: each stored as the engine's serialised state,
against the browser session (or, later, the archer) that owns it."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from . import get_session
from .models import Match as MatchRow


def new_id() -> str:
    """A public match id: random, so ids cannot be guessed or walked."""
    return secrets.token_urlsafe(16)[:22]


def create(owner_key: str, state: dict[str, Any], status: str) -> str:
    session = get_session()
    row = MatchRow(
        id=new_id(),
        owner_key=owner_key,
        kind=state["kind"],
        round_code=_round_code(state),
        ghost=state["ghost"],
        seed=state["seed"],
        state=state,
        status=status,
    )
    session.add(row)
    session.commit()
    return row.id


@dataclass(frozen=True)
class Stored:
    state: dict[str, Any]
    created_at: datetime


def load(match_id: str, owner_key: str) -> Stored | None:
    """The stored state and its start time, or None when there is no such match
    for this owner (a tampered or foreign id looks exactly like a missing one)."""
    row = _row(match_id, owner_key)
    if row is None:
        return None
    created = row.created_at
    if created.tzinfo is None:  # SQLite keeps no time zone: it was stored in UTC
        created = created.replace(tzinfo=UTC)
    return Stored(dict(row.state), created)


def save(match_id: str, owner_key: str, state: dict[str, Any], status: str) -> None:
    session = get_session()
    row = _row(match_id, owner_key)
    if row is None:
        raise LookupError(match_id)
    row.state = state
    row.status = status
    row.updated_at = datetime.now(UTC)
    session.commit()


def latest_in_progress(owner_key: str) -> str | None:
    session = get_session()
    statement = (
        select(MatchRow.id)
        .where(MatchRow.owner_key == owner_key)
        .where(MatchRow.status.in_(["in_progress", "shoot_off"]))
        .order_by(MatchRow.updated_at.desc())
        .limit(1)
    )
    return session.scalars(statement).first()


def _row(match_id: str, owner_key: str) -> MatchRow | None:
    if not match_id or len(match_id) > 32:
        return None
    session = get_session()
    row = session.get(MatchRow, match_id)
    if row is None or not secrets.compare_digest(row.owner_key, owner_key):
        return None
    return row


def _round_code(state: dict[str, Any]) -> str:
    ref = state["round"]
    if "codename" in ref:
        return str(ref["codename"])
    if "match" in ref:
        where = "indoor" if ref["match"]["indoor"] else "outdoor"
        return f"match_{ref['match']['bow']}_{where}"
    return "custom"
