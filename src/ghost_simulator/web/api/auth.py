"""Who is calling the API: a script with a personal access token, or a browser
with its session (signed in or not).

A bearer token is checked on every request and wins over any cookie. A
request that relies on the cookie must prove it came from one of the app's
own pages before it may change anything (the ``X-CSRFToken`` header): the
cookie travels with cross-site requests, a token never does.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, g, request
from flask_babel import gettext as _

from ...services.own_history import ArcherHistory
from ...services.viewers import Viewer
from ...store import tokens
from ...store.models import Archer
from ..common.viewer import signed_in_archer
from ..common.viewer import viewer as browser_viewer
from .errors import ApiError

#: Requests that may change something, and so need proof of origin.
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
CHALLENGE = 'Bearer realm="ghost-simulator"'


@dataclass(frozen=True)
class Caller:
    auth: str  # "token", "session" or "anonymous"
    archer: Archer | None = None
    token: tokens.Token | None = None


def _bearer(header: str) -> Caller:
    scheme, _sep, value = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise ApiError(
            401,
            _(
                "Send your personal access token as the header"
                " Authorization: Bearer <token> (make one on your settings page)."
            ),
            headers={"WWW-Authenticate": CHALLENGE},
        )
    found = tokens.authenticate(value.strip())
    if found is None:
        raise ApiError(
            401,
            _(
                "This token is not valid: it was revoked or mistyped. Make a new"
                " one on your settings page."
            ),
            headers={"WWW-Authenticate": CHALLENGE + ', error="invalid_token"'},
        )
    token, archer = found
    return Caller("token", archer, token)


def _check_origin() -> None:
    """A cookie-borne request that changes something must carry the page's
    CSRF token (as the forms do, but in a header)."""
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    from flask_wtf.csrf import CSRFError

    try:
        current_app.extensions["csrf"].protect()
    except CSRFError:
        raise ApiError(
            403,
            _(
                "Without a token, send the X-CSRFToken header that GET /api/v1/me"
                " gives this session; scripts should use a personal access token"
                " instead (Authorization: Bearer <token>)."
            ),
        ) from None


def identify() -> None:
    """Before every API request: who is calling, and may they write."""
    header = request.headers.get("Authorization")
    if header is not None:
        g.api_caller = _bearer(header)
        return
    archer = signed_in_archer()
    g.api_caller = Caller("session" if archer is not None else "anonymous", archer)
    if request.method in UNSAFE:
        _check_origin()


def caller() -> Caller:
    found: Caller = g.api_caller
    return found


def viewer() -> Viewer:
    """Whose matches the request works on, as the services take it: the
    token's archer (a match made with a token is the archer's alone), or this
    browser and whoever is signed in on it, as the pages do."""
    who = caller()
    if who.auth == "token":
        assert who.archer is not None
        return Viewer.for_token(who.archer)
    return browser_viewer()


def history() -> ArcherHistory | None:
    """The calling archer's history, for ghosts made from it."""
    return viewer().history


def archer_required() -> Archer:
    archer = caller().archer
    if archer is None:
        raise ApiError(
            401,
            _(
                "Sign in, or send a personal access token as the header"
                " Authorization: Bearer <token>, to read your history."
            ),
            headers={"WWW-Authenticate": CHALLENGE},
        )
    return archer
