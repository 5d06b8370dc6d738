"""The JSON API: every operation, its errors in one shape, tokens, the
session's CSRF rule, and conditional writes. Each answer is also checked
against the OpenAPI document (schemathesis' validator)."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update
from werkzeug.security import generate_password_hash
from werkzeug.test import TestResponse

from ghost_simulator import create_app
from ghost_simulator.engine import Match
from ghost_simulator.engine.handicaps import expected_score
from ghost_simulator.engine.rounds import get_round
from ghost_simulator.services.sheets import build_sheet
from ghost_simulator.store import archers, get_session, tokens
from ghost_simulator.store import matches as stored
from ghost_simulator.store.models import ApiToken
from ghost_simulator.store.models import Match as MatchRow
from ghost_simulator.web.api import shapes
from ghost_simulator.web.api.openapi import document

PASSWORD = "correct horse"
#: A set match the perfect ghost shoots (every arrow an X): 30 a set.
PERFECT = {"kind": "set", "bow": "recurve", "ghost": "preset", "preset": "perfect"}


@pytest.fixture(scope="module")
def api_schema() -> Any:
    return schemathesis.openapi.from_dict(document())


@pytest.fixture
def check(api_schema: Any):  # type: ignore[no-untyped-def]
    """``check(response, "POST", "/api/v1/matches")``: the answer is one the
    document describes (status, content type and body), and returned."""

    def conforms(response: TestResponse, method: str, path: str) -> TestResponse:
        api_schema[path][method].validate_response(response)
        return response

    return conforms


def make_archer(app: Flask, username: str = "alice") -> int:
    with app.app_context():
        archer = archers.create(
            username, generate_password_hash(PASSWORD, method="scrypt:1024:8:1")
        )
        return archer.id


def make_token(app: Flask, archer_id: int, name: str = "script") -> str:
    with app.app_context():
        return tokens.create(archer_id, name)[1]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def token(app: Flask) -> str:
    return make_token(app, make_archer(app))


def sign_in(client: FlaskClient, username: str = "alice") -> None:
    response = client.post("/login", data={"login": username, "password": PASSWORD})
    assert response.status_code == 303


def start(
    client: FlaskClient, headers: dict[str, str] | None = None, **setup: Any
) -> dict[str, Any]:
    response = client.post("/api/v1/matches", json=setup, headers=headers or {})
    assert response.status_code == 201, response.text
    return dict(response.json or {})


def error_of(response: TestResponse) -> dict[str, Any]:
    body = response.json
    assert isinstance(body, dict)
    error = body["error"]
    assert error["code"] == response.status_code
    assert error["message"].endswith(".")
    return dict(error)


# -- who is calling -------------------------------------------------------------


def test_me_anonymous_gets_a_csrf_token(client: FlaskClient, check: Any) -> None:
    response = check(client.get("/api/v1/me"), "GET", "/api/v1/me")
    assert response.status_code == 200
    assert response.json["auth"] == "anonymous"
    assert response.json["archer"] is None
    assert response.json["csrf_token"]


def test_me_with_a_token(
    client: FlaskClient, app: Flask, token: str, check: Any
) -> None:
    response = check(
        client.get("/api/v1/me", headers=bearer(token)), "GET", "/api/v1/me"
    )
    assert response.json["auth"] == "token"
    assert response.json["archer"]["username"] == "alice"
    assert response.json["token"]["name"] == "script"
    assert response.json["csrf_token"] is None


def test_me_signed_in(client: FlaskClient, app: Flask) -> None:
    make_archer(app)
    sign_in(client)
    assert client.get("/api/v1/me").json["auth"] == "session"


def test_a_token_wins_over_the_session_cookie(client: FlaskClient, app: Flask) -> None:
    make_archer(app, "alice")
    bob = make_token(app, make_archer(app, "bob"))
    sign_in(client, "alice")
    assert (
        client.get("/api/v1/me", headers=bearer(bob)).json["archer"]["username"]
        == "bob"
    )


@pytest.mark.parametrize(
    "header",
    ["Bearer gst_not-a-token", "Bearer ", "Basic YWxpY2U6cHc=", "gst_no-scheme"],
)
def test_a_bad_token_is_401_even_with_a_session(
    client: FlaskClient, app: Flask, header: str, check: Any
) -> None:
    make_archer(app)
    sign_in(client)
    response = check(
        client.get("/api/v1/rounds", headers={"Authorization": header}),
        "GET",
        "/api/v1/rounds",
    )
    assert response.status_code == 401
    assert "Bearer" in response.headers["WWW-Authenticate"]
    assert "settings page" in error_of(response)["message"]


# -- tokens ----------------------------------------------------------------------


def test_a_token_is_kept_as_its_sha256_only(app: Flask, token: str) -> None:
    import hashlib

    with app.app_context():
        rows = list(get_session().scalars(select(ApiToken)))
    assert len(rows) == 1
    assert rows[0].token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {rows[0].name, rows[0].token_hash}
    assert token.startswith(tokens.PREFIX)


def test_last_used_is_written_at_most_once_a_minute(
    client: FlaskClient, app: Flask, token: str
) -> None:
    def last_used() -> datetime | None:
        with app.app_context():
            return get_session().scalars(select(ApiToken.last_used_at)).one()

    assert last_used() is None
    client.get("/api/v1/me", headers=bearer(token))
    first = last_used()
    assert first is not None
    client.get("/api/v1/me", headers=bearer(token))
    assert last_used() == first  # within the minute: not written again
    with app.app_context():
        earlier = datetime.now(UTC) - timedelta(minutes=2)
        get_session().execute(update(ApiToken).values(last_used_at=earlier))
        get_session().commit()
    client.get("/api/v1/me", headers=bearer(token))
    again = last_used()
    assert again is not None
    assert again.replace(tzinfo=UTC) > earlier


def test_tokens_page_makes_shows_once_lists_and_revokes(
    client: FlaskClient, app: Flask
) -> None:
    make_archer(app)
    assert client.get("/settings/tokens").status_code == 302  # sign in first
    sign_in(client)
    assert "/settings/tokens" in client.get("/settings").text
    made = client.post("/settings/tokens", data={"name": "my scoring script"})
    assert made.status_code == 201
    assert made.headers["Cache-Control"] == "no-store"
    import re

    found = re.search(r'value="(gst_[^"]+)"', made.text)
    assert found is not None
    token = found.group(1)
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200
    listing = client.get("/settings/tokens").text
    assert "my scoring script" in listing
    assert token not in listing  # shown once only
    with app.app_context():
        token_id = get_session().scalars(select(ApiToken.id)).one()
    revoked = client.post(f"/settings/tokens/{token_id}/revoke")
    assert revoked.status_code == 303
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 401
    assert "my scoring script" not in client.get("/settings/tokens").text


@pytest.mark.parametrize("name", ["", "   ", "x" * 65])
def test_a_token_needs_a_name(client: FlaskClient, app: Flask, name: str) -> None:
    make_archer(app)
    sign_in(client)
    response = client.post("/settings/tokens", data={"name": name})
    assert response.status_code == 400
    assert "name of 1 to 64 characters" in response.text


def test_an_archer_cannot_revoke_anothers_token(
    client: FlaskClient, app: Flask
) -> None:
    bob_token = make_token(app, make_archer(app, "bob"))
    make_archer(app, "alice")
    sign_in(client, "alice")
    with app.app_context():
        bobs = get_session().scalars(select(ApiToken.id)).one()
    client.post(f"/settings/tokens/{bobs}/revoke")
    assert client.get("/api/v1/me", headers=bearer(bob_token)).status_code == 200


def test_deleting_the_archer_deletes_their_tokens(app: Flask, token: str) -> None:
    with app.app_context():
        archer = archers.by_login("alice")
        assert archer is not None
        archers.delete_account(archer)
        assert tokens.authenticate(token) is None
        assert get_session().scalars(select(ApiToken)).first() is None


# -- the catalogue ---------------------------------------------------------------


def test_rounds_list_rounds_and_match_formats(client: FlaskClient, check: Any) -> None:
    response = check(client.get("/api/v1/rounds"), "GET", "/api/v1/rounds")
    codes = {r["code"]: r for r in response.json["rounds"]}
    assert response.json["count"] == len(codes)
    assert codes["wa18"]["max_score"] == 600
    assert codes["wa18"]["common"] is True
    assert codes["match_compound_outdoor"]["kind"] == "match"
    found = client.get("/api/v1/rounds", query_string={"q": "wa 18"}).json["rounds"]
    assert found
    assert all("18" in r["name"] for r in found)


def test_one_round_as_a_bow_scores_it(client: FlaskClient, check: Any) -> None:
    response = check(
        client.get("/api/v1/rounds/wa18", query_string={"bow": "compound"}),
        "GET",
        "/api/v1/rounds/{code}",
    )
    body = response.json
    assert body["ends"] == 20
    assert body["end_size"] == 3
    assert body["distances"][0]["face"]["labels"][:2] == ["X", "9"]
    assert len(body["end_plan"]) == 20
    half = client.get("/api/v1/rounds/wa1440_90?half=true").json
    assert half["half"] is True
    assert half["arrows"] == 72
    match = client.get("/api/v1/rounds/match_recurve_indoor").json
    assert match["ends"] == 5


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/v1/rounds/no_such_round", 404),
        ("/api/v1/rounds/wa18?bow=crossbow", 400),
        ("/api/v1/rounds/wa18?half=maybe", 400),
        ("/api/v1/rounds/match_recurve_outdoor?half=1", 404),  # it has none
        ("/api/v1/rounds?q=" + "x" * 101, 400),
        ("/api/v1/presets?scheme=XYZ", 400),
    ],
)
def test_catalogue_refusals(client: FlaskClient, path: str, status: int) -> None:
    response = client.get(path)
    assert response.status_code == status
    error = error_of(response)
    if status == 400:
        assert error["fields"]


def test_presets_with_their_handicaps(client: FlaskClient, check: Any) -> None:
    response = check(client.get("/api/v1/presets"), "GET", "/api/v1/presets")
    presets = {p["name"]: p for p in response.json["presets"]}
    assert presets["perfect"]["handicap"] is None
    championship = next(p for p in presets.values() if p["kind"] == "championship")
    assert championship["scheme"] == "AGB"
    assert isinstance(championship["handicap"], float)


def test_ghost_kinds(client: FlaskClient, check: Any) -> None:
    response = check(client.get("/api/v1/ghosts"), "GET", "/api/v1/ghosts")
    kinds = {g["ghost"]: g for g in response.json["ghosts"]}
    assert kinds["minmax"]["fields"] == ["min_end", "max_end"]
    assert kinds["past"]["needs_archer"] is True
    assert response.json["current_model"] in response.json["models"]


def test_a_ghost_preview_scores_what_the_engine_says(
    client: FlaskClient, check: Any
) -> None:
    setup = {"kind": "ranking", "round": "wa720_70", "handicap": 35, "steady": True}
    response = check(
        client.post("/api/v1/ghosts/preview", json=setup),
        "POST",
        "/api/v1/ghosts/preview",
    )
    body = response.json
    assert body["ghost"]["handicap"] == 35
    expected = expected_score(get_round("wa720_70", bow="recurve"), 35.0, "AGB")
    assert body["expected_score"] == pytest.approx(expected, abs=0.01)
    assert body["round"]["max_score"] == 720
    with_form = client.post(
        "/api/v1/ghosts/preview", json={**setup, "steady": False}
    ).json
    # An unsteady ghost averages the same: its mean is kept exact.
    assert with_form["expected_score"] == pytest.approx(expected, abs=0.5)
    perfect = client.post("/api/v1/ghosts/preview", json=PERFECT).json
    assert perfect["expected_score"] == 150


def test_a_preview_stores_nothing(client: FlaskClient, app: Flask) -> None:
    client.post("/api/v1/ghosts/preview", json={"handicap": 20})
    with app.app_context():
        assert get_session().scalars(select(MatchRow)).first() is None


# -- starting and playing a match ------------------------------------------------


def test_anonymous_match_belongs_to_its_session(
    client: FlaskClient, app: Flask, check: Any
) -> None:
    response = check(
        client.post("/api/v1/matches", json={"handicap": 30}),
        "POST",
        "/api/v1/matches",
    )
    assert response.status_code == 201
    match = response.json
    assert response.headers["Location"] == f"/api/v1/matches/{match['id']}"
    assert response.headers["ETag"] == '"1"'
    assert match["version"] == 1
    assert match["status"] == "in_progress"
    assert match["next"] == {
        "action": "end",
        "end": 1,
        "arrows": 3,
        "labels": ["X", "10", "9", "8", "7", "6", "5", "4", "3", "2", "1", "M"],
    }
    assert match["links"]["page"] == f"/matches/{match['id']}"
    assert client.get(match["links"]["page"]).status_code == 200  # the same session
    other = app.test_client()
    missing = check(
        other.get(match["links"]["self"]), "GET", "/api/v1/matches/{match_id}"
    )
    assert missing.status_code == 404


def test_a_token_match_is_the_archers(
    client: FlaskClient, app: Flask, token: str
) -> None:
    match = start(client, bearer(token), handicap=30)
    with app.app_context():
        row = get_session().get(MatchRow, match["id"])
        assert row is not None
        assert row.archer_id == archers.by_login("alice").id  # type: ignore[union-attr]
    browser = app.test_client()
    assert browser.get(f"/api/v1/matches/{match['id']}").status_code == 404
    sign_in(browser)
    assert browser.get(f"/api/v1/matches/{match['id']}").status_code == 200


def test_the_form_rules_apply(client: FlaskClient, check: Any) -> None:
    response = check(
        client.post(
            "/api/v1/matches",
            json={"ghost": "minmax", "min_end": 20, "max_end": 31, "indoor": True},
        ),
        "POST",
        "/api/v1/matches",
    )
    assert response.status_code == 422
    assert "30" in error_of(response)["fields"]["min_end"]
    past = client.post("/api/v1/matches", json={"ghost": "past"})
    assert past.status_code == 422
    assert "Sign in" in error_of(past)["fields"]["ghost"]


def test_ends_reveal_the_ghosts_ends_and_nothing_more(
    client: FlaskClient, app: Flask, check: Any
) -> None:
    match = start(client, handicap=30, seed=7)
    url = f"/api/v1/matches/{match['id']}/ends"
    response = check(
        client.post(url, json={"arrows": ["10", "X", "9"], "end": 1}),
        "POST",
        "/api/v1/matches/{match_id}/ends",
    )
    body = response.json
    assert body["version"] == 2
    assert response.headers["ETag"] == '"2"'
    assert body["ends"][0]["archer"] == {
        "arrows": ["X", "10", "9"],
        "total": 29,
        "running_total": 29,
        "in_order": None,
    }
    ghost_round = Match.from_dict(_state(app, match["id"])).ghost_round
    assert body["ends"][0]["ghost"]["arrows"] == ghost_round.ends[0].labels
    assert len(body["ends"]) == 1
    assert body["seed"] is None  # it would tell the ghost's arrows to come
    assert body["share_url"] is None
    totals = client.post(url, json={"total": 25, "version": 2}).json
    assert totals["ends"][1]["archer"] == {
        "arrows": None,
        "total": 25,
        "running_total": 54,
        "in_order": None,
    }
    assert [e["ghost"]["arrows"] for e in totals["ends"]] == [
        end.labels for end in ghost_round.ends[:2]
    ]


def test_a_replayed_round_shows_only_the_ends_shot(
    client: FlaskClient, token: str
) -> None:
    """Your past round as the ghost: its ends come out one at a time."""
    auth = bearer(token)
    past = start(client, auth, kind="half", round="wa18", handicap=30)
    ends = [["1", "1", "1"]] * 10
    ends[0], ends[1] = ["3", "2", "1"], ["7", "6", "4"]
    for number, arrows in enumerate(ends, 1):
        entered = client.post(
            f"/api/v1/matches/{past['id']}/ends",
            json={"arrows": arrows, "end": number},
            headers=auth,
        )
        assert entered.status_code == 200
    assert entered.json["finished"] is True
    setup = {"kind": "half", "round": "wa18", "ghost": "past", "past": past["id"]}
    replay = start(client, auth, **setup)
    assert replay["ghost"]["kind"] == "replay"
    second_end = json.dumps(["7", "6", "4"])
    assert second_end not in json.dumps(replay)  # nothing of its ends yet
    first = client.post(
        f"/api/v1/matches/{replay['id']}/ends", json={"total": 5}, headers=auth
    ).json
    assert first["ends"][0]["ghost"]["arrows"] == ["3", "2", "1"]
    assert second_end not in json.dumps(first)
    second = client.post(
        f"/api/v1/matches/{replay['id']}/ends", json={"total": 5}, headers=auth
    ).json
    assert second["ends"][1]["ghost"]["arrows"] == ["7", "6", "4"]


def _state(app: Flask, match_id: str) -> dict[str, Any]:
    with app.app_context():
        row = get_session().get(MatchRow, match_id)
        assert row is not None
        return dict(row.state)


@pytest.mark.parametrize(
    ("entry", "field"),
    [
        ({"arrows": ["11", "9", "9"]}, "arrows"),
        ({"arrows": ["10", "9"]}, "arrows"),
        ({"total": 31}, "total"),
        ({"arrows": ["10", "9", "9"], "total": 28}, "arrows"),
        ({}, "total"),
        ({"arrows": "10 9 9"}, "arrows"),
        ({"total": "28"}, "total"),
        ({"total": 28, "colour": "gold"}, "colour"),
    ],
)
def test_an_end_that_cannot_be_used_is_422(
    client: FlaskClient, entry: dict[str, Any], field: str, check: Any
) -> None:
    match = start(client)
    response = check(
        client.post(f"/api/v1/matches/{match['id']}/ends", json=entry),
        "POST",
        "/api/v1/matches/{match_id}/ends",
    )
    assert response.status_code == 422
    assert field in error_of(response)["fields"]
    assert client.get(f"/api/v1/matches/{match['id']}").json["version"] == 1


def test_a_stale_version_is_a_conflict_with_the_match(
    client: FlaskClient, check: Any
) -> None:
    match = start(client)
    url = f"/api/v1/matches/{match['id']}/ends"
    assert client.post(url, json={"total": 20, "version": 1}).status_code == 200
    for request in (
        {"json": {"total": 22, "version": 1}},
        {"json": {"total": 22}, "headers": {"If-Match": '"1"'}},
        {"json": {"total": 22, "end": 1}},
    ):
        response = check(
            client.post(url, **request), "POST", "/api/v1/matches/{match_id}/ends"
        )
        assert response.status_code == 409
        assert response.headers["ETag"] == '"2"'
        assert response.json["match"]["version"] == 2
        assert response.json["match"]["ends"][0]["archer"]["total"] == 20
        assert len(response.json["match"]["ends"]) == 1
    ok = client.post(url, json={"total": 22}, headers={"If-Match": 'W/"2"'})
    assert ok.status_code == 200
    bad = client.post(url, json={"total": 22}, headers={"If-Match": "two"})
    assert bad.status_code == 400
    assert "If-Match" in error_of(bad)["fields"]


def test_racing_writes_one_wins_the_other_gets_409(
    client: FlaskClient, app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two entries read the same version at once (two tabs): the store takes
    one, the other is refused with the match as it stands, never lost."""
    match = start(client)
    url = f"/api/v1/matches/{match['id']}/ends"
    both_read = threading.Barrier(2, timeout=10)
    real_load = stored.load

    readers = iter(range(2))

    def load_then_wait(match_id: str, owner: stored.Owner) -> Any:
        found = real_load(match_id, owner)
        if next(readers, None) is not None:  # the two entries, not a re-read
            both_read.wait()
        return found

    monkeypatch.setattr(stored, "load", load_then_wait)
    answers: list[TestResponse] = []

    def enter(total: int) -> None:
        answers.append(client.post(url, json={"total": total}))

    threads = [threading.Thread(target=enter, args=(t,)) for t in (21, 22)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    monkeypatch.setattr(stored, "load", real_load)
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [200, 409]
    won = next(a for a in answers if a.status_code == 200).json
    lost = next(a for a in answers if a.status_code == 409).json
    assert lost["match"]["ends"] == won["ends"]
    final = client.get(f"/api/v1/matches/{match['id']}").json
    assert len(final["ends"]) == 1
    assert final["ends"] == won["ends"]


def test_correcting_the_last_end(client: FlaskClient, check: Any) -> None:
    match = start(client)
    base = f"/api/v1/matches/{match['id']}"
    nothing = client.post(f"{base}/correction", json={"total": 20})
    assert nothing.status_code == 409
    client.post(f"{base}/ends", json={"total": 20})
    client.post(f"{base}/ends", json={"total": 21})
    wrong_end = client.post(f"{base}/correction", json={"total": 25, "end": 1})
    assert wrong_end.status_code == 409
    assert "end 2" in error_of(wrong_end)["message"]
    response = check(
        client.post(f"{base}/correction", json={"arrows": ["9", "9", "8"], "end": 2}),
        "POST",
        "/api/v1/matches/{match_id}/correction",
    )
    assert response.status_code == 200
    assert response.json["ends"][1]["archer"]["total"] == 26
    assert len(response.json["ends"]) == 2


def _play_to_a_shoot_off(client: FlaskClient) -> str:
    match = start(client, **PERFECT)
    for number in range(1, 6):
        answer = client.post(
            f"/api/v1/matches/{match['id']}/ends",
            json={"arrows": ["X", "X", "X"], "end": number},
        )
        assert answer.status_code == 200
    assert answer.json["status"] == "shoot_off"
    assert answer.json["set_points"] == {"archer": 5, "ghost": 5}
    assert answer.json["next"]["action"] == "shoot_off"
    return str(match["id"])


def test_a_shoot_off_to_the_end(client: FlaskClient, check: Any) -> None:
    match_id = _play_to_a_shoot_off(client)
    url = f"/api/v1/matches/{match_id}/shoot-off"
    missing = client.post(url, json={})
    assert missing.status_code == 422
    assert "arrow" in error_of(missing)["fields"]
    tied = check(
        client.post(url, json={"arrow": "X"}),
        "POST",
        "/api/v1/matches/{match_id}/shoot-off",
    )
    assert tied.json["next"]["action"] == "closer"
    assert tied.json["shoot_offs"] == [
        {"archer": "X", "ghost": "X", "closer": None, "result": None}
    ]
    assert client.post(url, json={"arrow": "X"}).status_code == 422  # say who
    decided = client.post(url, json={"closer": "archer"})
    assert decided.status_code == 200
    body = decided.json
    assert body["status"] == "won"
    assert body["reason"] == "shoot-off"
    assert body["finished"] is True
    assert isinstance(body["seed"], int)  # shown once it is over
    again = client.post(url, json={"arrow": "X"})
    assert again.status_code == 409


def test_a_finished_match_cannot_be_corrected(client: FlaskClient) -> None:
    match = start(client, **PERFECT)
    base = f"/api/v1/matches/{match['id']}"
    for _ in range(3):
        client.post(f"{base}/ends", json={"arrows": ["1", "1", "1"]})
    assert client.get(base).json["status"] == "lost"  # 0-6
    response = client.post(f"{base}/correction", json={"arrows": ["X", "X", "X"]})
    assert response.status_code == 409
    assert "over" in error_of(response)["message"]
    assert response.json["match"]["status"] == "lost"
    assert client.post(f"{base}/ends", json={"total": 30}).status_code == 409


def test_odds_are_the_sheets(client: FlaskClient, app: Flask, check: Any) -> None:
    match = start(client, handicap=40, seed=3)
    client.post(f"/api/v1/matches/{match['id']}/ends", json={"total": 27})
    response = check(
        client.get(f"/api/v1/matches/{match['id']}/odds"),
        "GET",
        "/api/v1/matches/{match_id}/odds",
    )
    sheet = build_sheet(Match.from_dict(_state(app, match["id"])))
    assert sheet.odds is not None
    assert response.json["win"] == pytest.approx(sheet.odds.win)
    assert response.json["win"] + response.json["loss"] == pytest.approx(1)
    assert response.json["needed"] == sheet.needed
    assert response.json["version"] == 2


# -- history ---------------------------------------------------------------------


def test_history_needs_an_archer(client: FlaskClient, check: Any) -> None:
    response = check(client.get("/api/v1/history"), "GET", "/api/v1/history")
    assert response.status_code == 401
    bad_filter = client.get("/api/v1/history?bow=crossbow")
    assert bad_filter.status_code == 401  # who first, then what


def test_history_lists_the_archers_matches(
    client: FlaskClient, app: Flask, token: str, check: Any
) -> None:
    auth = bearer(token)
    first = start(client, auth, kind="ranking", round="wa18", handicap=30)
    start(client, auth, bow="compound", kind="cumulative", handicap=20)
    start(app.test_client(), handicap=10)  # someone else's
    response = check(
        client.get("/api/v1/history", headers=auth), "GET", "/api/v1/history"
    )
    body = response.json
    assert body["total"] == 2
    assert body["pages"] == 1
    assert {m["kind"] for m in body["matches"]} == {"ranking", "cumulative"}
    assert all(m["set_points"] is None for m in body["matches"])
    sets = start(client, auth, kind="set", ghost="preset", preset="perfect")
    for _ in range(3):
        client.post(
            f"/api/v1/matches/{sets['id']}/ends",
            json={"arrows": ["9", "9", "9"]},
            headers=auth,
        )
    listed = client.get("/api/v1/history?per_page=50", headers=auth).json
    (lost,) = [m for m in listed["matches"] if m["id"] == sets["id"]]
    assert lost["set_points"] == {"archer": 0, "ghost": 6}
    filtered = client.get("/api/v1/history?round=wa18&per_page=1", headers=auth).json
    assert [m["id"] for m in filtered["matches"]] == [first["id"]]
    assert filtered["matches"][0]["what"] == "WA 18m"
    paged = client.get("/api/v1/history?per_page=1&page=2", headers=auth).json
    assert paged["page"] == 2
    assert paged["pages"] == 3
    beyond = client.get("/api/v1/history?page=4&per_page=1", headers=auth)
    assert beyond.status_code == 404
    wrong = check(
        client.get("/api/v1/history?bow=crossbow&ghost=ogre", headers=auth),
        "GET",
        "/api/v1/history",
    )
    assert wrong.status_code == 400
    assert set(error_of(wrong)["fields"]) == {"bow", "ghost"}
    dates = client.get("/api/v1/history?since=yesterday&until=2026-02-30", headers=auth)
    assert dates.status_code == 400
    assert set(error_of(dates)["fields"]) == {"since", "until"}
    assert "2026-05-31" in error_of(dates)["fields"]["since"]
    backwards = client.get(
        "/api/v1/history?since=2026-02-02&until=2026-02-01", headers=auth
    )
    assert backwards.status_code == 400
    assert "comes after" in error_of(backwards)["message"]


def test_one_history_match_with_its_chances(
    client: FlaskClient, token: str, check: Any
) -> None:
    auth = bearer(token)
    match = start(client, auth, **PERFECT)
    for _ in range(3):
        client.post(
            f"/api/v1/matches/{match['id']}/ends", json={"total": 10}, headers=auth
        )
    response = check(
        client.get(f"/api/v1/history/{match['id']}", headers=auth),
        "GET",
        "/api/v1/history/{match_id}",
    )
    body = response.json
    assert body["match"]["status"] == "lost"
    assert [c["after"] for c in body["win_chances"]] == [
        "start",
        "end 1",
        "end 2",
        "end 3",
    ]
    assert body["win_chances"][-1]["win"] == 0
    anonymous = start(client)
    assert (
        client.get(f"/api/v1/history/{anonymous['id']}", headers=auth).status_code
        == 404
    )


# -- the session's writes need the CSRF header ------------------------------------


@pytest.fixture
def csrf_app(data_dir: Path) -> Flask:
    return create_app(
        {"TESTING": True, "DATA_DIR": str(data_dir), "WTF_CSRF_ENABLED": True}
    )


def test_a_cookie_write_needs_the_csrf_header(csrf_app: Flask) -> None:
    client = csrf_app.test_client()
    csrf = client.get("/api/v1/me").json["csrf_token"]
    refused = client.post("/api/v1/matches", json={"handicap": 30})
    assert refused.status_code == 403
    assert "X-CSRFToken" in error_of(refused)["message"]
    # A cross-site form posts a cookie but cannot set a header.
    form = client.post("/api/v1/matches", data={"handicap": "30"})
    assert form.status_code == 403
    made = client.post(
        "/api/v1/matches", json={"handicap": 30}, headers={"X-CSRFToken": csrf}
    )
    assert made.status_code == 201
    assert (
        client.get(made.json["links"]["self"]).status_code == 200
    )  # reading needs none


def test_a_token_write_needs_no_csrf(csrf_app: Flask) -> None:
    token = make_token(csrf_app, make_archer(csrf_app))
    client = csrf_app.test_client()
    assert (
        client.post("/api/v1/matches", json={}, headers=bearer(token)).status_code
        == 201
    )


def test_the_forms_keep_their_csrf_check(csrf_app: Flask) -> None:
    client = csrf_app.test_client()
    assert client.post("/matches", data={"handicap": "30"}).status_code == 400


# -- errors in one shape -----------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"),
    [
        ("GET", "/api/v1/nothing-here", {}, 404),
        ("GET", "/api/v2/rounds", {}, 404),
        ("GET", "/api/", {}, 404),
        ("DELETE", "/api/v1/rounds", {}, 405),
        ("OPTIONS", "/api/v1/matches", {}, 405),
        ("GET", "/api/v1/matches", {}, 405),
        (
            "POST",
            "/api/v1/matches",
            {"data": "{not json", "content_type": "application/json"},
            400,
        ),
        (
            "POST",
            "/api/v1/matches",
            {"data": "[1, 2]", "content_type": "application/json"},
            400,
        ),
        (
            "POST",
            "/api/v1/matches",
            {"data": '"text"', "content_type": "application/json"},
            400,
        ),
        (
            "POST",
            "/api/v1/matches",
            {"data": "", "content_type": "application/json"},
            400,
        ),
        (
            "POST",
            "/api/v1/matches",
            {"data": '{"handicap": NaN}', "content_type": "application/json"},
            400,
        ),
        (
            "POST",
            "/api/v1/matches",
            {"data": "[" * 100000, "content_type": "application/json"},
            400,
        ),
        ("POST", "/api/v1/matches", {"data": "handicap=30"}, 415),
        (
            "POST",
            "/api/v1/matches",
            {"data": "x" * (1024 * 1024 + 1), "content_type": "application/json"},
            413,
        ),
        ("POST", "/api/v1/matches", {"json": {"kind": "duel"}}, 422),
        ("GET", "/api/expected?handicap=oops", {}, 400),
    ],
)
def test_every_error_has_the_one_shape(
    client: FlaskClient, method: str, path: str, kwargs: dict[str, Any], status: int
) -> None:
    response = client.open(path, method=method, **kwargs)
    assert response.status_code == status
    assert response.content_type == "application/json"
    error = error_of(response)
    assert set(error) <= {"code", "name", "message", "fields", "request_id"}
    assert "Traceback" not in error["message"]
    if status == 405:
        assert response.headers["Allow"]


