"""Team and mixed-team matches by World Archery rules: set points and first to
5, 4-4 and level totals going to a team shoot-off, the shoot-off's tie-breaks
(total, closest arrow, second closest, shoot again), arrow counts, the ghosts'
streams, and storing and restoring a match exactly."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ghost_simulator.engine.ghost import Ghost
from ghost_simulator.engine.matches import MatchError, match_round
from ghost_simulator.engine.teams import (
    TeamMatch,
    closeness,
    member_seed,
    team_round,
)

PERFECT = Ghost.perfect()


def perfect(
    kind: str = "team",
    bow: str = "recurve",
    *,
    indoor: bool = False,
    system: str | None = None,
) -> TeamMatch:
    return TeamMatch.start(
        kind, bow, PERFECT, PERFECT, seed=1, indoor=indoor, system=system
    )


def peek(match: TeamMatch, end: int) -> tuple[int, int]:
    """The ghosts' totals of an end not shot yet: (teammates, opponents)."""
    mates = sum(shot.ends[end].total for shot in match.teammate_rounds)
    theirs = sum(shot.ends[end].total for shot in match.opponent_rounds)
    return mates, theirs


def two_arrows(total: int) -> list[str]:
    """Two arrows on a 10-zone face scoring ``total`` (0 to 20)."""
    assert 0 <= total <= 20
    first = min(10, total)
    second = total - first
    return [str(first) if first else "M", str(second) if second else "M"]


def shoot(match: TeamMatch, outcome: str) -> None:
    """Shoot the next end to win ("W"), tie ("T") or lose ("L") it."""
    mates, theirs = peek(match, match.ends_shot)
    needed = theirs - mates + {"W": 1, "T": 0, "L": -1}[outcome]
    match.add_end(two_arrows(needed))


def find_seed(
    make: Callable[[int], TeamMatch], fits: Callable[[TeamMatch], bool]
) -> TeamMatch:
    for seed in range(1, 500):
        match = make(seed)
        if fits(match):
            return match
    raise AssertionError("no seed fits")  # pragma: no cover


def strong_opponents(seed: int, kind: str = "team") -> TeamMatch:
    """Perfect teammates against opponents the archer can tie or beat, end by
    end: the archer's two arrows need 0 to 20 points to tie each end."""
    return TeamMatch.start(
        kind, "recurve", PERFECT, Ghost.from_handicap(15, steady=True), seed
    )


def every_end_in_reach(match: TeamMatch) -> bool:
    return all(1 <= peek(match, e)[1] - peek(match, e)[0] <= 19 for e in range(4))


# -- the format ------------------------------------------------------------------


@pytest.mark.parametrize("bow", ["recurve", "compound", "barebow"])
@pytest.mark.parametrize("indoor", [False, True])
def test_faces_and_distances_are_the_individual_match_s(bow: str, indoor: bool) -> None:
    rnd = team_round(bow, indoor)
    single = match_round(bow, indoor)
    assert rnd.distances[0].face == single.distances[0].face
    assert rnd.distances[0].metres == single.distances[0].metres
    assert rnd.plan == ((0, 2),) * 4  # every archer: 4 ends of 2 arrows


def test_systems_by_bow() -> None:
    assert perfect().system == "set"
    assert perfect(bow="barebow").system == "set"
    assert perfect(bow="compound").system == "cumulative"
    assert perfect(bow="compound", system="set").system == "set"


def test_team_and_mixed_arrow_counts() -> None:
    team, mixed = perfect("team"), perfect("mixed")
    assert (len(team.teammates), len(team.opponents), team.end_arrows) == (2, 3, 6)
    assert (len(mixed.teammates), len(mixed.opponents), mixed.end_arrows) == (1, 2, 4)
    assert perfect("team", "compound").max_score == 240
    assert perfect("mixed", "compound").max_score == 160
    for match, size in ((team, 3), (mixed, 2)):
        match.add_end(["X", "10"])
        row = match.score_sheet()[0]
        assert row["team"]["archer"] == ["X", "10"]
        assert len(row["team"]["teammates"]) == size - 1
        assert len(row["opponents"]["members"]) == size
        members = [row["team"]["archer"], *row["team"]["teammates"]]
        assert all(len(labels) == 2 for labels in members + row["opponents"]["members"])
        assert row["opponents"]["total"] == 20 * size
        assert row["team"]["total"] == 20 * size
        assert (row["points"], row["running"]) == ([1, 1], [1, 1])


