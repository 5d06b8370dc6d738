"""The JSON API under ``/api/v1``, and its OpenAPI document at
``/api/openapi.json``.

Scripts call it with a personal access token (``Authorization: Bearer ...``,
made on the settings page); the app's own pages with their session cookie,
proving their origin with the ``X-CSRFToken`` header on every write. Without
either, a browser session may still start and play matches of its own, as on
the pages.
"""

from __future__ import annotations

from flask import Flask, Response
from werkzeug.exceptions import HTTPException

# The views register themselves, each with its place in the document.
from . import (
    auth,
    brackets,
    catalogue,
    clubs,
    errors,
    history,
    ladders,
    leagues,
    matches,
    nights,
    shares,
    teams,
)
from .registry import OPERATIONS, bp

__all__ = [
    "OPERATIONS",
    "bp",
    "brackets",
    "catalogue",
    "clubs",
    "history",
    "init_app",
    "ladders",
    "leagues",
    "matches",
    "nights",
    "shares",
    "teams",
]


def _private(response: Response) -> Response:
    """What the API answers is the caller's own: no cache keeps it."""
    response.headers.setdefault("Cache-Control", "no-store")
    response.vary.update(("Authorization", "Cookie"))
    return response


def _serve_document() -> Response:
    from .openapi import document_json

    return Response(
        document_json(),
        mimetype="application/json",
        headers={"Cache-Control": "public, max-age=300"},
    )


bp.before_request(auth.identify)
bp.after_request(_private)
bp.register_error_handler(HTTPException, errors.handle_http_error)
bp.add_url_rule(
    "/openapi.json", "openapi", _serve_document, provide_automatic_options=False
)


def init_app(app: Flask) -> None:
    """Register the blueprint, free of the forms' CSRF check (the API makes
    its own, for cookie-borne writes), and JSON errors for all of /api."""
    app.register_blueprint(bp)
    app.extensions["csrf"].exempt(bp)
    errors.init_app(app)
