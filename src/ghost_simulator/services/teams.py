"""Team and mixed-team matches against ghosts (``engine.teams``), kept for a
viewer as matches are: start one from the form or the API, read it, enter the
archer's two arrows of each end and their shoot-off arrows, list and delete.

The opponents are ghosts at a handicap; the ghost teammates shoot at the
archer's own level (from their history, when signed in), at a handicap given,
or (the default) at the opponents' level. A stored match is only what the
archer entered: every ghost's arrows follow from its seed.
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from ..engine.constants import BOWS, DEFAULT_SCHEME, MAX_SEED, SCHEMES
from ..engine.ghost import Ghost
from ..engine.handicaps import bounds
from ..engine.rounds import match_round
from ..engine.teams import KINDS, MatchError, TeamMatch
from ..store import matches as stored_matches
from ..store import teams as stored
from .numbers import parse_decimal
from .viewers import Viewer

#: Where the ghost teammates' level comes from.
TEAMMATE_LEVELS = ("opponents", "me", "handicap")
#: The opponents' level when none is given.
DEFAULT_HANDICAP = 40.0


class TeamInvalid(ValueError):
    """A request that cannot be carried out: a message per field at fault
    (``kind``, ``bow``, ``handicap``, ``teammates``, ``teammate_handicap``,
    ``scheme``, ``arrow``, ``closer``, ``end``)."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__(" ".join(errors.values()))
        self.errors = dict(errors)


class Stale(Exception):
    """The match changed since it was read (another tab, another script):
    nothing was written."""


@dataclass(frozen=True)
class TeamRequest:
    """A new team match, from the form or the API."""

    kind: str = "team"
    bow: str = "recurve"
    indoor: bool = False
    handicap: float | None = None
    teammates: str = "opponents"
    teammate_handicap: float | None = None
    scheme: str | None = None


def _number(form: Mapping[str, str], name: str, errors: dict[str, str]) -> Any:
    text = (form.get(name) or "").strip()
    if not text:
        return None
    try:
        return parse_decimal(text)
    except ValueError:
        errors[name] = _("Give a number.")
        return None


def parse_form(form: Mapping[str, str]) -> tuple[TeamRequest, dict[str, str]]:
    """The new-team-match form as a request, and the fields that could not be
    read (a number that is not one)."""
    errors: dict[str, str] = {}
    handicap = _number(form, "handicap", errors)
    teammate_handicap = _number(form, "teammate_handicap", errors)
    asked = TeamRequest(
        kind=(form.get("kind") or "team").strip(),
        bow=(form.get("bow") or "recurve").strip(),
        indoor=(form.get("indoor") or "") in ("1", "on", "true", "yes"),
        handicap=handicap,
        teammates=(form.get("teammates") or "opponents").strip(),
        teammate_handicap=teammate_handicap,
        scheme=(form.get("scheme") or "").strip() or None,
    )
    return asked, errors


def scheme_for(viewer: Viewer, asked: str | None = None) -> str:
    """The handicap scheme: the one asked for, else the archer's."""
    if asked:
        return asked
    if viewer.archer is not None and viewer.archer.scheme in SCHEMES:
        return str(viewer.archer.scheme)
    return DEFAULT_SCHEME


def _check_handicap(value: float, scheme: str, field: str) -> float:
    best, worst = bounds(scheme)
    low, high = min(best, worst), max(best, worst)
    if not (math.isfinite(value) and low <= value <= high):
        raise TeamInvalid(
            {
                field: _(
                    "A handicap on the %(scheme)s scale is from %(best)s (best)"
                    " to %(worst)s (worst).",
                    scheme=scheme,
                    best=f"{best:g}",
                    worst=f"{worst:g}",
                )
            }
        )
    return float(value)


def my_level(viewer: Viewer, bow: str, indoor: bool, scheme: str) -> float:
    """The archer's level on the bow's individual match, from the handicaps
    their last finished matches on it earned (TeamInvalid: none to go by)."""
    from ..engine import GhostError

    history = viewer.history
    if history is None:
        raise TeamInvalid(
            {
                "teammates": _(
                    "Sign in to give your teammates your level, or give a handicap."
                )
            }
        )
    code = stored_matches.round_code_of({"round": match_round(bow, indoor).ref})
    try:
        ghost = history.level_ghost(code, False, "last5", scheme, {})
    except GhostError:
        raise TeamInvalid(
            {
                "teammates": _(
                    "You have no finished matches with this bow yet: give your"
                    " teammates a handicap."
                )
            }
        ) from None
    return round(float(ghost.handicap), 1)


