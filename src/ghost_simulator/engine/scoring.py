"""Arrows and ends as an archer writes them: values highest first, X, 10s, hits."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from .faces import MISS, Face, X


@dataclass(frozen=True)
class Arrow:
    """One arrow: its label on the face (``X``, ``10``..``1``, ``M``) and value.

    The ghost's arrows also know where they landed (``x``, ``y`` in metres from
    the centre, up and right positive), for drawing and shoot-offs; an arrow an
    archer types in may not.
    """

    label: str
    value: int
    x: float | None = None
    y: float | None = None

    @property
    def distance(self) -> float | None:
        """How far from the centre it landed, in metres, when known."""
        if self.x is None or self.y is None:
            return None
        return math.hypot(self.x, self.y)

    @property
    def is_x(self) -> bool:
        return self.label == X

    @property
    def is_hit(self) -> bool:
        return self.label != MISS

    def to_dict(self) -> dict[str, object]:
        data: dict[str, object] = {"label": self.label, "value": self.value}
        if self.x is not None and self.y is not None:
            data["x"], data["y"] = self.x, self.y
        return data

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Arrow:
        x, y = data.get("x"), data.get("y")
        return cls(
            str(data["label"]),
            int(data["value"]),  # type: ignore[call-overload]
            float(x) if x is not None else None,  # type: ignore[arg-type]
            float(y) if y is not None else None,  # type: ignore[arg-type]
        )


def arrow(face: Face, label: str) -> Arrow:
    """An arrow an archer enters by its label; ``0`` and ``m`` mean a miss."""
    text = str(label).strip().upper()
    if text in {"0", ""}:
        text = MISS
    face.rank(text)  # raises with the labels the face allows
    return Arrow(text, face.values[text])


@dataclass(frozen=True)
class End:
    """The arrows of one end, written highest first; or, when the archer typed
    only the end's total, that total (``declared``) and no arrows.

    ``shot``: the arrows' labels in the order they were shot, when the archer
    said they entered them in that order (None: the order is not known, as
    when arrows are called at the target highest first). It does not change
    what the end is (equal ends compare equal whatever their order)."""

    arrows: tuple[Arrow, ...]
    declared: int | None = None
    size: int | None = None
    shot: tuple[str, ...] | None = field(default=None, compare=False)

    @classmethod
    def with_total(cls, total: int, size: int) -> End:
        return cls((), declared=total, size=size)

    def entry(self) -> list[str] | dict[str, int]:
        """What the archer entered: the labels (in the order shot when it is
        known), or ``{"total": n}``."""
        if self.declared is not None:
            return {"total": self.declared}
        return list(self.shot) if self.shot is not None else self.labels

    @classmethod
    def of(cls, face: Face, arrows: Iterable[Arrow], in_order: bool = False) -> End:
        """The end of these arrows; ``in_order``: they are given in the order
        shot, which is kept (``shot``)."""
        given = tuple(arrows)
        return cls(
            tuple(sorted(given, key=lambda a: face.rank(a.label))),
            shot=tuple(a.label for a in given) if in_order else None,
        )

    @classmethod
    def from_labels(
        cls, face: Face, labels: Sequence[str], in_order: bool = False
    ) -> End:
        return cls.of(face, (arrow(face, label) for label in labels), in_order)

    @property
    def labels(self) -> list[str]:
        return [a.label for a in self.arrows]

    @cached_property
    def total(self) -> int:
        if self.declared is not None:
            return self.declared
        return sum(a.value for a in self.arrows)

    @property
    def arrow_count(self) -> int:
        return (
            self.size if self.declared is not None and self.size else len(self.arrows)
        )

    @cached_property
    def xs(self) -> int:
        return sum(a.is_x for a in self.arrows)

    @cached_property
    def tens(self) -> int:
        """10s including Xs: the first tie-break of a WA ranking round."""
        return sum(a.value >= 10 for a in self.arrows)

    @cached_property
    def hits(self) -> int:
        return sum(a.is_hit for a in self.arrows)

    def golds(self, face: Face) -> int:
        return sum(a.value >= face.gold_value for a in self.arrows)

    def to_dict(self) -> list[dict[str, object]]:
        return [a.to_dict() for a in self.arrows]

    @classmethod
    def from_dict(cls, data: Sequence[dict[str, object]]) -> End:
        return cls(tuple(Arrow.from_dict(a) for a in data))


@dataclass(frozen=True)
class Tally:
    """Running totals of a sequence of ends."""

    total: int
    xs: int
    tens: int
    hits: int
    arrows: int

    @classmethod
    def of(cls, ends: Iterable[End]) -> Tally:
        ends = list(ends)
        return cls(
            total=sum(e.total for e in ends),
            xs=sum(e.xs for e in ends),
            tens=sum(e.tens for e in ends),
            hits=sum(e.hits for e in ends),
            arrows=sum(e.arrow_count for e in ends),
        )

    def ranking_key(self) -> tuple[int, int, int]:
        """WA ranking-round order: total, then 10s (with Xs), then Xs."""
        return (self.total, self.tens, self.xs)
