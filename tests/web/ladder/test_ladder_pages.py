"""The ghost ladder's pages: start one (anonymous and signed in), shoot its
first match to the end through the match page's own end entry, and find it
moved on the ladder page (a rung, a new next ghost worked out from the
arrows); the match links back to its ladder; another browser gets 404; a
form that cannot be used is a 400 that says why."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from ghost_simulator import create_app
from ghost_simulator.passwords import hash_password
from ghost_simulator.store import archers

from ...sessions import sign_in_as

SET_LADDER = {
    "kind": "set",
    "indoor": "0",
    "bow": "recurve",
    "target": "50",
    "start": "handicap",
    "handicap": "40",
}


def last_part(location: str) -> str:
    return urlsplit(location).path.rstrip("/").rsplit("/", 1)[-1]


def start_ladder(client: FlaskClient, **changes: str) -> str:
    answer = client.post("/ladders", data={**SET_LADDER, **changes})
    assert answer.status_code == 303, answer.text
    assert urlsplit(answer.headers["Location"]).path.startswith("/ladders/")
    return last_part(answer.headers["Location"])


def shoot_next(client: FlaskClient, ladder_id: str) -> str:
    answer = client.post(f"/ladders/{ladder_id}/matches")
    assert answer.status_code == 303, answer.text
    assert urlsplit(answer.headers["Location"]).path.startswith("/matches/")
    return last_part(answer.headers["Location"])


def finish_match(client: FlaskClient, match_id: str, arrow: str = "X") -> None:
    """Ends of three ``arrow`` through the match page's form until it is over."""
    for end in range(1, 11):
        answer = client.post(
            f"/matches/{match_id}/ends", data={"arrow": [arrow] * 3, "end": str(end)}
        )
        assert answer.status_code == 303, answer.text
        if client.get(f"/api/v1/matches/{match_id}").json["finished"]:  # type: ignore[index]
            return
    raise AssertionError("the match did not finish")


def next_ghost(page: str) -> str:
    found = re.search(
        r"Handicap ([-\d.]+) on [^:]+: your chance of beating it is ([\d.]+%)", page
    )
    assert found is not None, page
    return found.group(1)


def rung_rows(page: str) -> list[str]:
    table = re.search(r'data-testid="rungs">(.*?)</table>', page, re.S)
    return (
        re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</tr>", table.group(1), re.S)
        if table
        else []
    )


def test_the_nav_and_the_form(client: FlaskClient) -> None:
    page = client.get("/").text
    assert 'href="/ladders"' in page
    form = client.get("/ladders")
    assert form.status_code == 200
    for preset in ("30%: hard", "50%: even (the default)", "70%: builds confidence"):
        assert preset in form.text
    assert 'name="target_custom"' in form.text
    assert 'value="history"' not in form.text  # a visitor has no history


def test_a_visitor_starts_a_ladder_and_shoots_its_first_match(
    client: FlaskClient,
) -> None:
    ladder_id = start_ladder(client)
    page = client.get(f"/ladders/{ladder_id}").text
    assert "No match finished yet" in page
    assert next_ghost(page) == "40"
    assert "your chance of beating it is 50.0%" in page
    assert 'data-testid="shoot-next"' in page
    assert 'data-testid="ladder-chart"' in page

    match_id = shoot_next(client, ladder_id)
    match_page = client.get(f"/matches/{match_id}").text
    assert "handicap 40" in match_page
    assert 'data-testid="back-to-ladder"' not in match_page  # not over yet
    # While it is being shot, the ladder sends the archer back to it.
    page = client.get(f"/ladders/{ladder_id}").text
    assert 'data-testid="shoot-next"' not in page
    assert f'href="/matches/{match_id}" data-testid="continue"' in page
    assert shoot_next(client, ladder_id) == match_id

    finish_match(client, match_id, "X")
    match_page = client.get(f"/matches/{match_id}").text
    assert f'href="/ladders/{ladder_id}" data-testid="back-to-ladder"' in match_page
    page = client.get(f"/ladders/{ladder_id}").text
    rows = rung_rows(page)
    assert len(rows) == 1
    assert f'href="/matches/{match_id}">1</a>' in rows[0]
    assert "won" in rows[0]
    assert "50.0%" in rows[0]
    assert "1 won, 0 lost, 0 tied: you won 100% (the target is 50%)." in page
    # All Xs: a stronger next ghost (a lower handicap), from the arrows.
    assert float(next_ghost(page)) < 40 - 5
    assert page.count('class="dot ghost-dot"') == 2  # the match's and the next
    assert page.count('class="dot"') == 2
    listing = client.get("/ladders").text
    assert f'href="/ladders/{ladder_id}"' in listing


