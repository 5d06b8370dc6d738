"""Elimination brackets as World Archery draws them, and a bracket of ghosts
shot out match by match.

The chart: seeds stand on the bracket's lines so that seed 1 meets the lowest
seed first (1 v 32, 17 v 16, 9 v 24, 25 v 8, … in a round of 32; in a round of
64, 1 v 64 and every pair adding up to 65), seeds 1 and 2 can meet only in the
final, 1 to 4 only from the semi-finals, and so on. A field that is not a power
of two fills the next one up with byes, the top seeds drawing them (each bye
takes the place of a seed below the field).

World Archery's format for 57 to 104 archers (Book 3's elimination chart for
104, as the World Cups shoot it) is not a power of two: seeds 1 to 8 go
straight to the 1/16; seeds 9 to 104 shoot a 1/48 round first (9 v 104,
10 v 103, … 56 v 57: every pair adding up to 113, a seed without an opponent
going through), whose winners take their better seed's line in the 1/24 (9 v
56, … every pair adding up to 65, as in a chart of 64), and the 1/16 on is the
chart of 32. Checked against the 2019 World Cup stages' brackets
(``benchmarks/data/eliminations``: 1/48 pairs add up to 113, 1/24 to 65, 1/16
to 33; a field of 59 shot three 1/48 matches and 24 in the 1/24). A field of 33
to 56 is the chart of 64 with byes, which is the same draw.

A match between two ghosts is a real match of the engine: the bottom line's
ghost is the match's ghost, the top line's ghost shoots its own round (its own
seed) and its ends are entered as the archer's, a shoot-off included (whose
arrow is closer decided by where the arrows landed).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .ghost import Ghost
from .matches import Match, MatchError

#: The field sizes an elimination day takes.
SMALLEST_FIELD = 2
LARGEST_FIELD = 256
#: Fields World Archery draws on its 104 chart (a 1/48 round before the 1/24).
WA_104 = range(57, 105)
#: In the 104 chart: the seeds that go straight to the 1/16, and what each
#: 1/48 pair adds up to.
STRAIGHT_TO_1_16 = 8
PAIRS_OF_1_48 = 113
#: Shoot-off arrows a ghost shoots ahead (ties on value and on distance are rare).
SHOOT_OFF_ARROWS = 20
#: A line whose archer is not known yet (the bout before it is not decided),
#: and a bout's winner while its match is not decided.
PENDING = 0


class BracketError(ValueError):
    """A field size the chart does not take."""


def bracket_size(field: int) -> int:
    """The power of two a field of ``field`` archers is drawn into."""
    if not SMALLEST_FIELD <= field <= LARGEST_FIELD:
        raise BracketError(
            f"A field has {SMALLEST_FIELD} to {LARGEST_FIELD} archers, not {field}."
        )
    return 1 << (field - 1).bit_length()


def chart_lines(size: int) -> list[int]:
    """The seeds on the chart's lines, top to bottom, for a bracket of ``size``
    (a power of two): line pairs (0, 1), (2, 3), … are the first round's
    matches."""
    if size < 2 or size & (size - 1):
        raise BracketError(f"A bracket's size is a power of two, not {size}.")
    lines = [1, 2]
    while len(lines) < size:
        total = 2 * len(lines) + 1
        grown: list[int] = []
        for index, seed in enumerate(lines):
            # The higher seed keeps the top line in every other pair, as the
            # charts print them (1 v 32, then 17 v 16).
            grown += [seed, total - seed] if index % 2 == 0 else [total - seed, seed]
        lines = grown
    return lines


def rounds_in(field: int) -> int:
    """How many rounds a field's day has (a 1/48 before the 1/24 in the 104
    chart)."""
    if field in WA_104:
        return 7
    return bracket_size(field).bit_length() - 1


def preliminary(field: int) -> dict[int, int]:
    """The 1/48 round of World Archery's 104 chart: each line's seed (9 to 56)
    and the seed it meets for that line (none when that seed is below the
    field); empty for a field drawn on a power of two."""
    if field not in WA_104:
        return {}
    return {
        seed: PAIRS_OF_1_48 - seed
        for seed in range(STRAIGHT_TO_1_16 + 1, PAIRS_OF_1_48 // 2 + 1)
        if PAIRS_OF_1_48 - seed <= field
    }


def first_round(field: int) -> list[tuple[int, int | None]]:
    """The first round's pairs in chart order, a seed against a seed, or
    against None: a bye (the seeds below the field are byes). In the 104
    chart, the 1/24's lines (see :func:`preliminary` for the round before)."""
    if field in WA_104:
        bracket_size(field)  # the field's own bounds
        return [
            (top, bottom)
            if max(top, bottom) <= PAIRS_OF_1_48 // 2
            else (min(top, bottom), None)
            for top, bottom in _pairs(chart_lines(64))
        ]
    lines = chart_lines(bracket_size(field))
    pairs: list[tuple[int, int | None]] = []
    for top, bottom in zip(lines[::2], lines[1::2], strict=True):
        # A bye stands on either line (7 v 2 in a chart of 8): the seed in
        # the field goes on, on the pair's top line.
        if max(top, bottom) > field:
            pairs.append((min(top, bottom), None))
        else:
            pairs.append((top, bottom))
    return pairs


def _pairs(lines: list[int]) -> list[tuple[int, int]]:
    return list(zip(lines[::2], lines[1::2], strict=True))


