"""Exact odds: the handicap model's ring probabilities, convolved, with the
ghost's unsteadiness as a hidden Markov chain over its ends.

An arrow's value distribution follows from the handicap (see ``handicaps``);
an end's, a set's, a round's are its convolutions. The ghost's level on each
end is hidden: its form on the day (normal, integrated by Gauss-Hermite
quadrature) plus its drift (an AR(1) process, discretised on a Rouwenhorst
grid, which keeps the process's mean, variance and correlation exactly for any
end size), and any end's arrow may be a bad one (see ``variability``). A
forward pass over that chain gives the distribution of what is left to shoot;
during a match the ghost's ends already shown weigh its hidden states by
Bayes' rule, so live odds learn whether it is having a good day and whether
it is in a good spell now. Version 1 ghosts (form only) and steady ghosts are
the same chain with fewer states.

The archer and the ghost are equals: the archer is modelled exactly as a
ghost of their bow and level (form, drift, bad arrows; see
:attr:`Opponents.archer`), a second chain independent of the ghost's, unless
they say they are steady. Two of the same level therefore have even chances
in every format, and during a match the archer's own ends shown so far weigh
their hidden states the same way, so the odds learn the archer's day too.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from itertools import islice

import numpy as np
import numpy.typing as npt

from . import handicaps, minmax
from .faces import Face
from .ghost import Ghost
from .matches import Match
from .rounds import SET_ARROWS, SETS, Distance, Round
from .variability import clip, odds_base_handicap

Pmf = npt.NDArray[np.float64]
#: What an end showed: its arrows' values, or only its total (an ``int``).
Shown = Sequence[int] | int

#: Quadrature nodes for the form on the day: version 1 ghosts (as released),
#: and version 2 ghosts (which also carry drift states).
V1_FORM_NODES = 24
FORM_NODES = 10
#: Grid points for the drift.
DRIFT_NODES = 9


def arrow_pmf(distance: Distance, handicap: float, scheme: str) -> Pmf:
    """P(arrow scores v) for v = 0 .. the face's top value. (Computed as the
    first release did, to the last bit: preset handicaps of version 1 ghosts
    are solved from it.)"""
    probabilities = handicaps.distance_probabilities(distance, handicap, scheme)
    pmf = np.zeros(distance.face.max_value + 1)
    for zone, p in zip(distance.face.zones, probabilities, strict=True):
        pmf[zone.value] += p
    return pmf


def arrow_pmfs(
    distance: Distance, levels: npt.NDArray[np.float64], scheme: str
) -> npt.NDArray[np.float64]:
    """``arrow_pmf`` at many handicaps: one row per handicap."""
    probabilities = handicaps.level_probabilities(distance, levels, scheme)
    return probabilities @ _zone_values(distance.face)


@cache
def _zone_values(face: Face) -> npt.NDArray[np.float64]:
    """A (zones x values) matrix of ones: which value each zone scores."""
    matrix = np.zeros((len(face.zones), face.max_value + 1))
    for index, zone in enumerate(face.zones):
        matrix[index, zone.value] = 1.0
    return matrix


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


def convolve_rows(a: Pmf, b: Pmf) -> Pmf:
    """Row-by-row convolution of two (rows x values) arrays."""
    rows, m = a.shape
    k = b.shape[1]
    size = m + k - 1
    if m * k <= 4096:
        out = np.zeros((rows, size))
        for j in range(k):
            out[:, j : j + m] += a * b[:, j : j + 1]
        return out
    n = fft_size(size)
    out = np.fft.irfft(np.fft.rfft(a, n) * np.fft.rfft(b, n), n)[:, :size]
    return np.clip(out, 0.0, None)


@lru_cache(maxsize=1024)
def fft_size(size: int) -> int:
    """The smallest length of at least ``size`` with no prime factor above 5:
    NumPy's FFT is as fast on those as on powers of two, and they are closer
    (1,500 where a power of two is 2,048: half the time for a long round)."""
    best = 1 << (size - 1).bit_length()
    fives = 1
    while fives < best:
        threes = fives
        while threes < best:
            twos = threes
            while twos < size:
                twos *= 2
            best = min(best, twos)
            threes *= 3
        fives *= 5
    return best


def power_rows(pmfs: Pmf, n: int) -> Pmf:
    """``power`` of each row."""
    result = np.ones((pmfs.shape[0], 1))
    for _ in range(n):
        result = convolve_rows(result, pmfs)
    return result


def round_pmf(rnd: Round, handicap: float, scheme: str) -> Pmf:
    """The distribution of a round's total at a fixed handicap."""
    result = np.ones(1)
    for distance in rnd.distances:
        result = np.convolve(
            result, power(arrow_pmf(distance, handicap, scheme), distance.arrows)
        )
    return result


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


