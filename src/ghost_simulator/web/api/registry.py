"""The API's blueprint and its operations, each declared once with what the
OpenAPI document says of it: the route is added and the document is built
(``web.openapi``) from the same declaration, and the request is read by the
same models (``models``) before the view runs.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, Response, jsonify
from flask.typing import ResponseReturnValue
from pydantic import BaseModel

from .auth import archer_required
from .models import JsonSchema, QueryModel, RequestModel, ResponseModel
from .reading import read_body, read_query

bp = Blueprint("api", __name__, url_prefix="/api")


@dataclass(frozen=True)
class Param:
    """A path or header parameter (the view reads it; query parameters are a
    model's: ``operation(query=...)``)."""

    name: str
    where: str  # "path" or "header"
    schema: JsonSchema
    description: str = ""
    required: bool = False
    example: Any = None


@dataclass(frozen=True)
class Answer:
    """A successful answer: its status, what it means, the body's model (None:
    no body, as a 204) and the headers it carries."""

    status: int
    description: str
    model: type[ResponseModel] | None
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Operation:
    method: str
    rule: str  # the Flask rule, under the blueprint's /api
    endpoint: str  # also the operationId
    summary: str
    description: str
    tag: str
    params: tuple[Param, ...]
    query: type[QueryModel] | None
    body: type[RequestModel] | None
    answers: tuple[Answer, ...]
    errors: tuple[int, ...]
    security: str  # "optional" (a token, the session or nobody) or "archer"
    links: Mapping[str, Any] = field(default_factory=dict)

    @property
    def path(self) -> str:
        """The OpenAPI path: ``/api/v1/matches/{match_id}``."""
        return "/api" + re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", self.rule)

    def error_statuses(self) -> list[int]:
        """Every error status the operation can answer: a bad token (401) and
        the unexpected (500) anywhere; a body can be malformed (400), from
        another site (403), too large (413), not JSON (415) or refused (422);
        query parameters can be wrong (400); a path can name nothing (404)."""
        found = {401, 500, *self.errors}
        if self.body is not None:
            found |= {400, 403, 413, 415, 422}
        if self.query is not None:
            found.add(400)
        if any(p.where == "path" for p in self.params):
            found.add(404)
        return sorted(found)


OPERATIONS: list[Operation] = []


def reply(
    data: BaseModel, status: int = 200, headers: Mapping[str, str] | None = None
) -> Response:
    """``data`` as the answer's JSON: every field it was given (a field that
    may be left out is, when it was not)."""
    response = jsonify(data.model_dump(mode="json", exclude_unset=True))
    response.status_code = status
    response.headers.update(dict(headers or {}))
    return response


def operation(
    method: str,
    rule: str,
    *,
    summary: str,
    tag: str,
    answers: tuple[Answer, ...],
    description: str = "",
    params: tuple[Param, ...] = (),
    query: type[QueryModel] | None = None,
    body: type[RequestModel] | None = None,
    errors: tuple[int, ...] = (),
    security: str = "optional",
    links: Mapping[str, Any] | None = None,
) -> Callable[[Callable[..., ResponseReturnValue]], Callable[..., ResponseReturnValue]]:
    """Declare an operation: route it, document it, and hand the view its
    ``query`` (a ``query`` model) and ``body`` (a ``body`` model), checked."""

    def decorate(
        view: Callable[..., ResponseReturnValue],
    ) -> Callable[..., ResponseReturnValue]:
        OPERATIONS.append(
            Operation(
                method=method.upper(),
                rule=rule,
                endpoint=view.__name__,
                summary=summary,
                description=description,
                tag=tag,
                params=params,
                query=query,
                body=body,
                answers=answers,
                errors=errors,
                security=security,
                links=links or {},
            )
        )

        @functools.wraps(view)
        def handle(**kwargs: Any) -> ResponseReturnValue:
            if security == "archer":
                archer_required()  # before anything else is said about it
            if query is not None:
                kwargs["query"] = read_query(query)
            if body is not None:
                kwargs["body"] = read_body(body)
            return view(**kwargs)

        bp.add_url_rule(
            rule,
            view.__name__,
            handle,
            methods=[method.upper()],
            provide_automatic_options=False,
        )
        return handle

    return decorate
