"""Sight marks: where the sight goes for each distance, and the marks for
distances not shot yet, estimated from those that are.

An arrow's drop grows steadily with distance, so the mark an archer sets on
their sight scale moves steadily one way as the distance grows: over the
distances of target archery (5 to 90 m) a straight line or a gentle parabola
through the measured marks describes it well (the "sight curve" of sight-mark
tables and calculators). The curve here is that polynomial, fitted by least
squares: a straight line from two distances, a parabola from four or more
(three distances fit a parabola exactly, leaving nothing to say how sure it
is), and never a curve that turns back between the marks (a parabola that
would is replaced by the line).

How sure an estimate is: the 95 % prediction interval of the fit, from the
scatter of the marks about the curve (Student's t on the residual degrees of
freedom times the standard error of a new reading at that distance; see
e.g. Montgomery, Peck & Vining, *Introduction to Linear Regression
Analysis*, 5th ed., section 2.5). It widens away from the marks. With no
residual freedom (two marks, or three on two distances...) there is an
estimate but no measure of it. Estimates beyond the measured range are made
only a little way out and are flagged; farther, none is given.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

#: One yard in metres (exact, by the international yard of 1959).
YARD = 0.9144
UNITS = ("m", "yd")
#: Fewest distinct distances for a straight line, and for a parabola.
LINE_DISTANCES = 2
PARABOLA_DISTANCES = 4
#: How far beyond the measured distances an estimate is still made (flagged):
#: a quarter of the measured span, and at least this many metres.
REACH_SHARE = 0.25
REACH_MIN_METRES = 5.0

#: Student's t, two-sided 95 % (the 0.975 quantile), for 1 to 30 degrees of
#: freedom; beyond, the normal's 1.96 is within 2 % (standard tables).
_T_975 = (
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
)  # fmt: skip


class SightMarkError(ValueError):
    """Marks that cannot be used (a negative distance, an unknown unit...)."""


def metres(distance: float, unit: str) -> float:
    """A distance in metres, from metres or yards."""
    if unit not in UNITS:
        raise SightMarkError(f"Unknown unit {unit!r}: use 'm' or 'yd'.")
    return distance * YARD if unit == "yd" else float(distance)


def t_quantile(dof: int) -> float:
    """Student's t 0.975 quantile: the half-width of a 95 % interval in
    standard errors, for ``dof`` degrees of freedom (at least 1)."""
    if dof < 1:
        raise SightMarkError("A prediction interval needs a degree of freedom.")
    return _T_975[dof - 1] if dof <= len(_T_975) else 1.96


@dataclass(frozen=True)
class Mark:
    """A measured sight mark: the distance (metres) and the mark's value."""

    distance: float
    value: float


@dataclass(frozen=True)
class Estimate:
    """A mark worked out from the curve at a distance (metres).

    ``margin``: half the 95 % prediction interval (None when the marks leave
    no way to tell); ``extrapolated``: beyond the measured distances."""

    distance: float
    value: float
    margin: float | None
    extrapolated: bool


@dataclass(frozen=True)
class SightCurve:
    """The fitted sight curve: ``value = sum(c[k] * z**k)`` with ``z`` the
    distance centred and scaled, ``z = (d - centre) / scale``."""

    coefficients: tuple[float, ...]
    centre: float
    scale: float
    low: float
    high: float
    #: ``(X^T X)^-1`` of the fit, for the leverage of a new distance.
    inverse: tuple[tuple[float, ...], ...]
    #: The residual standard error, and its degrees of freedom (0: unknown).
    spread: float
    dof: int

    @property
    def degree(self) -> int:
        return len(self.coefficients) - 1

    @property
    def reach(self) -> float:
        """How far beyond the measured range an estimate is still made."""
        return max(REACH_MIN_METRES, REACH_SHARE * (self.high - self.low))

    def value(self, distance: float) -> float:
        z = (distance - self.centre) / self.scale
        return float(sum(c * z**k for k, c in enumerate(self.coefficients)))

    def margin(self, distance: float) -> float | None:
        """Half the 95 % prediction interval for a new mark at ``distance``."""
        if self.dof < 1:
            return None
        z = (distance - self.centre) / self.scale
        row = np.array([z**k for k in range(len(self.coefficients))])
        leverage = float(row @ np.array(self.inverse) @ row)
        return t_quantile(self.dof) * self.spread * math.sqrt(1.0 + max(leverage, 0))

    def within_reach(self, distance: float) -> bool:
        return self.low - self.reach <= distance <= self.high + self.reach

    def estimate(self, distance: float) -> Estimate | None:
        """The mark at ``distance`` (metres), or None when that is too far
        from the measured marks to say."""
        if not self.within_reach(distance):
            return None
        return Estimate(
            distance,
            self.value(distance),
            self.margin(distance),
            extrapolated=not self.low <= distance <= self.high,
        )


def _design(z: npt.NDArray[np.float64], degree: int) -> npt.NDArray[np.float64]:
    return np.vander(z, degree + 1, increasing=True)


def _fit(
    d: npt.NDArray[np.float64], v: npt.NDArray[np.float64], degree: int
) -> SightCurve:
    centre = float((d.min() + d.max()) / 2)
    scale = float(max((d.max() - d.min()) / 2, 1e-9))
    x = _design((d - centre) / scale, degree)
    coefficients, *_ = np.linalg.lstsq(x, v, rcond=None)
    residuals = v - x @ coefficients
    dof = len(v) - (degree + 1)
    spread = float(math.sqrt(float(residuals @ residuals) / dof)) if dof > 0 else 0.0
    inverse = np.linalg.inv(x.T @ x)
    return SightCurve(
        coefficients=tuple(float(c) for c in coefficients),
        centre=centre,
        scale=scale,
        low=float(d.min()),
        high=float(d.max()),
        inverse=tuple(tuple(float(c) for c in r) for r in inverse),
        spread=spread,
        dof=max(dof, 0),
    )


def _turns_back(curve: SightCurve) -> bool:
    """Does the parabola's slope change sign between the measured distances?"""
    if curve.degree < 2:
        return False
    _, b, c = curve.coefficients[:3]
    # dv/dz = b + 2cz, z from -1 (the nearest mark) to 1 (the farthest).
    left, right = b - 2 * c, b + 2 * c
    return left * right < 0


def fit(marks: Iterable[Mark]) -> SightCurve | None:
    """The sight curve through the marks, or None below two distinct
    distances ("not enough marks"). Several marks at one distance all count
    (their scatter is part of how sure the curve is)."""
    points = list(marks)
    for mark in points:
        if not (math.isfinite(mark.distance) and math.isfinite(mark.value)):
            raise SightMarkError("Sight marks are finite numbers.")
        if mark.distance <= 0:
            raise SightMarkError("A distance is more than 0.")
    d = np.array([m.distance for m in points], dtype=float)
    v = np.array([m.value for m in points], dtype=float)
    distinct = len(np.unique(d))
    if distinct < LINE_DISTANCES:
        return None
    if distinct >= PARABOLA_DISTANCES:
        curve = _fit(d, v, 2)
        if not _turns_back(curve):
            return curve
    return _fit(d, v, 1)


def estimates(curve: SightCurve | None, distances: Sequence[float]) -> list[Estimate]:
    """The estimated marks at each of ``distances`` (metres) the curve
    reaches, in their order."""
    if curve is None:
        return []
    found = (curve.estimate(distance) for distance in distances)
    return [estimate for estimate in found if estimate is not None]
