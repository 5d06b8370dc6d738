"""Shared rounds: the owner shares a finished ranking round with one of their
clubs or as a link and sees (and revokes) their shares at ``/shares``; the
recipient opens the link, or the club's list, and shoots against the round.
A revoked or missing share answers 404 saying it is no longer shared. Views
parse the request, call :mod:`...services.shares` and render."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import format_number
from flask_babel import gettext as _
from flask_login import login_required

from ...services import shares
from ...services.shares import Share, ShareError
from ...store import clubs as stored_clubs
from ...store.models import Archer
from ..common.viewer import required_archer, viewer

bp = Blueprint("share", __name__)


def share_link(token: str) -> str:
    return url_for("share.link", token=token, _external=True)


def _gone() -> ResponseReturnValue:
    return render_template("share_gone.html"), 404


def refusal(exc: ShareError) -> str:
    limit = format_number(shares.MAX_SHARES)
    return {
        "not_round": _("Only a ranking round can be shared, not a match."),
        "not_finished": _("Only a finished round can be shared."),
        "too_many": _(
            "You have %(num)s shares: delete old ones first.",
            num=limit,
        ),
    }.get(exc.code, str(exc))


@bp.get("/shares")
@login_required
def index() -> ResponseReturnValue:
    archer = required_archer()
    return render_template(
        "shares.html", shares=shares.mine(archer.id), round_name=shares.round_name
    )


@bp.get("/shares/new")
@login_required
def new() -> ResponseReturnValue:
    archer = required_archer()
    match_id = (request.args.get("match") or "")[:32]
    return render_template(
        "share_new.html",
        match_id=match_id,
        clubs=shares.clubs_to_share_with(archer.id),
        error=None,
    )


@bp.post("/shares")
@login_required
def create() -> ResponseReturnValue:
    archer = required_archer()
    match_id = (request.form.get("match") or "")[:32]
    target = (request.form.get("with") or "").strip()[:40]
    club_id = None if target == "link" else target
    if not target:
        error = _("Choose one of your clubs, or a link.")
        return _new_again(archer, match_id, error, 422)
    try:
        made = shares.share(archer.id, match_id, club_id)
    except ShareError as exc:
        if exc.code in ("missing", "no_club"):
            abort(404)
        return _new_again(archer, match_id, refusal(exc), 422)
    if made.token is not None:
        return render_template("share_made.html", link=share_link(made.token))
    flash(_("The round is shared with the club."))
    return redirect(url_for("share.index"))


def _new_again(
    archer: Archer, match_id: str, error: str, status: int
) -> ResponseReturnValue:
    page = render_template(
        "share_new.html",
        match_id=match_id,
        clubs=shares.clubs_to_share_with(archer.id),
        error=error,
    )
    return page, status


@bp.post("/shares/<share_id>/revoke")
@login_required
def revoke(share_id: str) -> ResponseReturnValue:
    archer = required_archer()
    if not shares.revoke(archer.id, share_id):
        abort(404)
    flash(_("The round is no longer shared."))
    return redirect(url_for("share.index"))


def _round_page(share: Share, shoot_url: str, by: str) -> ResponseReturnValue:
    return render_template(
        "share_round.html",
        share=share,
        name=shares.round_name(share),
        by=by,
        shoot_url=shoot_url,
    )


@bp.get("/shares/<token>")
def link(token: str) -> ResponseReturnValue:
    share = shares.by_token(token)
    if share is None:
        return _gone()
    return _round_page(
        share, url_for("share.shoot_link", token=token), share.owner_initials
    )


def _shoot(share: Share) -> ResponseReturnValue:
    match_id = shares.shoot_against(viewer(), share)
    if match_id is None:
        return _gone()
    return redirect(url_for("play.show", match_id=match_id))


@bp.post("/shares/<token>/matches")
@login_required
def shoot_link(token: str) -> ResponseReturnValue:
    share = shares.by_token(token)
    if share is None:
        return _gone()
    return _shoot(share)


@bp.get("/clubs/<club_id>/shares")
@login_required
def club_list(club_id: str) -> ResponseReturnValue:
    archer = required_archer()
    found = shares.for_member(club_id, archer.id)
    club = stored_clubs.load(club_id)
    if found is None or club is None:
        abort(404)
    return render_template(
        "share_club.html",
        club=club,
        shares=[(s, shares.round_name(s), shares.shown_as(s)) for s in found],
    )


@bp.get("/clubs/<club_id>/shares/<share_id>")
@login_required
def club_round(club_id: str, share_id: str) -> ResponseReturnValue:
    archer = required_archer()
    share = shares.in_club(club_id, archer.id, share_id)
    if share is None:
        if stored_clubs.role_of(club_id, archer.id) is None:
            abort(404)
        return _gone()
    return _round_page(
        share,
        url_for("share.shoot_club", club_id=club_id, share_id=share_id),
        shares.shown_as(share),
    )


@bp.post("/clubs/<club_id>/shares/<share_id>/matches")
@login_required
def shoot_club(club_id: str, share_id: str) -> ResponseReturnValue:
    archer = required_archer()
    share = shares.in_club(club_id, archer.id, share_id)
    if share is None:
        if stored_clubs.role_of(club_id, archer.id) is None:
            abort(404)
        return _gone()
    return _shoot(share)