# -- the ghost as a hidden Markov chain -------------------------------------------


@cache
def _hermite(nodes: int) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    x, w = np.polynomial.hermite.hermgauss(nodes)
    return x * np.sqrt(2.0), w / np.sqrt(np.pi)


@cache
def rouwenhorst(nodes: int, correlation: float) -> npt.NDArray[np.float64]:
    """Rouwenhorst's transition matrix for an AR(1) on ``nodes`` evenly spaced
    points: its stationary law is Binomial(nodes - 1, 1/2) on the grid, and it
    keeps the process's variance and correlation exactly."""
    p = (1.0 + correlation) / 2.0
    matrix = np.array([[p, 1 - p], [1 - p, p]])
    for n in range(3, nodes + 1):
        grown = np.zeros((n, n))
        grown[:-1, :-1] += p * matrix
        grown[:-1, 1:] += (1 - p) * matrix
        grown[1:, :-1] += (1 - p) * matrix
        grown[1:, 1:] += p * matrix
        grown[1:-1] /= 2.0
        matrix = grown
    return matrix


def _binomial(nodes: int) -> npt.NDArray[np.float64]:
    from math import comb

    return np.array([comb(nodes - 1, k) for k in range(nodes)]) / 2.0 ** (nodes - 1)


@dataclass
class GhostChain:
    """A ghost on one round: its hidden states (form node x drift node), their
    prior weights, and what each state shoots. Built by ``ghost_chain``."""

    ghost: Ghost
    round: Round
    levels: npt.NDArray[np.float64] | None  # each state's handicap; None: no arrows
    prior: npt.NDArray[np.float64]
    drift_nodes: int
    _ends: dict[tuple[int, int], Pmf] = field(default_factory=dict, repr=False)
    _arrows: dict[tuple[int, bool], Pmf] = field(default_factory=dict, repr=False)

    @property
    def states(self) -> int:
        return len(self.prior)

    def step(self, weights: Pmf, arrows: int, axis: int = 0) -> Pmf:
        """Carry state weights (along ``axis``: rows by default) on past an end
        of ``arrows`` arrows: the drift moves, the form stays (a matrix
        product on the drift's axis)."""
        if self.drift_nodes == 1:
            return weights
        var = self.ghost.variability()
        matrix = rouwenhorst(self.drift_nodes, var.end_correlation(arrows))
        last = np.moveaxis(weights, axis, -1)
        shape = last.shape
        grid = last.reshape(*shape[:-1], -1, self.drift_nodes)
        return np.moveaxis((grid @ matrix).reshape(shape), -1, axis)

    def arrow_pmfs(self, distance_index: int, pressed: bool = False) -> Pmf:
        """Each state's arrow value distribution at that distance, bad arrows
        included (rows: states); ``pressed``: the last arrow of an end of a
        ghost that feels pressure (its pressure added to the level, a bad
        arrow kept as wide if it is wider)."""
        key = (distance_index, pressed)
        if key not in self._arrows:
            assert self.levels is not None
            distance = self.round.distances[distance_index]
            scheme = self.ghost.scheme
            var = self.ghost.variability()
            good = self.levels
            if pressed:
                assert self.ghost.pressure is not None
                good = clip(self.levels + self.ghost.pressure, scheme)
            pmfs = arrow_pmfs(distance, good, scheme)
            if var.bad_rate:
                worse = clip(self.levels + var.bad_offset, scheme)
                if pressed:
                    worse = np.maximum(worse, good)
                pmfs = (1 - var.bad_rate) * pmfs + var.bad_rate * arrow_pmfs(
                    distance, worse, scheme
                )
            self._arrows[key] = pmfs
        return self._arrows[key]

    @property
    def pressed(self) -> bool:
        """Whether the last arrow of each end is shot under the ghost's pressure."""
        return bool(self.ghost.pressure) and self.levels is not None

    def end_pmfs(
        self, distance_index: int, arrows: int, shoot_off: bool = False
    ) -> Pmf:
        """Each state's distribution of an end's total (rows: states)."""
        key = (distance_index, -arrows if shoot_off else arrows)
        if key not in self._ends:
            face = self.round.distances[distance_index].face
            if self.ghost.kind == "perfect":
                pmf = np.zeros((1, arrows * face.max_value + 1))
                pmf[0, -1] = 1.0
            elif self.ghost.kind == "minmax":
                assert self.ghost.min_end is not None
                assert self.ghost.max_end is not None
                bounds = (self.ghost.min_end, self.ghost.max_end)
                pmf = minmax.end_pmf(
                    self.ghost.model,
                    face,
                    arrows,
                    bounds,
                    self.round.end_size,
                    shoot_off=shoot_off,
                )[None, :]
            elif self.pressed and not shoot_off and arrows:
                pmf = convolve_rows(
                    power_rows(self.arrow_pmfs(distance_index), arrows - 1),
                    self.arrow_pmfs(distance_index, pressed=True),
                )
            else:
                pmf = power_rows(self.arrow_pmfs(distance_index), arrows)
            self._ends[key] = pmf
        return self._ends[key]

    def likelihood(
        self,
        distance_index: int,
        values: Shown,
        arrows: int | None = None,
        shoot_off: bool = False,
    ) -> Pmf:
        """P(what an end showed | state), for each state: its arrows' values,
        or (an ``int``) only its total, over ``arrows`` arrows. A ghost that
        feels pressure shot one of an end's arrows (not a shoot-off's) last,
        and the values do not say which: each is as likely."""
        if self.levels is None:
            return np.ones(self.states)
        if isinstance(values, int):
            if arrows is None or values < 0:
                return np.ones(self.states)
            ends = self.end_pmfs(distance_index, arrows, shoot_off)
            if values >= ends.shape[1]:
                return np.zeros(self.states)
            return np.asarray(ends[:, values])
        pmfs = self.arrow_pmfs(distance_index)

        def chance(pmf: Pmf, value: int) -> Pmf | float:
            return pmf[:, value] if value < pmf.shape[1] else 0.0

        if self.pressed and not shoot_off and values:
            pressed = self.arrow_pmfs(distance_index, pressed=True)
            mixed = np.zeros(self.states)
            for last, value in enumerate(values):
                part = chance(pressed, value) * np.ones(self.states)
                for other, rest in enumerate(values):
                    if other != last:
                        part = part * chance(pmfs, rest)
                mixed += part
            return mixed / len(values)
        result = np.ones(self.states)
        for value in values:
            result = result * chance(pmfs, value)
        return result

    def plan(self) -> list[tuple[int, int]]:
        return self.round.end_plan()

    def filtered(self, shown: Sequence[Shown]) -> Pmf:
        """The state weights after the ends shown (Bayes' rule, end by end);
        where what was shown is impossible in every state, the weights stand."""
        weights = self.prior
        plan = self.plan()
        last = len(self.round.distances) - 1
        for number, values in enumerate(shown):
            index, size = plan[number] if number < len(plan) else (last, 1)
            if number:
                previous = plan[number - 1][1] if number - 1 < len(plan) else 1
                weights = self.step(weights, previous)
            updated = weights * self.likelihood(
                index, values, size, shoot_off=number >= len(plan)
            )
            total = updated.sum()
            if total > 0:
                weights = updated / total
        return weights

    def next_weights(self, shown: Sequence[Shown]) -> Pmf:
        """The state weights for the end after those shown."""
        if not shown:
            return self.prior
        plan = self.plan()
        last = len(shown) - 1
        arrows = plan[last][1] if last < len(plan) else 1
        return self.step(self.filtered(shown), arrows)

    def totals(self, weights: Pmf, start: int) -> Pmf:
        """Joint weights of (state at the last end, total of ends ``start``..):
        rows are states, columns totals; ``weights`` are the states at
        ``start``."""
        plan = self.plan()
        joint = weights[:, None]
        for number in range(start, len(plan)):
            index, size = plan[number]
            joint = convolve_rows(joint, self.end_pmfs(index, size))
            if number < len(plan) - 1:
                joint = self.step(joint, size)
        return joint

    def running_totals(self) -> Iterator[Pmf]:
        """The distribution of the total after each end of the round in turn,
        from the prior (worked out as asked: the next end only when wanted)."""
        plan = self.plan()
        joint = self.prior[:, None]
        for number, (index, size) in enumerate(plan):
            joint = convolve_rows(joint, self.end_pmfs(index, size))
            yield joint.sum(axis=0)
            if number < len(plan) - 1:
                joint = self.step(joint, size)

    def first_ends_pmf(self, arrows: int) -> Pmf:
        """The distribution of the total of the round's first ``arrows`` arrows
        (whole ends; all the round's, at most), from the prior."""
        ends = ends_holding(self.round, arrows)
        if not ends:
            return self.prior[:, None].sum(axis=0)
        return next(islice(self.running_totals(), ends - 1, None))

    def first_ends_pmfs(self) -> tuple[Pmf, ...]:
        """:meth:`running_totals`, all of them: item k is :meth:`first_ends_pmf`
        of the first k + 1 ends' arrows (read-only: :func:`first_ends_totals`
        keeps them)."""
        found = tuple(self.running_totals())
        for total in found:
            total.setflags(write=False)
        return found

    def spreads(self) -> list[tuple[float, npt.NDArray[np.float64]]]:
        """Each state's arrow spread (the Rayleigh sigma at the last distance),
        good arrows and bad, with how often each is shot."""
        assert self.levels is not None
        metres = self.round.distances[-1].metres
        scheme = self.ghost.scheme
        var = self.ghost.variability()
        sigma = handicaps.scheme(scheme).sigma_r
        good = np.asarray(sigma(self.levels, metres), dtype=float)
        if not var.bad_rate:
            return [(1.0, good)]
        worse = clip(self.levels + var.bad_offset, scheme)
        bad = np.asarray(sigma(worse, metres), dtype=float)
        return [(1.0 - var.bad_rate, good), (var.bad_rate, bad)]


