"""Under pressure: how an archer shoots when a match is on the line, against
what their own model expects of them at those moments.

From the archer's finished elimination matches (set and cumulative):

- **Pressure sets.** In the set system, a set either side could win the match
  with: both on 4 set points (a set won is the match won, a set lost the match
  lost). Set points always add up to twice the sets shot, so 4-4 before the
  fifth set is the only such moment (4-5 cannot happen, and 5-5 goes to the
  shoot-off). In the cumulative system, the last end when the totals after the
  first four ends are within ``CLOSE_TOTAL`` points of each other.
- **Shoot-offs.** Every match decided by a shoot-off, won or lost.

What the model expects (the same model the live odds use for the archer: a
ghost of their bow and level, steady or with their own or their level's form
and drift, as the match kept it):

- **The level.** The archer's level at a match is the handicap earned by the
  ends shot before any pressure (all the ends of a match without any) in that
  match and the ``LOCAL`` matches either side of it, pooled as one round: an
  improving archer is followed, and the pressure ends themselves never count
  toward the level they are measured against.
- **A pressure set.** The model's distribution of that end's total, at that
  level, having seen the match's earlier ends (Bayes' rule over the model's
  hidden form and drift, as the live odds do): a good day so far raises what
  it expects.
- **Percentile.** The pressure sets' total against the exact distribution of
  the total of that many sets under the model (the per-set distributions
  convolved), as a mid-percentile: P(below) + P(equal) / 2, in per cent.
  50 is exactly what the level predicts. The level is itself read from a few
  ends, and an error in it moves every expectation of its window together:
  that error's variance (the delta method: each window's pooled total, the
  model's variance of each match's ends before the pressure, the expected
  points per handicap point of the pressure ends against the window's) is
  added as a normal error to the exact distribution, which keeps an archer
  at their level from reading extreme too often.
- **A shoot-off.** The chance the archer's arrow beats the ghost's at that
  moment (the live odds' own figure, the ghost's arrows shown so far
  included); the shoot-offs won against the exact Poisson-binomial
  distribution of the number won, as a mid-percentile.

The verdict: at or above ``HIGH`` per cent "calmer" (calmer than your level),
at or below ``LOW`` "below" (below your level under pressure), between them
"as_level" (as your level predicts); with fewer than ``MIN_SETS`` pressure
sets or ``MIN_SHOOT_OFFS`` shoot-offs, "not_enough".

The last arrow of a set against the ones before it (the first two of a
three-arrow set), from the sets of set matches whose arrows the archer
entered in the order shot (``scoring.End.shot``; other ends are written
highest first, their order unknown):

- **What the model expects.** The model draws the arrows of an end
  independently from one distribution, whatever the archer's level, form or
  drift: given a set's arrows, each is as likely as any other to have been
  the last. So the model's distribution of the statistic
  ``sum over sets of (n * last - set total)`` (``n`` arrows a set; 0 when the
  last arrow is the set's average) is exact: each set's term takes each of
  its ``n`` arrows' values with chance ``1 / n``, independently, convolved.
  No level is estimated, so no level error is added.
- **Percentile.** The observed statistic as a mid-percentile of it; the
  verdict as for the other measures, with ``MIN_LAST_ARROWS`` sets.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from . import handicaps
from .matches import POINTS_TO_WIN, Match
from .odds import (
    Pmf,
    archer_shown,
    ghost_chain,
    live_odds,
    mean_std,
    opponents_in,
)
from .rounds import Distance, Round

#: Both sides on this many set points: the set decides the match either way.
DECIDING_POINTS = POINTS_TO_WIN - 2
#: A cumulative match's last end is a pressure end when the totals before it
#: are this close (points, either way).
CLOSE_TOTAL = 3
#: The fewest pressure sets and shoot-offs a verdict is given on.
MIN_SETS = 5
MIN_SHOOT_OFFS = 3
#: The fewest sets in the order shot a verdict on the last arrow is given on.
MIN_LAST_ARROWS = 10
#: Percentiles at or below ``LOW`` read "below your level", at or above
#: ``HIGH`` "calmer than your level".
LOW = 20.0
HIGH = 80.0
#: The matches either side of a match its level is averaged over.
LOCAL = 5
#: The step of the numerical slopes (handicap points).
_STEP = 0.5
#: Verdicts, as the pages word them.
VERDICTS = ("calmer", "as_level", "below", "not_enough")


@dataclass(frozen=True)
class PressureSet:
    """One set (or last end) shot under pressure, and what the model expected."""

    match: int  # its match's place in the matches given
    end: int  # the end's index in its match
    score: int
    expected: float  # the model's mean
    sd: float  # the model's standard deviation
    percentile: float  # where the score sits in the model's distribution (0-100)
    level: float  # the archer's level the model was at


@dataclass(frozen=True)
class ShootOffMoment:
    """One shoot-off, its result and the chance the model gave the archer."""

    match: int
    won: bool
    chance: float
    level: float


@dataclass(frozen=True)
class LastArrowSet:
    """A set whose arrows are known in the order shot: their values."""

    match: int
    end: int
    values: tuple[int, ...]  # in the order shot

    @property
    def last(self) -> int:
        return self.values[-1]

    @property
    def before(self) -> float:
        """The average of the arrows before the last."""
        return sum(self.values[:-1]) / (len(self.values) - 1)


@dataclass(frozen=True)
class Measure:
    """One measure: the archer's figure, the model's, and the percentile.

    For pressure sets ``observed`` and ``expected`` are points per set; for
    shoot-offs, shoot-offs won."""

    count: int
    minimum: int
    observed: float
    expected: float
    percentile: float | None  # None when there is nothing to measure
    verdict: str

    @property
    def enough(self) -> bool:
        return self.count >= self.minimum

    def to_dict(self) -> dict[str, object]:
        return {
            "count": self.count,
            "minimum": self.minimum,
            "observed": self.observed,
            "expected": self.expected,
            "percentile": self.percentile,
            "verdict": self.verdict,
        }


@dataclass(frozen=True)
class Pressure:
    """What an archer's matches say of them under pressure."""

    matches: int  # finished elimination matches read
    sets: Measure
    shoot_offs: Measure
    pressure_sets: tuple[PressureSet, ...]
    shoot_off_moments: tuple[ShootOffMoment, ...]
    scheme: str
    #: The last arrow of a set (``observed``: its average; ``expected``: the
    #: average arrow of those sets), and the sets it is read from.
    last_arrows: Measure = field(
        default_factory=lambda: Measure(
            0, MIN_LAST_ARROWS, 0.0, 0.0, None, "not_enough"
        )
    )
    last_arrow_sets: tuple[LastArrowSet, ...] = ()

    @property
    def anything(self) -> bool:
        """Whether there is any pressure moment to speak of."""
        return bool(self.sets.count or self.shoot_offs.count or self.last_arrows.count)

    @property
    def before_last(self) -> float | None:
        """The average of the arrows before the last, in the ordered sets."""
        if not self.last_arrow_sets:
            return None
        return sum(s.before for s in self.last_arrow_sets) / len(self.last_arrow_sets)

    def to_dict(self) -> dict[str, object]:
        return {
            "matches": self.matches,
            "scheme": self.scheme,
            "sets": self.sets.to_dict(),
            "shoot_offs": self.shoot_offs.to_dict(),
            "last_arrows": {
                **self.last_arrows.to_dict(),
                "before_last": self.before_last,
            },
            "method": {
                "deciding_points": DECIDING_POINTS,
                "close_total": CLOSE_TOTAL,
                "low": LOW,
                "high": HIGH,
                "local": LOCAL,
            },
        }


