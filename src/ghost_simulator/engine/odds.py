"""Exact odds, by convolution of the handicap model's ring probabilities.

An arrow's value distribution follows from the handicap (see ``handicaps``); an
end's, a set's, a round's are its convolutions. A ghost's day-to-day form is a
normal variation of its handicap for the whole match, integrated by
Gauss-Hermite quadrature; during a match the ghost's ends already shown weigh
those quadrature nodes by Bayes' rule, so live odds learn whether the ghost is
having a good day.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt

from . import handicaps
from .ghost import Ghost
from .matches import Match
from .rounds import Distance, Round

Pmf = npt.NDArray[np.float64]
QUADRATURE_NODES = 24


def arrow_pmf(distance: Distance, handicap: float, scheme: str) -> Pmf:
    """P(arrow scores v) for v = 0 .. the face's top value."""
    probabilities = handicaps.distance_probabilities(distance, handicap, scheme)
    pmf = np.zeros(distance.face.max_value + 1)
    for zone, p in zip(distance.face.zones, probabilities, strict=True):
        pmf[zone.value] += p
    return pmf


def power(pmf: Pmf, n: int) -> Pmf:
    """The distribution of the sum of ``n`` independent draws from ``pmf``."""
    result = np.ones(1)
    base = pmf
    while n:
        if n & 1:
            result = np.convolve(result, base)
        n >>= 1
        if n:
            base = np.convolve(base, base)
    return np.clip(result, 0.0, None)


def round_pmf(rnd: Round, handicap: float, scheme: str) -> Pmf:
    """The distribution of a round's total at a fixed handicap."""
    result = np.ones(1)
    for distance in rnd.distances:
        result = np.convolve(
            result, power(arrow_pmf(distance, handicap, scheme), distance.arrows)
        )
    return result


def uniform_pmf(low: int, high: int) -> Pmf:
    pmf = np.zeros(high + 1)
    pmf[low : high + 1] = 1.0 / (high - low + 1)
    return pmf


@cache
def _hermite(nodes: int) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    x, w = np.polynomial.hermite.hermgauss(nodes)
    return x * np.sqrt(2.0), w / np.sqrt(np.pi)


def form_nodes(ghost: Ghost) -> list[tuple[float, float]]:
    """(handicap, weight) pairs for the ghost's level on the day."""
    assert ghost.handicap is not None
    if ghost.form == 0:
        return [(ghost.handicap, 1.0)]
    best, worst = handicaps.bounds(ghost.scheme)
    low, high = min(best, worst), max(best, worst)
    z, w = _hermite(QUADRATURE_NODES)
    return [
        (float(np.clip(ghost.handicap + ghost.form * zi, low, high)), float(wi))
        for zi, wi in zip(z, w, strict=True)
    ]


def ghost_round_pmf(ghost: Ghost, rnd: Round) -> Pmf:
    """The distribution of the ghost's total on a round, form included."""
    if ghost.kind == "perfect":
        pmf = np.zeros(rnd.max_score + 1)
        pmf[-1] = 1.0
        return pmf
    if ghost.kind == "minmax":
        assert ghost.min_end is not None
        assert ghost.max_end is not None
        result = np.ones(1)
        for _index, size in rnd.end_plan():
            low = round(ghost.min_end * size / rnd.end_size)
            high = round(ghost.max_end * size / rnd.end_size)
            result = np.convolve(result, uniform_pmf(low, high))
        return result
    parts = [w * round_pmf(rnd, h, ghost.scheme) for h, w in form_nodes(ghost)]
    return np.sum(parts, axis=0)


def mean_std(pmf: Pmf) -> tuple[float, float]:
    values = np.arange(len(pmf))
    mean = float(values @ pmf)
    variance = float(((values - mean) ** 2) @ pmf)
    return mean, float(np.sqrt(max(variance, 0.0)))


def compare(a: Pmf, b: Pmf) -> tuple[float, float, float]:
    """P(A > B), P(A == B), P(A < B) for independent totals."""
    size = max(len(a), len(b))
    a = np.pad(a, (0, size - len(a)))
    b = np.pad(b, (0, size - len(b)))
    cdf_b = np.cumsum(b)
    below = np.concatenate(([0.0], cdf_b[:-1]))  # P(B < v)
    win = float(a @ below)
    tie = float(a @ b)
    return win, tie, max(0.0, 1.0 - win - tie)


