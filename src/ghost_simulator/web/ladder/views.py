"""Ghost ladders as a training mode: the viewer's ladders and the form to start
one, a ladder's page (its level over time, the next ghost and its exact win
chance, the record) and the button that starts its next match.

Open to every visitor, as matches are: a ladder is this browser's, and the
archer's once signed in. Views parse the request, call
:mod:`...services.ladders` and render.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

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
from flask_babel import format_decimal, format_percent
from flask_babel import gettext as _

from ...engine import get_round
from ...engine.constants import BOWS
from ...engine.handicaps import scheme as handicap_scheme
from ...services import ladders
from ...services.labels import bow_names
from ...services.setups import COMMON_ROUNDS
from ..common import charts
from ..common.limits import limit_match_creation
from ..common.page_cache import asked_again
from ..common.viewer import signed_in_archer, viewer

bp = Blueprint("ladder", __name__)

asked_again(bp)


@bp.app_context_processor
def ladder_globals() -> dict[str, Any]:
    return {"ladder_of_match": ladder_of_match}


def ladder_of_match(match_id: str | None) -> str | None:
    """For a match page: the address of the viewer's ladder the match belongs
    to (None: it is on none)."""
    if not match_id:
        return None
    found = ladders.ladder_of_match(viewer(), match_id)
    return url_for("ladder.show", ladder_id=found) if found else None


def _form_context(values: dict[str, str], errors: dict[str, str]) -> dict[str, Any]:
    rounds = {
        where: [(code, get_round(code).name) for code in codes]
        for where, codes in COMMON_ROUNDS.items()
    }
    archer = signed_in_archer()
    start = values.get("start") or ("history" if archer is not None else "handicap")
    target = values.get("target") or "50"
    return {
        "values": values,
        "start": start,
        "target": target,
        "errors": errors,
        "bows": BOWS,
        "rounds": rounds,
        "signed_in": archer is not None,
        "scheme": ladders.scheme_for(viewer()),
        "listed": ladders.ladders_of(viewer()),
        **HELPERS,
    }


@bp.get("/ladders")
def index() -> str:
    return render_template("ladders.html", **_form_context({}, {}))


@bp.post("/ladders")
def create() -> ResponseReturnValue:
    asked, errors = ladders.parse_form(request.form)
    values = {name: str(value)[:64] for name, value in request.form.items()}
    if not errors:
        try:
            ladder_id = ladders.create(viewer(), asked)
        except ladders.LadderInvalid as exc:
            errors = exc.errors
        else:
            return redirect(url_for("ladder.show", ladder_id=ladder_id), 303)
    return render_template("ladders.html", **_form_context(values, errors)), 400


def _found(ladder_id: str) -> ladders.State:
    state = ladders.load(viewer(), ladder_id)
    if state is None:
        abort(404)
    return state


def _number(value: float) -> str:
    return str(format_decimal(round(value, 1)))


def _exact_percent(value: float) -> str:
    """A chance as the ladder computed it, to a tenth of a per cent."""
    return str(format_percent(value, "#,##0.0%"))


def format_name(fmt: Any) -> str:
    """What a ladder's matches are, in words: "Set match, recurve, outdoor"."""
    bow = bow_names()[fmt.bow]
    if fmt.kind == "ranking":
        return _("%(round)s, %(bow)s", round=get_round(fmt.round_code).name, bow=bow)
    where = _("indoor") if fmt.indoor else _("outdoor")
    if fmt.kind == "cumulative":
        return _("Cumulative match, %(bow)s, %(where)s", bow=bow, where=where)
    return _("Set match, %(bow)s, %(where)s", bow=bow, where=where)


#: What the ladder pages' templates call.
HELPERS = {
    "number": _number,
    "exact_percent": _exact_percent,
    "format_name": format_name,
}


def level_chart(state: ladders.State) -> tuple[Any, Any]:
    """The ladder's estimate of the archer's level before each match and now,
    and each match's ghost (the next one last), on one scale."""
    steps = state.steps
    levels = [s.rung.estimate for s in steps] + [state.estimate.level]
    ghosts = [s.rung.ghost for s in steps] + [state.next_ghost]
    names = [str(s.rung.number) for s in steps] + [_("next")]
    ticks = charts.nice_ticks(min(levels + ghosts), max(levels + ghosts))
    lower_is_better = bool(handicap_scheme(state.format.scheme).desc_scale)

    def line(values: list[float], says: Callable[[str, str], str]) -> charts.LineChart:
        return charts.line_chart(
            values,
            [says(n, _number(v)) for n, v in zip(names, values, strict=True)],
            x_labels=names,
            y_range=(ticks[0], ticks[-1]),
            invert=lower_is_better,
            y_format=lambda v: str(format_decimal(v)),
        )

    level_line = line(
        levels,
        lambda n, v: _("Match %(number)s: your level %(level)s", number=n, level=v),
    )
    ghost_line = line(
        ghosts, lambda n, v: _("Match %(number)s: ghost %(level)s", number=n, level=v)
    )
    return level_line, ghost_line


@bp.get("/ladders/<ladder_id>")
def show(ladder_id: str) -> str:
    state = _found(ladder_id)
    level_line, ghost_line = level_chart(state)
    return render_template(
        "ladder.html",
        state=state,
        level_line=level_line,
        ghost_line=ghost_line,
        round_name=state.format.round.name,
        **HELPERS,
    )


@bp.post("/ladders/<ladder_id>/matches")
@limit_match_creation
def shoot_next(ladder_id: str) -> ResponseReturnValue:
    """Start the ladder's next match (or go back to the one in progress)."""
    shot = ladders.shoot_next(viewer(), ladder_id)
    if shot is None:
        abort(404)
    match_id, _made = shot
    return redirect(url_for("play.show", match_id=match_id), 303)


@bp.post("/ladders/<ladder_id>/delete")
def delete(ladder_id: str) -> ResponseReturnValue:
    """Delete the ladder (its matches stay in the viewer's matches)."""
    if not ladders.delete(viewer(), ladder_id):
        abort(404)
    flash(_("The ladder is deleted; its matches are still in your matches."))
    return redirect(url_for("ladder.index"), 303)
