"""A competition day against ghosts: the archer seeded among a field by their
qualification score, the field's elimination bracket (World Archery's chart,
:mod:`.brackets`), the archer's own matches against the ghosts they meet and
every other match shot out between ghosts, and a bronze medal match.

Everything but the archer's own results follows from the day's seed, drawn
when the day is made: the other archers' levels (one draw from what their
qualification scores say of them, :func:`.field.estimate_field` with the
competition's one form of the day, as :mod:`.competition` does), and every
match between two ghosts (:func:`.brackets.duel`, numbered by its place in the
chart, so a ghost match's result never depends on who reached it). So the
opponent the archer would meet in each round if they kept winning is known
from the start (:meth:`DayDraw.path`), which lets the whole day be played on a
phone without a network; the archer's results (won or lost, from their real
matches) decide the rest.

Placing, as World Archery ranks an elimination: the winner 1, the final's
loser 2, the bronze medal match's winner 3 and loser 4 (the semi-finals'
losers shoot it), and the losers of an earlier round share the place after
everyone who went further (a quarter-final's losers are 5th, a 1/8's 9th).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .brackets import (
    PENDING,
    WA_104,
    Bout,
    Day,
    bracket_size,
    duel,
    play_day,
)
from .competition import SAME_DAY_FORM
from .constants import MAX_SEED
from .field import Entry, Seeded, estimate_field, score_to_level
from .ghost import Ghost
from .rounds import Round

#: A competition day's field: 8 to 128 archers, the archer included.
SMALLEST_DAY = 8
LARGEST_DAY = 128
#: The bronze medal match's stage.
BRONZE = "bronze"
#: Results the archer's matches can have.
RESULTS = ("won", "lost")
#: What a ghost bout is numbered from (the bronze match after every bout of
#: the chart).
_BRONZE_NUMBER = 10_000


class DayError(ValueError):
    """A day that cannot be drawn: one sentence."""


def stages(field: int) -> list[str]:
    """The names of the bracket's rounds, first to last: "1/48" (World
    Archery's 104 chart), "1/32", …, "1/8", "quarter-final", "semi-final",
    "final"."""
    if not SMALLEST_DAY <= field <= LARGEST_DAY:
        raise DayError(
            f"A competition day has {SMALLEST_DAY} to {LARGEST_DAY} archers,"
            f" not {field}."
        )
    named = ["final", "semi-final", "quarter-final"]
    if field in WA_104:
        named += ["1/8", "1/16", "1/24", "1/48"]
    else:
        archers = 16
        while archers <= bracket_size(field):
            named.append(f"1/{archers // 2}")
            archers *= 2
        named = named[: bracket_size(field).bit_length() - 1]
    return named[::-1]


def seed_field(
    others: Sequence[Entry], archer: Entry, rnd: Round, scheme: str, bow: str
) -> tuple[list[Seeded], int]:
    """The field seeded with the archer in it (after the archers with the
    same score: nothing tells them apart), each level estimated; and the
    archer's seed."""
    entries = [*others, Entry(archer.name, archer.score, len(others))]
    seeded, _estimate = estimate_field(entries, rnd, scheme, bow, SAME_DAY_FORM)
    seed = next(s.seed for s in seeded if s.name == archer.name)
    return seeded, seed


def draw_levels(
    seeded: Sequence[Seeded], rnd: Round, scheme: str, seed: int
) -> list[float]:
    """Each archer's level for the day: one draw from what their score says of
    it (to a tenth, as ghosts are shown), by the day's seed."""
    rng = np.random.default_rng(seed)
    expected = np.array([s.expected_score for s in seeded])
    spread = np.array([s.score_sd for s in seeded])
    drawn = expected + spread * rng.standard_normal(len(seeded))
    levels = score_to_level(rnd, scheme, np.clip(drawn, 0.0, rnd.max_score))
    return [round(float(level), 1) for level in np.atleast_1d(levels)]


