"""Ghost nights as pages: a club's nights and the form to set one up (its
owner and admins); a night's page (its format, ghost and window, the member's
match, the leaderboard); the leaderboard alone (an HTML fragment a live
update swaps in), for a screen at the range, and printable; joining;
deleting.

Signed-in archers only; a club or night the archer is not a member of
answers 404 (as a missing one), a member setting a night up 403. Views parse
the request, call :mod:`...services.nights` and render."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required

from ...engine import all_presets, get_round
from ...engine.constants import BOWS
from ...services import nights
from ...services.labels import bow_names
from ...services.setups import COMMON_ROUNDS
from ..common.viewer import posted_fields, required_archer, viewer

bp = Blueprint("night", __name__)

#: Timezones offered first in the form; any other IANA name can be typed.
COMMON_ZONES = (
    "UTC",
    "Europe/London",
    "Europe/Madrid",
    "Europe/Paris",
    "Europe/Berlin",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "America/Mexico_City",
    "America/Argentina/Buenos_Aires",
    "Asia/Tokyo",
    "Australia/Sydney",
)


@bp.app_context_processor
def night_globals() -> dict[str, Any]:
    return {"night_of_match": night_of_match}


def night_of_match(match_id: str | None) -> str | None:
    """For a match page: the address of the ghost night the viewer's match is
    an entry of (None: it is on none)."""
    if not match_id:
        return None
    found = nights.night_of_match(viewer(), match_id)
    if found is None:
        return None
    return url_for("night.show", club_id=found.club_id, night_id=found.night_id)


def _form_context(values: dict[str, str], errors: dict[str, str]) -> dict[str, Any]:
    return {
        "values": values,
        "errors": errors,
        "bows": BOWS,
        "bow_names": bow_names(),
        "rounds": {
            where: [(code, get_round(code).name) for code in codes]
            for where, codes in COMMON_ROUNDS.items()
        },
        "presets": list(all_presets().values()),
        "zones": COMMON_ZONES,
        "rankings": nights.ranking_names(),
    }


def _index_page(
    club_id: str,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    archer = required_archer()
    try:
        listing = nights.nights_of(club_id, archer.id)
    except LookupError:
        abort(404)
    page = render_template(
        "nights.html",
        listing=listing,
        club_id=club_id,
        state_of=nights.state_of,
        local_time=nights.local_time,
        **_form_context(values or {}, errors or {}),
    )
    return page, status


@bp.get("/clubs/<club_id>/nights")
@login_required
def index(club_id: str) -> ResponseReturnValue:
    return _index_page(club_id)


@bp.post("/clubs/<club_id>/nights")
@login_required
def create(club_id: str) -> ResponseReturnValue:
    archer = required_archer()
    values = posted_fields()
    try:
        night_id = nights.create(club_id, archer.id, values)
    except LookupError:
        abort(404)
    except nights.NotAllowed:
        abort(403)
    except nights.NightInvalid as exc:
        return _index_page(club_id, values, exc.errors, 400)
    flash(_("The ghost night is set up."))
    return redirect(url_for("night.show", club_id=club_id, night_id=night_id), 303)


def _view(club_id: str, night_id: str) -> nights.NightView:
    archer = required_archer()
    try:
        return nights.view(club_id, night_id, archer.id)
    except LookupError:
        abort(404)


def _context(view: nights.NightView) -> dict[str, Any]:
    return {
        "view": view,
        "night": view.night,
        "club_id": view.club.id,
        "rankings": nights.ranking_names(),
        "bow_names": bow_names(),
    }


@bp.get("/clubs/<club_id>/nights/<night_id>")
@login_required
def show(club_id: str, night_id: str) -> ResponseReturnValue:
    view = _view(club_id, night_id)
    return render_template("night.html", **_context(view))


def _no_store(body: str) -> ResponseReturnValue:
    response = make_response(body)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/clubs/<club_id>/nights/<night_id>/leaderboard")
@login_required
def leaderboard(club_id: str, night_id: str) -> ResponseReturnValue:
    view = _view(club_id, night_id)
    return _no_store(render_template("_leaderboard.html", **_context(view)))


@bp.get("/clubs/<club_id>/nights/<night_id>/screen")
@login_required
def screen(club_id: str, night_id: str) -> ResponseReturnValue:
    view = _view(club_id, night_id)
    return _no_store(render_template("night_screen.html", **_context(view)))


@bp.get("/clubs/<club_id>/nights/<night_id>/print")
@login_required
def printable(club_id: str, night_id: str) -> ResponseReturnValue:
    view = _view(club_id, night_id)
    return render_template("night_print.html", **_context(view))


@bp.post("/clubs/<club_id>/nights/<night_id>/join")
@login_required
def join(club_id: str, night_id: str) -> ResponseReturnValue:
    required_archer()
    try:
        match_id, _made = nights.join(viewer(), club_id, night_id)
    except LookupError:
        abort(404)
    except nights.Outside as exc:
        flash(str(exc))
        return redirect(url_for("night.show", club_id=club_id, night_id=night_id), 303)
    return redirect(url_for("play.show", match_id=match_id), 303)


@bp.post("/clubs/<club_id>/nights/<night_id>/delete")
@login_required
def delete(club_id: str, night_id: str) -> ResponseReturnValue:
    archer = required_archer()
    try:
        nights.delete(club_id, night_id, archer.id)
    except LookupError:
        abort(404)
    except nights.NotAllowed:
        abort(403)
    flash(_("The ghost night is deleted; its matches stay with their archers."))
    return redirect(url_for("night.index", club_id=club_id), 303)