def test_a_signed_in_archer_starts_from_their_history_or_a_score(
    app: Flask, client: FlaskClient
) -> None:
    with app.app_context():
        archer_id = archers.create("robin", hash_password("a long password")).id
    sign_in_as(client, archer_id)
    form = client.get("/ladders").text
    assert 'value="history" checked' in form
    refused = client.post("/ladders", data={**SET_LADDER, "start": "history"})
    assert refused.status_code == 400
    assert "no finished matches on this format yet" in refused.text
    ladder_id = start_ladder(
        client, start="score", score="120", kind="cumulative", bow="compound"
    )
    page = client.get(f"/ladders/{ladder_id}").text
    assert "Cumulative match, Compound, outdoor" in page
    # Another browser of the same archer sees it; a signed-out one does not.
    elsewhere = app.test_client()
    sign_in_as(elsewhere, archer_id)
    assert elsewhere.get(f"/ladders/{ladder_id}").status_code == 200
    assert app.test_client().get(f"/ladders/{ladder_id}").status_code == 404


def test_signing_in_gives_the_archer_the_browsers_ladders(
    app: Flask, client: FlaskClient
) -> None:
    with app.app_context():
        archers.create("robin", hash_password("a long password"))
    ladder_id = start_ladder(client)
    answer = client.post(
        "/login", data={"login": "robin", "password": "a long password"}
    )
    assert answer.status_code == 303
    phone = app.test_client()
    answer = phone.post(
        "/login", data={"login": "robin", "password": "a long password"}
    )
    assert answer.status_code == 303
    assert phone.get(f"/ladders/{ladder_id}").status_code == 200


def test_another_browser_gets_404(app: Flask, client: FlaskClient) -> None:
    ladder_id = start_ladder(client)
    match_id = shoot_next(client, ladder_id)
    other = app.test_client()
    assert other.get(f"/ladders/{ladder_id}").status_code == 404
    assert other.post(f"/ladders/{ladder_id}/matches").status_code == 404
    assert other.get(f"/matches/{match_id}").status_code == 404
    assert other.get("/ladders/" + "x" * 40).status_code == 404
    assert ladder_id not in other.get("/ladders").text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"target": "custom", "target_custom": "99"},
            "Aim at a win rate from 5% to 95%.",
        ),
        (
            {"target": "custom", "target_custom": "3"},
            "Aim at a win rate from 5% to 95%.",
        ),
        (
            {"target": "custom", "target_custom": ""},
            "Aim at a win rate from 5% to 95%.",
        ),
        (
            {"kind": "ranking", "round": "no_such_round"},
            "There is no round no_such_round for this bow.",
        ),
        ({"kind": "ranking", "round": ""}, "Choose the round to shoot."),
        ({"bow": "crossbow"}, "Choose a bow from the list."),
        (
            {"kind": "duel"},
            "Choose a set match, a cumulative match or a ranking round.",
        ),
        (
            {"handicap": "400"},
            "A handicap on the AGB scale is from -75 (best) to 300 (worst).",
        ),
        ({"handicap": "forty"}, "Give a number."),
        ({"start": "score", "score": "151"}, "out of the handicap scale"),
        ({"start": "history"}, "Sign in to start from your history"),
    ],
)
def test_a_form_that_cannot_be_used_is_a_400_that_says_why(
    client: FlaskClient, changes: dict[str, str], message: str
) -> None:
    answer = client.post("/ladders", data={**SET_LADDER, **changes})
    assert answer.status_code == 400
    assert message in answer.text.replace("&#39;", "'")
    assert 'role="alert"' in answer.text
    assert "Your ladders" not in answer.text  # nothing was made


def test_the_pages_speak_spanish(client: FlaskClient) -> None:
    client.get("/language/es")
    ladder_id = start_ladder(client)
    page = client.get(f"/ladders/{ladder_id}").text
    assert "Escalera de fantasmas" in page
    assert "Tirar la siguiente partida" in page
    assert "Eliminar esta escalera" in page
    refused = client.post("/ladders", data={**SET_LADDER, "handicap": "400"})
    assert refused.status_code == 400
    assert "Un hándicap en la escala AGB" in refused.text