# -- finding the moments --------------------------------------------------------


def pressure_ends(match: Match) -> list[int]:
    """The indexes of the match's ends shot under pressure (see the module's
    docstring); none for a ranking round."""
    if match.kind == "set":
        found = []
        a = g = 0
        for index, (x, y) in enumerate(match.set_points()):
            if DECIDING_POINTS <= a < POINTS_TO_WIN and g >= DECIDING_POINTS:
                found.append(index)
            a, g = a + x, g + y
        return found
    if match.kind == "cumulative":
        last = len(match.round.end_plan()) - 1
        if match.ends_shot <= last or last < 1:
            return []
        mine = sum(end.total for end in match.archer_ends[:last])
        theirs = sum(end.total for end in match.ghost_ends[:last])
        return [last] if abs(mine - theirs) <= CLOSE_TOTAL else []
    return []


def decided_by_shoot_off(match: Match) -> bool | None:
    """True when the archer won the match in a shoot-off, False when they lost
    it there, None when no shoot-off decided it."""
    verdict = match.verdict()
    if verdict.reason != "shoot-off" or not match.shoot_offs:
        return None
    return verdict.status == "won"


def before_pressure(match: Match) -> int:
    """How many of the match's first ends are shot before any pressure: what
    its level is read from."""
    ends = pressure_ends(match)
    return ends[0] if ends else match.ends_shot


