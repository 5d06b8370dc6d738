"""store.leagues: a league and its nights in one transaction (each night its
week and its own match), refused whole past the club's 1,000 nights, listed,
loaded with its nights by week, and deleted with its nights and their
entries (never the matches); deleting the club deletes its leagues."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from ghost_simulator.engine import Ghost, Match, get_round
from ghost_simulator.store import archers, clubs, get_session
from ghost_simulator.store import leagues as stored
from ghost_simulator.store import matches as stored_matches
from ghost_simulator.store import nights as stored_nights
from ghost_simulator.store.models import GhostNight, League, NightEntry
from ghost_simulator.store.owned import Owner

START = datetime(2030, 10, 4, 17, 0, tzinfo=UTC)


@pytest.fixture
def context(app: Flask) -> Iterator[None]:
    with app.test_request_context():
        yield


def week_nights(count: int) -> list[stored.LeagueNight]:
    return [
        stored.LeagueNight(
            week=week,
            title=f"Winter — week {week}",
            match=Match(
                "ranking", get_round("wa18"), Ghost.from_handicap(40.0), 100 + week
            ).to_dict(),
            opens_at=START + timedelta(days=7 * (week - 1)),
            closes_at=START + timedelta(days=7 * (week - 1), hours=4),
        )
        for week in range(1, count + 1)
    ]


@pytest.fixture
def club(context: None) -> dict[str, Any]:
    archer = archers.create(
        "alice", generate_password_hash("pw", method="scrypt:1024:8:1")
    )
    return {"id": clubs.create(archer.id, "Arrows", None, None), "owner": archer.id}


def make(club: dict[str, Any], count: int = 3, title: str = "Winter") -> str:
    return stored.create(
        club["id"],
        title=title,
        best=2,
        ranking="score",
        every_days=7,
        timezone="UTC",
        created_by=club["owner"],
        nights=week_nights(count),
    )


def rows(model: Any) -> int:
    return int(get_session().scalar(select(func.count()).select_from(model)) or 0)


def test_a_league_is_stored_with_its_nights_by_week(club: dict[str, Any]) -> None:
    league_id = make(club)
    loaded = stored.load(club["id"], league_id)
    assert loaded is not None
    assert (loaded.league.title, loaded.league.best, loaded.league.nights) == (
        "Winter",
        2,
        3,
    )
    assert [loaded.weeks[n.id] for n in loaded.nights] == [1, 2, 3]
    assert [n.match["seed"] for n in loaded.nights] == [101, 102, 103]
    assert all(n.ranking == "score" and n.club_id == club["id"] for n in loaded.nights)
    assert loaded.nights[1].opens_at == START + timedelta(days=7)
    assert stored.count(club["id"]) == 1
    assert stored_nights.count(club["id"]) == 3
    found = stored.league_of_night(loaded.nights[2].id)
    assert found is not None
    assert (found.league_id, found.week, found.weeks) == (league_id, 3, 3)
    assert [league.id for league in stored.list_for(club["id"])] == [league_id]


def test_another_clubs_league_is_none(club: dict[str, Any]) -> None:
    league_id = make(club)
    other = clubs.create(club["owner"], "Other", None, None)
    assert stored.load(other, league_id) is None
    assert stored.load(club["id"], "x" * 40) is None
    assert stored.delete(other, league_id) is False
    assert stored.league_of_night("no-such-night") is None


def test_the_club_limit_refuses_the_whole_league(
    club: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stored_nights, "MOST_NIGHTS", 4)
    make(club, count=2)
    with pytest.raises(stored_nights.TooMany):
        make(club, count=3)  # 2 + 3 > 4: none of the three is stored
    assert (rows(League), rows(GhostNight)) == (1, 2)
    make(club, count=2)  # exactly 4
    assert (rows(League), rows(GhostNight)) == (2, 4)


def test_deleting_a_league_deletes_its_nights_and_entries_not_matches(
    club: dict[str, Any],
) -> None:
    league_id = make(club)
    kept = stored_nights.create(
        club["id"],
        title="A night of its own",
        match=week_nights(1)[0].match,
        ranking="score",
        opens_at=START,
        closes_at=START + timedelta(hours=1),
        timezone="UTC",
        created_by=club["owner"],
    )
    loaded = stored.load(club["id"], league_id)
    assert loaded is not None
    match = Match.from_dict(loaded.nights[0].match)
    match_id, _made = stored_nights.join(
        loaded.nights[0].id,
        Owner("key", club["owner"]),
        state=match.to_dict(),
        status=match.verdict().status,
        summary=match.summary(),
    )
    assert stored.delete(club["id"], league_id) is True
    assert stored.load(club["id"], league_id) is None
    assert rows(NightEntry) == 0
    assert [n.id for n in stored_nights.list_for(club["id"])] == [kept]
    assert stored_matches.load(match_id, Owner("key", club["owner"])) is not None
    assert stored.delete(club["id"], league_id) is False


def test_deleting_the_club_deletes_its_leagues(club: dict[str, Any]) -> None:
    make(club)
    assert clubs.delete(club["id"]) is True
    assert (rows(League), rows(GhostNight)) == (0, 0)
