"""The ghost: a phantom archer who shoots arrow by arrow at its handicap.

Reproducibility promise: the same ghost, round, seed and model version give
the same arrows on every machine and in every release. The arrows come from
NumPy's PCG64 bit generator, whose raw 64-bit stream NumPy keeps stable, turned
into uniforms by integer arithmetic; each arrow's zone is read by comparing its
distance from the centre with the zone's edge, so floating-point library
differences cannot move an arrow to another ring (short of a draw within 1e-15
of a ring's edge). Stream layouts, which must never change:

Model version 1 (and every min/max or perfect ghost):

- draws 0 and 1: the ghost's form on the day (its handicap's variation);
- draws 2k + 2 and 2k + 3: arrow k, counted across the whole round in the
  order shot (then any shoot-off arrows): its distance from the centre, then
  its angle.

Model version 2 (handicap ghosts made since), for a round of E ends and A
arrows:

- draws 0 and 1: the form on the day (a standard normal, Box-Muller);
- draws 2 + 2e and 3 + 2e: end e's drift (a standard normal, Box-Muller);
- draws 2 + 2E + 3k, + 1, + 2: arrow k's distance from the centre, its angle,
  and whether it is a bad arrow;
- then five draws per shoot-off arrow: its drift (two), distance, angle, bad.

Golden tests in ``tests/engine/test_ghost.py`` hold both to account.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from . import handicaps, minmax
from .constants import BOWS, MAX_SEED
from .errors import GhostError
from .faces import Face
from .minmax import check_min_max
from .rounds import Round
from .scoring import Arrow, End, Tally
from .variability import (
    CURRENT_MODEL,
    MODEL_VERSIONS,
    STEADY,
    V1_FORM,
    Variability,
    base_handicap,
    clip,
    level_variability,
)

__all__ = ["ArrowStream", "Ghost", "GhostError", "GhostRound", "check_min_max"]

KINDS = ("handicap", "score", "preset", "history", "minmax", "perfect", "replay")
#: A ghost that feels pressure (an option, off by default) shoots the last
#: arrow of each set this many handicap points worse than its others. Zhao
#: (2024, "Choking under pressure in elite recurve archery", International
#: Journal of Sport Psychology 55(4), 334-353, doi:10.7352/IJSP.2024.55.334)
#: found elite recurve archers' last arrow of a set scoring below their first
#: two; the abstract, all that could be read here, gives no size. 2 handicap
#: points is a chosen, small effect: 0.11 points on the last arrow at 70 m for
#: a handicap-20 recurve archer, 0.16 at 30, 0.27 at 45 (measured from the
#: model's own arrow distributions, tests/engine/test_ghost.py).
PRESSURE_POINTS = 2.0
#: The most a ghost's pressure may be set to (handicap points).
MOST_PRESSURE = 10.0


class ArrowStream:
    """Uniform draws in (0, 1), identical on every machine for a given seed."""

    def __init__(self, seed: int) -> None:
        if not (0 <= seed <= MAX_SEED):
            raise GhostError(
                f"Seeds are whole numbers from 0 to 2**63 - 1, not {seed}."
            )
        self._bits = np.random.PCG64(seed)

    def raw(self, count: int) -> npt.NDArray[np.uint64]:
        return self._bits.random_raw(count)

    def uniforms(self, count: int) -> npt.NDArray[np.float64]:
        return to_uniforms(self.raw(count))


def to_uniforms(raw: npt.NDArray[np.uint64]) -> npt.NDArray[np.float64]:
    """53 random bits, centred in their interval: never exactly 0 or 1."""
    return ((raw >> np.uint64(11)).astype(np.float64) + 0.5) * 2.0**-53


def form_offset(u1: float, u2: float) -> float:
    """A standard normal from two uniforms (Box-Muller)."""
    return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)


def _normals(
    u1: npt.NDArray[np.float64], u2: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Standard normals from pairs of uniforms (Box-Muller), element-wise."""
    return np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * np.pi * u2)


