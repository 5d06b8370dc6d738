"""Throttling with Flask-Limiter: password guessing and mass registration are
slowed down per client address (and, for sign-in, per account name), and so is
creating matches (a script filling the database).

The counters live where ``RATELIMIT_STORAGE_URI`` says: in memory for one
process, or a shared store (``redis://...``, ``memcached://...``) when several
instances serve one club behind a proxy.
"""

from __future__ import annotations

import math
import time

from flask import Flask, Response, current_app, request
from flask.typing import ResponseReturnValue
from flask_limiter import Limiter
from flask_limiter.errors import RateLimitExceeded
from flask_limiter.util import get_remote_address
from werkzeug.exceptions import TooManyRequests

#: Sign-in attempts that failed, per client address.
SIGN_IN = "10 per minute;50 per hour"
#: Failed sign-ins per account name, from any address: a slow, spread-out guess
#: at one password is stopped too.
SIGN_IN_PER_ACCOUNT = "20 per hour"
#: Registrations (and attempts), per client address. The setting
#: ``REGISTER_LIMIT`` replaces it (a club registering its members on the
#: range's one connection may need more).
REGISTER = "10 per hour"
#: Failed checks of the current password on the settings page, per address.
PASSWORD_CHECK = "10 per minute;50 per hour"
#: Matches created, per client address, however they are created (the form, a
#: rematch, an old link's first end): one budget for them all. The setting
#: ``MATCH_CREATION_LIMIT`` replaces it (a club entering ends for many archers
#: from one address may need more).
MATCH_CREATION = "30 per minute;300 per hour"

#: Invitation links looked up (opened or used to join), per client address: a
#: script guessing tokens is stopped long before it could find one.
INVITE_LOOKUP = "30 per minute;300 per hour"

limiter = Limiter(get_remote_address)


def match_creation_limit() -> str:
    return str(current_app.config.get("MATCH_CREATION_LIMIT") or MATCH_CREATION)


def register_limit() -> str:
    return str(current_app.config.get("REGISTER_LIMIT") or REGISTER)


def created(response: Response) -> bool:
    """Count a request when it made a match (it redirects to it)."""
    return response.status_code in (201, 303)


#: Put on every view that creates a match.
limit_match_creation = limiter.shared_limit(
    match_creation_limit,
    scope="match-creation",
    methods=["POST"],
    deduct_when=created,
)


def submitted_account() -> str:
    """The account a sign-in names, as its counter's key."""
    login = request.form.get("login", "").strip().lower()[:254]
    return f"account:{login or '-'}"


def failed(response: Response) -> bool:
    """Count an attempt only when it did not succeed (a success redirects)."""
    return response.status_code != 303


def too_many(error: RateLimitExceeded) -> ResponseReturnValue:
    """The app's 429 page, in the user's language, with when to try again."""
    from .errors import handle_http_error

    current = limiter.current_limit
    wait = current.reset_at - time.time() if current is not None else 60
    return handle_http_error(TooManyRequests(retry_after=max(1, math.ceil(wait))))


def init_app(app: Flask) -> None:
    # One limiter serves every app the process builds (its limits are declared
    # on the views); each app brings its own storage and switch.
    app.config.setdefault("RATELIMIT_ENABLED", True)
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    limiter.init_app(app)
    app.register_error_handler(RateLimitExceeded, too_many)
