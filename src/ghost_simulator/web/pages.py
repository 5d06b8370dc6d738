"""The public pages: landing, about, the language switch, the web app manifest,
and the original app's addresses."""

from __future__ import annotations

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
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from .._version import __version__
from .helpers import THEME_COOKIE, THEMES

bp = Blueprint("pages", __name__)

LANGUAGE_COOKIE = "lang"


@bp.get("/")
def index() -> str:
    resume_id = None
    if "owner" in session or current_user.is_authenticated:
        from ..store import matches
        from .play import owner

        resume_id = matches.latest_in_progress(owner())
    return render_template("index.html", resume_id=resume_id)


@bp.get("/about")
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
