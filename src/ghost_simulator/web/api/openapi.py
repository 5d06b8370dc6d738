"""The OpenAPI 3.1 document of the JSON API, served at ``/api/openapi.json``.

Built from the API's own declarations (``web.api.registry``: every route
with its parameters, body and answers) and models (``web.api.models``: the
same ones requests are read with and answers are made of), so it says what
the API does.
"""

from __future__ import annotations

import json
from typing import Any

from flask import current_app
from pydantic import BaseModel

from ..._version import __version__
from ...config import DEFAULTS
from .models import JsonSchema, answers, component_schemas, field_schemas, ref
from .registry import OPERATIONS, Operation

DOCUMENT_KEY = "ghost_simulator.openapi"

#: Every error status, what it means for a caller, and the headers it carries.
ERRORS: dict[int, tuple[str, dict[str, str]]] = {
    400: ("The request is malformed: its JSON, or a parameter.", {}),
    401: (
        "The token is not valid, or this needs an archer (a token or a"
        " signed-in session).",
        {"WWW-Authenticate": "How to authenticate."},
    ),
    403: ("A cookie-borne write without the session's X-CSRFToken header.", {}),
    404: ("Nothing by that name or id for this caller.", {}),
    405: ("The address does not take this method.", {"Allow": "The methods it takes."}),
    409: (
        "The match changed since it was read, or the entry does not fit it as"
        " it stands: the body holds the match now.",
        {"ETag": "The match's version now."},
    ),
    413: ("The body is larger than the server accepts.", {}),
    415: ("The body is not JSON (Content-Type: application/json).", {}),
    422: ("Some fields cannot be used: `fields` says why, each.", {}),
    429: (
        "Too many requests in a short time.",
        {"Retry-After": "Seconds to wait before trying again."},
    ),
    500: ("The server hit an error.", {}),
}

DESCRIPTION = """\
Shoot against the ghost from a script: list rounds and ghosts, start a match,
enter ends, read the score sheet and your chances, and read your history.

**Authentication.** Scripts send a personal access token, made (and revoked)
on the settings page: `Authorization: Bearer gst_...`. It acts for its archer.
The app's pages use their session cookie instead, and send the session's CSRF
token (from `GET /api/v1/me`) as the `X-CSRFToken` header with every POST.
Without either, a browser session may start and play matches of its own, as
the pages allow; the history needs an archer.

**Writes are conditional.** Every match has a `version`, bumped by each change.
Send the version you read (the `version` field, or `If-Match: "3"`): if the
match changed since (another window, another script), the write is refused
with 409 and the match as it now stands. A finished match cannot be corrected.

**Errors** all have one shape: `{"error": {"code", "name", "message",
"fields"}}`, with a message that says what to do.
"""

TAGS = [
    {"name": "account", "description": "Who is calling."},
    {"name": "rounds", "description": "What can be shot."},
    {"name": "ghosts", "description": "What can be shot against."},
    {"name": "matches", "description": "Playing a match."},
    {"name": "history", "description": "Your matches and rounds."},
    {"name": "ladders", "description": "Ghost ladders: a ghost for every match."},
    {"name": "teams", "description": "Team and mixed-team matches against ghosts."},
    {"name": "clubs", "description": "Clubs: members, roles and invitations."},
    {
        "name": "nights",
        "description": "Ghost nights: a club's event against one ghost.",
    },
    {
        "name": "leagues",
        "description": "Postal leagues: a season of ghost nights with standings.",
    },
    {
        "name": "shares",
        "description": "Shared rounds: a friend's round as your ghost.",
    },
    {
        "name": "brackets",
        "description": "Elimination brackets of ghosts, simulated.",
    },
]


def _error_response(code: int) -> dict[str, Any]:
    description, headers = ERRORS[code]
    schema = ref(answers.Conflict if code == 409 else answers.Error)
    response: dict[str, Any] = {
        "description": description,
        "content": {"application/json": {"schema": schema}},
    }
    if headers:
        response["headers"] = {
            name: {"description": text, "schema": {"type": "string"}}
            for name, text in headers.items()
        }
    return response


