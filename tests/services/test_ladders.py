"""services.ladders: a ladder kept for a viewer as matches are, its state
rebuilt by replaying its finished matches through the engine's ladder, and
its next match an ordinary match against the next ghost. No request: a
viewer and what it asks."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from werkzeug.security import generate_password_hash

from ghost_simulator.engine import Match
from ghost_simulator.engine.handicaps import handicap_for_score
from ghost_simulator.engine.ladder import Ladder, LadderFormat
from ghost_simulator.services import ladders, play
from ghost_simulator.services.viewers import Viewer
from ghost_simulator.store import archers
from ghost_simulator.store import ladders as stored_ladders
from ghost_simulator.store.models import Archer

BROWSER = Viewer("browser-key")
OTHER_BROWSER = Viewer("another-browser-key")
SET_MATCH = ladders.LadderRequest(kind="set", bow="recurve", handicap=40.0)


@pytest.fixture
def context(app: Flask) -> Iterator[None]:
    with app.test_request_context():
        yield


def make_archer(username: str = "alice") -> Archer:
    return archers.create(
        username, generate_password_hash("pw", method="scrypt:1024:8:1")
    )


def finish(viewer: Viewer, match_id: str, arrow: str) -> Match:
    """Shoot ends of three ``arrow`` until the match is over."""
    for _end in range(10):
        outcome = play.enter(viewer, match_id, play.Entry("end", arrows=[arrow] * 3))
        assert outcome.result == "saved", outcome
        assert outcome.match is not None
        if outcome.match.verdict().finished:
            return outcome.match
    raise AssertionError("the match did not finish")


def test_a_new_ladder_starts_where_it_was_asked_to(context: None) -> None:
    ladder_id = ladders.create(BROWSER, SET_MATCH)
    state = ladders.load(BROWSER, ladder_id)
    assert state is not None
    assert (state.stored.start_level, state.stored.start_source) == (40.0, "handicap")
    assert state.steps == []
    assert state.win_rate is None
    assert state.in_progress is None
    engine = Ladder.start(LadderFormat("set", "recurve"), 40.0, 0.5)
    assert state.estimate == engine.estimate
    assert state.next_ghost == engine.next_ghost()
    assert state.next_chance == pytest.approx(0.5, abs=0.02)


def test_its_first_match_moves_it_as_the_engine_says(context: None) -> None:
    ladder_id = ladders.create(BROWSER, SET_MATCH)
    first = ladders.load(BROWSER, ladder_id)
    assert first is not None
    shot = ladders.shoot_next(BROWSER, ladder_id)
    assert shot is not None
    match_id, made = shot
    assert made
    # Until it is finished, the ladder sends the archer back to it.
    assert ladders.shoot_next(BROWSER, ladder_id) == (match_id, False)
    loaded = play.load(BROWSER, match_id)
    assert loaded is not None
    assert loaded.match.ghost.handicap == first.next_ghost
    assert ladders.ladder_of_match(BROWSER, match_id) == ladder_id
    match = finish(BROWSER, match_id, "X")

    state = ladders.load(BROWSER, ladder_id)
    assert state is not None
    assert [s.match_id for s in state.steps] == [match_id]
    rung = state.steps[0].rung
    assert (rung.number, rung.result, rung.ghost) == (1, "won", first.next_ghost)
    assert rung.chance == pytest.approx(first.next_chance)
    assert rung.earned == pytest.approx(match.archer_handicap())
    # The same as replaying the arrows through the engine by hand.
    engine = Ladder.start(LadderFormat("set", "recurve"), 40.0, 0.5)
    engine.record(match, first.next_ghost)
    assert state.estimate == engine.estimate
    assert state.next_ghost == engine.next_ghost()
    # All Xs: the ladder believes the archer much better, the ghost follows.
    assert state.estimate.level < 40 - 5
    assert state.next_ghost < first.next_ghost - 5
    assert (state.won, state.lost, state.win_rate) == (1, 0, 1.0)
    # The next match is against that ghost.
    following = ladders.shoot_next(BROWSER, ladder_id)
    assert following is not None
    assert following[1]
    next_match = play.load(BROWSER, following[0])
    assert next_match is not None
    assert next_match.match.ghost.handicap == state.next_ghost


def test_a_lost_match_makes_the_next_ghost_weaker(context: None) -> None:
    ladder_id = ladders.create(BROWSER, SET_MATCH)
    shot = ladders.shoot_next(BROWSER, ladder_id)
    assert shot is not None
    finish(BROWSER, shot[0], "M")
    state = ladders.load(BROWSER, ladder_id)
    assert state is not None
    assert state.steps[0].rung.result == "lost"
    assert state.next_ghost > 40 + 5  # a higher handicap: a weaker ghost


def test_another_browser_sees_nothing_of_it(context: None) -> None:
    ladder_id = ladders.create(BROWSER, SET_MATCH)
    assert ladders.load(OTHER_BROWSER, ladder_id) is None
    assert ladders.shoot_next(OTHER_BROWSER, ladder_id) is None
    assert ladders.ladders_of(OTHER_BROWSER) == []
    assert [item.ladder.id for item in ladders.ladders_of(BROWSER)] == [ladder_id]
    shot = ladders.shoot_next(BROWSER, ladder_id)
    assert shot is not None
    assert ladders.ladder_of_match(OTHER_BROWSER, shot[0]) is None


def test_an_archers_ladder_follows_them_and_a_browsers_is_claimed(
    context: None,
) -> None:
    archer = make_archer()
    at_home = Viewer("home-key", archer)
    ladder_id = ladders.create(at_home, SET_MATCH)
    at_the_range = Viewer("range-key", archer)
    assert ladders.load(at_the_range, ladder_id) is not None
    assert ladders.load(Viewer("home-key"), ladder_id) is None  # signed out
    # A ladder started before signing in becomes the archer's.
    before = ladders.create(Viewer("phone-key"), SET_MATCH)
    assert ladders.load(at_the_range, before) is None
    stored_ladders.claim("phone-key", archer.id)
    assert ladders.load(at_the_range, before) is not None
    assert {item.ladder.id for item in ladders.ladders_of(at_the_range)} == {
        ladder_id,
        before,
    }


def test_a_ladder_starts_from_the_archers_recent_level(context: None) -> None:
    archer = make_archer()
    viewer = Viewer("key", archer)
    with pytest.raises(ladders.LadderInvalid) as refused:
        ladders.create(viewer, ladders.LadderRequest(kind="set", start="history"))
    assert "no finished matches" in refused.value.errors["start"]
    earned = []
    for arrow in ("9", "8"):  # two plain set matches on the format
        match_id = play.start(
            viewer, LadderFormat("set", "recurve").match(40.0, seed=len(earned))
        )
        earned.append(finish(viewer, match_id, arrow).archer_handicap())
    ladder_id = ladders.create(viewer, ladders.LadderRequest(kind="set"))
    state = ladders.load(viewer, ladder_id)
    assert state is not None
    assert state.stored.start_source == "history"
    assert state.stored.start_level == pytest.approx(sum(earned) / 2, abs=0.051)


def test_a_ranking_ladder_starts_from_a_score(context: None) -> None:
    asked = ladders.LadderRequest(
        kind="ranking", round_code="wa18", score=540, target=0.3
    )
    ladder_id = ladders.create(BROWSER, asked)
    state = ladders.load(BROWSER, ladder_id)
    assert state is not None
    level = handicap_for_score(state.format.round, 540, "AGB")
    assert state.stored.start_level == pytest.approx(level, abs=0.051)
    assert state.target == 0.3
    assert state.next_chance == pytest.approx(0.3, abs=0.03)


@pytest.mark.parametrize(
    ("asked", "field", "words"),
    [
        (ladders.LadderRequest(handicap=40, target=0.99), "target", "win rate"),
        (ladders.LadderRequest(handicap=40, target=0.01), "target", "win rate"),
        (ladders.LadderRequest(kind="knockout", handicap=40), "kind", "set match"),
        (ladders.LadderRequest(bow="sling", handicap=40), "bow", "bow"),
        (
            ladders.LadderRequest(kind="ranking", round_code="no_such", handicap=40),
            "round",
            "no round no_such",
        ),
        (ladders.LadderRequest(kind="ranking", handicap=40), "round", "round"),
        (ladders.LadderRequest(handicap=400), "handicap", "-75 (best) to 300"),
        (ladders.LadderRequest(start="score", score=400), "score", "out of"),
        (ladders.LadderRequest(start="handicap"), "handicap", "handicap"),
        (ladders.LadderRequest(), "start", "Sign in"),
        (ladders.LadderRequest(start="guess"), "start", "history"),
        (ladders.LadderRequest(handicap=40, scheme="XYZ"), "scheme", "scheme"),
    ],
)
def test_a_ladder_that_cannot_be_is_refused_with_the_field(
    context: None, asked: ladders.LadderRequest, field: str, words: str
) -> None:
    with pytest.raises(ladders.LadderInvalid) as refused:
        ladders.create(BROWSER, asked)
    assert list(refused.value.errors) == [field]
    assert words in refused.value.errors[field]
    assert ladders.ladders_of(BROWSER) == []


@pytest.mark.parametrize(
    ("form", "target", "errors"),
    [
        ({"target": "30"}, 0.3, set()),
        ({}, 0.5, set()),
        ({"target": "custom", "target_custom": "62"}, 0.62, set()),
        ({"target": "custom", "target_custom": "lots"}, 0.5, {"target"}),
        ({"target": "custom"}, 0.5, {"target"}),
        ({"target": "many"}, 0.5, {"target"}),
        ({"handicap": "forty"}, 0.5, {"handicap"}),
    ],
)
def test_the_form_is_read(
    context: None, form: dict[str, str], target: float, errors: set[str]
) -> None:
    asked, found = ladders.parse_form(form)
    assert asked.target == pytest.approx(target)
    assert set(found) == errors


def test_deleting_the_account_deletes_its_ladders(context: None) -> None:
    from ghost_simulator.store import get_session
    from ghost_simulator.store.models import Ladder as LadderRow
    from ghost_simulator.store.models import LadderMatch

    archer = make_archer()
    viewer = Viewer("key", archer)
    ladder_id = ladders.create(viewer, SET_MATCH)
    assert ladders.shoot_next(viewer, ladder_id) is not None
    kept = ladders.create(BROWSER, SET_MATCH)  # a visitor's: not the archer's
    archers.delete_account(archer)
    session = get_session()
    assert session.get(LadderRow, ladder_id) is None
    assert session.query(LadderMatch).count() == 0
    assert ladders.load(Viewer("key"), ladder_id) is None
    assert ladders.load(BROWSER, kept) is not None


def test_deleting_a_ladder_keeps_its_matches(context: None) -> None:
    ladder_id = ladders.create(BROWSER, SET_MATCH)
    shot = ladders.shoot_next(BROWSER, ladder_id)
    assert shot is not None
    finish(BROWSER, shot[0], "X")
    assert not ladders.delete(OTHER_BROWSER, ladder_id)
    assert ladders.load(BROWSER, ladder_id) is not None
    assert ladders.delete(BROWSER, ladder_id)
    assert ladders.load(BROWSER, ladder_id) is None
    assert ladders.ladders_of(BROWSER) == []
    assert ladders.ladder_of_match(BROWSER, shot[0]) is None
    kept = play.load(BROWSER, shot[0])
    assert kept is not None
    assert kept.match.verdict().status == "won"
    assert not ladders.delete(BROWSER, ladder_id)  # gone
    assert not ladders.delete(BROWSER, "x" * 40)


def test_an_archers_ladder_is_deleted_from_any_of_their_browsers(
    context: None,
) -> None:
    archer = make_archer()
    ladder_id = ladders.create(Viewer("phone", archer), SET_MATCH)
    assert not ladders.delete(Viewer("phone"), ladder_id)  # signed out
    assert ladders.delete(Viewer("laptop", archer), ladder_id)
    assert stored_ladders.load(ladder_id, Viewer("phone", archer).owner) is None
