"""How unsteady a ghost is: form on the day, drift within the day, bad arrows.

The handicap model alone (``handicaps``) shoots every arrow from the same
spread, so a ghost's totals vary less than a real archer's. Public results of
about 14,000 archer-rounds (Archery GB National Indoors, British university
championships, Nimes, and one arrow-by-arrow event) show three things it
misses, which model version 2 adds:

- **Form on the day**: the archer's handicap for the whole round is their own
  plus a normal offset, 3.0 handicap points (standard deviation) for recurve,
  barebow, longbow and traditional, 2.25 for compound.
- **Drift within the day**: good and bad spells lasting several ends. A
  handicap offset that carries from end to end, an AR(1) process whose
  correlation is 0.91 per arrow (so 0.75 between 3-arrow ends and 0.57
  between 6-arrow ends), with a standard deviation that depends on the level:
  about 2 points for the elite, 3.5 for club and national archers, 4.5 for
  novices. It is held for the arrows of one end.
- **Bad arrows**: about 1 arrow in 300 is shot as if at the handicap + 40,
  below elite level only.

All three lower the mean score (the score falls faster for a worse handicap
than it rises for a better one), so a version 2 ghost shoots from a *base*
handicap fitted so that its mean over many rounds is exactly the table score
of its handicap on the round it shoots: a ghost "at handicap 40" averages
handicap 40's score, and one given a score to beat averages that score.

Levels are read on Archery GB's scale. The ghost's handicap on another scheme
is turned into the Archery GB handicap with the same group size (at 50 m), and
the offsets are turned back into that scheme's points, so an Archery Australia
ghost is exactly as unsteady as the Archery GB ghost of the same level.

Model versions: 1 is the first release's (form only, 2.0 points, no re-fit);
2 is the one above; 3 (the current one) re-splits the day between "today" and
"this spell" against real archers' figures: more form on the day (4.0 points
for recurve, barebow, longbow and traditional, 2.5 for compound) and less
drift within it, shrinking as the level rises (1.75 points for the elite, 3.25
for club and national archers, 4.25 for novices), on the same ramps and with
the same correlation and bad arrows. Their arrows come from the same stream
layout. Stored matches and share links keep the version they were made with,
so their arrows replay unchanged.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np
import numpy.typing as npt

from . import handicaps
from .constants import BOWS, CURRENT_MODEL, MODEL_VERSIONS
from .rounds import Distance, Round

#: Version 1's day-to-day form, for the matches and links made with it.
V1_FORM = 2.0

#: Version 2's day-to-day form (standard deviation, Archery GB handicap
#: points), by bow.
FORM_BY_BOW = {
    "recurve": 3.0,
    "barebow": 3.0,
    "longbow": 3.0,
    "traditional": 3.0,
    "compound": 2.25,
}

#: The correlation of the drift from one arrow to the next.
DRIFT_CORRELATION = 0.91

#: Version 2's drift (standard deviation, AGB points) of the elite, of club
#: and national archers, and of novices.
ELITE_DRIFT, CLUB_DRIFT, NOVICE_DRIFT = 2.0, 3.5, 4.5


@dataclass(frozen=True)
class LevelModel:
    """One model version's form and drift (AGB points): form by bow, drift by
    level (elite, club and national, novice)."""

    form_by_bow: dict[str, float]
    elite_drift: float
    club_drift: float
    novice_drift: float


#: Each version's split of a day, from version 2 on.
LEVEL_MODELS = {
    2: LevelModel(FORM_BY_BOW, ELITE_DRIFT, CLUB_DRIFT, NOVICE_DRIFT),
    3: LevelModel(
        {
            "recurve": 4.0,
            "barebow": 4.0,
            "longbow": 4.0,
            "traditional": 4.0,
            "compound": 2.5,
        },
        1.75,
        3.25,
        4.25,
    ),
}

#: Below this Archery GB handicap an archer of that bow is elite: recurve and
#: compound from the measured results (25 and 12). Barebow, longbow and
#: traditional are this app's assumption: the same distance from the bow's
#: world-class level as recurve (recurve's world records sit near handicap 0,
#: barebow's near 26).
ELITE_BELOW = {
    "recurve": 25.0,
    "compound": 12.0,
    "barebow": 50.0,
    "longbow": 70.0,
    "traditional": 65.0,
}
#: The drift rises from elite to club level over the 10 handicap points below
#: the elite mark, and from club to novice level from 35 to 50 points above it.
ELITE_RAMP = 10.0
NOVICE_FROM, NOVICE_AT = 35.0, 50.0

#: Bad arrows: how often (non-elite), and how much worse (AGB points).
BAD_ARROW_RATE = 0.003
BAD_ARROW_OFFSET = 40.0

#: Quadrature nodes for the base handicap's fit.
FIT_NODES = 32

__all__ = ["CURRENT_MODEL", "MODEL_VERSIONS"]  # kept here for their importers


@dataclass(frozen=True)
class Variability:
    """A ghost's unsteadiness in its own scheme's handicap points. ``bad_offset``
    is signed: positive where a higher handicap is worse (Archery GB)."""

    form: float = 0.0
    drift: float = 0.0
    correlation: float = DRIFT_CORRELATION
    bad_rate: float = 0.0
    bad_offset: float = 0.0

    @property
    def steady(self) -> bool:
        return self.form == 0 and self.drift == 0 and self.bad_rate == 0

    @property
    def spread(self) -> float:
        """The standard deviation of one end's handicap offset (form and drift)."""
        return math.hypot(self.form, self.drift)

    def end_correlation(self, arrows: int) -> float:
        """The drift's correlation between an end of ``arrows`` arrows and the
        next."""
        return float(self.correlation**arrows)

    def to_dict(self) -> dict[str, float]:
        return {
            "form": self.form,
            "drift": self.drift,
            "correlation": self.correlation,
            "bad_rate": self.bad_rate,
            "bad_offset": self.bad_offset,
        }