def _security(op: Operation) -> list[dict[str, list[str]]]:
    schemes: list[dict[str, list[str]]] = [{"bearerAuth": []}, {"cookieAuth": []}]
    return schemes if op.security == "archer" else [*schemes, {}]


def _operation(op: Operation) -> dict[str, Any]:
    responses: dict[str, Any] = {}
    for answer in op.answers:
        response: dict[str, Any] = {"description": answer.description}
        if answer.model is not None:
            response["content"] = {"application/json": {"schema": ref(answer.model)}}
        if answer.headers:
            response["headers"] = {
                name: {"description": text, "schema": {"type": "string"}}
                for name, text in answer.headers.items()
            }
        if op.links:
            response["links"] = dict(op.links)
        responses[str(answer.status)] = response
    for code in op.error_statuses():
        responses[str(code)] = {"$ref": f"#/components/responses/Error{code}"}
    data: dict[str, Any] = {
        "operationId": op.endpoint,
        "summary": op.summary,
        "tags": [op.tag],
        "security": _security(op),
        "responses": responses,
    }
    if op.description:
        data["description"] = op.description
    parameters = [
        {
            "name": p.name,
            "in": p.where,
            "required": p.required or p.where == "path",
            "schema": p.schema,
            **({"description": p.description} if p.description else {}),
            **({"example": p.example} if p.example is not None else {}),
        }
        for p in op.params
    ]
    if op.query is not None:
        parameters += _query_parameters(op.query)
    if parameters:
        data["parameters"] = parameters
    if op.body is not None:
        data["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": ref(op.body)}},
        }
    return data


def _query_parameters(model: type[BaseModel]) -> list[dict[str, Any]]:
    """A query model's fields as the operation's query parameters (each
    field's description said of the parameter)."""
    found = []
    for name, field in field_schemas(model).items():
        schema = dict(field)
        description = schema.pop("description", "")
        found.append(
            {
                "name": name,
                "in": "query",
                "required": False,
                "schema": schema,
                **({"description": description} if description else {}),
            }
        )
    return found


def models() -> list[type[BaseModel]]:
    """Every model the document names: each operation's body and answers,
    and the errors' (the models they hold come with them)."""
    found: list[type[BaseModel]] = []
    for op in OPERATIONS:
        found += [op.body] if op.body is not None else []
        found += [answer.model for answer in op.answers if answer.model is not None]
    found += [answers.Error, answers.Conflict]
    return list(dict.fromkeys(found))


def schemas() -> dict[str, JsonSchema]:
    """``components.schemas``: every model's JSON Schema, by its name."""
    return component_schemas(models())


def document(cookie: str = DEFAULTS["SESSION_COOKIE_NAME"]) -> dict[str, Any]:
    """The document, as data; ``cookie`` is the session cookie's name."""
    paths: dict[str, dict[str, Any]] = {}
    for op in OPERATIONS:
        paths.setdefault(op.path, {})[op.method.lower()] = _operation(op)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Ghost Simulator API",
            "version": __version__,
            "description": DESCRIPTION,
            "license": {"name": "MIT", "identifier": "MIT"},
        },
        "tags": TAGS,
        "paths": paths,
        "components": {
            "schemas": schemas(),
            "responses": {f"Error{code}": _error_response(code) for code in ERRORS},
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": ("A personal access token from the settings page."),
                },
                "cookieAuth": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": cookie,
                    "description": (
                        "The pages' session; writes also need the X-CSRFToken header."
                    ),
                },
            },
        },
    }


def document_json() -> str:
    """The document as JSON, made once per app."""
    cached = current_app.extensions.get(DOCUMENT_KEY)
    if cached is None:
        cookie = current_app.config.get("SESSION_COOKIE_NAME") or "session"
        cached = json.dumps(document(cookie), indent=1, ensure_ascii=False)
        current_app.extensions[DOCUMENT_KEY] = cached
    return str(cached)
