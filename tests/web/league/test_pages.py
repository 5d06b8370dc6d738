"""A postal league's pages: set up by an admin through the form (a member
gets 403, bad input 400 with its sentence and nothing stored), its standings
page and printable one, the club's and each night's links to it, 404 for
strangers and another club's league, deleting (the admin), and every form
with its CSRF token."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from ghost_simulator import create_app
from ghost_simulator.store import clubs, get_session
from ghost_simulator.store.models import GhostNight, League

from ..history.test_history import sign_in
from ..night.test_night_pages import add_member


def league_form(**changes: str) -> dict[str, str]:
    now = datetime.now(UTC)
    return {
        "title": "Winter <b>league</b>",
        "nights": "4",
        "every_days": "7",
        "best": "3",
        "kind": "ranking",
        "indoor": "1",
        "bow": "recurve",
        "round": "wa18",
        "ghost": "handicap",
        "handicap": "40",
        "ranking": "score",
        "timezone": "UTC",
        "opens": (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "closes": (now + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        **changes,
    }


def setup(app: Flask, client: FlaskClient) -> dict[str, Any]:
    owner_id = sign_in(app, client, "olga")
    with app.app_context():
        club_id = clubs.create(owner_id, "Arrows", None, None)
    member = app.test_client()
    member_id = sign_in(app, member, "mia")
    add_member(app, club_id, member_id)
    answer = client.post(f"/clubs/{club_id}/leagues", data=league_form())
    assert answer.status_code == 303, answer.text
    found = re.search(r"/leagues/([\w-]+)$", answer.headers["Location"])
    assert found
    return {
        "club": club_id,
        "league": found.group(1),
        "member": member,
        "member_id": member_id,
        "url": f"/clubs/{club_id}/leagues/{found.group(1)}",
    }


def stored(app: Flask) -> tuple[int, int]:
    with app.app_context():
        session = get_session()
        leagues = session.scalar(select(func.count()).select_from(League))
        nights = session.scalar(select(func.count()).select_from(GhostNight))
        return int(leagues or 0), int(nights or 0)


def test_signed_out_visitors_are_sent_to_sign_in(client: FlaskClient) -> None:
    answer = client.get("/clubs/abc/leagues")
    assert answer.status_code == 302
    assert "/login" in answer.headers["Location"]


def test_an_admin_sets_one_up_and_members_see_the_standings(
    app: Flask, client: FlaskClient
) -> None:
    made = setup(app, client)
    assert stored(app) == (1, 4)
    page = client.get(made["url"])
    assert page.status_code == 200
    text = page.text
    assert "Winter &lt;b&gt;league&lt;/b&gt;" in text
    assert "<b>league" not in text
    assert "best 3 of 4 nights" in text
    assert text.count('data-testid="standing"') == 2
    assert "How the league is ranked" in text
    assert "The season figure is the sum of their best 3 totals." in text
    assert "until then each member sees only their own result" in text
    nights = re.findall(rf'href="/clubs/{made["club"]}/nights/([\w-]+)"', text)
    assert len(set(nights)) == 4
    # The member sees it too, without the delete button; the club links it.
    seen = made["member"].get(made["url"]).text
    assert 'data-testid="delete-league"' not in seen
    listed = made["member"].get(f"/clubs/{made['club']}/leagues").text
    assert "Winter &lt;b&gt;league&lt;/b&gt;" in listed
    assert "Set up a postal league" not in listed
    club_page = made["member"].get(f"/clubs/{made['club']}").text
    assert f'href="/clubs/{made["club"]}/leagues"' in club_page
    # Each night says which week of which league it is.
    night = made["member"].get(f"/clubs/{made['club']}/nights/{nights[0]}").text
    assert 'data-testid="night-league"' in night
    assert f'href="{made["url"]}"' in night
    assert re.search(r"Week \d of 4 of Winter &lt;b&gt;league&lt;/b&gt;", night)


def test_a_members_own_result_shows_while_the_night_is_open(
    app: Flask, client: FlaskClient
) -> None:
    made = setup(app, client)
    page = client.get(made["url"]).text
    first = re.findall(rf'href="/clubs/{made["club"]}/nights/([\w-]+)"', page)[0]
    night_url = f"/clubs/{made['club']}/nights/{first}"
    match_url = made["member"].post(night_url + "/join").headers["Location"]
    made["member"].post(match_url + "/ends", data={"arrow": ["9", "9", "9"]})
    mine = made["member"].get(made["url"]).text
    assert 'data-state="in_progress"' in mine
    assert "in progress" in mine


def test_print(app: Flask, client: FlaskClient) -> None:
    made = setup(app, client)
    printed = client.get(made["url"] + "/print")
    assert printed.status_code == 200
    assert "print.css" in printed.text
    assert "js/print.js" in printed.text
    assert 'data-testid="printable-standings"' in printed.text
    assert " style=" not in printed.text


def test_a_member_may_not_set_one_up_or_delete(app: Flask, client: FlaskClient) -> None:
    made = setup(app, client)
    answer = made["member"].post(f"/clubs/{made['club']}/leagues", data=league_form())
    assert answer.status_code == 403
    assert made["member"].post(made["url"] + "/delete").status_code == 403
    assert stored(app) == (1, 4)


def test_bad_input_is_a_400_with_its_sentence_and_nothing_stored(
    app: Flask, client: FlaskClient
) -> None:
    made = setup(app, client)
    cases = [
        ({"title": ""}, "Give the league a title."),
        ({"nights": "53"}, "A league has from 2 to 52 nights."),
        ({"every_days": "40"}, "A league&#39;s nights are from 1 to 31 days apart."),
        ({"best": "5"}, "Count from 1 to 4 results (the league&#39;s nights)."),
        ({"every_days": "1", "nights": "x" * 500}, "A league has from 2 to 52"),
        ({"timezone": "Nowhere/Else"}, "Choose a timezone"),
        ({"opens": "x" * 500}, "Give the date and time the night opens."),
    ]
    for changes, sentence in cases:
        answer = client.post(
            f"/clubs/{made['club']}/leagues", data=league_form(**changes)
        )
        assert answer.status_code == 400, changes
        assert sentence in answer.text, changes
        assert 'aria-invalid="true"' in answer.text
    # A window longer than the days between the nights.
    now = datetime.now(UTC)
    answer = client.post(
        f"/clubs/{made['club']}/leagues",
        data=league_form(
            every_days="1", closes=(now + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
        ),
    )
    assert answer.status_code == 400
    assert "the nights must not overlap" in answer.text
    assert stored(app) == (1, 4)


def test_strangers_and_another_clubs_league_are_404(
    app: Flask, client: FlaskClient
) -> None:
    made = setup(app, client)
    stranger = app.test_client()
    stranger_id = sign_in(app, stranger, "sam")
    with app.app_context():
        other_club = clubs.create(stranger_id, "Other", None, None)
    for path in ("", "/print"):
        assert stranger.get(made["url"] + path).status_code == 404
        mixed = f"/clubs/{other_club}/leagues/{made['league']}{path}"
        assert stranger.get(mixed).status_code == 404
    assert stranger.get(f"/clubs/{made['club']}/leagues").status_code == 404
    assert stranger.post(f"/clubs/{made['club']}/leagues", data={}).status_code == 404
    assert stranger.post(made["url"] + "/delete").status_code == 404
    assert client.get(f"/clubs/{made['club']}/leagues/nope").status_code == 404
    assert client.get(f"/clubs/{made['club']}/leagues/{'x' * 300}").status_code == 404
    assert stored(app) == (1, 4)


def test_the_admin_deletes_a_league_and_its_nights(
    app: Flask, client: FlaskClient
) -> None:
    made = setup(app, client)
    answer = client.post(made["url"] + "/delete")
    assert answer.status_code == 303
    listing_path = f"/clubs/{made['club']}/leagues"
    assert urlsplit(answer.headers["Location"]).path == listing_path
    assert stored(app) == (0, 0)
    listing = client.get(f"/clubs/{made['club']}/leagues").text
    assert "The league and its nights are deleted" in listing
    assert client.get(made["url"]).status_code == 404


def test_the_forms_carry_the_csrf_token(data_dir: Path) -> None:
    app = create_app(
        {"TESTING": True, "DATA_DIR": str(data_dir), "WTF_CSRF_ENABLED": True}
    )
    client = app.test_client()
    owner_id = sign_in(app, client, "olga")
    with app.app_context():
        club_id = clubs.create(owner_id, "Arrows", None, None)
    path = f"/clubs/{club_id}/leagues"
    assert client.post(path, data=league_form()).status_code == 400
    assert stored(app) == (0, 0)
    page = client.get(path).text
    token = re.search(
        rf'<form method="post" action="{path}"[^>]*>\s*'
        r'<input type="hidden" name="csrf_token" value="([^"]+)">',
        page,
    )
    assert token is not None
    answer = client.post(path, data={**league_form(), "csrf_token": token[1]})
    assert answer.status_code == 303, answer.text
    league_path = urlsplit(answer.headers["Location"]).path
    assert client.post(f"{league_path}/delete").status_code == 400
    page = client.get(league_path).text
    assert " style=" not in page
    assert all("src=" in tag for tag in re.findall(r"<script\b[^>]*>", page))
    form = re.search(
        rf'<form method="post" action="{league_path}/delete"[^>]*>'
        r'<input type="hidden" name="csrf_token" value="([^"]+)">',
        page,
    )
    assert form is not None
    answer = client.post(f"{league_path}/delete", data={"csrf_token": form[1]})
    assert answer.status_code == 303
    assert stored(app) == (0, 0)