@dataclass(frozen=True)
class Ghost:
    """Who the archer shoots against: a handicap, or the original's min/max.

    ``kind`` and ``source`` say how it was defined (a score on a round, a
    preset, past scores), so a match can show it and be replayed. ``model`` is
    the version of the ghost model it shoots with (see ``variability``); a
    ``steady`` ghost shoots the plain handicap model (no form, no drift, no
    bad arrows), whose mean scores are the published tables'. ``form``
    overrides the day-to-day form (version 1: it is the form, 2.0 by default);
    ``drift`` (version 2 on) the drift within the day: together, an archer's
    own spread (a "ghost like me", see ``spread``).
    """

    kind: str
    handicap: float | None = None
    scheme: str = handicaps.DEFAULT_SCHEME
    form: float | None = None
    min_end: int | None = None
    max_end: int | None = None
    source: dict[str, Any] = field(default_factory=dict, compare=False)
    bow: str = "recurve"
    model: int = CURRENT_MODEL
    steady: bool = False
    #: A replayed past round: its ends' arrow labels, in the order shot.
    replay: tuple[tuple[str, ...], ...] | None = None
    drift: float | None = None
    #: A ghost that feels pressure: the last arrow of each end (each set of a
    #: set match) is shot this many handicap points worse (None: off). See
    #: ``PRESSURE_POINTS`` for the documented default.
    pressure: float | None = None

    def __post_init__(self) -> None:
        if self.replay is not None:  # lists, from JSON, become tuples
            ends = tuple(tuple(str(label) for label in end) for end in self.replay)
            object.__setattr__(self, "replay", ends)
        if self.kind not in KINDS:
            raise GhostError(f"Unknown ghost kind {self.kind!r}.")
        if self.model not in MODEL_VERSIONS:
            raise GhostError(
                f"Unknown ghost model version {self.model!r}: this release knows"
                f" {', '.join(map(str, MODEL_VERSIONS))}.",
                "bad_model",
            )
        if self.form is not None and (self.form < 0 or not math.isfinite(self.form)):
            raise GhostError("The ghost's form variation cannot be negative.")
        if self.drift is not None and (
            self.drift < 0 or not math.isfinite(self.drift) or self.model == 1
        ):
            raise GhostError(
                "The ghost's drift is a number of handicap points, 0 or more,"
                " from model version 2 on."
            )
        if self.bow not in BOWS:
            raise GhostError(f"Unknown bow {self.bow!r}.")
        if self.pressure is not None and (
            not isinstance(self.pressure, int | float)
            or isinstance(self.pressure, bool)
            or not 0 < self.pressure <= MOST_PRESSURE
            or not self.shoots_arrows
            or self.model == 1
        ):
            raise GhostError(
                "A ghost feels pressure by more than 0 and at most"
                f" {MOST_PRESSURE:g} handicap points, if it shoots from a"
                " handicap with model version 2 or later.",
                "bad_pressure",
            )
        if self.kind == "minmax":
            for value in (self.min_end, self.max_end):
                if type(value) is not int:
                    raise GhostError("Points per end are whole numbers.", "bad_points")
            # The rest of the original's rules depend on the round: every
            # match checks its ghost with ``from_min_max``'s own checks.
            return
        if self.kind == "perfect":
            return
        if self.handicap is None:
            raise GhostError("This ghost needs a handicap.")
        handicaps.check_handicap(self.handicap, self.scheme)

    # -- ways to define a ghost ------------------------------------------------

    @classmethod
    def from_handicap(
        cls,
        handicap: float,
        scheme: str = handicaps.DEFAULT_SCHEME,
        form: float | None = None,
        **options: Any,
    ) -> Ghost:
        """The ghost that averages ``handicap``'s score on any round.
        ``options``: ``bow``, ``model``, ``steady``."""
        handicaps.scheme(scheme)
        return cls("handicap", float(handicap), scheme, form, **options)

    @classmethod
    def from_score(
        cls,
        rnd: Round,
        score: float,
        scheme: str = handicaps.DEFAULT_SCHEME,
        form: float | None = None,
        **options: Any,
    ) -> Ghost:
        """The ghost whose expected score on the round is ``score``."""
        handicap = handicaps.handicap_for_score(rnd, score, scheme)
        source = {"round": rnd.codename, "score": score}
        return cls("score", handicap, scheme, form, source=source, **options)

    @classmethod
    def from_history(
        cls,
        scores: list[tuple[Round, float]],
        method: str = "average",
        scheme: str = handicaps.DEFAULT_SCHEME,
        form: float | None = None,
        **options: Any,
    ) -> Ghost:
        """The archer's own level: their average or their best past score."""
        handicap = handicaps.handicap_from_scores(scores, scheme, method)
        source = {"method": method, "scores": [[r.codename, s] for r, s in scores]}
        return cls("history", handicap, scheme, form, source=source, **options)

    @classmethod
    def from_past(cls, past: Any, **source: Any) -> Ghost:
        """The archer's own past round or match as the ghost: it shoots exactly
        those arrows, end by end (an end entered as a total only is split into
        arrows as evenly as the face allows). Its handicap is the one that round
        earned: the level its odds, and any ends it never shot, go by.
        ``past`` is an engine ``Match``; ``source`` says which (id, date)."""
        ends: list[tuple[str, ...]] = []
        for number, end in enumerate(past.archer_ends):
            if end.declared is None:
                ends.append(tuple(end.labels))
            else:
                face = past.face_for_end(number)
                zones = minmax.split_total(face, end.arrow_count, end.declared)
                ends.append(tuple(face.zones[z].label for z in zones))
        handicap = past.archer_handicap()
        if handicap is None:
            raise GhostError("That round has no arrows to replay.", "empty_past")
        total = past.archer_tally().total
        details = {"round": past.round.codename, "total": total, **source}
        return cls(
            "replay",
            handicap,
            past.ghost.scheme,
            source=details,
            replay=tuple(ends),
        )

    @classmethod
    def perfect(cls) -> Ghost:
        """Every arrow an X: the ghost that cannot be beaten, only tied."""
        return cls("perfect", form=0.0)

    @classmethod
    def from_min_max(
        cls,
        min_end: int,
        max_end: int,
        *,
        end_size: int | None = None,
        face: Face | None = None,
        rnd: Round | None = None,
        outdoor_ranking: bool = False,
        model: int = CURRENT_MODEL,
    ) -> Ghost:
        """The original app's ghost: each end's total drawn uniformly between
        ``min_end`` and ``max_end`` points, among the totals the face can score
        (see ``minmax``). Kept for its users; unlike the other ghosts it does
        not shoot like a real archer. Given the round, every end's range is
        checked."""
        check_min_max(min_end, max_end, outdoor_ranking=outdoor_ranking)
        if rnd is not None:
            end_size, face = rnd.end_size, None
            top = max(rnd.end_size * d.face.max_value for d in rnd.distances)
        elif face is not None and end_size is not None:
            top = end_size * face.max_value
        else:
            top = max_end
        if max_end > top:
            raise GhostError(
                f"The maximum points per end cannot exceed {top}"
                f" ({end_size} arrows on this face).",
                "max_too_high",
                limit=top,
            )
        if rnd is not None and model >= 2:
            minmax.check_round(min_end, max_end, rnd)
        return cls("minmax", min_end=min_end, max_end=max_end, form=0.0, model=model)

    # -- description and storage ----------------------------------------------

    @property
    def label(self) -> str:
        if self.kind == "perfect":
            return "perfect ghost (every arrow an X)"
        if self.kind == "minmax":
            return f"{self.min_end} to {self.max_end} points per end (uniform)"
        text = f"handicap {self.handicap:.1f} ({self.scheme})"
        if self.kind == "replay":
            return f"your past round ({self.source.get('total')})"
        if self.kind == "score":
            text += f", {self.source['score']:g} on {self.source['round']}"
        elif self.kind == "preset":
            text += f", preset {self.source.get('preset')}"
        if self.steady:
            text += ", steady"
        if self.pressure:
            text += f", feels pressure ({self.pressure:g})"
        return text

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        if data["drift"] is None:  # as stored before an archer's own drift
            del data["drift"]
        if data["pressure"] is None:  # as stored before pressure
            del data["pressure"]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Ghost:
        """A stored ghost; one stored before model versions existed is version 1."""
        data = {"model": 1, **data}
        if data["model"] == 1 and data.get("form") is None:
            data["form"] = V1_FORM
        return cls(**data)

    # -- the model ----------------------------------------------------------------

    @property
    def shoots_arrows(self) -> bool:
        """Whether its arrows come from its handicap (not min/max, perfect or a
        replay)."""
        return self.kind not in {"minmax", "perfect", "replay"}

    def variability(self) -> Variability:
        """How unsteady this ghost is (none for the steady, min/max, perfect and
        replayed ghosts)."""
        if not self.shoots_arrows or self.steady:
            return STEADY
        if self.model == 1:
            return Variability(form=V1_FORM if self.form is None else self.form)
        assert self.handicap is not None
        return level_variability(
            self.handicap, self.bow, self.scheme, self.form, self.model, self.drift
        )

    def base_handicap(self, rnd: Round) -> float:
        """The handicap it shoots from on ``rnd``: its own for version 1 and
        steady ghosts; for version 2, the one that keeps its mean exact."""
        assert self.handicap is not None
        if self.model == 1 or not self.shoots_arrows:
            return self.handicap
        return base_handicap(self.handicap, self.scheme, self.variability(), rnd)

    # -- shooting ---------------------------------------------------------------

    def shoot(self, rnd: Round, seed: int, shoot_off_arrows: int = 0) -> GhostRound:
        """Shoot the round, end by end, then any shoot-off arrows (one each,
        at the round's last distance)."""
        if self.kind == "replay":
            return _shoot_replay(self, rnd, seed, shoot_off_arrows)
        if self.shoots_arrows and self.model >= 2:
            return _shoot_v2(self, rnd, seed, shoot_off_arrows)
        return _shoot_v1(self, rnd, seed, shoot_off_arrows)


