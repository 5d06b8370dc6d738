"""Handicaps: an archer's level as a spread of arrows, and so as scores.

The schemes are archeryutils' (Archery GB's and Archery Australia's). Each gives
the group spread ``sigma`` at a distance; an arrow's distance from the centre
then follows P(d > t) = exp(-(t / sigma)^2) (Lane 2013; Atkinson 2023), so a
zone whose outer edge, plus the arrow's radius for line cutters, is t from the
centre is hit or bettered with probability 1 - exp(-(t / sigma)^2). The
expected scores these give are exactly archeryutils'.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from functools import cache, lru_cache

import numpy as np
import numpy.typing as npt
from archeryutils import handicaps as hc

from .constants import DEFAULT_SCHEME, SCHEMES
from .faces import Face
from .rounds import Distance, Round


class HandicapError(ValueError):
    """A handicap or score that cannot be used, with the range that can."""


@cache
def scheme(name: str = DEFAULT_SCHEME) -> hc.HandicapScheme:
    if name not in SCHEMES:
        raise HandicapError(
            f"Unknown handicap scheme {name!r}: choose one of {', '.join(SCHEMES)}."
        )
    return hc.handicap_scheme(name)


def bounds(scheme_name: str) -> tuple[float, float]:
    """The handicap range, best first (AGB: -75 is best; AA: 175 is best)."""
    low, high = (float(b) for b in scheme(scheme_name).scale_bounds)
    return (low, high) if scheme(scheme_name).desc_scale else (high, low)


def check_handicap(handicap: float, scheme_name: str) -> float:
    best, worst = bounds(scheme_name)
    low, high = min(best, worst), max(best, worst)
    if not (math.isfinite(handicap) and low <= handicap <= high):
        raise HandicapError(
            f"Handicap {handicap:g} is outside the {scheme_name} scale"
            f" ({best:g} best to {worst:g} worst)."
        )
    return float(handicap)


def sigma(handicap: float, metres: float, scheme_name: str = DEFAULT_SCHEME) -> float:
    """The group spread, in metres, of that handicap at that distance."""
    return float(scheme(scheme_name).sigma_r(handicap, metres))


def arrow_radius(
    indoor: bool,
    scheme_name: str = DEFAULT_SCHEME,
    arrow_diameter: float | None = None,
) -> float:
    """Half the arrow's diameter, in metres: the archer's own arrows when their
    diameter is known (``arrow_diameter``, metres, archeryutils' ``arw_d``),
    else the scheme's standard indoor or outdoor arrow."""
    if arrow_diameter is not None:
        return arrow_diameter / 2
    s = scheme(scheme_name)
    return (s.arw_d_in if indoor else s.arw_d_out) / 2


def zone_thresholds(
    face: Face, spread: float, radius: float
) -> npt.NDArray[np.float64]:
    """For each zone, the chance an arrow lands outside it: exp(-((R + r)/sigma)^2).

    Decreasing from the centre out and ending with 0 for the (infinite) miss, so
    an arrow whose uniform draw ``u`` has ``k`` thresholds above it scores in
    zone ``k``.
    """
    edges = np.array([zone.radius for zone in face.zones[:-1]]) + radius
    return np.append(np.exp(-((edges / spread) ** 2)), 0.0)


def zone_probabilities(
    face: Face, spread: float, radius: float
) -> npt.NDArray[np.float64]:
    """The probability of each zone of the face, the miss last; they sum to 1."""
    outside = zone_thresholds(face, spread, radius)
    inside = 1.0 - outside
    return np.diff(inside, prepend=0.0)


def level_probabilities(
    distance: Distance, levels: npt.ArrayLike, scheme_name: str = DEFAULT_SCHEME
) -> npt.NDArray[np.float64]:
    """Zone probabilities (columns, the miss last) at each of many handicaps
    (rows) at one distance: ``zone_probabilities`` for a whole array at once."""
    spread = scheme(scheme_name).sigma_r(np.atleast_1d(levels), distance.metres)
    edges = np.array([zone.radius for zone in distance.face.zones[:-1]])
    edges = edges + arrow_radius(distance.indoor, scheme_name)
    outside = np.exp(-((edges[None, :] / spread[:, None]) ** 2))
    inside = 1.0 - np.concatenate((outside, np.zeros((len(spread), 1))), axis=1)
    return np.diff(inside, axis=1, prepend=0.0)


def distance_probabilities(
    distance: Distance,
    handicap: float,
    scheme_name: str = DEFAULT_SCHEME,
    arrow_diameter: float | None = None,
) -> npt.NDArray[np.float64]:
    return zone_probabilities(
        distance.face,
        sigma(handicap, distance.metres, scheme_name),
        arrow_radius(distance.indoor, scheme_name, arrow_diameter),
    )


def expected_arrow(
    distance: Distance,
    handicap: float,
    scheme_name: str = DEFAULT_SCHEME,
    arrow_diameter: float | None = None,
) -> float:
    values = np.array([zone.value for zone in distance.face.zones], dtype=float)
    chances = distance_probabilities(distance, handicap, scheme_name, arrow_diameter)
    return float(values @ chances)


def expected_score(
    rnd: Round,
    handicap: float,
    scheme_name: str = DEFAULT_SCHEME,
    arrow_diameter: float | None = None,
) -> float:
    """The mean score of the round at that handicap (not rounded); with the
    archer's arrow diameter (metres) when it is known: a fatter arrow cuts
    more lines, so the same handicap scores more."""
    return sum(
        d.arrows * expected_arrow(d, handicap, scheme_name, arrow_diameter)
        for d in rnd.distances
    )


def handicap_for_score(
    rnd: Round,
    score: float,
    scheme_name: str = DEFAULT_SCHEME,
    arrow_diameter: float | None = None,
) -> float:
    """The handicap whose expected score on the round is exactly ``score``
    (with arrows of ``arrow_diameter`` metres, or the scheme's standard ones).

    Expected score falls steadily from the best handicap to the worst, so
    bisection on the scale finds it to within 1e-9 handicap points.
    """
    best, worst = bounds(scheme_name)
    top, bottom = (
        expected_score(rnd, best, scheme_name, arrow_diameter),
        expected_score(rnd, worst, scheme_name, arrow_diameter),
    )
    if not (math.isfinite(score) and bottom <= score <= top):
        raise HandicapError(
            f"A score of {score:g} on {rnd.name} is out of reach: the {scheme_name}"
            f" scale covers {bottom:.1f} to {top:.1f} (the maximum is {rnd.max_score})."
        )
    return solve(
        lambda h: expected_score(rnd, h, scheme_name, arrow_diameter),
        score,
        (best, worst),
        1e-9,
        200,
    )


@lru_cache(maxsize=4096)
def handicap_earned(
    rnd: Round,
    score: float,
    scheme_name: str = DEFAULT_SCHEME,
    arrow_diameter: float | None = None,
) -> float:
    """The handicap a score on the round earns: ``handicap_for_score``, with
    scores beyond the scale's reach (a perfect round, a blank) at its ends.
    ``arrow_diameter``: the archer's arrows, in metres (None: the scheme's)."""
    best, worst = bounds(scheme_name)
    top = expected_score(rnd, best, scheme_name, arrow_diameter)
    bottom = expected_score(rnd, worst, scheme_name, arrow_diameter)
    clipped = min(max(score, bottom + 1e-6), top - 1e-6)
    return handicap_for_score(rnd, clipped, scheme_name, arrow_diameter)


def solve(
    falling: Callable[[float], float],
    target: float,
    scale: tuple[float, float],
    tolerance: float,
    steps: int,
) -> float:
    """Where on the handicap ``scale`` (best, worst) a quantity that falls from
    the best end to the worst (an expected score, a chance of reaching a
    score) comes down to ``target``: bisection, to within ``tolerance``
    handicap points or ``steps`` halvings (tolerance 0: all of them)."""
    best, worst = scale
    for _ in range(steps):
        middle = (best + worst) / 2
        if falling(middle) >= target:
            best = middle
        else:
            worst = middle
        if abs(worst - best) < tolerance:
            break
    return (best + worst) / 2


def handicap_from_scores(
    scores: Sequence[tuple[Round, float]],
    scheme_name: str = DEFAULT_SCHEME,
    method: str = "average",
) -> float:
    """An archer's handicap from past round totals, oldest first: the mean of
    each score's handicap, the best of them (``method="best"``), or the mean
    of the last five (``"last5"``)."""
    if not scores:
        raise HandicapError("At least one past score is needed.")
    if method not in ("average", "best", "last5"):
        raise HandicapError(
            f"Unknown method {method!r}: use 'average', 'best' or 'last5'."
        )
    handicaps = [handicap_earned(rnd, s, scheme_name) for rnd, s in scores]
    if method == "best":
        return min(handicaps) if scheme(scheme_name).desc_scale else max(handicaps)
    return float(np.mean(handicaps[-5:] if method == "last5" else handicaps))
