"""Clubs: the archer's clubs and the form to start one; a club's page (its
members as each chose to be shown; for the owner and admins its invitations
with their links and QR codes, removing members and making admins; for the
owner editing, handing over and deleting it; for every member what they show
of themself, and leaving); the invitation link, which shows the club's name
and a Join button while it is live and nothing of the club otherwise.

Signed-in archers only; a club the archer is not a member of answers 404 (as
a missing one). Views parse the request, call :mod:`...services.clubs` and
render."""

from __future__ import annotations

from typing import Any

import segno
from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import login_required
from markupsafe import Markup

from ...services import clubs
from ...services.numbers import parse_id
from ...store import clubs as stored
from ..common.limits import INVITE_LOOKUP, limiter
from ..common.viewer import required_archer

bp = Blueprint("club", __name__)

#: Where the token of an invitation just made waits for the club's page to
#: show it once.
_NEW_INVITE = "club_new_invite"


def invite_link(token: str) -> str:
    return url_for("club.join", token=token, _external=True)


def qr_svg(link: str) -> Markup:
    """The link's QR code as an inline SVG, made here (no other host)."""
    code = segno.make(link, error="m")
    svg = code.svg_inline(
        scale=4, dark="#000", light="#fff", title=_("QR code of the invitation link")
    )
    return Markup(svg)  # noqa: S704 (segno's own markup; the link is escaped)


