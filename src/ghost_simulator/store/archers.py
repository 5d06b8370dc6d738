"""Archers' accounts and profiles in the database. Passwords arrive here
already hashed (see ``ghost_simulator.passwords``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from . import get_session, signins, write
from .models import Archer
from .models import Ladder as LadderRow
from .models import Match as MatchRow

#: The profile fields an archer edits on the settings page.
PROFILE_FIELDS = (
    "name",
    "bowstyle",
    "sex",
    "age_class",
    "season",
    "default_round",
    "scheme",
    "locale",
)


class AccountExists(ValueError):
    """The username or email is taken (callers word this without saying which
    account exists)."""


def create(username: str, password_hash: str, email: str | None = None) -> Archer:
    def insert(session: Session) -> Archer:
        archer = Archer(username=username, password_hash=password_hash, email=email)
        session.add(archer)
        return archer

    try:
        return write(insert)
    except IntegrityError:
        raise AccountExists(username) from None


def get(archer_id: int) -> Archer | None:
    return get_session().get(Archer, archer_id)


def by_login(login: str) -> Archer | None:
    """The archer whose username (any case) or email is ``login``."""
    text = login.strip()
    if not text:
        return None
    statement = select(Archer).where(
        or_(func.lower(Archer.username) == text.lower(), Archer.email == text.lower())
    )
    return get_session().scalars(statement).first()


def username_taken(username: str, *, other_than: int | None = None) -> bool:
    statement = select(Archer.id).where(
        func.lower(Archer.username) == username.strip().lower()
    )
    found = get_session().scalars(statement).first()
    return found is not None and found != other_than


def email_taken(email: str, *, other_than: int | None = None) -> bool:
    statement = select(Archer.id).where(Archer.email == email.strip().lower())
    found = get_session().scalars(statement).first()
    return found is not None and found != other_than


def update_profile(archer: Archer, values: dict[str, Any]) -> None:
    def change(_session: Session) -> None:
        for name in PROFILE_FIELDS:
            if name in values:
                setattr(archer, name, values[name])

    write(change)


def set_password_hash(
    archer: Archer, password_hash: str, *, keep_sign_in: str | None = None
) -> int:
    """A new password also ends every sign-in of the account but the one
    whose token is ``keep_sign_in`` (the browser that changed it); how many
    ended. API tokens are not sign-ins: they keep working."""

    def change(_session: Session) -> int:
        archer.password_hash = password_hash
        return signins.end_others(archer.id, keep=keep_sign_in)

    return write(change)


def set_email(archer: Archer, email: str | None) -> None:
    def change(_session: Session) -> None:
        archer.email = email

    try:
        write(change)
    except IntegrityError:
        raise AccountExists(email or "") from None


def delete_account(archer: Archer) -> int:
    """Delete the archer and every match and ghost ladder they own; the number
    of matches."""

    def remove(session: Session) -> int:
        session.execute(delete(LadderRow).where(LadderRow.archer_id == archer.id))
        result = session.execute(
            delete(MatchRow).where(MatchRow.archer_id == archer.id)
        )
        session.delete(archer)
        return int(getattr(result, "rowcount", 0) or 0)

    return write(remove)


def all_archers() -> list[tuple[Archer, int]]:
    """Every archer with how many matches they own, by username."""
    session = get_session()
    counts = (
        select(MatchRow.archer_id, func.count().label("matches"))
        .group_by(MatchRow.archer_id)
        .subquery()
    )
    statement = (
        select(Archer, func.coalesce(counts.c.matches, 0))
        .outerjoin(counts, counts.c.archer_id == Archer.id)
        .order_by(func.lower(Archer.username))
    )
    return [(archer, int(n)) for archer, n in session.execute(statement).all()]
