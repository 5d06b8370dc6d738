"""An archer's own spread: how much they vary from one day to the next (form)
and within a day (drift), measured from their finished rounds.

The ghost model (``variability``) gives every archer of a level and bow the
population's form and drift. Real archers differ: some are metronomes, some
streaky. From an archer's rounds this module estimates their own two figures,
in the model's own terms, so that a ghost with them (a "ghost like me") and
the odds that model the archer shoot like that archer.

The method (moments, in handicap points):

- **Within the day**: in each round the first half's total minus the second
  half's. Form is the same for both halves and cancels (exactly when both
  halves are shot at the same distance), so what is left is the arrows' own
  noise and the drift: the more an archer's good and bad spells last, the
  more their halves differ.
- **From one day to the next**: the difference between the totals of two
  rounds of the same round shot one after the other (half its square is the
  round-to-round variance, with a slow trend, such as improving, mostly taken
  out): arrows, drift and form together.

The model's expected value of each square is linear in form² and drift²:
the arrows' noise (the handicap model's spread of each arrow at the round's
level, bad arrows included), plus form² and drift² times what the round's
ends make of them (the points per handicap point of each end, and the
drift's correlation from end to end). A least-squares fit of form² and
drift² (neither below zero) to all the squares gives the raw estimates;
the figures used are shrunk toward the population's values for the archer's
level and bow as if the population's were worth ``PRIOR_ROUNDS`` rounds of
data: with 10 rounds, half the archer's own and half the population's; with
40, four fifths their own. Fewer than ``MIN_ROUNDS`` comparable rounds (the
same round with the same bow, shot at least twice) give the population's
values, and say so.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

from . import handicaps
from .constants import CURRENT_MODEL
from .ghost import Ghost
from .rounds import Round
from .variability import Variability, clip, level_variability

#: The fewest comparable rounds an archer's own spread is estimated from.
MIN_ROUNDS = 10
#: How many rounds' worth of data the population's values count for.
PRIOR_ROUNDS = 10
#: A spread estimate reads at most this many of the archer's latest rounds.
MOST_ROUNDS = 100
#: The step of the numerical slope (handicap points).
_STEP = 0.25


class SpreadError(ValueError):
    """Rounds that cannot be read as asked."""


@dataclass(frozen=True)
class ShotRound:
    """One finished round as an archer shot it: each end's total, in order."""

    round: Round
    ends: tuple[int, ...]
    bow: str = "recurve"

    def __post_init__(self) -> None:
        if len(self.ends) != self.round.ends:
            raise SpreadError(
                f"{self.round.name} has {self.round.ends} ends, not {len(self.ends)}."
            )

    @classmethod
    def from_entries(
        cls, rnd: Round, entries: Sequence[Any], bow: str = "recurve"
    ) -> ShotRound:
        """A round from what was entered, end by end: arrow labels, or
        ``{"total": n}`` for an end typed as a total (as a match stores them)."""
        plan = rnd.end_plan()
        if len(entries) != len(plan):
            raise SpreadError(f"{rnd.name} has {len(plan)} ends, not {len(entries)}.")
        totals = []
        for (index, _arrows), entry in zip(plan, entries, strict=True):
            if isinstance(entry, dict):
                totals.append(int(entry["total"]))
                continue
            values = rnd.distances[index].face.values
            try:
                totals.append(sum(values[str(label)] for label in entry))
            except (KeyError, TypeError) as exc:
                raise SpreadError(f"Not an end of {rnd.name}: {entry!r}.") from exc
        return cls(rnd, tuple(totals), bow)

    @property
    def total(self) -> int:
        return sum(self.ends)

    @property
    def key(self) -> tuple[str, str, str]:
        """What makes two rounds comparable: the same round, with the same bow."""
        return self.round.codename, self.round.name, self.bow


@dataclass(frozen=True)
class Spread:
    """An archer's form and drift (the scheme's handicap points, standard
    deviations) and the population's at their level, with what they rest on."""

    level: float  # the archer's recent level (handicap)
    bow: str
    scheme: str
    form: float
    drift: float
    population_form: float
    population_drift: float
    rounds: int  # comparable rounds the estimate rests on
    raw_form: float | None = None  # before shrinking (None: too few rounds)
    raw_drift: float | None = None

    @property
    def own(self) -> bool:
        """Whether the archer's own rounds are in it (else the population's)."""
        return self.rounds >= MIN_ROUNDS

    @property
    def weight(self) -> float:
        """The share of the archer's own data in the figures (0 to 1)."""
        return self.rounds / (self.rounds + PRIOR_ROUNDS) if self.own else 0.0

    @property
    def form_ratio(self) -> float:
        return self.form / self.population_form if self.population_form else 1.0

    @property
    def drift_ratio(self) -> float:
        """How streaky the archer's ends are against archers of their level:
        below 1 steadier, above 1 streakier."""
        return self.drift / self.population_drift if self.population_drift else 1.0

    def ghost(self, **source: object) -> Ghost:
        """A ghost like the archer: their level, their form and their drift
        (the population's while they have too few rounds)."""
        return Ghost(
            "history",
            self.level,
            self.scheme,
            self.form,
            source={"method": "like_me", "rounds": self.rounds, **source},
            bow=self.bow,
            drift=self.drift,
        )

    def on_round(self, rnd: Round) -> RoundSpread:
        """What the spread means on ``rnd``: the archer's expected total and
        how much it varies from one day to the next (standard deviation, the
        arrows' own noise, form and drift together), theirs and that of
        archers of their level."""
        return _on_round(self, rnd)

    def to_dict(self) -> dict[str, object]:
        return {
            "level": self.level,
            "bow": self.bow,
            "scheme": self.scheme,
            "form": self.form,
            "drift": self.drift,
            "population_form": self.population_form,
            "population_drift": self.population_drift,
            "rounds": self.rounds,
            "own": self.own,
            "weight": self.weight,
            "raw_form": self.raw_form,
            "raw_drift": self.raw_drift,
        }