def shoot_off_win(mine: GhostChain, theirs: GhostChain, weights: Pmf) -> float:
    """P(the archer's shoot-off arrow beats the ghost's): higher value wins,
    then closest to the centre. ``weights``: the joint weights of the archer's
    states (rows) and the ghost's (columns) at the shoot-off.

    With the same arrow size on both sides a closer arrow never scores less,
    so against a ghost that shoots from a handicap this is P(archer closer) =
    sigma_g^2 / (sigma_a^2 + sigma_g^2) for the Rayleigh-like spreads, bad
    arrows mixed in on either side."""
    ghost = theirs.ghost
    if ghost.kind == "perfect":
        return 0.0
    last = len(theirs.round.distances) - 1
    if ghost.kind == "minmax":
        pmf = theirs.end_pmfs(last, 1, shoot_off=True)[0]
        arrows = mine.arrow_pmfs(last)
        size = max(arrows.shape[1], len(pmf))
        arrows = np.pad(arrows, ((0, 0), (0, size - arrows.shape[1])))
        pmf = np.pad(pmf, (0, size - len(pmf)))
        below = np.concatenate(([0.0], np.cumsum(pmf)[:-1]))  # P(ghost < v)
        chances = arrows @ below + (arrows @ pmf) / 2
        return float(weights.sum(axis=1) @ chances)
    total = 0.0
    for p_archer, archer_sigma in mine.spreads():
        a2 = (archer_sigma * archer_sigma)[:, None]
        for p_ghost, ghost_sigma in theirs.spreads():
            g2 = (ghost_sigma * ghost_sigma)[None, :]
            total += p_archer * p_ghost * float(np.sum(weights * (g2 / (a2 + g2))))
    return total


