"""Error pages that look like the app for people and are JSON for clients;
request ids, and in production one log line per request.

Every request gets an id: the proxy's ``X-Request-ID`` when it is a short,
safe token, else a fresh one. It is returned in the ``X-Request-ID`` header,
shown on the 500 page, and carried by every log record made while the request
is served (the traceback of an error, and the request's own line), so a
person's "it said 3f9c0a..." finds the traceback.
"""

from __future__ import annotations

import itertools
import logging
import os
import re
import secrets
import sys
import time
from collections.abc import Iterator
from typing import Any

from flask import (
    Flask,
    Response,
    g,
    has_request_context,
    jsonify,
    render_template,
    request,
    request_started,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import BadRequest, HTTPException

#: What a person reads for each status, in their language.
MESSAGES = {
    400: (_l("Bad request"), _l("Something in the request was not right.")),
    401: (_l("Sign in needed"), _l("Please sign in to see this page.")),
    403: (_l("Not allowed"), _l("You do not have permission to see this page.")),
    404: (_l("Page not found"), _l("There is no page at this address.")),
    405: (_l("Method not allowed"), _l("This page does not accept that request.")),
    429: (
        _l("Too many attempts"),
        _l("Too many tries in a short time. Please wait a little and try again."),
    ),
    500: (
        _l("Something went wrong"),
        _l("The server hit an error. Your saved data is safe; please try again."),
    ),
}


def wants_json() -> bool:
    """True when the client prefers JSON to HTML (ties go to HTML)."""
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


REQUEST_ID_HEADER = "X-Request-ID"
#: An incoming id is kept only when it cannot forge or break a log line.
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")
#: Where the per-request lines go (a child of the app's logger).
ACCESS_LOGGER = "ghost_simulator.access"
LOG_FORMAT = (
    "%(asctime)s [%(process)d] %(levelname)s [%(request_id)s] %(name)s: %(message)s"
)


#: Request ids made here: a random prefix per process, then a count (unique
#: without asking the OS for random bytes on every request; an id names a
#: request in the logs and is no secret). Made anew in a forked worker.
_ids: tuple[int, str, Iterator[int]] = (0, "", itertools.count())


def _new_request_id() -> str:
    global _ids
    if _ids[0] != os.getpid():
        _ids = (os.getpid(), secrets.token_hex(4), itertools.count(1))
    return f"{_ids[1]}{next(_ids[2]) & 0xFFFFFFFF:08x}"


def request_id() -> str:
    """This request's id, chosen on first use."""
    rid: str | None = g.get("request_id")
    if rid is None:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        rid = incoming if SAFE_REQUEST_ID.fullmatch(incoming) else _new_request_id()
        g.request_id = rid
    return rid


def _started(_app: Flask, **_extra: Any) -> None:
    """First thing for every request (before any ``before_request`` hook, so a
    request refused by one is timed and named too)."""
    g.request_started = time.perf_counter()
    request_id()


def _add_request_id(response: Response) -> Response:
    response.headers[REQUEST_ID_HEADER] = request_id()
    return response


def _log_request(response: Response) -> Response:
    """One line: method, path (never the query string, which may carry a
    secret), status, time taken and request id."""
    started = g.get("request_started")
    duration = (time.perf_counter() - started) * 1000 if started else 0.0
    logging.getLogger(ACCESS_LOGGER).info(
        "%s %s %s %.1fms",
        request.method,
        request.path,
        response.status_code,
        duration,
        extra={"request_id": request_id()},
    )
    return response


class RequestIdFilter(logging.Filter):
    """Gives every record a ``request_id``: the request's, or ``-`` outside one."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id() if has_request_context() else "-"
        return True


_REQUEST_ID_FILTER = RequestIdFilter()


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is at the time (a test may swap it)."""

    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(logging.Formatter(LOG_FORMAT))
        self.addFilter(_REQUEST_ID_FILTER)

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


def configure_request_log(app: Flask) -> None:
    """Production logging: the app's logger (tracebacks) and the request lines
    at INFO on stderr, each with its request id, in one format.

    Left alone when logging is already configured (a handler on the root
    logger, or on the app's own besides Flask's default): then the records
    still carry ``request_id`` for that configuration's format to use.
    """
    from flask.logging import default_handler

    own = [h for h in app.logger.handlers if h is not default_handler]
    if logging.getLogger().handlers or own:
        if app.logger.level == logging.NOTSET:
            app.logger.setLevel(logging.INFO)
        return
    app.logger.removeHandler(default_handler)
    app.logger.addHandler(_StderrHandler())
    app.logger.setLevel(logging.INFO)


def handle_http_error(
    error: HTTPException,
) -> tuple[Response | str, int, dict[str, str]]:
    code = error.code or 500
    title, default_text = MESSAGES.get(code, (error.name, error.description or ""))
    # A view may abort with its own message (e.g. why a value is invalid):
    # show it rather than the generic text.
    generic = type(error).description
    detail = str(default_text) if error.description == generic else error.description
    headers = {
        name: value
        for name, value in error.get_headers()
        if name.lower() not in {"content-type", "content-length"}
    }
    # A server error names the request, so its log lines can be found.
    rid = request_id() if code >= 500 else None
    if wants_json():
        body: dict[str, Any] = {
            "error": {"code": code, "name": error.name, "message": detail}
        }
        if rid:
            body["error"]["request_id"] = rid
        return jsonify(body), code, headers
    page = render_template(
        "error.html", code=code, title=title, detail=detail, request_id=rid
    )
    return page, code, headers


def csrf_failed(_error: Exception) -> ResponseReturnValue:
    """A form without a valid token: say what to do, in the user's language."""
    message = _(
        "This form has expired or did not come from this site."
        " Reload the page and try again."
    )
    return handle_http_error(BadRequest(description=message))


def init_app(app: Flask) -> None:
    from flask_wtf.csrf import CSRFError

    # Unhandled exceptions reach this as InternalServerError once Flask has
    # logged them (outside debug mode, where the debugger shows them instead).
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(CSRFError, csrf_failed)
    request_started.connect(_started, app)
    # Every record of the app's logger (a traceback) carries the request id.
    app.logger.addFilter(_REQUEST_ID_FILTER)
    app.after_request(_add_request_id)
    if app.config.get("LOG_REQUESTS"):
        configure_request_log(app)
        app.after_request(_log_request)