def test_mixed_shoot_off_is_two_arrows_a_side() -> None:
    match = perfect("mixed")
    for _ in range(4):
        match.add_end(["X", "X"])
    shoot_off = match.add_shoot_off("X")
    assert (len(shoot_off.team_arrows), len(shoot_off.opponents)) == (2, 2)
    assert (shoot_off.team_total, shoot_off.opponent_total) == (20, 20)


# -- set system ------------------------------------------------------------------


def test_lost_six_nil_in_three_sets() -> None:
    match = perfect()
    for _ in range(3):
        assert match.expected_arrows() == 2
        match.add_end(["10", "9"])  # 59 against 60
    verdict = match.verdict()
    assert (verdict.status, verdict.team_points, verdict.opponent_points) == (
        "lost",
        0,
        6,
    )
    assert verdict.reason == "set points"
    assert match.expected_arrows() == 0
    with pytest.raises(MatchError, match="The match is over") as caught:
        match.add_end(["X", "X"])
    assert caught.value.code == "not_due"


@pytest.mark.parametrize(
    ("outcomes", "points"),
    [
        ("WWW", (6, 0)),  # a team on 4 that wins a set finishes on 6
        ("WWT", (5, 1)),  # the first to 5 wins: a tie is enough from 4
        ("TTTW", (5, 3)),
        ("WLWL", None),  # 4-4: shoot-off
        ("TTTT", None),
        ("TLTL", (2, 6)),
    ],
)
def test_set_points_and_first_to_five(
    outcomes: str, points: tuple[int, int] | None
) -> None:
    match = find_seed(strong_opponents, every_end_in_reach)
    for number, outcome in enumerate(outcomes, start=1):
        shoot(match, outcome)
        assert len(match.set_points()) == number
    verdict = match.verdict()
    if points is None:
        assert (verdict.status, verdict.team_points, verdict.opponent_points) == (
            "shoot_off",
            4,
            4,
        )
    else:
        assert (verdict.team_points, verdict.opponent_points) == points
        assert verdict.status == ("won" if points[0] > points[1] else "lost")
        assert match.expected_arrows() == 0


def test_four_all_goes_to_a_shoot_off_and_its_winner_scores_five() -> None:
    match = perfect()
    for _ in range(4):
        match.add_end(["X", "X"])  # 60 against 60: a point each
    verdict = match.verdict()
    assert (verdict.status, verdict.team_points, verdict.opponent_points) == (
        "shoot_off",
        4,
        4,
    )
    assert match.expected_arrows() == 0
    with pytest.raises(MatchError, match="team shoot-off"):
        match.add_end(["X", "X"])
    # The archer's X dead centre: closer than any ghost's.
    shoot_off = match.add_shoot_off("X", distance=0.0)
    assert shoot_off.result == "archer"
    verdict = match.verdict()
    assert (verdict.status, verdict.reason) == ("won", "shoot-off")
    assert (verdict.team_points, verdict.opponent_points) == (5, 4)
    with pytest.raises(MatchError, match="No shoot-off is due"):
        match.add_shoot_off("X")


def test_a_lost_shoot_off_is_four_five() -> None:
    match = perfect()
    for _ in range(4):
        match.add_end(["X", "X"])
    match.add_shoot_off("9")  # 29 against 30
    verdict = match.verdict()
    assert (verdict.status, verdict.team_points, verdict.opponent_points) == (
        "lost",
        4,
        5,
    )


# -- cumulative system -----------------------------------------------------------


def test_compound_cumulative_decided_on_total_after_four_ends() -> None:
    match = perfect(bow="compound")
    assert match.face.system == "10_zone_6_ring"
    for _ in range(3):
        match.add_end(["10", "9"])
        # Far behind, but only the fourth end's total decides.
        assert match.verdict().status == "in_progress"
    match.add_end(["X", "X"])
    verdict = match.verdict()
    assert (verdict.status, verdict.reason) == ("lost", "total")
    assert (verdict.team_total, verdict.opponent_total) == (237, 240)
    assert (verdict.team_points, verdict.opponent_points) == (None, None)
    assert match.score_sheet()[-1]["running"] == [237, 240]
    assert match.score_sheet()[-1]["points"] is None


