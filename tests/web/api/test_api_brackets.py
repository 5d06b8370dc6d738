"""Elimination brackets through the API: a field's figures (the same as the
command line's), reproducible with a seed, nothing stored; refusals in the
API's one shape, naming the field; every answer checked against the OpenAPI
document."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from ghost_simulator.engine.competition import simulate_bracket
from ghost_simulator.engine.field import Entry
from ghost_simulator.engine.rounds import get_round
from ghost_simulator.store import get_session
from ghost_simulator.store.models import Match as Row
from ghost_simulator.web.api.openapi import document

from .test_api import error_of

BRACKETS = "/api/v1/brackets"
FIELD = [
    {"name": "Ada", "score": 655},
    {"name": "Ben", "score": 640},
    {"name": "Cas", "score": 612},
    {"name": "Dee", "score": 598},
    {"name": "Eli", "score": 570},
]


@pytest.fixture(scope="module")
def api_schema() -> Any:
    return schemathesis.openapi.from_dict(document())


@pytest.fixture
def check(api_schema: Any):  # type: ignore[no-untyped-def]
    def conforms(response: TestResponse) -> TestResponse:
        api_schema[BRACKETS]["POST"].validate_response(response)
        return response

    return conforms


def test_the_figures_of_a_field(client: FlaskClient, app: Flask, check: Any) -> None:
    body = {"field": FIELD, "round": "wa720_70", "runs": 20, "seed": 3}
    answer = check(client.post(BRACKETS, json=body))
    assert answer.status_code == 200, answer.text
    data = answer.json
    assert data["field"] == 5
    assert data["runs"] == 20
    assert data["seed"] == 3
    assert data["system"] == "set"
    assert data["indoor"] is False
    assert data["matches"] == {"per_run": 4, "total": 80}
    assert set(data["higher_seed_win_rate_by_gap"]) == {"1-4", "5-16", "17-40", "41+"}
    assert data["higher_seed_win_rate_by_gap"]["41+"] == {"matches": 0, "rate": None}
    assert [s["name"] for s in data["seeds"]] == ["Ada", "Ben", "Cas", "Dee", "Eli"]
    assert sum(s["wins"] for s in data["seeds"]) == 20
    # The engine's own figures, to the digit; and the same seed, the same.
    rnd = get_round("wa720_70", bow="recurve")
    entries = [Entry(a["name"], a["score"], i) for i, a in enumerate(FIELD)]
    assert data == simulate_bracket(entries, rnd, "recurve", 20, 3).to_dict()
    assert client.post(BRACKETS, json=body).json == data
    with app.app_context():
        assert get_session().scalar(select(func.count()).select_from(Row)) == 0


def test_compound_is_cumulative_and_a_seed_is_drawn(
    client: FlaskClient, check: Any
) -> None:
    field = [{"name": "Ada", "score": 585}, {"name": "Ben", "score": 579}]
    body = {"field": field, "round": "wa18", "bow": "compound", "runs": 5}
    answer = check(client.post(BRACKETS, json=body))
    assert answer.status_code == 200, answer.text
    assert answer.json["system"] == "cumulative"
    assert answer.json["indoor"] is True
    assert isinstance(answer.json["seed"], int)
    assert answer.json["matches"] == {"per_run": 1, "total": 5}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"field": FIELD, "round": "nowhere"}, "round"),
        (
            {"field": [*FIELD[:2], {"name": "ada", "score": 1}], "round": "wa720_70"},
            "field",
        ),
        (
            {"field": [*FIELD[:2], {"name": "Zed", "score": 900}], "round": "wa18"},
            "field",
        ),
        ({"field": FIELD[:1], "round": "wa18"}, "field"),
        ({"field": FIELD, "round": "wa18", "runs": 0}, "runs"),
        ({"field": FIELD, "round": "wa18", "runs": 201}, "runs"),
        (
            {"field": [{"name": "Ada", "score": -1}, *FIELD[1:]], "round": "wa18"},
            "field",
        ),
        (
            {"field": [{"name": "Ada", "score": "x"}, *FIELD[1:]], "round": "wa18"},
            "field",
        ),
        ({"round": "wa18"}, "field"),
        ({"field": FIELD}, "round"),
    ],
)
def test_bad_bodies_are_refused_naming_the_field(
    client: FlaskClient, check: Any, body: dict[str, Any], field: str
) -> None:
    answer = check(client.post(BRACKETS, json=body))
    assert answer.status_code == 422, answer.text
    error = error_of(answer)
    assert any(key.split(".")[0].split("[")[0] == field for key in error["fields"]), (
        error
    )


def test_a_field_larger_than_the_api_takes(client: FlaskClient) -> None:
    field = [{"name": f"A{i}", "score": 500} for i in range(65)]
    answer = client.post(BRACKETS, json={"field": field, "round": "wa720_70"})
    assert answer.status_code == 422
    assert "field" in error_of(answer)["fields"]


def test_the_document_lists_it() -> None:
    operation = document()["paths"][BRACKETS]["post"]
    assert operation["tags"] == ["brackets"]
    assert "brackets" in [tag["name"] for tag in document()["tags"]]
