"""Target faces: the rings, what each scores, and how an arrow's place is read.

Ring sizes come from archeryutils' face specifications (diameters in metres);
this module adds what scoring needs on top: the X ring, arrow labels, and the
line-cutter rule (an arrow touching a line scores the higher ring).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

import archeryutils as au

MISS = "M"
X = "X"

#: The compound variant of each face: on it only the inner ten scores 10 (WA
#: indoor rules), and the rest of the gold scores 9.
COMPOUND_FACES = {
    "10_zone": "10_zone_compound",
    "10_zone_5_ring": "10_zone_5_ring_compound",
}

#: Readable names of the scoring systems, for people.
FACE_NAMES = {
    "10_zone": "10-zone",
    "10_zone_compound": "10-zone, compound inner 10",
    "10_zone_6_ring": "6-ring (10 to 5)",
    "10_zone_6_ring_compound": "6-ring (10 to 5), compound inner 10",
    "10_zone_5_ring": "triple spot (10 to 6)",
    "10_zone_5_ring_compound": "triple spot (10 to 6), compound inner 10",
    "5_zone": "5-zone imperial (9, 7, 5, 3, 1)",
    "11_zone": "11-zone (X scores 11)",
    "11_zone_6_ring": "11-zone 6-ring",
    "11_zone_5_ring": "11-zone triple spot",
    "WA_field": "WA field",
    "IFAA_field": "IFAA field",
    "IFAA_field_expert": "IFAA field expert",
    "AA_national_field": "AA national field",
    "Beiter_hit_miss": "hit or miss",
    "Worcester": "Worcester",
    "Worcester_2_ring": "Worcester 2-ring",
    "Custom": "custom",
}


@dataclass(frozen=True)
class Zone:
    """A scoring zone: hits whose centre lies within ``radius`` (metres) of the
    face centre, plus the arrow's own radius for line cutters, score ``value``."""

    label: str
    value: int
    radius: float


@dataclass(frozen=True)
class Face:
    """A target face at a size: its zones, innermost first, ending with the miss."""

    system: str
    diameter: float  # metres
    spec: tuple[tuple[float, int], ...]  # (ring diameter [m], value), innermost first

    @classmethod
    def from_spec(cls, system: str, diameter: float, spec: Mapping[float, int]) -> Face:
        return cls(system, diameter, tuple(sorted(spec.items())))

    @classmethod
    def of(cls, system: str, diameter_cm: float) -> Face:
        """A face of one of archeryutils' scoring systems at a size in cm."""
        if system == "10_zone_6_ring_compound":
            # Not in archeryutils: the compound inner ten on a 6-ring face.
            base = dict(au.Target.gen_face_spec("10_zone_compound", diameter_cm / 100))
            spec = {d: v for d, v in base.items() if v >= 5}
            return cls.from_spec(system, diameter_cm / 100, spec)
        target = au.Target(system, diameter_cm, 1.0)
        return cls.from_spec(system, target.diameter, target.face_spec)

    @classmethod
    def from_target(cls, target: au.Target) -> Face:
        return cls.from_spec(target.scoring_system, target.diameter, target.face_spec)

    @property
    def name(self) -> str:
        size = f"{self.diameter * 100:g} cm"
        return f"{size} {FACE_NAMES.get(self.system, self.system)}"

    @cached_property
    def zones(self) -> tuple[Zone, ...]:
        """Scoring zones from the centre out, the miss last (radius infinite).

        A 10-zone face whose ten ring is printed whole gets an X zone inside it,
        half the ten ring's diameter: it scores 10 and is counted for ties. On
        compound faces the inner ten is itself the X ring, and scores 10.
        """
        zones: list[Zone] = []
        for ring_diameter, value in self.spec:
            radius = ring_diameter / 2
            if value == 10 and not zones:
                x_radius = self.diameter / 40  # the inner ten: D/20 across
                if radius > x_radius * 1.000001:
                    zones.append(Zone(X, 10, x_radius))
                    zones.append(Zone("10", 10, radius))
                else:
                    zones.append(Zone(X, 10, radius))
                continue
            zones.append(Zone(str(value), value, radius))
        zones.append(Zone(MISS, 0, float("inf")))
        return tuple(zones)

    @cached_property
    def labels(self) -> tuple[str, ...]:
        """Arrow values this face allows, highest first: what a keypad shows."""
        return tuple(zone.label for zone in self.zones)

    @cached_property
    def values(self) -> dict[str, int]:
        return {zone.label: zone.value for zone in self.zones}

    @property
    def max_value(self) -> int:
        return self.zones[0].value

    @property
    def has_x(self) -> bool:
        return self.zones[0].label == X

    @property
    def gold_value(self) -> int:
        """The lowest value counted as a gold: 10 on WA faces, 9 on imperial ones."""
        return min(self.max_value, 10)

    def zone_index(self, distance_from_centre: float, arrow_radius: float) -> int:
        """Which zone an arrow whose centre lies at that distance scores in:
        touching a line counts as inside it (the line cutter rule)."""
        for index, zone in enumerate(self.zones):
            if distance_from_centre <= zone.radius + arrow_radius:
                return index
        return len(self.zones) - 1  # pragma: no cover - the miss is infinite

    def rank(self, label: str) -> int:
        """Sort key: 0 for the best label; raises for a label the face lacks."""
        try:
            return self.labels.index(label)
        except ValueError:
            allowed = ", ".join(self.labels)
            raise ValueError(
                f"{label!r} is not a value on a {self.name} face (allowed: {allowed})"
            ) from None

    def to_target(self, distance_m: float, indoor: bool) -> au.Target:
        """The archeryutils target for this face at a distance."""
        return au.Target.from_face_spec(
            ({d: v for d, v in self.spec}, "metre"),
            self.diameter * 100,
            distance_m,
            indoor=indoor,
        )

    def compound(self) -> Face:
        """This face as a compound archer scores it (WA indoor: inner ten only)."""
        variant = COMPOUND_FACES.get(self.system)
        if variant is None:
            return self
        return Face.of(variant, self.diameter * 100)
