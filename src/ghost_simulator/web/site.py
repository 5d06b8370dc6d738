"""The public pages: landing, about, the language switch, the web app manifest,
the health check, the original app's addresses; and how static files are
linked and cached."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    send_from_directory,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from .._version import __version__
from .common.limits import limiter
from .common.page_cache import for_anonymous_visitors
from .common.templates import THEME_COOKIE, THEMES

bp = Blueprint("pages", __name__)

LANGUAGE_COOKIE = "lang"
#: A static file fetched by its versioned URL never changes: a year, immutable.
STATIC_VERSIONED_CACHE = "public, max-age=31536000, immutable"
#: Without the version (or with an old one), browsers check again soon.
STATIC_PLAIN_MAX_AGE = 3600


@bp.get("/")
@for_anonymous_visitors
def index() -> str:
    resume_id = None
    if "owner" in session or current_user.is_authenticated:
        from ..store import matches
        from .common.viewer import owner

        resume_id = matches.latest_in_progress(owner())
    return render_template("index.html", resume_id=resume_id)


@bp.get("/about")
@for_anonymous_visitors
def about() -> str:
    return render_template("about.html", version=__version__)


@bp.get("/index.html")
@bp.get("/index")
@bp.get("/index.php")
@bp.get("/javascript_disabled.html")
def legacy_index() -> ResponseReturnValue:
    """The original's and the Flask beta's landing addresses; the beta's "enable
    JavaScript" page too, since every page here works without it."""
    return redirect(url_for("pages.index"), 301)


@bp.get("/about.html")
def legacy_about() -> ResponseReturnValue:
    return redirect(url_for("pages.about"), 301)


@bp.get("/home.html")
@bp.get("/home")
def legacy_home() -> ResponseReturnValue:
    return redirect(url_for("play.new"), 301)


def local_url(target: str | None) -> str:
    """Only a path on this site: never an open redirect.

    Anything else (a scheme, a host, ``//host``, a backslash that browsers read
    as a slash, a control character or blank that they strip or that would
    split a header) gives the landing page.
    """
    home = url_for("pages.index")
    if not target or not target.startswith("/") or target.startswith("//"):
        return home
    if "\\" in target or any(ch.isspace() or not ch.isprintable() for ch in target):
        return home
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return home
    return target.rstrip("?") or "/"


def return_path(target: str | None) -> str | None:
    """A ``next`` parameter of the sign-in and registration pages: a path on
    this site, or None. A control character (CR/LF, NUL...) is refused with a
    400 that says so: it is a damaged or forged link, not a place to go."""
    if not target:
        return None
    if any(not ch.isprintable() for ch in target):
        abort(
            400,
            description=_(
                "This link is damaged: the page to return to contains characters"
                " that an address cannot have. Open the page again from this"
                " site's menu."
            ),
        )
    return local_url(target)


def set_preference_cookie(response: BaseResponse, name: str, value: str) -> None:
    """Keep a preference (language, theme) in a cookie for a year."""
    response.set_cookie(
        name,
        value,
        max_age=365 * 24 * 3600,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure,
    )


def _remember(name: str, value: str) -> ResponseReturnValue:
    """Keep a preference in a cookie and go back where the user was."""
    response = redirect(local_url(request.args.get("next")), 303)
    set_preference_cookie(response, name, value)
    return response


@bp.get("/language/<code>")
def language(code: str) -> ResponseReturnValue:
    """Switch language, remembered."""
    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    return _remember(LANGUAGE_COOKIE, code)


@bp.get("/theme/<choice>")
def theme(choice: str) -> ResponseReturnValue:
    """Light, dark (for indoor halls) or as the device says, remembered."""
    if choice not in THEMES:
        abort(404)
    return _remember(THEME_COOKIE, choice)


@bp.get("/healthz")
@limiter.exempt
def healthz() -> ResponseReturnValue:
    """For a load balancer or monitor: 200 only when the database answers."""
    problem = _database_problem()
    if problem is None:
        response = jsonify({"status": "ok"})
    else:
        message = _("The database does not answer.")
        body = {
            "status": "unavailable",
            "error": {"code": 503, "name": "Service Unavailable", "message": message},
        }
        response = jsonify(body)
        response.status_code = 503
        response.headers["Retry-After"] = "5"
        current_app.logger.warning("Health check failed: %s", problem)
    response.headers["Cache-Control"] = "no-store"
    return response


