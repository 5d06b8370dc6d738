"""Charts as SVG drawn by the templates: this module only does the sums (scales,
ticks, points), so a chart is data a template lays out, with no script and
no plotting library.

Coordinates are in the SVG's own units (its ``viewBox``); the stylesheet
scales the drawing to the page.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

#: The drawing box, and the margins left for the axes' labels. About a phone's
#: width, so that its 12-unit text reads at about 12 px there.
WIDTH = 400
HEIGHT = 220
MARGIN_LEFT = 44
MARGIN_RIGHT = 12
MARGIN_TOP = 12
MARGIN_BOTTOM = 30


def nice_number(value: float, round_it: bool) -> float:
    """The closest "nice" number (1, 2 or 5 times a power of ten) to ``value``;
    with ``round_it`` the nearest, otherwise the next up (Heckbert, "Nice
    numbers for graph labels", Graphics Gems, 1990)."""
    if value <= 0 or not math.isfinite(value):
        return 1.0
    exponent = math.floor(math.log10(value))
    if not 1e-300 < 10.0**exponent < 1e300:  # beyond what a chart shows
        return value
    fraction = value / 10**exponent
    if round_it:
        steps = ((1.5, 1.0), (3.0, 2.0), (7.0, 5.0))
        nice = next((n for limit, n in steps if fraction < limit), 10.0)
    else:
        steps = ((1.0, 1.0), (2.0, 2.0), (5.0, 5.0))
        nice = next((n for limit, n in steps if fraction <= limit), 10.0)
    return nice * 10**exponent


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """About ``count`` round values spanning ``low`` to ``high`` (the first at
    or below ``low``, the last at or above ``high``)."""
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ValueError("Chart ranges must be finite numbers.")
    if high < low:
        low, high = high, low
    if high - low <= 1e-6 * max(1.0, abs(low), abs(high)):
        # One value (give or take rounding): a range around it.
        pad = abs(low) * 0.02 or 1.0
        low, high = low - pad, high + pad
    span = nice_number(high - low, round_it=False)
    step = nice_number(span / max(1, count - 1), round_it=True)
    first = math.floor(low / step) * step
    last = math.ceil(high / step) * step
    ticks = []
    n = round((last - first) / step)
    for i in range(n + 1):
        value = first + i * step
        # Without the float noise (0.30000000000000004, 5e-17 for 0, -0.0).
        clean = 0.0 if abs(value) < step * 1e-6 else float(f"{value:.12g}")
        ticks.append(clean + 0.0)
    return ticks


@dataclass(frozen=True)
class Scale:
    """A linear map from data values (``low`` .. ``high``) to positions
    (``start`` .. ``end``); ``end`` may be less than ``start`` (an SVG's y runs
    down)."""

    low: float
    high: float
    start: float
    end: float

    def __call__(self, value: float) -> float:
        if self.high == self.low:
            return (self.start + self.end) / 2
        fraction = (value - self.low) / (self.high - self.low)
        return self.start + fraction * (self.end - self.start)


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str  # what the point says, for its tooltip and the data table


@dataclass
class Plot:
    """The plotting area inside the margins."""

    width: float = WIDTH
    height: float = HEIGHT
    left: float = MARGIN_LEFT
    right: float = WIDTH - MARGIN_RIGHT
    top: float = MARGIN_TOP
    bottom: float = HEIGHT - MARGIN_BOTTOM

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width:g} {self.height:g}"


@dataclass
class LineChart:
    plot: Plot
    points: list[Point]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    #: An SVG path through the points ("M x y L x y ...").
    path: str
    #: Horizontal reference lines (position, label), such as 50 %.
    guides: list[Tick] = field(default_factory=list)


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str  # under the bar
    value: float
    text: str  # the value as shown
    title: str  # what the bar says in full (its tooltip)


@dataclass
class BarChart:
    plot: Plot
    bars: list[Bar]
    y_ticks: list[Tick]
    #: Where each bar's label sits under the axis.
    baseline: float


