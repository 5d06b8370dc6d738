"""A competition day's bracket (engine.day): the stages for each field size,
seeding with the archer in the field, the opponents known from the start, the
bracket filling in with the archer's results, the bronze medal match, the
placings, and ghost matches that never depend on who reached them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ghost_simulator.engine.brackets import PENDING, first_round
from ghost_simulator.engine.day import (
    BRONZE,
    DayDraw,
    DayError,
    draw_levels,
    seed_field,
    stages,
)
from ghost_simulator.engine.field import Entry
from ghost_simulator.engine.rounds import get_round

RECURVE = get_round("wa720_70", bow="recurve")


def levels(field: int) -> list[float]:
    """A field whose seeds are ordered: seed 1 best (handicap 10), one point
    apart."""
    return [10.0 + seed for seed in range(field)]


@pytest.mark.parametrize(
    ("field", "first", "rounds"),
    [
        (8, "quarter-final", 3),
        (9, "1/8", 4),
        (16, "1/8", 4),
        (17, "1/16", 5),
        (32, "1/16", 5),
        (33, "1/32", 6),
        (56, "1/32", 6),
        (57, "1/48", 7),
        (104, "1/48", 7),
        (105, "1/64", 7),
        (128, "1/64", 7),
    ],
)
def test_stages_follow_the_chart(field: int, first: str, rounds: int) -> None:
    named = stages(field)
    assert named[0] == first
    assert len(named) == rounds
    assert named[-3:] == ["quarter-final", "semi-final", "final"]


@pytest.mark.parametrize("field", [7, 129, 0])
def test_a_day_is_8_to_128_archers(field: int) -> None:
    with pytest.raises(DayError, match="8 to 128 archers"):
        stages(field)


def test_the_archer_is_seeded_by_score_after_equal_scores() -> None:
    others = [Entry(f"A{n}", 650 - 10 * n, n) for n in range(9)]
    seeded, seed = seed_field(others, Entry("Me", 610, 0), RECURVE, "AGB", "recurve")
    # 650 640 630 620 610(A4) then Me: after the archer with the same score.
    assert seed == 6
    assert seeded[seed - 1].name == "Me"
    assert [s.seed for s in seeded] == list(range(1, 11))


def test_levels_are_drawn_once_by_the_seed_and_regress_to_the_middle() -> None:
    others = [Entry(f"A{n}", 690 - 8 * n, n) for n in range(15)]
    seeded, _ = seed_field(others, Entry("Me", 600, 0), RECURVE, "AGB", "recurve")
    first = draw_levels(seeded, RECURVE, "AGB", 11)
    assert first == draw_levels(seeded, RECURVE, "AGB", 11)
    assert first != draw_levels(seeded, RECURVE, "AGB", 12)
    # The estimate (before the draw) is nearer the middle than the score.
    top = seeded[0]
    assert top.expected_score < top.score


def test_the_path_names_every_opponent_the_archer_can_meet() -> None:
    draw = DayDraw(levels(16), 5, "recurve", False, "AGB", 3)
    path = draw.path()
    assert [b.stage for b in path] == [
        "1/8",
        "quarter-final",
        "semi-final",
        "final",
        BRONZE,
    ]
    assert path[0].opponent == 12  # 5 v 12 in a chart of 16
    assert all(b.result is None for b in path)
    # Whoever the archer meets, they win every match in the path's bracket.
    state = draw.state({b.stage: "won" for b in path[:-1]})
    assert [b.opponent for b in state.archer_bouts] == [b.opponent for b in path[:-1]]
    assert state.placing == 1
    assert state.medals[0] == 5


def test_the_bracket_fills_in_with_the_archers_results() -> None:
    draw = DayDraw(levels(16), 1, "recurve", False, "AGB", 3)
    state = draw.state({})
    assert state.next_stage == "1/8"
    assert state.placing is None
    # Every other 1/8 is shot; everything after the archer's line waits.
    first = state.rounds[0]
    assert sum(b.winner == PENDING for b in first) == 1
    assert state.rounds[-1][0].winner == PENDING
    assert not state.finished
    assert state.medals == [PENDING, PENDING, PENDING]
    won = draw.state({"1/8": "won"})
    assert won.next_stage == "quarter-final"
    assert won.rounds[0][0].winner == 1


def test_losing_places_the_archer_and_the_rest_is_shot_out() -> None:
    draw = DayDraw(levels(32), 9, "recurve", False, "AGB", 5)
    state = draw.state({"1/16": "lost"})
    assert state.next_stage is None
    assert state.placing == 17
    assert state.finished
    assert 9 not in state.medals
    state = draw.state({"1/16": "won", "1/8": "won", "quarter-final": "lost"})
    assert state.placing == 5


def test_a_semi_final_loss_goes_to_the_bronze_medal_match() -> None:
    draw = DayDraw(levels(8), 2, "recurve", False, "AGB", 1)
    state = draw.state({"quarter-final": "won", "semi-final": "lost"})
    assert state.next_stage == BRONZE
    assert state.placing is None
    assert state.bronze is not None
    assert 2 in (state.bronze.top, state.bronze.bottom)
    assert state.archer_bouts[-1].opponent == draw.path()[-1].opponent
    assert (
        draw.state(
            {"quarter-final": "won", "semi-final": "lost", BRONZE: "won"}
        ).placing
        == 3
    )
    fourth = draw.state({"quarter-final": "won", "semi-final": "lost", BRONZE: "lost"})
    assert fourth.placing == 4
    assert fourth.finished


def test_the_final_places_first_or_second() -> None:
    draw = DayDraw(levels(8), 1, "compound", False, "AGB", 1)
    through = {"quarter-final": "won", "semi-final": "won"}
    assert draw.state(through).next_stage == "final"
    assert draw.state({**through, "final": "won"}).placing == 1
    assert draw.state({**through, "final": "lost"}).placing == 2


def test_a_top_seed_draws_a_bye_and_shoots_later() -> None:
    draw = DayDraw(levels(12), 1, "recurve", False, "AGB", 4)
    # 1 v 16 in a chart of 16 is a bye for a field of 12.
    assert (1, None) in first_round(12)
    assert draw.state({}).next_stage == "quarter-final"
    assert draw.path()[0].stage == "quarter-final"


def test_the_104_chart_sends_seeds_1_to_8_to_the_1_16() -> None:
    draw = DayDraw(levels(70), 8, "recurve", False, "AGB", 4)
    assert draw.path()[0].stage == "1/16"
    # 1/48 pairs add up to 113: 50 v 63; 40 would meet 73, below the field.
    low = DayDraw(levels(70), 50, "recurve", False, "AGB", 4)
    assert (low.path()[0].stage, low.path()[0].opponent) == ("1/48", 63)
    bye = DayDraw(levels(70), 40, "recurve", False, "AGB", 4)
    assert bye.path()[0].stage == "1/24"


def test_results_must_be_won_or_lost_of_a_stage() -> None:
    draw = DayDraw(levels(8), 1, "recurve", False, "AGB", 4)
    with pytest.raises(DayError):
        draw.state({"quarter-final": "tied"})
    with pytest.raises(DayError):
        draw.state({"1/64": "won"})
    with pytest.raises(DayError, match="not in the field"):
        DayDraw(levels(8), 9, "recurve", False, "AGB", 4)


@settings(max_examples=25, deadline=None)
@given(
    field=st.integers(8, 40),
    archer=st.integers(1, 40),
    seed=st.integers(0, 2**63 - 1),
    losses=st.integers(0, 6),
)
def test_ghost_matches_never_depend_on_the_archer(
    field: int, archer: int, seed: int, losses: int
) -> None:
    """Whatever the archer's results, every ghost match shot in two states of
    the day has the same winner, the archer's path never changes, and a
    finished day has three different medallists."""
    archer = min(archer, field)
    draw = DayDraw(levels(field), archer, "recurve", False, "AGB", seed)
    path = draw.path()
    results: dict[str, str] = {}
    for index, bout in enumerate(path[:-1]):
        results[bout.stage] = "lost" if index == losses else "won"
        if index == losses:
            break
    state = draw.state(results)
    everything = draw.state({b.stage: "won" for b in path[:-1]})
    for shot, other in zip(state.rounds, everything.rounds, strict=True):
        for a, b in zip(shot, other, strict=True):
            if (
                archer not in (a.top, a.bottom)
                and (a.top, a.bottom) == (b.top, b.bottom)
                and PENDING not in (a.winner, b.winner)
            ):
                assert a.winner == b.winner
    assert draw.path() == path
    if state.finished:
        assert len(set(state.medals)) == 3
