"""The original app's bookmarked links: version 1's ``simulator.php`` (a
min/max ghost) and version 2's ``ghost.php`` (a championship category's ghost)
open the equivalent match. Opening one stores nothing; the first end posted
back to the link stores the match with that end in it."""

from __future__ import annotations

from typing import Any

from flask import g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from ...engine import GhostError, Match, MatchError
from ...engine.constants import MAX_SEED
from ...services import play
from ...services.numbers import parse_id
from ...services.setups import (
    ghost_link_rules,
    legacy_rules,
    min_max_message,
    parse_ghost_link,
    parse_legacy,
)
from ...services.sheets import build_sheet, target_svg_points
from ..common.limits import limit_match_creation
from ..common.viewer import owner_key, viewer
from .views import (
    bp,
    changed_message,
    from_script,
    posted_entry,
    sheet_response,
)


def legacy_example() -> str:
    """A valid simulator link of the original's, to show next to its rules."""
    return url_for(
        "play.legacy_simulator",
        max_points=28,
        min_points=20,
        type="qualifiers",
        location="indoor",
        modality="other",
        _external=True,
    )


def ghost_link_example() -> str:
    """A valid ghost.php link, to show next to its rules."""
    return url_for("play.legacy_ghost", sex="m", category="o", age="a", _external=True)


def _open_legacy(
    setup: Any,
    problems: list[str],
    rules: list[str],
    example: str,
    title: str = "",
    notice: str = "",
) -> ResponseReturnValue:
    """The match an old link asks for (with ``notice`` shown on its page), or
    (400) what is wrong with the link, with its rules and a link that works.

    Opening the link (GET) stores nothing: the page shows the match with the
    seed drawn for it in its entry form, and the first end posted back to the
    link stores the match with that end in it."""

    if setup is not None and request.method == "POST":
        seed = _posted_seed()
        if seed is None:
            setup = None
            problems = [_("The seed is a whole number from 0 to 9223372036854775807.")]
        else:
            setup.seed = seed
    if setup is not None:
        try:
            match = setup.build()
        except GhostError as exc:
            message = min_max_message(exc.code, **exc.params) if exc.code else ""
            problems = [message or _("No ghost can be built for this link.")]
        else:
            if request.method == "POST":
                return _first_end(setup, match, notice)
            # The browser's key now (a cookie, not a row): two tabs of this
            # page then post their first end as the same owner.
            owner_key()
            return render_template("match.html", **_unsaved_context(match, notice))
    return render_template(
        "legacy_error.html",
        problems=problems,
        rules=rules,
        example=example,
        title=title or _("This simulator link is not valid"),
    ), 400


def _posted_seed() -> int | None:
    text = (request.form.get("seed") or "").strip()
    return parse_id(text, most=MAX_SEED)


def _unsaved_context(
    match: Match, notice: str = "", error: str | None = None
) -> dict[str, Any]:
    """A match an old link sets up, not stored yet: its entry form posts the
    first end back to the link, with the seed drawn for it."""
    return {
        "match_id": None,
        "started": None,
        "sheet": build_sheet(match),
        "target": target_svg_points(match),
        # Not stored yet: its seed travels in the entry form (the first end
        # posted back stores the match it fixes), never on show.
        "share_url": None,
        "error": error,
        "own_result": None,
        "notice": notice,
        "hidden": [("seed", str(match.seed))],
        "entry_action": request.script_root + request.full_path.rstrip("?"),
    }


def _first_end(setup: Any, match: Match, notice: str) -> ResponseReturnValue:
    """Store the old link's match with its first end in it, and go to it."""
    try:
        entry = posted_entry("end")
        outcome = play.first_end(viewer(), match, entry)
    except MatchError as exc:
        outcome = play.Outcome("refused", "", match, refusal=exc)
    if outcome.refusal is not None:
        fresh = setup.build()  # the same seed: the same match, untouched
        error = play.message(outcome.refusal)
        context = _unsaved_context(fresh, notice, error)
        page = "_sheet.html" if from_script() else "match.html"
        return render_template(page, **context), 400
    assert outcome.match is not None
    if outcome.result == "changed":  # the same page posted twice: stored once
        g.match_started = outcome.created_at
        return sheet_response(
            outcome.match_id,
            outcome.match,
            outcome.version,
            changed_message(),
            409,
        )
    url = url_for("play.show", match_id=outcome.match_id)
    return redirect(url + "#entry", 303)


@bp.route("/simulator.php", methods=["GET", "POST"])
@limit_match_creation
def legacy_simulator() -> ResponseReturnValue:
    """The original's bookmarked simulator link opens the equivalent match."""
    setup, problems = parse_legacy(request.args)
    return _open_legacy(setup, problems, legacy_rules(), legacy_example())


@bp.route("/ghost.php", methods=["GET", "POST"])
@limit_match_creation
def legacy_ghost() -> ResponseReturnValue:
    """Version 2's ghost.php link opens a match against the championship
    category's ghost, saying so when a nearby category's ghost stands in."""
    setup, problems, notice = parse_ghost_link(request.args)
    return _open_legacy(
        setup,
        problems,
        ghost_link_rules(),
        ghost_link_example(),
        _("This ghost link is not valid"),
        notice,
    )
