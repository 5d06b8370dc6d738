"""The ghost ladders through the API: start one (a browser session, a token),
list them, read one, shoot its next match and play it with the match
operations; refusals in the API's one shape; every answer checked against
the OpenAPI document."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from ghost_simulator.engine import Match
from ghost_simulator.engine.ladder import Ladder, LadderFormat
from ghost_simulator.store import get_session
from ghost_simulator.store.models import Match as Row
from ghost_simulator.web.api.openapi import document

from .test_api import bearer, error_of, make_archer, make_token

LADDERS = "/api/v1/ladders"


@pytest.fixture(scope="module")
def api_schema() -> Any:
    return schemathesis.openapi.from_dict(document())


@pytest.fixture
def check(api_schema: Any):  # type: ignore[no-untyped-def]
    """``check(response, "GET", "/api/v1/ladders")``: the answer is one the
    document describes (status, content type and body), and returned."""

    def conforms(response: TestResponse, method: str, path: str) -> TestResponse:
        api_schema[path][method].validate_response(response)
        return response

    return conforms


def create(
    client: FlaskClient, headers: dict[str, str] | None = None, **setup: Any
) -> dict[str, Any]:
    answer = client.post(LADDERS, json=setup, headers=headers or {})
    assert answer.status_code == 201, answer.text
    assert answer.headers["Location"] == f"{LADDERS}/{answer.json['id']}"  # type: ignore[index]
    return dict(answer.json or {})


def test_a_round_trip(client: FlaskClient, app: Flask, check: Any) -> None:
    made = create(client, kind="set", bow="recurve", handicap=40)
    check(client.post(LADDERS, json={"handicap": 40}), "POST", LADDERS)
    ladder_id = made["id"]
    assert made["format"] == {
        "kind": "set",
        "bow": "recurve",
        "indoor": False,
        "round": "match_recurve_outdoor",
        "round_name": "Recurve match, 70 m outdoor",
        "scheme": "AGB",
    }
    assert (made["target"], made["start_level"], made["start"]) == (0.5, 40, "handicap")
    assert made["rungs"] == []
    assert made["win_rate"] is None
    assert made["next_ghost"]["handicap"] == 40
    assert made["next_ghost"]["chance"] == pytest.approx(0.5, abs=0.01)
    path = f"{LADDERS}/{ladder_id}"
    assert check(client.get(path), "GET", "/api/v1/ladders/{ladder_id}").json == made

    shot = check(
        client.post(f"{path}/matches"), "POST", "/api/v1/ladders/{ladder_id}/matches"
    )
    assert shot.status_code == 201
    match = shot.json
    assert shot.headers["Location"] == f"/api/v1/matches/{match['id']}"
    assert match["ghost"]["handicap"] == 40
    assert match["kind"] == "set"
    again = check(
        client.post(f"{path}/matches"), "POST", "/api/v1/ladders/{ladder_id}/matches"
    )
    assert (again.status_code, again.json["id"]) == (200, match["id"])
    assert client.get(path).json["match_in_progress"] == match["id"]

    # Played as any match is: low arrows lose it quickly.
    for _end in range(5):
        played = client.post(
            f"/api/v1/matches/{match['id']}/ends", json={"arrows": ["2", "1", "M"]}
        )
        assert played.status_code == 200, played.text
        if played.json["finished"]:
            break
    assert played.json["status"] == "lost"

    state = check(client.get(path), "GET", "/api/v1/ladders/{ladder_id}").json
    assert state["match_in_progress"] is None
    assert (state["won"], state["lost"], state["tied"], state["win_rate"]) == (
        0,
        1,
        0,
        0,
    )
    [rung] = state["rungs"]
    assert (rung["number"], rung["match_id"], rung["result"]) == (
        1,
        match["id"],
        "lost",
    )
    assert (rung["ghost"], rung["estimate"]) == (40, 40)
    # The engine, replayed by hand on the stored arrows, says the same.
    engine = Ladder.start(LadderFormat("set", "recurve"), 40, 0.5)
    with app.app_context():
        row = get_session().get(Row, match["id"])
        assert row is not None
        engine.record(Match.from_dict(row.state), 40)
    assert state["estimate"]["level"] == pytest.approx(engine.estimate.level)
    assert state["next_ghost"]["handicap"] == engine.next_ghost()
    assert state["next_ghost"]["handicap"] > 45  # lost badly: a weaker ghost
    assert rung["earned"] == pytest.approx(played.json["archer_handicap"])

    listed = check(client.get(LADDERS), "GET", LADDERS).json["ladders"]
    assert len(listed) == 2  # and the one made to check the answer
    mine = next(item for item in listed if item["id"] == ladder_id)
    assert (mine["matches"], mine["won"]) == (1, 0)


def test_a_tokens_ladder_is_the_archers(
    app: Flask, client: FlaskClient, check: Any
) -> None:
    token = make_token(app, make_archer(app))
    made = create(
        client, bearer(token), kind="ranking", round="wa18", score=540, target=0.3
    )
    assert made["format"]["round"] == "wa18"
    assert made["target"] == 0.3
    path = f"{LADDERS}/{made['id']}"
    assert app.test_client().get(path, headers=bearer(token)).status_code == 200
    # The browser that sent the token has no ladder of its own.
    assert (
        check(client.get(path), "GET", "/api/v1/ladders/{ladder_id}").status_code == 404
    )
    assert client.get(LADDERS).json == {"ladders": []}
    started = app.test_client().post(f"{path}/matches", headers=bearer(token))
    assert started.status_code == 201
    assert started.json["round"]["code"] == "wa18"


def test_another_caller_gets_404(app: Flask, client: FlaskClient, check: Any) -> None:
    made = create(client, handicap=30)
    other = app.test_client()
    path = f"{LADDERS}/{made['id']}"
    refused = check(other.get(path), "GET", "/api/v1/ladders/{ladder_id}")
    assert refused.status_code == 404
    assert "no ladder" in error_of(refused)["message"]
    refused = check(
        other.post(f"{path}/matches"), "POST", "/api/v1/ladders/{ladder_id}/matches"
    )
    assert refused.status_code == 404


@pytest.mark.parametrize(
    ("setup", "field", "message"),
    [
        ({"handicap": 40, "target": 0.99}, "target", "0.05 to 0.95"),
        ({"handicap": 40, "target": 0.01}, "target", "0.05 to 0.95"),
        ({"handicap": 40, "bow": "crossbow"}, "bow", "recurve"),
        ({"handicap": 400}, "handicap", "-75 (best) to 300 (worst)"),
        (
            {"kind": "ranking", "round": "no_such_round", "handicap": 40},
            "round",
            "no round",
        ),
        ({"kind": "ranking", "handicap": 40}, "round", "Choose the round"),
        ({"start": "score"}, "score", "Give a score"),
        ({"score": 9999}, "score", "out of the handicap scale"),
        ({}, "start", "Sign in to start from your history"),
    ],
)
def test_a_ladder_that_cannot_be_is_422_naming_the_field(
    client: FlaskClient, check: Any, setup: dict[str, Any], field: str, message: str
) -> None:
    refused = check(client.post(LADDERS, json=setup), "POST", LADDERS)
    assert refused.status_code == 422
    error = error_of(refused)
    assert message in error["fields"][field]
    assert client.get(LADDERS).json == {"ladders": []}


def test_deleting_a_ladder_keeps_its_matches(
    app: Flask, client: FlaskClient, check: Any
) -> None:
    made = create(client, handicap=40)
    path = f"{LADDERS}/{made['id']}"
    document_path = "/api/v1/ladders/{ladder_id}"
    match = client.post(f"{path}/matches").json
    assert match is not None
    for _end in range(5):
        played = client.post(
            f"/api/v1/matches/{match['id']}/ends", json={"arrows": ["X", "X", "X"]}
        )
        assert played.status_code == 200, played.text
        if played.json["finished"]:
            break
    assert played.json["status"] == "won"

    # Another browser, and an archer's token, are told there is no such ladder.
    refused = check(app.test_client().delete(path), "DELETE", document_path)
    assert refused.status_code == 404
    assert "no ladder" in error_of(refused)["message"]
    token = make_token(app, make_archer(app))
    refused = check(
        app.test_client().delete(path, headers=bearer(token)), "DELETE", document_path
    )
    assert refused.status_code == 404
    assert client.get(path).status_code == 200

    deleted = check(client.delete(path), "DELETE", document_path)
    assert deleted.status_code == 204
    assert deleted.data == b""
    assert check(client.get(path), "GET", document_path).status_code == 404
    assert client.get(LADDERS).json == {"ladders": []}
    assert check(client.delete(path), "DELETE", document_path).status_code == 404
    kept = client.get(f"/api/v1/matches/{match['id']}")
    assert kept.status_code == 200
    assert kept.json["status"] == "won"


def test_a_tokens_ladder_is_deleted_with_the_token(app: Flask, check: Any) -> None:
    token = make_token(app, make_archer(app))
    made = create(app.test_client(), bearer(token), handicap=40)
    path = f"{LADDERS}/{made['id']}"
    assert app.test_client().delete(path).status_code == 404  # no token
    deleted = app.test_client().delete(path, headers=bearer(token))
    assert check(deleted, "DELETE", "/api/v1/ladders/{ladder_id}").status_code == 204
    assert app.test_client().get(path, headers=bearer(token)).status_code == 404


def test_the_delete_is_in_the_document() -> None:
    operation = document()["paths"]["/api/v1/ladders/{ladder_id}"]["delete"]
    assert operation["operationId"] == "delete_ladder"
    assert "content" not in operation["responses"]["204"]
    assert {"403", "404"} <= set(operation["responses"])