def step_both(mine: GhostChain, theirs: GhostChain, weights: Pmf, arrows: int) -> Pmf:
    """Carry joint weights (any leading axes, then the archer's states x the
    ghost's) on past an end of ``arrows`` arrows: the two chains move
    independently."""
    return mine.step(theirs.step(weights, arrows, axis=-1), arrows, axis=-2)


@lru_cache(maxsize=64)
def ghost_chain(ghost: Ghost, rnd: Round) -> GhostChain:
    """The ghost's hidden states on ``rnd`` (cached: a match page asks often)."""
    if ghost.kind in ("minmax", "perfect"):
        return GhostChain(ghost, rnd, None, np.ones(1), 1)
    # A replayed past round counts as a steady archer of the level it earned:
    # the odds do not peek at the arrows to come.
    var = ghost.variability()
    if ghost.model == 1 or not ghost.shoots_arrows:
        base = ghost.base_handicap(rnd)
    else:
        assert ghost.handicap is not None
        base = odds_base_handicap(ghost.handicap, ghost.scheme, var, rnd)
    if var.form:
        nodes = V1_FORM_NODES if ghost.model == 1 else FORM_NODES
        z, form_weights = _hermite(nodes)
        form = var.form * z
    else:
        form, form_weights = np.zeros(1), np.ones(1)
    if var.drift:
        count = DRIFT_NODES
        drift = var.drift * np.sqrt(count - 1) * np.linspace(-1.0, 1.0, count)
        drift_weights = _binomial(count)
    else:
        count, drift, drift_weights = 1, np.zeros(1), np.ones(1)
    levels = clip(base + form[:, None] + drift[None, :], ghost.scheme).ravel()
    prior = (form_weights[:, None] * drift_weights[None, :]).ravel()
    return GhostChain(ghost, rnd, levels, prior, count)


