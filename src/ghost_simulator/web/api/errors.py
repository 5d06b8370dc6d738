"""Every error under ``/api`` in one JSON shape, with a message a person can act
on::

    {"error": {"code": 422, "name": "Unprocessable Content",
               "message": "...", "fields": {"handicap": "..."}}}

Views raise :class:`ApiError`; Flask's own errors (an unknown address, a wrong
method, a body too large) and unexpected exceptions get the same shape. A
route's errors reach the blueprint's handlers; an address that matches no
route never reaches a blueprint, so the app's handlers for those answer JSON
under ``/api`` and leave every other page to the handler that was there.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from typing import Any

from flask import Flask, Response, current_app, jsonify, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from ..common.errors import request_id
from ..common.limits import limiter
from .models.answers import Error, ErrorDetail

PREFIX = "/api/"

#: Headers of an error worth passing on (when to retry, what is allowed).
KEPT_HEADERS = {"allow", "retry-after", "www-authenticate"}


class ApiError(HTTPException):
    """An answer other than success: its status, a sentence saying what to do,
    per-field messages, and anything else the body carries (the current match,
    for a conflict)."""

    def __init__(
        self,
        code: int,
        message: str,
        *,
        fields: Mapping[str, str] | None = None,
        extra: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(description=message)
        self.code = code
        self.fields = dict(fields or {})
        self.extra = dict(extra or {})
        self.headers = dict(headers or {})


def status_name(code: int) -> str:
    return HTTP_STATUS_CODES.get(code, "Error")


def error_body(
    code: int,
    message: str,
    fields: Mapping[str, str] | None = None,
    request_id: str | None = None,
) -> dict[str, Any]:
    """The body of an error (``models.answers.Error``), as JSON data."""
    given: dict[str, Any] = {}
    if fields:
        given["fields"] = dict(fields)
    if request_id is not None:
        given["request_id"] = request_id
    detail = ErrorDetail(code=code, name=status_name(code), message=message, **given)
    return Error(error=detail).model_dump(mode="json", exclude_unset=True)


def default_message(error: HTTPException) -> str:
    """What to do about one of Flask's own errors, for a script's author."""
    code = error.code or 500
    if code == 404:
        return _(
            "There is nothing at this address of the API: the operations it"
            " offers are listed in /api/openapi.json."
        )
    if code == 405:
        allowed = sorted(
            set(getattr(error, "valid_methods", None) or ()) - {"HEAD", "OPTIONS"}
        )
        return _(
            "This address does not take %(method)s requests; it takes %(allowed)s.",
            method=request.method,
            allowed=", ".join(allowed) or "—",
        )
    if code == 413:
        limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
        return _(
            "The request body is larger than the %(limit)s bytes this server"
            " accepts: send less at a time.",
            limit=limit,
        )
    if code == 429:
        return _(
            "Too many requests in a short time: wait the seconds Retry-After says,"
            " then try again."
        )
    if code >= 500:
        return _(
            "The server hit an error. Your saved data is safe; please try again"
            " in a moment, and if it keeps happening, report it with the request"
            " id %(id)s.",
            id=request_id(),
        )
    return _("The request could not be understood: check it against /api/openapi.json.")


def error_response(error: HTTPException) -> Response:
    """The JSON answer for any HTTP error raised while serving the API."""
    code = error.code or 500
    if isinstance(error, ApiError):
        message, fields = str(error.description), error.fields
    else:
        # Flask's own text is for browsers; ours says what to do. A view's own
        # description (``abort(400, description=...)``) is kept.
        generic = type(error).description
        own = error.description and error.description != generic
        # A throttle's own text is its limit ("30 per 1 minute"), not advice.
        message = str(error.description) if own and code != 429 and code < 500 else ""
        message, fields = message or default_message(error), {}
    # A server error carries the id its log lines carry, to report it by.
    body = error_body(code, message, fields, request_id() if code >= 500 else None)
    if isinstance(error, ApiError):
        body.update(error.extra)
    response = jsonify(body)
    response.status_code = code
    for name, value in error.get_headers():
        if name.lower() in KEPT_HEADERS:
            response.headers[name] = value
    if isinstance(error, ApiError):
        response.headers.update(error.headers)
    if code == 405 and "Allow" not in response.headers:
        allowed = getattr(error, "valid_methods", None)
        if allowed:
            response.headers["Allow"] = ", ".join(allowed)
    return response


def handle_http_error(error: HTTPException) -> Response:
    """The blueprint's handler for every HTTP error, an unexpected exception
    included: Flask logs it and hands it on as a 500."""
    return _with_retry_after(error, error_response(error))


def _with_retry_after(error: HTTPException, response: Response) -> Response:
    """A throttled request says when to try again, as the pages' 429 does."""
    if (error.code or 0) == 429 and "Retry-After" not in response.headers:
        current = limiter.current_limit
        wait = current.reset_at - time.time() if current is not None else 60
        response.headers["Retry-After"] = str(max(1, math.ceil(wait)))
    return response


def under_api() -> bool:
    return request.path == PREFIX.rstrip("/") or request.path.startswith(PREFIX)


Handler = Callable[[Any], Any]


def _api_first(previous: Handler | None) -> Handler:
    """A handler that answers JSON under ``/api`` and hands every other
    address to ``previous`` (or to Flask's default, when there is none)."""

    def handle(error: HTTPException) -> ResponseReturnValue:
        if under_api():
            return handle_http_error(error)
        if previous is None:
            return error
        return previous(error)

    handle.api_first = True  # type: ignore[attr-defined]
    return handle


def init_app(app: Flask) -> None:
    """JSON errors for every address under ``/api``. The blueprint's handler
    serves its own routes; an address that matches no route (or not with this
    method), and any JSON route of another blueprint there, reach the app's
    handlers instead: each of those for an HTTP error is wrapped to answer
    JSON under ``/api`` and to leave every other address to the handler it
    was. (Called after the other parts have registered theirs.)"""
    handlers = app.error_handler_spec[None]
    if HTTPException not in handlers.get(None, {}):
        app.register_error_handler(HTTPException, _api_first(None))
    for slot in handlers.values():
        for cls, handler in list(slot.items()):
            if issubclass(cls, HTTPException) and not hasattr(handler, "api_first"):
                slot[cls] = _api_first(handler)
