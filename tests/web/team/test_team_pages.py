"""The team match pages: the form starts a match (303 to its page); ends
entered through the page's own form until the match is won or lost; a 4-4
goes to a shoot-off and is won 5-4; compound is cumulative; a mixed team
shoots 4-arrow ends; a form that cannot be used is a 400 naming the field,
with nothing stored; another browser gets 404; the printable sheet."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from ghost_simulator import create_app
from ghost_simulator.services import teams
from ghost_simulator.services.viewers import Viewer
from tests.team_play import end_labels, level_plan, shoot_off_win

TEAM = {"kind": "team", "indoor": "0", "bow": "recurve", "handicap": "40"}


def start(client: FlaskClient, **changes: str) -> str:
    answer = client.post("/teams", data={**TEAM, **changes})
    assert answer.status_code == 303, answer.text
    path = urlsplit(answer.headers["Location"]).path
    assert path.startswith("/teams/")
    return path.rsplit("/", 1)[-1]


def engine_match(app: Flask, client: FlaskClient, match_id: str) -> teams.TeamMatch:
    """The match as stored (the test peeks at the ghosts' arrows to come)."""
    from ghost_simulator.store import get_session
    from ghost_simulator.store.models import TeamMatchRow

    with app.test_request_context():
        row = get_session().get(TeamMatchRow, match_id)
        assert row is not None
        return teams.TeamMatch.from_dict(dict(row.state))


def enter(client: FlaskClient, match_id: str, labels: list[str], end: int) -> None:
    answer = client.post(
        f"/teams/{match_id}/ends", data={"arrow": labels, "end": str(end)}
    )
    assert answer.status_code == 303, answer.text


def test_the_nav_and_the_form(client: FlaskClient) -> None:
    page = client.get("/teams")
    assert page.status_code == 200
    assert 'href="/teams"' in client.get("/").text
    assert 'name="kind"' in page.text
    assert 'name="teammates"' in page.text


def test_ends_through_the_form_until_the_match_is_over(
    app: Flask, client: FlaskClient
) -> None:
    # Strong teammates against weak opponents: every end can be won.
    match_id = start(client, handicap="90", teammates="handicap", teammate_handicap="0")
    page = client.get(f"/teams/{match_id}")
    assert page.status_code == 200
    assert 'data-arrows="2"' in page.text
    assert 'data-team-arrows="6"' in page.text
    assert page.text.count('<select name="arrow"') == 2
    assert 'name="end" value="1"' in page.text
    for end in range(1, 5):
        match = engine_match(app, client, match_id)
        if match.verdict().finished:
            break
        enter(client, match_id, end_labels(match, "win") or ["X", "X"], end)
    match = engine_match(app, client, match_id)
    assert match.verdict().finished
    text = client.get(f"/teams/{match_id}").text
    assert 'id="entry"' not in text
    assert "Your team wins" in text
    assert text.count("<tr data-end=") == match.ends_shot
    # No end after the match is over: a 400, nothing stored.
    answer = client.post(
        f"/teams/{match_id}/ends",
        data={"arrow": ["X", "X"], "end": str(match.ends_shot + 1)},
    )
    assert answer.status_code == 400
    assert engine_match(app, client, match_id).ends_shot == match.ends_shot
    listed = client.get("/teams").text
    assert f"/teams/{match_id}" in listed


def level(app: Flask, client: FlaskClient, **changes: str) -> tuple[str, list]:
    for _try in range(40):
        match_id = start(client, **changes)
        match = engine_match(app, client, match_id)
        plan = level_plan(match)
        if plan is not None and shoot_off_win(match) is not None:
            return match_id, plan
        client.post(f"/teams/{match_id}/delete")
    raise AssertionError("no level match found")


def test_4_4_goes_to_a_shoot_off_won_5_4(app: Flask, client: FlaskClient) -> None:
    match_id, plan = level(app, client)
    for end, labels in enumerate(plan, 1):
        enter(client, match_id, labels, end)
    page = client.get(f"/teams/{match_id}").text
    assert 'class="entry shoot-off"' in page
    assert 'data-arrows="1"' in page
    assert 'data-team-arrows="3"' in page
    assert re.search(r'data-testid="archer-score">4<', page)
    assert re.search(r'data-testid="ghost-score">4<', page)
    label = shoot_off_win(engine_match(app, client, match_id))
    answer = client.post(
        f"/teams/{match_id}/shoot-offs", data={"arrow": label, "end": "5"}
    )
    assert answer.status_code == 303, answer.text
    page = client.get(f"/teams/{match_id}").text
    assert "Your team wins 5-4 after a shoot-off" in page
    assert re.search(r'data-testid="archer-score">5<', page)
    assert '<ul class="shoot-offs">' in page
    sheet = client.get(f"/teams/{match_id}/sheet")
    assert sheet.status_code == 200
    assert "Your team wins 5-4 after a shoot-off" in sheet.text
    assert 'data-testid="shoot-offs"' in sheet.text
    assert "js/print.js" in sheet.text
    assert "print.css" in sheet.text


def test_compound_is_cumulative(app: Flask, client: FlaskClient) -> None:
    match_id = start(client, bow="compound")
    for end in range(1, 5):
        enter(client, match_id, ["10", "9"], end)
    match = engine_match(app, client, match_id)
    assert match.system == "cumulative"
    verdict = match.verdict()
    page = client.get(f"/teams/{match_id}").text
    assert f'data-testid="archer-score">{verdict.team_total}<' in page
    assert f'data-testid="ghost-score">{verdict.opponent_total}<' in page
    assert "Set points" not in page


def test_a_mixed_team_shoots_4_arrow_ends(app: Flask, client: FlaskClient) -> None:
    match_id = start(client, kind="mixed")
    page = client.get(f"/teams/{match_id}").text
    assert 'data-team-arrows="4"' in page
    enter(client, match_id, ["9", "8"], 1)
    page = client.get(f"/teams/{match_id}").text
    assert "Teammate 1" in page
    assert "Teammate 2" not in page
    assert "Ghost 2" in page
    assert "Ghost 3" not in page


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "quartet"}, "kind"),
        ({"bow": "sling"}, "bow"),
        ({"handicap": "900"}, "handicap"),
        ({"handicap": "lots"}, "handicap"),
        ({"teammates": "handicap", "teammate_handicap": ""}, "teammate_handicap"),
        ({"teammates": "me"}, "teammates"),
    ],
)
def test_a_bad_form_is_a_400_naming_the_field(
    client: FlaskClient, changes: dict[str, str], field: str
) -> None:
    answer = client.post("/teams", data={**TEAM, **changes})
    assert answer.status_code == 400
    assert f'data-field="{field}"' in answer.text
    assert 'data-testid="team-matches"' not in answer.text  # nothing stored