def build(viewer: Viewer, request: TeamRequest, seed: int) -> TeamMatch:
    """The new match as asked (TeamInvalid: why not)."""
    errors: dict[str, str] = {}
    if request.kind not in KINDS:
        errors["kind"] = _("Choose a team or a mixed team.")
    if request.bow not in BOWS:
        errors["bow"] = _("Unknown bow.")
    if request.scheme is not None and request.scheme not in SCHEMES:
        errors["scheme"] = _("Unknown handicap scheme.")
    if request.teammates not in TEAMMATE_LEVELS:
        errors["teammates"] = _(
            "Your teammates shoot at the opponents' level, yours or a handicap."
        )
    if errors:
        raise TeamInvalid(errors)
    scheme = scheme_for(viewer, request.scheme)
    handicap = _check_handicap(
        DEFAULT_HANDICAP if request.handicap is None else request.handicap,
        scheme,
        "handicap",
    )
    if request.teammates == "me":
        mates = my_level(viewer, request.bow, request.indoor, scheme)
    elif request.teammates == "handicap":
        if request.teammate_handicap is None:
            raise TeamInvalid(
                {"teammate_handicap": _("Give your teammates' handicap.")}
            )
        mates = _check_handicap(request.teammate_handicap, scheme, "teammate_handicap")
    else:
        mates = handicap
    try:
        return TeamMatch.start(
            request.kind,
            request.bow,
            Ghost.from_handicap(mates, scheme, bow=request.bow),
            Ghost.from_handicap(handicap, scheme, bow=request.bow),
            seed,
            indoor=request.indoor,
        )
    except MatchError as exc:  # pragma: no cover - checked above
        raise TeamInvalid({"kind": str(exc)}) from None


def create(viewer: Viewer, request: TeamRequest) -> str:
    """Keep a new team match for the viewer; its id."""
    match = build(viewer, request, secrets.randbelow(MAX_SEED + 1))
    return stored.create(viewer.owner, match.to_dict(), match.verdict().status)


@dataclass(frozen=True)
class Loaded:
    """A viewer's team match: as stored, and the engine's match replayed."""

    stored: stored.StoredTeamMatch
    match: TeamMatch

    @property
    def id(self) -> str:
        return self.stored.id

    @property
    def version(self) -> int:
        return self.stored.version


def load(viewer: Viewer, match_id: str) -> Loaded | None:
    found = stored.load(match_id, viewer.owner)
    if found is None:
        return None
    return Loaded(found, TeamMatch.from_dict(found.state))


def list_for(viewer: Viewer) -> list[stored.StoredTeamMatch]:
    """The viewer's team matches, newest first (the team history)."""
    return stored.list_for(viewer.owner)


def delete(viewer: Viewer, match_id: str) -> bool:
    return stored.delete(match_id, viewer.owner)


def _save(viewer: Viewer, loaded: Loaded) -> Loaded:
    match = loaded.match
    try:
        version = stored.save(
            loaded.id,
            viewer.owner,
            match.to_dict(),
            match.verdict().status,
            version=loaded.version,
        )
    except stored.Finished:
        raise TeamInvalid({"end": _("The match is over.")}) from None
    except stored.Conflict:
        raise Stale(loaded.id) from None
    found = load(viewer, loaded.id)
    if found is None or found.version != version:  # pragma: no cover - a race
        raise Stale(loaded.id)
    return found


def _error(exc: MatchError) -> TeamInvalid:
    field = {
        "not_due": "end",
        "no_shoot_off": "end",
        "bad_closer": "closer",
        "bad_distance": "distance",
    }.get(exc.code, "arrow")
    messages = {
        "not_due": _("No end is due: the match is over or goes to a shoot-off."),
        "no_shoot_off": _("No shoot-off is due."),
        "arrow_count": _("Enter your 2 arrows of the end."),
        "arrows_list": _("Enter your 2 arrows of the end."),
        "bad_label": _("An arrow's score is not on this face."),
        "bad_closer": _("Say whose arrow was closer: yours, the ghosts' or equal."),
        "bad_distance": _("An arrow's distance from the centre is 0 metres or more."),
    }
    return TeamInvalid({field: messages.get(exc.code, str(exc))})


