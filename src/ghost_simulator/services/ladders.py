"""Ghost ladders as a training mode: a string of ordinary matches whose next
ghost is always the one that lets the archer win a chosen share of them
(``engine.ladder``), kept for a viewer as matches are.

A ladder is stored as what it was started with (format, target win rate,
starting level); what it believes now (the estimate, its rungs, the next
ghost) is rebuilt by replaying its finished matches, in order, through
``Ladder.start`` and ``Ladder.record``: pure and deterministic, so the pages,
the API and a replay next year say the same.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import gettext as _

from ..engine.constants import BOWS, DEFAULT_SCHEME, SCHEMES
from ..engine.ladder import (
    HIGHEST_TARGET,
    KINDS,
    LOWEST_TARGET,
    Estimate,
    Ladder,
    LadderError,
    LadderFormat,
    Rung,
)
from ..lru import LRU
from ..store import ladders as stored
from ..store import matches as stored_matches
from .labels import percent
from .numbers import parse_decimal
from .viewers import Viewer

#: The target win rates the form offers by name (a custom one is 5 to 95%).
PRESETS = {"hard": 0.30, "default": 0.50, "confidence": 0.70}
#: Where a ladder's starting level comes from.
STARTS = ("history", "handicap", "score")
#: Past matches on the format whose earned handicaps give the level.
HISTORY_MATCHES = 5


class LadderInvalid(ValueError):
    """A ladder that cannot be started as asked: a message per field at fault
    (``kind``, ``bow``, ``round``, ``target``, ``start``, ``handicap``,
    ``score``, ``scheme``)."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__(" ".join(errors.values()))
        self.errors = dict(errors)


@dataclass(frozen=True)
class LadderRequest:
    """What a ladder is asked to be, from the form or the API. ``target``: a
    share (0.5); ``start``: where the starting level comes from (None: a
    handicap or score when one is given, else the archer's history)."""

    kind: str = "set"
    bow: str = "recurve"
    indoor: bool = False
    round_code: str | None = None
    target: float = 0.5
    start: str | None = None
    handicap: float | None = None
    score: float | None = None
    scheme: str | None = None


def parse_form(form: Mapping[str, str]) -> tuple[LadderRequest, dict[str, str]]:
    """The new-ladder form's fields as a request, and the fields that could
    not even be read (a number that is not one). The target is a preset
    (``target``: 30, 50, 70) or ``custom`` with ``target_custom`` in percent."""
    errors: dict[str, str] = {}

    def number(name: str) -> float | None:
        text = (form.get(name) or "").strip()
        if not text:
            return None
        try:
            return parse_decimal(text.replace(",", "."))
        except ValueError:
            errors[name] = _("Give a number.")
            return None

    target_choice = (form.get("target") or "50").strip()
    target = 0.5
    if target_choice == "custom":
        custom = number("target_custom")
        if custom is None and "target_custom" not in errors:
            errors["target"] = target_message()
        elif custom is not None:
            target = custom / 100
    else:
        try:
            target = parse_decimal(target_choice) / 100
        except ValueError:
            errors["target"] = target_message()
    if "target_custom" in errors:
        errors["target"] = errors.pop("target_custom")
    start = (form.get("start") or "").strip() or None
    request = LadderRequest(
        kind=(form.get("kind") or "set").strip(),
        bow=(form.get("bow") or "recurve").strip(),
        indoor=(form.get("indoor") or "") in ("1", "true", "on", "yes"),
        round_code=(form.get("round") or "").strip() or None,
        target=target,
        start=start,
        handicap=number("handicap") if start in (None, "handicap") else None,
        score=number("score") if start in (None, "score") else None,
        scheme=(form.get("scheme") or "").strip() or None,
    )
    return request, errors


def target_message() -> str:
    return _(
        "Aim at a win rate from %(low)s to %(high)s.",
        low=percent(LOWEST_TARGET),
        high=percent(HIGHEST_TARGET),
    )


def scheme_for(viewer: Viewer, asked: str | None = None) -> str:
    """The handicap scheme of a ladder: the one asked for, else the archer's."""
    if asked:
        return asked
    if viewer.archer is not None and viewer.archer.scheme in SCHEMES:
        return str(viewer.archer.scheme)
    return DEFAULT_SCHEME