def _fmt(value: float) -> str:
    return f"{value:g}"


def _path(points: Sequence[Point]) -> str:
    return " ".join(
        f"{'M' if i == 0 else 'L'}{p.x:.1f} {p.y:.1f}" for i, p in enumerate(points)
    )


def line_chart(
    values: Sequence[float],
    labels: Sequence[str],
    *,
    x_labels: Sequence[str] | None = None,
    y_range: tuple[float, float] | None = None,
    invert: bool = False,
    y_format: Callable[[float], str] = _fmt,
    guides: Sequence[float] = (),
    max_x_ticks: int = 6,
) -> LineChart:
    """Values in order, evenly spaced across, each with the text its point
    says (``labels``); ``x_labels`` name the positions along the bottom (a
    few of them are shown). ``invert`` puts the lowest value at the top (a
    handicap, where lower is better); ``y_range`` fixes the axis."""
    if len(values) != len(labels):
        raise ValueError("Each value needs its label.")
    if x_labels is not None and len(x_labels) != len(values):
        raise ValueError("Each value needs its place's name.")
    plot = Plot()
    if y_range is not None:
        low, high = y_range
        ticks = [t for t in nice_ticks(low, high) if low <= t <= high]
    else:
        low, high = (min(values), max(values)) if values else (0.0, 1.0)
        ticks = nice_ticks(low, high)
        low, high = ticks[0], ticks[-1]
    # SVG's y runs down: the lowest value at the bottom, or at the top inverted.
    start, end = (plot.top, plot.bottom) if invert else (plot.bottom, plot.top)
    y = Scale(low, high, start, end)
    count = len(values)
    x = Scale(0, max(1, count - 1), plot.left, plot.right)
    points = [
        Point(x(i) if count > 1 else (plot.left + plot.right) / 2, y(v), label)
        for i, (v, label) in enumerate(zip(values, labels, strict=True))
    ]
    names = (
        list(x_labels) if x_labels is not None else [str(i + 1) for i in range(count)]
    )
    return LineChart(
        plot=plot,
        points=points,
        x_ticks=[
            Tick(points[i].x, names[i]) for i in spread_indices(count, max_x_ticks)
        ],
        y_ticks=[Tick(y(t), y_format(t)) for t in ticks],
        path=_path(points),
        guides=[Tick(y(g), y_format(g)) for g in guides if low <= g <= high],
    )


def spread_indices(count: int, most: int) -> list[int]:
    """At most ``most`` of the indices 0 to ``count - 1`` at a regular step,
    always with the first and the last (the one before the last is left out
    when it would crowd it)."""
    if count <= 0:
        return []
    if count <= most:
        return list(range(count))
    if most <= 1:
        return [count - 1]
    step = math.ceil((count - 1) / (most - 1))
    chosen = list(range(0, count, step))
    if chosen[-1] != count - 1:
        if count - 1 - chosen[-1] <= step / 2 and len(chosen) > 1:
            chosen.pop()
        chosen.append(count - 1)
    return chosen


def bar_chart(
    counts: Sequence[tuple[str, float]],
    *,
    y_format: Callable[[float], str] = _fmt,
    value_text: Callable[[float], str] = _fmt,
    y_range: tuple[float, float] | None = None,
    titles: Sequence[str] | None = None,
) -> BarChart:
    """One bar per (label, value), side by side from the left, on an axis from
    zero (or ``y_range``); ``titles`` say what each bar means in full."""
    if titles is not None and len(titles) != len(counts):
        raise ValueError("Each bar needs its title.")
    plot = Plot()
    top_value = max((v for _, v in counts), default=0.0)
    low, high = y_range if y_range is not None else (0.0, max(top_value, 1.0))
    ticks = [t for t in nice_ticks(low, high) if t >= low]
    if y_range is None:
        high = ticks[-1]
    else:
        ticks = [t for t in ticks if t <= high]
    y = Scale(low, high, plot.bottom, plot.top)
    slot = (plot.right - plot.left) / max(1, len(counts))
    width = slot * 0.7
    bars = []
    for i, (label, value) in enumerate(counts):
        top = y(value)
        bars.append(
            Bar(
                x=plot.left + i * slot + (slot - width) / 2,
                y=top,
                width=width,
                height=max(0.0, plot.bottom - top),
                label=label,
                value=value,
                text=value_text(value),
                title=titles[i]
                if titles is not None
                else f"{label}: {value_text(value)}",
            )
        )
    return BarChart(
        plot=plot,
        bars=bars,
        y_ticks=[Tick(y(t), y_format(t)) for t in ticks],
        baseline=plot.bottom,
    )


