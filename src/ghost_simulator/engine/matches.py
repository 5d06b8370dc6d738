"""Matches against the ghost, scored by World Archery's rules.

A match is a value: the round (or match format), the ghost, the seed and the
archer's entries. The ghost's arrows follow from the first three, so the state
stores only what the archer entered; ``to_dict``/``from_dict`` round-trip it
exactly, and replaying the entries rebuilds every total and verdict.

- Ranking round (full or half): highest total; ties go to the most 10s
  (Xs included), then the most Xs, then stand as a tie.
- Set system (recurve, barebow, longbow, traditional): 3-arrow sets, 2 set
  points to the set's winner and 1 each on a tie, first to 6; at 5-5 after five
  sets, a one-arrow shoot-off.
- Cumulative system (compound): 5 ends of 3 arrows, highest total of 150; a
  tie goes to a one-arrow shoot-off.
- Shoot-off: the higher value wins; equal values, the arrow closest to the
  centre; equally close, both shoot again.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from ..lru import LRU
from .faces import Face
from .ghost import Ghost, GhostRound
from .rounds import (
    MATCH_FORMATS,
    SET_ARROWS,
    SETS,
    Round,
    match_round,
    round_from_ref,
)

__all__ = ["MATCH_FORMATS", "Match", "MatchError", "match_round", "set_points"]
from .scoring import Arrow, End, Tally, arrow

KINDS = ("ranking", "set", "cumulative")
POINTS_TO_WIN = 6
#: Shoot-off arrows the ghost shoots ahead; more are shot if the archers keep
#: being equally close (WA: shoot again until decided).
SHOOT_OFF_AHEAD = 5
STATE_VERSION = 1
#: The arrow diameters a match takes, in metres: from the thinnest target
#: arrows (about 3.5 mm) to the fattest indoor ones (9.3 mm, 23/64") and some.
ARROW_DIAMETERS = (0.002, 0.012)


class MatchError(ValueError):
    """An entry the match cannot take, and why; ``code`` names the rule, for
    callers that word it in the user's language."""

    def __init__(self, message: str, code: str = "", **params: Any) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


def default_system(bow: str) -> str:
    return "cumulative" if bow == "compound" else "set"


@dataclass(frozen=True)
class ShootOff:
    """One shoot-off arrow each, and who was closer when the values tied."""

    archer: Arrow
    ghost: Arrow
    closer: str | None = None  # "archer", "ghost", "equal" or None (not said)

    @property
    def result(self) -> str | None:
        """ "archer", "ghost", "again" (equally close) or None (closer unknown)."""
        if self.archer.value != self.ghost.value:
            return "archer" if self.archer.value > self.ghost.value else "ghost"
        if self.closer in ("archer", "ghost"):
            return self.closer
        return "again" if self.closer == "equal" else None


@dataclass(frozen=True)
class Verdict:
    status: str  # "in_progress", "shoot_off", "won", "lost", "tied"
    archer_points: int | None = None
    ghost_points: int | None = None
    reason: str = ""

    @property
    def finished(self) -> bool:
        return self.status in {"won", "lost", "tied"}


@dataclass(frozen=True)
class ArcherModel:
    """How the odds model the archer: ``steady`` (the plain handicap model),
    or unsteady with the population's spread for their level and bow, or with
    their own ``form`` and ``drift`` (the ghost's scheme's handicap points,
    measured from their rounds: see ``spread``)."""

    steady: bool = False
    form: float | None = None
    drift: float | None = None

    def __post_init__(self) -> None:
        for value in (self.form, self.drift):
            if value is not None and not (
                isinstance(value, int | float) and 0 <= value <= MAX_SPREAD
            ):
                raise MatchError(
                    f"An archer's form and drift are 0 to {MAX_SPREAD:g} handicap"
                    " points.",
                    "bad_archer_spread",
                )

    @property
    def default(self) -> bool:
        return self == ArcherModel()

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"steady": self.steady}
        if self.form is not None:
            data["form"] = self.form
        if self.drift is not None:
            data["drift"] = self.drift
        return data

    @classmethod
    def from_dict(cls, data: Any) -> ArcherModel:
        if not isinstance(data, dict):
            raise MatchError("The archer's model is an object.", "bad_archer_spread")
        return cls(bool(data.get("steady")), data.get("form"), data.get("drift"))