def test_compound_tie_goes_to_a_shoot_off_and_the_totals_stay() -> None:
    match = perfect("mixed", "compound")
    for _ in range(4):
        match.add_end(["X", "X"])
    verdict = match.verdict()
    assert (verdict.status, verdict.team_total, verdict.opponent_total) == (
        "shoot_off",
        160,
        160,
    )
    match.add_shoot_off("X", distance=0.0)
    verdict = match.verdict()
    assert (verdict.status, verdict.reason) == ("won", "shoot-off")
    assert (verdict.team_total, verdict.opponent_total) == (160, 160)
    assert verdict.team_points is None


def test_compound_indoor_faces_score_the_inner_ten() -> None:
    match = perfect("team", "compound", indoor=True)
    assert "10" not in match.face.labels  # the X is the only 10
    with pytest.raises(MatchError) as caught:
        match.add_end(["10", "9"])
    assert caught.value.code == "bad_label"


# -- the team shoot-off ----------------------------------------------------------


def test_closeness_rule() -> None:
    # (ring, distance): the closest arrows decide...
    assert (
        closeness([(0, 0.01), (1, 0.5), (9, 9.0)], [(0, 0.02), (0, 0.03), (0, 0.04)])
        == "archer"
    )
    assert closeness([(0, 0.03), (0, 0.01)], [(0, 0.02), (0, 0.005)]) == "ghost"
    # ...a better ring is always closer...
    assert closeness([(0, 0.029), (2, 0.0)], [(1, 0.0), (1, 0.0)]) == "archer"
    # ...equally close, the second closest decide...
    assert closeness([(0, 0.01), (0, 0.02)], [(0, 0.01), (0, 0.03)]) == "archer"
    assert closeness([(0, 0.01), (1, 0.02)], [(0, 0.01), (0, 0.03)]) == "ghost"
    # ...and so on; all equally close, shoot again.
    three = [(0, 0.01), (0, 0.02), (1, 0.05)]
    assert closeness(three, [(0, 0.01), (0, 0.02), (1, 0.04)]) == "ghost"
    assert closeness(three, list(reversed(three))) == "again"


def test_shoot_off_decided_by_total() -> None:
    def fits(match: TeamMatch) -> bool:
        theirs = sum(s.shoot_off[0].value for s in match.opponent_rounds)
        return every_end_in_reach(match) and 20 < theirs < 30

    match = find_seed(strong_opponents, fits)
    for _ in range(4):
        shoot(match, "T")
    assert match.verdict().status == "shoot_off"
    shoot_off = match.add_shoot_off("X")
    assert shoot_off.team_total == 30 > shoot_off.opponent_total
    assert shoot_off.result == "archer"
    assert match.verdict().status == "won"

    again = find_seed(strong_opponents, fits)
    for _ in range(4):
        shoot(again, "T")
    again.add_shoot_off("M", closer="archer")  # closer means nothing here
    assert again.verdict().status == "lost"


def test_shoot_off_decided_by_the_closest_arrow_from_the_rings() -> None:
    """A 10 against Xs of the same value: where the Xs are decides, whatever
    the archer says."""
    match = perfect("mixed")
    for _ in range(4):
        match.add_end(["X", "X"])
    shoot_off = match.add_shoot_off("10", closer="ghost")
    mate = shoot_off.teammates[0].distance
    closest = min(a.distance for a in shoot_off.opponents)  # type: ignore[type-var]
    assert mate is not None
    assert closest is not None
    expected = "archer" if mate < closest else "ghost"
    assert shoot_off.by_geometry == expected
    assert shoot_off.result == expected


def test_shoot_off_decided_by_the_closest_arrow_when_the_archer_says() -> None:
    match = perfect()
    for _ in range(4):
        match.add_end(["X", "X"])
    shoot_off = match.add_shoot_off("X")
    # An X somewhere in the X ring: whether it beats the ghosts' closest depends
    # on where; nobody knows yet.
    assert shoot_off.result is None
    assert match.verdict().status == "shoot_off"
    answered = match.add_shoot_off("X", closer="archer")
    assert answered.archer == shoot_off.archer
    assert answered.opponents == shoot_off.opponents
    assert len(match.shoot_offs) == 1
    verdict = match.verdict()
    assert (verdict.status, verdict.team_points, verdict.opponent_points) == (
        "won",
        5,
        4,
    )