@lru_cache(maxsize=256)
def first_ends_totals(ghost: Ghost, rnd: Round) -> tuple[Pmf, ...]:
    """:meth:`GhostChain.first_ends_pmfs` of the ghost on ``rnd``, kept: a
    ghost night's leaderboard asks, for every member after every end, what an
    archer of their level expects over the ends they have shot."""
    return ghost_chain(ghost, rnd).first_ends_pmfs()


def ends_holding(rnd: Round, arrows: int) -> int:
    """How many of the round's first ends hold ``arrows`` arrows (all of its
    ends, at most)."""
    shot = ends = 0
    for _, size in rnd.end_plan():
        if shot >= arrows:
            break
        shot += size
        ends += 1
    return ends


def first_ends_total_pmf(ghost: Ghost, rnd: Round, arrows: int) -> Pmf:
    """The distribution of the ghost's total over the first whole ends of
    ``rnd`` that hold ``arrows`` arrows (all of the round's, at most)."""
    ends = ends_holding(rnd, arrows)
    return first_ends_totals(ghost, rnd)[ends - 1] if ends else np.ones(1)


def match_round_at(distance: Distance) -> Round:
    """The elimination match shot at ``distance``: 5 ends of 3 arrows."""
    return Round(
        "match",
        "match",
        (replace(distance, arrows=SETS * SET_ARROWS),),
        SET_ARROWS,
    )


def ghost_round_pmf(ghost: Ghost, rnd: Round) -> Pmf:
    """The distribution of the ghost's total on a round, unsteadiness included."""
    chain = ghost_chain(ghost, rnd)
    return chain.totals(chain.prior, 0).sum(axis=0)


# -- the match formats --------------------------------------------------------


@dataclass(frozen=True)
class Opponents:
    """The archer in one match: at ``archer_handicap`` on ``scheme``, modelled
    as a ghost of their ``bow`` and level (the current model's form, drift and
    bad arrows, or their own ``form`` and ``drift``: see ``spread``) unless
    ``steady``, when they shoot the plain handicap model."""

    distance: Distance
    archer_handicap: float
    scheme: str
    bow: str = "recurve"
    steady: bool = False
    form: float | None = None
    drift: float | None = None

    @property
    def archer(self) -> Ghost:
        """The archer as the odds see them: a ghost of their level and bow."""
        return archer_ghost(
            self.archer_handicap,
            self.scheme,
            self.bow,
            self.steady,
            self.form,
            self.drift,
        )