def before_pressure_shot(match: Match) -> tuple[Round, int] | None:
    """The match's ends before any pressure, as a round, and the archer's
    total on them (None when the pressure came at once)."""
    count = before_pressure(match)
    if count == 0:
        return None
    total = sum(end.total for end in match.archer_ends[:count])
    return match.round.ends_between(0, count), total


def windows(count: int) -> list[range]:
    """For each of ``count`` matches, the matches its level is read from: it
    and the ``LOCAL`` either side."""
    return [range(max(i - LOCAL, 0), min(i + LOCAL + 1, count)) for i in range(count)]


def _pooled(shot: Sequence[tuple[Round, int]]) -> tuple[Round, int]:
    """Ends of several matches as one round (the arrows shot at the same
    distance on the same face together), and their total."""
    arrows: dict[Distance, int] = {}
    for rnd, _total in shot:
        for distance in rnd.distances:
            key = replace(distance, arrows=0)
            arrows[key] = arrows.get(key, 0) + distance.arrows
    distances = tuple(replace(d, arrows=n) for d, n in arrows.items())
    return replace(shot[0][0], distances=distances), sum(t for _r, t in shot)


def local_levels(matches: Sequence[Match], scheme: str) -> list[float | None]:
    """Each match's level: the handicap earned by the ends before any pressure
    of it and the ``LOCAL`` matches either side, pooled as one round (points
    are added up, not handicaps averaged: a handicap read from a few ends is
    noisy, and an average of such handicaps leans to the better side)."""
    shot = [before_pressure_shot(m) for m in matches]
    levels: list[float | None] = []
    for window in windows(len(matches)):
        found = [s for j in window if (s := shot[j]) is not None]
        if not found:
            levels.append(None)
            continue
        pooled, total = _pooled(found)
        levels.append(handicaps.handicap_earned(pooled, total, scheme))
    return levels


# -- what the model expects -------------------------------------------------------


def expected_end(match: Match, index: int, level: float, scheme: str) -> Pmf:
    """The model's distribution of the archer's total on the match's end
    ``index``, at ``level``, having seen their ends before it."""
    archer = opponents_in(match, round(level, 1), scheme).archer
    chain = ghost_chain(archer, match.round)
    weights = chain.next_weights(archer_shown(match)[:index])
    distance, arrows = match.round.end_plan()[index]
    return np.asarray(weights @ chain.end_pmfs(distance, arrows))


def shoot_off_chance(match: Match, level: float, scheme: str) -> float:
    """The chance the model gave the archer of winning the match's shoot-off,
    when it began (the live odds at that moment)."""
    before = Match(
        match.kind,
        match.round,
        match.ghost,
        match.seed,
        list(match.archer_ends),
        arrow_diameter=match.arrow_diameter,
        archer=match.archer,
    )
    return live_odds(before, round(level, 1), scheme).win


def mid_percentile(pmf: Pmf, observed: int) -> float:
    """Where ``observed`` sits in a distribution on 0, 1, 2..: P(below) plus
    half P(equal), in per cent."""
    pmf = np.asarray(pmf, dtype=float)
    total = float(pmf.sum()) or 1.0
    below = float(pmf[: max(observed, 0)].sum())
    equal = float(pmf[observed]) if 0 <= observed < len(pmf) else 0.0
    return 100.0 * (below + equal / 2) / total


