"""Your own past as the ghost: replay a past round, your level on a round,
and what a finished match says about your past self and personal bests."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from ghost_simulator.passwords import hash_password
from ghost_simulator.store import archers, get_session
from ghost_simulator.store.models import Match as Row

from ...sessions import sign_in_as

HALF_18 = {
    "kind": "half",
    "round": "wa18",
    "bow": "recurve",
    "indoor": "1",
    "ghost": "handicap",
    "handicap": "45",
}


def sign_in(app: Flask, client: FlaskClient, username: str = "robin") -> int:
    with app.app_context():
        archer = archers.create(username, hash_password("a long password"))
        archer_id = archer.id
    sign_in_as(client, archer_id)
    return archer_id


def start(client: FlaskClient, **fields: str) -> str:
    response = client.post("/matches", data=fields)
    assert response.status_code == 303, response.text
    return response.headers["Location"]


def shoot_all(client: FlaskClient, url: str, end: list[str]) -> str:
    for _ in range(40):
        page = client.get(url).text
        if 'name="arrow"' not in page:
            return page
        assert client.post(url + "/ends", data={"arrow": end}).status_code == 303
    pytest.fail("the round never finished")


def stored(app: Flask, url: str) -> Row:
    with app.app_context():
        row = get_session().get(Row, url.rsplit("/", 1)[1])
        assert row is not None
        get_session().expunge(row)
        return row


def test_visitors_see_no_past_ghosts(client: FlaskClient) -> None:
    assert "Replay a past round of mine" not in client.get("/new").text
    response = client.post("/matches", data={**HALF_18, "ghost": "past"})
    assert response.status_code == 400
    assert "Sign in to shoot against your own past." in response.text


def test_replay_my_personal_best(app: Flask, client: FlaskClient) -> None:
    sign_in(app, client)
    first = start(client, **HALF_18)
    shoot_all(client, first, ["9", "9", "8"])  # 26 an end, 260
    form = client.get("/new").text
    assert "Replay a past round of mine" in form
    assert "WA 18m (half), 260" in form
    replay = start(client, **{**HALF_18, "ghost": "past", "past": "best"})
    row = stored(app, replay)
    assert row.ghost_kind == "replay"
    assert row.state["ghost"]["source"]["match"] == first.rsplit("/", 1)[1]
    page = client.get(replay).text
    assert "your past round, 260" in page
    assert 'data-testid="share"' not in page  # a link cannot carry your arrows
    finished = shoot_all(client, replay, ["10", "9", "9"])  # 280
    assert "You beat your past self by 20 points." in finished
    assert "A new personal best: 280 (it was 260)." in finished
    ghost_rows = re.findall(r'<span class="end-total">(\d+)</span>', finished)
    assert "26" in ghost_rows


def test_first_round_and_a_worse_one(app: Flask, client: FlaskClient) -> None:
    sign_in(app, client)
    first = shoot_all(client, start(client, **HALF_18), ["9", "9", "8"])
    assert "Your first on this round: 260" in first
    worse = shoot_all(client, start(client, **HALF_18), ["8", "8", "8"])
    assert 'data-testid="personal-best"' not in worse


def test_a_ghost_at_my_level(app: Flask, client: FlaskClient) -> None:
    sign_in(app, client)
    none_yet = client.post("/matches", data={**HALF_18, "ghost": "mine"})
    assert none_yet.status_code == 400
    assert "You have no finished rounds on this round yet." in none_yet.text
    done = start(client, **HALF_18)
    shoot_all(client, done, ["9", "9", "8"])
    earned = stored(app, done).archer_handicap
    for method in ("average", "best", "last5"):
        url = start(client, **{**HALF_18, "ghost": "mine", "mine": method})
        row = stored(app, url)
        assert row.ghost_kind == "history"
        assert row.ghost_handicap == pytest.approx(earned)
        assert row.state["ghost"]["source"]["method"] == method
    bad = client.post("/matches", data={**HALF_18, "ghost": "mine", "mine": "x"})
    assert bad.status_code == 400


def test_another_archers_round_cannot_be_replayed(app: Flask) -> None:
    mine, theirs = app.test_client(), app.test_client()
    sign_in(app, theirs, "other")
    their_round = start(theirs, **HALF_18)
    shoot_all(theirs, their_round, ["9", "9", "9"])
    sign_in(app, mine, "robin")
    their_id = their_round.rsplit("/", 1)[1]
    assert their_id not in mine.get("/new").text
    response = mine.post(
        "/matches", data={**HALF_18, "ghost": "past", "past": their_id}
    )
    assert response.status_code == 400
    assert "That round is not in your history." in response.text
    best = mine.post("/matches", data={**HALF_18, "ghost": "past", "past": "best"})
    assert best.status_code == 400


def test_a_ghost_at_the_next_classification(app: Flask, client: FlaskClient) -> None:
    from ghost_simulator.engine.classifications import next_classification

    archer_id = sign_in(app, client)
    with app.app_context():
        archer = archers.get(archer_id)
        assert archer is not None
        archers.update_profile(archer, {"sex": "female", "age_class": "adult"})
    full_18 = {**HALF_18, "kind": "ranking"}
    done = start(client, **full_18)
    for _ in range(20):
        client.post(done + "/ends", data={"total": "24"})  # 480
    assert stored(app, done).status in ("won", "lost", "tied")
    url = start(client, **{**full_18, "ghost": "classification"})
    row = stored(app, url)
    name, more = next_classification(480, "wa18", "recurve", "female", "adult")  # type: ignore[misc]
    assert row.state["ghost"]["source"] == {
        "round": "wa18",
        "score": 480 + more,
        "classification": name,
    }
    assert f"{name}: {480 + more}" in client.get(url).text
    half = client.post("/matches", data={**HALF_18, "ghost": "classification"})
    assert half.status_code == 400
    match = client.post(
        "/matches", data={**HALF_18, "kind": "set", "ghost": "classification"}
    )
    assert "Classifications are earned on ranking rounds." in match.text


SET_MATCH = {
    "kind": "set",
    "bow": "recurve",
    "indoor": "0",
    "ghost": "preset",
    "preset": "perfect",
}


def test_a_set_match_keeps_a_record_not_a_personal_best(
    app: Flask, client: FlaskClient
) -> None:
    """Won on set points: the arrows' total of a few ends is no record. The
    page says the archer's set matches won and lost on the format, and the
    history lists each by its set points."""
    sign_in(app, client)
    lost = shoot_all(client, start(client, **SET_MATCH), ["9", "9", "9"])
    assert "The ghost wins." in lost
    assert 'data-testid="personal-best"' not in lost
    assert "0 won, 1 lost" in lost
    url = start(client, **SET_MATCH)
    for _ in range(5):
        client.post(url + "/ends", data={"arrow": ["X", "X", "X"]})
    client.post(url + "/shoot-off", data={"arrow": "X"})
    client.post(url + "/shoot-off", data={"closer": "archer"})
    won = client.get(url).text
    assert "You win!" in won
    assert "1 won, 1 lost" in won
    history = client.get("/history").text
    dash = "\N{EN DASH}"
    points = re.findall(rf'data-testid="set-points">(\d+){dash}(\d+)<', history)
    assert sorted(points) == [("0", "6"), ("6", "5")]  # 6-5 after a shoot-off
    assert f"arrows 150{dash}150" in history