def ladder_format(
    kind: str, bow: str, indoor: bool, round_code: str | None, scheme: str
) -> LadderFormat:
    """The engine's format, or :class:`LadderInvalid` naming the field."""
    from ..engine import RoundError
    from ..engine.handicaps import HandicapError

    if kind not in KINDS:
        raise LadderInvalid(
            {"kind": _("Choose a set match, a cumulative match or a ranking round.")}
        )
    if bow not in BOWS:
        raise LadderInvalid({"bow": _("Choose a bow from the list.")})
    if scheme not in SCHEMES:
        raise LadderInvalid({"scheme": _("Choose a handicap scheme from the list.")})
    if kind == "ranking" and not round_code:
        raise LadderInvalid({"round": _("Choose the round to shoot.")})
    try:
        fmt = LadderFormat(
            kind, bow, indoor, round_code if kind == "ranking" else None, scheme
        )
        fmt.round  # noqa: B018 - an unknown round is refused now
    except (RoundError, KeyError, ValueError) as exc:
        if isinstance(exc, HandicapError):
            raise LadderInvalid(
                {"scheme": _("Choose a handicap scheme from the list.")}
            ) from None
        raise LadderInvalid(
            {
                "round": _(
                    "There is no round %(round)s for this bow.",
                    round=str(round_code)[:64],
                )
            }
        ) from None
    return fmt


def format_code(fmt: LadderFormat) -> str:
    """The code the format's matches are listed by in the history."""
    return stored_matches.round_code_of({"round": fmt.round.ref})


def starting_level(
    viewer: Viewer, fmt: LadderFormat, request: LadderRequest
) -> tuple[float, str]:
    """The level a new ladder starts from, and where it came from: a handicap,
    a score on the format's round, or the archer's recent level on the format
    (the handicaps their last finished matches on it earned)."""
    from ..engine import GhostError
    from ..engine.handicaps import HandicapError, bounds, handicap_for_score

    start = request.start
    if start is None:
        if request.handicap is not None:
            start = "handicap"
        elif request.score is not None:
            start = "score"
        else:
            start = "history"
    if start not in STARTS:
        raise LadderInvalid(
            {"start": _("Start from a handicap, a score or your history.")}
        )
    if start == "handicap":
        if request.handicap is None:
            raise LadderInvalid({"handicap": _("Give your handicap.")})
        best, worst = bounds(fmt.scheme)
        low, high = min(best, worst), max(best, worst)
        if not (math.isfinite(request.handicap) and low <= request.handicap <= high):
            raise LadderInvalid(
                {
                    "handicap": _(
                        "A handicap on the %(scheme)s scale is from %(best)s (best)"
                        " to %(worst)s (worst).",
                        scheme=fmt.scheme,
                        best=f"{best:g}",
                        worst=f"{worst:g}",
                    )
                }
            )
        return float(request.handicap), "handicap"
    if start == "score":
        if request.score is None:
            raise LadderInvalid({"score": _("Give a score on the round.")})
        try:
            level = handicap_for_score(fmt.round, request.score, fmt.scheme)
        except HandicapError:
            raise LadderInvalid(
                {
                    "score": _(
                        "A score of %(score)s on %(round)s is out of the handicap"
                        " scale's reach (the maximum is %(max)s).",
                        score=f"{request.score:g}",
                        round=fmt.round.name,
                        max=fmt.round.max_score,
                    )
                }
            ) from None
        return round(level, 1), "score"
    history = viewer.history
    if history is None:
        raise LadderInvalid(
            {
                "start": _(
                    "Sign in to start from your history, or give a handicap or a score."
                )
            }
        )
    try:
        ghost = history.level_ghost(format_code(fmt), False, "last5", fmt.scheme, {})
    except GhostError:
        raise LadderInvalid(
            {
                "start": _(
                    "You have no finished matches on this format yet: give a"
                    " handicap or a score."
                )
            }
        ) from None
    return round(float(ghost.handicap), 1), "history"


def create(viewer: Viewer, request: LadderRequest) -> str:
    """Keep a new ladder for the viewer; its id (:class:`LadderInvalid`: why
    not)."""
    if not (
        math.isfinite(request.target)
        and LOWEST_TARGET - 1e-9 <= request.target <= HIGHEST_TARGET + 1e-9
    ):
        raise LadderInvalid({"target": target_message()})
    target = min(max(request.target, LOWEST_TARGET), HIGHEST_TARGET)
    scheme = scheme_for(viewer, request.scheme)
    fmt = ladder_format(
        request.kind, request.bow, request.indoor, request.round_code, scheme
    )
    level, source = starting_level(viewer, fmt, request)
    try:
        Ladder.start(fmt, level, target)
    except (LadderError, ValueError) as exc:  # pragma: no cover - checked above
        raise LadderInvalid({"start": str(exc)}) from None
    return stored.create(
        viewer.owner,
        kind=fmt.kind,
        bow=fmt.bow,
        indoor=fmt.indoor,
        round_code=fmt.round_code,
        scheme=fmt.scheme,
        target=target,
        start_level=level,
        start_source=source,
    )


# -- a ladder's state ----------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """A finished match of the ladder: the engine's rung, and its match."""

    rung: Rung
    match_id: str
    played_at: datetime


