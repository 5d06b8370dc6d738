"""The OpenAPI document says what the API does: every route is in it and
nothing else, its references resolve, its request schemas are the ones the
API enforces (and enforces exactly), and the app serves it."""

from __future__ import annotations

import json
import re
from typing import Any

import jsonschema_rs
import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from ghost_simulator.web.api.models import RequestModel
from ghost_simulator.web.api.models.requests import EndEntry, Setup, ShootOffEntry
from ghost_simulator.web.api.openapi import document
from ghost_simulator.web.api.registry import OPERATIONS

#: About the document against the routes and models: not run again on PostgreSQL.
pytestmark = pytest.mark.database_agnostic

METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE"}


def openapi_path(rule: str) -> str:
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule)


def test_every_api_route_is_documented_and_nothing_else(app: Flask) -> None:
    routed = {
        (method, openapi_path(rule.rule))
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1")
        for method in (rule.methods or set()) & METHODS
    }
    paths = document()["paths"]
    documented = {
        (method.upper(), path) for path, item in paths.items() for method in item
    }
    assert routed == documented
    assert len(documented) >= 14


def test_the_app_serves_the_document(client: FlaskClient) -> None:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert response.content_type == "application/json"
    served = response.json
    assert served == json.loads(json.dumps(document()))
    assert served["openapi"].startswith("3.1")
    cookie = served["components"]["securitySchemes"]["cookieAuth"]
    assert cookie["name"] == "ghost_sim_session"


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [r for value in node.values() for r in _refs(value)]
    if isinstance(node, list):
        return [r for value in node for r in _refs(value)]
    return []


def test_every_reference_resolves() -> None:
    doc = document()
    refs = set(_refs(doc))
    assert refs
    for ref in refs:
        node: Any = doc
        for part in ref.removeprefix("#/").split("/"):
            node = node[part]
        assert isinstance(node, dict), ref
    used = {ref.rsplit("/", 1)[1] for ref in refs}
    assert set(doc["components"]["schemas"]) <= used, "an unused schema"


def test_operations_are_complete() -> None:
    doc = document()
    ids = [op["operationId"] for item in doc["paths"].values() for op in item.values()]
    assert len(ids) == len(set(ids))
    for path, item in doc["paths"].items():
        named = set(re.findall(r"{([^}]+)}", path))
        for operation in item.values():
            declared = {
                p["name"] for p in operation.get("parameters", []) if p["in"] == "path"
            }
            assert declared == named, path
            codes = set(operation["responses"])
            assert {"401", "500"} <= codes
            assert any(code.startswith("2") for code in codes)
            if "requestBody" in operation:
                assert {"400", "403", "413", "415", "422"} <= codes
            assert operation["security"]
            assert operation["summary"]


def test_links_name_real_operations() -> None:
    doc = document()
    ids = {op["operationId"] for item in doc["paths"].values() for op in item.values()}
    links = [
        link
        for item in doc["paths"].values()
        for op in item.values()
        for response in op["responses"].values()
        for link in response.get("links", {}).values()
    ]
    assert links
    assert {link["operationId"] for link in links} <= ids


def test_the_document_is_openapi_3_1() -> None:
    """Valid against the OpenAPI 3.1 schema (the one schemathesis ships)."""
    from schemathesis.specs.openapi.definitions import OPENAPI_31

    validator = jsonschema_rs.Draft202012Validator(OPENAPI_31)
    errors = [str(e) for e in validator.iter_errors(json.loads(json.dumps(document())))]
    assert errors == []


#: Every keyword the components may use: JSON Schema 2020-12's (so none of
#: Pydantic's own names, such as ``ge``, slips into the document).
KEYWORDS = {
    "$ref",
    "type",
    "enum",
    "const",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
    "pattern",
    "format",
    "items",
    "minItems",
    "maxItems",
    "properties",
    "required",
    "additionalProperties",
    "anyOf",
    "if",
    "then",
    "description",
    "default",
    "examples",
}


def _keywords(schema: Any) -> set[str]:
    if not isinstance(schema, dict):
        return set()
    found = set(schema)
    for key, value in schema.items():
        if key == "properties":
            found |= {k for sub in value.values() for k in _keywords(sub)}
        elif key in ("items", "additionalProperties", "if", "then"):
            found |= _keywords(value)
        elif key == "anyOf":
            found |= {k for sub in value for k in _keywords(sub)}
    return found


