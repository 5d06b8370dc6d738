"""Shared rounds in the store: a link keeps only its token's hash; a club's
list has its live shares; revoking hides a share (only its owner can); a
deleted round, club or archer takes its shares with it."""

from __future__ import annotations

import hashlib

import pytest
from flask import Flask
from sqlalchemy import delete, func, select

from ghost_simulator.store import archers, get_session, write
from ghost_simulator.store import clubs as stored_clubs
from ghost_simulator.store import shares as stored
from ghost_simulator.store.models import Club, SharedRound
from ghost_simulator.store.models import Match as MatchRow

from ..web.history.test_history import keep


@pytest.fixture
def ctx(app: Flask):  # type: ignore[no-untyped-def]
    with app.app_context():
        yield app


def test_a_link_keeps_only_its_hash(app: Flask, ctx: Flask) -> None:
    owner = archers.create("robin", "x").id
    match_id = keep(app, owner)
    share_id, token = stored.create(owner, match_id, None)
    assert token is not None
    assert len(token) == 43
    assert len(share_id) == 22
    row = get_session().scalars(select(SharedRound)).one()
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    found = stored.by_token(token)
    assert found is not None
    assert found.id == share_id
    assert found.match_id == match_id
    assert found.round_code == "wa18"
    assert found.live
    assert stored.by_token(token[:-1]) is None
    assert stored.by_token("") is None
    assert stored.by_token("x" * 500) is None


def test_a_club_share_and_revoking_it(app: Flask, ctx: Flask) -> None:
    owner = archers.create("robin", "x").id
    other = archers.create("sam", "x").id
    club_id = stored_clubs.create(owner, "Sherwood", None, None)
    match_id = keep(app, owner)
    share_id, token = stored.create(owner, match_id, club_id)
    assert token is None
    assert [s.id for s in stored.in_club(club_id)] == [share_id]
    assert stored.in_club_one(club_id, share_id) is not None
    assert stored.in_club_one("elsewhere", share_id) is None
    assert stored.count(owner) == 1
    assert not stored.revoke(other, share_id)  # not theirs
    assert stored.revoke(owner, share_id)
    assert not stored.revoke(owner, share_id)  # once
    assert stored.in_club(club_id) == []
    assert stored.in_club_one(club_id, share_id) is None
    assert [s.revoked_at is not None for s in stored.of_archer(owner)] == [True]


def test_a_club_share_goes_when_its_owner_leaves(app: Flask, ctx: Flask) -> None:
    owner = archers.create("robin", "x").id
    other = archers.create("sam", "x").id
    club_id = stored_clubs.create(other, "Sherwood", None, None)
    stored_clubs.join(club_id, owner)
    share_id, _ = stored.create(owner, keep(app, owner), club_id)
    assert [s.id for s in stored.in_club(club_id)] == [share_id]
    assert stored_clubs.leave(club_id, owner)
    assert stored.in_club(club_id) == []
    assert stored.in_club_one(club_id, share_id) is None


def test_deleting_the_round_or_club_deletes_its_shares(app: Flask, ctx: Flask) -> None:
    owner = archers.create("robin", "x").id
    club_id = stored_clubs.create(owner, "Sherwood", None, None)
    first, second = keep(app, owner), keep(app, owner)
    stored.create(owner, first, club_id)
    stored.create(owner, second, None)
    write(lambda s: s.execute(delete(MatchRow).where(MatchRow.id == second)))
    write(lambda s: s.execute(delete(Club).where(Club.id == club_id)))
    count = get_session().execute(select(func.count()).select_from(SharedRound))
    assert count.scalar_one() == 0