@dataclass(frozen=True)
class ArcherBout:
    """One of the archer's matches: its stage, the opponent's seed, and the
    result (None: not shot yet)."""

    stage: str
    opponent: int
    result: str | None


@dataclass(frozen=True)
class DayState:
    """The day as it stands: the bracket's rounds (a bout's winner
    :data:`.brackets.PENDING` until decided), the bronze medal match (None
    until both semi-finals are decided), the archer's matches so far, the one
    to shoot next and, once known, the archer's placing."""

    field: int
    archer_seed: int
    stages: list[str]
    rounds: list[list[Bout]]
    bronze: Bout | None
    archer_bouts: list[ArcherBout]
    next_stage: str | None
    placing: int | None

    @property
    def finished(self) -> bool:
        """Every medal decided."""
        final = self.rounds[-1][0]
        return final.winner != PENDING and (
            self.bronze is not None and self.bronze.winner != PENDING
        )

    @property
    def medals(self) -> list[int]:
        """Gold, silver, bronze seeds as far as decided (PENDING: not yet)."""
        day = Day(self.field, self.rounds)
        bronze = self.bronze.winner if self.bronze is not None else PENDING
        return [day.champion, day.runner_up, bronze]


class DayDraw:
    """A day's ghosts and its ghost matches, drawn once: ``levels`` (every
    seed's level; the archer's is not used) and the matches between ghosts
    decided by the day's seed, kept as they are shot."""

    def __init__(
        self,
        levels: Sequence[float],
        archer_seed: int,
        bow: str,
        indoor: bool,
        scheme: str,
        seed: int,
    ) -> None:
        self.field = len(levels)
        self.stages = stages(self.field)
        if not 1 <= archer_seed <= self.field:
            raise DayError(f"The archer's seed {archer_seed} is not in the field.")
        self.archer_seed = archer_seed
        self.bow = bow
        self.indoor = indoor
        self.seed = seed
        self.ghosts = [
            Ghost.from_handicap(level, scheme, SAME_DAY_FORM, bow=bow)
            for level in levels
        ]
        self._shot: dict[tuple[int, int, int], int] = {}
        #: Each bout's stage, by its number (the same whoever wins).
        self._stage_of = _numbered(self.field, self.stages)

    def ghost(self, seed: int) -> Ghost:
        """The ghost standing for the archer seeded ``seed``."""
        return self.ghosts[seed - 1]

    def _ghost_match(self, top: int, bottom: int, number: int) -> int:
        key = (top, bottom, number)
        if key not in self._shot:
            won = duel(
                self.ghost(top),
                self.ghost(bottom),
                self.bow,
                _bout_seed(self.seed, number),
                indoor=self.indoor,
            )
            self._shot[key] = top if won else bottom
        return self._shot[key]

    def _play(self, results: Mapping[str, str] | None) -> Day:
        """The bracket with the archer's results (None: the archer wins every
        match)."""
        archer = self.archer_seed

        def decide(top: int, bottom: int, number: int) -> int:
            if archer not in (top, bottom):
                return self._ghost_match(top, bottom, number)
            stage = self._stage_of[number]
            result = "won" if results is None else results.get(stage)
            if result == "won":
                return archer
            if result == "lost":
                return bottom if top == archer else top
            return PENDING

        return play_day(self.field, decide)

    def _bronze(self, day: Day, results: Mapping[str, str] | None) -> Bout | None:
        semis = day.rounds[-2]
        losers = []
        for bout in semis:
            if bout.winner == PENDING:
                return None
            loser = bout.bottom if bout.winner == bout.top else bout.top
            assert loser is not None
            losers.append(loser)
        top, bottom = sorted(losers)
        if self.archer_seed not in (top, bottom):
            winner = self._ghost_match(top, bottom, _BRONZE_NUMBER)
        else:
            result = "won" if results is None else results.get(BRONZE)
            other = bottom if top == self.archer_seed else top
            winner = (
                self.archer_seed
                if result == "won"
                else other
                if result == "lost"
                else PENDING
            )
        return Bout(top, bottom, winner)

    def path(self) -> list[ArcherBout]:
        """The archer's matches if they win every one (the final last), then
        the bronze medal match they would shoot had they lost the semi-final:
        every opponent they can meet, known from the start."""
        day = self._play(None)
        bouts = [
            ArcherBout(stage, _opponent(bout, self.archer_seed), None)
            for stage, bouts in zip(self.stages, day.rounds, strict=True)
            for bout in bouts
            if self.archer_seed in (bout.top, bout.bottom) and not bout.bye
        ]
        other_semi = next(
            b for b in day.rounds[-2] if self.archer_seed not in (b.top, b.bottom)
        )
        loser = (
            other_semi.bottom if other_semi.winner == other_semi.top else other_semi.top
        )
        assert loser is not None
        return [*bouts, ArcherBout(BRONZE, loser, None)]

    def state(self, results: Mapping[str, str]) -> DayState:
        """The day as the archer's results (stage → "won" or "lost") leave it."""
        for stage, result in results.items():
            if result not in RESULTS or (stage not in self.stages and stage != BRONZE):
                raise DayError(f"No result {result!r} for a stage {stage!r}.")
        day = self._play(results)
        bronze = self._bronze(day, results)
        archer = self.archer_seed
        shot: list[ArcherBout] = []
        next_stage = None
        placing = None
        for stage, bouts in zip(self.stages, day.rounds, strict=True):
            for bout in bouts:
                if archer not in (bout.top, bout.bottom) or bout.bye:
                    continue
                opponent = _opponent(bout, archer)
                if bout.winner == PENDING:
                    shot.append(ArcherBout(stage, opponent, None))
                    next_stage = stage
                else:
                    won = bout.winner == archer
                    shot.append(ArcherBout(stage, opponent, "won" if won else "lost"))
                    if not won and stage != "semi-final":
                        placing = _place(bouts)
                    if won and stage == "final":
                        placing = 1
                    if not won and stage == "final":
                        placing = 2
        if bronze is not None and archer in (bronze.top, bronze.bottom):
            opponent = _opponent(bronze, archer)
            if bronze.winner == PENDING:
                shot.append(ArcherBout(BRONZE, opponent, None))
                next_stage = BRONZE
            else:
                won = bronze.winner == archer
                shot.append(ArcherBout(BRONZE, opponent, "won" if won else "lost"))
                placing = 3 if won else 4
        return DayState(
            field=self.field,
            archer_seed=archer,
            stages=list(self.stages),
            rounds=day.rounds,
            bronze=bronze,
            archer_bouts=shot,
            next_stage=next_stage,
            placing=placing,
        )


def _bout_seed(seed: int, number: int) -> int:
    """Ghost match ``number``'s own seed, from the day's (a seed of 63 bits)."""
    return (seed + (number + 1) * 0x9E37_79B9_7F4A_7C15) & MAX_SEED


def _opponent(bout: Bout, seed: int) -> int:
    other = bout.bottom if bout.top == seed else bout.top
    assert other is not None
    return other


def _place(bouts: Sequence[Bout]) -> int:
    """Where the losers of a round finish: after everyone it sent on."""
    return len(bouts) + 1


def _numbered(field: int, names: Sequence[str]) -> dict[int, str]:
    """Each bout's number (as :func:`.brackets.play_day` counts them) and its
    round's stage: the numbers do not depend on who wins, so a bracket where
    the top line always wins numbers them."""
    day = play_day(field, lambda top, _bottom, _number: top)
    numbered = [
        names[index]
        for index, bouts in enumerate(day.rounds)
        for bout in bouts
        if not bout.bye
    ]
    return dict(enumerate(numbered))