@dataclass(frozen=True)
class Odds:
    """The archer's chances: ``win + loss == 1``; ``shoot_off`` is the chance the
    match needs one (a tie on total, for a ranking round)."""

    win: float
    loss: float
    shoot_off: float

    def to_dict(self) -> dict[str, float]:
        return {"win": self.win, "loss": self.loss, "shoot_off": self.shoot_off}


# -- the match formats --------------------------------------------------------


@dataclass(frozen=True)
class Opponents:
    """The archer's and the ghost's single-arrow models for one match."""

    distance: Distance
    archer_handicap: float
    scheme: str

    def archer_arrow(self) -> Pmf:
        return arrow_pmf(self.distance, self.archer_handicap, self.scheme)

    def shoot_off_win(self, ghost: Ghost, ghost_handicap: float | None) -> float:
        """P(the archer's single arrow beats the ghost's): higher value wins, then
        closest to the centre. With the same arrow size on both sides a closer
        arrow never scores less, so this is P(archer closer) =
        sigma_g^2 / (sigma_a^2 + sigma_g^2) for the Rayleigh-like spreads."""
        if ghost.kind == "perfect":
            return 0.0
        if ghost.kind == "minmax":
            assert ghost.min_end is not None
            assert ghost.max_end is not None
            share = uniform_pmf(round(ghost.min_end / 3), round(ghost.max_end / 3))
            win, tie, _ = compare(self.archer_arrow(), share)
            return win + tie / 2
        assert ghost_handicap is not None
        a = handicaps.sigma(self.archer_handicap, self.distance.metres, self.scheme)
        g = handicaps.sigma(ghost_handicap, self.distance.metres, ghost.scheme)
        return g * g / (a * a + g * g)


def _ghost_levels(
    ghost: Ghost, distance: Distance, shown: Sequence[Sequence[int]] = ()
) -> list[tuple[float | None, float, Pmf]]:
    """(handicap, posterior weight, arrow pmf) for each level of the ghost's
    form, given the arrow values it has already shown in this match."""
    if ghost.kind == "perfect":
        pmf = np.zeros(distance.face.max_value + 1)
        pmf[-1] = 1.0
        return [(None, 1.0, pmf)]
    if ghost.kind == "minmax":
        return [(None, 1.0, np.zeros(0))]
    levels = []
    for h, w in form_nodes(ghost):
        pmf = arrow_pmf(distance, h, ghost.scheme)
        likelihood = np.prod([pmf[v] for end in shown for v in end]) if shown else 1.0
        levels.append((h, w * float(likelihood), pmf))
    total = sum(w for _, w, _ in levels)
    if total <= 0:  # shown arrows impossible at every level: keep the prior
        return [
            (h, w, pmf)
            for (h, w), (_, _, pmf) in zip(form_nodes(ghost), levels, strict=True)
        ]
    return [(h, w / total, pmf) for h, w, pmf in levels]


def _ghost_end(ghost: Ghost, pmf: Pmf, arrows: int) -> Pmf:
    return _ghost_rest(ghost, pmf, arrows, end_size=arrows)