@pytest.mark.parametrize("name", sorted(document()["components"]["schemas"]))
def test_components_speak_json_schema(name: str) -> None:
    schema = document()["components"]["schemas"][name]
    assert _keywords(schema) <= KEYWORDS
    assert jsonschema_rs.meta.is_valid(schema)


def test_query_parameters_come_from_their_models() -> None:
    for operation in OPERATIONS:
        assert all(p.where in ("path", "header") for p in operation.params)
        if operation.query is None:
            continue
        documented = document()["paths"][operation.path][operation.method.lower()]
        named = {p["name"] for p in documented["parameters"] if p["in"] == "query"}
        assert named == set(operation.query.model_fields)


# Any JSON value, and values near each field's limits (valid or just not).
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**64), max_value=2**64)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=80),
    lambda children: st.lists(children, max_size=8),
    max_leaves=10,
)


def _near(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values at and just past a field's documented limits."""
    options: list[st.SearchStrategy[Any]] = [json_values]
    if "enum" in schema:
        options.append(st.sampled_from(schema["enum"]))
        options.append(st.sampled_from([str(v).lower() for v in schema["enum"]]))
    if schema.get("type") in ("integer", "number"):
        low = schema.get("minimum", -1000)
        high = schema.get("maximum", 1000)
        options.append(st.integers(min_value=low - 2, max_value=low + 2))
        options.append(st.integers(min_value=high - 2, max_value=high + 2))
        options.append(st.floats(min_value=low - 1, max_value=high + 1))
    if schema.get("type") == "string":
        length = schema.get("maxLength", 10)
        options.append(st.text(min_size=max(0, length - 1), max_size=length + 1))
        options.append(st.sampled_from(["", "2026-05-31", "2026-02-30"]))
    if schema.get("type") == "array":
        items = schema.get("items", {})
        sizes = {
            "min_size": max(0, schema.get("minItems", 0) - 1),
            "max_size": schema.get("maxItems", 8) + 1,
        }
        options.append(st.lists(_near(items), **sizes))
        if "enum" in items:
            options.append(st.lists(st.sampled_from(items["enum"]), **sizes))
    return st.one_of(options)


def _fields(schema: dict[str, Any]) -> st.SearchStrategy[tuple[str, Any]]:
    names = sorted(schema["properties"])
    return st.one_of(
        [st.tuples(st.just(n), _near(schema["properties"][n])) for n in names]
        + [st.tuples(st.just("unknown"), json_values)]
    )


BODIES: list[type[RequestModel]] = [Setup, EndEntry, ShootOffEntry]


def _accepts(model: type[RequestModel], body: dict[str, Any]) -> bool:
    try:
        model.model_validate(body)
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize("model", BODIES, ids=lambda m: m.__name__)
def test_the_api_refuses_exactly_what_its_document_refuses(
    model: type[RequestModel],
) -> None:
    """Field by field, what the API's model accepts a standard JSON Schema
    validator accepts too, with the schema the document shows, and the other
    way round."""
    schema = document()["components"]["schemas"][model.__name__]
    assert "$ref" not in json.dumps(schema)  # it stands alone
    validator = jsonschema_rs.validator_for(schema)
    seen: set[bool] = set()

    @settings(max_examples=400, derandomize=True, database=None)
    @given(_fields(schema))
    def agree(field: tuple[str, Any]) -> None:
        body = dict([field])
        accepted = _accepts(model, body)
        assert accepted == validator.is_valid(body), body
        seen.add(accepted)

    agree()
    assert seen == {True, False}  # both kinds were tried


@pytest.mark.parametrize("model", BODIES, ids=lambda m: m.__name__)
def test_rules_across_fields_agree_with_the_document(
    model: type[RequestModel],
) -> None:
    """Whole bodies (the if/then and anyOf rules span fields): the model and
    the document agree."""
    schema = document()["components"]["schemas"][model.__name__]
    validator = jsonschema_rs.validator_for(schema)
    names = sorted(schema["properties"])

    @settings(max_examples=300, derandomize=True, database=None)
    @given(
        st.dictionaries(
            st.sampled_from(names),
            st.one_of(json_values, *(_near(schema["properties"][n]) for n in names)),
            max_size=4,
        )
        | st.fixed_dictionaries(
            {"ghost": st.sampled_from(["classification", "handicap"])},
            optional={"kind": st.sampled_from(["set", "ranking", "half", "x"])},
        )
    )
    def agree(body: dict[str, Any]) -> None:
        assert _accepts(model, body) == validator.is_valid(body), body

    agree()
