"""Who the request comes from, as the services take it (:class:`Viewer`):
this browser's key to its matches, kept in its signed session cookie, and the
archer signed in on it."""

from __future__ import annotations

import secrets

from flask import abort, request, session
from flask_login import current_user

from ...services.own_history import ArcherHistory
from ...services.viewers import Viewer
from ...store import matches as stored
from ...store.models import Archer

#: Where the session keeps the browser's key to its matches.
OWNER = "owner"


def signed_in_archer() -> Archer | None:
    """The archer signed in on this request, if any."""
    if current_user.is_authenticated:
        archer: Archer = current_user.archer
        return archer
    return None


def required_archer() -> Archer:
    """The archer signed in, for a view behind ``login_required`` (which let
    nobody else in: 401 all the same, should one be called without it)."""
    archer = signed_in_archer()
    if archer is None:
        abort(401)
    return archer


def posted_fields(longest: int = 200) -> dict[str, str]:
    """The form's fields as posted (each cut to ``longest`` characters, the
    CSRF token left out), to show again beside what was wrong with them."""
    return {
        key: str(value)[:longest]
        for key, value in request.form.items()
        if key != "csrf_token"
    }


def current_sign_in() -> str | None:
    """The token of this request's sign-in, if it is signed in."""
    if current_user.is_authenticated:
        token: str = current_user.sign_in
        return token
    return None


def owner_key() -> str:
    """The browser's key to its matches, kept in its (signed) session cookie."""
    if OWNER not in session:
        session[OWNER] = secrets.token_urlsafe(24)
        session.permanent = True
    return str(session[OWNER])


def viewer() -> Viewer:
    """This browser, and the archer signed in on it."""
    return Viewer(owner_key(), signed_in_archer())


def owner() -> stored.Owner:
    """This browser's matches, and those of the archer signed in on it."""
    return viewer().owner


def own_history() -> ArcherHistory | None:
    """The signed-in archer's history, or None for a visitor."""
    archer = signed_in_archer()
    return ArcherHistory(archer) if archer is not None else None
