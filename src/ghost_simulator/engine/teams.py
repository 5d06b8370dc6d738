"""Team and mixed-team matches against ghosts, scored by World Archery's rules.

The archer shoots their own two arrows of every end; ghost teammates shoot the
rest of their side's arrows, and a team of ghosts is the other side. Like an
individual :class:`~.matches.Match`, a team match is a value: its kind, bow,
indoors or out, scoring system, ghosts and seed, and the archer's entries.
Every ghost's arrows follow from the rest, so ``to_dict``/``from_dict`` store
only what the archer entered and round-trip it exactly; replaying the entries
rebuilds every total and verdict.

The rules, from World Archery's Book 3 (Target Archery), team and mixed team
matches in the elimination and finals rounds:

- A team is three archers of the same bow; a mixed team is one man and one
  woman (this module does not model who is a man or a woman: a side is two
  archers).
- Every archer shoots two arrows an end; a team's end is 6 arrows, a mixed
  team's 4. Faces and distances are those of the individual match for the bow
  (:func:`~.rounds.match_round`).
- Set system (recurve, barebow and the other non-compound bows): at most 4
  sets; the team with the higher set total scores 2 set points, a tied set
  gives 1 to each, and the first team to 5 set points wins (a team on 4 that
  wins a set finishes on 6: 6-0 and 6-2 are results too). At 4-4 after four
  sets, a team shoot-off decides, and its winner is recorded with the deciding
  point: 5-4.
- Cumulative system (compound): 4 ends, the higher total wins (at most 240 for
  a team, 160 for a mixed team); a tie goes to a team shoot-off, and the totals
  stay as shot.
- Team shoot-off: one arrow per archer (3 for a team, 2 for a mixed team); the
  higher total wins; equal totals, the team whose arrow is closest to the centre
  wins; equally close, the second closest arrows decide, and so on; all equally
  close, the teams shoot again.

Who was closer: the ghosts' arrows know where they landed; the archer's arrow
knows only its ring, unless they give its distance from the centre. An arrow in
a better ring is closer (an X than a 10). When the closeness rule comes out the
same wherever in its ring the archer's arrow is, the match settles it;
otherwise the archer says which side was closer (``closer``, as in the
individual match), or gives the distance.

No article numbers are cited: the 2026 text of Book 3 could not be read while
this module was written, so none was checked. Check the rules above against
the current edition (its team and mixed team match and shoot-off articles)
before quoting an article.

Stream layout (which must never change): ghost ``i`` of a side (``"teammate"``
or ``"opponent"``, counted from 0) shoots from its own seed, the first 63 bits
of SHA-256 of ``"ghost-simulator/team/{seed}/{side}/{i}"``, a round of 8 arrows
in ends of 2 (then its shoot-off arrows, one at a time, on the same stream).
Adding or changing a ghost never moves another's arrows.
"""

from __future__ import annotations

import hashlib
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cache, cached_property
from typing import Any

from .constants import BOWS, MAX_SEED
from .faces import Face
from .ghost import Ghost, GhostRound
from .matches import MatchError, _shot, default_system, set_points
from .rounds import Round, match_round
from .scoring import Arrow, End, Tally, arrow

__all__ = [
    "KINDS",
    "MatchError",
    "TeamMatch",
    "TeamShootOff",
    "TeamVerdict",
    "closeness",
    "member_seed",
    "team_round",
]

#: "team": three archers a side; "mixed": two (one man, one woman).
KINDS = ("team", "mixed")
TEAM_SIZES = {"team": 3, "mixed": 2}
SYSTEMS = ("set", "cumulative")
#: Sets (or ends) in a match, and each archer's arrows in each.
ENDS = 4
ARROWS_EACH = 2
POINTS_TO_WIN = 5
#: Shoot-off arrows each ghost shoots ahead; more when the teams keep tying.
SHOOT_OFF_AHEAD = 5
TEAM_STATE_VERSION = 1
TEAMMATE, OPPONENT = "teammate", "opponent"
#: Whose side was closer to the centre, as the archer says it (the individual
#: match's words): "archer" their own team, "ghost" the ghosts' team, "equal".
CLOSER = (None, "archer", "ghost", "equal")
#: Ghosts that cannot shoot a team match: the original's min/max ghost counts
#: points per 3-arrow end, and a replayed round was shot on another round.
UNFIT_GHOSTS = ("minmax", "replay")


