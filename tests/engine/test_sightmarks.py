"""The sight curve: exact data is recovered, monotonic marks stay monotonic
between them, and the estimate's uncertainty grows away from the marks."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ghost_simulator.engine import sightmarks
from ghost_simulator.engine.sightmarks import Mark, SightMarkError, fit

distances = st.lists(
    st.integers(min_value=5, max_value=90), min_size=2, max_size=8, unique=True
).map(sorted)


@given(distances, st.floats(-50, 50), st.floats(-2, 2))
def test_marks_on_a_line_are_recovered_exactly(
    ds: list[int], intercept: float, slope: float
) -> None:
    curve = fit(Mark(d, intercept + slope * d) for d in ds)
    assert curve is not None
    for d in range(ds[0], ds[-1] + 1):
        assert curve.value(d) == pytest.approx(intercept + slope * d, abs=1e-6)


@given(
    st.lists(st.integers(5, 90), min_size=4, max_size=8, unique=True).map(sorted),
    st.floats(0, 10),
    st.floats(0.05, 1),
    st.floats(0.0005, 0.01),
)
def test_a_gentle_parabola_is_recovered_exactly(
    ds: list[int], a: float, b: float, c: float
) -> None:
    # Rising all the way (b + 2cd > 0): a sight curve that does not turn back.
    curve = fit(Mark(d, a + b * d + c * d * d) for d in ds)
    assert curve is not None
    assert curve.degree == 2
    for d in ds:
        assert curve.value(d) == pytest.approx(a + b * d + c * d * d, abs=1e-6)
    assert curve.margin(ds[0]) == pytest.approx(0, abs=1e-5)


@given(distances, st.lists(st.floats(0.01, 5), min_size=8, max_size=8), st.booleans())
def test_monotonic_marks_stay_monotonic_between_them(
    ds: list[int], steps: list[float], falling: bool
) -> None:
    values, total = [], 0.0
    for step in steps[: len(ds)]:
        total += step
        values.append(-total if falling else total)
    curve = fit(Mark(d, v) for d, v in zip(ds, values, strict=True))
    assert curve is not None
    inside = [curve.value(ds[0] + (ds[-1] - ds[0]) * i / 50) for i in range(51)]
    pairs = list(itertools.pairwise(inside))
    if falling:
        assert all(b <= a + 1e-9 for a, b in pairs)
    else:
        assert all(b >= a - 1e-9 for a, b in pairs)


@settings(max_examples=60)
@given(
    st.lists(st.integers(10, 70), min_size=3, max_size=8, unique=True).map(sorted),
    st.lists(st.floats(-0.5, 0.5), min_size=8, max_size=8),
)
def test_uncertainty_grows_away_from_the_marks(
    ds: list[int], noise: list[float]
) -> None:
    marks = [Mark(d, 2 + 0.1 * d + e) for d, e in zip(ds, noise, strict=False)]
    curve = fit(marks)
    assert curve is not None
    assume(curve.dof >= 1 and curve.spread > 1e-6)
    below = [curve.margin(ds[0] - k) for k in range(0, 6)]
    above = [curve.margin(ds[-1] + k) for k in range(0, 6)]
    for side in (below, above):
        assert all(m is not None for m in side)
        assert all(b >= a - 1e-12 for a, b in itertools.pairwise(side))  # type: ignore[operator]
    # Beyond the marks it is always wider than at the nearest one.
    assert below[-1] > below[0]
    assert above[-1] > above[0]


def test_not_enough_marks() -> None:
    assert fit([]) is None
    assert fit([Mark(30, 5.0)]) is None
    assert fit([Mark(30, 5.0), Mark(30, 5.2)]) is None  # one distance twice


def test_two_marks_give_a_line_without_a_measure() -> None:
    curve = fit([Mark(20, 2.0), Mark(40, 4.0)])
    assert curve is not None
    assert curve.degree == 1
    estimate = curve.estimate(30)
    assert estimate is not None
    assert estimate.value == pytest.approx(3.0)
    assert estimate.margin is None
    assert not estimate.extrapolated


def test_far_extrapolation_is_refused_and_near_is_flagged() -> None:
    curve = fit([Mark(30, 3.0), Mark(40, 4.1), Mark(50, 5.0), Mark(60, 6.2)])
    assert curve is not None
    near = curve.estimate(65)  # within a quarter of the 30 m span
    assert near is not None
    assert near.extrapolated
    assert curve.estimate(90) is None
    assert curve.estimate(18) is None
    inside = curve.estimate(45)
    assert inside is not None
    assert not inside.extrapolated
    assert inside.margin is not None
    assert inside.margin > 0


def test_a_curve_that_would_turn_back_becomes_a_line() -> None:
    # Rising marks with a kink: a parabola through them peaks in between.
    curve = fit([Mark(10, 0), Mark(20, 5), Mark(30, 5.1), Mark(40, 5.2), Mark(50, 5.3)])
    assert curve is not None
    values = [curve.value(d) for d in range(10, 51)]
    assert all(b >= a for a, b in itertools.pairwise(values))


def test_prediction_interval_matches_the_textbook_formula() -> None:
    ds, vs = [20.0, 30.0, 40.0, 50.0], [2.1, 2.9, 4.2, 4.8]
    curve = fit([Mark(d, v) for d, v in zip(ds, vs, strict=True)])
    assert curve is not None
    # Four distances fit a parabola; the hand computation follows the same
    # design (1, z, z^2) with dof = 1 and t(0.975, 1) = 12.706.
    import numpy as np

    z = (np.array(ds) - 35) / 15
    x = np.vander(z, 3, increasing=True)
    beta, *_ = np.linalg.lstsq(x, np.array(vs), rcond=None)
    s = math.sqrt(float(np.sum((np.array(vs) - x @ beta) ** 2)) / 1)
    z0 = (45 - 35) / 15
    row = np.array([1, z0, z0 * z0])
    half = 12.706 * s * math.sqrt(1 + row @ np.linalg.inv(x.T @ x) @ row)
    assert curve.margin(45) == pytest.approx(half)


def test_yards_and_bad_marks() -> None:
    assert sightmarks.metres(100, "yd") == pytest.approx(91.44)
    with pytest.raises(SightMarkError):
        sightmarks.metres(10, "ft")
    with pytest.raises(SightMarkError):
        fit([Mark(-5, 1), Mark(10, 2)])
    with pytest.raises(SightMarkError):
        fit([Mark(math.nan, 1), Mark(10, 2)])
    assert sightmarks.t_quantile(1) == pytest.approx(12.706)
    assert sightmarks.t_quantile(100) == pytest.approx(1.96)
