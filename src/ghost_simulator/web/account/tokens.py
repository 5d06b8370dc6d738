"""Personal access tokens for the JSON API, on their own settings page: make
one (shown once, never again), see when each was last used, revoke one."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...store import tokens
from ...store.models import Archer

bp = Blueprint("tokens", __name__)


def _archer() -> Archer:
    archer: Archer = current_user.archer
    return archer


def _page(
    new_token: str | None = None, error: str | None = None, name: str = ""
) -> str:
    return render_template(
        "tokens.html",
        tokens=tokens.for_archer(_archer().id),
        new_token=new_token,
        error=error,
        name=name,
        most=tokens.MOST_TOKENS,
        name_length=tokens.NAME_LENGTH,
    )


@bp.get("/settings/tokens")
@login_required
def index() -> str:
    return _page()


@bp.post("/settings/tokens")
@login_required
def create() -> ResponseReturnValue:
    name = request.form.get("name", "").strip()
    if not name or len(name) > tokens.NAME_LENGTH:
        error = _(
            "Give the token a name of 1 to %(count)s characters, such as the"
            " script that will use it.",
            count=tokens.NAME_LENGTH,
        )
        return _page(error=error, name=name[: tokens.NAME_LENGTH]), 400
    try:
        _row, token = tokens.create(_archer().id, name)
    except tokens.TooManyTokens:
        error = _(
            "You hold %(count)s tokens, the most there can be: revoke one you no"
            " longer use first.",
            count=tokens.MOST_TOKENS,
        )
        return _page(error=error, name=name), 400
    # Shown on this answer only: it is not kept anywhere it could be read back.
    return _page(new_token=token), 201, {"Cache-Control": "no-store"}


@bp.post("/settings/tokens/<int:token_id>/revoke")
@login_required
def revoke(token_id: int) -> ResponseReturnValue:
    if tokens.revoke(_archer().id, token_id):
        flash(_("The token is revoked: scripts using it are refused from now on."))
    else:
        flash(_("That token was already revoked."))
    return redirect(url_for("tokens.index"), 303)
