"""Shared rounds' pages: the owner shares a finished round with a club or as
a link, a member shoots against it (the ghost replays the friend's arrows end
by end), a non-member sees nothing, a revoked share is 404 and the
recipient's match keeps its ghost."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from ghost_simulator.engine import Ghost, Match
from ghost_simulator.engine.rounds import get_round
from ghost_simulator.store import matches

from ..club.test_club_pages import invite, second, start_club
from ..history.test_history import keep, sign_in, store

FRIEND_ENDS = [
    ["10", "9", "8"],
    ["9", "9", "7"],
    ["X", "10", "10"],
]


def friends_round(app: Flask, archer_id: int) -> str:
    """A finished WA 18 round whose ends differ (the first three as above)."""
    match = Match("ranking", get_round("wa18"), Ghost.from_handicap(40), seed=3)
    number = 0
    while match.expected_arrows():
        match.add_end(list(FRIEND_ENDS[number % len(FRIEND_ENDS)]))
        number += 1
    return store(app, archer_id, match)


def _state(app: Flask, match_id: str, archer_id: int) -> Match:
    with app.app_context():
        found = matches.load_own(match_id, archer_id)
        assert found is not None
        return Match.from_dict(found.state)


def _club_with_two(app: Flask, client: FlaskClient) -> tuple[str, FlaskClient, int]:
    club_id = start_club(client)
    token = invite(client, club_id)
    other, other_id = second(app, "sam")
    assert other.post(f"/clubs/join/{token}").status_code in (302, 303)
    return club_id, other, other_id


def test_share_with_a_club_a_member_shoots_against_it(
    app: Flask, client: FlaskClient
) -> None:
    owner_id = sign_in(app, client, name="Robin Hood")
    round_id = friends_round(app, owner_id)
    club_id, other, other_id = _club_with_two(app, client)

    page = client.get(f"/matches/{round_id}").text
    assert f"/shares/new?match={round_id}" in page
    form = client.get(f"/shares/new?match={round_id}").text
    assert "Riverside Archers" in form
    answer = client.post("/shares", data={"match": round_id, "with": club_id})
    assert answer.status_code in (302, 303), answer.text
    assert "Riverside Archers" in client.get("/shares").text

    listing = other.get(f"/clubs/{club_id}/shares")
    assert listing.status_code == 200
    assert "R.H." in listing.text  # as the club sees the owner
    found = re.search(rf"/clubs/{club_id}/shares/([\w-]+)\"", listing.text)
    assert found
    share_id = found.group(1)
    shown = other.get(f"/clubs/{club_id}/shares/{share_id}")
    assert "Shoot against this round" in shown.text
    started = other.post(f"/clubs/{club_id}/shares/{share_id}/matches")
    assert started.status_code in (302, 303)
    mine = started.headers["Location"].rsplit("/", 1)[1]

    entered = other.post(
        f"/matches/{mine}/ends", data={"arrow": ["5", "5", "5"], "end": "1"}
    )
    assert entered.status_code < 400, entered.text
    match = _state(app, mine, other_id)
    assert match.ghost.kind == "replay"
    assert match.ghost.source["shared"] == share_id
    assert [a.label for a in match.ghost_ends[0].arrows] == FRIEND_ENDS[0]
    assert [a.label for a in match.archer_ends[0].arrows] == ["5", "5", "5"]

    # The owner revokes: the list no longer has it; the recipient's match stays.
    mine_page = client.get("/shares").text
    found = re.search(r"/shares/([\w-]+)/revoke", mine_page)
    assert found
    assert client.post(f"/shares/{found.group(1)}/revoke").status_code in (302, 303)
    assert share_id not in other.get(f"/clubs/{club_id}/shares").text
    gone = other.get(f"/clubs/{club_id}/shares/{share_id}")
    assert gone.status_code == 404
    assert "no longer shared" in gone.text
    assert other.get(f"/matches/{mine}").status_code == 200
    assert _state(app, mine, other_id).ghost.kind == "replay"


def test_a_non_member_gets_404(app: Flask, client: FlaskClient) -> None:
    owner_id = sign_in(app, client)
    round_id = friends_round(app, owner_id)
    club_id = start_club(client)
    client.post("/shares", data={"match": round_id, "with": club_id})
    stranger, _ = second(app, "eve")
    assert stranger.get(f"/clubs/{club_id}/shares").status_code == 404
    assert stranger.get(f"/clubs/{club_id}/shares/whatever").status_code == 404
    assert stranger.post(f"/clubs/{club_id}/shares/whatever/matches").status_code == 404


def test_share_as_a_link_then_revoke(app: Flask, client: FlaskClient) -> None:
    owner_id = sign_in(app, client, name="Robin Hood")
    round_id = friends_round(app, owner_id)
    made = client.post("/shares", data={"match": round_id, "with": "link"})
    assert made.status_code == 200
    found = re.search(r'value="http://localhost/shares/([\w-]+)"', made.text)
    assert found, made.text
    token = found.group(1)

    visitor = app.test_client()
    page = visitor.get(f"/shares/{token}")
    assert page.status_code == 200
    assert "R.H." in page.text
    assert "robin" not in page.text.lower().replace("robin hood", "")
    assert visitor.post(f"/shares/{token}/matches").status_code == 302  # sign in

    friend, friend_id = second(app, "sam")
    started = friend.post(f"/shares/{token}/matches")
    assert started.status_code in (302, 303)
    mine = started.headers["Location"].rsplit("/", 1)[1]
    assert _state(app, mine, friend_id).ghost.replay[0] == tuple(FRIEND_ENDS[0])

    share_id = re.search(r"/shares/([\w-]+)/revoke", client.get("/shares").text)
    assert share_id
    client.post(f"/shares/{share_id.group(1)}/revoke")
    gone = friend.get(f"/shares/{token}")
    assert gone.status_code == 404
    assert "no longer shared" in gone.text
    assert friend.post(f"/shares/{token}/matches").status_code == 404
    assert friend.get(f"/matches/{mine}").status_code == 200


def test_refusals(app: Flask, client: FlaskClient) -> None:
    owner_id = sign_in(app, client)
    unfinished = keep(app, owner_id, ends=2)
    a_match = keep(app, owner_id, "set")
    club_id = start_club(client)
    other, other_id = second(app, "sam")
    theirs = friends_round(app, other_id)

    answer = client.post("/shares", data={"match": unfinished, "with": "link"})
    assert answer.status_code == 422
    assert "Only a finished round can be shared." in answer.text
    answer = client.post("/shares", data={"match": a_match, "with": "link"})
    assert answer.status_code == 422
    assert "not a match" in answer.text
    assert (
        client.post("/shares", data={"match": theirs, "with": "link"}).status_code
        == 404
    )
    mine = friends_round(app, owner_id)
    answer = other.post("/shares", data={"match": theirs, "with": club_id})
    assert answer.status_code == 404  # not a member of that club
    for data in ({}, {"match": mine}, {"match": "x" * 500, "with": "y" * 500}):
        assert client.post("/shares", data=data).status_code in (404, 422)
    assert client.post("/shares/nothing/revoke").status_code == 404
    assert client.get("/shares/" + "t" * 300).status_code == 404


def test_at_most_max_shares(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ghost_simulator.services import shares

    monkeypatch.setattr(shares, "MAX_SHARES", 2)
    owner_id = sign_in(app, client)
    round_id = friends_round(app, owner_id)
    for _ in range(2):
        assert (
            client.post("/shares", data={"match": round_id, "with": "link"}).status_code
            == 200
        )
    answer = client.post("/shares", data={"match": round_id, "with": "link"})
    assert answer.status_code == 422
    assert "delete old ones first." in answer.text


def test_signed_out(client: FlaskClient) -> None:
    for path in ("/shares", "/shares/new", "/clubs/abc/shares"):
        assert client.get(path).status_code == 302
