"""Working without a network: the service worker, the page it shows offline,
and what a match page needs to send the ends it kept while offline.

The service worker (``/sw.js``, served from the site root so that it may
control every page) keeps the static files (their addresses carry a content
hash: cache first) and the pages the archer opened (network first; the cached
copy when the network is gone, else the offline page). Every HTML response
says whose pages it shows (``X-Offline-Scope``, a keyed hash of the archer or
the browser's key): when that changes (signed out, signed in as someone
else, the session expired) the worker forgets the pages it kept.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    current_app,
    jsonify,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from werkzeug.wrappers import Response as BaseResponse

from ...engine import Match
from ...security import form_token
from ...store import matches as stored
from ..common.viewer import owner, signed_in_archer

bp = Blueprint("offline", __name__)

#: The header naming whose pages a response shows.
SCOPE_HEADER = "X-Offline-Scope"
#: Static files every offline page needs (the rest are kept as pages use them).
PRECACHE = (
    "style.css",
    "icon.svg",
    "icon-192.png",
    "js/offline.js",
    "js/match.js",
    "js/offline-match.js",
    "js/offline-score.js",
    "js/clock.js",
    "js/clock-core.js",
    "clock.css",
)
#: Pages worth keeping offline (path prefixes); account pages never are.
KEPT_PAGES = ("/", "/about", "/new", "/matches/", "/history", "/history/", "/days/")
NO_CACHE = "no-cache, max-age=0, must-revalidate"


def _worker_source() -> str:
    folder = current_app.static_folder
    assert folder is not None
    return (Path(folder) / "js" / "sw.js").read_text(encoding="utf-8")


@bp.get("/sw.js")
def service_worker() -> Response:
    """The service worker, from the site root (its scope is the whole site),
    with what it precaches: the static files at their current addresses, so
    that a release (new hashes) changes the worker and the browser updates it."""
    files = [url_for("static", filename=name) for name in PRECACHE]
    # Modules import one another by plain address (no ?v=): kept as well.
    folder = url_for("static", filename="", v=None).rstrip("/")
    files += [f"{folder}/{name}" for name in PRECACHE if name.endswith(".js")]
    release = hashlib.sha256("\n".join(files).encode()).hexdigest()[:12]
    config = {
        "release": release,
        "static": files,
        "offline": url_for("offline.offline_page"),
        "pages": list(KEPT_PAGES),
        "staticPrefix": url_for("static", filename="").rstrip("/") + "/",
    }
    source = f"self.GHOST_SW = {json.dumps(config)};\n" + _worker_source()
    response = Response(source, mimetype="text/javascript")
    response.headers["Service-Worker-Allowed"] = "/"
    response.headers["Cache-Control"] = NO_CACHE
    return response


@bp.get("/offline")
def offline_page() -> ResponseReturnValue:
    """What the worker shows for a page it has not kept, offline."""
    response = Response(render_template("offline.html"))
    response.headers["Content-Language"] = str(get_locale() or "en")
    response.headers["Cache-Control"] = NO_CACHE
    return response


@bp.get("/matches/<match_id>/offline-state")
def match_state(match_id: str) -> ResponseReturnValue:
    """Before a page sends the ends it kept: the match's version and end count
    now, the idempotency keys it has stored (ends sent whose answer was lost)
    and a fresh CSRF token (a long offline spell outlives the page's)."""

    who = owner()
    found = stored.load(match_id, who)
    if found is None:
        response = jsonify({"error": "not found"})
        response.status_code = 404
    else:
        match = Match.from_dict(found.state)
        response = jsonify(
            {
                "version": found.version,
                "ends_shot": match.ends_shot,
                "shoot_offs": len(match.shoot_offs),
                "status": found.status,
                "keys": stored.end_keys(match_id, who),
                "csrf_token": form_token(),
                "scope": page_scope(),
            }
        )
    response.headers["Cache-Control"] = "no-store"
    return response


def page_scope() -> str:
    """Whose pages these are: a keyed hash of the archer signed in, else of
    the browser's key to its matches (none yet: anonymous)."""
    archer = signed_in_archer()
    if archer is not None:
        who = f"archer:{archer.id}"
    else:
        key = session.get("owner")
        who = f"owner:{key}" if key else "anonymous"
    return _scope(str(current_app.secret_key or ""), who)


def _scope(secret: str, who: str) -> str:
    """The keyed hash (every page's response carries it)."""
    return hmac.new(secret.encode(), who.encode(), hashlib.sha256).hexdigest()[:16]


@bp.after_app_request
def _say_whose_page(response: BaseResponse) -> BaseResponse:
    if response.mimetype == "text/html" and request.method == "GET":
        response.headers[SCOPE_HEADER] = page_scope()
    return response