# -- model version 1 (and the min/max and perfect ghosts) ------------------------------


def _v1_today(ghost: Ghost, u1: float, u2: float) -> float | None:
    if ghost.handicap is None:
        return None
    offset = form_offset(u1, u2)
    return float(clip(ghost.handicap + ghost.variability().form * offset, ghost.scheme))


def _end_sizes(rnd: Round, shoot_off_arrows: int) -> list[tuple[list[int], int]]:
    """Each distance's end sizes, with the shoot-off arrows (ends of one) after
    the last distance's, and how many of those there are."""
    plan = rnd.end_plan()
    last = len(rnd.distances) - 1
    return [
        (
            [size for i, size in plan if i == index]
            + [1] * (shoot_off_arrows if index == last else 0),
            shoot_off_arrows if index == last else 0,
        )
        for index in range(len(rnd.distances))
    ]


def _shoot_v1(ghost: Ghost, rnd: Round, seed: int, shoot_off_arrows: int) -> GhostRound:
    total_arrows = rnd.arrows + shoot_off_arrows
    draws = ArrowStream(seed).uniforms(2 + 2 * total_arrows)
    today = _v1_today(ghost, float(draws[0]), float(draws[1]))
    radial, angle = draws[2::2], draws[3::2]
    arrows: list[Arrow] = []
    position = 0
    for distance, (sizes, shoot_offs) in zip(
        rnd.distances, _end_sizes(rnd, shoot_off_arrows), strict=True
    ):
        count = sum(sizes)
        here = slice(position, position + count)
        if ghost.kind == "perfect":
            arrows += _place_in_zones(
                distance.face, [0] * count, radial[here], angle[here]
            )
        elif ghost.kind == "minmax":
            arrows += _shoot_min_max(
                ghost,
                distance.face,
                radial[here],
                angle[here],
                sizes,
                (rnd.end_size, shoot_offs),
            )
        else:
            assert today is not None
            arrows += _shoot_spread(
                distance, today, ghost.scheme, radial[here], angle[here]
            )
        position += count
    return GhostRound.of(ghost, rnd, seed, today, arrows)


