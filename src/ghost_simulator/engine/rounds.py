"""Rounds: distances, faces, arrows and ends, by codename or readable name.

Every round archeryutils ships is here under its codename (``wa18``,
``wa720_70``, ``portsmouth``...). On top: the end size (3 or 6 arrows), half
rounds, the bow's effect on the face, custom rounds, and corrections where the
library departs from World Archery's rules.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, cached_property
from typing import Any

import archeryutils as au
from archeryutils import load_rounds

from .constants import BOWS
from .faces import Face

#: archeryutils' round collections, in the order they are listed.
COLLECTIONS = (
    "WA_outdoor",
    "WA_indoor",
    "WA_field",
    "WA_VI",
    "WA_experimental",
    "AGB_outdoor_metric",
    "AGB_outdoor_imperial",
    "AGB_indoor",
    "AGB_VI",
    "AA_outdoor_metric",
    "AA_indoor",
    "AA_field",
    "IFAA_field",
    "misc",
)


_YARD = 0.9144

#: An elimination match: 5 ends (sets) of 3 arrows.
SETS = 5
SET_ARROWS = 3

#: Where elimination matches are shot, by bow: (metres, scoring system, face cm).
#: WA: recurve 70 m on 122 cm, compound 50 m on the 80 cm 6-ring face, barebow
#: 50 m on 122 cm; indoors 18 m on 40 cm triple spots (barebow on the full
#: face). Longbow and traditional have no WA outdoor distance: 30 m on 122 cm
#: is this app's assumption.
MATCH_FORMATS: dict[tuple[str, bool], tuple[float, str, float]] = {
    ("recurve", False): (70, "10_zone", 122),
    ("compound", False): (50, "10_zone_6_ring", 80),
    ("barebow", False): (50, "10_zone", 122),
    ("longbow", False): (30, "10_zone", 122),
    ("traditional", False): (30, "10_zone", 122),
    ("recurve", True): (18, "10_zone_5_ring", 40),
    ("compound", True): (18, "10_zone_5_ring_compound", 40),
    ("barebow", True): (18, "10_zone", 40),
    ("longbow", True): (18, "10_zone", 40),
    ("traditional", True): (18, "10_zone", 40),
}


class RoundError(ValueError):
    """A round that does not exist or cannot be built, with what would work."""


@dataclass(frozen=True)
class Distance:
    """Arrows shot at one distance on one face (archeryutils calls it a pass)."""

    arrows: int
    metres: float
    face: Face
    indoor: bool
    unit: str = "m"  # how the distance is named: "m" or "yd"

    @property
    def label(self) -> str:
        value = self.metres / _YARD if self.unit == "yd" else self.metres
        return f"{value:g} {self.unit}"

    @property
    def max_score(self) -> int:
        return self.arrows * self.face.max_value


@dataclass(frozen=True)
class Round:
    """A round: its distances in the order shot, and how many arrows make an end."""

    codename: str
    name: str
    distances: tuple[Distance, ...]
    end_size: int
    location: str | None = None
    body: str | None = None
    family: str | None = None
    #: How to build this round again (for a stored match): see ``round_from_ref``.
    ref: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        if not self.distances:
            raise RoundError("A round needs at least one distance.")
        if self.end_size < 1:
            raise RoundError("An end has at least one arrow.")
        for distance in self.distances:
            if distance.arrows < 1:
                raise RoundError("Each distance needs at least one arrow.")

    @property
    def arrows(self) -> int:
        return sum(d.arrows for d in self.distances)

    @property
    def max_score(self) -> int:
        return sum(d.max_score for d in self.distances)

    @property
    def indoor(self) -> bool:
        return all(d.indoor for d in self.distances)

    @property
    def ends(self) -> int:
        return len(self.end_plan())

    def end_plan(self) -> list[tuple[int, int]]:
        """Each end as (distance index, arrows): ends never span two distances."""
        return list(self.plan)

    @cached_property
    def plan(self) -> tuple[tuple[int, int], ...]:
        """:meth:`end_plan`, worked out once (a round is a value)."""
        plan: list[tuple[int, int]] = []
        for index, distance in enumerate(self.distances):
            full, rest = divmod(distance.arrows, self.end_size)
            plan.extend([(index, self.end_size)] * full)
            if rest:
                plan.append((index, rest))
        return tuple(plan)

    def ends_between(self, start: int, stop: int | None = None) -> Round:
        """The round cut to its ends ``start`` to ``stop`` (as in a slice): what
        has been shot so far, or what is left to shoot."""
        counts: dict[int, int] = {}
        for index, size in self.end_plan()[start:stop]:
            counts[index] = counts.get(index, 0) + size
        if not counts:
            raise RoundError("No ends in that part of the round.")
        distances = tuple(
            replace(self.distances[i], arrows=n) for i, n in sorted(counts.items())
        )
        return replace(self, distances=distances)

    def half(self) -> Round:
        """The first half of the round's arrows (the original's "media
        competición"): a WA 1440 halves to its first two distances."""
        remaining = self.arrows // 2
        distances = []
        for distance in self.distances:
            if remaining <= 0:
                break
            take = min(distance.arrows, remaining)
            distances.append(replace(distance, arrows=take))
            remaining -= take
        return replace(
            self,
            codename=f"{self.codename}_half",
            name=f"{self.name} (half)",
            distances=tuple(distances),
            ref={**self.ref, "half": True},
        )

    def for_bow(self, bow: str) -> Round:
        """The round as that bow scores it: compound archers score only the inner
        ten as 10 on indoor faces (WA indoor rules)."""
        if bow not in BOWS:
            raise RoundError(f"Unknown bow {bow!r}: choose one of {', '.join(BOWS)}.")
        if bow != "compound":
            return replace(self, ref={**self.ref, "bow": bow})
        distances = tuple(
            replace(d, face=d.face.compound()) if d.indoor else d
            for d in self.distances
        )
        if distances == self.distances:
            return replace(self, ref={**self.ref, "bow": bow})
        return replace(self, distances=distances, ref={**self.ref, "bow": bow})

    def to_archeryutils(self) -> au.Round:
        passes = [
            au.Pass(d.arrows, d.face.to_target(d.metres, d.indoor))
            for d in self.distances
        ]
        return au.Round(self.name, passes, codename=self.codename)

    def describe(self) -> str:
        parts = [
            f"{d.arrows} arrows at {d.label} on {d.face.name}" for d in self.distances
        ]
        return "; ".join(parts)


