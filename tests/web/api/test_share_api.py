"""Shared rounds through the API: share with a club or as a link (the link
once), list, revoke, shoot against a link; every answer as the OpenAPI
document describes it; bad input never a 500."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from ghost_simulator.engine import Match
from ghost_simulator.store import clubs as stored_clubs
from ghost_simulator.store import matches
from ghost_simulator.web.api.openapi import document

from ..history.test_history import keep
from ..share.test_share_pages import FRIEND_ENDS, friends_round
from .test_api import bearer, make_archer, make_token

SHARES = "/api/v1/shares"
ONE = "/api/v1/shares/{share_id}"
SHOOT = "/api/v1/shares/{token}/matches"


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


def test_the_document_has_a_shares_tag() -> None:
    doc = document()
    assert "shares" in {t["name"] for t in doc["tags"]}
    for path in (SHARES, ONE, SHOOT):
        assert path in doc["paths"]


def test_share_as_a_link_and_shoot_against_it(
    app: Flask, client: FlaskClient, check: Any
) -> None:
    owner, owner_auth = archer(app, "robin")
    friend, friend_auth = archer(app, "sam")
    round_id = friends_round(app, owner)

    made = client.post(
        SHARES, json={"match_id": round_id, "link": True}, headers=owner_auth
    )
    assert made.status_code == 201, made.json
    check(made, "POST", SHARES)
    link = made.json["link"]
    token = link.rsplit("/", 1)[1]
    listed = client.get(SHARES, headers=owner_auth)
    check(listed, "GET", SHARES)
    assert [s["id"] for s in listed.json["shares"]] == [made.json["id"]]
    assert "link" not in listed.json["shares"][0]

    started = client.post(f"/api/v1/shares/{token}/matches", headers=friend_auth)
    assert started.status_code == 201, started.json
    check(started, "POST", SHOOT)
    match_id = started.json["id"]
    with app.app_context():
        found = matches.load_own(match_id, friend)
        assert found is not None
        assert Match.from_dict(found.state).ghost.replay[0] == tuple(FRIEND_ENDS[0])

    gone = client.delete(f"/api/v1/shares/{made.json['id']}", headers=owner_auth)
    assert gone.status_code == 204
    assert (
        client.delete(
            f"/api/v1/shares/{made.json['id']}", headers=owner_auth
        ).status_code
        == 404
    )
    again = client.post(f"/api/v1/shares/{token}/matches", headers=friend_auth)
    assert again.status_code == 404
    check(again, "POST", SHOOT)
    assert (
        client.get(f"/api/v1/matches/{match_id}", headers=friend_auth).status_code
        == 200
    )


def test_share_with_a_club(app: Flask, client: FlaskClient, check: Any) -> None:
    owner, owner_auth = archer(app, "robin")
    round_id = friends_round(app, owner)
    with app.app_context():
        club_id = stored_clubs.create(owner, "Riverside", None, None)
        elsewhere = stored_clubs.create(make_archer(app, "eve"), "Other", None, None)
    made = client.post(
        SHARES, json={"match_id": round_id, "club_id": club_id}, headers=owner_auth
    )
    assert made.status_code == 201
    check(made, "POST", SHARES)
    assert made.json["link"] is None
    assert made.json["club_id"] == club_id
    refused = client.post(
        SHARES, json={"match_id": round_id, "club_id": elsewhere}, headers=owner_auth
    )
    assert refused.status_code == 404


def test_bad_input(app: Flask, client: FlaskClient, check: Any) -> None:
    owner, owner_auth = archer(app, "robin")
    other, _ = archer(app, "sam")
    theirs = friends_round(app, other)
    unfinished = keep(app, owner, ends=1)
    a_match = keep(app, owner, "set")
    mine = friends_round(app, owner)
    cases = [
        ({"match_id": theirs, "link": True}, 404),
        ({"match_id": unfinished, "link": True}, 422),
        ({"match_id": a_match, "link": True}, 422),
        ({"match_id": mine}, 422),
        ({"match_id": mine, "link": True, "club_id": "x"}, 422),
        ({"match_id": "", "link": True}, 422),
        ({"match_id": mine, "link": "yes"}, 422),
    ]
    for body, status in cases:
        answer = client.post(SHARES, json=body, headers=owner_auth)
        assert answer.status_code == status, (body, answer.json)
        check(answer, "POST", SHARES)
    assert client.post(SHARES, json={"match_id": mine, "link": True}).status_code == 401
    answer = client.post("/api/v1/shares/" + "t" * 30 + "/matches", headers=owner_auth)
    assert answer.status_code == 404
