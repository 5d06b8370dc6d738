"""Two tabs on one match, truly at once: a threaded HTTP server in this process
and two client threads released together, forty times per race.

Every write to a match is made on the version it was read at: of two racing
entries exactly one is acknowledged, the other is told (409) that the match
changed in another window and shown the sheet as it stands, and the stored
sheet is what was acknowledged. (Before conditional writes 38 of 40 trials of
the first race and 39 of 40 of the second lost an acknowledged entry.)
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import partial

import pytest
from flask import Flask
from werkzeug.serving import make_server

from ...tabs import Answer, Tab, hidden_fields, race

TRIALS = 40
SETUP = {
    "kind": "set",
    "bow": "recurve",
    "indoor": "0",
    "ghost": "handicap",
    "handicap": "30",
}
CHANGED = "This match changed in another window"
NINES = [("arrow", "9")] * 3
TENS = [("arrow", "10")] * 3
XS = [("arrow", "X")] * 3


@pytest.fixture
def live(app: Flask) -> Iterator[int]:
    """The test app behind a threaded HTTP server; its port."""
    app.config["MATCH_CREATION_LIMIT"] = "1000 per minute"  # 40 trials, 40 matches
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.port
    finally:
        server.shutdown()
        thread.join(timeout=10)


def acknowledged(answer: Answer) -> bool:
    """A plain form is answered with a redirect, the page's script with 200."""
    return answer.status in (200, 303)


def stored_ends(app: Flask, match_path: str) -> list[list[str]]:
    """The archer's ends in the database, as arrow labels."""
    from ghost_simulator.store import get_session
    from ghost_simulator.store.models import Match as Row

    with app.app_context():
        row = get_session().get(Row, match_path.rsplit("/", 1)[1])
        assert row is not None
        return [list(end) for end in row.state["archer_ends"]]


def new_match(tab: Tab) -> str:
    started = tab.post("/matches", list(SETUP.items()))
    assert started.status == 303, started.body
    return started.location


def assert_told_it_changed(loser: Answer) -> None:
    assert loser.status == 409
    assert CHANGED in loser.body
    assert 'data-testid="score-sheet"' in loser.body  # the sheet as it stands


def test_two_tabs_entering_the_same_end(app: Flask, live: int) -> None:
    first = Tab(live)
    lost = []
    for trial in range(TRIALS):
        url = new_match(first)
        second = Tab(live, first.cookie)  # another tab of the same browser
        one = hidden_fields(first.get(url).body, "ends")
        two = hidden_fields(second.get(url).body, "ends")
        answers = race(
            partial(first.post, url + "/ends", one + NINES),
            partial(second.post, url + "/ends", two + TENS, fetch=True),
        )
        sent = [["9"] * 3, ["10"] * 3]
        kept = [end for a, end in zip(answers, sent, strict=True) if acknowledged(a)]
        if kept != stored_ends(app, url):
            lost.append(trial)
            continue
        assert len(kept) == 1, [a.status for a in answers]
        assert_told_it_changed(answers[1] if acknowledged(answers[0]) else answers[0])
    assert not lost, f"{len(lost)} of {TRIALS} trials lost an acknowledged end"


def test_a_correction_racing_the_next_end(app: Flask, live: int) -> None:
    first = Tab(live)
    lost = []
    for trial in range(TRIALS):
        url = new_match(first)
        assert first.post(url + "/ends", NINES).status == 303
        second = Tab(live, first.cookie)
        fix = hidden_fields(first.get(url).body, "correction")
        nxt = hidden_fields(second.get(url).body, "ends")
        answers = race(
            partial(first.post, url + "/correction", fix + XS),
            partial(second.post, url + "/ends", nxt + TENS),
        )
        corrected, next_end = (acknowledged(a) for a in answers)
        expected = [["X"] * 3 if corrected else ["9"] * 3]
        if next_end:
            expected.append(["10"] * 3)
        if stored_ends(app, url) != expected:
            lost.append(trial)
            continue
        assert corrected != next_end, [a.status for a in answers]
        assert_told_it_changed(answers[1] if corrected else answers[0])
    assert not lost, f"{len(lost)} of {TRIALS} trials lost an acknowledged write"


def test_two_tabs_on_an_old_link_store_one_match(app: Flask, live: int) -> None:
    """The first end of an old link's match, posted from two tabs of the page
    at once: one match is stored, with one of the two ends in it."""
    from sqlalchemy import func, select

    from ghost_simulator.store import get_session
    from ghost_simulator.store.models import Match as Row

    link = (
        "/simulator.php?type=eliminatorias&location=exterior&modality=recurvo"
        "&min_points=20&max_points=28"
    )
    first = Tab(live)
    for _trial in range(10):
        page = first.get(link).body
        second = Tab(live, first.cookie)  # the same page in another tab
        fields = hidden_fields(page, r"simulator\.php\?[^\"]*")
        answers = race(
            partial(first.post, link, fields + NINES),
            partial(second.post, link, fields + TENS),
        )
        assert sorted(a.status for a in answers) == [303, 409], answers
        winner = answers[0] if answers[0].status == 303 else answers[1]
        assert_told_it_changed(answers[1] if winner is answers[0] else answers[0])
        kept = NINES if winner is answers[0] else TENS
        match_path = winner.location.split("#")[0]
        assert stored_ends(app, match_path) == [[label for _, label in kept]]
    with app.app_context():
        assert get_session().scalar(select(func.count()).select_from(Row)) == 10