def _shoot_replay(
    ghost: Ghost, rnd: Round, seed: int, shoot_off_arrows: int
) -> GhostRound:
    """The past round's arrows, end by end, placed across their rings (draws as
    version 1 lays them out); ends it never shot (a set match that ended early)
    and shoot-off arrows come from a steady ghost at the handicap it earned."""
    assert ghost.replay is not None
    assert ghost.handicap is not None
    plan = rnd.end_plan()
    if len(ghost.replay) > len(plan) or any(
        len(labels) != size
        for labels, (_, size) in zip(ghost.replay, plan, strict=False)
    ):
        raise GhostError(
            "That past round was shot on another round: replay it on its own.",
            "replay_round",
        )
    stand_in = Ghost.from_handicap(ghost.handicap, ghost.scheme, steady=True)
    rest = stand_in.shoot(rnd, seed, shoot_off_arrows)
    draws = ArrowStream(seed).uniforms(2 + 2 * rnd.arrows)
    arrows: list[Arrow] = []
    position = 0
    for number, (index, size) in enumerate(plan):
        face = rnd.distances[index].face
        if number < len(ghost.replay):
            try:
                zones = [face.rank(label) for label in ghost.replay[number]]
            except ValueError:
                raise GhostError(
                    "That past round was shot on another face: replay it on its"
                    " own round.",
                    "replay_round",
                ) from None
            radial = draws[2 + 2 * position : 2 + 2 * (position + size) : 2]
            angle = draws[3 + 2 * position : 3 + 2 * (position + size) : 2]
            arrows += _place_in_zones(face, zones, radial, angle)
        else:
            arrows += list(rest.ends[number].arrows)
        position += size
    arrows += rest.shoot_off
    return GhostRound.of(ghost, rnd, seed, ghost.handicap, arrows)


def _shoot_spread(
    distance: Any,
    handicap: float,
    scheme: str,
    radial: npt.NDArray[np.float64],
    angle: npt.NDArray[np.float64],
) -> list[Arrow]:
    """Version 1: every arrow at one distance from the day's spread."""
    face = distance.face
    spread = handicaps.sigma(handicap, distance.metres, scheme)
    radius = handicaps.arrow_radius(distance.indoor, scheme)
    thresholds = handicaps.zone_thresholds(face, spread, radius)
    zones = (thresholds[None, :] > radial[:, None]).sum(axis=1)
    distances = spread * np.sqrt(-np.log(radial))
    return _arrows(face, zones, distances, angle)


def _arrows(
    face: Face,
    zones: npt.NDArray[np.integer[Any]],
    distances: npt.NDArray[np.float64],
    angle: npt.NDArray[np.float64],
) -> list[Arrow]:
    theta = 2.0 * np.pi * angle
    return [
        Arrow(face.zones[z].label, face.zones[z].value, x, y)
        for z, x, y in zip(
            zones.tolist(),
            (distances * np.cos(theta)).tolist(),
            (distances * np.sin(theta)).tolist(),
            strict=True,
        )
    ]