def blurred_percentile(pmf: Pmf, observed: int, variance: float) -> float:
    """``mid_percentile`` of a total that also carries a normal error of that
    variance (independent of it): the uncertainty of the level the model was
    set at."""
    if variance <= 0:
        return mid_percentile(pmf, observed)
    pmf = np.asarray(pmf, dtype=float)
    z = (observed - np.arange(len(pmf))) / math.sqrt(2.0 * variance)
    below = 0.5 * (1.0 + np.vectorize(math.erf)(z))
    return 100.0 * float(pmf @ below) / (float(pmf.sum()) or 1.0)


def _slope(rnd: Round, level: float, scheme: str) -> float:
    """Points the round's expected score changes by per handicap point."""
    low, high = sorted(handicaps.bounds(scheme))
    a, b = max(level - _STEP, low), min(level + _STEP, high)
    if b <= a:
        return 0.0
    return (
        handicaps.expected_score(rnd, b, scheme)
        - handicaps.expected_score(rnd, a, scheme)
    ) / (b - a)


def prefix_variance(match: Match, level: float, scheme: str) -> float:
    """The model's variance of the archer's total on the match's ends before
    any pressure, at ``level`` (form and drift included)."""
    count = before_pressure(match)
    arrows = sum(size for _d, size in match.round.end_plan()[:count])
    if not arrows:
        return 0.0
    archer = opponents_in(match, round(level, 1), scheme).archer
    pmf = ghost_chain(archer, match.round).first_ends_pmf(arrows)
    return mean_std(pmf)[1] ** 2


def level_variance(
    matches: Sequence[Match], levels: Sequence[float | None], scheme: str
) -> float:
    """The variance the model's expected pressure total carries because each
    match's level is read from a few ends (the delta method): the expected
    total moves with the pooled ends' total of each window, by the ratio of
    the pressure ends' slope to the window's; the windows overlap, so each
    match's ends weigh in through every window that holds them."""
    shot = [before_pressure_shot(m) for m in matches]
    weights = [0.0] * len(matches)
    for window, match, level in zip(
        windows(len(matches)), matches, levels, strict=True
    ):
        ends = pressure_ends(match)
        found = [j for j in window if shot[j] is not None]
        if not ends or level is None or not found:
            continue
        pooled, _total = _pooled([s for j in found if (s := shot[j]) is not None])
        across = _slope(pooled, level, scheme)
        if not across:
            continue
        mine = sum(
            _slope(match.round.ends_between(e, e + 1), level, scheme) for e in ends
        )
        for j in found:
            weights[j] += mine / across
    return sum(
        w * w * prefix_variance(m, level, scheme)
        for w, m, level in zip(weights, matches, levels, strict=True)
        if w and level is not None
    )


def ordered_sets(matches: Sequence[Match]) -> list[LastArrowSet]:
    """The sets of set matches whose arrows are known in the order shot."""
    found = []
    for number, match in enumerate(matches):
        if match.kind != "set":
            continue
        for index, end in enumerate(match.archer_ends):
            if end.shot is None or len(end.arrows) < 2:
                continue
            value = {a.label: a.value for a in end.arrows}
            found.append(
                LastArrowSet(number, index, tuple(value[label] for label in end.shot))
            )
    return found


def last_arrow_statistic(sets: Sequence[LastArrowSet]) -> int:
    """``sum of (n * last - set total)``: above 0 when the last arrows score
    above their sets' average."""
    return sum(len(s.values) * s.last - sum(s.values) for s in sets)


def last_arrow_percentile(sets: Sequence[LastArrowSet]) -> float:
    """The statistic's mid-percentile under the model (each arrow of a set
    as likely as any to be the last), exactly."""
    pmf = np.ones(1)
    low = 0
    for s in sets:
        n, total = len(s.values), sum(s.values)
        terms = [n * v - total for v in s.values]
        least = min(terms)
        one = np.zeros(max(terms) - least + 1)
        for term in terms:
            one[term - least] += 1.0 / n
        pmf = np.convolve(pmf, one)
        low += least
    return mid_percentile(pmf, last_arrow_statistic(sets) - low)


def _last_arrow_measure(sets: Sequence[LastArrowSet]) -> Measure:
    count = len(sets)
    if not count:
        return Measure(0, MIN_LAST_ARROWS, 0.0, 0.0, None, "not_enough")
    percentile = last_arrow_percentile(sets)
    return Measure(
        count,
        MIN_LAST_ARROWS,
        sum(s.last for s in sets) / count,
        sum(sum(s.values) / len(s.values) for s in sets) / count,
        percentile,
        verdict(percentile, count, MIN_LAST_ARROWS),
    )


