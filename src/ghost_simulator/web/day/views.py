"""Competition days: the viewer's days and the form to make one (the field:
a level drawn from real results or a file of scores; the qualification: a
score or the ranking round shot here), a day's bracket page (filling in as
the day goes, readable on a phone, printable), and deleting a day.

Open to every visitor, as matches are: a day is this browser's, and the
archer's once signed in. Views parse the request, call
:mod:`...services.days` and render.
"""

from __future__ import annotations

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
from flask_babel import format_decimal
from flask_babel import gettext as _

from ...engine.brackets import PENDING
from ...engine.constants import BOWS
from ...engine.day import BRONZE, LARGEST_DAY, SMALLEST_DAY
from ...engine.field_levels import LEVELS
from ...services import days
from ..common.limits import limit_match_creation
from ..common.page_cache import asked_again
from ..common.viewer import viewer

bp = Blueprint("day", __name__)

asked_again(bp)


def stage_name(stage: str) -> str:
    """A stage in words: "1/8", "Quarter-final", "Bronze medal match"."""
    names = {
        "qualification": _("Qualification round"),
        "quarter-final": _("Quarter-final"),
        "semi-final": _("Semi-final"),
        "final": _("Final"),
        BRONZE: _("Bronze medal match"),
    }
    return names.get(stage, _("%(stage)s elimination", stage=stage))


def place_name(place: int) -> str:
    names = {1: _("Gold: you won the day!"), 2: _("Silver"), 3: _("Bronze")}
    return names.get(place, _("Place %(place)s", place=place))


@bp.app_context_processor
def day_globals() -> dict[str, Any]:
    return {"day_of_match": day_of_match}


def day_of_match(match_id: str | None) -> dict[str, Any] | None:
    """For a match page: its day's address, the match's stage, and whether
    the ghost is the higher seed (it then chooses the order of shooting)
    (None: the match is on no day of the viewer's)."""
    if not match_id:
        return None
    found = days.day_of_match(viewer(), match_id)
    if found is None:
        return None
    return {
        "url": url_for("day.show", day_id=found.day_id),
        "stage": stage_name(found.stage),
        "ghost_chooses": found.ghost_is_higher_seed,
        "opponent": found.opponent,
        "archer_seed": found.archer_seed,
    }


def _form_context(values: dict[str, str], errors: dict[str, str]) -> dict[str, Any]:
    return {
        "values": values,
        "errors": errors,
        "bows": BOWS,
        "levels": [*LEVELS, days.UPLOAD],
        "level_names": days.level_names(),
        "smallest": SMALLEST_DAY,
        "largest": LARGEST_DAY,
        "default_size": days.DEFAULT_SIZE,
        "listed": days.days_of(viewer()),
        "stage_name": stage_name,
    }


@bp.get("/days")
def index() -> str:
    return render_template("days.html", **_form_context({}, {}))


@bp.post("/days")
@limit_match_creation
def create() -> ResponseReturnValue:
    upload = request.files.get("file")
    data = upload.read(days.LARGEST_FILE + 1) if upload and upload.filename else None
    asked, errors = days.parse_form(request.form, data)
    values = {name: str(value)[:64] for name, value in request.form.items()}
    if not errors:
        try:
            day_id = days.create(viewer(), asked)
        except days.DayInvalid as exc:
            errors = exc.errors
        else:
            return redirect(url_for("day.show", day_id=day_id), 303)
    return render_template("days.html", **_form_context(values, errors)), 400


def rounds_shown(view: days.DayView) -> int:
    """How many of the bracket's rounds are shown decided: up to the one the
    archer shoots in now (the others are shot at the same time), all of them
    once the archer is out or the day is over."""
    state = view.state
    if state is None:
        return 0
    if state.next_stage is None or state.next_stage == BRONZE:
        return len(state.rounds)
    if state.next_stage == "final":
        return len(state.rounds) - 1
    return state.stages.index(state.next_stage)


def _number(value: float | None) -> str:
    return "" if value is None else str(format_decimal(round(value, 1)))


@bp.get("/days/<day_id>")
def show(day_id: str) -> str:
    view = days.load(viewer(), day_id)
    if view is None:
        abort(404)
    return render_template(
        "day.html",
        view=view,
        shown=rounds_shown(view),
        pending=PENDING,
        level_names=days.level_names(),
        stage_name=stage_name,
        place_name=place_name,
        bronze=BRONZE,
        number=_number,
        # The day's page and the matches still to shoot, for the phone to
        # keep for a day without a network (static/js/keep-pages.js).
        keep_pages=[url_for("day.show", day_id=view.id)]
        + [url_for("play.show", match_id=m) for m in view.upcoming()],
    )


@bp.post("/days/<day_id>/delete")
def delete(day_id: str) -> ResponseReturnValue:
    """Delete the day (the matches shot on it stay in the viewer's matches)."""
    if not days.delete(viewer(), day_id):
        abort(404)
    flash(
        _(
            "The competition day is deleted; the matches you shot are still in"
            " your matches."
        )
    )
    return redirect(url_for("day.index"), 303)
