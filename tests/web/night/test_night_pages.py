"""A ghost night's pages: set up by an admin (a member gets 403, bad input
400 with its sentence and nothing stored), 404 for non-members and another
club's night, a removed member's 404 at once, joining and shooting, the
leaderboard (whole page, fragment, screen, printable) and the match page's
link back."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete, func, select

from ghost_simulator.store import clubs, get_session, write
from ghost_simulator.store.models import ClubMember, GhostNight

from ..history.test_history import sign_in


def window(hours_before: int = 1, hours_after: int = 2) -> dict[str, str]:
    now = datetime.now(UTC)
    return {
        "timezone": "UTC",
        "opens": (now - timedelta(hours=hours_before)).strftime("%Y-%m-%dT%H:%M"),
        "closes": (now + timedelta(hours=hours_after)).strftime("%Y-%m-%dT%H:%M"),
    }


def night_form(**changes: str) -> dict[str, str]:
    return {
        "title": "Friday ghost",
        "kind": "ranking",
        "indoor": "1",
        "bow": "recurve",
        "round": "wa18",
        "ghost": "handicap",
        "handicap": "40",
        "ranking": "score",
        **window(),
        **changes,
    }


def add_member(app: Flask, club_id: str, archer_id: int, role: str = "member") -> None:
    with app.app_context():

        def insert(session: Any) -> None:
            session.add(ClubMember(club_id=club_id, archer_id=archer_id, role=role))

        write(insert)


def setup(app: Flask, client: FlaskClient) -> dict[str, Any]:
    owner_id = sign_in(app, client, "olga")
    with app.app_context():
        club_id = clubs.create(owner_id, "Arrows", None, None)
    member = app.test_client()
    member_id = sign_in(app, member, "mia")
    add_member(app, club_id, member_id)
    answer = client.post(f"/clubs/{club_id}/nights", data=night_form())
    assert answer.status_code == 303, answer.text
    found = re.search(r"/nights/([\w-]+)$", answer.headers["Location"])
    assert found
    return {
        "club": club_id,
        "night": found.group(1),
        "member": member,
        "member_id": member_id,
        "url": f"/clubs/{club_id}/nights/{found.group(1)}",
    }


def nights_stored(app: Flask) -> int:
    with app.app_context():
        return int(
            get_session().scalar(select(func.count()).select_from(GhostNight)) or 0
        )


def test_signed_out_visitors_are_sent_to_sign_in(client: FlaskClient) -> None:
    answer = client.get("/clubs/abc/nights")
    assert answer.status_code == 302
    assert "/login" in answer.headers["Location"]


def test_an_admin_sets_one_up_and_members_see_it(
    app: Flask, client: FlaskClient
) -> None:
    made = setup(app, client)
    page = client.get(made["url"]).text
    assert "Friday ghost" in page
    assert 'data-leaderboard data-version="0"' in page
    listed = made["member"].get(f"/clubs/{made['club']}/nights").text
    assert "Friday ghost" in listed
    assert "Set up a ghost night" not in listed  # not for a member


def test_a_member_may_not_set_one_up(app: Flask, client: FlaskClient) -> None:
    made = setup(app, client)
    answer = made["member"].post(f"/clubs/{made['club']}/nights", data=night_form())
    assert answer.status_code == 403
    assert nights_stored(app) == 1


def test_bad_input_is_a_400_with_its_sentence_and_nothing_stored(
    app: Flask, client: FlaskClient
) -> None:
    made = setup(app, client)
    cases = [
        ({"title": ""}, "Give the ghost night a title."),
        (window(5, -3), "A ghost night that has already closed cannot be set up."),
        (
            {"opens": "2031-01-02T10:00", "closes": "2031-01-01T10:00"},
            "A ghost night closes after it opens.",
        ),
        ({"timezone": "Nowhere/Else"}, "Choose a timezone"),
        ({"opens": "x" * 500}, "Give the date and time the night opens."),
    ]
    for changes, sentence in cases:
        answer = client.post(
            f"/clubs/{made['club']}/nights", data=night_form(**changes)
        )
        assert answer.status_code == 400, changes
        assert sentence in answer.text
    assert nights_stored(app) == 1


def test_strangers_and_another_clubs_night_are_404(
    app: Flask, client: FlaskClient
) -> None:
    made = setup(app, client)
    stranger = app.test_client()
    stranger_id = sign_in(app, stranger, "sam")
    with app.app_context():
        other_club = clubs.create(stranger_id, "Other", None, None)
    paths = ["", "/leaderboard", "/screen", "/print"]
    for path in paths:
        assert stranger.get(made["url"] + path).status_code == 404
        # The night under the stranger's own club: still not theirs.
        mixed = f"/clubs/{other_club}/nights/{made['night']}{path}"
        assert stranger.get(mixed).status_code == 404
    assert stranger.get(f"/clubs/{made['club']}/nights").status_code == 404
    assert stranger.post(made["url"] + "/join").status_code == 404
    assert stranger.post(made["url"] + "/delete").status_code == 404
    assert client.get(f"/clubs/{made['club']}/nights/nope").status_code == 404
    assert client.get(f"/clubs/{made['club']}/nights/{'x' * 300}").status_code == 404


def test_a_removed_member_loses_access_at_once(app: Flask, client: FlaskClient) -> None:
    made = setup(app, client)
    assert made["member"].get(made["url"]).status_code == 200
    with app.app_context():

        def remove(session: Any) -> None:
            session.execute(
                delete(ClubMember).where(ClubMember.archer_id == made["member_id"])
            )

        write(remove)
    assert made["member"].get(made["url"]).status_code == 404
    assert made["member"].get(made["url"] + "/leaderboard").status_code == 404


def test_join_shoot_and_the_leaderboard(app: Flask, client: FlaskClient) -> None:
    made = setup(app, client)
    member = made["member"]
    answer = member.post(made["url"] + "/join")
    assert answer.status_code == 303
    match_url = answer.headers["Location"]
    assert "/matches/" in match_url
    again = member.post(made["url"] + "/join")
    assert again.headers["Location"] == match_url
    page = member.get(match_url).text
    assert 'data-testid="night-link"' in page
    assert made["url"] in page
    member.post(match_url + "/ends", data={"arrow": ["9", "9", "9"]})
    fragment = member.get(made["url"] + "/leaderboard")
    assert fragment.status_code == 200
    assert fragment.headers["Cache-Control"] == "no-store"
    assert fragment.text.lstrip().startswith("<div data-leaderboard")
    assert 'data-version="1"' in fragment.text
    assert "<html" not in fragment.text
    assert re.search(r'data-testid="total">27<', fragment.text)
    screen = client.get(made["url"] + "/screen").text
    assert '<meta http-equiv="refresh" content="30">' in screen
    assert "night-screen.css" in screen
    printed = client.get(made["url"] + "/print").text
    assert "print.css" in printed
    assert "js/print.js" in printed


def test_the_admin_deletes_a_night_a_member_may_not(
    app: Flask, client: FlaskClient
) -> None:
    made = setup(app, client)
    assert made["member"].post(made["url"] + "/delete").status_code == 403
    answer = client.post(made["url"] + "/delete")
    assert answer.status_code == 303
    assert client.get(made["url"]).status_code == 404


def test_an_end_sent_after_the_close_counts_if_shot_in_time(
    app: Flask, client: FlaskClient
) -> None:
    made = setup(app, client)
    member = made["member"]
    match_url = member.post(made["url"] + "/join").headers["Location"]
    member.post(match_url + "/ends", data={"arrow": ["9", "9", "9"]})
    with app.app_context():

        def close(session: Any) -> None:
            night = session.get(GhostNight, made["night"])
            night.closes_at = datetime.now(UTC) - timedelta(minutes=10)

        write(close)
    late = member.post(match_url + "/ends", data={"arrow": ["8", "8", "8"]})
    assert "This ghost night is closed." in late.text
    in_time = (datetime.now(UTC) - timedelta(minutes=20)).isoformat()
    too_late = (datetime.now(UTC) - timedelta(minutes=5)).isoformat()
    member.post(match_url + "/ends", data={"arrow": ["8"] * 3, "shot_at": too_late})
    fragment = member.get(made["url"] + "/leaderboard").text
    assert re.search(r'data-testid="total">27<', fragment)
    member.post(match_url + "/ends", data={"arrow": ["8"] * 3, "shot_at": in_time})
    fragment = member.get(made["url"] + "/leaderboard").text
    assert re.search(r'data-testid="total">51<', fragment)
    assert "sent after the close, shot in time" in fragment