def _database_problem() -> str | None:
    """Why the database cannot serve, or None when it answers a query.

    A SQLite file that is gone (deleted, a disk unmounted) is a failure even
    though SQLite would answer by creating an empty one: checked first.
    """
    from sqlalchemy import text
    from sqlalchemy.exc import SQLAlchemyError

    from ..config import mask_secrets
    from ..store import get_engine, is_sqlite

    engine = get_engine()
    database = engine.url.database or ""
    if (
        is_sqlite(engine.url)
        and database not in ("", ":memory:")
        and not database.startswith("file:")
        and not Path(database).is_file()
    ):
        return f"the database file {database} does not exist"
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except (SQLAlchemyError, OSError) as exc:
        return mask_secrets(str(exc).splitlines()[0] if str(exc) else repr(exc))
    return None


@bp.get("/manifest.webmanifest")
def manifest() -> Response:
    """Installable as an app on a phone."""
    response = jsonify(
        {
            "name": _("Ghost Simulator"),
            "short_name": _("Ghost"),
            "description": _("Shoot against the ghost"),
            "start_url": url_for("pages.index"),
            "scope": "/",
            "display": "standalone",
            "background_color": "#fffdf6",
            "theme_color": "#fade95",
            "icons": [
                {
                    "src": url_for("static", filename="icon-192.png"),
                    "sizes": "192x192",
                    "type": "image/png",
                },
                {
                    "src": url_for("static", filename="icon-512.png"),
                    "sizes": "512x512",
                    "type": "image/png",
                },
                {
                    "src": url_for("static", filename="icon.svg"),
                    "sizes": "any",
                    "type": "image/svg+xml",
                },
            ],
        }
    )
    response.mimetype = "application/manifest+json"
    return response


@bp.get("/favicon.ico")
def favicon() -> ResponseReturnValue:
    """Where browsers (and bookmarks, feed readers) look for an icon before
    they read a page's own icon link."""
    return send_from_directory(
        str(current_app.static_folder),
        "favicon.ico",
        mimetype="image/vnd.microsoft.icon",
        max_age=STATIC_PLAIN_MAX_AGE,
    )


# -- static files: versioned links, cached for a year ------------------------------

#: (static folder, file name) -> content hash; in debug mode also by mtime and size.
_static_versions: dict[tuple[str, ...], str | None] = {}


def static_version(filename: str) -> str | None:
    """A short hash of a static file's content (None when there is no such
    file). Computed once per file (a dict lookup after that: pages link
    several); in debug mode again whenever the file changes."""
    folder = current_app.static_folder
    if folder is None:
        return None
    debug = current_app.debug
    if not debug:
        known = _static_versions.get((folder, filename), _UNKNOWN)
        if known is not _UNKNOWN:
            return known  # type: ignore[return-value]
    from werkzeug.security import safe_join

    joined = safe_join(folder, filename)
    if joined is None:
        return None
    path = Path(joined)
    key: tuple[str, ...] = (folder, filename)
    if debug:
        try:
            stat = path.stat()
        except OSError:
            return None
        key = (folder, filename, str(stat.st_mtime_ns), str(stat.st_size))
    if key not in _static_versions:
        try:
            digest: str | None = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        except OSError:
            digest = None
        _static_versions[key] = digest
    return _static_versions[key]


_UNKNOWN = object()


@bp.app_url_defaults
def _version_static_links(endpoint: str, values: dict[str, Any]) -> None:
    """Every ``url_for('static', filename=...)`` carries ``?v=<content hash>``:
    a new release's files get new addresses, so old ones can be kept forever."""
    if endpoint == "static" and "v" not in values and "filename" in values:
        version = static_version(str(values["filename"]))
        if version:
            values["v"] = version


@bp.after_app_request
def _cache_static_files(response: BaseResponse) -> BaseResponse:
    if request.endpoint != "static" or response.status_code not in (200, 304):
        return response
    filename = (request.view_args or {}).get("filename", "")
    version = request.args.get("v")
    if version and version == static_version(str(filename)):
        response.headers["Cache-Control"] = STATIC_VERSIONED_CACHE
    else:
        response.headers["Cache-Control"] = f"public, max-age={STATIC_PLAIN_MAX_AGE}"
    response.headers.pop("Expires", None)
    return response
