"""services.play: the one path every way in (pages, API, old links) takes to
start a match and enter its ends, and the one rule for what a viewer sees.
No request: a viewer, an entry, an outcome."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from ghost_simulator.engine import Ghost, Match, match_round
from ghost_simulator.services import play
from ghost_simulator.services.viewers import Viewer

BROWSER = Viewer("browser-key")


@pytest.fixture
def context(app: Flask) -> Iterator[None]:
    with app.app_context():
        yield


def _set_match(seed: int = 7) -> Match:
    return Match("set", match_round("recurve", False), Ghost.from_handicap(30), seed)


def _started(context: None) -> str:
    return play.start(BROWSER, _set_match())


def test_an_end_is_saved_on_the_version_it_was_read_at(context: None) -> None:
    match_id = _started(context)
    entry = play.Entry("end", arrows=["10", "9", "X"], end=1, read_version=1)
    outcome = play.enter(BROWSER, match_id, entry)
    assert (outcome.result, outcome.version) == ("saved", 2)
    assert outcome.match is not None
    assert outcome.match.ends_shot == 1
    again = play.enter(BROWSER, match_id, entry)  # the same page, sent again
    assert again.result == "changed"  # made on version 1: nothing saved
    assert again.version == 2


def test_an_entry_sent_again_with_its_key_is_not_entered_twice(
    context: None,
) -> None:
    match_id = _started(context)
    entry = play.Entry("end", total=25, key="k" * 16)
    assert play.enter(BROWSER, match_id, entry).result == "saved"
    repeated = play.enter(BROWSER, match_id, entry)
    assert repeated.result == "repeated"
    assert repeated.match is not None
    assert repeated.match.ends_shot == 1


def test_refusals_say_why_and_which_field(context: None) -> None:
    match_id = _started(context)
    cases = [
        (play.Entry("end", arrows=["11", "9", "9"]), "bad_label", "arrows"),
        (play.Entry("end", arrows=["9", "9"]), "arrow_count", "arrows"),
        (play.Entry("end"), "arrow_count", "arrows"),  # neither arrows nor total
        (play.Entry("end", total=31), "bad_total", "total"),
        (play.Entry("end", arrows=["9"] * 3, total=27), "arrows_or_total", "arrows"),
        (play.Entry("end", total=20, end=2), "stale", None),
        (play.Entry("correction", total=20), "nothing_to_correct", None),
        (play.Entry("shoot_off", arrows=["10"]), "no_shoot_off", None),
    ]
    for entry, code, field in cases:
        outcome = play.enter(BROWSER, match_id, entry)
        assert outcome.result == "refused", entry
        assert outcome.refusal is not None
        assert (outcome.refusal.code, outcome.field) == (code, field), entry
        assert outcome.version == 1  # nothing saved
        assert play.message(outcome.refusal)


def test_a_correction_is_for_the_last_end_of_a_match_in_play(context: None) -> None:
    match_id = _started(context)
    play.enter(BROWSER, match_id, play.Entry("end", total=20))
    play.enter(BROWSER, match_id, play.Entry("end", total=21))
    wrong = play.enter(BROWSER, match_id, play.Entry("correction", total=22, end=1))
    assert wrong.refusal is not None
    assert wrong.refusal.code == "not_last"
    assert "end 2" in play.message(wrong.refusal)
    right = play.enter(BROWSER, match_id, play.Entry("correction", total=22, end=2))
    assert right.result == "saved"
    assert right.match is not None
    assert [e.total for e in right.match.archer_ends] == [20, 22]


def test_a_finished_match_takes_nothing(context: None) -> None:
    match_id = play.start(BROWSER, _set_match())
    while True:
        loaded = play.load(BROWSER, match_id)
        assert loaded is not None
        if loaded.finished:
            break
        play.enter(BROWSER, match_id, play.Entry("end", total=30))  # X X X or 30
        if loaded.match.verdict().status == "shoot_off":
            play.enter(BROWSER, match_id, play.Entry("shoot_off", arrows=["X"]))
            play.enter(BROWSER, match_id, play.Entry("shoot_off", closer="archer"))
    for entry in (
        play.Entry("end", total=10),
        play.Entry("correction", total=10),
    ):
        outcome = play.enter(BROWSER, match_id, entry)
        assert outcome.refusal is not None
        assert outcome.refusal.code in ("not_due", "finished")


def test_only_its_viewer_reaches_a_match(context: None) -> None:
    match_id = _started(context)
    stranger = Viewer("another-browser")
    assert play.load(stranger, match_id) is None
    outcome = play.enter(stranger, match_id, play.Entry("end", total=20))
    assert outcome.result == "missing"
    assert play.rematch(stranger, match_id) is None
    assert play.rematch(BROWSER, match_id) not in (None, match_id)


def test_an_old_links_first_end_stores_its_match_once(context: None) -> None:
    entry = play.Entry("end", total=24, end=1)
    first = play.first_end(BROWSER, _set_match(seed=99), entry)
    assert first.result == "saved"
    twice = play.first_end(BROWSER, _set_match(seed=99), entry)
    assert (twice.result, twice.match_id) == ("changed", first.match_id)
    bad = play.first_end(BROWSER, _set_match(seed=98), play.Entry("end", total=99))
    assert bad.refusal is not None
    assert bad.refusal.code == "bad_total"


def test_what_a_viewer_sees_before_and_after_the_end() -> None:
    match = _set_match(seed=1234)
    during = play.visible(match)
    assert (during.seed, during.replay_link, during.plan) == (None, False, False)
    assert play.visible(match, offline=True).plan  # the page's offline plan
    while not match.verdict().finished:
        if match.verdict().status == "shoot_off":
            match.add_shoot_off("X", "archer")
        else:
            match.add_end(total=0)
    after = play.visible(match, offline=True)
    assert (after.seed, after.replay_link, after.plan) == (1234, True, False)
