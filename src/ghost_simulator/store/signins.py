"""Sign-ins: the browsers signed in to each account, kept on the server.

A browser's session carries a random token (never an archer's id); the
database keeps only the token's SHA-256 and the account it belongs to. So a
session names one account for its whole life: an account deleted takes its
sign-ins with it, and a new account, even one given a reused number, has none
of them. Signing out deletes the sign-in, so a copy of the cookie stops
working too.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from . import get_session, write
from .models import Archer, SignIn
from .times import aware

#: How stale ``last_seen_at`` may be before a request writes it again.
TOUCH_EVERY = timedelta(days=1)
#: The most sign-ins one account keeps: signing in once more ends the oldest.
MOST_SIGN_INS = 100
#: The longest token a session may carry (``secrets.token_urlsafe(32)`` is 43).
TOKEN_LENGTH = 64


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Found:
    """A sign-in's account, and when the sign-in was last seen."""

    archer: Archer
    last_seen_at: datetime


def start(archer_id: int, *, unused_for: timedelta | None = None) -> str:
    """A new sign-in for the archer: the token its session keeps. Sign-ins of
    theirs not seen for ``unused_for`` (the session cookie's lifetime: their
    cookies have expired) end now, and the oldest beyond ``MOST_SIGN_INS``."""
    token = secrets.token_urlsafe(32)
    now = datetime.now(UTC)

    def insert(session: Session) -> None:
        if unused_for is not None:
            session.execute(
                delete(SignIn).where(
                    SignIn.archer_id == archer_id,
                    SignIn.last_seen_at < now - unused_for,
                )
            )
        kept = (
            select(SignIn.token_hash)
            .where(SignIn.archer_id == archer_id)
            .order_by(SignIn.last_seen_at.desc(), SignIn.token_hash)
            .limit(MOST_SIGN_INS - 1)
        )
        session.execute(
            delete(SignIn).where(
                SignIn.archer_id == archer_id,
                SignIn.token_hash.not_in(kept.scalar_subquery()),
            )
        )
        session.add(
            SignIn(
                token_hash=_hash(token),
                archer_id=archer_id,
                created_at=now,
                last_seen_at=now,
            )
        )

    write(insert)
    return token


def find(token: str) -> Found | None:
    """The account a session's token signs in to, or None (signed out, ended,
    or never issued). Notes the visit at most once a day."""
    if not token or len(token) > TOKEN_LENGTH:
        return None
    found = (
        get_session()
        .execute(
            select(Archer, SignIn.last_seen_at)
            .join(SignIn, SignIn.archer_id == Archer.id)
            .where(SignIn.token_hash == _hash(token))
        )
        .first()
    )
    if found is None:
        return None
    archer, seen = found
    seen = aware(seen)
    now = datetime.now(UTC)
    if now - seen >= TOUCH_EVERY:
        _touch(_hash(token), now)
        seen = now
    return Found(archer, seen)


def _touch(token_hash: str, now: datetime) -> None:
    stale = now - TOUCH_EVERY

    def note(session: Session) -> None:
        # Conditional: requests racing on the same day write once between them.
        session.execute(
            update(SignIn)
            .where(SignIn.token_hash == token_hash, SignIn.last_seen_at <= stale)
            .values(last_seen_at=now)
            .execution_options(synchronize_session=False)
        )

    write(note)


def end(token: str) -> None:
    """Sign this session out, for good: its cookie, or a copy, no longer works."""
    if not token or len(token) > TOKEN_LENGTH:
        return

    def remove(session: Session) -> None:
        session.execute(delete(SignIn).where(SignIn.token_hash == _hash(token)))

    write(remove)


def end_others(archer_id: int, keep: str | None = None) -> int:
    """End every sign-in of the archer but the one with token ``keep`` (None:
    every one); how many ended."""

    def remove(session: Session) -> int:
        statement = delete(SignIn).where(SignIn.archer_id == archer_id)
        if keep:
            statement = statement.where(SignIn.token_hash != _hash(keep))
        result = session.execute(statement)
        return int(getattr(result, "rowcount", 0) or 0)

    return write(remove)


def count_others(archer_id: int, keep: str | None = None) -> int:
    """How many other browsers are signed in to the archer's account."""
    statement = select(func.count()).where(SignIn.archer_id == archer_id)
    if keep:
        statement = statement.where(SignIn.token_hash != _hash(keep))
    return int(get_session().scalar(statement.select_from(SignIn)) or 0)
