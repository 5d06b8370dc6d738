"""The chart helper's sums: nice ticks, scales, points and bars."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ghost_simulator.web.common import charts

#: About the charts' sums: not run again on PostgreSQL.
pytestmark = pytest.mark.database_agnostic


@pytest.mark.parametrize(
    ("value", "round_it", "expected"),
    [
        (1.0, False, 1.0),
        (1.2, False, 2.0),
        (3.0, False, 5.0),
        (7.0, False, 10.0),
        (0.03, False, 0.05),
        (1.2, True, 1.0),
        (2.5, True, 2.0),
        (4.0, True, 5.0),
        (8.0, True, 10.0),
        (120.0, True, 100.0),
    ],
)
def test_nice_number(value: float, round_it: bool, expected: float) -> None:
    assert charts.nice_number(value, round_it) == pytest.approx(expected)


def test_nice_ticks_examples() -> None:
    assert charts.nice_ticks(0, 1) == [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
    assert charts.nice_ticks(512, 589) == [500, 520, 540, 560, 580, 600]
    assert charts.nice_ticks(-12, 31) == [-20, -10, 0, 10, 20, 30, 40]


def test_nice_ticks_of_one_value_spread_around_it() -> None:
    ticks = charts.nice_ticks(560, 560)
    assert ticks[0] < 560 < ticks[-1]
    assert charts.nice_ticks(0, 0)[0] < 0 < charts.nice_ticks(0, 0)[-1]


def test_nice_ticks_refuse_infinities() -> None:
    with pytest.raises(ValueError, match="finite"):
        charts.nice_ticks(0, math.inf)


@given(
    st.floats(-1000, 1000, allow_nan=False),
    st.floats(0, 1000, allow_nan=False),
)
def test_nice_ticks_cover_the_range_evenly(low: float, width: float) -> None:
    high = low + width
    ticks = charts.nice_ticks(low, high)
    assert ticks[0] <= low + 1e-9
    assert ticks[-1] >= high - 1e-9
    assert 2 <= len(ticks) <= 12
    steps = [b - a for a, b in itertools.pairwise(ticks)]
    assert steps == pytest.approx([steps[0]] * len(steps), rel=1e-3)


def test_scale_maps_both_ways() -> None:
    down = charts.Scale(0, 10, 200, 0)  # an SVG's y: up is smaller
    assert down(0) == 200
    assert down(10) == 0
    assert down(2.5) == 150
    flat = charts.Scale(5, 5, 0, 100)
    assert flat(5) == 50


@pytest.mark.parametrize(
    ("count", "most", "expected"),
    [
        (0, 6, []),
        (1, 6, [0]),
        (6, 6, [0, 1, 2, 3, 4, 5]),
        (21, 6, [0, 4, 8, 12, 16, 20]),
        (100, 6, [0, 20, 40, 60, 80, 99]),
        (14, 13, [0, 2, 4, 6, 8, 10, 13]),
    ],
)
def test_spread_indices(count: int, most: int, expected: list[int]) -> None:
    assert charts.spread_indices(count, most) == expected


def test_line_chart_places_points_inside_the_plot() -> None:
    chart = charts.line_chart(
        [540, 560, 551], ["a", "b", "c"], x_labels=["1 May", "2 May", "3 May"]
    )
    plot = chart.plot
    xs = [p.x for p in chart.points]
    assert xs == sorted(xs)
    assert xs[0] == plot.left
    assert xs[-1] == plot.right
    for point in chart.points:
        assert plot.top <= point.y <= plot.bottom
    best = min(chart.points, key=lambda p: p.y)
    assert best.label == "b"  # the highest score is highest on the chart
    assert chart.path.startswith("M")
    assert chart.path.count("L") == 2
    assert [t.label for t in chart.x_ticks] == ["1 May", "2 May", "3 May"]
    assert [t.label for t in chart.y_ticks] == ["540", "545", "550", "555", "560"]


def test_inverted_line_chart_puts_the_lowest_value_on_top() -> None:
    chart = charts.line_chart([40, 30, 35], ["40", "30", "35"], invert=True)
    top = min(chart.points, key=lambda p: p.y)
    assert top.label == "30"


def test_fixed_range_and_guides() -> None:
    chart = charts.line_chart(
        [0.5, 1.0], ["start", "end"], y_range=(0.0, 1.0), guides=(0.5, 2.0)
    )
    plot = chart.plot
    assert chart.points[1].y == plot.top
    assert chart.points[0].y == pytest.approx((plot.top + plot.bottom) / 2)
    assert len(chart.guides) == 1  # 2.0 is off the chart
    assert chart.y_ticks[0].label == "0"
    assert chart.y_ticks[-1].label == "1"


def test_one_point_sits_in_the_middle() -> None:
    chart = charts.line_chart([560], ["560"])
    assert chart.points[0].x == pytest.approx((chart.plot.left + chart.plot.right) / 2)


def test_line_chart_checks_its_labels() -> None:
    with pytest.raises(ValueError, match="label"):
        charts.line_chart([1, 2], ["one"])
    with pytest.raises(ValueError, match="place"):
        charts.line_chart([1, 2], ["one", "two"], x_labels=["1"])


def test_bar_chart() -> None:
    chart = charts.bar_chart(
        [("X", 12), ("10", 30), ("9", 18), ("M", 0)],
        titles=["X: 12", "10: 30", "9: 18", "M: 0"],
    )
    plot = chart.plot
    tallest = max(chart.bars, key=lambda b: b.height)
    assert tallest.label == "10"
    assert tallest.y >= plot.top
    for bar in chart.bars:
        assert bar.y + bar.height == pytest.approx(plot.bottom)
        assert plot.left <= bar.x
        assert bar.x + bar.width <= plot.right
    assert chart.bars[-1].height == 0
    assert chart.bars[0].title == "X: 12"
    lefts = [b.x for b in chart.bars]
    assert lefts == sorted(lefts)
    assert chart.y_ticks[0].label == "0"


def test_bar_chart_of_rates() -> None:
    chart = charts.bar_chart(
        [("30", 0.5), ("40", 1.0)],
        y_range=(0.0, 1.0),
        value_text=lambda v: f"{v:.0%}",
    )
    assert chart.bars[1].y == chart.plot.top
    assert chart.bars[0].text == "50%"
    assert chart.bars[0].title == "30: 50%"


def test_empty_charts_do_not_fail() -> None:
    assert charts.line_chart([], []).points == []
    assert charts.bar_chart([]).bars == []