def _check_version(loaded: Loaded, version: int | None, end: int | None) -> None:
    if version is not None and version != loaded.version:
        raise Stale(loaded.id)
    if end is not None:
        due = loaded.match.ends_shot + len(loaded.match.shoot_offs) + 1
        if end != due:
            raise Stale(loaded.id)


def add_end(
    viewer: Viewer,
    match_id: str,
    labels: Sequence[str],
    *,
    version: int | None = None,
    end: int | None = None,
) -> Loaded | None:
    """Enter the archer's two arrows of the next end (None: no such match of
    the viewer's). ``version`` / ``end`` (1-based, shoot-off arrows counted
    after the ends): what the entry was made from; another one raises
    :class:`Stale`."""
    loaded = load(viewer, match_id)
    if loaded is None:
        return None
    _check_version(loaded, version, end)
    try:
        loaded.match.add_end(list(labels))
    except MatchError as exc:
        raise _error(exc) from None
    return _save(viewer, loaded)


def add_shoot_off(
    viewer: Viewer,
    match_id: str,
    label: str,
    closer: str | None = None,
    *,
    version: int | None = None,
    end: int | None = None,
) -> Loaded | None:
    """Enter the archer's shoot-off arrow, or (when the match asks whose arrow
    was closer) the answer for the arrow entered."""
    loaded = load(viewer, match_id)
    if loaded is None:
        return None
    if needs_closer(loaded.match):
        end = None if end is None else end + 1  # the arrow is already in
    _check_version(loaded, version, end)
    try:
        loaded.match.add_shoot_off(label, closer or None)
    except MatchError as exc:
        raise _error(exc) from None
    return _save(viewer, loaded)


def needs_closer(match: TeamMatch) -> bool:
    """The last shoot-off's totals tie and the rings cannot say who was closer."""
    return (
        match.verdict().status == "shoot_off"
        and bool(match.shoot_offs)
        and match.shoot_offs[-1].result is None
    )


def verdict_words(match: TeamMatch) -> str:
    """The match's result in words: "Your team wins 5-4 after a shoot-off"."""
    verdict = match.verdict()
    if match.system == "set":
        score = f"{verdict.team_points}-{verdict.opponent_points}"
    else:
        score = f"{verdict.team_total}-{verdict.opponent_total}"
    after = verdict.reason == "shoot-off"
    if verdict.status == "won":
        if after:
            return _("Your team wins %(score)s after a shoot-off", score=score)
        return _("Your team wins %(score)s", score=score)
    if verdict.status == "lost":
        if after:
            return _("Your team loses %(score)s after a shoot-off", score=score)
        return _("Your team loses %(score)s", score=score)
    if verdict.status == "shoot_off":
        return _("Level at %(score)s: a team shoot-off decides", score=score)
    return _("%(score)s after %(ends)s of 4 ends", score=score, ends=match.ends_shot)


def public(loaded: Loaded) -> dict[str, Any]:
    """The match as its viewer may see it: the ends shot (never the ghosts'
    arrows of ends still to come), the shoot-offs, where it stands; the seed
    only once it is over."""
    match = loaded.match
    verdict = match.verdict()
    return {
        "id": loaded.id,
        "kind": match.kind,
        "bow": match.bow,
        "indoor": match.indoor,
        "system": match.system,
        "status": verdict.status,
        "version": loaded.version,
        "created_at": loaded.stored.created_at,
        "verdict": {
            "status": verdict.status,
            "finished": verdict.finished,
            "reason": verdict.reason,
            "team_points": verdict.team_points,
            "opponent_points": verdict.opponent_points,
            "team_total": verdict.team_total,
            "opponent_total": verdict.opponent_total,
            "words": verdict_words(match),
        },
        "teammates": [ghost.label for ghost in match.teammates],
        "opponents": [ghost.label for ghost in match.opponents],
        "ends": match.score_sheet(),
        "shoot_offs": [
            {
                "archer": s.archer.label,
                "teammates": [a.label for a in s.teammates],
                "opponents": [a.label for a in s.opponents],
                "team_total": s.team_total,
                "opponent_total": s.opponent_total,
                "closer": s.closer,
                "result": s.result,
            }
            for s in match.shoot_offs
        ],
        "expected_arrows": match.expected_arrows(),
        "needs_closer": needs_closer(match),
        "labels": list(match.face.labels),
        "max_score": match.max_score,
        "seed": match.seed if verdict.finished else None,
    }