def _index_page(
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    archer = required_archer()
    page = render_template(
        "clubs.html",
        memberships=stored.clubs_of(archer.id),
        values=values or {},
        errors=errors or {},
        limits=clubs,
    )
    return page, status


@bp.get("/clubs")
@login_required
def index() -> ResponseReturnValue:
    return _index_page()


@bp.post("/clubs")
@login_required
def create() -> ResponseReturnValue:
    try:
        club_id = clubs.create(required_archer().id, request.form)
    except clubs.ClubInvalid as exc:
        values = {
            k: str(request.form.get(k, ""))[:600]
            for k in ("name", "location", "description")
        }
        return _index_page(values, exc.errors, 400)
    flash(_("Your club is made: invite its members with a link."))
    return redirect(url_for("club.show", club_id=club_id), 303)


def _show_page(
    club_id: str, errors: dict[str, str] | None = None, status: int = 200
) -> ResponseReturnValue:
    archer = required_archer()
    try:
        seen = clubs.view(club_id, archer.id)
    except LookupError:
        abort(404)
    new_invite = None
    waiting = session.get(_NEW_INVITE)
    if isinstance(waiting, dict) and waiting.get("club") == club_id:
        session.pop(_NEW_INVITE, None)
        token = str(waiting.get("token", ""))
        if stored.find_invite(token) == club_id:
            link = invite_link(token)
            new_invite = {"link": link, "qr": qr_svg(link)}
    me = next((m for m in seen.members if m.archer_id == archer.id), None)
    page = render_template(
        "club.html",
        seen=seen,
        club=seen.club,
        me=me,
        new_invite=new_invite,
        errors=errors or {},
        days=sorted(stored.INVITE_DAYS),
        format_datetime=format_datetime,
        role_names=role_names(),
    )
    return page, status


def role_names() -> dict[str, str]:
    return {"owner": _("Owner"), "admin": _("Admin"), "member": _("Member")}


@bp.get("/clubs/<club_id>")
@login_required
def show(club_id: str) -> ResponseReturnValue:
    return _show_page(club_id)


def _act(club_id: str, action: Any, done: str, to: str | None = None) -> Any:
    """Run one of the club's operations: its errors as the page's (400), a
    role that may not as 403, not a member as 404; else flash and 303."""
    try:
        action()
    except LookupError:
        abort(404)
    except clubs.NotAllowed as exc:
        abort(403, str(exc))
    except clubs.ClubInvalid as exc:
        return _show_page(club_id, exc.errors, 400)
    flash(done)
    return redirect(to or url_for("club.show", club_id=club_id), 303)


def _member_id() -> int:
    """The member a form names (-1: none, as no row has it): an id the
    databases can hold, or nobody."""
    found = parse_id(str(request.form.get("archer_id", "")).strip())
    return -1 if found is None else found


@bp.post("/clubs/<club_id>/edit")
@login_required
def edit(club_id: str) -> ResponseReturnValue:
    archer = required_archer()
    return _act(
        club_id,
        lambda: clubs.edit(club_id, archer.id, request.form),
        _("The club is changed."),
    )


@bp.post("/clubs/<club_id>/invitations")
@login_required
def invite(club_id: str) -> ResponseReturnValue:
    archer = required_archer()

    def make() -> None:
        token = clubs.invite(club_id, archer.id, request.form.get("days"))
        session[_NEW_INVITE] = {"club": club_id, "token": token}

    return _act(
        club_id,
        make,
        _("The invitation is made: copy its link now, it is shown only once."),
    )


@bp.post("/clubs/<club_id>/invitations/revoke")
@login_required
def revoke(club_id: str) -> ResponseReturnValue:
    archer = required_archer()
    hashed = str(request.form.get("invitation", ""))
    return _act(
        club_id,
        lambda: clubs.revoke(club_id, archer.id, hashed),
        _("The invitation is revoked: its link leads nowhere now."),
    )


@bp.post("/clubs/<club_id>/members/remove")
@login_required
def remove(club_id: str) -> ResponseReturnValue:
    archer = required_archer()
    member_id = _member_id()
    return _act(
        club_id,
        lambda: clubs.remove(club_id, archer.id, member_id),
        _("The member is removed from the club."),
    )


@bp.post("/clubs/<club_id>/members/role")
@login_required
def set_role(club_id: str) -> ResponseReturnValue:
    archer = required_archer()
    member_id = _member_id()
    role = str(request.form.get("role", ""))
    return _act(
        club_id,
        lambda: clubs.set_role(club_id, archer.id, member_id, role),
        _("The member's role is changed."),
    )


@bp.post("/clubs/<club_id>/transfer")
@login_required
def transfer(club_id: str) -> ResponseReturnValue:
    archer = required_archer()
    member_id = _member_id()
    return _act(
        club_id,
        lambda: clubs.transfer(club_id, archer.id, member_id),
        _("The club is handed over: you are one of its admins now."),
    )


@bp.post("/clubs/<club_id>/delete")
@login_required
def delete(club_id: str) -> ResponseReturnValue:
    archer = required_archer()
    if request.form.get("confirm") != "yes":
        return _show_page(
            club_id,
            {"delete": _("Tick the box to confirm that the club is to be deleted.")},
            400,
        )
    return _act(
        club_id,
        lambda: clubs.delete(club_id, archer.id),
        _("The club is deleted. Its members' matches stay in their history."),
        url_for("club.index"),
    )


@bp.post("/clubs/<club_id>/me")
@login_required
def settings(club_id: str) -> ResponseReturnValue:
    archer = required_archer()
    return _act(
        club_id,
        lambda: clubs.set_display(
            club_id,
            archer.id,
            request.form.get("shown_as"),
            request.form.get("shares_history"),
        ),
        _("Your settings for this club are saved."),
    )


@bp.post("/clubs/<club_id>/leave")
@login_required
def leave(club_id: str) -> ResponseReturnValue:
    archer = required_archer()
    return _act(
        club_id,
        lambda: clubs.leave(club_id, archer.id),
        _("You left the club."),
        url_for("club.index"),
    )


def _not_valid() -> ResponseReturnValue:
    abort(
        404,
        _(
            "This invitation is not valid: it may have expired or been revoked."
            " Ask the club for a new link."
        ),
    )


@bp.route("/clubs/join/<token>", methods=["GET", "POST"])
@limiter.limit(INVITE_LOOKUP)
@login_required
def join(token: str) -> ResponseReturnValue:
    archer = required_archer()
    club = clubs.invited_to(token)
    if club is None:
        return _not_valid()
    if request.method == "GET":
        member = stored.role_of(club.id, archer.id) is not None
        return render_template("club_join.html", club=club, token=token, member=member)
    try:
        club_id = clubs.join(token, archer.id)
    except LookupError:
        return _not_valid()
    except clubs.ClubInvalid as exc:
        abort(400, " ".join(exc.errors.values()))
    flash(_("Welcome to the club."))
    return redirect(url_for("club.show", club_id=club_id), 303)


@bp.get("/clubs/<club_id>/members/<int:member_id>")
@login_required
def member(club_id: str, member_id: int) -> ResponseReturnValue:
    """A member's finished rounds and matches, when they share them with the
    club (their scores only: their matches' pages stay theirs)."""
    from ..history.views import row_view

    archer = required_archer()
    try:
        seen = clubs.member_history(club_id, archer.id, member_id)
    except LookupError:
        abort(404)
    rows = [{**row_view(row), "handicap": row.archer_handicap} for row in seen.rows]
    return render_template(
        "club_member.html", seen=seen, club=seen.club, rows=rows, you=archer.id
    )
