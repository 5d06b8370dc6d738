"""A ghost ladder: a string of matches whose next ghost is always chosen so
that the archer wins a chosen share of them (the "edge" a trainer keeps them
at: 50% by default, 30% hard, 70% for confidence).

After each match the archer's level is estimated again from their arrows (the
handicap their match's arrows earned), not just from winning or losing: a
Kalman filter over the archer's level, whose noise is what one match's arrows
say about a level (the model's own spread of a match's total: form, drift,
arrows) and which lets the level move a little from match to match (so an
archer who improves is followed within a few matches). The next ghost is the
handicap at which the exact odds (:mod:`.odds`, both sides modelled alike)
give the target win rate against that estimate.

:func:`simulate_ladder` plays a ladder out with a simulated archer (a ghost
of a fixed or an improving level standing in for the archer), which is how
the tests prove that it keeps its promise.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from . import handicaps
from .brackets import play_out
from .constants import BOWS, DEFAULT_SCHEME
from .ghost import Ghost
from .matches import Match, MatchError, match_round
from .odds import (
    Opponents,
    cumulative_match_odds,
    ghost_round_pmf,
    mean_std,
    round_odds,
    set_match_odds,
)
from .rounds import Round, get_round

#: Win rates a ladder may aim at.
LOWEST_TARGET, HIGHEST_TARGET = 0.05, 0.95
#: How far (handicap points, standard deviation) an archer's level may move
#: from one match to the next: what lets the ladder follow an improving archer.
LEVEL_STEP = 1.5
#: What a ladder knows of a new archer's level before their first match.
FIRST_UNCERTAINTY = 8.0
#: Ghost handicaps are chosen on a grid of tenths (as they are shown).
STEP = 0.1
KINDS = ("set", "cumulative", "ranking")


class LadderError(ValueError):
    """A ladder that cannot be set up as asked."""


@dataclass(frozen=True)
class LadderFormat:
    """What the ladder's matches are: a set or cumulative match for a bow
    (indoors or out), or a ranking round (``round_code``)."""

    kind: str
    bow: str = "recurve"
    indoor: bool = False
    round_code: str | None = None
    scheme: str = DEFAULT_SCHEME

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise LadderError(
                f"A ladder's matches are {', '.join(KINDS)}, not {self.kind!r}."
            )
        if self.bow not in BOWS:
            raise LadderError(f"Unknown bow {self.bow!r}.")
        if (self.kind == "ranking") != (self.round_code is not None):
            raise LadderError("A ranking ladder needs a round; a match ladder none.")
        handicaps.scheme(self.scheme)

    @cached_property
    def round(self) -> Round:
        if self.round_code is not None:
            return get_round(self.round_code, bow=self.bow)
        return match_round(self.bow, self.indoor)

    def ghost(self, handicap: float) -> Ghost:
        return Ghost.from_handicap(handicap, self.scheme, bow=self.bow)

    def win_chance(self, archer: float, ghost: float) -> float:
        """The exact chance that an archer at ``archer`` beats the ghost at
        ``ghost`` (a tie on a ranking round counting half); kept, since the
        search for the next ghost and the record of its match both ask."""
        return _win_chance(self, archer, ghost)

    def _exact_win_chance(self, archer: float, ghost: float) -> float:
        rnd = self.round
        if self.kind == "ranking":
            return round_odds(rnd, archer, self.ghost(ghost), self.scheme).win
        opponents = Opponents(rnd.distances[0], archer, self.scheme, self.bow)
        compute = set_match_odds if self.kind == "set" else cumulative_match_odds
        return compute(opponents, self.ghost(ghost), rnd=rnd).win

    def match(self, ghost_handicap: float, seed: int) -> Match:
        return Match(self.kind, self.round, self.ghost(ghost_handicap), seed)


@lru_cache(maxsize=4096)
def _win_chance(fmt: LadderFormat, archer: float, ghost: float) -> float:
    return fmt._exact_win_chance(archer, ghost)


def check_target(target: float) -> float:
    if not (math.isfinite(target) and LOWEST_TARGET <= target <= HIGHEST_TARGET):
        raise LadderError(
            f"A ladder aims at a win rate from {LOWEST_TARGET:.0%} to"
            f" {HIGHEST_TARGET:.0%}, not {target:.0%}."
            if math.isfinite(target)
            else "A ladder's target win rate is a number from 5% to 95%."
        )
    return target


#: How far from the archer's level the next ghost is looked for first.
SEARCH = 30.0


@lru_cache(maxsize=4096)
def _next_ghost(fmt: LadderFormat, level: float, target: float) -> float:
    """Regula falsi (the Illinois variant) on the exact chances, which rise
    smoothly as the ghost gets worse: a few odds computations, not a dozen."""
    best, worst = handicaps.bounds(fmt.scheme)
    sign = 1.0 if worst > best else -1.0  # +: a higher handicap is worse

    def gap(ghost: float) -> float:
        return fmt.win_chance(level, ghost) - target

    def clip(ghost: float) -> float:
        return min(max(ghost, min(best, worst)), max(best, worst))

    a, b = clip(round(level - sign * SEARCH, 1)), clip(round(level + sign * SEARCH, 1))
    fa, fb = gap(a), gap(b)
    if fa > 0:  # beaten that often even by the strongest ghost looked at
        a, fa = best, gap(best)
        if fa > 0:
            return best
    if fb < 0:
        b, fb = worst, gap(worst)
        if fb < 0:
            return worst
    side = 0
    closest = {a: fa, b: fb}  # the true gaps (the method halves its own)
    for _ in range(60):
        if abs(b - a) <= STEP + 1e-9:
            break
        # On the tenths the ladder shows (and whose ghosts it has met before).
        middle = round(b - fb * (b - a) / (fb - fa), 1)
        if not min(a, b) < middle < max(a, b):
            middle = round((a + b) / 2, 1)
            if not min(a, b) < middle < max(a, b):
                break
        fm = closest[middle] = gap(middle)
        if abs(fm) < 1e-4:
            return middle
        if fm > 0:  # the archer wins too often: a stronger ghost
            b, fb = middle, fm
            if side == -1:
                fa /= 2
            side = -1
        else:
            a, fa = middle, fm
            if side == 1:
                fb /= 2
            side = 1
    return min((a, b), key=lambda ghost: abs(closest[ghost]))


def next_ghost(fmt: LadderFormat, level: float, target: float) -> float:
    """The ghost handicap at which an archer at ``level`` wins ``target`` of
    the time (the level taken to a tenth of a point)."""
    return _next_ghost(fmt, round(level, 1), check_target(target))


def _slope(rnd: Round, level: float, scheme: str) -> float:
    """Points of the round's expected score per handicap point, at ``level``
    (negative where a higher handicap is worse)."""
    step = 0.25
    return (
        handicaps.expected_score(rnd, level + step, scheme)
        - handicaps.expected_score(rnd, level - step, scheme)
    ) / (2 * step)


@lru_cache(maxsize=4096)
def _measurement(
    fmt: LadderFormat, level: float, ends: int
) -> tuple[float, float, float]:
    """For an archer at ``level`` shooting the format's first ``ends`` ends:
    the expected total (the model's mean is the table's), its spread (form,
    drift and arrows) and the points per handicap point there."""
    rnd = fmt.round.ends_between(0, ends)
    _, spread = mean_std(ghost_round_pmf(fmt.ghost(level), rnd))
    expected = handicaps.expected_score(rnd, level, fmt.scheme)
    return expected, spread, _slope(rnd, level, fmt.scheme)


def observed_level(
    fmt: LadderFormat, level: float, match: Match
) -> tuple[float, float]:
    """What a match's arrows say of the archer's level, as a measurement and
    its noise (handicap points), linearised at the believed ``level``: the
    arrows' total against what that level scores on average over the same
    ends, in handicap points. (In points, not through the handicap each total
    earns, so that a level the archer holds is measured without bias: the
    handicap a total earns is a curved function of it.)"""
    expected, spread, slope = _measurement(fmt, round(level, 1), match.ends_shot)
    slope = slope if abs(slope) > 1e-6 else math.copysign(1e-6, slope)
    total = match.archer_tally().total
    return level + (total - expected) / slope, spread / abs(slope)


@dataclass(frozen=True)
class Estimate:
    """What the ladder believes of the archer's level: a mean and its
    standard deviation (handicap points)."""

    level: float
    uncertainty: float = FIRST_UNCERTAINTY

    def after(self, earned: float, noise: float, step: float = LEVEL_STEP) -> Estimate:
        """The estimate after a match whose arrows earned ``earned`` (a
        measurement with ``noise``), the level allowed to have moved by
        ``step`` since the last one (a Kalman filter's predict and update)."""
        prior = self.uncertainty**2 + step**2
        gain = prior / (prior + noise**2)
        return Estimate(
            self.level + gain * (earned - self.level), math.sqrt((1 - gain) * prior)
        )


@dataclass(frozen=True)
class Rung:
    """One match of a ladder."""

    number: int
    estimate: float  # the archer's level as the ladder believed before it
    ghost: float  # the ghost's handicap
    chance: float  # the exact chance the ladder gave the archer
    result: str  # won, lost, tied
    earned: float | None  # the level the archer's arrows earned


@dataclass
class Ladder:
    """A ladder's matches so far, and what it believes now."""

    format: LadderFormat
    target: float
    estimate: Estimate
    rungs: list[Rung] = field(default_factory=list)

    @classmethod
    def start(cls, fmt: LadderFormat, level: float, target: float = 0.5) -> Ladder:
        handicaps.check_handicap(level, fmt.scheme)
        return cls(fmt, check_target(target), Estimate(level))

    def next_ghost(self) -> float:
        return next_ghost(self.format, self.estimate.level, self.target)

    def record(self, match: Match, ghost: float) -> Rung:
        """Take a finished match against the ladder's ghost into account."""
        status = match.verdict().status
        if status not in ("won", "lost", "tied"):
            raise MatchError("Only a finished match moves the ladder.", "unfinished")
        earned = match.archer_handicap()
        chance = self.format.win_chance(round(self.estimate.level, 1), ghost)
        rung = Rung(
            len(self.rungs) + 1, self.estimate.level, ghost, chance, status, earned
        )
        self.rungs.append(rung)
        if match.ends_shot:
            measured, noise = observed_level(self.format, self.estimate.level, match)
            self.estimate = self.estimate.after(measured, noise)
        return rung

    @property
    def wins(self) -> float:
        """Matches won, a tie counting half."""
        return sum({"won": 1.0, "tied": 0.5}.get(r.result, 0.0) for r in self.rungs)

    @property
    def win_rate(self) -> float:
        return self.wins / len(self.rungs) if self.rungs else math.nan


def simulate_ladder(
    fmt: LadderFormat,
    level: float,
    target: float,
    matches: int,
    seed: int,
    *,
    true_level: Callable[[int], float] | None = None,
    start: float | None = None,
) -> Ladder:
    """Play ``matches`` ladder matches with a simulated archer: a ghost of the
    format's bow at ``level`` (or at ``true_level(n)`` for match n, from 0:
    an archer who improves). ``start``: the ladder's first guess of the level
    (default: the true one)."""
    if matches < 1:
        raise LadderError("A ladder has at least one match.")
    ladder = Ladder.start(fmt, level if start is None else start, target)
    for number in range(matches):
        now = level if true_level is None else true_level(number)
        ghost = ladder.next_ghost()
        match = fmt.match(ghost, seed * 100_003 + number)
        play_out(match, fmt.ghost(now), seed * 100_019 + number)
        ladder.record(match, ghost)
    return ladder