@dataclass(frozen=True)
class RoundSpread:
    """A spread in a round's points (exact: the model's distribution of the
    round's total for each)."""

    mean: float
    own: float  # standard deviation of the archer's total
    typical: float  # that of archers of their level and bow


@lru_cache(maxsize=256)
def _on_round(spread: Spread, rnd: Round) -> RoundSpread:
    from .odds import ghost_round_pmf, mean_std

    mine = spread.ghost()
    mean, own = mean_std(ghost_round_pmf(mine, rnd))
    typical = Ghost.from_handicap(spread.level, spread.scheme, bow=spread.bow)
    return RoundSpread(mean, own, mean_std(ghost_round_pmf(typical, rnd))[1])


def population(level: float, bow: str, scheme: str) -> Variability:
    """The current model's unsteadiness of an archer of that level and bow."""
    return level_variability(level, bow, scheme, model=CURRENT_MODEL)


@lru_cache(maxsize=64)
def score_table(
    rnd: Round, scheme: str
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """The round's expected score on a fine grid of handicaps (twentieths),
    scores rising: what a total's handicap is read from."""
    best, worst = handicaps.bounds(scheme)
    levels = np.linspace(best, worst, round(abs(worst - best) * 20) + 1)
    scores = np.zeros_like(levels)
    for distance in rnd.distances:
        values = np.array([z.value for z in distance.face.zones], dtype=float)
        probabilities = handicaps.level_probabilities(distance, levels, scheme)
        scores += distance.arrows * (probabilities @ values)
    order = np.argsort(scores)
    return scores[order], levels[order]


def score_to_level(
    rnd: Round, scheme: str, totals: npt.ArrayLike
) -> npt.NDArray[np.float64]:
    """The handicaps whose expected scores on ``rnd`` are ``totals`` (to a
    hundredth of a point; totals beyond the scale at its ends)."""
    scores, levels = score_table(rnd, scheme)
    return np.interp(np.asarray(totals, dtype=float), scores, levels)


def _level(rnd: Round, total: float, scheme: str) -> float:
    """The handicap a total earns, kept inside the scale (a perfect round)."""
    return float(score_to_level(rnd, scheme, total))


@lru_cache(maxsize=1024)
def _end_moments(
    rnd: Round, level: float, scheme: str, bow: str
) -> tuple[npt.NDArray[np.float64], ...]:
    """Per end of the round, at ``level`` (to a tenth: kept): the mean total,
    the arrows' own variance (bad arrows included) and the points per handicap
    point, and the drift's correlation matrix between the ends."""
    var = population(level, bow, scheme)
    means, noise, slopes = [], [], []
    for index, arrows in rnd.end_plan():
        distance = rnd.distances[index]
        values = np.array([z.value for z in distance.face.zones], dtype=float)
        at = clip(
            np.array([level, level - _STEP, level + _STEP, level + var.bad_offset]),
            scheme,
        )
        p = handicaps.level_probabilities(distance, at, scheme)
        mu = p @ values
        second = p @ (values * values)
        r = var.bad_rate
        mean = (1 - r) * mu[0] + r * mu[3]
        variance = (1 - r) * second[0] + r * second[3] - mean * mean
        means.append(arrows * mean)
        noise.append(arrows * variance)
        slopes.append(arrows * (mu[2] - mu[1]) / (2 * _STEP))
    starts = np.cumsum([0] + [arrows for _i, arrows in rnd.end_plan()])[:-1]
    lag = np.abs(starts[:, None] - starts[None, :])
    correlation = var.correlation**lag
    return np.array(means), np.array(noise), np.array(slopes), correlation


def _halves(count: int) -> npt.NDArray[np.float64]:
    """+1 for the first half's ends, -1 for the second's (0 for a middle end)."""
    signs = np.zeros(count)
    signs[: count // 2] = 1.0
    signs[count - count // 2 :] = -1.0
    return signs


@dataclass(frozen=True)
class _Square:
    """One observed square and what the model expects of it: ``noise`` +
    form² x ``on_form`` + drift² x ``on_drift`` (handicap points²)."""

    value: float
    noise: float
    on_form: float
    on_drift: float


def _half_square(shot: ShotRound, level: float, scheme: str) -> _Square:
    means, noise, slopes, corr = _end_moments(
        shot.round, round(level, 1), scheme, shot.bow
    )
    signs = _halves(len(shot.ends))
    c = signs * slopes
    scale = float(np.sum(np.abs(c))) / 2 or 1.0  # one half's points per point
    residual = float(signs @ (np.array(shot.ends) - means))
    return _Square(
        residual**2 / scale**2,
        float(np.abs(signs) @ noise) / scale**2,
        float(c.sum()) ** 2 / scale**2,
        float(c @ corr @ c) / scale**2,
    )


def _pair_square(earlier: ShotRound, later: ShotRound, scheme: str) -> _Square:
    rnd = later.round
    level = _level(rnd, (earlier.total + later.total) / 2, scheme)
    _, noise, slopes, corr = _end_moments(rnd, round(level, 1), scheme, later.bow)
    scale = float(slopes.sum()) or 1.0
    return _Square(
        (later.total - earlier.total) ** 2 / 2 / scale**2,
        float(noise.sum()) / scale**2,
        1.0,
        float(slopes @ corr @ slopes) / scale**2,
    )


def _fit(squares: Sequence[_Square]) -> tuple[float, float]:
    """Least squares for (form², drift²), neither below zero."""
    y = np.array([s.value - s.noise for s in squares])
    x = np.array([[s.on_form, s.on_drift] for s in squares])

    def residual(f2: float, d2: float) -> float:
        return float(np.sum((y - x @ np.array([f2, d2])) ** 2))

    candidates = [(0.0, 0.0)]
    for column in (0, 1):
        norm = float(x[:, column] @ x[:, column])
        if norm > 0:
            value = max(float(x[:, column] @ y) / norm, 0.0)
            candidates.append((value, 0.0) if column == 0 else (0.0, value))
    try:
        both = np.linalg.solve(x.T @ x, x.T @ y)
    except np.linalg.LinAlgError:
        both = None
    if both is not None and both[0] >= 0 and both[1] >= 0:
        candidates.append((float(both[0]), float(both[1])))
    return min(candidates, key=lambda c: residual(*c))


#: How many rounds either side of a round its local level is averaged over.
LOCAL = 4


def _local_levels(group: Sequence[ShotRound], scheme: str) -> list[float]:
    """Each round's level as its neighbours in time say (the average of the
    handicaps earned by the rounds up to ``LOCAL`` either side): the level the
    halves are compared at, not the round's own, whose total already holds
    the day's form and drift (an improving archer is followed)."""
    earned = [_level(s.round, s.total, scheme) for s in group]
    return [
        sum(window) / len(window)
        for i in range(len(earned))
        if (window := earned[max(i - LOCAL, 0) : i + LOCAL + 1])
    ]


def comparable(rounds: Sequence[ShotRound]) -> list[list[ShotRound]]:
    """The rounds in groups of the same round and bow shot at least twice,
    each oldest first (``rounds`` are given oldest first)."""
    groups: dict[tuple[str, str, str], list[ShotRound]] = {}
    for shot in rounds:
        groups.setdefault(shot.key, []).append(shot)
    return [group for group in groups.values() if len(group) >= 2]


def estimate_spread(
    rounds: Sequence[ShotRound], scheme: str = handicaps.DEFAULT_SCHEME
) -> Spread | None:
    """The archer's own spread from their finished rounds (oldest first; the
    latest ``MOST_ROUNDS`` are read), or None when there are no rounds. The
    level is the average of the handicaps their latest ``MIN_ROUNDS`` rounds
    earned; the bow their latest round's."""
    handicaps.scheme(scheme)
    rounds = list(rounds)[-MOST_ROUNDS:]
    if not rounds:
        return None
    latest = rounds[-MIN_ROUNDS:]
    level = sum(_level(s.round, s.total, scheme) for s in latest) / len(latest)
    bow = rounds[-1].bow
    prior = population(level, bow, scheme)
    groups = comparable(rounds)
    count = sum(len(group) for group in groups)
    base = Spread(
        level, bow, scheme, prior.form, prior.drift, prior.form, prior.drift, count
    )
    if count < MIN_ROUNDS:
        return base
    squares = [
        _half_square(shot, level, scheme)
        for group in groups
        for shot, level in zip(group, _local_levels(group, scheme), strict=True)
    ]
    squares += [
        _pair_square(a, b, scheme)
        for group in groups
        for a, b in itertools.pairwise(group)
    ]
    form2, drift2 = _fit(squares)
    weight = PRIOR_ROUNDS

    def shrunk(own: float, pop: float) -> float:
        return math.sqrt((count * own + weight * pop * pop) / (count + weight))

    return Spread(
        level,
        bow,
        scheme,
        shrunk(form2, prior.form),
        shrunk(drift2, prior.drift),
        prior.form,
        prior.drift,
        count,
        math.sqrt(form2),
        math.sqrt(drift2),
    )
