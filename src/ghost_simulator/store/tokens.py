"""Personal access tokens for the JSON API, kept as their SHA-256 only.

A token is shown once, when it is made; afterwards the database can tell a
token it was given from any other, but cannot give one back. When it was last
used is written at most once a minute, so a busy script does not turn every
read into a write.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from . import get_session, write
from .models import ApiToken, Archer
from .times import aware

#: What every token starts with, so a leaked one is easy to recognise (and to
#: search for in a repository or a log).
PREFIX = "gst_"
#: Longest name a token may have (the column's size).
NAME_LENGTH = 64
#: Tokens one archer may hold at once.
MOST_TOKENS = 50
#: How stale ``last_used_at`` may be before a use writes it again.
TOUCH_EVERY = timedelta(minutes=1)


class TooManyTokens(ValueError):
    """The archer already holds ``MOST_TOKENS`` tokens."""


@dataclass(frozen=True)
class Token:
    """A token as its holder sees it listed: never the token itself."""

    id: int
    name: str
    created_at: datetime
    last_used_at: datetime | None


def _token(row: ApiToken) -> Token:
    last = row.last_used_at
    return Token(
        row.id,
        row.name,
        aware(row.created_at),
        aware(last) if last is not None else None,
    )


def hash_token(token: str) -> str:
    """The SHA-256 (hex) a token is kept and looked up by."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create(archer_id: int, name: str) -> tuple[Token, str]:
    """A new token for the archer: its row and the token itself, which is
    never stored and cannot be shown again."""
    token = PREFIX + secrets.token_urlsafe(32)

    def insert(session: Session) -> Token:
        held = session.execute(
            select(func.count())
            .select_from(ApiToken)
            .where(ApiToken.archer_id == archer_id)
        ).scalar_one()
        if held >= MOST_TOKENS:
            raise TooManyTokens(archer_id)
        row = ApiToken(
            archer_id=archer_id,
            name=name.strip()[:NAME_LENGTH],
            token_hash=hash_token(token),
            created_at=datetime.now(UTC),
        )
        session.add(row)
        session.flush()
        return _token(row)

    return write(insert), token


def for_archer(archer_id: int) -> list[Token]:
    """The archer's tokens, newest first."""
    statement = (
        select(ApiToken)
        .where(ApiToken.archer_id == archer_id)
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    )
    return [_token(row) for row in get_session().scalars(statement)]


def revoke(archer_id: int, token_id: int) -> bool:
    """Delete one of the archer's tokens; False when they hold no such token."""

    def remove(session: Session) -> bool:
        result = session.execute(
            delete(ApiToken).where(
                ApiToken.id == token_id, ApiToken.archer_id == archer_id
            )
        )
        return bool(getattr(result, "rowcount", 0))

    return write(remove)


def revoke_all(archer_id: int) -> int:
    """Delete every token of the archer; how many there were."""

    def remove(session: Session) -> int:
        result = session.execute(
            delete(ApiToken).where(ApiToken.archer_id == archer_id)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    return write(remove)


def authenticate(token: str) -> tuple[Token, Archer] | None:
    """The token's row and its archer, or None for a token nobody holds.

    The lookup is by the token's hash, so comparing it leaks nothing useful
    about any stored token's value."""
    if not token.startswith(PREFIX) or len(token) > 200:
        return None
    session = get_session()
    found = session.execute(
        select(ApiToken, Archer)
        .join(Archer, Archer.id == ApiToken.archer_id)
        .where(ApiToken.token_hash == hash_token(token))
    ).first()
    if found is None:
        return None
    row, archer = found
    used = _touch(row.id, row.last_used_at)
    return Token(row.id, row.name, aware(row.created_at), used), archer


def _touch(token_id: int, last: datetime | None) -> datetime:
    """Note a use now, unless one was noted less than ``TOUCH_EVERY`` ago;
    when the token was last used, as now noted."""
    now = datetime.now(UTC)
    if last is not None and now - aware(last) < TOUCH_EVERY:
        return aware(last)
    stale = now - TOUCH_EVERY

    def note(session: Session) -> None:
        # Conditional: requests racing in the same minute write once between them.
        session.execute(
            update(ApiToken)
            .where(ApiToken.id == token_id)
            .where(ApiToken.last_used_at.is_(None) | (ApiToken.last_used_at <= stale))
            .values(last_used_at=now)
            .execution_options(synchronize_session=False)
        )

    write(note)
    return now