@cache
def team_round(bow: str, indoor: bool) -> Round:
    """One archer's arrows in a team match: 4 ends of 2 arrows at the distance
    and on the face of the individual match for the bow."""
    base = match_round(bow, indoor)
    where = "indoor" if indoor else "outdoor"
    distance = replace(base.distances[0], arrows=ENDS * ARROWS_EACH)
    return replace(
        base,
        codename=f"team_{bow}_{where}",
        name=f"{bow.capitalize()} team match, {distance.label} {where}",
        distances=(distance,),
        end_size=ARROWS_EACH,
        ref={"team_match": {"bow": bow, "indoor": indoor}},
    )


def member_seed(seed: int, side: str, index: int) -> int:
    """The seed of one ghost's own stream (see the module's stream layout)."""
    text = f"ghost-simulator/team/{seed}/{side}/{index}".encode()
    return int.from_bytes(hashlib.sha256(text).digest()[:8], "big") >> 1


#: How close an arrow is: its zone on the face (0 the best) and, when known, its
#: distance from the centre in metres. A better zone is always closer.
Closeness = tuple[int, float]


def closeness(team: Sequence[Closeness], opponents: Sequence[Closeness]) -> str:
    """The team shoot-off's tie-break between equal totals: the closest arrows
    compare, then the second closest, and so on. ``"archer"`` (the first side
    wins), ``"ghost"`` (the second) or ``"again"`` (all equally close)."""
    for mine, theirs in zip(sorted(team), sorted(opponents), strict=True):
        if mine != theirs:
            return "archer" if mine < theirs else "ghost"
    return "again"


@dataclass(frozen=True)
class TeamShootOff:
    """One shoot-off arrow from every archer, and who was closer when the
    totals tied. ``distance`` is the archer's arrow's distance from the centre
    in metres, when they give it; ``closer`` their word on the closeness rule
    ("archer": their team, "ghost": the ghosts' team, "equal"), needed only
    when the arrows' rings cannot settle it."""

    archer: Arrow
    teammates: tuple[Arrow, ...]
    opponents: tuple[Arrow, ...]
    face: Face = field(repr=False)
    closer: str | None = None
    distance: float | None = None

    @property
    def team_arrows(self) -> tuple[Arrow, ...]:
        return (self.archer, *self.teammates)

    @property
    def team_total(self) -> int:
        return sum(a.value for a in self.team_arrows)

    @property
    def opponent_total(self) -> int:
        return sum(a.value for a in self.opponents)

    @property
    def by_geometry(self) -> str | None:
        """The closeness rule's answer from where the arrows are, when that does
        not depend on where in its ring the archer's arrow is (or the archer
        gave its distance); None when it does."""
        rank = self.face.rank
        known = [(rank(a.label), _where(a)) for a in self.teammates]
        theirs = [(rank(a.label), _where(a)) for a in self.opponents]
        mine = rank(self.archer.label)
        if self.distance is not None:
            return closeness([(mine, self.distance), *known], theirs)
        # Only the order of the archer's arrow among the arrows in its own ring
        # matters: try it in every gap between them.
        same = sorted({d for r, d in (*known, *theirs) if r == mine})
        if not same:
            places = [0.0]
        else:
            gaps = [(a + b) / 2 for a, b in itertools.pairwise(same)]
            places = [same[0] - 1.0, *gaps, same[-1] + 1.0]
        results = {closeness([(mine, d), *known], theirs) for d in places}
        return results.pop() if len(results) == 1 else None

    @property
    def result(self) -> str | None:
        """ "archer" (the archer's team wins), "ghost", "again" (all equally
        close: shoot again) or None (who was closer is not known yet)."""
        if self.team_total != self.opponent_total:
            return "archer" if self.team_total > self.opponent_total else "ghost"
        settled = self.by_geometry
        if settled is not None:
            return settled
        if self.closer in ("archer", "ghost"):
            return self.closer
        return "again" if self.closer == "equal" else None

    def entry(self) -> dict[str, Any]:
        data: dict[str, Any] = {"label": self.archer.label, "closer": self.closer}
        if self.distance is not None:
            data["distance"] = self.distance
        return data