def test_shoot_off_decided_by_the_second_closest_arrow() -> None:
    """The archer's X exactly as close as the ghosts' closest: the second
    closest arrows (the teammate's, and the other opponent's) decide."""

    def second_decides(match: TeamMatch) -> bool:
        mate = match.teammate_rounds[0].shoot_off[0].distance
        theirs = sorted(s.shoot_off[0].distance for s in match.opponent_rounds)  # type: ignore[type-var]
        return mate is not None and mate > theirs[0]

    def level(seed: int) -> TeamMatch:
        match = TeamMatch.start("mixed", "recurve", PERFECT, PERFECT, seed)
        for _ in range(4):
            match.add_end(["X", "X"])
        return match

    match = find_seed(level, second_decides)
    mate = match.teammate_rounds[0].shoot_off[0].distance
    theirs = sorted(s.shoot_off[0].distance for s in match.opponent_rounds)  # type: ignore[type-var]
    assert mate is not None
    shoot_off = match.add_shoot_off("X", distance=theirs[0])
    expected = "archer" if mate < theirs[1] else "ghost"
    assert shoot_off.result == expected
    assert match.verdict().status == ("won" if expected == "archer" else "lost")


def test_equally_close_shoots_again_with_new_ghost_arrows() -> None:
    match = perfect()
    for _ in range(4):
        match.add_end(["X", "X"])
    first = match.add_shoot_off("X", closer="equal")
    assert first.result == "again"
    assert match.verdict().status == "shoot_off"
    second = match.add_shoot_off("9")
    assert second.opponents != first.opponents  # each ghost's next arrow
    assert second.result == "ghost"
    assert match.verdict().status == "lost"


def test_shoot_off_goes_on_past_the_arrows_shot_ahead() -> None:
    def seven_equal(seed: int) -> TeamMatch:
        match = TeamMatch.start("mixed", "recurve", PERFECT, PERFECT, seed)
        for _ in range(4):
            match.add_end(["X", "X"])
        while len(match.shoot_offs) < 7 and match.verdict().status == "shoot_off":
            match.add_shoot_off("X", closer="equal")
        return match

    # Xs all round, and the archer says "equally close" whenever the rings
    # leave it to them: a seed where that goes on past the 5 arrows shot ahead.
    match = find_seed(seven_equal, lambda m: m.verdict().status == "shoot_off")
    assert [s.result for s in match.shoot_offs] == ["again"] * 7
    shot = match.opponent_rounds[0].shoot_off
    assert len(shot) >= 7
    assert [s.opponents[0] for s in match.shoot_offs] == shot[:7]
    restored = TeamMatch.from_dict(match.to_dict())
    assert restored.shoot_offs == match.shoot_offs


# -- the ghosts' arrows ----------------------------------------------------------


def test_same_seed_same_arrows() -> None:
    ghost = Ghost.from_handicap(40)
    one = TeamMatch.start("team", "recurve", ghost, ghost, 123)
    two = TeamMatch.start("team", "recurve", ghost, ghost, 123)
    other = TeamMatch.start("team", "recurve", ghost, ghost, 124)
    ends = [[e.labels for e in s.ends] for s in one.opponent_rounds]
    assert ends == [[e.labels for e in s.ends] for s in two.opponent_rounds]
    assert ends != [[e.labels for e in s.ends] for s in other.opponent_rounds]
    # Every ghost has its own stream: the same ghost twice shoots differently.
    shots = one.teammate_rounds + one.opponent_rounds
    assert len({tuple(a.x for e in s.ends for a in e.arrows) for s in shots}) == 5


def test_a_ghost_s_arrows_do_not_depend_on_the_others() -> None:
    me = Ghost.from_handicap(30)
    mixed = TeamMatch.start("mixed", "recurve", [me], [me, me], 9)
    team = TeamMatch.start(
        "team", "recurve", [me, Ghost.from_handicap(70)], [me, me, PERFECT], 9
    )
    assert team.teammate_rounds[0].ends == mixed.teammate_rounds[0].ends
    assert team.opponent_rounds[:2] == mixed.opponent_rounds
    changed = TeamMatch.start(
        "team", "recurve", [me, Ghost.from_handicap(10)], [me, me, me], 9
    )
    assert changed.teammate_rounds[0].ends == team.teammate_rounds[0].ends
    assert changed.opponent_rounds[:2] == team.opponent_rounds[:2]


def test_member_seeds_never_change() -> None:
    # Golden values: a change here changes every stored team match.
    assert member_seed(1, "teammate", 0) == 8959613547451591169
    assert member_seed(2**63 - 1, "opponent", 2) == 1599974920678715119
    assert member_seed(1, "teammate", 0) != member_seed(1, "opponent", 0)


