"""Postal leagues through the API: listed and set up (admins: a member is
refused 403; bad input 422 with its field and nothing stored), read with the
standings as the caller may see them, deleted (admins); 404 for a stranger;
every answer as the document says."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import schemathesis
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from ghost_simulator.store import clubs, get_session, write
from ghost_simulator.store.models import ClubMember, GhostNight, League
from ghost_simulator.web.api.openapi import document

from .test_api import bearer, make_archer, make_token

LEAGUES = "/api/v1/clubs/{club_id}/leagues"
ONE = "/api/v1/clubs/{club_id}/leagues/{league_id}"
NIGHT = "/api/v1/clubs/{club_id}/nights/{night_id}"


@pytest.fixture(scope="module")
def api_schema() -> Any:
    return schemathesis.openapi.from_dict(document())


@pytest.fixture
def check(api_schema: Any):  # type: ignore[no-untyped-def]
    def conforms(response: TestResponse, method: str, path: str) -> TestResponse:
        api_schema[path][method].validate_response(response)
        return response

    return conforms


def archer(app: Flask, name: str) -> tuple[int, dict[str, str]]:
    archer_id = make_archer(app, name)
    return archer_id, bearer(make_token(app, archer_id))


def body(**changes: Any) -> dict[str, Any]:
    now = datetime.now(UTC)
    return {
        "title": "Winter league",
        "nights": 3,
        "best": 2,
        "kind": "ranking",
        "indoor": True,
        "round": "wa18",
        "handicap": 40,
        "ranking": "margin",
        "timezone": "UTC",
        "opens": (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "closes": (now + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        **changes,
    }


def stored(app: Flask) -> tuple[int, int]:
    with app.app_context():
        session = get_session()
        leagues = session.scalar(select(func.count()).select_from(League))
        nights = session.scalar(select(func.count()).select_from(GhostNight))
        return int(leagues or 0), int(nights or 0)


def club_of(app: Flask, owner_id: int, *members: int) -> str:
    with app.app_context():
        club_id = clubs.create(owner_id, "Arrows", None, None)

        def insert(session: Any) -> None:
            for member_id in members:
                session.add(
                    ClubMember(club_id=club_id, archer_id=member_id, role="member")
                )

        write(insert)
    return club_id


def test_the_document_has_a_leagues_tag() -> None:
    doc = document()
    assert "leagues" in {t["name"] for t in doc["tags"]}
    assert set(doc["paths"][LEAGUES]) >= {"get", "post"}
    assert set(doc["paths"][ONE]) >= {"get", "delete"}


def test_set_up_read_and_delete(app: Flask, client: FlaskClient, check: Any) -> None:
    owner_id, owner = archer(app, "olga")
    member_id, member = archer(app, "mia")
    _stranger_id, stranger = archer(app, "sam")
    club_id = club_of(app, owner_id, member_id)
    url = LEAGUES.format(club_id=club_id)
    refused = check(client.post(url, json=body(), headers=member), "POST", LEAGUES)
    assert refused.status_code == 403
    assert stored(app) == (0, 0)
    made = check(client.post(url, json=body(), headers=owner), "POST", LEAGUES)
    assert made.status_code == 201, made.json
    league_id = made.json["id"]
    assert made.headers["Location"].endswith(league_id)
    assert (made.json["nights"], made.json["best"], made.json["every_days"]) == (
        3,
        2,
        7,
    )
    assert "seed" not in made.text
    assert stored(app) == (1, 3)
    listed = check(client.get(url, headers=member), "GET", LEAGUES)
    assert [league["id"] for league in listed.json["leagues"]] == [league_id]
    one = ONE.format(club_id=club_id, league_id=league_id)
    seen = check(client.get(one, headers=member), "GET", ONE)
    schedule = seen.json["schedule"]
    assert [w["week"] for w in schedule] == [1, 2, 3]
    assert [w["state"] for w in schedule] == ["open", "upcoming", "upcoming"]
    assert schedule[0]["title"] == "Winter league — week 1"
    standings = {s["archer_id"]: s for s in seen.json["standings"]}
    assert set(standings) == {owner_id, member_id}
    assert standings[member_id]["you"] is True
    assert standings[member_id]["rank"] is None
    assert [w["state"] for w in standings[member_id]["weeks"]] == ["none"] * 3
    # Each week is a night of the club's, joined and shot as any night.
    night = NIGHT.format(club_id=club_id, night_id=schedule[0]["night_id"])
    assert client.get(night, headers=member).status_code == 200
    joined = client.post(night + "/entry", headers=member)
    assert joined.status_code == 201
    ends = client.post(
        f"/api/v1/matches/{joined.json['match_id']}/ends",
        json={"arrows": ["9", "9", "9"]},
        headers=member,
    )
    assert ends.status_code in (200, 201), ends.json
    seen = check(client.get(one, headers=member), "GET", ONE)
    mine = next(s for s in seen.json["standings"] if s["you"])
    assert mine["weeks"][0] == {
        "week": 1,
        "state": "in_progress",
        "result": None,
        "best": False,
    }
    # Strangers: 404 everywhere.
    for path, template in ((url, LEAGUES), (one, ONE)):
        answer = check(client.get(path, headers=stranger), "GET", template)
        assert answer.status_code == 404
    answer = check(client.delete(one, headers=stranger), "DELETE", ONE)
    assert answer.status_code == 404
    answer = check(client.post(url, json=body(), headers=stranger), "POST", LEAGUES)
    assert answer.status_code == 404
    # Deleting: the admins only; the member keeps their match.
    answer = check(client.delete(one, headers=member), "DELETE", ONE)
    assert answer.status_code == 403
    answer = check(client.delete(one, headers=owner), "DELETE", ONE)
    assert answer.status_code == 204
    assert stored(app) == (0, 0)
    kept = client.get(f"/api/v1/matches/{joined.json['match_id']}", headers=member)
    assert kept.status_code == 200
    answer = check(client.get(one, headers=owner), "GET", ONE)
    assert answer.status_code == 404


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 81}, "title"),
        ({"nights": 53}, "nights"),
        ({"nights": 1}, "nights"),
        ({"nights": "3"}, "nights"),
        ({"every_days": 0}, "every_days"),
        ({"every_days": 32}, "every_days"),
        ({"best": 4}, "best"),
        ({"best": 0}, "best"),
        ({"every_days": 1, "closes": "2099-01-01T10:00"}, "closes"),
        ({"timezone": "Nowhere/Else"}, "timezone"),
        ({"opens": "2020-01-01T10:00", "closes": "2020-01-01T12:00"}, "closes"),
        ({"round": "no_such_round"}, "round"),
    ],
)
def test_bad_input_is_422_with_its_field_and_nothing_is_stored(
    app: Flask,
    client: FlaskClient,
    check: Any,
    changes: dict[str, Any],
    field: str,
) -> None:
    owner_id, owner = archer(app, "olga")
    club_id = club_of(app, owner_id)
    url = LEAGUES.format(club_id=club_id)
    answer = check(
        client.post(url, json=body(**changes), headers=owner), "POST", LEAGUES
    )
    assert answer.status_code == 422, answer.json
    fields = answer.json["error"]["fields"]
    assert any(field in key for key in fields), fields
    assert stored(app) == (0, 0)


def test_52_nights_is_the_longest_season(
    app: Flask, client: FlaskClient, check: Any
) -> None:
    owner_id, owner = archer(app, "olga")
    club_id = club_of(app, owner_id)
    url = LEAGUES.format(club_id=club_id)
    made = check(
        client.post(url, json=body(nights=52, best=52), headers=owner), "POST", LEAGUES
    )
    assert made.status_code == 201
    assert len(made.json["schedule"]) == 52
    assert stored(app) == (1, 52)
