"""Playing against the ghost: start a match, enter ends, read the sheet.

Views parse the request, call the engine and the store, and render. A request
from the page's script (``X-Requested-With: fetch``) gets the score sheet's
HTML alone, to swap in without a reload; everyone else gets a redirect.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

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
from ...services.numbers import parse_whole
from ...services.setups import COMMON_ROUNDS, parse_setup
from ...services.sheets import build_sheet, ghost_plan, target_svg_points
from ...store import matches as stored
from ..common.limits import limit_match_creation
from ..common.page_cache import state_pages
from ..common.viewer import own_history, owner, signed_in_archer
from ..training.views import chosen_equipment

bp = Blueprint("play", __name__)


def store_new(match: Match) -> str:
    """Keep a new match for its owner; its id."""
    summary = match.summary()
    return stored.create(owner(), match.to_dict(), match.verdict().status, summary)


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
    used = chosen_equipment(request.form, setup.errors)
    if setup.errors:
        return render_template(
            "new.html", **_form_context(setup), errors=setup.errors
        ), 400
    match_id = store_new(used.apply(setup.build(history)))
    used.record(match_id)
    return redirect(url_for("play.show", match_id=match_id), 303)


def _found(match_id: str) -> stored.Stored:
    """The stored match, as this browser may see it (404 otherwise)."""
    found = stored.load(match_id, owner())
    if found is None:
        abort(404)
    g.match_started = found.created_at
    return found


def _load(match_id: str) -> Match:
    return Match.from_dict(_found(match_id).state)


def _sheet_response(
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


def _changed(match_id: str) -> ResponseReturnValue:
    """409: the match changed since the archer's page was drawn (another tab or
    device wrote first); nothing was saved. The sheet as it stands now."""
    found = _found(match_id)
    message = _(
        "This match changed in another window: here is the score sheet as it"
        " stands; enter your end again if it is not there."
    )
    match = Match.from_dict(found.state)
    return _sheet_response(match_id, match, found.version, message, 409)


def _sheet_context(
    match_id: str, match: Match, version: int, error: str | None = None
) -> dict[str, Any]:
    return {
        "match_id": match_id,
        "started": g.get("match_started"),
        "sheet": build_sheet(match),
        "target": target_svg_points(match),
        "share_url": share_url(match),
        "error": error,
        "own_result": own_result(match_id, match),
        # Every form carries the version it was drawn from: a write is made
        # on that version or not at all.
        "hidden": [("version", str(version))],
        "entry_action": url_for("play.add_end", match_id=match_id),
        "ghost_plan": None if match.verdict().finished else ghost_plan(match, version),
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
    previous = stored.personal_best(
        archer.id, code, bool(ref.get("half")), exclude=match_id
    )
    if previous is None:
        result["first"] = True
    elif total > previous.archer_total:
        result["previous_best"] = previous.archer_total
    return result


def share_url(match: Match) -> str | None:
    """A link that sets up the same ghost, round and seed: a replay to share
    (none for a replay of the archer's own past, which a link cannot carry)."""
    ref = match.round.ref
    ghost = match.ghost
    if ghost.kind == "replay":
        return None
    params: dict[str, Any] = {"seed": match.seed, "model": ghost.model}
    if ghost.form is not None and ghost.kind != "minmax":
        params["form"] = ghost.form
    params["scheme"] = ghost.scheme
    if ghost.steady:
        params["steady"] = 1
    if "match" in ref:
        params.update(
            kind=match.kind, bow=ref["match"]["bow"], indoor=int(ref["match"]["indoor"])
        )
    else:
        params.update(
            kind="half" if ref.get("half") else "ranking",
            round=ref.get("codename", ""),
            bow=ref.get("bow") or "recurve",
            indoor=int(match.round.indoor),
        )
    if ghost.kind == "minmax":
        params.update(ghost="minmax", min_end=ghost.min_end, max_end=ghost.max_end)
    elif ghost.kind == "preset":
        params.update(ghost="preset", preset=ghost.source["preset"])
    elif ghost.kind == "perfect":
        params.update(ghost="preset", preset="perfect")
    elif ghost.kind == "score":
        params.update(ghost="score", score=ghost.source["score"])
    elif ghost.kind == "history":  # the exact level, so the arrows replay
        params.update(ghost="handicap", handicap=repr(ghost.handicap))
    else:
        params.update(ghost="handicap", handicap=round(ghost.handicap or 0, 6))
    return url_for("play.new", _external=True) + "?" + urlencode(params)


@bp.get("/matches/<match_id>")
def show(match_id: str) -> str:
    found = _found(match_id)

    def render() -> str:
        match = Match.from_dict(found.state)
        context = _sheet_context(match_id, match, found.version)
        return render_template("match.html", **context)

    if found.status in stored.FINISHED:
        # A finished match's page also shows how it compares with the
        # archer's other rounds, which change without this one changing.
        return render()
    # A match in progress shows nothing but its own state: the same version
    # draws the same page (a reload, a second device, a page the script
    # refreshes) for the same viewer.
    return state_pages().page((match_id, found.version, owner()), render)


def _check_end_number(match: Match, expected: int) -> None:
    """Refuse an entry made on an out-of-date page (another tab, a double tap):
    the form says which end it was for."""
    text = request.form.get("end", "")
    if text and text != str(expected):
        raise MatchError("This end was already entered.", "stale")


def _arrows_or_total() -> tuple[list[str] | None, int | None]:
    labels = [label for label in request.form.getlist("arrow") if label]
    total_text = (request.form.get("total") or "").strip()
    if total_text and not labels:
        try:
            return None, parse_whole(total_text)
        except ValueError:
            raise MatchError(
                "The end total must be a whole number.", "bad_total_text"
            ) from None
    return labels, None


#: Refusals that mean the page is out of date, not that the entry is wrong.
STALE = {"stale"}


def _play(match_id: str, action: Callable[[Match], object]) -> ResponseReturnValue:
    """Apply the archer's entry to the match as stored, and save it on the
    version it was read at; show the sheet. The form says which version its
    page was drawn from: an entry made on an older page is refused (409), and
    so is one whose save another write overtook."""
    found = _found(match_id)
    match = Match.from_dict(found.state)
    key = idempotency_key()
    if key is not None and stored.entered_with(match_id, owner(), key) is not None:
        return _sheet_response(match_id, match, found.version)  # sent again
    posted = (request.form.get("version") or "").strip()
    if posted and posted != str(found.version):
        return _changed(match_id)
    try:
        action(match)
    except MatchError as exc:
        status = 409 if exc.code in STALE else 400
        return _sheet_response(
            match_id, match, found.version, entry_error(exc, match), status
        )
    try:
        version = stored.save(
            match_id,
            owner(),
            match.to_dict(),
            match.verdict().status,
            match.summary(),
            version=found.version,
            end_key=key,
        )
    except stored.Repeated:  # a racing request with the same key stored it
        now = _found(match_id)
        return _sheet_response(match_id, Match.from_dict(now.state), now.version)
    except stored.Conflict:
        return _changed(match_id)
    except LookupError:
        abort(404)
    return _sheet_response(match_id, match, version)


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
    def enter(match: Match) -> object:
        _check_end_number(match, match.ends_shot + 1)
        labels, total = _arrows_or_total()
        return match.add_end(labels if total is None else None, total=total)

    return _play(match_id, enter)


@bp.post("/matches/<match_id>/correction")
def correct(match_id: str) -> ResponseReturnValue:
    def replace_last(match: Match) -> object:
        if match.verdict().finished:
            raise MatchError("The match is over.", "finished")
        _check_end_number(match, match.ends_shot)
        labels, total = _arrows_or_total()
        return match.correct_last_end(labels if total is None else None, total=total)

    return _play(match_id, replace_last)


@bp.post("/matches/<match_id>/shoot-off")
def shoot_off(match_id: str) -> ResponseReturnValue:
    def shoot(match: Match) -> object:
        closer = request.form.get("closer") or None
        label = request.form.get("arrow") or ""
        if not label and match.shoot_offs and match.shoot_offs[-1].result is None:
            label = match.shoot_offs[-1].archer.label  # saying who was closer
        return match.add_shoot_off(label, closer)

    return _play(match_id, shoot)


@bp.post("/matches/<match_id>/rematch")
@limit_match_creation
def rematch(match_id: str) -> ResponseReturnValue:
    """The same ghost on the same round, with new arrows."""
    old = _load(match_id)
    match = Match(old.kind, old.round, old.ghost, secrets.randbits(63))
    new_id = store_new(match)
    return redirect(url_for("play.show", match_id=new_id), 303)


def entry_error(exc: MatchError, match: Match) -> str:
    """The engine's reason, in the user's language."""
    code, params = exc.code, exc.params
    messages = {
        "arrows_or_total": _("Enter the end's arrows or its total, not both."),
        "not_due": _("No end is due: the match is over or goes to a shoot-off."),
        "finished": _("This match is over: its score sheet can no longer change."),
        "nothing_to_correct": _("There is no end to correct yet."),
        "shoot_off_started": _(
            "The shoot-off has started: the ends can no longer change."
        ),
        "no_shoot_off": _("No shoot-off arrow is due."),
        "bad_closer": _("Say whose arrow is closer to the centre."),
        "bad_total_text": _("The end total must be a whole number."),
        "stale": _(
            "That end was already entered (in another window, or twice):"
            " here is the score sheet as it stands."
        ),
    }
    if code == "bad_label":
        labels = ", ".join(params["labels"])
        return _("Use only the values on this face: %(labels)s.", labels=labels)
    if code == "arrow_count":
        return _(
            "Enter all %(size)s arrows of the end, or its total.", size=params["size"]
        )
    if code == "bad_total":
        return _(
            "An end total on this face is between 0 and %(top)s.", top=params["top"]
        )
    return messages.get(code, _("That entry could not be used."))


@bp.get("/api/expected")
def expected() -> ResponseReturnValue:
    """The expected score of a handicap on a round: the form's hint."""
    from ...engine import GhostError, HandicapError, RoundError, match_round
    from ...engine.handicaps import check_handicap, expected_score

    args = request.args
    try:
        handicap = float(args.get("handicap", ""))
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
