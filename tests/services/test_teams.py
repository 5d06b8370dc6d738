"""services.teams: a team match kept for a viewer as matches are, read back
by replaying the archer's entries through the engine. No request: a viewer
and what it asks."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from werkzeug.security import generate_password_hash

from ghost_simulator.services import teams
from ghost_simulator.services.viewers import Viewer
from ghost_simulator.store import archers
from ghost_simulator.store import teams as stored_teams
from ghost_simulator.store.models import Archer
from tests.team_play import end_labels, level_plan, shoot_off_win

BROWSER = Viewer("browser-key")
OTHER_BROWSER = Viewer("another-browser-key")
TEAM = teams.TeamRequest(kind="team", bow="recurve", handicap=40.0)


@pytest.fixture
def context(app: Flask) -> Iterator[None]:
    with app.test_request_context():
        yield


def make_archer(username: str = "alice") -> Archer:
    return archers.create(
        username, generate_password_hash("pw", method="scrypt:1024:8:1")
    )


def level_match(viewer: Viewer, request: teams.TeamRequest) -> tuple[str, list]:
    """A new match, and four ends that leave it level."""
    for _try in range(40):
        match_id = teams.create(viewer, request)
        loaded = teams.load(viewer, match_id)
        assert loaded is not None
        plan = level_plan(loaded.match)
        if plan is not None and shoot_off_win(loaded.match) is not None:
            return match_id, plan
        teams.delete(viewer, match_id)
    raise AssertionError("no level match found")


def test_a_new_team_match_is_the_viewers_alone(context: None) -> None:
    match_id = teams.create(BROWSER, TEAM)
    loaded = teams.load(BROWSER, match_id)
    assert loaded is not None
    assert loaded.match.kind == "team"
    assert loaded.match.team_size == 3
    assert [g.handicap for g in loaded.match.opponents] == [40.0] * 3
    # The teammates default to the opponents' level.
    assert [g.handicap for g in loaded.match.teammates] == [40.0] * 2
    assert loaded.version == 1
    assert teams.load(OTHER_BROWSER, match_id) is None
    assert [m.id for m in teams.list_for(BROWSER)] == [match_id]
    assert teams.list_for(OTHER_BROWSER) == []
    assert not teams.delete(OTHER_BROWSER, match_id)
    assert teams.delete(BROWSER, match_id)
    assert teams.load(BROWSER, match_id) is None


def test_teammates_at_a_handicap_and_a_mixed_team(context: None) -> None:
    asked = teams.TeamRequest(
        kind="mixed",
        bow="barebow",
        indoor=True,
        handicap=30,
        teammates="handicap",
        teammate_handicap=50,
    )
    loaded = teams.load(BROWSER, teams.create(BROWSER, asked))
    assert loaded is not None
    assert loaded.match.end_arrows == 4
    assert [g.handicap for g in loaded.match.teammates] == [50.0]
    assert [g.handicap for g in loaded.match.opponents] == [30.0, 30.0]
    assert loaded.match.indoor


@pytest.mark.parametrize(
    ("asked", "field"),
    [
        (teams.TeamRequest(kind="quartet"), "kind"),
        (teams.TeamRequest(bow="sling"), "bow"),
        (teams.TeamRequest(handicap=500), "handicap"),
        (teams.TeamRequest(teammates="handicap"), "teammate_handicap"),
        (
            teams.TeamRequest(teammates="handicap", teammate_handicap=-99),
            "teammate_handicap",
        ),
        (teams.TeamRequest(teammates="cousins"), "teammates"),
        (teams.TeamRequest(teammates="me"), "teammates"),  # nobody signed in
        (teams.TeamRequest(scheme="XYZ"), "scheme"),
    ],
)
def test_bad_requests_name_the_field(
    context: None, asked: teams.TeamRequest, field: str
) -> None:
    with pytest.raises(teams.TeamInvalid) as caught:
        teams.create(BROWSER, asked)
    assert field in caught.value.errors
    assert teams.list_for(BROWSER) == []


def test_my_level_needs_a_history(context: None) -> None:
    archer = make_archer()
    with pytest.raises(teams.TeamInvalid) as caught:
        teams.create(Viewer("b", archer), teams.TeamRequest(teammates="me"))
    assert "teammates" in caught.value.errors


def test_the_parsed_form(context: None) -> None:
    asked, errors = teams.parse_form(
        {"kind": "mixed", "bow": "compound", "indoor": "1", "handicap": "x"}
    )
    assert errors == {"handicap": teams._("Give a number.")}
    assert (asked.kind, asked.bow, asked.indoor) == ("mixed", "compound", True)


def test_ends_until_the_match_is_won_and_no_more(context: None) -> None:
    # Strong teammates against weak opponents: every end can be won.
    strong = teams.TeamRequest(handicap=90, teammates="handicap", teammate_handicap=0)
    match_id = teams.create(BROWSER, strong)
    for _end in range(4):
        loaded = teams.load(BROWSER, match_id)
        assert loaded is not None
        if loaded.match.verdict().finished:
            break
        labels = end_labels(loaded.match, "win") or ["X", "X"]
        teams.add_end(BROWSER, match_id, labels, version=loaded.version)
    loaded = teams.load(BROWSER, match_id)
    assert loaded is not None
    verdict = loaded.match.verdict()
    assert verdict.status == "won"
    assert loaded.stored.status == verdict.status
    assert loaded.stored.finished_at is not None
    with pytest.raises(teams.TeamInvalid) as caught:
        teams.add_end(BROWSER, match_id, ["X", "X"])
    assert "end" in caught.value.errors
    public = teams.public(loaded)
    assert public["seed"] == loaded.match.seed


@pytest.mark.parametrize(
    ("labels", "field"),
    [(["X"], "arrow"), (["X", "X", "X"], "arrow"), (["X", "11"], "arrow")],
)
def test_bad_ends(context: None, labels: list[str], field: str) -> None:
    match_id = teams.create(BROWSER, TEAM)
    with pytest.raises(teams.TeamInvalid) as caught:
        teams.add_end(BROWSER, match_id, labels)
    assert field in caught.value.errors
    loaded = teams.load(BROWSER, match_id)
    assert loaded is not None
    assert loaded.version == 1
    assert loaded.match.ends_shot == 0


def test_a_stale_version_or_end_writes_nothing(context: None) -> None:
    match_id = teams.create(BROWSER, TEAM)
    teams.add_end(BROWSER, match_id, ["9", "9"], version=1, end=1)
    with pytest.raises(teams.Stale):
        teams.add_end(BROWSER, match_id, ["9", "9"], version=1)
    with pytest.raises(teams.Stale):
        teams.add_end(BROWSER, match_id, ["9", "9"], end=1)  # sent twice
    loaded = teams.load(BROWSER, match_id)
    assert loaded is not None
    assert loaded.match.ends_shot == 1
    assert teams.add_end(OTHER_BROWSER, match_id, ["9", "9"]) is None


def test_the_store_refuses_a_write_from_an_old_version(context: None) -> None:
    match_id = teams.create(BROWSER, TEAM)
    loaded = teams.load(BROWSER, match_id)
    assert loaded is not None
    state = loaded.match.to_dict()
    assert (
        stored_teams.save(match_id, BROWSER.owner, state, "in_progress", version=1) == 2
    )
    with pytest.raises(stored_teams.Conflict):
        stored_teams.save(match_id, BROWSER.owner, state, "in_progress", version=1)
    with pytest.raises(LookupError):
        stored_teams.save(
            match_id, OTHER_BROWSER.owner, state, "in_progress", version=2
        )


def test_a_level_match_goes_to_a_shoot_off_won_5_4(context: None) -> None:
    match_id, plan = level_match(BROWSER, TEAM)
    for labels in plan:
        teams.add_end(BROWSER, match_id, labels)
    loaded = teams.load(BROWSER, match_id)
    assert loaded is not None
    assert loaded.match.verdict().status == "shoot_off"
    assert teams.public(loaded)["seed"] is None
    with pytest.raises(teams.TeamInvalid):
        teams.add_end(BROWSER, match_id, ["X", "X"])
    label = shoot_off_win(loaded.match)
    assert label is not None
    loaded = teams.add_shoot_off(BROWSER, match_id, label)
    assert loaded is not None
    verdict = loaded.match.verdict()
    assert (verdict.status, verdict.team_points, verdict.opponent_points) == (
        "won",
        5,
        4,
    )
    assert teams.verdict_words(loaded.match) == "Your team wins 5-4 after a shoot-off"
    with pytest.raises(teams.TeamInvalid):
        teams.add_shoot_off(BROWSER, match_id, "X")


def test_the_public_state_hides_the_ends_to_come(context: None) -> None:
    match_id = teams.create(BROWSER, TEAM)
    teams.add_end(BROWSER, match_id, ["8", "7"])
    loaded = teams.load(BROWSER, match_id)
    assert loaded is not None
    public = teams.public(loaded)
    assert len(public["ends"]) == 1
    assert public["ends"][0]["team"]["archer"] == ["8", "7"]
    assert public["seed"] is None
    assert public["expected_arrows"] == 2


def test_claimed_at_sign_in(context: None) -> None:
    match_id = teams.create(BROWSER, TEAM)
    archer = make_archer()
    assert stored_teams.claim(BROWSER.browser_key, archer.id) == 1
    assert teams.load(Viewer("elsewhere", archer), match_id) is not None


def test_teammates_at_the_archers_own_level(context: None) -> None:
    from ghost_simulator.engine.ladder import LadderFormat
    from ghost_simulator.services import play

    archer = make_archer("robin")
    viewer = Viewer("key", archer)
    earned = []
    for arrow in ("9", "8"):  # two plain set matches with the bow, outdoors
        match_id = play.start(
            viewer, LadderFormat("set", "recurve").match(40.0, seed=len(earned))
        )
        for _end in range(10):
            outcome = play.enter(
                viewer, match_id, play.Entry("end", arrows=[arrow] * 3)
            )
            assert outcome.match is not None
            if outcome.match.verdict().finished:
                break
        earned.append(outcome.match.archer_handicap())
    asked = teams.TeamRequest(kind="mixed", handicap=30, teammates="me")
    loaded = teams.load(viewer, teams.create(viewer, asked))
    assert loaded is not None
    (mate,) = loaded.match.teammates
    assert mate.handicap == pytest.approx(sum(earned) / 2, abs=0.051)
    assert [g.handicap for g in loaded.match.opponents] == [30.0, 30.0]
    # Indoors there is no history yet: a field error, not a 500.
    with pytest.raises(teams.TeamInvalid) as caught:
        teams.create(viewer, teams.TeamRequest(indoor=True, teammates="me"))
    assert "teammates" in caught.value.errors
