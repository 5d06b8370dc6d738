"""The API's Pydantic models: requests are read with them (strictly, as the
document says), what they refuse is told in the API's own words and error
shape, and every answer the views send is valid against its own schema in
the OpenAPI document."""

from __future__ import annotations

import json
from typing import Any

import jsonschema_rs
import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from ghost_simulator.web.api.models import RequestModel, answers
from ghost_simulator.web.api.models.requests import (
    EndEntry,
    HistoryQuery,
    RoundQuery,
    Setup,
    ShootOffEntry,
)
from ghost_simulator.web.api.openapi import document
from ghost_simulator.web.api.reading import field_messages

from .test_api import PERFECT, bearer, error_of, make_archer, make_token, start

#: About the models' validation and words: not run again on PostgreSQL.
pytestmark = pytest.mark.database_agnostic

#: The beginnings of the API's sentences for a field (``web.api.reading``).
SENTENCES = (
    "Give ",
    "Choose one of ",
    "This field is required.",
    "There is no such field here",
    "Item ",
    "This text is not in the documented form.",
)


def _validator(name: str) -> Any:
    """A validator for the component ``name``, its references resolved in
    the document itself."""
    doc = json.loads(json.dumps(document()))
    return jsonschema_rs.validator_for(
        {"$ref": f"#/components/schemas/{name}", "components": doc["components"]}
    )


def _refusal(model: type[BaseModel], body: Any) -> ValidationError:
    with pytest.raises(ValidationError) as refused:
        model.model_validate(body)
    return refused.value


# -- requests: strict, and as the document says ------------------------------------


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"total": "28"}, "total", "Give a whole number."),
        ({"total": True}, "total", "Give a whole number."),
        ({"total": 2.5}, "total", "Give a whole number."),
        ({"total": None}, "total", "Give a whole number."),
        ({"total": 1001}, "total", "Give a number from 0 to 1000."),
        ({"arrows": "10 9 9"}, "arrows", "Give a list, in square brackets."),
        ({"arrows": []}, "arrows", "Give at least 1 items."),
        ({"arrows": ["X"] * 7}, "arrows", "Give at most 6 items."),
        ({"arrows": ["X", 9]}, "arrows", "Item 2: Give a text, in quotes."),
        ({"arrows": ["X", "Q"]}, "arrows", 'Item 2: Choose one of "X", "11",'),
        ({}, "arrows", "Give one of arrows, total."),
        ({}, "total", "Give one of arrows, total."),
        ({"total": 3, "colour": "gold"}, "colour", "There is no such field here;"),
    ],
)
def test_an_end_the_model_refuses_is_told_field_by_field(
    app: Flask, body: dict[str, Any], field: str, message: str
) -> None:
    with app.test_request_context():
        found = field_messages(_refusal(EndEntry, body), EndEntry)
    assert found[field].startswith(message)


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"kind": 5}, "kind", "Give a text, in quotes."),
        ({"kind": "duel"}, "kind", 'Choose one of "set", "cumulative",'),
        ({"handicap": "30"}, "handicap", "Give a number."),
        ({"handicap": True}, "handicap", "Give a number."),
        ({"indoor": 1}, "indoor", "Give true or false."),
        ({"seed": -1}, "seed", "Give a number from 0 to"),
        ({"model": True}, "model", "Give a whole number."),
        ({"model": 4}, "model", "Choose one of 1, 2, 3."),
        ({"round": "x" * 65}, "round", "Give at most 64 characters."),
        ({"ghost": "classification"}, "kind", "This field is required."),
        (
            {"ghost": "classification", "kind": "set"},
            "kind",
            'Choose one of "ranking", "half".',
        ),
    ],
)
def test_a_setup_the_model_refuses_is_told_field_by_field(
    app: Flask, body: dict[str, Any], field: str, message: str
) -> None:
    with app.test_request_context():
        found = field_messages(_refusal(Setup, body), Setup)
    assert found[field].startswith(message)


def test_what_json_schema_takes_the_models_take() -> None:
    """A whole number sent as 3.0 is 3; an int stays an int where any number
    goes (35, not 35.0, reaches the form's parser)."""
    assert EndEntry.model_validate({"total": 27.0, "version": 2.0}).total == 27
    setup = Setup.model_validate({"handicap": 35, "form": 2.5, "model": 2.0})
    assert setup.form_fields() == {"handicap": 35, "form": 2.5, "model": 2}
    assert isinstance(setup.form_fields()["handicap"], int)
    assert Setup.model_validate({}).form_fields() == {}  # the form's defaults
    assert ShootOffEntry.model_validate({"closer": "equal"}).arrow is None