STEADY = Variability()


def _ramp(x: float, start: float, stop: float) -> float:
    """0 below ``start``, 1 above ``stop``, linear between."""
    return min(max((x - start) / (stop - start), 0.0), 1.0)


def agb_drift(agb_handicap: float, bow: str, model: int = CURRENT_MODEL) -> float:
    """The drift of an archer of that level and bow, in AGB points."""
    levels = LEVEL_MODELS[model]
    over = agb_handicap - ELITE_BELOW[bow]
    elite_to_club = _ramp(over, -ELITE_RAMP, 0.0)
    club_to_novice = _ramp(over, NOVICE_FROM, NOVICE_AT)
    return (
        levels.elite_drift
        + (levels.club_drift - levels.elite_drift) * elite_to_club
        + (levels.novice_drift - levels.club_drift) * club_to_novice
    )


def agb_bad_rate(agb_handicap: float, bow: str) -> float:
    """Bad arrows come in over the same ramp as club-level drift."""
    over = agb_handicap - ELITE_BELOW[bow]
    return BAD_ARROW_RATE * _ramp(over, -ELITE_RAMP, 0.0)


@lru_cache(maxsize=8192)
def agb_equivalent(handicap: float, scheme: str) -> tuple[float, float]:
    """The Archery GB handicap with the same group size at 50 m, and how many
    AGB points one point of ``scheme`` is worth there (signed: negative where
    a higher handicap is better)."""
    if scheme == "AGB":
        return handicap, 1.0

    def agb_for(h: float) -> float:
        """Groups widen from the best handicap to the worst."""
        return handicaps.solve(
            lambda agb: -handicaps.sigma(agb, 50.0, "AGB"),
            -handicaps.sigma(h, 50.0, scheme),
            handicaps.bounds("AGB"),
            1e-9,
            100,
        )

    low, high = sorted(handicaps.bounds(scheme))
    step = 0.5
    here = agb_for(handicap)
    a, b = max(handicap - step, low), min(handicap + step, high)
    slope = (agb_for(b) - agb_for(a)) / (b - a)
    return here, slope


def level_variability(
    handicap: float,
    bow: str,
    scheme: str,
    form: float | None = None,
    model: int = CURRENT_MODEL,
    drift: float | None = None,
) -> Variability:
    """The unsteadiness of a ghost of that handicap and bow under model
    ``model`` (2 or later); ``form`` and ``drift`` override the day-to-day
    form and the drift within the day (in the scheme's points: an archer's
    own spread, see ``spread``)."""
    if bow not in BOWS:
        raise ValueError(f"Unknown bow {bow!r}.")
    if model not in LEVEL_MODELS:
        raise ValueError(f"Model {model} has no level-dependent unsteadiness.")
    agb, slope = agb_equivalent(float(handicap), scheme)
    points = abs(slope)  # AGB points per scheme point
    day = LEVEL_MODELS[model].form_by_bow[bow] / points if form is None else form
    return Variability(
        form=day,
        drift=agb_drift(agb, bow, model) / points if drift is None else drift,
        bad_rate=agb_bad_rate(agb, bow),
        bad_offset=BAD_ARROW_OFFSET / slope,
    )