def _shoot_min_max(
    ghost: Ghost,
    face: Face,
    radial: npt.NDArray[np.float64],
    angle: npt.NDArray[np.float64],
    sizes: list[int],
    ends: tuple[int, int],
) -> list[Arrow]:
    """Each end's total from its first draw (see ``minmax``), split into arrows
    as evenly as the face allows. ``ends``: the round's end size, and how many
    of ``sizes`` are shoot-off arrows (the last ones)."""
    assert ghost.min_end is not None
    assert ghost.max_end is not None
    end_size, shoot_offs = ends
    arrows: list[Arrow] = []
    start = 0
    bounds = (ghost.min_end, ghost.max_end)
    for number, size in enumerate(sizes):
        u = radial[start : start + size]
        shoot_off = number >= len(sizes) - shoot_offs
        total = minmax.draw_total(
            ghost.model, face, size, bounds, end_size, float(u[0]), shoot_off=shoot_off
        )
        zones = minmax.split_total(face, size, total)
        arrows.extend(_place_in_zones(face, zones, u, angle[start : start + size]))
        start += size
    return arrows


# -- model version 2: form, drift and bad arrows -----------------------------------


@dataclass(frozen=True)
class _Block:
    """Where a version 2 round's draws are (see the module's stream layout)."""

    plan: list[tuple[int, int]]  # (distance index, arrows) of every end shot
    round_ends: int
    round_arrows: int

    @classmethod
    def of(cls, rnd: Round, shoot_off_arrows: int = 0) -> _Block:
        last = len(rnd.distances) - 1
        plan = rnd.end_plan() + [(last, 1)] * shoot_off_arrows
        return cls(plan, rnd.ends, rnd.arrows)

    @property
    def width(self) -> int:
        shoot_offs = len(self.plan) - self.round_ends
        return 2 + 2 * self.round_ends + 3 * self.round_arrows + 5 * shoot_offs

    def arrow_draws(
        self, u: npt.NDArray[np.float64], which: int
    ) -> npt.NDArray[np.float64]:
        """Draw ``which`` (0 distance, 1 angle, 2 bad) of every arrow, by row."""
        start = 2 + 2 * self.round_ends + which
        stop = start + 3 * self.round_arrows
        shot = u[:, start:stop:3]
        if len(self.plan) == self.round_ends:
            return shot
        extra = u[:, stop + 2 + which :: 5]
        return np.concatenate((shot, extra), axis=1)

    def drift_shocks(self, u: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """Each end's drift draw as a standard normal, by row."""
        end = 2 + 2 * self.round_ends
        first, second = u[:, 2:end:2], u[:, 3:end:2]
        if len(self.plan) > self.round_ends:
            start = end + 3 * self.round_arrows
            first = np.concatenate((first, u[:, start::5]), axis=1)
            second = np.concatenate((second, u[:, start + 1 :: 5]), axis=1)
        return _normals(first, second)


@dataclass
class _Shot:
    """Version 2 arrows of many rounds: each arrow's zone on its face and its
    squared distance from the centre; each end's handicap."""

    zones: npt.NDArray[np.int8]  # (runs, arrows)
    squared: npt.NDArray[np.float64]  # (runs, arrows), square metres
    levels: npt.NDArray[np.float64]  # (runs, ends)
    today: npt.NDArray[np.float64]  # (runs,) the nominal handicap on the day


def _shoot_block(
    ghost: Ghost, rnd: Round, block: _Block, u: npt.NDArray[np.float64]
) -> _Shot:
    """Shoot ``u.shape[0]`` rounds from their rows of uniforms, vectorised."""
    assert ghost.handicap is not None
    var = ghost.variability()
    scheme = ghost.scheme
    base = ghost.base_handicap(rnd)
    runs = u.shape[0]
    day = var.form * _normals(u[:, 0], u[:, 1])
    today = clip(ghost.handicap + day, scheme)

    drift = np.empty((runs, len(block.plan)))
    if var.drift:
        shocks = block.drift_shocks(u)
        drift[:, 0] = var.drift * shocks[:, 0]
        for e in range(1, len(block.plan)):
            r = var.end_correlation(block.plan[e - 1][1])
            drift[:, e] = (
                r * drift[:, e - 1] + var.drift * math.sqrt(1 - r * r) * shocks[:, e]
            )
    else:
        drift[:] = 0.0
    levels = clip(base + day[:, None] + drift, scheme)

    sizes = np.array([size for _, size in block.plan])
    squared = -np.log(block.arrow_draws(u, 0))
    zones = np.zeros(squared.shape, dtype=np.int8)  # a face has < 128 zones
    s = handicaps.scheme(scheme)
    end_start = 0
    arrow_start = 0
    for index, distance in enumerate(rnd.distances):
        ends = [e for e, (i, _) in enumerate(block.plan) if i == index]
        if not ends:
            continue
        count = int(sizes[ends].sum())
        end_slice = slice(end_start, end_start + len(ends))
        arrow_slice = slice(arrow_start, arrow_start + count)
        spread = s.sigma_r(levels[:, end_slice], distance.metres)
        spread2 = np.repeat(spread * spread, sizes[ends], axis=1)
        if var.bad_rate:
            bad_u = block.arrow_draws(u, 2)[:, arrow_slice]
            runs_bad, arrows_bad = np.nonzero(bad_u < var.bad_rate)
            if len(runs_bad):
                end_of_arrow = np.repeat(np.arange(len(ends)), sizes[ends])
                worse = clip(
                    levels[:, end_slice][runs_bad, end_of_arrow[arrows_bad]]
                    + var.bad_offset,
                    scheme,
                )
                wide = s.sigma_r(worse, distance.metres)
                spread2[runs_bad, arrows_bad] = wide * wide
        if ghost.pressure:
            _feel_pressure(ghost, block, ends, spread2, levels[:, end_slice], distance)
        squared[:, arrow_slice] *= spread2
        radius = handicaps.arrow_radius(distance.indoor, scheme)
        edges = np.array([zone.radius for zone in distance.face.zones[:-1]]) + radius
        here = zones[:, arrow_slice]
        part = squared[:, arrow_slice]
        for edge in edges * edges:
            here += part > edge
        end_start += len(ends)
        arrow_start += count
    return _Shot(zones, squared, levels, today)


def _feel_pressure(
    ghost: Ghost,
    block: _Block,
    ends: list[int],
    spread2: npt.NDArray[np.float64],
    levels: npt.NDArray[np.float64],
    distance: Any,
) -> None:
    """Widen the last arrow of each of the round's ``ends`` (not shoot-off
    arrows) to the spread of its end's level plus the ghost's pressure (a bad
    arrow that is wider already stays so). ``spread2``: the ends' arrows'
    squared spreads, in place."""
    assert ghost.pressure is not None
    s = handicaps.scheme(ghost.scheme)
    position = -1
    for column, end in enumerate(ends):
        position += block.plan[end][1]
        if end >= block.round_ends:
            continue
        worse = clip(levels[:, column] + ghost.pressure, ghost.scheme)
        wide = s.sigma_r(worse, distance.metres)
        spread2[:, position] = np.maximum(spread2[:, position], wide * wide)


def _shoot_v2(ghost: Ghost, rnd: Round, seed: int, shoot_off_arrows: int) -> GhostRound:
    block = _Block.of(rnd, shoot_off_arrows)
    u = ArrowStream(seed).uniforms(block.width)[None, :]
    shot = _shoot_block(ghost, rnd, block, u)
    angle = block.arrow_draws(u, 1)[0]
    distances = np.sqrt(shot.squared[0])
    arrows: list[Arrow] = []
    start = 0
    for index, distance in enumerate(rnd.distances):
        count = sum(size for i, size in block.plan if i == index)
        here = slice(start, start + count)
        arrows += _arrows(
            distance.face, shot.zones[0, here], distances[here], angle[here]
        )
        start += count
    levels = shot.levels[0].tolist()
    return GhostRound.of(
        ghost, rnd, seed, float(shot.today[0]), arrows, levels[: rnd.ends]
    )


# -- many rounds at once -------------------------------------------------------------


@dataclass(frozen=True)
class Simulation:
    """Many rounds shot by one ghost: each round's total, 10s, Xs and end totals."""

    totals: npt.NDArray[np.int64]
    tens: npt.NDArray[np.int64]
    xs: npt.NDArray[np.int64]
    ends: npt.NDArray[np.int64]  # (runs, ends)
    arrows: npt.NDArray[np.int16] | None = None  # (runs, arrows), if kept


#: Rounds simulated per batch: big enough for NumPy, small enough for the cache.
BATCH = 4096


def simulate(
    ghost: Ghost, rnd: Round, runs: int, seed: int, *, keep_arrows: bool = False
) -> Simulation:
    """Shoot the round ``runs`` times, vectorised. Run i takes the i-th block of
    draws of one stream, laid out as ``Ghost.shoot`` lays out its own, so run 0
    is the round ``Ghost.shoot`` shoots with the same seed. ``keep_arrows``
    keeps every arrow's value too."""
    parts = list(simulate_batches(ghost, rnd, runs, seed, keep_arrows=keep_arrows))
    if len(parts) == 1:
        return parts[0]
    kept = [p.arrows for p in parts if p.arrows is not None]
    return Simulation(
        np.concatenate([p.totals for p in parts]),
        np.concatenate([p.tens for p in parts]),
        np.concatenate([p.xs for p in parts]),
        np.concatenate([p.ends for p in parts]),
        np.concatenate(kept) if keep_arrows else None,
    )


def simulate_batches(
    ghost: Ghost, rnd: Round, runs: int, seed: int, *, keep_arrows: bool = False
) -> Iterator[Simulation]:
    """:func:`simulate`'s rounds a batch at a time, in order (the same rounds
    for the same seed): for a caller that writes them out or shows progress
    without holding them all."""
    if runs < 1:
        raise GhostError("Simulate at least one round.")
    stream = ArrowStream(seed)
    if not (ghost.shoots_arrows and ghost.model >= 2):
        if ghost.kind == "replay":
            yield _simulate_v1(ghost, rnd, runs, stream, keep_arrows)
            return
        # Run i takes the i-th block of draws: batches read the stream in turn.
        for first in range(0, runs, BATCH):
            count = min(BATCH, runs - first)
            yield _simulate_v1(ghost, rnd, count, stream, keep_arrows)
        return
    block = _Block.of(rnd)
    starts = np.cumsum([0] + [size for _, size in block.plan[:-1]])
    for first in range(0, runs, BATCH):
        count = min(BATCH, runs - first)
        u = to_uniforms(stream.raw(count * block.width)).reshape(count, block.width)
        shot = _shoot_block(ghost, rnd, block, u)
        values, golds, inner = _tally(rnd, shot.zones)
        ends = np.add.reduceat(values, starts, axis=1)
        kept = values.astype(np.int16) if keep_arrows else None
        yield Simulation(ends.sum(axis=1), golds, inner, ends, kept)


def _tally(
    rnd: Round, zones: npt.NDArray[np.integer[Any]]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Each arrow's value, and each round's 10s (Xs included) and Xs."""
    values = np.empty(zones.shape, dtype=np.int64)
    tens = np.zeros(zones.shape[0], dtype=np.int64)
    xs = np.zeros(zones.shape[0], dtype=np.int64)
    start = 0
    for distance in rnd.distances:
        here = slice(start, start + distance.arrows)
        face_values = np.array([zone.value for zone in distance.face.zones])
        values[:, here] = face_values[zones[:, here]]
        tens += (values[:, here] >= 10).sum(axis=1)
        if distance.face.has_x:
            xs += (zones[:, here] == 0).sum(axis=1)
        start += distance.arrows
    return values, tens, xs


def _simulate_v1(
    ghost: Ghost, rnd: Round, runs: int, stream: ArrowStream, keep_arrows: bool
) -> Simulation:
    """Version 1 (and min/max and perfect ghosts): run i takes the i-th block of
    2 + 2 x arrows draws, laid out as ``_shoot_v1`` lays out its own."""
    width = 2 + 2 * rnd.arrows
    draws = stream.uniforms(runs * width).reshape(runs, width)
    starts = np.cumsum([0] + [size for _, size in rnd.end_plan()[:-1]])
    if ghost.kind == "replay":
        return _simulate_rows(ghost, rnd, runs, seed_of=stream, keep=keep_arrows)
    if not ghost.shoots_arrows:
        ends = np.empty((runs, rnd.ends), dtype=np.int64)
        tens = np.empty(runs, dtype=np.int64)
        xs = np.empty(runs, dtype=np.int64)
        kept = np.empty((runs, rnd.arrows), dtype=np.int16)
        for run in range(runs):  # few users simulate these; keep it simple
            shot = _shoot_v1_row(ghost, rnd, draws[run])
            ends[run] = [end.total for end in shot.ends]
            kept[run] = [a.value for end in shot.ends for a in end.arrows]
            tally = shot.tally
            tens[run], xs[run] = tally.tens, tally.xs
        arrows = kept if keep_arrows else None
        return Simulation(ends.sum(axis=1), tens, xs, ends, arrows)
    assert ghost.handicap is not None
    form = ghost.variability().form
    z = _normals(draws[:, 0], draws[:, 1])
    today = clip(ghost.handicap + form * z, ghost.scheme)
    radial = draws[:, 2::2]
    zones = np.empty(radial.shape, dtype=np.intp)
    column = 0
    for distance in rnd.distances:
        spread = handicaps.scheme(ghost.scheme).sigma_r(today, distance.metres)
        radius = handicaps.arrow_radius(distance.indoor, ghost.scheme)
        edges = np.array([zone.radius for zone in distance.face.zones[:-1]]) + radius
        thresholds = np.exp(-((edges[None, :] / spread[:, None]) ** 2))
        u = radial[:, column : column + distance.arrows]
        zones[:, column : column + distance.arrows] = (
            u[:, :, None] < thresholds[:, None, :]
        ).sum(axis=2)
        column += distance.arrows
    values, tens, xs = _tally(rnd, zones)
    ends = np.add.reduceat(values, starts, axis=1)
    arrows = values.astype(np.int16) if keep_arrows else None
    return Simulation(ends.sum(axis=1), tens, xs, ends, arrows)


def _shoot_v1_row(ghost: Ghost, rnd: Round, row: npt.NDArray[np.float64]) -> GhostRound:
    """One round of a min/max or perfect ghost from its row of draws."""
    arrows: list[Arrow] = []
    position = 0
    for distance, (sizes, _) in zip(rnd.distances, _end_sizes(rnd, 0), strict=True):
        count = sum(sizes)
        radial = row[2 + 2 * position : 2 + 2 * (position + count) : 2]
        angle = row[3 + 2 * position : 3 + 2 * (position + count) : 2]
        if ghost.kind == "perfect":
            arrows += _place_in_zones(distance.face, [0] * count, radial, angle)
        else:
            arrows += _shoot_min_max(
                ghost, distance.face, radial, angle, sizes, (rnd.end_size, 0)
            )
        position += count
    return GhostRound.of(ghost, rnd, 0, None, arrows)


def _place_in_zones(
    face: Face,
    zones: list[int] | tuple[int, ...],
    radial: npt.NDArray[np.float64],
    angle: npt.NDArray[np.float64],
) -> list[Arrow]:
    """Arrows in the given zones, each at a point across its zone's ring (for
    ghosts whose arrows are not drawn from a spread)."""
    result = []
    for zone_index, u, a in zip(zones, radial.tolist(), angle.tolist(), strict=True):
        zone = face.zones[zone_index]
        inner = face.zones[zone_index - 1].radius if zone_index else 0.0
        outer = zone.radius if math.isfinite(zone.radius) else inner * 1.25
        d = inner + (outer - inner) * u
        theta = 2.0 * math.pi * a
        result.append(
            Arrow(zone.label, zone.value, d * math.cos(theta), d * math.sin(theta))
        )
    return result


@dataclass(frozen=True)
class GhostRound:
    """What the ghost shot: its ends, its shoot-off arrows, its level that day
    (and, model version 2, each end's handicap with its drift)."""

    ghost: Ghost
    round: Round
    seed: int
    handicap_today: float | None
    ends: list[End]
    shoot_off: list[Arrow]
    end_handicaps: list[float] | None = None

    @classmethod
    def of(
        cls,
        ghost: Ghost,
        rnd: Round,
        seed: int,
        today: float | None,
        arrows: list[Arrow],
        end_handicaps: list[float] | None = None,
    ) -> GhostRound:
        """Group the arrows shot into the round's ends, then the shoot-off."""
        ends, start = [], 0
        for index, size in rnd.end_plan():
            ends.append(End.of(rnd.distances[index].face, arrows[start : start + size]))
            start += size
        return cls(ghost, rnd, seed, today, ends, arrows[rnd.arrows :], end_handicaps)

    @property
    def tally(self) -> Tally:
        return Tally.of(self.ends)

    def running_totals(self) -> list[int]:
        return list(itertools.accumulate(end.total for end in self.ends))

    def to_dict(self) -> dict[str, Any]:
        tally = self.tally
        return {
            "round": self.round.codename,
            "round_name": self.round.name,
            "ghost": self.ghost.label,
            "handicap": self.ghost.handicap,
            "handicap_today": self.handicap_today,
            "scheme": self.ghost.scheme,
            "model": self.ghost.model,
            "steady": self.ghost.steady,
            "seed": self.seed,
            "ends": [end.labels for end in self.ends],
            "end_totals": [end.total for end in self.ends],
            "end_handicaps": self.end_handicaps,
            "running_totals": self.running_totals(),
            "total": tally.total,
            "xs": tally.xs,
            "tens": tally.tens,
            "hits": tally.hits,
            "max_score": self.round.max_score,
        }


def _simulate_rows(
    ghost: Ghost, rnd: Round, runs: int, *, seed_of: ArrowStream, keep: bool
) -> Simulation:
    """A replayed round, shot ``runs`` times: the same arrows every time, but
    for the ends it never shot, which come from seeds drawn from the stream."""
    seeds = (seed_of.raw(runs) >> np.uint64(1)).tolist()
    shots = [ghost.shoot(rnd, int(seed)) for seed in seeds]
    ends = np.array([[end.total for end in shot.ends] for shot in shots])
    tallies = [shot.tally for shot in shots]
    tens = np.array([t.tens for t in tallies], dtype=np.int64)
    xs = np.array([t.xs for t in tallies], dtype=np.int64)
    kept = None
    if keep:
        kept = np.array(
            [[a.value for e in shot.ends for a in e.arrows] for shot in shots],
            dtype=np.int16,
        )
    return Simulation(ends.sum(axis=1), tens, xs, ends, kept)