def test_the_pages_keep_their_html_errors(client: FlaskClient) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response.content_type.startswith("text/html")


def test_an_unexpected_error_is_a_json_500(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = create_app({"DATA_DIR": str(data_dir), "WTF_CSRF_ENABLED": False})

    def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("the disk is on fire")

    monkeypatch.setattr(shapes, "round_summary", broken)
    response = app.test_client().get("/api/v1/rounds")
    assert response.status_code == 500
    error = error_of(response)
    assert "fire" not in error["message"]
    assert "try again" in error["message"]
    assert error["request_id"] == response.headers["X-Request-ID"]
    assert error["request_id"] in error["message"]


def test_starting_matches_is_throttled_with_the_form(
    data_dir: Path, check: Any
) -> None:
    app = create_app(
        {
            "TESTING": True,
            "DATA_DIR": str(data_dir),
            "WTF_CSRF_ENABLED": False,
            "MATCH_CREATION_LIMIT": "3 per minute",
        }
    )
    client = app.test_client()
    assert client.post("/matches", data={"handicap": "30"}).status_code == 303
    assert client.post("/api/v1/matches", json={}).status_code == 201
    refused = client.post("/api/v1/matches", json={"kind": "duel"})
    assert refused.status_code == 422  # refusals do not count
    assert client.post("/api/v1/matches", json={}).status_code == 201
    response = check(client.post("/api/v1/matches", json={}), "POST", "/api/v1/matches")
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) >= 1
    assert "Retry-After" in error_of(response)["message"]
    assert client.get("/api/v1/rounds").status_code == 200  # reading goes on


