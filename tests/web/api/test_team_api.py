"""Team matches through the API: start one (a browser session, a token),
list yours, read one (only the ends shot), enter ends and a shoot-off, every
answer as the OpenAPI document describes it; bad requests are 422 naming the
field; another caller's match is 404."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from ghost_simulator.engine.teams import TeamMatch
from ghost_simulator.web.api.openapi import document
from tests.team_play import end_labels, level_plan, shoot_off_win

TEAMS = "/api/v1/team-matches"
ONE = "/api/v1/team-matches/{team_id}"


@pytest.fixture(scope="module")
def api_schema() -> Any:
    return schemathesis.openapi.from_dict(document())


@pytest.fixture
def check(api_schema: Any):  # type: ignore[no-untyped-def]
    def conforms(response: TestResponse, method: str, path: str) -> TestResponse:
        api_schema[path][method].validate_response(response)
        return response

    return conforms


def create(client: FlaskClient, **setup: Any) -> dict[str, Any]:
    answer = client.post(TEAMS, json=setup)
    assert answer.status_code == 201, answer.text
    assert answer.headers["Location"] == f"{TEAMS}/{answer.json['id']}"  # type: ignore[index]
    return dict(answer.json or {})


def engine(app: Flask, match_id: str) -> TeamMatch:
    from ghost_simulator.store import get_session
    from ghost_simulator.store.models import TeamMatchRow

    with app.app_context():
        row = get_session().get(TeamMatchRow, match_id)
        assert row is not None
        return TeamMatch.from_dict(dict(row.state))


def test_a_round_trip(app: Flask, client: FlaskClient, check: Any) -> None:
    made = create(client, kind="team", bow="recurve", handicap=40)
    check(client.post(TEAMS, json={"handicap": 40}), "POST", TEAMS)
    assert made["ends"] == []
    assert made["seed"] is None
    assert made["expected_arrows"] == 2
    assert made["version"] == 1
    path = f"{TEAMS}/{made['id']}"
    assert check(client.get(path), "GET", ONE).json == made
    answer = check(
        client.post(f"{path}/ends", json={"arrows": ["10", "9"], "version": 1}),
        "POST",
        ONE + "/ends",
    )
    assert answer.status_code == 200, answer.text
    state = answer.json
    assert len(state["ends"]) == 1  # never the ends to come
    assert state["ends"][0]["team"]["archer"] == ["10", "9"]
    assert len(state["ends"][0]["team"]["teammates"]) == 2
    assert len(state["ends"][0]["opponents"]["members"]) == 3
    assert state["version"] == 2
    listed = check(client.get(TEAMS), "GET", TEAMS).json["team_matches"]
    assert [item["id"] for item in listed][:2] == [
        listed[0]["id"],
        listed[1]["id"],
    ]
    assert made["id"] in {item["id"] for item in listed}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "quartet"}, None),
        ({"bow": "sling"}, None),
        ({"handicap": 900}, "handicap"),
        ({"teammates": "handicap"}, "teammate_handicap"),
        ({"teammates": "me"}, "teammates"),
    ],
)
def test_a_team_match_that_cannot_be_is_422(
    client: FlaskClient, check: Any, body: dict[str, Any], field: str | None
) -> None:
    answer = check(client.post(TEAMS, json=body), "POST", TEAMS)
    assert answer.status_code == 422
    if field:
        assert field in answer.json["error"]["fields"]
    assert client.get(TEAMS).json == {"team_matches": []}


def test_bad_ends_are_422(app: Flask, client: FlaskClient, check: Any) -> None:
    made = create(client)
    path = f"{TEAMS}/{made['id']}/ends"
    for arrows in (["X"], ["X", "X", "X"], ["X", "11"]):
        answer = check(
            client.post(path, json={"arrows": arrows}), "POST", ONE + "/ends"
        )
        assert answer.status_code == 422
        assert "arrow" in answer.json["error"]["fields"]
    answer = client.post(path, json={"arrows": ["X", "X"], "version": 7})
    assert answer.status_code == 422
    assert "version" in answer.json["error"]["fields"]
    assert engine(app, made["id"]).ends_shot == 0


def test_won_in_a_shoot_off_then_nothing_more(
    app: Flask, client: FlaskClient, check: Any
) -> None:
    for _try in range(40):
        made = create(client)
        match = engine(app, made["id"])
        plan = level_plan(match)
        label = shoot_off_win(match)
        if plan is not None and label is not None:
            break
    else:
        raise AssertionError("no level match found")
    path = f"{TEAMS}/{made['id']}"
    for labels in plan:
        state = client.post(f"{path}/ends", json={"arrows": labels}).json
    assert state["status"] == "shoot_off"
    assert state["seed"] is None
    answer = check(
        client.post(f"{path}/shoot-offs", json={"arrow": label}),
        "POST",
        ONE + "/shoot-offs",
    )
    state = answer.json
    assert state["verdict"]["words"] == "Your team wins 5-4 after a shoot-off"
    assert (state["verdict"]["team_points"], state["verdict"]["opponent_points"]) == (
        5,
        4,
    )
    assert state["seed"] is not None
    assert client.post(f"{path}/ends", json={"arrows": ["X", "X"]}).status_code == 422
    assert client.post(f"{path}/shoot-offs", json={"arrow": "X"}).status_code == 422


def test_another_caller_gets_404(app: Flask, client: FlaskClient, check: Any) -> None:
    made = create(client, kind="mixed", bow="compound")
    assert made["system"] == "cumulative"
    other = app.test_client()
    path = f"{TEAMS}/{made['id']}"
    assert check(other.get(path), "GET", ONE).status_code == 404
    assert other.post(f"{path}/ends", json={"arrows": ["X", "X"]}).status_code == 404
    assert other.post(f"{path}/shoot-offs", json={"arrow": "X"}).status_code == 404
    assert other.get(TEAMS).json == {"team_matches": []}


def test_ends_until_over(app: Flask, client: FlaskClient) -> None:
    # Weak teammates against strong opponents: every end can be lost.
    made = create(
        client, kind="mixed", handicap=0, teammates="handicap", teammate_handicap=90
    )
    path = f"{TEAMS}/{made['id']}"
    for _end in range(4):
        match = engine(app, made["id"])
        if match.verdict().finished:
            break
        state = client.post(
            f"{path}/ends", json={"arrows": end_labels(match, "lose") or ["M", "M"]}
        ).json
    assert state["verdict"]["finished"]
    assert state["verdict"]["words"].startswith("Your team loses")
