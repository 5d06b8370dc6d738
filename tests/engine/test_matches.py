"""Matches by World Archery rules: set points, shoot-offs, cumulative totals,
ranking tie-breaks, corrections, and storing and restoring a match exactly."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ghost_simulator.engine.ghost import Ghost
from ghost_simulator.engine.matches import Match, MatchError, match_round, set_points
from ghost_simulator.engine.rounds import get_round


def test_set_points_rule() -> None:
    assert set_points(28, 27) == (2, 0)
    assert set_points(27, 27) == (1, 1)
    assert set_points(20, 29) == (0, 2)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), min_size=1, max_size=5)
)
def test_set_points_always_share_two(sets: list[tuple[int, int]]) -> None:
    for a, g in sets:
        assert sum(set_points(a, g)) == 2


def perfect_match(kind: str = "set", bow: str = "recurve") -> Match:
    return Match.elimination(bow, Ghost.perfect(), seed=1, system=kind)


def test_set_match_lost_to_the_perfect_ghost_in_three_sets() -> None:
    match = perfect_match()
    for _ in range(3):
        assert match.expected_arrows() == 3
        match.add_end(["10", "10", "9"])
    verdict = match.verdict()
    assert (verdict.status, verdict.archer_points, verdict.ghost_points) == (
        "lost",
        0,
        6,
    )
    with pytest.raises(MatchError, match="The match is over"):
        match.add_end(["10", "10", "10"])


def test_ties_give_a_point_each_and_five_all_goes_to_a_shoot_off() -> None:
    match = perfect_match()
    for _ in range(5):
        match.add_end(["X", "X", "10"])  # 30 against the ghost's 30
    verdict = match.verdict()
    assert (verdict.status, verdict.archer_points, verdict.ghost_points) == (
        "shoot_off",
        5,
        5,
    )
    assert match.expected_arrows() == 0
    with pytest.raises(MatchError, match="shoot-off"):
        match.add_end(["X", "X", "X"])
    shoot_off = match.add_shoot_off("X")  # the perfect ghost's X is in the middle
    assert shoot_off.result is None  # same value: who was closer?
    assert match.verdict().status == "shoot_off"
    match.add_shoot_off("X", closer="ghost")
    verdict = match.verdict()
    assert (verdict.status, verdict.reason) == ("lost", "shoot-off")
    # The shoot-off's winner scores the deciding point (World Archery: 5-6).
    assert (verdict.archer_points, verdict.ghost_points) == (5, 6)


def test_equally_close_shoots_again() -> None:
    match = perfect_match()
    for _ in range(5):
        match.add_end(["X", "X", "X"])
    match.add_shoot_off("X", closer="equal")
    assert match.shoot_offs[-1].result == "again"
    assert match.verdict().status == "shoot_off"
    match.add_shoot_off("9")
    assert match.verdict().status == "lost"


def test_shoot_off_higher_value_wins() -> None:
    ghost = Ghost.from_handicap(60, steady=True)
    match = Match.elimination("recurve", ghost, seed=5)
    ghost_sets = match.ghost_round.ends[:5]
    for end in ghost_sets:
        total = end.total
        match.add_end(total=total)  # level every set: 5-5
    assert match.verdict().status == "shoot_off"
    ghost_arrow = match.ghost_round.shoot_off[0]
    assert ghost_arrow.value < 10
    match.add_shoot_off("X")
    verdict = match.verdict()
    assert verdict.status == "won"
    assert (verdict.archer_points, verdict.ghost_points) == (6, 5)


def test_a_cumulative_shoot_off_leaves_the_totals_as_shot() -> None:
    ghost = Ghost.from_handicap(60, steady=True)
    match = Match.elimination("compound", ghost, seed=5)
    for end in match.ghost_round.ends:
        match.add_end(total=end.total)
    assert match.verdict().status == "shoot_off"
    match.add_shoot_off("X")
    verdict = match.verdict()
    assert verdict.status == "won"
    total = match.ghost_tally().total
    assert (verdict.archer_points, verdict.ghost_points) == (total, total)


def test_set_match_won_early() -> None:
    match = Match.elimination("recurve", Ghost.from_handicap(100, steady=True), seed=3)
    for _ in range(3):
        match.add_end(["X", "X", "X"])
    assert match.verdict().status == "won"
    assert match.verdict().archer_points == 6


def test_cumulative_match() -> None:
    match = perfect_match("cumulative", bow="compound")
    assert match.round.distances[0].face.system == "10_zone_6_ring"
    for _ in range(5):
        match.add_end(["X", "X", "X"])
    assert match.verdict().status == "shoot_off"
    assert (match.verdict().archer_points, match.verdict().ghost_points) == (150, 150)
    match.add_shoot_off("10")  # a 10 against the ghost's X: same value
    assert match.verdict().status == "shoot_off"
    match.add_shoot_off("10", closer="ghost")
    assert match.verdict().status == "lost"


def test_cumulative_decided_on_total() -> None:
    match = perfect_match("cumulative", bow="compound")
    for _ in range(5):
        match.add_end(["X", "X", "9"])
    assert match.verdict().status == "lost"
    assert match.verdict().reason == "total"


def test_ranking_round_tie_breaks() -> None:
    rnd = get_round("wa18", half=True)
    ghost = Ghost.from_handicap(25, steady=True)
    shot = ghost.shoot(rnd, 9, shoot_off_arrows=5)
    # Copy the ghost's ends but trade one X for a 10: same total, same 10s, fewer Xs.
    match = Match("ranking", rnd, ghost, 9)
    entries = [list(e.labels) for e in shot.ends]
    for labels in entries:
        if "X" in labels:
            labels[labels.index("X")] = "10"
            break
    for labels in entries:
        match.add_end(labels)
    verdict = match.verdict()
    assert (verdict.status, verdict.reason) == ("lost", "Xs")
    assert verdict.archer_points == verdict.ghost_points


def test_ranking_round_identical_is_a_tie() -> None:
    rnd = get_round("wa18", half=True)
    ghost = Ghost.from_handicap(25, steady=True)
    match = Match("ranking", rnd, ghost, 9)
    for end in ghost.shoot(rnd, 9).ends:
        match.add_end(end.labels)
    assert match.verdict().status == "tied"


def test_the_ghost_never_shows_its_hand_early() -> None:
    match = Match.elimination("recurve", Ghost.from_handicap(30), seed=1)
    assert match.ghost_ends == []
    match.add_end(["9", "9", "9"])
    assert len(match.ghost_ends) == 1


def test_correct_the_last_end() -> None:
    match = perfect_match()
    match.add_end(["9", "9", "9"])
    match.correct_last_end(["10", "9", "9"])
    assert match.archer_ends[-1].total == 28
    assert match.verdict().archer_points == 0
    with pytest.raises(MatchError, match="no end to correct"):
        perfect_match().correct_last_end(["9", "9", "9"])


@pytest.mark.parametrize(
    ("labels", "total", "message"),
    [
        (["10", "9"], None, "This end has 3 arrows, not 2"),
        (["10", "9", "9", "9"], None, "not 4"),
        (["11", "9", "9"], None, "'11' is not a value"),
        (None, 31, "scores 0 to 30"),
        (None, -1, "scores 0 to 30"),
        (None, None, "either the end's arrows or its total"),
        (["9", "9", "9"], 27, "either the end's arrows or its total"),
    ],
)
def test_bad_entries(labels: list[str] | None, total: int | None, message: str) -> None:
    with pytest.raises(MatchError, match=message):
        perfect_match().add_end(labels, total=total)


def test_values_the_face_lacks_are_refused() -> None:
    match = Match.elimination(
        "recurve", Ghost.perfect(), seed=1, indoor=True
    )  # triple spot
    with pytest.raises(MatchError, match="'5' is not a value"):
        match.add_end(["10", "9", "5"])
    match.add_end(["10", "9", "m"])
    assert match.archer_ends[0].labels == ["10", "9", "M"]


def test_shoot_off_only_when_due() -> None:
    with pytest.raises(MatchError, match="No shoot-off is due"):
        perfect_match().add_shoot_off("X")
    match = perfect_match()
    for _ in range(5):
        match.add_end(["X", "X", "X"])
    with pytest.raises(MatchError, match="closer must be"):
        match.add_shoot_off("X", closer="nobody")


def test_shoot_off_goes_on_until_decided() -> None:
    """WA: equally close arrows shoot again, as often as it takes."""
    match = perfect_match()
    for _ in range(5):
        match.add_end(["X", "X", "X"])
    first_five = match.ghost_round.shoot_off[:5]
    for _ in range(12):
        match.add_shoot_off("X", closer="equal")
        assert match.verdict().status == "shoot_off"
    assert [s.ghost for s in match.shoot_offs[:5]] == first_five
    match.add_shoot_off("X", closer="archer")
    assert match.verdict().status == "won"
    again = Match.from_dict(match.to_dict())
    assert again.verdict().status == "won"
    assert [s.ghost for s in again.shoot_offs] == [s.ghost for s in match.shoot_offs]


def test_the_shoot_off_arrows_shot_ahead_are_the_ones_shot() -> None:
    """What a page is told ahead (the ghost's plan) is what the match shoots."""
    ghost = Ghost.from_handicap(40, form=0)
    match = Match.elimination("recurve", ghost, seed=11)
    ahead = match.ghost_shoot_off_arrows(12)
    assert len(ahead) == 12
    assert ahead[:3] == match.ghost_shoot_off_arrows(3)
    tie = [[a.label for a in end.arrows] for end in match.ghost_round.ends]
    for labels in tie:
        match.add_end(labels)
    assert match.verdict().status == "shoot_off"
    for arrow in ahead:  # the same value each time, equally close
        match.add_shoot_off(arrow.label, closer="equal")
    assert [s.ghost for s in match.shoot_offs] == ahead
    ranking = Match("ranking", get_round("wa18"), ghost, seed=11)
    assert ranking.ghost_shoot_off_arrows(10) == []


def test_match_round_by_bow() -> None:
    assert match_round("recurve", False).distances[0].metres == 70
    assert match_round("compound", False).distances[0].face.system == "10_zone_6_ring"
    assert (
        match_round("compound", True).distances[0].face.system
        == "10_zone_5_ring_compound"
    )
    assert match_round("barebow", True).distances[0].face.system == "10_zone"
    with pytest.raises(ValueError, match="Unknown bow"):
        match_round("sling", False)


entries = st.lists(
    st.one_of(
        st.lists(
            st.sampled_from(["X", "10", "9", "8", "7", "M"]), min_size=3, max_size=3
        ),
        st.integers(0, 30).map(lambda t: {"total": t}),
    ),
    max_size=6,
)


@settings(max_examples=80, deadline=None)
@given(
    kind=st.sampled_from(["set", "cumulative"]),
    handicap=st.floats(0, 60),
    seed=st.integers(0, 2**63 - 1),
    ends=entries,
    shoot_offs=st.lists(
        st.tuples(
            st.sampled_from(["X", "10", "9"]),
            st.sampled_from([None, "archer", "ghost", "equal"]),
        ),
        max_size=3,
    ),
)
def test_store_and_restore_is_identity(kind, handicap, seed, ends, shoot_offs) -> None:  # type: ignore[no-untyped-def]
    match = Match.elimination(
        "recurve", Ghost.from_handicap(handicap), seed, system=kind
    )
    for entry in ends:
        try:
            if isinstance(entry, dict):
                match.add_end(total=entry["total"])
            else:
                match.add_end(entry)
        except MatchError:
            break
    for label, closer in shoot_offs:
        try:
            match.add_shoot_off(label, closer)
        except MatchError:
            break
    data = match.to_dict()
    restored = Match.from_dict(data)
    assert restored.to_dict() == data
    assert restored.verdict() == match.verdict()
    assert restored.archer_ends == match.archer_ends
    assert restored.ghost_ends == match.ghost_ends
    assert [s.result for s in restored.shoot_offs] == [
        s.result for s in match.shoot_offs
    ]


def test_stored_ranking_round_restores() -> None:
    rnd = get_round("wa720_70", bow="compound", half=True)
    match = Match("ranking", rnd, Ghost.from_score(rnd, 300), 77)
    match.add_end(["X", "10", "9", "9", "8", "M"])
    restored = Match.from_dict(match.to_dict())
    assert restored.round == rnd
    assert restored.to_dict() == match.to_dict()


def test_unknown_state_version() -> None:
    data = perfect_match().to_dict()
    data["version"] = 99
    with pytest.raises(MatchError, match="Unsupported match state version"):
        Match.from_dict(data)
