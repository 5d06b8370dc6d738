"""The original app's ghost: each end's total drawn between a minimum and a
maximum number of points, then split into arrows.

Kept for the original's users (and its bookmarked links), on every face: a face
cannot score every total (six arrows on a 10-to-5 face cannot make 4; three on
a triple spot cannot make 11), so the ghost draws only totals that the face
can score with that end's arrows.

- Model version 2: each end's total is uniform over the scorable totals
  between the end's minimum and maximum (scaled down for a shorter end: the
  last end of a distance that does not divide into full ends).
- Model version 1 (the first release) drew uniformly over every total between
  the two and crashed on the unscorable ones; its matches replay the same
  totals as before, and a draw that used to crash now takes the nearest
  scorable total (the lower one on a tie).

A shoot-off arrow is an end of one arrow. Ranges are checked against every end
of the round when the ghost is made: one that holds no scorable total is an
error that says which end.
"""

from __future__ import annotations

import itertools
from functools import cache

import numpy as np
import numpy.typing as npt

from .errors import GhostError
from .faces import Face
from .rounds import Round


def check_min_max(min_end: int, max_end: int, *, outdoor_ranking: bool) -> None:
    """The original app's rules for its min/max ghost, with its wording."""
    limit = 60 if outdoor_ranking else 30
    if min_end < 0:
        raise GhostError(
            "The minimum points per end must be 0 or more.", "min_negative"
        )
    if max_end <= min_end:
        raise GhostError(
            "The maximum points per end must be greater than the minimum.",
            "max_not_above_min",
        )
    if max_end > limit:
        where = (
            "in an outdoor ranking round"
            if outdoor_ranking
            else "indoors and in elimination matches"
        )
        raise GhostError(
            f"The maximum points per end cannot exceed {limit} {where}.",
            "max_too_high",
            limit=limit,
        )


def _arrow_values(face: Face) -> dict[int, int]:
    """Each value an arrow can score on the face, with the zone that scores it
    (an X stands for 10 only where no plain 10 ring exists)."""
    options = {
        zone.value: index for index, zone in enumerate(face.zones) if zone.label != "X"
    }
    if face.zones[0].label == "X" and face.zones[0].value not in options:
        options[face.zones[0].value] = 0
    return options


@cache
def scorable_totals(face: Face, arrows: int) -> frozenset[int]:
    """Every total that ``arrows`` arrows can make on the face."""
    totals = {0}
    values = list(_arrow_values(face))
    for _ in range(arrows):
        totals = {t + v for t in totals for v in values}
    return frozenset(totals)


def end_range(
    min_end: int, max_end: int, arrows: int, end_size: int
) -> tuple[int, int]:
    """The range for an end of ``arrows`` arrows (a shorter end gets its share)."""
    if arrows == end_size:
        return min_end, max_end
    return round(min_end * arrows / end_size), round(max_end * arrows / end_size)


@cache
def end_options(
    face: Face, arrows: int, min_end: int, max_end: int, end_size: int
) -> tuple[int, ...]:
    """The totals version 2 draws from for such an end, lowest first."""
    low, high = end_range(min_end, max_end, arrows, end_size)
    scorable = scorable_totals(face, arrows)
    return tuple(t for t in range(low, high + 1) if t in scorable)


def _nearest(face: Face, arrows: int, total: int) -> int:
    scorable = scorable_totals(face, arrows)
    if total in scorable:
        return total
    return min(scorable, key=lambda t: (abs(t - total), t))


def _v1_total(min_end: int, max_end: int, arrows: int, end_size: int, u: float) -> int:
    span = max_end - min_end + 1
    total = min_end + min(int(u * span), span - 1)
    if arrows < end_size:
        total = round(total * arrows / end_size)
    return total


def _shoot_off_options(
    face: Face, min_end: int, max_end: int, end_size: int
) -> tuple[int, ...]:
    """A shoot-off arrow's values: its share of the range, or failing any
    scorable value there, the value nearest the middle of it."""
    options = end_options(face, 1, min_end, max_end, end_size)
    if options:
        return options
    low, high = end_range(min_end, max_end, 1, end_size)
    return (_nearest(face, 1, (low + high) // 2),)


def draw_total(
    model: int,
    face: Face,
    arrows: int,
    bounds: tuple[int, int],
    end_size: int,
    u: float,
    *,
    shoot_off: bool = False,
) -> int:
    """The end's total from its uniform draw ``u``."""
    min_end, max_end = bounds
    if model == 1:
        total = _v1_total(min_end, max_end, arrows, end_size, u)
        return _nearest(face, arrows, total)
    if shoot_off:
        options = _shoot_off_options(face, min_end, max_end, end_size)
    else:
        options = end_options(face, arrows, min_end, max_end, end_size)
    if not options:
        raise GhostError(
            f"No {arrows} arrows on this face add up to {min_end} to {max_end}.",
            "no_scorable_total",
        )
    return options[min(int(u * len(options)), len(options) - 1)]


def end_pmf(
    model: int,
    face: Face,
    arrows: int,
    bounds: tuple[int, int],
    end_size: int,
    *,
    shoot_off: bool = False,
) -> npt.NDArray[np.float64]:
    """The exact distribution of such an end's total, as ``draw_total`` draws
    it: P(total = t) for t = 0 .. the end's top score."""
    min_end, max_end = bounds
    pmf = np.zeros(arrows * face.max_value + 1)
    if model == 1:
        span = max_end - min_end + 1
        for k in range(span):
            total = _v1_total(min_end, max_end, arrows, end_size, (k + 0.5) / span)
            pmf[_nearest(face, arrows, total)] += 1.0 / span
        return pmf
    if shoot_off:
        options = _shoot_off_options(face, min_end, max_end, end_size)
    else:
        options = end_options(face, arrows, min_end, max_end, end_size)
    pmf[list(options)] = 1.0 / len(options)
    return pmf


def check_round(min_end: int, max_end: int, rnd: Round) -> None:
    """Every end of the round must have a scorable total in its range."""
    for number, (index, size) in enumerate(rnd.end_plan(), 1):
        face = rnd.distances[index].face
        if not end_options(face, size, min_end, max_end, rnd.end_size):
            low, high = end_range(min_end, max_end, size, rnd.end_size)
            raise GhostError(
                f"No {size} arrows on the {face.name} face of end {number} score"
                f" between {low} and {high} points: widen the range.",
                "no_scorable_total",
                arrows=size,
                low=low,
                high=high,
            )


@cache
def split_total(face: Face, arrows: int, total: int) -> tuple[int, ...]:
    """Zone indices of ``arrows`` arrows adding up to ``total`` as evenly as the
    face allows (the min/max ghost only knows its end totals), highest first."""
    options = _arrow_values(face)
    best: tuple[int, ...] | None = None
    for combo in itertools.combinations_with_replacement(sorted(options), arrows):
        if sum(combo) == total and (
            best is None or max(combo) - min(combo) < max(best) - min(best)
        ):
            best = combo
    if best is None:
        raise GhostError(f"No {arrows} arrows on this face add up to {total}.")
    return tuple(options[v] for v in sorted(best, reverse=True))