def round_name(archers: int) -> str:
    """A round by the archers in it, as the charts name it: 1/16 (32 archers),
    1/8, quarter-final, semi-final, final."""
    names = {8: "quarter-final", 4: "semi-final", 2: "final"}
    return names.get(archers, f"1/{archers // 2}")


@dataclass(frozen=True)
class Bout:
    """One line pair of a round: the two seeds (None: a bye) and who goes on."""

    top: int
    bottom: int | None
    winner: int

    @property
    def bye(self) -> bool:
        return self.bottom is None


@dataclass(frozen=True)
class Day:
    """A bracket shot out: each round's bouts in chart order, and the medals."""

    field: int
    rounds: list[list[Bout]]

    @property
    def champion(self) -> int:
        return self.rounds[-1][0].winner

    @property
    def runner_up(self) -> int:
        final = self.rounds[-1][0]
        if final.winner == PENDING:
            return PENDING
        loser = final.bottom if final.winner == final.top else final.top
        assert loser is not None
        return loser

    def path(self, seed: int) -> list[Bout]:
        """The bouts ``seed`` stood in, first to last."""
        return [b for bouts in self.rounds for b in bouts if seed in (b.top, b.bottom)]

    def matches_shot(self) -> int:
        return sum(not b.bye for bouts in self.rounds for b in bouts)


def _bout(
    top: int, bottom: int | None, decide: Callable[[int, int, int], int], number: int
) -> Bout:
    """One bout: a bye (``bottom`` None), or the match ``decide`` decides
    (:data:`PENDING`: not decided yet; a bout with a pending line is pending)."""
    if bottom is None:
        return Bout(top, None, top)
    if PENDING in (top, bottom):
        return Bout(top, bottom, PENDING)
    winner = decide(top, bottom, number)
    if winner not in (top, bottom, PENDING):
        raise ValueError(f"{winner} is in neither line of {top} v {bottom}")
    return Bout(top, bottom, winner)


def play_day(field: int, decide: Callable[[int, int, int], int]) -> Day:
    """The bracket for ``field`` archers, each match decided by
    ``decide(top, bottom, number)`` (the winner's seed, or :data:`PENDING`
    for a match not shot yet, whose winner's later bouts are pending too;
    ``number`` counts the bouts that are not byes, from 0, in chart order, so
    a bout's number never depends on who won before it)."""
    pairs: list[tuple[int, int | None]] = first_round(field)
    rounds: list[list[Bout]] = []
    number = 0
    before = preliminary(field)
    if before:  # the 1/48: each line of the 1/24 is shot for first
        bouts = []
        for line in (s for pair in pairs for s in pair if s is not None):
            bout = _bout(line, before.get(line), decide, number)
            number += not bout.bye
            bouts.append(bout)
        rounds.append(bouts)
        won = {b.top: b.winner for b in bouts}
        pairs = [(won[t], None if b is None else won[b]) for t, b in pairs]
    while True:
        bouts = []
        for top, bottom in pairs:
            bout = _bout(top, bottom, decide, number)
            number += not bout.bye
            bouts.append(bout)
        rounds.append(bouts)
        if len(bouts) == 1:
            return Day(field, rounds)
        winners = [b.winner for b in bouts]
        pairs = list(zip(winners[::2], winners[1::2], strict=True))


def _distance(arrow: object) -> float:
    x, y = getattr(arrow, "x", None), getattr(arrow, "y", None)
    return math.inf if x is None or y is None else math.hypot(x, y)


def play_out(match: Match, archer: Ghost, seed: int) -> str:
    """Shoot the match out with ``archer`` (a ghost) as the archer: its own
    round from its own seed, its ends entered as the archer's, a shoot-off
    included (whose arrow is closer decided by where the arrows landed). The
    match's final status ("won", "lost", or "tied" for a ranking round)."""
    mine = archer.shoot(match.round, seed ^ 0x5EED_70B, SHOOT_OFF_ARROWS)
    for end in mine.ends:
        if not match.expected_arrows():
            break
        match.add_end(end.labels)
    for arrow in mine.shoot_off:
        if match.verdict().status != "shoot_off":
            break
        shot = match.add_shoot_off(arrow.label)
        if shot.result is None:  # the same value: whose arrow is closer
            mine_off, theirs = _distance(arrow), _distance(shot.ghost)
            closer = (
                "archer"
                if mine_off < theirs
                else "ghost"
                if theirs < mine_off
                else "equal"
            )
            match.add_shoot_off(arrow.label, closer)
    status = match.verdict().status
    if status not in ("won", "lost", "tied"):
        raise MatchError("The shoot-off did not decide the match.", "undecided")
    return status


def duel(
    top: Ghost, bottom: Ghost, bow: str, seed: int, *, indoor: bool = False
) -> bool:
    """A match between two ghosts (set system or 15-arrow cumulative by the
    bow, as ``Match.elimination`` chooses): True when ``top`` wins."""
    match = Match.elimination(bow, bottom, seed, indoor=indoor)
    return play_out(match, top, seed) == "won"


def ghost_day(
    field: Sequence[Ghost], bow: str, seed: int, *, indoor: bool = False
) -> Day:
    """A bracket of ghosts, ``field[0]`` seeded 1, each match shot out."""

    def decide(top: int, bottom: int, number: int) -> int:
        won = duel(
            field[top - 1], field[bottom - 1], bow, seed * 1_000 + number, indoor=indoor
        )
        return top if won else bottom

    return play_day(len(field), decide)