def sum_pmf(pmfs: Sequence[Pmf]) -> Pmf:
    """The distribution of a sum of independent totals."""
    result = np.ones(1)
    for pmf in pmfs:
        result = np.convolve(result, pmf)
    return result


def wins_pmf(chances: Sequence[float]) -> Pmf:
    """The Poisson-binomial distribution of the number of wins."""
    return sum_pmf([np.array([1.0 - p, p]) for p in chances])


def verdict(percentile: float | None, count: int, minimum: int) -> str:
    """The verdict word on a percentile, read to the whole number (as the
    pages show it)."""
    if percentile is None or count < minimum:
        return "not_enough"
    if round(percentile) >= HIGH:
        return "calmer"
    if round(percentile) <= LOW:
        return "below"
    return "as_level"


# -- the whole ------------------------------------------------------------------------


def under_pressure(
    matches: Sequence[Match], scheme: str = handicaps.DEFAULT_SCHEME
) -> Pressure:
    """The archer's pressure sets and shoot-offs in ``matches`` (oldest first;
    finished set and cumulative matches count, others are left out), against
    their model at their level."""
    handicaps.scheme(scheme)
    kept = [
        m for m in matches if m.kind in ("set", "cumulative") and m.verdict().finished
    ]
    levels = local_levels(kept, scheme)
    sets: list[PressureSet] = []
    set_pmfs: list[Pmf] = []
    shoot_offs: list[ShootOffMoment] = []
    for number, (match, level) in enumerate(zip(kept, levels, strict=True)):
        if level is None:
            continue
        for index in pressure_ends(match):
            pmf = expected_end(match, index, level, scheme)
            score = match.archer_ends[index].total
            mean, sd = mean_std(pmf)
            sets.append(
                PressureSet(
                    number, index, score, mean, sd, mid_percentile(pmf, score), level
                )
            )
            set_pmfs.append(pmf)
        won = decided_by_shoot_off(match)
        if won is not None:
            chance = shoot_off_chance(match, level, scheme)
            shoot_offs.append(ShootOffMoment(number, won, chance, level))
    variance = level_variance(kept, levels, scheme) if sets else 0.0
    ordered = ordered_sets(kept)
    return Pressure(
        len(kept),
        _set_measure(sets, set_pmfs, variance),
        _shoot_off_measure(shoot_offs),
        tuple(sets),
        tuple(shoot_offs),
        scheme,
        _last_arrow_measure(ordered),
        tuple(ordered),
    )


def _set_measure(
    sets: Sequence[PressureSet], pmfs: Sequence[Pmf], variance: float
) -> Measure:
    count = len(sets)
    if not count:
        return Measure(0, MIN_SETS, 0.0, 0.0, None, "not_enough")
    observed = sum(s.score for s in sets)
    percentile = blurred_percentile(sum_pmf(pmfs), observed, variance)
    return Measure(
        count,
        MIN_SETS,
        observed / count,
        sum(s.expected for s in sets) / count,
        percentile,
        verdict(percentile, count, MIN_SETS),
    )


def _shoot_off_measure(moments: Sequence[ShootOffMoment]) -> Measure:
    count = len(moments)
    if not count:
        return Measure(0, MIN_SHOOT_OFFS, 0.0, 0.0, None, "not_enough")
    won = sum(m.won for m in moments)
    percentile = mid_percentile(wins_pmf([m.chance for m in moments]), won)
    return Measure(
        count,
        MIN_SHOOT_OFFS,
        float(won),
        sum(m.chance for m in moments),
        percentile,
        verdict(percentile, count, MIN_SHOOT_OFFS),
    )


__all__ = [
    "CLOSE_TOTAL",
    "DECIDING_POINTS",
    "HIGH",
    "LOW",
    "MIN_LAST_ARROWS",
    "MIN_SETS",
    "MIN_SHOOT_OFFS",
    "LastArrowSet",
    "Measure",
    "Pressure",
    "PressureSet",
    "ShootOffMoment",
    "under_pressure",
]
