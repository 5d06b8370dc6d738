"""Postal leagues as pages: a club's leagues and the form to set one up (its
owner and admins, with the ghost night's fields), a league's standings (and
printable), deleting one.

Signed-in archers only; a club or league the archer is not a member of
answers 404 (as a missing one), a member setting one up or deleting it 403.
Views parse the request, call :mod:`...services.leagues` and render."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required

from ...services import leagues, nights
from ...services.labels import bow_names
from ..common.viewer import posted_fields, required_archer
from ..night.views import _form_context as night_form_context

bp = Blueprint("league", __name__)


def _index_page(
    club_id: str,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    archer = required_archer()
    try:
        listing = leagues.leagues_of(club_id, archer.id)
    except LookupError:
        abort(404)
    page = render_template(
        "leagues.html",
        listing=listing,
        club_id=club_id,
        most_nights=leagues.MOST_NIGHTS,
        most_days=leagues.MOST_DAYS,
        **night_form_context(values or {}, errors or {}),
    )
    return page, status


@bp.get("/clubs/<club_id>/leagues")
@login_required
def index(club_id: str) -> ResponseReturnValue:
    return _index_page(club_id)


@bp.post("/clubs/<club_id>/leagues")
@login_required
def create(club_id: str) -> ResponseReturnValue:
    archer = required_archer()
    values = posted_fields()
    try:
        league_id = leagues.create(club_id, archer.id, values)
    except LookupError:
        abort(404)
    except leagues.NotAllowed:
        abort(403)
    except leagues.LeagueInvalid as exc:
        return _index_page(club_id, values, exc.errors, 400)
    flash(_("The league is set up, with its nights."))
    return redirect(url_for("league.show", club_id=club_id, league_id=league_id), 303)


def _context(club_id: str, league_id: str) -> dict[str, Any]:
    archer = required_archer()
    try:
        view = leagues.view(club_id, league_id, archer.id)
    except LookupError:
        abort(404)
    return {
        "view": view,
        "league": view.league,
        "club_id": club_id,
        "rankings": nights.ranking_names(),
        "bow_names": bow_names(),
    }


@bp.get("/clubs/<club_id>/leagues/<league_id>")
@login_required
def show(club_id: str, league_id: str) -> ResponseReturnValue:
    return render_template("league.html", **_context(club_id, league_id))


@bp.get("/clubs/<club_id>/leagues/<league_id>/print")
@login_required
def printable(club_id: str, league_id: str) -> ResponseReturnValue:
    return render_template("league_print.html", **_context(club_id, league_id))


@bp.post("/clubs/<club_id>/leagues/<league_id>/delete")
@login_required
def delete(club_id: str, league_id: str) -> ResponseReturnValue:
    archer = required_archer()
    try:
        leagues.delete(club_id, league_id, archer.id)
    except LookupError:
        abort(404)
    except leagues.NotAllowed:
        abort(403)
    flash(
        _(
            "The league and its nights are deleted; their matches stay with"
            " their archers."
        )
    )
    return redirect(url_for("league.index", club_id=club_id), 303)
