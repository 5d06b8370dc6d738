"""Fields of a chosen level for an elimination day, drawn from the
qualification scores of real events.

The levels. An elimination day can be shot against a field of ``club``,
``regional`` (county, state or regional championships), ``national``
(national championships) or ``international`` level (World Cup stages, world
and continental championships, World Series stages). An event's level is what
the event is, not how well its archers shot.

The data. ``data/field_levels.json`` holds, for each level, round and bow, the
real qualification totals of every archer (men and women) of the events
transcribed in ``benchmarks/data/field_levels`` (``scores.csv``, one row per
archer; ``SOURCES.md`` names each event and the repository, commit and file it
was read from; ``build.py`` writes the JSON). A level with no transcribed data
for a round and bow is not offered for them (:func:`offered`): nothing is
extrapolated from another level or round. What there is:

- ``wa720_70`` recurve and ``wa720_50_c`` compound: international (the four
  2019 World Cup stages, 703 and 416 scores);
- ``wa18`` recurve and ``wa18_compound`` compound: national (Archery GB
  National Indoor Championships 2014 and 2015, 452 and 335 scores) and
  international (Nimes Archery Tournament 2018 and 2019, World Series
  stages, 494 and 658 scores);
- ``wa18`` barebow: national only, and thin (Archery GB National Indoor
  Championships 2025, one event, 128 scores).

Nothing was found for club or regional fields, for the outdoor rounds below
international, or for longbow and traditional; those are not offered.

Drawing. A field's scores are drawn independently from the level's empirical
distribution: with the ``n`` real scores sorted, ``q_0 <= ... <= q_(n-1)``,
a uniform ``u`` picks the point ``u (n - 1)`` between two neighbouring order
statistics and the score is read linearly between them, then rounded to a
whole score and kept within ``0..max``. (When the JSON stores quantiles
instead of every score, the same is done between neighbouring quantiles.)
The smoothing only fills the gaps between neighbouring real scores; it never
goes past the lowest or the highest one. The draw is reproducible: the same
``numpy.random.Generator`` state gives the same field.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from .constants import BOWS

#: The field levels, weakest first.
LEVELS = ("club", "regional", "national", "international")
#: How many scores :func:`draw_scores` draws: a competition day's others
#: (7 to 127 besides the archer, :mod:`.day`).
SMALLEST_DRAW = 7
LARGEST_DRAW = 127

DATA_FILE = Path(__file__).resolve().parent / "data" / "field_levels.json"


class FieldLevelError(ValueError):
    """A field level, round, bow or size that has no data or is not known.
    ``code`` and ``params`` name the rule broken, for callers that word it in
    the user's language."""

    def __init__(self, message: str, code: str = "", **params: Any) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


@cache
def _document() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return document


def _entry(level: str, round_code: str, bow: str) -> dict[str, Any] | None:
    entry: dict[str, Any] | None = (
        _document()["fields"].get(level, {}).get(round_code, {}).get(bow)
    )
    return entry


def rounds() -> list[str]:
    """The round codenames some level has data for."""
    return list(_document()["max_scores"])


def max_score(round_code: str) -> int:
    """The highest total of a round the data covers."""
    try:
        return int(_document()["max_scores"][round_code])
    except KeyError:
        raise _unknown_round(round_code) from None


def offered(round_code: str, bow: str) -> list[str]:
    """The levels, weakest first, with real scores for ``round_code`` shot
    with ``bow`` (an empty list for a round or bow without any)."""
    return [level for level in LEVELS if _entry(level, round_code, bow) is not None]


def _unknown_round(round_code: str) -> FieldLevelError:
    return FieldLevelError(
        f"No real field scores are stored for the round {round_code!r}.",
        "unknown_round",
        round=round_code,
    )


def _values(level: str, round_code: str, bow: str) -> np.ndarray:
    """The level's sorted real scores (or stored quantiles), checked."""
    if level not in LEVELS:
        raise FieldLevelError(
            f"Unknown field level {level!r}: choose one of {', '.join(LEVELS)}.",
            "unknown_level",
            level=level,
        )
    if bow not in BOWS:
        raise FieldLevelError(
            f"Unknown bow {bow!r}: choose one of {', '.join(BOWS)}.",
            "unknown_bow",
            bow=bow,
        )
    if round_code not in _document()["max_scores"]:
        raise _unknown_round(round_code)
    entry = _entry(level, round_code, bow)
    if entry is None:
        levels = offered(round_code, bow)
        choice = (
            f"levels offered: {', '.join(levels)}" if levels else "no level is offered"
        )
        raise FieldLevelError(
            f"There are no real {level} field scores for {bow} on {round_code}"
            f" ({choice}).",
            "no_data",
            level=level,
            round=round_code,
            bow=bow,
            offered=levels,
        )
    values = entry["scores"] if "scores" in entry else entry["quantiles"]
    return np.asarray(values, dtype=float)


def _check_size(size: int) -> int:
    if isinstance(size, bool) or not isinstance(size, int | np.integer):
        raise FieldLevelError(
            f"A field's size is a whole number of archers, not {size!r}.",
            "bad_size",
            size=size,
        )
    if not SMALLEST_DRAW <= size <= LARGEST_DRAW:
        raise FieldLevelError(
            f"A draw is {SMALLEST_DRAW} to {LARGEST_DRAW} archers' scores, not {size}.",
            "bad_size",
            size=int(size),
        )
    return int(size)


def _inverse_cdf(values: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Read the points ``u`` (0..1) linearly between neighbouring values."""
    if len(values) == 1:
        return np.full(u.shape, values[0])
    position = u * (len(values) - 1)
    low = np.minimum(np.floor(position).astype(int), len(values) - 2)
    frac = position - low
    result: np.ndarray = values[low] + frac * (values[low + 1] - values[low])
    return result


def draw_scores(
    level: str, round_code: str, bow: str, size: int, rng: np.random.Generator
) -> list[int]:
    """``size`` (8 to 128) qualification scores of a ``level`` field on
    ``round_code`` with ``bow``, drawn from the real distribution, highest
    first. :class:`FieldLevelError` for an unknown level, round or bow, a
    level without data for them, or a size out of range."""
    values = _values(level, round_code, bow)
    count = _check_size(size)
    drawn = np.rint(_inverse_cdf(values, rng.random(count)))
    scores = np.clip(drawn, 0, max_score(round_code)).astype(int)
    return sorted((int(s) for s in scores), reverse=True)


def describe(level: str, round_code: str, bow: str) -> dict[str, Any]:
    """What a level's field is made of: the number of real scores, the
    events, the median and quartiles (linear between order statistics), the
    lowest and highest, and the round's highest possible total."""
    values = _values(level, round_code, bow)
    entry = _entry(level, round_code, bow)
    assert entry is not None  # _values has checked it
    q1, median, q3 = (float(q) for q in np.percentile(values, [25, 50, 75]))
    return {
        "level": level,
        "round": round_code,
        "bow": bow,
        "n": int(entry["n"]),
        "events": list(entry["events"]),
        "median": median,
        "quartiles": (q1, q3),
        "lowest": round(float(values[0])),
        "highest": round(float(values[-1])),
        "max_score": max_score(round_code),
    }


def medians(round_code: str, bow: str) -> dict[str, float]:
    """The median real score of each level offered for a round and bow."""
    return {
        level: describe(level, round_code, bow)["median"]
        for level in offered(round_code, bow)
    }


__all__: Sequence[str] = (
    "LEVELS",
    "FieldLevelError",
    "describe",
    "draw_scores",
    "max_score",
    "medians",
    "offered",
    "rounds",
)
