"""The ghost: a phantom archer who shoots arrow by arrow at its handicap.

Reproducibility promise: the same ghost, round and seed give the same arrows on
every machine and in every release. The arrows come from NumPy's PCG64 bit
generator, whose raw 64-bit stream NumPy keeps stable, turned into uniforms by
integer arithmetic; each arrow's zone is read by comparing its uniform with
thresholds, so floating-point library differences cannot move an arrow to
another ring (short of a draw within 1e-16 of a ring's edge). Stream layout,
which must never change:

- draws 0 and 1: the ghost's form on the day (its handicap's variation);
- draws 2k + 2 and 2k + 3: arrow k, counted across the whole round in the
  order shot (then any shoot-off arrows): its distance from the centre, then
  its angle.

Golden tests in ``tests/engine/test_ghost.py`` hold this to account.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import asdict, dataclass, field
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt

from . import handicaps
from .constants import DEFAULT_FORM
from .faces import Face
from .rounds import Round
from .scoring import Arrow, End, Tally

KINDS = ("handicap", "score", "preset", "history", "minmax", "perfect")


class GhostError(ValueError):
    """A ghost that cannot be built as asked, and why. ``code`` and ``params``
    name the rule broken, for callers that word it in the user's language."""

    def __init__(self, message: str, code: str = "", **params: Any) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


class ArrowStream:
    """Uniform draws in (0, 1), identical on every machine for a given seed."""

    def __init__(self, seed: int) -> None:
        if not (0 <= seed < 2**63):
            raise GhostError(
                f"Seeds are whole numbers from 0 to 2**63 - 1, not {seed}."
            )
        self._bits = np.random.PCG64(seed)

    def uniforms(self, count: int) -> npt.NDArray[np.float64]:
        raw = self._bits.random_raw(count)
        # 53 random bits, centred in their interval: never exactly 0 or 1.
        return ((raw >> np.uint64(11)).astype(np.float64) + 0.5) * 2.0**-53


def form_offset(u1: float, u2: float) -> float:
    """A standard normal from two uniforms (Box-Muller)."""
    return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)