#: The most arrows an end of a round of the user's choosing has (real rounds
#: shoot ends of 3 or 6), and the most arrows such a round has (the longest
#: standard rounds, a York or a WA 1440, have 144).
MAX_END_SIZE = 6
MAX_CUSTOM_ARROWS = 1_000


def custom_round(
    name: str,
    distances: Sequence[tuple[int, float, str, float]],
    *,
    end_size: int,
    indoor: bool,
    codename: str = "custom",
) -> Round:
    """A round of the user's choosing: (arrows, metres, scoring system, face cm).
    Whole numbers of arrows, at most :data:`MAX_CUSTOM_ARROWS` in all, in ends
    of 1 to :data:`MAX_END_SIZE` arrows."""
    if type(end_size) is not int or not 1 <= end_size <= MAX_END_SIZE:
        raise RoundError(f"An end has 1 to {MAX_END_SIZE} arrows.")
    if any(type(d[0]) is not int for d in distances):
        raise RoundError("A distance's arrows are whole numbers.")
    if sum(d[0] for d in distances) > MAX_CUSTOM_ARROWS:
        raise RoundError(f"A round has at most {MAX_CUSTOM_ARROWS} arrows.")
    built = []
    for arrows, metres, system, diameter_cm in distances:
        if metres <= 0 or diameter_cm <= 0:
            raise RoundError("Distances and face sizes must be positive.")
        try:
            face = Face.of(system, diameter_cm)
        except ValueError as exc:
            raise RoundError(str(exc).splitlines()[0]) from None
        built.append(Distance(arrows, metres, face, indoor))
    location = "indoor" if indoor else "outdoor"
    ref = {
        "custom": {
            "name": name,
            "distances": [list(d) for d in distances],
            "end_size": end_size,
            "indoor": indoor,
        }
    }
    return Round(codename, name, tuple(built), end_size, location=location, ref=ref)


def _distance_from_pass(pass_: au.Pass) -> Distance:
    unit = "yd" if pass_.native_distance.units.startswith("yard") else "m"
    return Distance(
        arrows=pass_.n_arrows,
        metres=pass_.distance,
        face=Face.from_target(pass_.target),
        indoor=pass_.indoor,
        unit=unit,
    )


def default_end_size(location: str | None) -> int:
    """WA: 3 arrows an end indoors and in field rounds, 6 outdoors."""
    return 6 if location == "outdoor" else 3