@dataclass(frozen=True)
class Replayed:
    """What replaying a ladder's finished matches gives (kept: a finished
    match never changes)."""

    estimate: Estimate
    steps: tuple[Step, ...]
    wins: float
    next_ghost: float
    next_chance: float


@dataclass
class State:
    """A ladder as it stands: what it was started with, its finished matches
    (``steps``), what it believes of the archer now, the next ghost and the
    exact chance the archer has against it, and the match in progress."""

    id: str
    stored: stored.StoredLadder
    format: LadderFormat
    estimate: Estimate
    steps: list[Step] = field(default_factory=list)
    wins: float = 0.0
    next_ghost: float = 0.0
    next_chance: float = 0.0
    in_progress: str | None = None
    last_number: int = 0

    @property
    def target(self) -> float:
        return self.stored.target

    @property
    def won(self) -> int:
        return sum(s.rung.result == "won" for s in self.steps)

    @property
    def lost(self) -> int:
        return sum(s.rung.result == "lost" for s in self.steps)

    @property
    def tied(self) -> int:
        return sum(s.rung.result == "tied" for s in self.steps)

    @property
    def win_rate(self) -> float | None:
        """Matches won (a tie counting half) of those finished (None: none)."""
        return self.wins / len(self.steps) if self.steps else None


#: Replays kept, by the ladder and its finished matches.
_REPLAYS: LRU[tuple[Any, ...], Replayed] = LRU(256)


def _replay(
    found: stored.StoredLadder, fmt: LadderFormat, finished: list[stored.StoredRung]
) -> Replayed:
    from ..engine import Match

    ladder = Ladder.start(fmt, found.start_level, found.target)
    steps = []
    for row in finished:
        rung = ladder.record(Match.from_dict(row.state), row.ghost_handicap)
        steps.append(Step(rung, row.match_id, row.created_at))
    ghost = ladder.next_ghost()
    chance = fmt.win_chance(round(ladder.estimate.level, 1), ghost)
    return Replayed(ladder.estimate, tuple(steps), ladder.wins, ghost, chance)


def load(viewer: Viewer, ladder_id: str) -> State | None:
    """The viewer's ladder as it stands, or None (no such ladder, or not
    theirs: the same)."""
    found = stored.load(ladder_id, viewer.owner)
    if found is None:
        return None
    fmt = LadderFormat(
        found.kind, found.bow, found.indoor, found.round_code, found.scheme
    )
    rows = stored.rungs(found.id)
    finished = [r for r in rows if r.status in stored_matches.FINISHED]
    in_progress = next(
        (r.match_id for r in rows if r.status not in stored_matches.FINISHED), None
    )
    key = (
        found.id,
        fmt,
        found.start_level,
        found.target,
        tuple((r.match_id, r.ghost_handicap) for r in finished),
    )
    replayed = _REPLAYS.get_or_make(key, lambda: _replay(found, fmt, finished))
    return State(
        id=found.id,
        stored=found,
        format=fmt,
        estimate=replayed.estimate,
        steps=list(replayed.steps),
        wins=replayed.wins,
        next_ghost=replayed.next_ghost,
        next_chance=replayed.next_chance,
        in_progress=in_progress,
        last_number=max((r.number for r in rows), default=0),
    )


def shoot_next(viewer: Viewer, ladder_id: str) -> tuple[str, bool] | None:
    """Start the ladder's next match, against its next ghost: the match's id
    and True; or the match in progress and False (finish it first); None when
    the ladder is not the viewer's."""
    from .play import new_seed

    for _attempt in range(3):
        state = load(viewer, ladder_id)
        if state is None:
            return None
        if state.in_progress is not None:
            return state.in_progress, False
        match = state.format.match(state.next_ghost, new_seed())
        try:
            made = stored.add_match(
                state.id,
                viewer.owner,
                number=state.last_number + 1,
                ghost_handicap=state.next_ghost,
                state=match.to_dict(),
                status=match.verdict().status,
                summary=match.summary(),
            )
        except stored.InProgress as exc:
            return exc.match_id, False
        except stored.Moved:
            continue  # another request added one: read the ladder again
        except LookupError:
            return None
        return made, True
    return None


def ladders_of(viewer: Viewer) -> list[stored.Listed]:
    """The viewer's ladders, newest first."""
    return stored.list_for(viewer.owner)


def ladder_of_match(viewer: Viewer, match_id: str) -> str | None:
    """The viewer's ladder a match belongs to, if any."""
    return stored.ladder_of(match_id, viewer.owner)


def delete(viewer: Viewer, ladder_id: str) -> bool:
    """Delete the viewer's ladder: the ladder and its links go, its matches
    stay in the viewer's matches (and history). False when it is not the
    viewer's (or there is no such ladder: the same)."""
    return stored.delete(ladder_id, viewer.owner)
