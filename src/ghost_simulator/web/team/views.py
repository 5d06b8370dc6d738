"""Team and mixed-team matches against ghosts: the viewer's team matches (the
team history) and the form to start one, a match's page (score cards, the
score sheet of every member's arrows, the entry and shoot-off forms), its
printable score sheet, and deleting it.

Open to every visitor, as matches are: a team match is this browser's, and
the archer's once signed in; anyone else's id is a 404. Views parse the
request, call :mod:`...services.teams` and render.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from ...engine.constants import BOWS
from ...services import teams
from ...services.labels import bow_names
from ..common.limits import limit_match_creation
from ..common.page_cache import asked_again
from ..common.viewer import signed_in_archer, viewer

bp = Blueprint("team", __name__)

asked_again(bp)


def match_name(kind: str, bow: str, indoor: bool) -> str:
    """A team match in words: "Team match, recurve, outdoor"."""
    where = _("indoor") if indoor else _("outdoor")
    name = bow_names().get(bow, bow)
    if kind == "mixed":
        return _("Mixed team match, %(bow)s, %(where)s", bow=name, where=where)
    return _("Team match, %(bow)s, %(where)s", bow=name, where=where)


def ghost_list(ghosts: Any) -> str:
    """A side's ghosts in words, each level once: "handicap 45.0 (AGB)", then
    times two (a multiplication sign) when two ghosts share it."""
    counts: dict[str, int] = {}
    for ghost in ghosts:
        counts[ghost.label] = counts.get(ghost.label, 0) + 1
    return ", ".join(
        label if n == 1 else f"{label} \N{MULTIPLICATION SIGN}{n}"
        for label, n in counts.items()
    )


def _form_context(values: dict[str, str], errors: dict[str, str]) -> dict[str, Any]:
    return {
        "values": values,
        "errors": errors,
        "bows": BOWS,
        "signed_in": signed_in_archer() is not None,
        "scheme": teams.scheme_for(viewer()),
        "default_handicap": teams.DEFAULT_HANDICAP,
        "listed": teams.list_for(viewer()),
        "match_name": match_name,
    }


@bp.get("/teams")
def index() -> str:
    return render_template("teams.html", **_form_context({}, {}))


@bp.post("/teams")
@limit_match_creation
def create() -> ResponseReturnValue:
    asked, errors = teams.parse_form(request.form)
    values = {name: str(value)[:64] for name, value in request.form.items()}
    if not errors:
        try:
            match_id = teams.create(viewer(), asked)
        except teams.TeamInvalid as exc:
            errors = exc.errors
        else:
            return redirect(url_for("team.show", match_id=match_id), 303)
    return render_template("teams.html", **_form_context(values, errors)), 400


def _found(match_id: str) -> teams.Loaded:
    loaded = teams.load(viewer(), match_id)
    if loaded is None:
        abort(404)
    return loaded


def _page(
    loaded: teams.Loaded, errors: dict[str, str] | None = None, status: int = 200
) -> ResponseReturnValue:
    match = loaded.match
    verdict = match.verdict()
    shoot_off = verdict.status == "shoot_off"
    return (
        render_template(
            "team_match.html",
            loaded=loaded,
            match=match,
            sheet=SimpleNamespace(match=match, verdict=verdict),
            verdict=verdict,
            words=teams.verdict_words(match),
            rows=match.score_sheet(),
            shoot_off=shoot_off,
            needs_closer=teams.needs_closer(match),
            end_number=match.ends_shot + len(match.shoot_offs) + 1,
            labels=(match.shoot_off_face if shoot_off else match.face).labels,
            name=match_name(match.kind, match.bow, match.indoor),
            ghost_list=ghost_list,
            errors=errors or {},
        ),
        status,
    )


@bp.get("/teams/<match_id>")
def show(match_id: str) -> ResponseReturnValue:
    return _page(_found(match_id))


def _end_number() -> int | None:
    text = (request.form.get("end") or "").strip()
    return int(text) if text.isdigit() and len(text) < 6 else None


def _entered(match_id: str, enter: Any) -> ResponseReturnValue:
    _found(match_id)  # anyone else's: 404 before anything is read
    try:
        done = enter()
    except teams.TeamInvalid as exc:
        return _page(_found(match_id), exc.errors, 400)
    except teams.Stale:
        message = _(
            "The match changed since this page was shown (another window?):"
            " here it is as it stands."
        )
        return _page(_found(match_id), {"end": message}, 409)
    if done is None:  # pragma: no cover - deleted meanwhile
        abort(404)
    return redirect(url_for("team.show", match_id=match_id), 303)


@bp.post("/teams/<match_id>/ends")
def add_end(match_id: str) -> ResponseReturnValue:
    labels = [label[:8] for label in request.form.getlist("arrow")][:10]
    return _entered(
        match_id,
        lambda: teams.add_end(viewer(), match_id, labels, end=_end_number()),
    )


@bp.post("/teams/<match_id>/shoot-offs")
def add_shoot_off(match_id: str) -> ResponseReturnValue:
    label = (request.form.get("arrow") or "")[:8]
    closer = (request.form.get("closer") or "")[:8] or None
    return _entered(
        match_id,
        lambda: teams.add_shoot_off(
            viewer(), match_id, label, closer, end=_end_number()
        ),
    )


@bp.get("/teams/<match_id>/sheet")
def sheet(match_id: str) -> str:
    loaded = _found(match_id)
    match = loaded.match
    archer = signed_in_archer()
    return render_template(
        "team_sheet.html",
        loaded=loaded,
        match=match,
        verdict=match.verdict(),
        words=teams.verdict_words(match),
        rows=match.score_sheet(),
        name=match_name(match.kind, match.bow, match.indoor),
        ghost_list=ghost_list,
        archer_name=getattr(archer, "name", None) or getattr(archer, "username", ""),
    )


@bp.post("/teams/<match_id>/delete")
def delete(match_id: str) -> ResponseReturnValue:
    if not teams.delete(viewer(), match_id):
        abort(404)
    flash(_("The team match is deleted."))
    return redirect(url_for("team.index"), 303)