def archer_ghost(
    handicap: float,
    scheme: str,
    bow: str,
    steady: bool = False,
    form: float | None = None,
    drift: float | None = None,
) -> Ghost:
    """The archer as the odds model them: a ghost of their level and bow,
    steady, with the population's spread or with their own."""
    if steady:
        return Ghost.from_handicap(handicap, scheme, bow=bow, steady=True)
    return Ghost.from_handicap(handicap, scheme, form, bow=bow, drift=drift)


def _match_chain(opponents: Opponents, ghost: Ghost, rnd: Round | None) -> GhostChain:
    return ghost_chain(ghost, rnd or match_round_at(opponents.distance))


def _chains(
    opponents: Opponents, ghost: Ghost, rnd: Round | None
) -> tuple[GhostChain, GhostChain]:
    """The archer's chain and the ghost's, on the same round."""
    theirs = _match_chain(opponents, ghost, rnd)
    return ghost_chain(opponents.archer, theirs.round), theirs


def _joint(
    mine: GhostChain,
    theirs: GhostChain,
    archer_shown: Sequence[Shown],
    ghost_shown: Sequence[Shown],
) -> Pmf:
    """The joint weights of both sides' states for the next end."""
    return np.outer(mine.next_weights(archer_shown), theirs.next_weights(ghost_shown))


def _padded(a: Pmf, b: Pmf) -> tuple[Pmf, Pmf]:
    """Both with as many columns (totals) as the wider."""
    size = max(a.shape[-1], b.shape[-1])
    pad = [(0, 0)] * (a.ndim - 1)
    return (
        np.pad(a, [*pad, (0, size - a.shape[-1])]),
        np.pad(b, [*[(0, 0)] * (b.ndim - 1), (0, size - b.shape[-1])]),
    )


def set_match_odds(
    opponents: Opponents,
    ghost: Ghost,
    *,
    archer_points: int = 0,
    ghost_points: int = 0,
    sets_shot: int = 0,
    ghost_shown: Sequence[Shown] = (),
    archer_shown: Sequence[Shown] = (),
    rnd: Round | None = None,
) -> Odds:
    """World Archery's set system from any state: 3-arrow sets, 2 points to the
    winner of a set and 1 each for a tie, first to 6; at 5-5 a shoot-off.
    ``rnd`` is the match's round (default: 15 arrows at the opponents'
    distance); ``*_shown``: each side's ends so far (none: nothing learnt)."""
    if archer_points >= 6 and ghost_points < 6:
        return Odds(1.0, 0.0, 0.0)
    if ghost_points >= 6:
        return Odds(0.0, 1.0, 0.0)
    mine, theirs = _chains(opponents, ghost, rnd)
    archer_set, ghost_set = _padded(
        mine.end_pmfs(0, SET_ARROWS), theirs.end_pmfs(0, SET_ARROWS)
    )
    # Per pair of states (archer's rows, ghost's columns): the set's outcome.
    above = 1.0 - np.cumsum(archer_set, axis=1)  # P(archer > t)
    p_win = above @ ghost_set.T
    p_tie = archer_set @ ghost_set.T
    p_loss = 1.0 - p_win - p_tie
    states = {
        (archer_points, ghost_points): _joint(mine, theirs, archer_shown, ghost_shown)
    }
    win = shoot_off = 0.0
    for number in range(sets_shot, SETS):
        following: dict[tuple[int, int], Pmf] = {}
        for (x, y), weights in states.items():
            for (dx, dy), p in (((2, 0), p_win), ((1, 1), p_tie), ((0, 2), p_loss)):
                key = (x + dx, y + dy)
                moved = weights * p
                following[key] = following[key] + moved if key in following else moved
        states = {}
        for (x, y), weights in following.items():
            if x >= 6 and y < 6:
                win += float(weights.sum())
            elif y < 6:
                states[(x, y)] = weights
        if number < SETS - 1 and states:
            keys = list(states)
            moved = step_both(mine, theirs, np.stack(list(states.values())), SET_ARROWS)
            states = dict(zip(keys, moved, strict=True))
    for (x, y), weights in states.items():
        if x == y == 5:
            at_shoot_off = step_both(mine, theirs, weights, SET_ARROWS)
            shoot_off += float(weights.sum())
            win += shoot_off_win(mine, theirs, at_shoot_off)
    return Odds(win, 1.0 - win, shoot_off)