#: The largest form or drift an archer's model may keep (handicap points).
MAX_SPREAD = 20.0


@dataclass
class Match:
    """A match in progress: feed it the archer's ends, read its state."""

    kind: str
    round: Round
    ghost: Ghost
    seed: int
    archer_ends: list[End] = field(default_factory=list)
    shoot_offs: list[ShootOff] = field(default_factory=list)
    #: The archer's arrows' diameter in metres, when they said which arrows
    #: they shot: the handicap their score earns is worked out with it.
    arrow_diameter: float | None = None
    #: How the odds model the archer (steady, or their own spread): kept
    #: from the start, so the odds of a state never change.
    archer: ArcherModel = field(default_factory=ArcherModel)

    def __post_init__(self) -> None:
        if self.arrow_diameter is not None and not (
            isinstance(self.arrow_diameter, int | float)
            and ARROW_DIAMETERS[0] <= self.arrow_diameter <= ARROW_DIAMETERS[1]
        ):
            raise MatchError(
                f"An arrow diameter is {ARROW_DIAMETERS[0] * 1000:g} to"
                f" {ARROW_DIAMETERS[1] * 1000:g} mm.",
                "bad_arrow_diameter",
            )
        if self.kind not in KINDS:
            raise MatchError(
                f"Unknown match kind {self.kind!r}: one of {', '.join(KINDS)}.",
                "bad_kind",
            )
        if self.kind != "ranking" and (
            self.round.end_size != SET_ARROWS or self.round.arrows != SETS * SET_ARROWS
        ):
            raise MatchError(
                "Set and cumulative matches are 5 ends of 3 arrows.", "bad_format"
            )
        if self.ghost.kind == "minmax":
            # The rules it was made with, however it arrives (a form, the API,
            # an import, a stored match): one check, the constructor's own.
            assert self.ghost.min_end is not None
            assert self.ghost.max_end is not None
            Ghost.from_min_max(
                self.ghost.min_end,
                self.ghost.max_end,
                rnd=self.round,
                outdoor_ranking=self.kind == "ranking" and not self.round.indoor,
                model=self.ghost.model,
            )

    @classmethod
    def elimination(
        cls,
        bow: str,
        ghost: Ghost,
        seed: int,
        *,
        indoor: bool = False,
        system: str | None = None,
    ) -> Match:
        return cls(system or default_system(bow), match_round(bow, indoor), ghost, seed)

    @cached_property
    def ghost_round(self) -> GhostRound:
        """The ghost's round, and shoot-off arrows for a match that may need
        them (a ranking round has none)."""
        ahead = 0 if self.kind == "ranking" else SHOOT_OFF_AHEAD
        return _shot(self.ghost, self.round, self.seed, ahead)

    def _ghost_shoot_off_arrow(self, index: int) -> Arrow:
        """The ghost's ``index``-th shoot-off arrow; more are shot (on the same
        stream, so the earlier ones stay) when the archers keep tying."""
        if index >= len(self.ghost_round.shoot_off):
            self.__dict__["ghost_round"] = _shot(
                self.ghost, self.round, self.seed, index + SHOOT_OFF_AHEAD
            )
        return self.ghost_round.shoot_off[index]

    def ghost_shoot_off_arrows(self, count: int) -> list[Arrow]:
        """The ghost's first ``count`` shoot-off arrows, shot ahead (its stream
        shot further when needed: the earlier arrows stay). None in a ranking
        round."""
        if self.kind == "ranking":
            return []
        shot = self.ghost_round
        if count > len(shot.shoot_off):
            shot = _shot(self.ghost, self.round, self.seed, count)
        return list(shot.shoot_off[:count])

    # -- what is shown -----------------------------------------------------------

    @property
    def ends_shot(self) -> int:
        return len(self.archer_ends)

    @property
    def ghost_ends(self) -> list[End]:
        """The ghost's ends revealed so far: never one the archer has not shot."""
        return self.ghost_round.ends[: self.ends_shot]

    @property
    def ghost_values_shown(self) -> list[list[int]]:
        """The values of the ghost's arrows revealed so far, end by end."""
        return [[a.value for a in end.arrows] for end in self.ghost_ends]

    def face_for_end(self, index: int) -> Face:
        distance_index, _ = self.round.plan[index]
        return self.round.distances[distance_index].face

    @property
    def shoot_off_face(self) -> Face:
        return self.round.distances[-1].face

    def archer_tally(self) -> Tally:
        return Tally.of(self.archer_ends)

    def ghost_tally(self) -> Tally:
        return Tally.of(self.ghost_ends)

    def set_points(self) -> list[tuple[int, int]]:
        """Set points (archer, ghost) earned in each set shot so far."""
        return [
            set_points(a.total, g.total)
            for a, g in zip(self.archer_ends, self.ghost_ends, strict=True)
        ]

    # -- entering arrows ---------------------------------------------------------

    def expected_arrows(self) -> int:
        """How many arrows the next end has (0 when no end is due)."""
        plan = self.round.plan
        if self.kind != "set" and self.ends_shot < len(plan):
            # Totals decide nothing before the last end: no need to add them
            # up (replaying a long round stays linear in its ends).
            return plan[self.ends_shot][1]
        verdict = self.verdict()
        if verdict.finished or verdict.status == "shoot_off":
            return 0
        return self.round.plan[self.ends_shot][1]

    def add_end(
        self,
        labels: list[str] | None = None,
        *,
        total: int | None = None,
        in_order: bool = False,
    ) -> End:
        """Enter the archer's next end, arrow by arrow or as a total;
        ``in_order``: the arrows are given in the order they were shot."""
        size = self.expected_arrows()
        if size == 0:
            raise MatchError(self._no_end_reason(), "not_due")
        end = self._make_end(self.ends_shot, size, labels, total, in_order)
        self.archer_ends.append(end)
        return end

    def correct_last_end(
        self,
        labels: list[str] | None = None,
        *,
        total: int | None = None,
        in_order: bool = False,
    ) -> End:
        """Replace the last end entered (before the next one is shot)."""
        if not self.archer_ends:
            raise MatchError("There is no end to correct yet.", "nothing_to_correct")
        if self.shoot_offs:
            raise MatchError(
                "The shoot-off has started: the ends can no longer change.",
                "shoot_off_started",
            )
        index = self.ends_shot - 1
        size = self.round.plan[index][1]
        end = self._make_end(index, size, labels, total, in_order)
        self.archer_ends[index] = end
        return end

    def _make_end(
        self,
        index: int,
        size: int,
        labels: list[str] | None,
        total: int | None,
        in_order: bool = False,
    ) -> End:
        face = self.face_for_end(index)
        if (labels is None) == (total is None):
            raise MatchError(
                "Enter either the end's arrows or its total.", "arrows_or_total"
            )
        if labels is not None:
            if len(labels) != size:
                raise MatchError(
                    f"This end has {size} arrows, not {len(labels)}.",
                    "arrow_count",
                    size=size,
                )
            try:
                return End.from_labels(face, labels, in_order)
            except ValueError as exc:
                raise MatchError(str(exc), "bad_label", labels=face.labels) from None
        assert total is not None
        top = size * face.max_value
        if not 0 <= total <= top:
            raise MatchError(
                f"An end of {size} arrows on this face scores 0 to {top}.",
                "bad_total",
                top=top,
            )
        return End.with_total(total, size)

    def add_shoot_off(self, label: str, closer: str | None = None) -> ShootOff:
        """The archer's shoot-off arrow; ``closer`` says whose arrow is nearer the
        centre (``"archer"``, ``"ghost"``, ``"equal"``) when the values tie."""
        if closer not in (None, "archer", "ghost", "equal"):
            raise MatchError(
                "closer must be 'archer', 'ghost' or 'equal'.", "bad_closer"
            )
        verdict = self.verdict()
        if verdict.status != "shoot_off":
            raise MatchError("No shoot-off is due.", "no_shoot_off")
        if self.shoot_offs and self.shoot_offs[-1].result is None:
            last = self.shoot_offs[-1]
            self.shoot_offs[-1] = ShootOff(last.archer, last.ghost, closer)
            return self.shoot_offs[-1]
        try:
            archer_arrow = arrow(self.shoot_off_face, label)
        except ValueError as exc:
            raise MatchError(
                str(exc), "bad_label", labels=self.shoot_off_face.labels
            ) from None
        ghost_arrow = self._ghost_shoot_off_arrow(len(self.shoot_offs))
        shoot_off = ShootOff(archer_arrow, ghost_arrow, closer)
        self.shoot_offs.append(shoot_off)
        return shoot_off

    def _no_end_reason(self) -> str:
        verdict = self.verdict()
        if verdict.status == "shoot_off":
            return "The match is level: it goes to a shoot-off arrow."
        return "The match is over."

    # -- the rules ----------------------------------------------------------------

    def verdict(self) -> Verdict:
        if self.kind == "set":
            return self._set_verdict()
        if self.kind == "cumulative":
            return self._total_verdict(allow_tie=False)
        return self._total_verdict(allow_tie=True)

    def _shoot_off_verdict(self, points: tuple[int, int]) -> Verdict:
        """After a tie: the shoot-off's verdict. In a set match its winner
        scores the deciding point (World Archery records a shoot-off win as
        6-5); totals are the arrows' and stay as they are."""
        a, g = points
        extra = 1 if self.kind == "set" else 0
        for shoot_off in self.shoot_offs:
            if shoot_off.result == "archer":
                return Verdict("won", a + extra, g, reason="shoot-off")
            if shoot_off.result == "ghost":
                return Verdict("lost", a, g + extra, reason="shoot-off")
        return Verdict("shoot_off", a, g)

    def _set_verdict(self) -> Verdict:
        a = g = 0
        for archer_points, ghost_points in self.set_points():
            a, g = a + archer_points, g + ghost_points
            if a >= POINTS_TO_WIN or g >= POINTS_TO_WIN:
                return Verdict("won" if a > g else "lost", a, g, reason="set points")
        if self.ends_shot == SETS:
            return self._shoot_off_verdict((a, g))  # 5-5
        return Verdict("in_progress", a, g)

    def _total_verdict(self, allow_tie: bool) -> Verdict:
        archer, ghost = self.archer_tally(), self.ghost_tally()
        if self.ends_shot < len(self.round.plan):
            return Verdict("in_progress", archer.total, ghost.total)
        if not allow_tie:
            if archer.total != ghost.total:
                won = archer.total > ghost.total
                return Verdict(
                    "won" if won else "lost", archer.total, ghost.total, "total"
                )
            return self._shoot_off_verdict((archer.total, ghost.total))
        mine, theirs = archer.ranking_key(), ghost.ranking_key()
        reasons = ("total", "10s", "Xs")
        for reason, x, y in zip(reasons, mine, theirs, strict=True):
            if x != y:
                return Verdict(
                    "won" if x > y else "lost", archer.total, ghost.total, reason
                )
        return Verdict("tied", archer.total, ghost.total, "tie")

    # -- history ------------------------------------------------------------------

    def archer_handicap(self) -> float | None:
        """The handicap the archer's arrows so far earn (None before any)."""
        if not self.archer_ends:
            return None
        from .handicaps import handicap_earned

        shot = self.round.ends_between(0, self.ends_shot)
        total = self.archer_tally().total
        return handicap_earned(shot, total, self.ghost.scheme, self.arrow_diameter)

    def summary(self) -> dict[str, Any]:
        """What a history lists of the match, so that it need not replay it:
        a set match's set points too (6-5 after a shoot-off), None otherwise."""
        ref = self.round.ref
        bow = ref["match"]["bow"] if "match" in ref else ref.get("bow")
        points: tuple[int | None, int | None] = (None, None)
        if self.kind == "set":
            verdict = self.verdict()
            points = (verdict.archer_points, verdict.ghost_points)
        return {
            "bow": bow,
            "half": bool(ref.get("half")),
            "ghost_kind": self.ghost.kind,
            "ghost_handicap": self.ghost.handicap,
            "model": self.ghost.model,
            "archer_total": self.archer_tally().total,
            "ghost_total": self.ghost_tally().total,
            "ends_shot": self.ends_shot,
            "arrows_shot": sum(end.arrow_count for end in self.archer_ends),
            "max_score": self.round.max_score,
            "archer_handicap": self.archer_handicap(),
            "archer_set_points": points[0],
            "ghost_set_points": points[1],
        }

    # -- storage ------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        diameter = self.arrow_diameter
        equipment: dict[str, Any] = (
            {} if diameter is None else {"arrow_diameter": diameter}
        )
        if not self.archer.default:
            equipment["archer"] = self.archer.to_dict()
        in_order = [i for i, end in enumerate(self.archer_ends) if end.shot]
        if in_order:  # the ends whose arrows are kept in the order shot
            equipment["in_order"] = in_order
        return {
            **equipment,
            "version": STATE_VERSION,
            "kind": self.kind,
            "round": self.round.ref,
            "ghost": self.ghost.to_dict(),
            "seed": self.seed,
            "archer_ends": [end.entry() for end in self.archer_ends],
            "shoot_offs": [
                {"label": s.archer.label, "closer": s.closer} for s in self.shoot_offs
            ],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Match:
        """Rebuild a stored match by replaying its entries through the rules."""
        if data.get("version") != STATE_VERSION:
            raise MatchError(
                f"Unsupported match state version {data.get('version')!r}.",
                "bad_version",
            )
        match = cls(
            data["kind"],
            round_from_ref(data["round"]),
            Ghost.from_dict(data["ghost"]),
            int(data["seed"]),
            arrow_diameter=data.get("arrow_diameter"),
        )
        if "archer" in data:
            match.archer = ArcherModel.from_dict(data["archer"])
        in_order = set(data.get("in_order") or ())
        for index, entry in enumerate(data["archer_ends"]):
            if isinstance(entry, dict):
                match.add_end(total=int(entry["total"]))
            else:
                match.add_end(list(entry), in_order=index in in_order)
        for shoot_off in data["shoot_offs"]:
            match.add_shoot_off(shoot_off["label"], shoot_off.get("closer"))
        return match


#: The ghost's rounds shot lately, by what decides every arrow of them: the
#: ghost, the round, the seed and the shoot-off arrows shot ahead. A stored
#: match is replayed on every request; its ghost need not shoot again.
_SHOT: LRU[tuple[Ghost, Round, int, int], GhostRound] = LRU(256)


def _shot(ghost: Ghost, rnd: Round, seed: int, ahead: int) -> GhostRound:
    """``ghost.shoot(rnd, seed, ahead)``, remembered (rounds are values: the
    same four always shoot the same arrows)."""
    shot = _SHOT.get_or_make(
        (ghost, rnd, seed, ahead),
        lambda: ghost.shoot(rnd, seed, shoot_off_arrows=ahead),
    )
    if shot.ghost is ghost and shot.round is rnd:
        return shot
    # An equal ghost may describe where it came from differently (its source).
    return replace(shot, ghost=ghost, round=rnd)


def set_points(archer_total: int, ghost_total: int) -> tuple[int, int]:
    """2 to the set's winner, 1 each for a tie."""
    if archer_total > ghost_total:
        return 2, 0
    if archer_total < ghost_total:
        return 0, 2
    return 1, 1
