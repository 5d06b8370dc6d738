"""Clubs through the API: start one, list, read (members as the club sees
them), invite (the link once), join with the token (a dead one says nothing
of the club), leave and remove, delete; every answer as the OpenAPI document
describes it; bad input is 422 with nothing stored; another's club is 404."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update
from werkzeug.test import TestResponse

from ghost_simulator import create_app
from ghost_simulator.store import clubs as stored
from ghost_simulator.store import get_session, write
from ghost_simulator.store.models import Club, ClubInvite
from ghost_simulator.web.api.openapi import document

from .test_api import bearer, make_archer, make_token

CLUBS = "/api/v1/clubs"
ONE = "/api/v1/clubs/{club_id}"
INVITE = "/api/v1/clubs/{club_id}/invitations"
JOIN = "/api/v1/clubs/invitations/join"
MEMBER = "/api/v1/clubs/{club_id}/members/{archer_id}"


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


def test_the_document_has_a_clubs_tag() -> None:
    doc = document()
    assert "clubs" in {t["name"] for t in doc["tags"]}
    for path in (CLUBS, ONE, INVITE, JOIN, MEMBER):
        assert path in doc["paths"]


def test_clubs_need_an_archer(client: FlaskClient, check: Any) -> None:
    answer = check(client.get(CLUBS), "GET", CLUBS)
    assert answer.status_code == 401


def test_start_invite_join_leave_delete(
    client: FlaskClient, app: Flask, check: Any
) -> None:
    owner_id, owner = archer(app, "owner")
    member_id, member = archer(app, "member")
    answer = check(
        client.post(
            CLUBS, json={"name": "Riverside", "location": "Leeds"}, headers=owner
        ),
        "POST",
        CLUBS,
    )
    assert answer.status_code == 201, answer.text
    club = answer.json
    club_id = club["id"]
    assert answer.headers["Location"] == f"{CLUBS}/{club_id}"
    assert club["role"] == "owner"
    assert [m["archer_id"] for m in club["members"]] == [owner_id]
    listed = check(client.get(CLUBS, headers=owner), "GET", CLUBS).json
    assert [c["id"] for c in listed["clubs"]] == [club_id]
    # Strangers see nothing.
    answer = check(client.get(f"{CLUBS}/{club_id}", headers=member), "GET", ONE)
    assert answer.status_code == 404
    # A member may not invite; the owner may.
    answer = check(
        client.post(f"{CLUBS}/{club_id}/invitations", json={}, headers=member),
        "POST",
        INVITE,
    )
    assert answer.status_code == 404
    answer = check(
        client.post(f"{CLUBS}/{club_id}/invitations", json={"days": 1}, headers=owner),
        "POST",
        INVITE,
    )
    assert answer.status_code == 201, answer.text
    token = answer.json["token"]
    assert len(token) >= 43
    assert answer.json["link"].endswith(f"/clubs/join/{token}")
    answer = check(
        client.post(JOIN, json={"token": token}, headers=member), "POST", JOIN
    )
    assert answer.status_code == 200, answer.text
    assert answer.json["role"] == "member"
    answer = check(
        client.post(f"{CLUBS}/{club_id}/invitations", json={}, headers=member),
        "POST",
        INVITE,
    )
    assert answer.status_code == 403
    # The member may not delete nor remove the owner.
    answer = check(client.delete(f"{CLUBS}/{club_id}", headers=member), "DELETE", ONE)
    assert answer.status_code == 403
    answer = check(
        client.delete(f"{CLUBS}/{club_id}/members/{owner_id}", headers=member),
        "DELETE",
        MEMBER,
    )
    assert answer.status_code == 403
    # The owner cannot leave; the member can.
    answer = check(
        client.delete(f"{CLUBS}/{club_id}/members/{owner_id}", headers=owner),
        "DELETE",
        MEMBER,
    )
    assert answer.status_code == 403
    answer = check(
        client.delete(f"{CLUBS}/{club_id}/members/{member_id}", headers=member),
        "DELETE",
        MEMBER,
    )
    assert answer.status_code == 204
    assert client.get(f"{CLUBS}/{club_id}", headers=member).status_code == 404
    answer = check(client.delete(f"{CLUBS}/{club_id}", headers=owner), "DELETE", ONE)
    assert answer.status_code == 204
    assert client.get(f"{CLUBS}/{club_id}", headers=owner).status_code == 404


def test_a_dead_invitation_says_nothing_of_the_club(
    client: FlaskClient, app: Flask, check: Any
) -> None:
    _, owner = archer(app, "owner")
    _, other = archer(app, "other")
    club_id = client.post(CLUBS, json={"name": "Secret club"}, headers=owner).json["id"]
    token = client.post(f"{CLUBS}/{club_id}/invitations", json={}, headers=owner).json[
        "token"
    ]
    with app.app_context():
        write(
            lambda s: s.execute(
                update(ClubInvite).values(
                    expires_at=datetime.now(UTC) - timedelta(seconds=1)
                )
            )
        )
    for sent in (token, "x" * 43):
        answer = check(
            client.post(JOIN, json={"token": sent}, headers=other), "POST", JOIN
        )
        assert answer.status_code == 404
        assert "Secret" not in answer.text
    with app.app_context():
        assert len(stored.members(club_id)) == 1


@pytest.mark.parametrize(
    "body",
    [
        {"name": "x" * 10_000},
        {"name": ""},
        {"name": "ok", "location": "y" * 101},
        {"name": "ok", "description": "z" * 501},
        {"name": 3},
        {"name": "ok", "extra": 1},
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(
    client: FlaskClient, app: Flask, check: Any, body: dict[str, Any]
) -> None:
    _, owner = archer(app, "owner")
    answer = check(client.post(CLUBS, json=body, headers=owner), "POST", CLUBS)
    assert answer.status_code in (400, 422)
    if body.get("name") == "x" * 10_000:
        assert "at most 100 characters" in answer.text
    with app.app_context():
        assert get_session().scalar(select(func.count()).select_from(Club)) == 0


def test_joining_is_rate_limited(data_dir: Path) -> None:
    app = create_app({"TESTING": True, "DATA_DIR": str(data_dir)})
    client = app.test_client()
    _, other = archer(app, "other")
    codes = [
        client.post(JOIN, json={"token": f"guess{n}"}, headers=other).status_code
        for n in range(31)
    ]
    assert codes[:30] == [404] * 30
    assert codes[30] == 429