def _from_archeryutils(codename: str, au_round: au.Round) -> Round:
    return Round(
        codename=codename,
        name=au_round.name,
        distances=tuple(_distance_from_pass(p) for p in au_round.passes),
        end_size=default_end_size(au_round.location),
        location=au_round.location,
        body=au_round.body,
        family=au_round.family,
        ref={"codename": codename},
    )


def _corrections(rounds: dict[str, Round]) -> None:
    """Where archeryutils departs from World Archery's rules (Book 3)."""
    six_ring = Face.of("10_zone_6_ring", 80)
    for codename in ("wa720_50_c",):
        # WA 720 compound: 72 arrows at 50 m on the 80 cm 6-ring face.
        rnd = rounds[codename]
        rounds[codename] = replace(
            rnd, distances=tuple(replace(d, face=six_ring) for d in rnd.distances)
        )


def _normalise(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


@cache
def all_rounds() -> dict[str, Round]:
    """Every known round by codename, in archeryutils' order."""
    rounds: dict[str, Round] = {}
    for collection in COLLECTIONS:
        for codename, au_round in getattr(load_rounds, collection).items():
            rounds.setdefault(codename, _from_archeryutils(codename, au_round))
    _corrections(rounds)
    return rounds


@cache
def _index() -> dict[str, str]:
    index: dict[str, str] = {}
    for codename, rnd in all_rounds().items():
        for key in (codename, rnd.name):
            index.setdefault(_normalise(key), codename)
    return index


def get_round(name: str, *, bow: str | None = None, half: bool = False) -> Round:
    """A round by codename (``wa720_70``) or readable name (``WA 70m``)."""
    codename = _index().get(_normalise(name))
    if codename is None:
        known = list(all_rounds())
        close = difflib.get_close_matches(name.lower(), known, n=3, cutoff=0.5)
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        raise RoundError(
            f"Unknown round {name!r}.{hint} 'ghost-sim rounds' lists them all."
        )
    rnd = all_rounds()[codename]
    if bow is not None:
        rnd = rnd.for_bow(bow)
    return rnd.half() if half else rnd


def search_rounds(text: str | None = None) -> Iterator[Round]:
    """Rounds whose codename or name contains every word of ``text``."""
    words = [_normalise(w) for w in (text or "").split()]
    for codename, rnd in all_rounds().items():
        haystack = _normalise(codename) + " " + _normalise(rnd.name)
        if all(w in haystack for w in words):
            yield rnd


def rounds_table(rounds: Iterable[Round]) -> list[dict[str, object]]:
    return [
        {
            "codename": r.codename,
            "name": r.name,
            "arrows": r.arrows,
            "ends": r.ends,
            "end_size": r.end_size,
            "max_score": r.max_score,
            "location": r.location,
            "body": r.body,
        }
        for r in rounds
    ]


def match_round(bow: str, indoor: bool) -> Round:
    """The 15 arrows (5 ends of 3) of an elimination match for that bow."""
    if bow not in BOWS:
        raise RoundError(f"Unknown bow {bow!r}: choose one of {', '.join(BOWS)}.")
    metres, system, size = MATCH_FORMATS[(bow, indoor)]
    face = Face.of(system, size)
    where = "indoor" if indoor else "outdoor"
    return Round(
        codename=f"match_{bow}_{where}",
        name=f"{bow.capitalize()} match, {metres:g} m {where}",
        distances=(Distance(SETS * SET_ARROWS, float(metres), face, indoor),),
        end_size=SET_ARROWS,
        location=where,
        ref={"match": {"bow": bow, "indoor": indoor}},
    )


def round_from_ref(ref: dict[str, Any]) -> Round:
    """Rebuild a round from its ``ref`` (as stored with a match)."""
    if "custom" in ref:
        spec = ref["custom"]
        assert isinstance(spec, dict)
        rnd = custom_round(
            str(spec["name"]),
            [tuple(d) for d in spec["distances"]],
            end_size=spec["end_size"],
            indoor=bool(spec["indoor"]),
        )
    elif "match" in ref:
        spec = ref["match"]
        assert isinstance(spec, dict)
        rnd = match_round(str(spec["bow"]), bool(spec["indoor"]))
        return rnd
    else:
        rnd = get_round(str(ref["codename"]))
    if ref.get("bow"):
        rnd = rnd.for_bow(str(ref["bow"]))
    return rnd.half() if ref.get("half") else rnd
