"""Clubs in the store: invitations (a random token, only its hash kept,
expiry, revocation), joining, leaving, removing, roles, handing over, and
deleting a club (its nights and entries go; the members' matches stay)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select, update

from ghost_simulator.store import archers, get_session, write
from ghost_simulator.store import clubs as stored
from ghost_simulator.store.models import (
    ClubInvite,
    ClubMember,
    GhostNight,
    NightEntry,
)
from ghost_simulator.store.models import Match as MatchRow

from ..web.history.test_history import keep


@pytest.fixture
def ctx(app: Flask):  # type: ignore[no-untyped-def]
    with app.app_context():
        yield app


def archer(name: str) -> int:
    return archers.create(name, "x").id


def test_an_invitation_keeps_only_its_hash(ctx: Flask) -> None:
    owner = archer("robin")
    club_id = stored.create(owner, "Sherwood", None, None)
    token = stored.create_invite(club_id, owner)
    assert len(token) == 43  # 32 random bytes, urlsafe
    row = get_session().scalars(select(ClubInvite)).one()
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in row.token_hash
    expires = row.expires_at.replace(tzinfo=UTC)
    assert (
        timedelta(days=6, hours=23) < expires - datetime.now(UTC) <= timedelta(days=7)
    )
    assert stored.find_invite(token) == club_id
    assert stored.find_invite(token[:-1]) is None
    assert stored.find_invite("") is None
    assert stored.find_invite("x" * 10_000) is None
    other = stored.create_invite(club_id, owner, days=30)
    assert other != token
    assert len(stored.invites(club_id)) == 2


def test_revoked_and_expired_invitations_lead_nowhere(ctx: Flask) -> None:
    owner = archer("robin")
    club_id = stored.create(owner, "Sherwood", None, None)
    revoked = stored.create_invite(club_id, owner, days=1)
    expired = stored.create_invite(club_id, owner, days=1)
    assert stored.revoke_invite(club_id, stored.token_hash(revoked))
    assert not stored.revoke_invite(club_id, stored.token_hash(revoked))
    assert not stored.revoke_invite("another", stored.token_hash(expired))
    write(
        lambda s: s.execute(
            update(ClubInvite)
            .where(ClubInvite.token_hash == stored.token_hash(expired))
            .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    )
    assert stored.find_invite(revoked) is None
    assert stored.find_invite(expired) is None
    assert stored.invites(club_id) == []


def test_join_twice_leave_and_the_owner(ctx: Flask) -> None:
    owner, sam = archer("robin"), archer("sam")
    club_id = stored.create(owner, "Sherwood", None, None)
    assert stored.join(club_id, sam)
    assert not stored.join(club_id, sam)
    assert stored.count_members(club_id) == 2
    assert stored.role_of(club_id, sam) == "member"
    with pytest.raises(stored.OwnerCannotLeave):
        stored.leave(club_id, owner)
    assert stored.leave(club_id, sam)
    assert stored.role_of(club_id, sam) is None
    assert not stored.leave(club_id, sam)


@pytest.mark.parametrize(
    ("remover", "target", "allowed"),
    [
        ("owner", "admin", True),
        ("owner", "member", True),
        ("owner", "owner", False),
        ("admin", "member", True),
        ("admin", "admin", False),
        ("admin", "owner", False),
        ("member", "member", False),
        ("member", "admin", False),
        ("member", "owner", False),
        (None, "member", False),
    ],
)
def test_who_may_remove_whom(remover: str | None, target: str, allowed: bool) -> None:
    assert stored.may_remove(remover, target) is allowed


def test_roles_transfer_display_and_edit(ctx: Flask) -> None:
    owner, sam = archer("robin"), archer("sam")
    club_id = stored.create(owner, "Sherwood", None, None)
    stored.join(club_id, sam)
    assert stored.set_role(club_id, sam, "admin")
    assert stored.role_of(club_id, sam) == "admin"
    assert not stored.set_role(club_id, owner, "member")  # never the owner's
    with pytest.raises(ValueError, match="owner"):
        stored.set_role(club_id, sam, "owner")
    assert not stored.transfer(club_id, sam, owner)  # not the owner
    assert stored.transfer(club_id, owner, sam)
    assert (stored.role_of(club_id, sam), stored.role_of(club_id, owner)) == (
        "owner",
        "admin",
    )
    assert stored.set_display(club_id, owner, "name", True)
    (me,) = [m for m in stored.members(club_id) if m.archer_id == owner]
    assert (me.shown_as, me.shares_history) == ("name", True)
    with pytest.raises(ValueError, match="everything"):
        stored.set_display(club_id, owner, "everything", True)
    assert stored.edit(club_id, "Sherwood Forest", "Notts", "Fridays")
    club = stored.load(club_id)
    assert club is not None
    assert (club.name, club.location, club.description) == (
        "Sherwood Forest",
        "Notts",
        "Fridays",
    )


def test_deleting_a_club_keeps_the_matches(app: Flask) -> None:
    with app.app_context():
        owner, sam = archer("robin"), archer("sam")
    match_id = keep(app, sam)
    with app.app_context():
        club_id = stored.create(owner, "Sherwood", None, None)
        stored.join(club_id, sam)
        stored.create_invite(club_id, owner)
        now = datetime.now(UTC)

        def night(session) -> None:  # type: ignore[no-untyped-def]
            session.add(
                GhostNight(
                    id="night1",
                    club_id=club_id,
                    title="Friday",
                    match={},
                    ranking="score",
                    opens_at=now,
                    closes_at=now + timedelta(days=1),
                    timezone="UTC",
                )
            )
            session.flush()
            session.add(NightEntry(night_id="night1", archer_id=sam, match_id=match_id))

        write(night)
        assert stored.count_nights(club_id) == 1
        assert stored.delete(club_id)
        assert not stored.delete(club_id)
        session = get_session()
        for table in (ClubMember, ClubInvite, GhostNight, NightEntry):
            assert session.scalar(select(func.count()).select_from(table)) == 0
        assert session.get(MatchRow, match_id) is not None
        assert stored.load(club_id) is None
        assert stored.clubs_of(sam) == []


def test_all_clubs_for_the_operator(ctx: Flask) -> None:
    owner = archer("robin")
    a = stored.create(owner, "B club", None, None)
    b = stored.create(owner, "A club", None, None)
    assert [(c.id, n) for c, n in stored.all_clubs()] == [(b, 1), (a, 1)]