def test_answers_are_not_cached(client: FlaskClient) -> None:
    response = client.get("/api/v1/me")
    assert response.headers["Cache-Control"] == "no-store"
    assert "Authorization" in response.headers["Vary"]


# -- the document and the checks agree (what schemathesis found) ---------------------


def _operation(client: FlaskClient, path: str, method: str) -> dict[str, Any]:
    document = client.get("/api/openapi.json").json
    assert document is not None
    return dict(document["paths"][path][method])


def _body_schema(client: FlaskClient, name: str) -> dict[str, Any]:
    document = client.get("/api/openapi.json").json
    assert document is not None
    return dict(document["components"]["schemas"][name])


@pytest.mark.parametrize("action", ["ends", "correction"])
def test_an_entry_needs_its_arrows_or_its_total(
    client: FlaskClient, token: str, action: str
) -> None:
    schema = _body_schema(client, "EndEntry")
    assert schema["anyOf"] == [{"required": ["arrows"]}, {"required": ["total"]}]
    match = start(client, bearer(token))
    for body in ({}, {"version": 1}, {"end": 1}):
        response = client.post(
            f"/api/v1/matches/{match['id']}/{action}", json=body, headers=bearer(token)
        )
        assert response.status_code == 422
        fields = error_of(response)["fields"]
        assert fields["arrows"] == fields["total"] == "Give one of arrows, total."