def _where(shot: Arrow) -> float:
    distance = shot.distance
    if distance is None:  # pragma: no cover - every ghost arrow has its place
        raise MatchError("A ghost's arrow has no place on the face.", "no_position")
    return distance


@dataclass(frozen=True)
class TeamVerdict:
    """Where the match stands. ``team_points``/``opponent_points`` are set
    points (None in the cumulative system); the totals are the arrows' (the
    shoot-off's not included)."""

    status: str  # "in_progress", "shoot_off", "won", "lost"
    team_points: int | None
    opponent_points: int | None
    team_total: int
    opponent_total: int
    reason: str = ""

    @property
    def finished(self) -> bool:
        return self.status in {"won", "lost"}


@dataclass
class TeamMatch:
    """A team or mixed-team match in progress: feed it the archer's ends."""

    kind: str
    bow: str
    teammates: Sequence[Ghost]
    opponents: Sequence[Ghost]
    seed: int
    indoor: bool = False
    system: str = ""  # "" → the bow's own ("cumulative" for compound)
    archer_ends: list[End] = field(default_factory=list)
    shoot_offs: list[TeamShootOff] = field(default_factory=list)
    _ahead: int = field(default=SHOOT_OFF_AHEAD, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise MatchError(
                f"Unknown team match kind {self.kind!r}: one of {', '.join(KINDS)}.",
                "bad_kind",
            )
        if self.bow not in BOWS:
            raise MatchError(
                f"Unknown bow {self.bow!r}: one of {', '.join(BOWS)}.", "bad_bow"
            )
        self.system = self.system or default_system(self.bow)
        if self.system not in SYSTEMS:
            raise MatchError(
                f"Unknown scoring system {self.system!r}: one of {', '.join(SYSTEMS)}.",
                "bad_system",
            )
        if type(self.seed) is not int or not 0 <= self.seed <= MAX_SEED:
            raise MatchError("Seeds are whole numbers from 0 to 2**63 - 1.", "bad_seed")
        self.teammates = tuple(self.teammates)
        self.opponents = tuple(self.opponents)
        size = self.team_size
        if len(self.teammates) != size - 1 or len(self.opponents) != size:
            raise MatchError(
                f"A {self.kind} match has {size - 1} ghost teammate(s) and"
                f" {size} ghost opponents.",
                "team_size",
                size=size,
            )
        for ghost in (*self.teammates, *self.opponents):
            if not isinstance(ghost, Ghost) or ghost.kind in UNFIT_GHOSTS:
                raise MatchError(
                    "Team matches take handicap, score, preset, history and"
                    " perfect ghosts.",
                    "bad_ghost",
                )

    @classmethod
    def start(
        cls,
        kind: str,
        bow: str,
        teammates: Sequence[Ghost] | Ghost,
        opponents: Sequence[Ghost] | Ghost,
        seed: int,
        *,
        indoor: bool = False,
        system: str | None = None,
    ) -> TeamMatch:
        """A new match; one ghost given for a side fills it (each still shoots
        its own arrows)."""
        size = TEAM_SIZES.get(kind, 0)
        if isinstance(teammates, Ghost):
            teammates = [teammates] * (size - 1)
        if isinstance(opponents, Ghost):
            opponents = [opponents] * size
        return cls(kind, bow, teammates, opponents, seed, indoor, system or "")

    # -- the format ----------------------------------------------------------------

    @property
    def team_size(self) -> int:
        return TEAM_SIZES[self.kind]

    @property
    def end_arrows(self) -> int:
        """A side's arrows in an end: 6 for a team, 4 for a mixed team."""
        return self.team_size * ARROWS_EACH

    @cached_property
    def round(self) -> Round:
        """Each archer's arrows of the match (4 ends of 2)."""
        return team_round(self.bow, self.indoor)

    @property
    def face(self) -> Face:
        return self.round.distances[0].face

    @property
    def shoot_off_face(self) -> Face:
        return self.round.distances[-1].face

    @property
    def max_score(self) -> int:
        """A side's highest total: 240 for a team, 160 for a mixed team."""
        return ENDS * self.end_arrows * self.face.max_value

    # -- the ghosts' arrows ----------------------------------------------------------

    def _rounds(self, side: str) -> list[GhostRound]:
        ghosts = self.teammates if side == TEAMMATE else self.opponents
        return [
            _shot(ghost, self.round, member_seed(self.seed, side, i), self._ahead)
            for i, ghost in enumerate(ghosts)
        ]

    @property
    def teammate_rounds(self) -> list[GhostRound]:
        """What each ghost teammate shoots, all of it: show only the ends shot."""
        return self._rounds(TEAMMATE)

    @property
    def opponent_rounds(self) -> list[GhostRound]:
        return self._rounds(OPPONENT)

    def _shoot_off_arrows(self, index: int) -> tuple[list[Arrow], list[Arrow]]:
        """Every ghost's ``index``-th shoot-off arrow (more shot, on the same
        streams, when the teams keep tying)."""
        if index >= self._ahead:
            self._ahead = index + SHOOT_OFF_AHEAD
        return (
            [shot.shoot_off[index] for shot in self.teammate_rounds],
            [shot.shoot_off[index] for shot in self.opponent_rounds],
        )

    # -- what is shown -----------------------------------------------------------

    @property
    def ends_shot(self) -> int:
        return len(self.archer_ends)

    def team_ends(self) -> list[list[End]]:
        """Each end shot, the archer's side: the archer's arrows, then each
        teammate's."""
        mates = [shot.ends for shot in self.teammate_rounds]
        return [
            [end, *(ends[i] for ends in mates)]
            for i, end in enumerate(self.archer_ends)
        ]

    def opponent_ends(self) -> list[list[End]]:
        """Each end shot, the ghosts' side: each opponent's arrows."""
        rounds = [shot.ends for shot in self.opponent_rounds]
        return [[ends[i] for ends in rounds] for i in range(self.ends_shot)]

    def end_totals(self) -> list[tuple[int, int]]:
        """(the archer's side, the ghosts' side) for each end shot."""
        return [
            (sum(e.total for e in mine), sum(e.total for e in theirs))
            for mine, theirs in zip(self.team_ends(), self.opponent_ends(), strict=True)
        ]

    def set_points(self) -> list[tuple[int, int]]:
        """Set points (the archer's side, the ghosts') of each set shot."""
        return [set_points(a, b) for a, b in self.end_totals()]

    def archer_tally(self) -> Tally:
        """The archer's own arrows."""
        return Tally.of(self.archer_ends)

    def score_sheet(self) -> list[dict[str, Any]]:
        """Every end shot, for a score sheet: each member's arrows, the sides'
        totals, the set points (None in the cumulative system) and the running
        score (set points, or totals)."""
        rows: list[dict[str, Any]] = []
        running = [0, 0]
        points = self.set_points()
        for i, (mine, theirs) in enumerate(
            zip(self.team_ends(), self.opponent_ends(), strict=True)
        ):
            team_total = sum(e.total for e in mine)
            opponent_total = sum(e.total for e in theirs)
            gained = points[i] if self.system == "set" else (team_total, opponent_total)
            running = [running[0] + gained[0], running[1] + gained[1]]
            rows.append(
                {
                    "end": i + 1,
                    "team": {
                        "archer": mine[0].labels,
                        "teammates": [e.labels for e in mine[1:]],
                        "total": team_total,
                    },
                    "opponents": {
                        "members": [e.labels for e in theirs],
                        "total": opponent_total,
                    },
                    "points": list(points[i]) if self.system == "set" else None,
                    "running": running,
                }
            )
        return rows

    # -- entering arrows ---------------------------------------------------------

    def expected_arrows(self) -> int:
        """The archer's arrows in the next end (0 when no end is due)."""
        if self.ends_shot >= ENDS:
            return 0
        verdict = self.verdict()
        if verdict.finished or verdict.status == "shoot_off":
            return 0
        return ARROWS_EACH

    def add_end(self, labels: Sequence[str]) -> End:
        """Enter the archer's two arrows of the next end."""
        if self.expected_arrows() == 0:
            raise MatchError(self._no_end_reason(), "not_due")
        end = self._make_end(labels)
        self.archer_ends.append(end)
        return end

    def correct_last_end(self, labels: Sequence[str]) -> End:
        """Replace the archer's last end (before the next one, or a shoot-off)."""
        if not self.archer_ends:
            raise MatchError("There is no end to correct yet.", "nothing_to_correct")
        if self.shoot_offs:
            raise MatchError(
                "The shoot-off has started: the ends can no longer change.",
                "shoot_off_started",
            )
        end = self._make_end(labels)
        self.archer_ends[-1] = end
        return end

    def _make_end(self, labels: Sequence[str]) -> End:
        if isinstance(labels, str) or not isinstance(labels, Sequence):
            raise MatchError("Enter the end's arrows as a list.", "arrows_list")
        if len(labels) != ARROWS_EACH:
            raise MatchError(
                f"Each archer shoots {ARROWS_EACH} arrows an end, not {len(labels)}.",
                "arrow_count",
                size=ARROWS_EACH,
            )
        try:
            return End.from_labels(self.face, labels)
        except ValueError as exc:
            raise MatchError(str(exc), "bad_label", labels=self.face.labels) from None

    def add_shoot_off(
        self, label: str, closer: str | None = None, *, distance: float | None = None
    ) -> TeamShootOff:
        """The archer's shoot-off arrow (the ghosts shoot theirs). When the
        totals tie and the rings cannot settle who was closer, ``closer`` says
        which side's arrows were (``"archer"``: the archer's team, ``"ghost"``,
        ``"equal"``), or ``distance`` where the archer's arrow is (metres from
        the centre). Called again while that is not known, it records the
        answer for the arrow already entered (``label`` is then not read)."""
        if closer not in CLOSER:
            raise MatchError(
                "closer must be 'archer', 'ghost' or 'equal'.", "bad_closer"
            )
        if distance is not None and not (
            isinstance(distance, int | float)
            and not isinstance(distance, bool)
            and math.isfinite(distance)
            and distance >= 0
        ):
            raise MatchError(
                "An arrow's distance from the centre is 0 metres or more.",
                "bad_distance",
            )
        if self.verdict().status != "shoot_off":
            raise MatchError("No shoot-off is due.", "no_shoot_off")
        if self.shoot_offs and self.shoot_offs[-1].result is None:
            last = self.shoot_offs[-1]
            self.shoot_offs[-1] = replace(
                last,
                closer=closer,
                distance=last.distance if distance is None else float(distance),
            )
            return self.shoot_offs[-1]
        face = self.shoot_off_face
        try:
            archer_arrow = arrow(face, label)
        except ValueError as exc:
            raise MatchError(str(exc), "bad_label", labels=face.labels) from None
        mates, opponents = self._shoot_off_arrows(len(self.shoot_offs))
        shoot_off = TeamShootOff(
            archer_arrow,
            tuple(mates),
            tuple(opponents),
            face,
            closer,
            None if distance is None else float(distance),
        )
        self.shoot_offs.append(shoot_off)
        return shoot_off

    def _no_end_reason(self) -> str:
        if self.verdict().status == "shoot_off":
            return "The match is level: it goes to a team shoot-off."
        return "The match is over."

    # -- the rules ----------------------------------------------------------------

    def verdict(self) -> TeamVerdict:
        totals = self.end_totals()
        team_total = sum(a for a, _ in totals)
        opponent_total = sum(b for _, b in totals)
        if self.system == "set":
            a = b = 0
            for gained_a, gained_b in self.set_points():
                a, b = a + gained_a, b + gained_b
                if a >= POINTS_TO_WIN or b >= POINTS_TO_WIN:
                    status = "won" if a > b else "lost"
                    return TeamVerdict(
                        status, a, b, team_total, opponent_total, "set points"
                    )
            points: tuple[int | None, int | None] = (a, b)
        else:
            points = (None, None)
        if self.ends_shot < ENDS:
            return TeamVerdict("in_progress", *points, team_total, opponent_total)
        if self.system == "cumulative" and team_total != opponent_total:
            status = "won" if team_total > opponent_total else "lost"
            return TeamVerdict(status, None, None, team_total, opponent_total, "total")
        # Level: 4-4 in sets, or equal totals.
        extra = 1 if self.system == "set" else 0
        for shoot_off in self.shoot_offs:
            result = shoot_off.result
            if result in ("archer", "ghost"):
                a_points, b_points = points
                if extra:
                    assert a_points is not None
                    assert b_points is not None
                    if result == "archer":
                        a_points += extra
                    else:
                        b_points += extra
                status = "won" if result == "archer" else "lost"
                return TeamVerdict(
                    status, a_points, b_points, team_total, opponent_total, "shoot-off"
                )
        return TeamVerdict("shoot_off", *points, team_total, opponent_total)

    # -- history ------------------------------------------------------------------

    def summary(self) -> dict[str, Any]:
        """What a history lists of the match, so that it need not replay it."""
        verdict = self.verdict()
        return {
            "kind": self.kind,
            "bow": self.bow,
            "indoor": self.indoor,
            "system": self.system,
            "status": verdict.status,
            "reason": verdict.reason,
            "team_points": verdict.team_points,
            "opponent_points": verdict.opponent_points,
            "team_total": verdict.team_total,
            "opponent_total": verdict.opponent_total,
            "archer_total": self.archer_tally().total,
            "ends_shot": self.ends_shot,
            "arrows_shot": self.ends_shot * ARROWS_EACH,
            "shoot_off_arrows": len(self.shoot_offs),
            "max_score": self.max_score,
            "teammates": [ghost.label for ghost in self.teammates],
            "opponents": [ghost.label for ghost in self.opponents],
        }

    # -- storage ------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": TEAM_STATE_VERSION,
            "kind": self.kind,
            "bow": self.bow,
            "indoor": self.indoor,
            "system": self.system,
            "seed": self.seed,
            "teammates": [ghost.to_dict() for ghost in self.teammates],
            "opponents": [ghost.to_dict() for ghost in self.opponents],
            "archer_ends": [end.labels for end in self.archer_ends],
            "shoot_offs": [shoot_off.entry() for shoot_off in self.shoot_offs],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TeamMatch:
        """Rebuild a stored match by replaying its entries through the rules."""
        if data.get("version") != TEAM_STATE_VERSION:
            raise MatchError(
                f"Unsupported team match state version {data.get('version')!r}.",
                "bad_version",
            )
        match = cls(
            str(data["kind"]),
            str(data["bow"]),
            [Ghost.from_dict(g) for g in data["teammates"]],
            [Ghost.from_dict(g) for g in data["opponents"]],
            int(data["seed"]),
            bool(data["indoor"]),
            str(data["system"]),
        )
        for labels in data["archer_ends"]:
            match.add_end(list(labels))
        for entry in data["shoot_offs"]:
            match.add_shoot_off(
                str(entry["label"]), entry.get("closer"), distance=entry.get("distance")
            )
        return match