def _remaining(chain: GhostChain, shown: Sequence[Shown], total: int) -> Pmf:
    """Joint (state at the last end, the final total) after ``shown``, with
    ``total`` scored so far."""
    joint = chain.totals(chain.next_weights(shown), len(shown))
    return np.concatenate((np.zeros((joint.shape[0], total)), joint), axis=1)


def _as_shot(chain: GhostChain, shown: Sequence[Shown], ends_left: int) -> list[Shown]:
    """The ends shown, or as many ends that showed nothing when the caller
    gave no history (odds from a state told, not a match)."""
    shot = chain.round.ends - ends_left
    return list(shown) if len(shown) == shot else [[] for _ in range(shot)]


def _on_total(
    mine: GhostChain, theirs: GhostChain, archer: Pmf, ghost: Pmf
) -> tuple[float, float, float]:
    """From both sides' joint (state at the last end, final total): the
    chance the archer's total is higher, the chance of a tie, and the chance
    of winning the shoot-off that follows a tie."""
    archer, ghost = _padded(archer, ghost)
    win, tie, _ = compare(archer.sum(axis=0), ghost.sum(axis=0))
    ties = archer @ ghost.T  # P(tie, archer's state, ghost's state)
    at_shoot_off = step_both(mine, theirs, ties, SET_ARROWS)
    return win, tie, shoot_off_win(mine, theirs, at_shoot_off)