@dataclass(frozen=True)
class Band:
    """One row of a range chart: a band from ``low`` to ``high`` around a
    middle mark, and the values it is drawn against as dots."""

    label: str
    y: float
    low: float
    middle: float
    high: float
    title: str
    dots: list[Point]


@dataclass
class RangeChart:
    plot: Plot
    bands: list[Band]
    x_ticks: list[Tick]
    #: The bands' thickness.
    thickness: float


def range_chart(
    rows: Sequence[tuple[str, float, float, float, Sequence[float], str]],
    *,
    x_format: Callable[[float], str] = _fmt,
    dot_label: Callable[[float], str] = _fmt,
) -> RangeChart:
    """Horizontal bands on one scale, one per row: (label, low, middle,
    high, values shown as dots on the band, the band's title)."""
    plot = Plot(height=60 + 44 * len(rows), left=90)
    plot.bottom = plot.height - MARGIN_BOTTOM
    every = [v for _l, low, _m, high, dots, _t in rows for v in (low, high, *dots)]
    ticks = nice_ticks(min(every), max(every)) if every else [0.0, 1.0]
    x = Scale(ticks[0], ticks[-1], plot.left, plot.right)
    slot = (plot.bottom - plot.top) / max(1, len(rows))
    bands = []
    for i, (label, low, middle, high, dots, title) in enumerate(rows):
        y = plot.top + slot * (i + 0.5)
        bands.append(
            Band(
                label,
                y,
                x(low),
                x(middle),
                x(high),
                title,
                [Point(x(v), y, dot_label(v)) for v in dots],
            )
        )
    return RangeChart(
        plot=plot,
        bands=bands,
        x_ticks=[Tick(x(t), x_format(t)) for t in ticks],
        thickness=min(22.0, slot * 0.5),
    )


@dataclass(frozen=True)
class Marker:
    """One row of a percentile chart: where a measure sits on 0 to 100."""

    label: str
    y: float
    x: float
    value: float
    title: str


@dataclass
class PercentileChart:
    plot: Plot
    rows: list[Marker]
    x_ticks: list[Tick]
    #: The middle band (what counts as expected), and the 50th percentile.
    band_low: float
    band_high: float
    middle: float
    #: The band's thickness.
    thickness: float


def percentile_chart(
    rows: Sequence[tuple[str, float, str]],
    *,
    band: tuple[float, float] = (20.0, 80.0),
    x_format: Callable[[float], str] = _fmt,
) -> PercentileChart:
    """Percentiles on one scale from 0 to 100, one row each (label,
    percentile, title), over a band marking the middle (``band``)."""
    plot = Plot(height=60 + 44 * len(rows), left=90)
    plot.bottom = plot.height - MARGIN_BOTTOM
    x = Scale(0.0, 100.0, plot.left, plot.right)
    slot = (plot.bottom - plot.top) / max(1, len(rows))
    low, high = band
    ticks = sorted({0.0, low, 50.0, high, 100.0})
    return PercentileChart(
        plot=plot,
        rows=[
            Marker(label, plot.top + slot * (i + 0.5), x(value), value, title)
            for i, (label, value, title) in enumerate(rows)
        ],
        x_ticks=[Tick(x(t), x_format(t)) for t in ticks],
        band_low=x(low),
        band_high=x(high),
        middle=x(50.0),
        thickness=min(22.0, slot * 0.5),
    )
