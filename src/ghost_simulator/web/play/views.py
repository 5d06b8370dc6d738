"""Playing against the ghost: start a match, enter ends, read the sheet.

Views parse the request, call the services (:mod:`...services.play`: the same
path as the API's) and render. A request
from the page's script (``X-Requested-With: fetch``) gets the score sheet's
HTML alone, to swap in without a reload; everyone else gets a redirect.
"""

from __future__ import annotations

import re
from typing import Any

from flask import (
    Blueprint,
    abort,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from ...engine import Match, MatchError, all_presets, get_round
from ...engine.constants import BOWS
from ...services import play
from ...services.equipment import chosen_equipment
from ...services.nights import shot_at
from ...services.numbers import parse_decimal, parse_id, parse_whole
from ...services.setups import COMMON_ROUNDS, parse_setup
from ...services.sheets import build_sheet, ghost_plan, target_svg_points
from ...store import matches as stored
from ..common.limits import limit_match_creation
from ..common.links import share_url
from ..common.page_cache import asked_again, state_pages
from ..common.viewer import own_history, owner, signed_in_archer, viewer

bp = Blueprint("play", __name__)


#: A match page (and the new-match form) is asked for again each time it is
#: shown (Back included), never shown from the browser's cache as it was: the
#: match may have moved on in another tab or on another phone. Not no-store,
#: which would keep it from the phone's offline copy (static/js/sw.js).
asked_again(bp)


def from_script() -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


def _form_context(setup: Any) -> dict[str, Any]:
    rounds = {
        where: [(code, get_round(code).name) for code in codes]
        for where, codes in COMMON_ROUNDS.items()
    }
    archer = signed_in_archer()
    return {
        "setup": setup,
        "bows": BOWS,
        "rounds": rounds,
        "presets": list(all_presets().values()),
        "past_rounds": stored.past_rounds(archer.id) if archer is not None else None,
    }


def expected_hint(setup: Any) -> str:
    """ "About 560 on WA 18m": what the chosen handicap means on what is shot."""
    from flask_babel import format_decimal

    from ...engine.handicaps import expected_score

    if setup.handicap is None or setup.errors:
        return ""
    rnd = setup.make_round()
    score = expected_score(rnd, setup.handicap, setup.scheme)
    if setup.system == "ranking":
        return _(
            "About %(score)s on %(round)s.",
            score=format_decimal(round(score)),
            round=rnd.name,
        )
    per_set = score / 5
    return _(
        "About %(score)s per 3-arrow end.", score=format_decimal(round(per_set, 1))
    )


@bp.get("/new")
def new() -> str:
    setup = parse_setup(request.args, own_history())
    shown_errors = setup.errors if request.args else {}
    return render_template(
        "new.html",
        **_form_context(setup),
        errors=shown_errors,
        hint=expected_hint(setup),
    )


@bp.post("/matches")
@limit_match_creation
def create() -> ResponseReturnValue:
    history = own_history()
    setup = parse_setup(request.form, history)
    used = chosen_equipment(signed_in_archer(), request.form, setup.errors)
    if setup.errors:
        return render_template(
            "new.html", **_form_context(setup), errors=setup.errors
        ), 400
    match_id = play.start(viewer(), used.apply(setup.build(history)))
    used.record(match_id)
    return redirect(url_for("play.show", match_id=match_id), 303)


def _found(match_id: str) -> play.Loaded:
    """The match, as this browser may see it (404 otherwise)."""
    found = play.load(viewer(), match_id)
    if found is None:
        abort(404)
    g.match_started = found.created_at
    return found


def sheet_response(
    match_id: str,
    match: Match,
    version: int,
    error: str | None = None,
    status: int | None = None,
) -> ResponseReturnValue:
    """The sheet after an entry: a redirect to the match when it was saved,
    else the sheet with the reason (the fragment to the page's script)."""
    code = status or (400 if error else 200)
    if not from_script() and not error:  # the page it redirects to draws it
        return redirect(url_for("play.show", match_id=match_id) + "#entry", 303)
    context = _sheet_context(match_id, match, version, error)
    template = "_sheet.html" if from_script() else "match.html"
    return render_template(template, **context), code


def changed_message() -> str:
    return _(
        "This match changed in another window: here is the score sheet as it"
        " stands; enter your end again if it is not there."
    )


def _sheet_context(
    match_id: str, match: Match, version: int, error: str | None = None
) -> dict[str, Any]:
    shown = play.visible(match, offline=True)
    return {
        "match_id": match_id,
        "started": g.get("match_started"),
        "sheet": build_sheet(match),
        "target": target_svg_points(match),
        "share_url": share_url(match) if shown.replay_link else None,
        "error": error,
        "own_result": own_result(match_id, match),
        # Every form carries the version it was drawn from: a write is made
        # on that version or not at all.
        "hidden": [("version", str(version))],
        "entry_action": url_for("play.add_end", match_id=match_id),
        "ghost_plan": ghost_plan(match, version) if shown.plan else None,
    }


def own_result(match_id: str, match: Match) -> dict[str, Any] | None:
    """After a finished match: how the archer did against their past self, and
    whether it is a new personal best on the round."""
    archer = signed_in_archer()
    verdict = match.verdict()
    if archer is None or not verdict.finished:
        return None
    total = match.archer_tally().total
    result: dict[str, Any] = {"total": total}
    if match.ghost.kind == "replay":
        result["past_margin"] = total - match.ghost_tally().total
    ref = match.round.ref
    code = ref.get("codename") or match.round.codename
    if match.kind == "set":
        # Won on set points: the arrows' total of five ends is no record.
        result["record"] = stored.match_record(archer.id, "set", code)
        return result
    previous = stored.personal_best(
        archer.id, code, bool(ref.get("half")), exclude=match_id
    )
    if previous is None:
        result["first"] = True
    elif total > previous.archer_total:
        result["previous_best"] = previous.archer_total
    return result


@bp.get("/matches/<match_id>")
def show(match_id: str) -> str:
    found = _found(match_id)

    def render() -> str:
        context = _sheet_context(match_id, found.match, found.version)
        return render_template("match.html", **context)

    if found.finished:
        # A finished match's page also shows how it compares with the
        # archer's other rounds, which change without this one changing.
        return render()
    # A match in progress shows nothing but its own state: the same version
    # draws the same page (a reload, a second device, a page the script
    # refreshes) for the same viewer.
    return state_pages().page((match_id, found.version, owner()), render)


def posted_entry(action: str, *, key: str | None = None) -> play.Entry:
    """The entry a page's form posted: its arrows (``arrow``, one field each)
    or its ``total``, the end it was made for (``end``), ``closer``, and the
    version of the match its page was drawn from (``version``)."""
    form = request.form
    labels = [label for label in form.getlist("arrow") if label]
    total_text = (form.get("total") or "").strip()
    total = None
    if total_text and not labels:
        try:
            total = parse_whole(total_text)
        except ValueError:
            raise MatchError(
                "The end total must be a whole number.", "bad_total_text"
            ) from None
    end_text = (form.get("end") or "").strip()
    # An end number that is not one is for no end that can be due: stale.
    end = (parse_id(end_text) or 0) if end_text else None
    version_text = (form.get("version") or "").strip()
    version = (parse_id(version_text) or 0) if version_text else None
    return play.Entry(
        action,
        arrows=labels or None,
        total=total,
        end=end,
        closer=form.get("closer") or None,
        read_version=version,
        key=key,
        shot_at=shot_at(form.get("shot_at")),
        in_order=form.get("in_order") in ("1", "on", "true"),
    )


#: Refusals that mean the page is out of date, not that the entry is wrong.
STALE = {"stale", "not_last"}


def _enter(match_id: str, action: str) -> ResponseReturnValue:
    """Enter what the page posted (see :mod:`...services.play`) and show the
    sheet: saved, a redirect to it; refused, the reason (409 when the page is
    out of date, else 400); changed meanwhile, the sheet as it stands (409)."""
    try:
        entry = posted_entry(action, key=idempotency_key())
    except MatchError as exc:
        found = _found(match_id)
        return sheet_response(
            match_id, found.match, found.version, play.message(exc), 400
        )
    outcome = play.enter(viewer(), match_id, entry)
    if outcome.result == "missing":
        abort(404)
    assert outcome.match is not None
    g.match_started = outcome.created_at
    if outcome.result == "changed":
        return sheet_response(
            match_id, outcome.match, outcome.version, changed_message(), 409
        )
    if outcome.refusal is not None:
        status = 409 if outcome.refusal.code in STALE else 400
        error = play.message(outcome.refusal)
        return sheet_response(match_id, outcome.match, outcome.version, error, status)
    return sheet_response(match_id, outcome.match, outcome.version)


#: An idempotency key: what the page's script draws for each end it keeps.
KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")


def idempotency_key() -> str | None:
    """The entry's idempotency key (form field ``idempotency_key``), if any:
    an entry sent again with its key answers the sheet as it stands instead
    of being entered twice."""
    key = request.form.get("idempotency_key")
    if key is None or key == "":
        return None
    if not KEY_PATTERN.fullmatch(key):
        abort(
            400,
            description=_("The entry's key is 16 to 64 letters, digits, '-' or '_'."),
        )
    return key


@bp.post("/matches/<match_id>/ends")
def add_end(match_id: str) -> ResponseReturnValue:
    return _enter(match_id, "end")


@bp.post("/matches/<match_id>/correction")
def correct(match_id: str) -> ResponseReturnValue:
    return _enter(match_id, "correction")


@bp.post("/matches/<match_id>/shoot-off")
def shoot_off(match_id: str) -> ResponseReturnValue:
    return _enter(match_id, "shoot_off")


@bp.post("/matches/<match_id>/rematch")
@limit_match_creation
def rematch(match_id: str) -> ResponseReturnValue:
    """The same ghost on the same round, with new arrows."""
    new_id = play.rematch(viewer(), match_id)
    if new_id is None:
        abort(404)
    return redirect(url_for("play.show", match_id=new_id), 303)


@bp.get("/api/expected")
def expected() -> ResponseReturnValue:
    """The expected score of a handicap on a round: the form's hint."""
    from ...engine import GhostError, HandicapError, RoundError, match_round
    from ...engine.handicaps import check_handicap, expected_score

    args = request.args
    try:
        handicap = parse_decimal(args.get("handicap", ""))
        kind = args.get("kind", "set")
        bow = args.get("bow", "recurve")
        indoor = args.get("indoor") in ("1", "true")
        if kind in ("ranking", "half"):
            rnd = get_round(
                args.get("round") or ("wa18" if indoor else "wa720_70"),
                bow=bow,
                half=kind == "half",
            )
        else:
            rnd = match_round(bow, indoor)
        scheme = args.get("scheme", "AGB")
        check_handicap(handicap, scheme)
        score = expected_score(rnd, handicap, scheme)
    except (ValueError, RoundError, HandicapError, GhostError):
        abort(400, description=_("Give a handicap and a round."))
    return jsonify(
        {"expected": round(score, 1), "round": rnd.name, "max": rnd.max_score}
    )