def test_a_classification_ghost_is_for_a_ranking_round(
    client: FlaskClient, token: str
) -> None:
    schema = _body_schema(client, "Setup")
    assert schema["if"]["properties"]["ghost"] == {"const": "classification"}
    assert schema["then"]["properties"]["kind"]["enum"] == ["ranking", "half"]
    for body in (
        {"ghost": "classification"},
        {"ghost": "classification", "kind": "set"},
    ):
        response = client.post("/api/v1/matches", json=body, headers=bearer(token))
        assert response.status_code == 422
        assert "kind" in error_of(response)["fields"]


def test_a_match_has_no_half(client: FlaskClient) -> None:
    response = client.get("/api/v1/rounds/match_recurve_outdoor?half=true")
    assert response.status_code == 404
    assert "A match has no half" in error_of(response)["message"]
    operation = _operation(client, "/api/v1/rounds/{code}", "get")
    (half,) = [p for p in operation["parameters"] if p["name"] == "half"]
    assert "a match has none, 404" in half["description"]


@pytest.mark.parametrize("code", ["0", "no_such_round", "wa18:half", "custom"])
def test_filtering_the_history_by_a_round_never_shot_gives_an_empty_page(
    client: FlaskClient, token: str, code: str
) -> None:
    start(client, bearer(token))
    response = client.get(
        "/api/v1/history", query_string={"round": code}, headers=bearer(token)
    )
    assert response.status_code == 200, response.text
    assert response.json["matches"] == []  # type: ignore[index]