# -- the mean stays exact ---------------------------------------------------------


@cache
def _normal_nodes(
    count: int,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Gauss-Hermite nodes and weights for a standard normal."""
    x, w = np.polynomial.hermite.hermgauss(count)
    return x * np.sqrt(2.0), w / np.sqrt(np.pi)


def clip(handicap: npt.ArrayLike, scheme: str) -> npt.NDArray[np.float64]:
    low, high = sorted(handicaps.bounds(scheme))
    return np.clip(np.asarray(handicap, dtype=float), low, high)


def expected_score(
    rnd: Round, base: float, scheme: str, variability: Variability
) -> float:
    """The mean score on the round of a ghost shooting from ``base`` with that
    unsteadiness: each arrow's handicap is normal around the base (form and
    drift together), and 1 in ``1 / bad_rate`` is shot at the bad offset."""
    z, w = _normal_nodes(FIT_NODES)
    levels = clip(base + variability.spread * z, scheme)
    bad = clip(levels + variability.bad_offset, scheme)
    total = 0.0
    for distance in rnd.distances:
        values = np.array([zone.value for zone in distance.face.zones], dtype=float)
        good_mean = _arrow_means(distance, levels, scheme, values)
        mean = good_mean
        if variability.bad_rate:
            bad_mean = _arrow_means(distance, bad, scheme, values)
            mean = (1 - variability.bad_rate) * good_mean + (
                variability.bad_rate * bad_mean
            )
        total += distance.arrows * float(w @ mean)
    return total


def _arrow_means(
    distance: Distance,
    levels: npt.NDArray[np.float64],
    scheme: str,
    values: npt.NDArray[np.float64],
) -> npt.NDArray[np.float64]:
    """Each level's mean arrow value at that distance."""
    return handicaps.level_probabilities(distance, levels, scheme) @ values


@lru_cache(maxsize=8192)
def base_handicap(
    handicap: float, scheme: str, variability: Variability, rnd: Round
) -> float:
    """The handicap a version 2 or 3 ghost shoots from on ``rnd``, so that with its
    unsteadiness it averages exactly ``handicap``'s table score there.

    Expected scores fall steadily from the best handicap to the worst, so
    bisection finds it; unsteadiness usually costs points (a better base), but
    near the bottom of the scale, where scores flatten out, it can add some.
    """
    if variability.steady:
        return handicap
    target = handicaps.expected_score(rnd, handicap, scheme)
    best, worst = handicaps.bounds(scheme)
    if expected_score(rnd, best, scheme, variability) <= target:
        return best  # even the best base falls short (near-perfect ghosts)
    if expected_score(rnd, worst, scheme, variability) >= target:
        return worst
    return handicaps.solve(
        lambda h: expected_score(rnd, h, scheme, variability),
        target,
        (best, worst),
        1e-7,
        100,
    )


#: How close the odds' base handicap is fitted (handicap points): far below
#: anything the odds can show, and a few steps of the secant method.
ODDS_TOLERANCE = 1e-6


@lru_cache(maxsize=8192)
def odds_base_handicap(
    handicap: float, scheme: str, variability: Variability, rnd: Round
) -> float:
    """``base_handicap`` for the odds, which only need it to within
    ``ODDS_TOLERANCE``: the secant method from the handicap itself converges
    in four to six expected scores where bisection over the whole scale takes
    about thirty, and the odds meet a new level at every end (the archer's own
    level moves with their arrows). Falls back to ``base_handicap`` when the
    secant steps leave the scale. The ghost's arrows always come from
    ``base_handicap`` itself, so they replay bit for bit."""
    if variability.steady:
        return handicap
    target = handicaps.expected_score(rnd, handicap, scheme)
    best, worst = handicaps.bounds(scheme)
    low, high = sorted((best, worst))

    def gap(h: float) -> float:
        return expected_score(rnd, h, scheme, variability) - target

    # Unsteadiness usually costs points: the base is a little better.
    a, b = handicap, handicap + (0.5 if best > worst else -0.5)
    fa, fb = gap(a), gap(b)
    for _ in range(12):
        if fb == fa:
            break
        a, b, fa = b, b - fb * (b - a) / (fb - fa), fb
        if not low < b < high:
            break
        fb = gap(b)
        if abs(b - a) < ODDS_TOLERANCE:
            return b
    return base_handicap(handicap, scheme, variability, rnd)