def test_the_ghosts_never_show_their_hand_early() -> None:
    match = TeamMatch.start("team", "recurve", Ghost.from_handicap(30), PERFECT, 5)
    assert match.team_ends() == [] == match.opponent_ends()
    match.add_end(["9", "9"])
    assert len(match.team_ends()) == len(match.opponent_ends()) == 1
    assert len(match.score_sheet()) == 1


# -- entries refused -------------------------------------------------------------


@pytest.mark.parametrize(
    ("labels", "code"),
    [
        (["X"], "arrow_count"),
        (["X", "10", "9"], "arrow_count"),
        (["11", "10"], "bad_label"),
        (["X", "ten"], "bad_label"),
        ("X9", "arrows_list"),
    ],
)
def test_bad_ends(labels: list[str], code: str) -> None:
    match = perfect()
    with pytest.raises(MatchError) as caught:
        match.add_end(labels)
    assert caught.value.code == code
    assert match.ends_shot == 0


def test_labels_off_the_indoor_face() -> None:
    match = perfect(indoor=True)  # the triple spot: 10 to 6
    with pytest.raises(MatchError, match="not a value") as caught:
        match.add_end(["5", "10"])
    assert caught.value.params["labels"] == match.face.labels
    match.add_end(["m", "0"])  # both a miss
    assert match.archer_ends[0].labels == ["M", "M"]


def test_shoot_off_only_when_due() -> None:
    match = perfect()
    with pytest.raises(MatchError, match="No shoot-off is due") as caught:
        match.add_shoot_off("X")
    assert caught.value.code == "no_shoot_off"
    for _ in range(4):
        match.add_end(["X", "X"])
    with pytest.raises(MatchError, match="closer must be"):
        match.add_shoot_off("X", closer="nobody")
    for distance in (-0.01, float("nan"), "near"):
        with pytest.raises(MatchError) as caught:
            match.add_shoot_off("X", distance=distance)  # type: ignore[arg-type]
        assert caught.value.code == "bad_distance"
    with pytest.raises(MatchError) as caught:
        match.add_shoot_off("11")
    assert caught.value.code == "bad_label"
    assert match.shoot_offs == []


def test_correct_the_last_end() -> None:
    match = perfect()
    with pytest.raises(MatchError, match="no end to correct"):
        match.correct_last_end(["X", "X"])
    for _ in range(3):
        match.add_end(["10", "9"])
    assert match.verdict().status == "lost"
    match.correct_last_end(["X", "X"])  # the third set was a tie after all
    assert (match.verdict().team_points, match.verdict().opponent_points) == (1, 5)
    with pytest.raises(MatchError) as caught:
        match.correct_last_end(["X"])
    assert caught.value.code == "arrow_count"

    level = perfect()
    for _ in range(4):
        level.add_end(["X", "X"])
    level.add_shoot_off("X", closer="equal")
    with pytest.raises(MatchError, match="shoot-off has started"):
        level.correct_last_end(["9", "9"])


@pytest.mark.parametrize(
    ("kind", "bow", "mates", "opponents", "seed", "system", "code"),
    [
        ("trio", "recurve", 2, 3, 1, None, "bad_kind"),
        ("team", "crossbow", 2, 3, 1, None, "bad_bow"),
        ("team", "recurve", 2, 3, 1, "knockout", "bad_system"),
        ("team", "recurve", 1, 3, 1, None, "team_size"),
        ("mixed", "recurve", 1, 3, 1, None, "team_size"),
        ("team", "recurve", 2, 3, -1, None, "bad_seed"),
        ("team", "recurve", 2, 3, 2**63, None, "bad_seed"),
    ],
)
def test_bad_matches(
    kind: str,
    bow: str,
    mates: int,
    opponents: int,
    seed: int,
    system: str | None,
    code: str,
) -> None:
    with pytest.raises(MatchError) as caught:
        TeamMatch.start(
            kind, bow, [PERFECT] * mates, [PERFECT] * opponents, seed, system=system
        )
    assert caught.value.code == code


def test_min_max_ghosts_cannot_shoot_a_team_match() -> None:
    minmax = Ghost.from_min_max(15, 25)
    with pytest.raises(MatchError) as caught:
        TeamMatch.start("mixed", "recurve", minmax, PERFECT, 1)
    assert caught.value.code == "bad_ghost"


# -- storage ---------------------------------------------------------------------