@pytest.mark.parametrize("text", ["\x00", "ß", "İx", "ﬀ", "٣", "🏹", "a\u0301", "%ff"])
def test_any_search_text_is_a_search(client: FlaskClient, text: str) -> None:
    response = client.get("/api/v1/rounds", query_string={"q": text})
    assert response.status_code == 200
    assert response.json["count"] == len(response.json["rounds"])  # type: ignore[index]


def test_an_end_in_the_order_shot_keeps_it(
    app: Flask, client: FlaskClient, token: str
) -> None:
    match = start(client, bearer(token), kind="set", bow="recurve")
    url = f"/api/v1/matches/{match['id']}/ends"
    sent = client.post(
        url, json={"arrows": ["7", "X", "9"], "in_order": True}, headers=bearer(token)
    )
    assert sent.status_code in (200, 201), sent.json
    with app.app_context():
        from ghost_simulator.store import get_session
        from ghost_simulator.store.models import Match as Row

        row = get_session().get(Row, match["id"])
        assert row is not None
        assert row.state["archer_ends"] == [["7", "X", "9"]]
        assert row.state["in_order"] == [0]
    refused = client.post(
        url, json={"arrows": ["9"] * 3, "in_order": "maybe"}, headers=bearer(token)
    )
    assert refused.status_code in (400, 422)


def test_a_ghost_that_feels_pressure_through_the_api(
    client: FlaskClient, token: str
) -> None:
    match = start(client, bearer(token), kind="set", handicap=30, pressure=True)
    assert match["ghost"]["label"].endswith("feels pressure")
    refused = client.post(
        "/api/v1/matches",
        json={"kind": "cumulative", "bow": "compound", "pressure": True},
        headers=bearer(token),
    )
    assert refused.status_code == 422
    assert "pressure" in error_of(refused)["fields"]