def test_query_parameters_are_read_as_their_types(app: Flask) -> None:
    query = HistoryQuery.model_validate({"page": " +2", "per_page": "10"})
    assert (query.page, query.per_page) == (2, 10)
    assert RoundQuery.model_validate({"half": "Yes"}).half is True
    assert RoundQuery.model_validate({"half": "off"}).half is False
    for refused in ({"half": "t"}, {"half": "maybe"}):
        _refusal(RoundQuery, refused)
    for refused in ({"page": "3.0"}, {"page": "1_000"}, {"page": "0x1"}):
        _refusal(HistoryQuery, refused)
    with app.test_request_context():
        found = field_messages(
            _refusal(
                HistoryQuery,
                {"page": "two", "since": "2026-02-30", "round": "WA18", "bow": "x"},
            ),
            HistoryQuery,
        )
    assert found == {
        "page": "Give a whole number.",
        "since": "Give dates as year-month-day, such as 2026-05-31.",
        "round": "This text is not in the documented form.",
        "bow": found["bow"],
    }
    assert found["bow"].startswith('Choose one of "recurve"')


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**64), max_value=2**64)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=8)
        | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=10,
)


@pytest.mark.parametrize("model", [Setup, EndEntry, ShootOffEntry], ids=str)
def test_every_refusal_is_in_the_apis_words(
    app: Flask, model: type[RequestModel]
) -> None:
    """Whatever a body holds, each field at fault gets one of the API's
    sentences (never Pydantic's own wording), named as the document names
    it."""
    names = sorted(model.model_fields)

    @settings(max_examples=300, derandomize=True, database=None)
    @given(
        st.dictionaries(
            st.sampled_from([*names, "unknown"]), json_values, min_size=1, max_size=4
        )
    )
    def worded(body: dict[str, Any]) -> None:
        try:
            model.model_validate(body)
        except ValidationError as exc:
            with app.test_request_context():
                found = field_messages(exc, model)
            assert found, body
            assert set(found) <= {*names, *body}
            for text in found.values():
                assert text.startswith(SENTENCES), text
                assert "Input should" not in text
                assert text.endswith(".")

    worded()


def test_a_refused_body_gets_the_apps_error_body(client: FlaskClient) -> None:
    match = start(client)
    response = client.post(
        f"/api/v1/matches/{match['id']}/ends",
        json={"arrows": ["X", "Q", "9"], "end": "1", "version": 0},
    )
    assert response.status_code == 422
    error = error_of(response)
    assert error["name"] == "Unprocessable Entity"
    assert error["message"] == "Some fields cannot be used: see each field's message."
    assert error["fields"] == {
        "arrows": error["fields"]["arrows"],
        "end": "Give a whole number.",
        "version": "Give a number from 1 to 2147483647.",
    }
    assert error["fields"]["arrows"].startswith('Item 2: Choose one of "X"')
    _validator("Error").validate(response.json)


# -- answers: made by the models, valid against their schemas ------------------------


def test_every_answer_is_valid_against_its_own_schema(
    client: FlaskClient, app: Flask
) -> None:
    auth = bearer(make_token(app, make_archer(app)))
    match = start(client, auth, **PERFECT)
    base = f"/api/v1/matches/{match['id']}"
    answers_by_schema: list[tuple[str, Any]] = [("Match", match)]
    for path, name in [
        ("/api/v1/me", "Me"),
        ("/api/v1/rounds?q=wa", "RoundList"),
        ("/api/v1/rounds/wa1440_90?half=true", "Round"),
        ("/api/v1/presets", "PresetList"),
        ("/api/v1/ghosts", "GhostKinds"),
        (f"{base}/odds", "Odds"),
    ]:
        answers_by_schema.append((name, client.get(path, headers=auth).json))
    for total in (10, 10):
        ended = client.post(f"{base}/ends", json={"total": total}, headers=auth)
        answers_by_schema.append(("Match", ended.json))
    stale = client.post(f"{base}/ends", json={"total": 1, "version": 1}, headers=auth)
    assert stale.status_code == 409
    answers_by_schema.append(("Conflict", stale.json))
    client.post(f"{base}/ends", json={"total": 10}, headers=auth)  # lost, 0-6
    answers_by_schema += [
        ("Odds", client.get(f"{base}/odds", headers=auth).json),
        ("HistoryPage", client.get("/api/v1/history", headers=auth).json),
        (
            "HistoryMatch",
            client.get(f"/api/v1/history/{match['id']}", headers=auth).json,
        ),
        ("GhostPreview", client.post("/api/v1/ghosts/preview", json={}).json),
        ("Error", client.get("/api/v1/rounds/nothing").json),
    ]
    for name, body in answers_by_schema:
        _validator(name).validate(body)
    odds = answers_by_schema[-5][1]
    assert odds["needed"] == {}  # a finished match needs nothing: left out


def test_a_field_left_out_is_left_out_and_a_null_is_a_null() -> None:
    error = answers.Error(
        error=answers.ErrorDetail(code=404, name="Not Found", message="None.")
    )
    dumped = error.model_dump(mode="json", exclude_unset=True)
    assert dumped == {"error": {"code": 404, "name": "Not Found", "message": "None."}}
    schema = document()["components"]["schemas"]["ErrorDetail"]
    assert schema["properties"]["fields"]["type"] == "object"  # never null
    assert schema["required"] == ["code", "name", "message"]
    match = document()["components"]["schemas"]["Match"]
    assert {"type": "null"} in match["properties"]["seed"]["anyOf"]
    assert "seed" in match["required"]  # always there, null until it is over