@dataclass(frozen=True)
class Ghost:
    """Who the archer shoots against: a handicap, or the original's min/max.

    ``kind`` and ``source`` say how it was defined (a score on a round, a
    preset, past scores), so a match can show it and be replayed.
    """

    kind: str
    handicap: float | None = None
    scheme: str = handicaps.DEFAULT_SCHEME
    form: float = DEFAULT_FORM
    min_end: int | None = None
    max_end: int | None = None
    source: dict[str, Any] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise GhostError(f"Unknown ghost kind {self.kind!r}.")
        if self.form < 0 or not math.isfinite(self.form):
            raise GhostError("The ghost's form variation cannot be negative.")
        if self.kind in {"minmax", "perfect"}:
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
        form: float = DEFAULT_FORM,
    ) -> Ghost:
        handicaps.scheme(scheme)
        return cls("handicap", float(handicap), scheme, form)

    @classmethod
    def from_score(
        cls,
        rnd: Round,
        score: float,
        scheme: str = handicaps.DEFAULT_SCHEME,
        form: float = DEFAULT_FORM,
    ) -> Ghost:
        """The ghost whose expected score on the round is ``score``."""
        handicap = handicaps.handicap_for_score(rnd, score, scheme)
        return cls(
            "score",
            handicap,
            scheme,
            form,
            source={"round": rnd.codename, "score": score},
        )

    @classmethod
    def from_history(
        cls,
        scores: list[tuple[Round, float]],
        method: str = "average",
        scheme: str = handicaps.DEFAULT_SCHEME,
        form: float = DEFAULT_FORM,
    ) -> Ghost:
        """The archer's own level: their average or their best past score."""
        handicap = handicaps.handicap_from_scores(scores, scheme, method)
        source = {"method": method, "scores": [[r.codename, s] for r, s in scores]}
        return cls("history", handicap, scheme, form, source=source)

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
        end_size: int,
        face: Face | None = None,
        outdoor_ranking: bool = False,
    ) -> Ghost:
        """The original app's ghost: each end's total drawn uniformly between
        ``min_end`` and ``max_end`` points. Kept for its users; unlike the
        other ghosts it does not shoot like a real archer."""
        check_min_max(min_end, max_end, outdoor_ranking=outdoor_ranking)
        if face is not None and max_end > end_size * face.max_value:
            limit = end_size * face.max_value
            raise GhostError(
                f"The maximum points per end cannot exceed {limit}"
                f" ({end_size} arrows on this face).",
                "max_too_high",
                limit=limit,
            )
        return cls("minmax", min_end=min_end, max_end=max_end, form=0.0)

    # -- description and storage ----------------------------------------------

    @property
    def label(self) -> str:
        if self.kind == "perfect":
            return "perfect ghost (every arrow an X)"
        if self.kind == "minmax":
            return f"{self.min_end} to {self.max_end} points per end (uniform)"
        text = f"handicap {self.handicap:.1f} ({self.scheme})"
        if self.kind == "score":
            text += f", {self.source['score']:g} on {self.source['round']}"
        elif self.kind == "preset":
            text += f", preset {self.source.get('preset')}"
        return text

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Ghost:
        return cls(**data)

    def handicap_on_the_day(
        self, stream_start: npt.NDArray[np.float64]
    ) -> float | None:
        if self.handicap is None:
            return None
        offset = form_offset(float(stream_start[0]), float(stream_start[1]))
        best, worst = handicaps.bounds(self.scheme)
        low, high = min(best, worst), max(best, worst)
        return min(max(self.handicap + self.form * offset, low), high)

    # -- shooting ---------------------------------------------------------------

    def shoot(self, rnd: Round, seed: int, shoot_off_arrows: int = 0) -> GhostRound:
        """Shoot the round, end by end, then any shoot-off arrows (one each,
        at the round's last distance)."""
        plan = rnd.end_plan()
        total_arrows = rnd.arrows + shoot_off_arrows
        draws = ArrowStream(seed).uniforms(2 + 2 * total_arrows)
        today = self.handicap_on_the_day(draws[:2])
        radial, angle = draws[2::2], draws[3::2]

        arrows: list[Arrow] = []
        position = 0
        last = len(rnd.distances) - 1
        for index, distance in enumerate(rnd.distances):
            sizes = [size for i, size in plan if i == index]
            if index == last:
                sizes += [1] * shoot_off_arrows
            count = sum(sizes)
            arrows.extend(
                self._shoot_at(
                    distance.face,
                    distance.metres,
                    distance.indoor,
                    today,
                    radial[position : position + count],
                    angle[position : position + count],
                    sizes,
                    rnd.end_size,
                )
            )
            position += count

        ends, start = [], 0
        for index, size in plan:
            face = rnd.distances[index].face
            ends.append(End.of(face, arrows[start : start + size]))
            start += size
        return GhostRound(self, rnd, seed, today, ends, arrows[rnd.arrows :])

    def _shoot_at(
        self,
        face: Face,
        metres: float,
        indoor: bool,
        today: float | None,
        radial: npt.NDArray[np.float64],
        angle: npt.NDArray[np.float64],
        sizes: list[int],
        end_size: int,
    ) -> list[Arrow]:
        if self.kind == "perfect":
            return _place_in_zones(face, [0] * len(radial), radial, angle)
        if self.kind == "minmax":
            return self._shoot_min_max(face, radial, angle, sizes, end_size)
        assert today is not None
        spread = handicaps.sigma(today, metres, self.scheme)
        radius = handicaps.arrow_radius(indoor, self.scheme)
        thresholds = handicaps.zone_thresholds(face, spread, radius)
        zones = (thresholds[None, :] > radial[:, None]).sum(axis=1)
        distances = spread * np.sqrt(-np.log(radial))
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

    def _shoot_rows(
        self, rnd: Round, row: npt.NDArray[np.float64]
    ) -> tuple[int, int, int]:
        """One simulated round from its block of draws: (total, 10s, Xs)."""
        arrows: list[Arrow] = []
        position = 0
        plan = rnd.end_plan()
        for index, distance in enumerate(rnd.distances):
            sizes = [size for i, size in plan if i == index]
            count = sum(sizes)
            radial = row[2 + 2 * position : 2 + 2 * (position + count) : 2]
            angle = row[3 + 2 * position : 3 + 2 * (position + count) : 2]
            arrows.extend(
                self._shoot_at(
                    distance.face,
                    distance.metres,
                    distance.indoor,
                    None,
                    radial,
                    angle,
                    sizes,
                    rnd.end_size,
                )
            )
            position += count
        return (
            sum(a.value for a in arrows),
            sum(a.value >= 10 for a in arrows),
            sum(a.is_x for a in arrows),
        )

    def _shoot_min_max(
        self,
        face: Face,
        radial: npt.NDArray[np.float64],
        angle: npt.NDArray[np.float64],
        sizes: list[int],
        end_size: int,
    ) -> list[Arrow]:
        """Each end's total uniform in [min, max] (its first draw), split into
        arrows as evenly as the face allows; a lone shoot-off arrow scores its
        share of such a total."""
        assert self.min_end is not None
        assert self.max_end is not None
        arrows: list[Arrow] = []
        span = self.max_end - self.min_end + 1
        start = 0
        for size in sizes:
            u = radial[start : start + size]
            total = self.min_end + min(int(u[0] * span), span - 1)
            if size < end_size:
                total = round(total * size / end_size)
            zones = _split_total(face, size, total)
            arrows.extend(_place_in_zones(face, zones, u, angle[start : start + size]))
            start += size
        return arrows