def test_store_and_restore_a_finished_match() -> None:
    match = perfect()
    for _ in range(4):
        match.add_end(["X", "X"])
    match.add_shoot_off("X")  # who was closer: not known yet
    match.add_shoot_off("X", closer="equal")
    match.add_shoot_off("X", distance=0.001)
    data = match.to_dict()
    assert data["version"] == 1
    assert data["shoot_offs"][0] == {"label": "X", "closer": "equal"}
    restored = TeamMatch.from_dict(data)
    assert restored.to_dict() == data
    assert restored.verdict() == match.verdict()
    assert restored.shoot_offs == match.shoot_offs
    assert restored.summary() == match.summary()
    assert match.summary()["team_points"] == (
        5 if match.verdict().status == "won" else 4
    )


def test_unknown_state_version() -> None:
    data = perfect().to_dict()
    data["version"] = 99
    with pytest.raises(MatchError, match="Unsupported team match state version"):
        TeamMatch.from_dict(data)


def test_summary() -> None:
    match = perfect("mixed", "compound")
    match.add_end(["X", "9"])
    summary = match.summary()
    assert summary["status"] == "in_progress"
    assert (summary["team_total"], summary["opponent_total"]) == (39, 40)
    assert (summary["archer_total"], summary["arrows_shot"]) == (19, 2)
    assert summary["max_score"] == 160
    assert summary["teammates"] == [PERFECT.label]
    assert len(summary["opponents"]) == 2


# -- every legal match ends by the rules -----------------------------------------

ghosts = st.one_of(
    st.just(PERFECT),
    st.sampled_from([0.0, 20.0, 45.0, 80.0]).map(
        lambda h: Ghost.from_handicap(h, steady=h > 40)
    ),
)


@settings(max_examples=60, deadline=None)
@given(
    kind=st.sampled_from(["team", "mixed"]),
    bow=st.sampled_from(["recurve", "compound", "barebow"]),
    indoor=st.booleans(),
    system=st.sampled_from([None, "set", "cumulative"]),
    seed=st.integers(0, 2**63 - 1),
    mate=ghosts,
    opponent=ghosts,
    data=st.data(),
)
def test_every_legal_match_ends_by_the_rules(  # type: ignore[no-untyped-def]
    kind, bow, indoor, system, seed, mate, opponent, data
) -> None:
    match = TeamMatch.start(
        kind, bow, mate, opponent, seed, indoor=indoor, system=system
    )
    # Sometimes only the best labels: level matches and shoot-offs come up too.
    top = data.draw(st.sampled_from([1, 2, len(match.face.labels)]))
    labels = st.sampled_from(match.face.labels[:top])
    while match.expected_arrows():
        match.add_end(data.draw(st.lists(labels, min_size=2, max_size=2)))
    shoot_offs = data.draw(st.integers(0, 4))
    while match.verdict().status == "shoot_off" and len(match.shoot_offs) < shoot_offs:
        match.add_shoot_off(
            data.draw(labels),
            data.draw(st.sampled_from([None, "archer", "ghost", "equal"])),
            distance=data.draw(st.one_of(st.none(), st.floats(0, 0.05))),
        )
    verdict = match.verdict()
    assert verdict.status in {"won", "lost", "shoot_off"}
    assert 1 <= match.ends_shot <= 4
    assert 0 <= verdict.team_total <= match.max_score
    assert 0 <= verdict.opponent_total <= match.max_score
    assert verdict.team_total == sum(
        row["team"]["total"] for row in match.score_sheet()
    )
    if match.system == "set":
        ours, theirs = verdict.team_points, verdict.opponent_points
        assert ours is not None
        assert theirs is not None
        shot_off = verdict.reason == "shoot-off"
        assert ours + theirs == 2 * match.ends_shot + shot_off
        if verdict.status == "shoot_off":
            assert (ours, theirs, match.ends_shot) == (4, 4, 4)
        elif shot_off:
            assert (ours, theirs) in {(5, 4), (4, 5)}
        else:
            winner, loser = max(ours, theirs), min(ours, theirs)
            assert winner in {5, 6}
            assert loser <= 4
            assert (verdict.status == "won") == (ours > theirs)
    else:
        assert match.ends_shot == 4
        assert verdict.team_points is None
        if verdict.status == "shoot_off" or verdict.reason == "shoot-off":
            assert verdict.team_total == verdict.opponent_total
        else:
            assert (verdict.status == "won") == (
                verdict.team_total > verdict.opponent_total
            )
    if verdict.status == "shoot_off":
        assert all(s.result in {None, "again"} for s in match.shoot_offs)
    data_ = match.to_dict()
    restored = TeamMatch.from_dict(data_)
    assert restored.to_dict() == data_
    assert restored.verdict() == verdict
