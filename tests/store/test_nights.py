"""store.nights: a night's entry is made with its match in one transaction,
joining twice returns the same match, and an end saved on an entry bumps the
night's version in the same write."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import generate_password_hash

from ghost_simulator.engine import Ghost, Match, get_round
from ghost_simulator.store import archers, clubs, get_session, write
from ghost_simulator.store import matches as stored_matches
from ghost_simulator.store import nights as stored
from ghost_simulator.store.models import Match as MatchRow
from ghost_simulator.store.models import NightEntry
from ghost_simulator.store.owned import Owner


@pytest.fixture
def context(app: Flask) -> Iterator[None]:
    with app.test_request_context():
        yield


def night_match() -> Match:
    return Match("ranking", get_round("wa18"), Ghost.from_handicap(40.0), 1234)


@pytest.fixture
def night(context: None) -> dict[str, Any]:
    archer = archers.create(
        "alice", generate_password_hash("pw", method="scrypt:1024:8:1")
    )
    club_id = clubs.create(archer.id, "Arrows", None, None)
    now = datetime.now(UTC)
    night_id = stored.create(
        club_id,
        title="Friday",
        match=night_match().to_dict(),
        ranking="score",
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(hours=1),
        timezone="UTC",
        created_by=archer.id,
    )
    return {"club": club_id, "id": night_id, "owner": Owner("key", archer.id)}


def join(night_id: str, owner: Owner) -> tuple[str, bool]:
    match = night_match()
    return stored.join(
        night_id,
        owner,
        state=match.to_dict(),
        status=match.verdict().status,
        summary=match.summary(),
    )


def count_matches() -> int:
    return int(get_session().scalar(select(func.count()).select_from(MatchRow)) or 0)


def test_joining_twice_returns_the_same_match(night: dict[str, Any]) -> None:
    first, made = join(night["id"], night["owner"])
    again, made_again = join(night["id"], night["owner"])
    assert (made, made_again, again) == (True, False, first)
    assert count_matches() == 1
    assert [e.match_id for e in stored.entries(night["id"])] == [first]
    found = stored.night_of_match(first)
    assert found is not None
    assert (found.night_id, found.club_id) == (night["id"], night["club"])


def test_the_match_and_its_entry_are_one_transaction(night: dict[str, Any]) -> None:
    # No such night: the entry cannot be stored, and neither is the match.
    with pytest.raises(IntegrityError):
        join("no-such-night", night["owner"])
    get_session().rollback()
    assert count_matches() == 0
    assert get_session().scalar(select(func.count()).select_from(NightEntry)) == 0


def test_a_saved_end_bumps_the_version_in_the_same_write(
    night: dict[str, Any],
) -> None:
    match_id, _ = join(night["id"], night["owner"])
    before = stored.load(night["club"], night["id"])
    assert before is not None
    assert before.version == 0
    assert stored.touched(match_id) == night["id"]
    after = stored.load(night["club"], night["id"])
    assert after is not None
    assert after.version == 1
    assert stored.touched("not-a-night-match") is None

    # Inside a write that fails, the bump is rolled back with it.
    def fails(_session: Any) -> None:
        stored.touched(match_id)
        raise RuntimeError("the end's save failed")

    with pytest.raises(RuntimeError):
        write(fails)
    again = stored.load(night["club"], night["id"])
    assert again is not None
    assert again.version == 1


def test_deleting_a_night_keeps_its_matches(night: dict[str, Any]) -> None:
    match_id, _ = join(night["id"], night["owner"])
    assert stored.delete("another-club", night["id"]) is False
    assert stored.delete(night["club"], night["id"]) is True
    assert stored.load(night["club"], night["id"]) is None
    assert stored_matches.load(match_id, night["owner"]) is not None
    assert stored.night_of_match(match_id) is None