@dataclass(frozen=True)
class Simulation:
    """Many rounds shot by one ghost: each round's total, 10s and Xs."""

    totals: npt.NDArray[np.int64]
    tens: npt.NDArray[np.int64]
    xs: npt.NDArray[np.int64]


def simulate(ghost: Ghost, rnd: Round, runs: int, seed: int) -> Simulation:
    """Shoot the round ``runs`` times, vectorised. Run i takes the i-th block of
    2 + 2 x arrows draws of one stream, laid out as ``Ghost.shoot`` lays out
    its own (form, then radial and angle draws per arrow)."""
    if runs < 1:
        raise GhostError("Simulate at least one round.")
    width = 2 + 2 * rnd.arrows
    draws = ArrowStream(seed).uniforms(runs * width).reshape(runs, width)
    radial = draws[:, 2::2]
    totals = np.zeros(runs, dtype=np.int64)
    tens = np.zeros(runs, dtype=np.int64)
    xs = np.zeros(runs, dtype=np.int64)
    if ghost.kind in {"perfect", "minmax"}:
        for seed_offset in range(runs):  # few users simulate these; keep it simple
            shot = ghost._shoot_rows(rnd, draws[seed_offset])
            totals[seed_offset], tens[seed_offset], xs[seed_offset] = shot
        return Simulation(totals, tens, xs)
    assert ghost.handicap is not None
    best, worst = handicaps.bounds(ghost.scheme)
    z = np.sqrt(-2.0 * np.log(draws[:, 0])) * np.cos(2.0 * np.pi * draws[:, 1])
    today = np.clip(ghost.handicap + ghost.form * z, min(best, worst), max(best, worst))
    column = 0
    for distance in rnd.distances:
        face = distance.face
        spread = handicaps.scheme(ghost.scheme).sigma_r(today, distance.metres)
        radius = handicaps.arrow_radius(distance.indoor, ghost.scheme)
        edges = np.array([zone.radius for zone in face.zones[:-1]]) + radius
        thresholds = np.exp(-((edges[None, :] / spread[:, None]) ** 2))
        u = radial[:, column : column + distance.arrows]
        zones = (u[:, :, None] < thresholds[:, None, :]).sum(axis=2)
        values = np.array([zone.value for zone in face.zones])
        totals += values[zones].sum(axis=1)
        tens += (values[zones] >= 10).sum(axis=1)
        if face.has_x:
            xs += (zones == 0).sum(axis=1)
        column += distance.arrows
    return Simulation(totals, tens, xs)


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


@cache
def _split_total(face: Face, arrows: int, total: int) -> tuple[int, ...]:
    """Zone indices of ``arrows`` arrows adding up to ``total`` as evenly as the
    face allows (the min/max ghost only knows its end totals)."""
    options = {
        zone.value: index for index, zone in enumerate(face.zones) if zone.label != "X"
    }
    if face.zones[0].label == "X" and 10 not in options:
        options[10] = 0
    best: tuple[int, ...] | None = None
    for combo in itertools.combinations_with_replacement(sorted(options), arrows):
        if sum(combo) == total and (
            best is None or max(combo) - min(combo) < max(best) - min(best)
        ):
            best = combo
    if best is None:
        raise GhostError(f"No {arrows} arrows on this face add up to {total}.")
    return tuple(options[v] for v in sorted(best, reverse=True))


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


@dataclass(frozen=True)
class GhostRound:
    """What the ghost shot: its ends, its shoot-off arrows, its level that day."""

    ghost: Ghost
    round: Round
    seed: int
    handicap_today: float | None
    ends: list[End]
    shoot_off: list[Arrow]

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
            "seed": self.seed,
            "ends": [end.labels for end in self.ends],
            "end_totals": [end.total for end in self.ends],
            "running_totals": self.running_totals(),
            "total": tally.total,
            "xs": tally.xs,
            "tens": tally.tens,
            "hits": tally.hits,
            "max_score": self.round.max_score,
        }
