"""Sharing in the services: only a finished ranking round of one's own, with
one of one's clubs; at most MAX_SHARES; shooting against a share replays the
friend's arrows and notes the source."""

from __future__ import annotations

import pytest
from flask import Flask

from ghost_simulator.engine import Match
from ghost_simulator.services import play, shares
from ghost_simulator.services.viewers import Viewer
from ghost_simulator.store import archers, matches
from ghost_simulator.store import clubs as stored_clubs

from ..web.history.test_history import keep
from ..web.share.test_share_pages import FRIEND_ENDS, friends_round


@pytest.fixture
def ctx(app: Flask):  # type: ignore[no-untyped-def]
    with app.app_context():
        yield app


def _code(call) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(shares.ShareError) as caught:
        call()
    return caught.value.code


def test_what_can_be_shared(app: Flask, ctx: Flask) -> None:
    owner = archers.create("robin", "x").id
    other = archers.create("sam", "x").id
    club_id = stored_clubs.create(other, "Elsewhere", None, None)
    finished = keep(app, owner)
    assert _code(lambda: shares.share(owner, keep(app, owner, ends=1), None)) == (
        "not_finished"
    )
    assert _code(lambda: shares.share(owner, keep(app, owner, "set"), None)) == (
        "not_round"
    )
    assert _code(lambda: shares.share(other, finished, None)) == "missing"
    assert _code(lambda: shares.share(owner, "nope", None)) == "missing"
    assert _code(lambda: shares.share(owner, finished, club_id)) == "no_club"
    made = shares.share(owner, finished, None)
    assert made.token is not None


def test_at_most_max_shares(
    app: Flask, ctx: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shares, "MAX_SHARES", 1)
    owner = archers.create("robin", "x").id
    finished = keep(app, owner)
    shares.share(owner, finished, None)
    with pytest.raises(shares.ShareError, match=r"delete old ones first\."):
        shares.share(owner, finished, None)


def test_shooting_against_a_share(app: Flask, ctx: Flask) -> None:
    owner_archer = archers.create("robin", "x")
    archers.update_profile(owner_archer, {"name": "Robin Hood"})
    friend = archers.create("sam", "x")
    club_id = stored_clubs.create(owner_archer.id, "Sherwood", None, None)
    stored_clubs.join(club_id, friend.id)
    round_id = friends_round(app, owner_archer.id)
    made = shares.share(owner_archer.id, round_id, club_id)
    assert shares.share(owner_archer.id, round_id, club_id) == made  # once
    listed = shares.for_member(club_id, friend.id)
    assert listed is not None
    assert [s.id for s in listed] == [made.share_id]
    assert shares.for_member(club_id, archers.create("eve", "x").id) is None
    share = listed[0]
    assert shares.shown_as(share) == "R.H."
    assert shares.round_name(share)
    viewer = Viewer("browser", friend)
    match_id = shares.shoot_against(viewer, share)
    assert match_id is not None
    loaded = play.load(viewer, match_id)
    assert loaded is not None
    match: Match = loaded.match
    assert match.ghost.kind == "replay"
    assert match.ghost.source["shared"] == made.share_id
    assert match.ghost.replay[0] == tuple(FRIEND_ENDS[0])
    assert match.kind == "ranking"
    assert match.round.codename == "wa18"
    assert match.archer_ends == []
    # The owner's match is untouched and still theirs alone.
    assert matches.load_own(round_id, friend.id) is None
