"""Who owns a row, the same way for every table an archer's things are kept
in (matches, ghost ladders, competition days, team matches): the browser that
made it while nobody was signed in (its key), or the archer signed in. A
browser's rows are handed to the archer when they sign in on it."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from . import write


@dataclass(frozen=True)
class Owner:
    """Who is asking: the browser's key, and the archer signed in (if any)."""

    key: str
    archer_id: int | None = None


def new_id() -> str:
    """A public id: random, so ids cannot be guessed or walked."""
    return secrets.token_urlsafe(16)[:22]


def visible_to(table: Any, owner: Owner) -> ColumnElement[bool]:
    """A browser sees the rows it made while nobody was signed in; a
    signed-in archer sees their own, wherever they were made, and the
    browser's."""
    anonymous = (table.archer_id.is_(None)) & (table.owner_key == owner.key)
    if owner.archer_id is None:
        return anonymous
    return or_(table.archer_id == owner.archer_id, anonymous)


def owns(row: Any, owner: Owner) -> bool:
    """Whether ``owner`` may see a row read with its ``owner_key`` and
    ``archer_id`` (a foreign row and a missing one must look the same: the key
    is compared in constant time)."""
    if owner.archer_id is not None and row.archer_id == owner.archer_id:
        return True
    return row.archer_id is None and secrets.compare_digest(row.owner_key, owner.key)


def claim(table: Any, owner_key: str, archer_id: int) -> int:
    """Give the archer the rows this browser made before signing in; how
    many."""

    def give(session: Session) -> int:
        result = session.execute(
            update(table)
            .where(table.owner_key == owner_key, table.archer_id.is_(None))
            .values(archer_id=archer_id)
            .execution_options(synchronize_session=False)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    return write(give)