@pytest.mark.parametrize(
    ("arrows", "status"),
    [(["X"], 400), (["X", "X", "X"], 400), (["X", "11"], 400), ([], 400)],
)
def test_a_bad_end_is_a_400(
    app: Flask, client: FlaskClient, arrows: list[str], status: int
) -> None:
    match_id = start(client)
    answer = client.post(f"/teams/{match_id}/ends", data={"arrow": arrows, "end": "1"})
    assert answer.status_code == status
    assert 'data-field="arrow"' in answer.text
    assert engine_match(app, client, match_id).ends_shot == 0


def test_an_end_sent_twice_is_a_409(app: Flask, client: FlaskClient) -> None:
    match_id = start(client)
    enter(client, match_id, ["9", "9"], 1)
    answer = client.post(
        f"/teams/{match_id}/ends", data={"arrow": ["9", "9"], "end": "1"}
    )
    assert answer.status_code == 409
    assert engine_match(app, client, match_id).ends_shot == 1


def test_another_browser_gets_404(app: Flask, client: FlaskClient) -> None:
    match_id = start(client)
    other = app.test_client()
    assert other.get(f"/teams/{match_id}").status_code == 404
    assert other.get(f"/teams/{match_id}/sheet").status_code == 404
    assert (
        other.post(f"/teams/{match_id}/ends", data={"arrow": ["X", "X"]}).status_code
        == 404
    )
    assert (
        other.post(f"/teams/{match_id}/shoot-offs", data={"arrow": "X"}).status_code
        == 404
    )
    assert other.post(f"/teams/{match_id}/delete").status_code == 404
    assert other.get("/teams/" + "x" * 40).status_code == 404
    assert match_id not in other.get("/teams").text
    assert client.post(f"/teams/{match_id}/delete").status_code == 303
    assert client.get(f"/teams/{match_id}").status_code == 404


def test_the_printed_sheet(client: FlaskClient) -> None:
    match_id = start(client, kind="mixed", bow="barebow", indoor="1")
    enter(client, match_id, ["10", "9"], 1)
    sheet = client.get(f"/teams/{match_id}/sheet")
    assert sheet.status_code == 200
    assert 'data-testid="printable-sheet"' in sheet.text
    assert sheet.text.count("<tr data-end=") == 4
    assert sheet.text.count('class="to-shoot"') == 3
    assert "10 9" in sheet.text
    page = client.get(f"/teams/{match_id}").text
    assert f'href="/teams/{match_id}/sheet"' in page


def test_the_clock_contract(client: FlaskClient) -> None:
    match_id = start(client)
    page = client.get(f"/teams/{match_id}").text
    assert "data-sheet" in page
    assert 'data-kind="team"' in page  # the clock is told the kind
    assert 'data-testid="archer-score"' in page
    assert 'data-testid="ghost-score"' in page


def test_the_service_viewer_and_the_page_agree(app: Flask, client: FlaskClient) -> None:
    with app.test_request_context():
        assert teams.list_for(Viewer("nobody")) == []


def test_the_pages_carry_no_inline_script_or_style(client: FlaskClient) -> None:
    match_id = start(client)
    for path in ("/teams", f"/teams/{match_id}", f"/teams/{match_id}/sheet"):
        answer = client.get(path)
        assert "Content-Security-Policy" in answer.headers
        assert " style=" not in answer.text
        scripts = re.findall(r"<script\b[^>]*>", answer.text)
        assert all("src=" in tag for tag in scripts)


def test_the_forms_carry_the_csrf_token(data_dir: Path) -> None:
    app = create_app(
        {"TESTING": True, "DATA_DIR": str(data_dir), "WTF_CSRF_ENABLED": True}
    )
    client = app.test_client()
    assert client.post("/teams", data=TEAM).status_code == 400
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/teams").text)
    assert token is not None
    answer = client.post("/teams", data={**TEAM, "csrf_token": token[1]})
    assert answer.status_code == 303
    path = urlsplit(answer.headers["Location"]).path
    page = client.get(path).text
    ends = {"arrow": ["9", "9"], "end": "1"}
    assert client.post(f"{path}/ends", data=ends).status_code == 400
    form = re.search(
        rf'<form method="post" action="{path}/ends"[^>]*>\s*'
        r'<input type="hidden" name="csrf_token" value="([^"]+)">',
        page,
    )
    assert form is not None
    answer = client.post(f"{path}/ends", data={**ends, "csrf_token": form[1]})
    assert answer.status_code == 303
    assert client.post(f"{path}/delete").status_code == 400
