"""Error pages that look like the app for people and are JSON for clients."""

from __future__ import annotations

from flask import Flask, Response, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

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
    if wants_json():
        body = {"error": {"code": code, "name": error.name, "message": detail}}
        return jsonify(body), code, headers
    page = render_template("error.html", code=code, title=title, detail=detail)
    return page, code, headers


def init_app(app: Flask) -> None:
    # Unhandled exceptions reach this as InternalServerError once Flask has
    # logged them (outside debug mode, where the debugger shows them instead).
    app.register_error_handler(HTTPException, handle_http_error)