def _ghost_rest(ghost: Ghost, pmf: Pmf, arrows: int, end_size: int = 3) -> Pmf:
    """The ghost's total over its next ``arrows`` arrows at one level of form
    (``pmf`` per arrow); the min/max ghost draws whole ends instead."""
    if ghost.kind != "minmax":
        return power(pmf, arrows)
    assert ghost.min_end is not None
    assert ghost.max_end is not None
    return power(uniform_pmf(ghost.min_end, ghost.max_end), arrows // end_size)


def set_match_odds(
    opponents: Opponents,
    ghost: Ghost,
    *,
    archer_points: int = 0,
    ghost_points: int = 0,
    sets_shot: int = 0,
    ghost_shown: Sequence[Sequence[int]] = (),
) -> Odds:
    """World Archery's set system from any state: 3-arrow sets, 2 points to the
    winner of a set and 1 each for a tie, first to 6; at 5-5 a shoot-off."""
    win = shoot_off = 0.0
    archer_set = power(opponents.archer_arrow(), 3)
    for h, weight, pmf in _ghost_levels(ghost, opponents.distance, ghost_shown):
        p_set = compare(archer_set, _ghost_end(ghost, pmf, 3))
        p_so = opponents.shoot_off_win(ghost, h)
        w, so = _set_system(p_set, archer_points, ghost_points, sets_shot, p_so)
        win += weight * w
        shoot_off += weight * so
    return Odds(win, 1.0 - win, shoot_off)


def _set_system(
    p_set: tuple[float, float, float], a: int, g: int, sets_shot: int, p_so: float
) -> tuple[float, float]:
    """(P(archer wins), P(shoot-off)) from set points a-g after ``sets_shot``."""
    p_win, p_tie, p_loss = p_set
    states = {(a, g): 1.0}
    win = shoot_off = 0.0
    for _ in range(sets_shot, 5):
        following: dict[tuple[int, int], float] = {}
        for (x, y), p in states.items():
            if x >= 6 or y >= 6:
                continue
            for (dx, dy), q in (((2, 0), p_win), ((1, 1), p_tie), ((0, 2), p_loss)):
                key = (x + dx, y + dy)
                following[key] = following.get(key, 0.0) + p * q
        for (x, y), p in list(following.items()):
            if x >= 6 and y < 6:
                win += p
                del following[(x, y)]
            elif y >= 6:
                del following[(x, y)]
        states = following
    if a >= 6 and g < 6:
        return 1.0, 0.0
    for (x, y), p in states.items():
        if x == y == 5:
            shoot_off += p
            win += p * p_so
    return win, shoot_off


def cumulative_match_odds(
    opponents: Opponents,
    ghost: Ghost,
    *,
    archer_total: int = 0,
    ghost_total: int = 0,
    arrows_left: int = 15,
    ghost_shown: Sequence[Sequence[int]] = (),
) -> Odds:
    """The compound match: 15 arrows (5 ends of 3), highest total; a tie goes to
    a shoot-off."""
    win = shoot_off = 0.0
    archer_rest = power(opponents.archer_arrow(), arrows_left)
    archer_pmf = np.concatenate((np.zeros(archer_total), archer_rest))
    for h, weight, pmf in _ghost_levels(ghost, opponents.distance, ghost_shown):
        rest = _ghost_rest(ghost, pmf, arrows_left)
        ghost_pmf = np.concatenate((np.zeros(ghost_total), rest))
        w, tie, _ = compare(archer_pmf, ghost_pmf)
        win += weight * (w + tie * opponents.shoot_off_win(ghost, h))
        shoot_off += weight * tie
    return Odds(win, 1.0 - win, shoot_off)


def round_odds(rnd: Round, archer_handicap: float, ghost: Ghost, scheme: str) -> Odds:
    """A ranking round, archer against ghost on total. ``shoot_off`` here is the
    chance of a tie on total (WA then looks at 10s and Xs); a tie counts half."""
    archer = round_pmf(rnd, archer_handicap, scheme)
    w, tie, _ = compare(archer, ghost_round_pmf(ghost, rnd))
    return Odds(w + tie / 2, 1.0 - w - tie / 2, tie)


def needed_in_set(
    opponents: Opponents,
    ghost: Ghost,
    *,
    archer_points: int,
    ghost_points: int,
    ghost_shown: Sequence[Sequence[int]] = (),
    confidence: float = 0.5,
) -> dict[str, int | None]:
    """The set totals the archer needs this set: ``to_win_set``, the lowest total
    that wins the set at least ``confidence`` of the time; ``to_stay_in``, the
    lowest that keeps the match alive that often when the ghost could win it on
    this set (None when it cannot)."""
    ghost_set = np.zeros(31)
    for _h, weight, pmf in _ghost_levels(ghost, opponents.distance, ghost_shown):
        end = _ghost_end(ghost, pmf, 3)
        ghost_set[: len(end)] += weight * end
    cdf = np.cumsum(ghost_set)
    below = np.concatenate(([0.0], cdf[:-1]))  # P(ghost < s)
    at_most = cdf  # P(ghost <= s)

    def lowest(p: npt.NDArray[np.float64]) -> int | None:
        hits = np.nonzero(p >= confidence)[0]
        return int(hits[0]) if len(hits) else None

    to_stay_in = None
    if ghost_points >= 5:
        to_stay_in = lowest(below)
    elif ghost_points == 4 and archer_points < 6:
        to_stay_in = lowest(at_most)
    return {"to_win_set": lowest(below), "to_stay_in": to_stay_in}


def needed_in_total(
    opponents: Opponents,
    ghost: Ghost,
    *,
    archer_total: int,
    ghost_total: int,
    arrows_left: int,
    ghost_shown: Sequence[Sequence[int]] = (),
    confidence: float = 0.5,
) -> int | None:
    """The lowest total over the archer's remaining arrows that wins (a tie
    counting half) at least ``confidence`` of the time; None if none does."""
    rest = np.zeros(arrows_left * opponents.distance.face.max_value + 1)
    for _h, weight, pmf in _ghost_levels(ghost, opponents.distance, ghost_shown):
        part = _ghost_rest(ghost, pmf, arrows_left)
        rest[: len(part)] += weight * part[: len(rest)]
    lead = archer_total - ghost_total
    cdf = np.cumsum(rest)
    for total in range(len(rest)):
        margin = total + lead  # the archer wins if the ghost scores below this
        below = (
            cdf[margin - 1] if 0 < margin <= len(rest) else (1.0 if margin > 0 else 0.0)
        )
        tie = rest[margin] if 0 <= margin < len(rest) else 0.0
        if below + tie / 2 >= confidence:
            return total
    return None


def live_odds(match: Match, archer_handicap: float, scheme: str | None = None) -> Odds:
    """The archer's chances from the match's current state, knowing the ghost's
    ends shown so far but not the ones to come. The archer's handicap is on the
    ghost's scheme unless ``scheme`` says otherwise."""
    scheme = scheme or match.ghost.scheme
    shown = match.ghost_values_shown
    verdict = match.verdict()
    if verdict.finished:
        win = {"won": 1.0, "tied": 0.5}.get(verdict.status, 0.0)
        return Odds(win, 1.0 - win, 0.0)
    distance = match.round.distances[-1]
    opponents = Opponents(distance, archer_handicap, scheme)
    if verdict.status == "shoot_off":
        h = _posterior_mean(match.ghost, distance, shown)
        p = opponents.shoot_off_win(match.ghost, h)
        return Odds(p, 1.0 - p, 1.0)
    if match.kind == "set":
        return set_match_odds(
            opponents,
            match.ghost,
            archer_points=verdict.archer_points or 0,
            ghost_points=verdict.ghost_points or 0,
            sets_shot=match.ends_shot,
            ghost_shown=shown,
        )
    arrows_left = sum(size for _, size in match.round.end_plan()[match.ends_shot :])
    if match.kind == "cumulative":
        return cumulative_match_odds(
            opponents,
            match.ghost,
            archer_total=match.archer_tally().total,
            ghost_total=match.ghost_tally().total,
            arrows_left=arrows_left,
            ghost_shown=shown,
        )
    remaining = match.round.ends_between(match.ends_shot)
    archer = np.concatenate(
        (
            np.zeros(match.archer_tally().total),
            round_pmf(remaining, archer_handicap, scheme),
        )
    )
    ghost_rest = np.zeros(1)
    for h, weight, _pmf in _ghost_levels(match.ghost, distance, shown):
        part = (
            ghost_round_pmf(match.ghost, remaining)
            if h is None
            else round_pmf(remaining, h, match.ghost.scheme)
        )
        if len(part) > len(ghost_rest):
            ghost_rest = np.pad(ghost_rest, (0, len(part) - len(ghost_rest)))
        ghost_rest[: len(part)] += weight * part
    ghost = np.concatenate((np.zeros(match.ghost_tally().total), ghost_rest))
    w, tie, _ = compare(archer, ghost)
    return Odds(w + tie / 2, 1.0 - w - tie / 2, tie)


def _posterior_mean(
    ghost: Ghost, distance: Distance, shown: Sequence[Sequence[int]]
) -> float | None:
    levels = _ghost_levels(ghost, distance, shown)
    if levels[0][0] is None:
        return None
    return sum(h * w for h, w, _ in levels if h is not None)
