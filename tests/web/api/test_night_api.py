"""Ghost nights through the API: listed and set up (admins: a member is
refused 403; bad input 422 with nothing stored), read with the leaderboard as
the caller may see it, joined (201, then 200), shot through the matches'
ends; 404 for a stranger; every answer as the document says."""

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
from ghost_simulator.store.models import ClubMember, GhostNight
from ghost_simulator.web.api.openapi import document

from .test_api import bearer, make_archer, make_token

NIGHTS = "/api/v1/clubs/{club_id}/nights"
ONE = "/api/v1/clubs/{club_id}/nights/{night_id}"
ENTRY = "/api/v1/clubs/{club_id}/nights/{night_id}/entry"


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
        "title": "Friday ghost",
        "kind": "ranking",
        "indoor": True,
        "round": "wa18",
        "handicap": 40,
        "timezone": "UTC",
        "opens": (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "closes": (now + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        **changes,
    }


def count(app: Flask) -> int:
    with app.app_context():
        return int(
            get_session().scalar(select(func.count()).select_from(GhostNight)) or 0
        )


def test_the_document_has_a_nights_tag() -> None:
    doc = document()
    assert "nights" in {t["name"] for t in doc["tags"]}
    for path in (NIGHTS, ONE, ENTRY):
        assert path in doc["paths"]


def test_set_up_join_shoot_and_read(
    app: Flask, client: FlaskClient, check: Any
) -> None:
    owner_id, owner = archer(app, "olga")
    member_id, member = archer(app, "mia")
    stranger_id, stranger = archer(app, "sam")
    with app.app_context():
        club_id = clubs.create(owner_id, "Arrows", None, None)

        def insert(session: Any) -> None:
            session.add(ClubMember(club_id=club_id, archer_id=member_id, role="member"))

        write(insert)
    url = NIGHTS.format(club_id=club_id)
    refused = check(client.post(url, json=body(), headers=member), "POST", NIGHTS)
    assert refused.status_code == 403
    made = check(client.post(url, json=body(), headers=owner), "POST", NIGHTS)
    assert made.status_code == 201, made.json
    night_id = made.json["id"]
    assert made.headers["Location"].endswith(night_id)
    assert "seed" not in made.text
    listed = check(client.get(url, headers=member), "GET", NIGHTS)
    assert [n["id"] for n in listed.json["nights"]] == [night_id]
    one = ONE.format(club_id=club_id, night_id=night_id)
    entry = ENTRY.format(club_id=club_id, night_id=night_id)
    joined = check(client.post(entry, headers=member), "POST", ENTRY)
    assert joined.status_code == 201
    again = check(client.post(entry, headers=member), "POST", ENTRY)
    assert again.status_code == 200
    assert again.json["match_id"] == joined.json["match_id"]
    ends = client.post(
        f"/api/v1/matches/{joined.json['match_id']}/ends",
        json={"arrows": ["9", "9", "9"]},
        headers=member,
    )
    assert ends.status_code in (200, 201), ends.json
    seen = check(client.get(one, headers=owner), "GET", ONE)
    assert seen.json["version"] == 1
    row = seen.json["leaderboard"][0]
    assert (row["archer_id"], row["total"], row["ends_shot"]) == (member_id, 27, 1)
    # The owner has shot nothing: the ghost's arrows stay hidden from them.
    assert (row["ghost_total"], row["margin"]) == (None, None)
    mine = check(client.get(one, headers=member), "GET", ONE)
    assert mine.json["leaderboard"][0]["ghost_total"] is not None
    for path, template in ((url, NIGHTS), (one, ONE)):
        assert (
            check(client.get(path, headers=stranger), "GET", template).status_code
            == 404
        )
    assert client.post(entry, headers=stranger).status_code == 404
    assert stranger_id


@pytest.mark.parametrize(
    "changes",
    [
        {"title": ""},
        {"timezone": "Nowhere/Else"},
        {"opens": "2020-01-01T10:00", "closes": "2020-01-01T12:00"},
        {"opens": "2031-01-02T10:00", "closes": "2031-01-01T10:00"},
        {"closes": "2099-01-01T10:00"},
        {"round": "no_such_round"},
    ],
)
def test_bad_input_is_422_and_nothing_is_stored(
    app: Flask, client: FlaskClient, check: Any, changes: dict[str, Any]
) -> None:
    owner_id, owner = archer(app, "olga")
    with app.app_context():
        club_id = clubs.create(owner_id, "Arrows", None, None)
    url = NIGHTS.format(club_id=club_id)
    answer = check(
        client.post(url, json=body(**changes), headers=owner), "POST", NIGHTS
    )
    assert answer.status_code == 422, answer.json
    assert answer.json["error"]["fields"], answer.json
    assert count(app) == 0


def test_an_end_sent_through_the_api_after_the_close_counts_if_shot_in_time(
    app: Flask, client: FlaskClient, check: Any
) -> None:
    owner_id, owner = archer(app, "olga")
    with app.app_context():
        club_id = clubs.create(owner_id, "Arrows", None, None)
    made = client.post(NIGHTS.format(club_id=club_id), json=body(), headers=owner)
    night_id = made.json["id"]
    entry = ENTRY.format(club_id=club_id, night_id=night_id)
    match_id = client.post(entry, headers=owner).json["match_id"]
    ends = f"/api/v1/matches/{match_id}/ends"
    template = "/api/v1/matches/{match_id}/ends"
    with app.app_context():

        def close(session: Any) -> None:
            session.get(GhostNight, night_id).closes_at = datetime.now(UTC) - timedelta(
                minutes=10
            )

        write(close)
    late = check(
        client.post(ends, json={"arrows": ["9"] * 3}, headers=owner), "POST", template
    )
    assert late.status_code == 409
    assert "closed" in late.json["error"]["message"]
    bad = check(
        client.post(
            ends, json={"arrows": ["9"] * 3, "shot_at": "yesterday"}, headers=owner
        ),
        "POST",
        template,
    )
    assert bad.status_code in (400, 422)
    assert "shot_at" in bad.text
    in_time = (datetime.now(UTC) - timedelta(minutes=30)).isoformat()
    sent = check(
        client.post(
            ends, json={"arrows": ["9"] * 3, "shot_at": in_time}, headers=owner
        ),
        "POST",
        template,
    )
    assert sent.status_code in (200, 201), sent.json
    seen = client.get(ONE.format(club_id=club_id, night_id=night_id), headers=owner)
    row = seen.json["leaderboard"][0]
    assert (row["total"], row["late"]) == (27, True)