def cumulative_match_odds(
    opponents: Opponents,
    ghost: Ghost,
    *,
    archer_total: int = 0,
    ghost_total: int = 0,
    arrows_left: int = 15,
    ghost_shown: Sequence[Shown] = (),
    archer_shown: Sequence[Shown] = (),
    rnd: Round | None = None,
) -> Odds:
    """The compound match: 15 arrows (5 ends of 3), highest total; a tie goes to
    a shoot-off."""
    mine, theirs = _chains(opponents, ghost, rnd)
    ends_left = -(-arrows_left // SET_ARROWS)
    win, tie, shoot_off = _on_total(
        mine,
        theirs,
        _remaining(mine, _as_shot(mine, archer_shown, ends_left), archer_total),
        _remaining(theirs, _as_shot(theirs, ghost_shown, ends_left), ghost_total),
    )
    return Odds(win + shoot_off, 1.0 - win - shoot_off, tie)


def round_odds(
    rnd: Round,
    archer_handicap: float,
    ghost: Ghost,
    scheme: str,
    *,
    steady: bool = False,
    form: float | None = None,
    drift: float | None = None,
) -> Odds:
    """A ranking round, archer against ghost on total, the archer modelled as
    a ghost of the ghost's bow at their level (``steady``: the plain model;
    ``form``, ``drift``: their own spread). ``shoot_off`` here is the chance
    of a tie on total (WA then looks at 10s and Xs); a tie counts half."""
    archer = archer_ghost(archer_handicap, scheme, ghost.bow, steady, form, drift)
    w, tie, _ = compare(ghost_round_pmf(archer, rnd), ghost_round_pmf(ghost, rnd))
    return Odds(w + tie / 2, 1.0 - w - tie / 2, tie)


def needed_in_set(
    opponents: Opponents,
    ghost: Ghost,
    *,
    archer_points: int,
    ghost_points: int,
    ghost_shown: Sequence[Sequence[int]] = (),
    confidence: float = 0.5,
    rnd: Round | None = None,
) -> dict[str, int | None]:
    """The set totals the archer needs this set: ``to_win_set``, the lowest total
    that wins the set at least ``confidence`` of the time; ``to_stay_in``, the
    lowest that keeps the match alive that often when the ghost could win it on
    this set (None when it cannot)."""
    chain = _match_chain(opponents, ghost, rnd)
    weights = chain.next_weights(ghost_shown)
    ghost_set = weights @ chain.end_pmfs(0, SET_ARROWS)
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
    rnd: Round | None = None,
) -> int | None:
    """The lowest total over the archer's remaining arrows that wins (a tie
    counting half) at least ``confidence`` of the time; None if none does."""
    chain = _match_chain(opponents, ghost, rnd)
    shown = _as_shot(chain, ghost_shown, -(-arrows_left // SET_ARROWS))
    rest = chain.totals(chain.next_weights(shown), len(shown)).sum(axis=0)
    top = arrows_left * opponents.distance.face.max_value
    lead = archer_total - ghost_total
    cdf = np.cumsum(rest)
    for total in range(top + 1):
        margin = total + lead  # the archer wins if the ghost scores below this
        below = cdf[min(margin, len(rest)) - 1] if margin > 0 else 0.0
        tie = rest[margin] if 0 <= margin < len(rest) else 0.0
        if below + tie / 2 >= confidence:
            return total
    return None


def archer_shown(match: Match) -> list[Shown]:
    """What the archer's ends showed, end by end: their arrows' values, or
    the total of an end entered as a total."""
    return [
        end.total if end.declared is not None else [a.value for a in end.arrows]
        for end in match.archer_ends
    ]


def opponents_in(
    match: Match,
    archer_handicap: float,
    scheme: str | None = None,
    steady: bool | None = None,
) -> Opponents:
    """The archer as the odds of ``match`` see them (see ``live_odds``)."""
    archer = match.archer
    return Opponents(
        match.round.distances[-1],
        archer_handicap,
        scheme or match.ghost.scheme,
        match.ghost.bow,
        archer.steady if steady is None else steady,
        archer.form,
        archer.drift,
    )


def live_odds(
    match: Match,
    archer_handicap: float,
    scheme: str | None = None,
    *,
    steady: bool | None = None,
) -> Odds:
    """The archer's chances from the match's current state, knowing both
    sides' ends shown so far but not the ones to come. The archer is a ghost
    of the match's bow at ``archer_handicap`` (on the ghost's scheme unless
    ``scheme`` says otherwise), steady if ``steady`` (default: as the match
    says), with the spread the match keeps for them (their own, or the
    population's)."""
    scheme = scheme or match.ghost.scheme
    verdict = match.verdict()
    if verdict.finished:
        win = {"won": 1.0, "tied": 0.5}.get(verdict.status, 0.0)
        return Odds(win, 1.0 - win, 0.0)
    opponents = opponents_in(match, archer_handicap, scheme, steady)
    ghost_ends: list[Shown] = list(match.ghost_values_shown)
    archer_ends = archer_shown(match)
    if verdict.status == "shoot_off":
        mine, theirs = _chains(opponents, match.ghost, match.round)
        weights = _joint(
            mine,
            theirs,
            archer_ends + [[s.archer.value] for s in match.shoot_offs],
            ghost_ends + [[s.ghost.value] for s in match.shoot_offs],
        )
        p = shoot_off_win(mine, theirs, weights)
        return Odds(p, 1.0 - p, 1.0)
    if match.kind == "set":
        return set_match_odds(
            opponents,
            match.ghost,
            archer_points=verdict.archer_points or 0,
            ghost_points=verdict.ghost_points or 0,
            sets_shot=match.ends_shot,
            ghost_shown=ghost_ends,
            archer_shown=archer_ends,
            rnd=match.round,
        )
    arrows_left = sum(size for _, size in match.round.end_plan()[match.ends_shot :])
    if match.kind == "cumulative":
        return cumulative_match_odds(
            opponents,
            match.ghost,
            archer_total=match.archer_tally().total,
            ghost_total=match.ghost_tally().total,
            arrows_left=arrows_left,
            ghost_shown=ghost_ends,
            archer_shown=archer_ends,
            rnd=match.round,
        )
    mine, theirs = _chains(opponents, match.ghost, match.round)
    archer = _remaining(mine, archer_ends, match.archer_tally().total).sum(axis=0)
    ghost = _remaining(theirs, ghost_ends, match.ghost_tally().total).sum(axis=0)
    w, tie, _ = compare(archer, ghost)
    return Odds(w + tie / 2, 1.0 - w - tie / 2, tie)
