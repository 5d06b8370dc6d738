"""World Archery's elimination chart, byes, and a bracket of ghosts shot out."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ghost_simulator.engine import Ghost
from ghost_simulator.engine.brackets import (
    WA_104,
    BracketError,
    bracket_size,
    chart_lines,
    duel,
    first_round,
    ghost_day,
    play_day,
    preliminary,
    round_name,
    rounds_in,
)

SIZES = [2**k for k in range(1, 9)]


def test_the_charts_as_world_archery_prints_them() -> None:
    assert chart_lines(8) == [1, 8, 5, 4, 3, 6, 7, 2]
    assert chart_lines(32)[:16] == [
        1,
        32,
        17,
        16,
        9,
        24,
        25,
        8,
        5,
        28,
        21,
        12,
        13,
        20,
        29,
        4,
    ]
    assert chart_lines(64)[:8] == [1, 64, 33, 32, 17, 48, 49, 16]
    assert chart_lines(64)[-2:] == [63, 2]


@pytest.mark.parametrize("size", SIZES)
def test_every_first_round_pair_adds_up_to_the_size_and_one(size: int) -> None:
    lines = chart_lines(size)
    assert sorted(lines) == list(range(1, size + 1))
    for top, bottom in zip(lines[::2], lines[1::2], strict=True):
        assert top + bottom == size + 1


@pytest.mark.parametrize("size", SIZES)
def test_the_top_seeds_meet_as_late_as_they_can(size: int) -> None:
    """Seeds 1 to 2**k stand in different sections of size / 2**k lines: the
    best two meet in the final at the earliest, the best four in the
    semi-finals, and so on."""
    lines = chart_lines(size)
    sections = 2
    while sections <= size:
        width = size // sections
        found = {lines.index(seed) // width for seed in range(1, sections + 1)}
        assert len(found) == sections, (size, sections)
        sections *= 2


@given(st.integers(min_value=2, max_value=256).filter(lambda n: n not in WA_104))
def test_byes_go_to_the_top_seeds(field: int) -> None:
    size = bracket_size(field)
    assert size >= field > size // 2
    pairs = first_round(field)
    assert len(pairs) == size // 2
    with_byes = sorted(top for top, bottom in pairs if bottom is None)
    assert with_byes == list(range(1, size - field + 1))
    seeds = sorted(s for pair in pairs for s in pair if s is not None)
    assert seeds == list(range(1, field + 1))


@pytest.mark.parametrize("field", [1, 0, 257, -3])
def test_a_field_the_chart_does_not_take(field: int) -> None:
    with pytest.raises(BracketError, match="A field has 2 to 256 archers"):
        bracket_size(field)
    with pytest.raises(BracketError, match="power of two"):
        chart_lines(12)


def test_round_names() -> None:
    assert [round_name(n) for n in (64, 32, 16, 8, 4, 2)] == [
        "1/32",
        "1/16",
        "1/8",
        "quarter-final",
        "semi-final",
        "final",
    ]


@given(st.integers(min_value=2, max_value=130), st.integers(0, 2**32))
def test_a_day_is_one_match_fewer_than_the_field(field: int, seed: int) -> None:
    rng = random.Random(seed)
    day = play_day(field, lambda top, bottom, _n: rng.choice((top, bottom)))
    assert day.matches_shot() == field - 1
    assert len(day.rounds) == rounds_in(field)
    assert 1 <= day.champion <= field
    assert day.runner_up != day.champion
    # Every winner stood in its bout, and goes on to the next round's.
    for this, following in zip(day.rounds, day.rounds[1:], strict=False):
        assert [b.winner for b in this] == [
            s for b in following for s in (b.top, b.bottom) if s is not None
        ]


def test_when_the_better_seed_always_wins_the_seeds_go_by_the_chart() -> None:
    day = play_day(32, lambda top, bottom, _n: min(top, bottom))
    assert (day.champion, day.runner_up) == (1, 2)
    semis = day.rounds[-2]
    assert {s for b in semis for s in (b.top, b.bottom)} == {1, 2, 3, 4}
    assert [b.top for b in day.path(1)] == [1, 1, 1, 1, 1]
    assert [b.bottom for b in day.path(1)] == [32, 16, 8, 4, 2]


def test_a_ghost_duel_is_a_real_match_and_repeatable() -> None:
    strong, weak = Ghost.from_handicap(15), Ghost.from_handicap(70)
    for bow in ("recurve", "compound", "barebow"):
        results = [duel(strong, weak, bow, seed) for seed in range(30)]
        assert sum(results) >= 28, bow  # 55 handicap points apart
        assert results == [duel(strong, weak, bow, seed) for seed in range(30)]
    level = [
        duel(Ghost.from_handicap(40), Ghost.from_handicap(40), "recurve", s)
        for s in range(200)
    ]
    assert 70 <= sum(level) <= 130  # even, within about 4 standard errors


def test_a_bracket_of_ghosts_mostly_goes_to_the_best() -> None:
    field = [Ghost.from_handicap(10 + 3 * i) for i in range(16)]  # seed 1 the best
    champions = [ghost_day(field, "recurve", seed).champion for seed in range(40)]
    assert champions.count(1) >= 10  # about 4 levels clear of seed 2
    assert sum(c <= 4 for c in champions) >= 30
    again = ghost_day(field, "compound", 3)
    assert again == ghost_day(field, "compound", 3)
    assert again.matches_shot() == 15


def test_world_archerys_104_chart() -> None:
    """Seeds 1-8 straight to the 1/16; 9 v 104 ... 56 v 57 in the 1/48 (pairs
    adding up to 113), their winners on the 1/24's lines (pairs adding up to
    65), the chart of 32 from the 1/16."""
    before = preliminary(104)
    assert before == {s: 113 - s for s in range(9, 57)}
    pairs = first_round(104)
    assert len(pairs) == 32
    assert sorted(t for t, b in pairs if b is None) == list(range(1, 9))
    assert all(t + b == 65 for t, b in pairs if b is not None)
    day = play_day(104, lambda top, bottom, _n: min(top, bottom))
    assert [len(r) for r in day.rounds] == [56, 32, 16, 8, 4, 2, 1]
    assert day.matches_shot() == 103
    assert [b.bottom for b in day.path(1)] == [None, None, 32, 16, 8, 4, 2]
    assert [b.bottom for b in day.path(9)][:3] == [104, 56, 24]
    assert (day.champion, day.runner_up) == (1, 2)


@pytest.mark.parametrize(
    ("field", "in_1_48", "in_1_24"),
    # The 2019 World Cup stages' fields: matches shot in each round.
    [(59, 3, 24), (65, 9, 24), (74, 18, 24), (76, 20, 24), (104, 48, 24)],
)
def test_the_104_chart_with_fewer_archers(
    field: int, in_1_48: int, in_1_24: int
) -> None:
    day = play_day(field, lambda top, bottom, _n: min(top, bottom))
    shot = [sum(not b.bye for b in bouts) for bouts in day.rounds]
    assert shot[:2] == [in_1_48, in_1_24]
    assert shot[2:] == [16, 8, 4, 2, 1]
    assert rounds_in(field) == 7


@pytest.mark.parametrize(("field", "in_1_24"), [(34, 2), (52, 20), (56, 24)])
def test_a_field_of_33_to_56_is_the_chart_of_64(field: int, in_1_24: int) -> None:
    """As World Archery draws it (its 1/24, seeds 1-8 through): the same
    matches as the chart of 64 with byes."""
    day = play_day(field, lambda top, bottom, _n: min(top, bottom))
    assert [sum(not b.bye for b in r) for r in day.rounds][:2] == [in_1_24, 16]