def test_the_pages_carry_no_inline_script_or_style(client: FlaskClient) -> None:
    ladder_id = start_ladder(client)
    for path in ("/ladders", f"/ladders/{ladder_id}"):
        answer = client.get(path)
        assert "Content-Security-Policy" in answer.headers
        assert " style=" not in answer.text
        scripts = re.findall(r"<script\b[^>]*>", answer.text)
        assert all("src=" in tag or "application/json" in tag for tag in scripts)


def test_the_forms_carry_the_csrf_token(data_dir: Path) -> None:
    app = create_app(
        {"TESTING": True, "DATA_DIR": str(data_dir), "WTF_CSRF_ENABLED": True}
    )
    client = app.test_client()
    assert client.post("/ladders", data=SET_LADDER).status_code == 400
    page = client.get("/ladders").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token is not None
    answer = client.post("/ladders", data={**SET_LADDER, "csrf_token": token[1]})
    assert answer.status_code == 303
    ladder_path = urlsplit(answer.headers["Location"]).path
    page = client.get(ladder_path).text
    assert client.post(f"{ladder_path}/matches").status_code == 400
    form = re.search(
        rf'<form method="post" action="{ladder_path}/matches"[^>]*>\s*'
        r'<input type="hidden" name="csrf_token" value="([^"]+)">',
        page,
    )
    assert form is not None
    answer = client.post(f"{ladder_path}/matches", data={"csrf_token": form[1]})
    assert answer.status_code == 303


def test_a_viewer_deletes_their_ladder_and_keeps_its_matches(
    app: Flask, client: FlaskClient
) -> None:
    ladder_id = start_ladder(client)
    match_id = shoot_next(client, ladder_id)
    finish_match(client, match_id)
    page = client.get(f"/ladders/{ladder_id}").text
    assert "Delete this ladder" in page
    assert f'action="/ladders/{ladder_id}/delete"' in page
    assert "Back to your ladder" in client.get(f"/matches/{match_id}").text

    other = app.test_client()
    assert other.post(f"/ladders/{ladder_id}/delete").status_code == 404
    assert client.get(f"/ladders/{ladder_id}").status_code == 200

    answer = client.post(f"/ladders/{ladder_id}/delete")
    assert answer.status_code == 303
    assert urlsplit(answer.headers["Location"]).path == "/ladders"
    listing = client.get("/ladders").text
    assert "The ladder is deleted; its matches are still in your matches." in listing
    assert ladder_id not in listing
    assert client.get(f"/ladders/{ladder_id}").status_code == 404
    assert client.post(f"/ladders/{ladder_id}/delete").status_code == 404
    # Its match is an ordinary match now.
    kept = client.get(f"/matches/{match_id}")
    assert kept.status_code == 200
    assert "Back to your ladder" not in kept.text
    assert client.get(f"/api/v1/matches/{match_id}").json["status"] == "won"  # type: ignore[index]


def test_a_signed_in_archer_deletes_their_ladder_and_keeps_its_matches(
    app: Flask, client: FlaskClient
) -> None:
    with app.app_context():
        archer = archers.create("robin", hash_password("a long password"))
    sign_in_as(client, archer.id)
    ladder_id = start_ladder(client)
    match_id = shoot_next(client, ladder_id)
    finish_match(client, match_id, "M")
    assert client.post(f"/ladders/{ladder_id}/delete").status_code == 303
    assert client.get(f"/ladders/{ladder_id}").status_code == 404
    assert match_id in client.get("/history").text


def test_deleting_a_ladder_needs_the_csrf_token(data_dir: Path) -> None:
    app = create_app(
        {"TESTING": True, "DATA_DIR": str(data_dir), "WTF_CSRF_ENABLED": True}
    )
    client = app.test_client()
    page = client.get("/ladders").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token is not None
    answer = client.post("/ladders", data={**SET_LADDER, "csrf_token": token[1]})
    ladder_path = urlsplit(answer.headers["Location"]).path
    page = client.get(ladder_path).text
    assert client.post(f"{ladder_path}/delete").status_code == 400
    assert client.get(ladder_path).status_code == 200
    form = re.search(
        rf'<form method="post" action="{ladder_path}/delete"[^>]*>\s*'
        r'<input type="hidden" name="csrf_token" value="([^"]+)">',
        page,
    )
    assert form is not None
    answer = client.post(f"{ladder_path}/delete", data={"csrf_token": form[1]})
    assert answer.status_code == 303
    assert client.get(ladder_path).status_code == 404
