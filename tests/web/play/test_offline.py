"""Offline play, server side: the ghost's plan in the match page, the service
worker's route, and ends sent with an idempotency key."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from flask import Flask
from flask.testing import FlaskClient

from ghost_simulator.engine import Match
from ghost_simulator.store import get_session
from ghost_simulator.store.models import Match as MatchRow

FETCH = {"X-Requested-With": "fetch"}
SETUP = {
    "kind": "set",
    "bow": "recurve",
    "indoor": "0",
    "ghost": "handicap",
    "handicap": "30",
}


def start(client: FlaskClient, **fields: str) -> str:
    response = client.post("/matches", data={**SETUP, **fields})
    assert response.status_code == 303, response.text
    return str(response.headers["Location"])


def plan_of(page: str) -> dict:  # type: ignore[type-arg]
    found = re.search(
        r'<script type="application/json" id="ghost-plan">(.*?)</script>', page, re.S
    )
    assert found is not None, "no ghost plan in the page"
    return json.loads(found.group(1))  # type: ignore[no-any-return]


class VisibleText(HTMLParser):
    """The text a reader sees: none of a script's or a data block's."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "template"):
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def stored_match(app: Flask, url: str) -> Match:
    with app.app_context():
        row = get_session().get(MatchRow, url.rsplit("/", 1)[1])
        assert row is not None
        return Match.from_dict(row.state)


# -- the ghost's plan ----------------------------------------------------------------


def test_the_plan_holds_the_engines_arrows_for_the_whole_match(
    client: FlaskClient,
) -> None:
    url = start(client, seed="12345")
    plan = plan_of(client.get(url).text)
    match = stored_match(client.application, url)
    ghost = match.ghost.shoot(match.round, match.seed, shoot_off_arrows=10)
    assert plan["version"] == 1
    assert plan["kind"] == "set"
    assert plan["ends"] == [end.labels for end in ghost.ends]
    assert len(plan["ends"]) == 5
    assert plan["end_totals"] == [end.total for end in ghost.ends]
    assert plan["shoot_off"] == [[a.label] for a in ghost.shoot_off]
    assert len(plan["shoot_off"]) == 10
    # The engine's own first shoot-off arrows are the plan's (the same stream).
    assert [a.label for a in match.ghost_round.shoot_off] == [
        s[0] for s in plan["shoot_off"][: len(match.ghost_round.shoot_off)]
    ]
    assert plan["end_sizes"] == [3] * 5
    face = plan["faces"][plan["end_faces"][0]]
    assert face["labels"][0] == "X"
    assert face["values"]["X"] == 10
    assert face["values"]["M"] == 0
    assert plan["points_to_win"] == 6


def test_the_plan_follows_the_version_and_ends_with_the_match(
    client: FlaskClient,
) -> None:
    url = start(client, seed="7")
    client.post(url + "/ends", data={"arrow": ["9", "9", "9"]})
    plan = plan_of(client.get(url).text)
    assert plan["version"] == 2
    fragment = client.post(
        url + "/ends", data={"arrow": ["9", "9", "9"]}, headers=FETCH
    ).text
    assert plan_of(fragment)["version"] == 3
    assert plan_of(fragment)["ends"] == plan["ends"]


def test_a_ranking_round_plans_every_end_and_no_shoot_off(
    client: FlaskClient,
) -> None:
    url = start(client, kind="half", round="wa1440_90", seed="99")
    plan = plan_of(client.get(url).text)
    match = stored_match(client.application, url)
    assert plan["ends"] == [end.labels for end in match.ghost_round.ends]
    assert len(plan["ends"]) == len(match.round.end_plan())
    assert plan["shoot_off"] == []
    assert plan["shoot_off_face"] is None
    for index, face in enumerate(plan["end_faces"]):
        assert plan["faces"][face]["labels"] == list(match.face_for_end(index).labels)


def test_the_ghosts_ends_are_not_shown_before_the_archers(
    client: FlaskClient,
) -> None:
    url = start(client, seed="4242")
    page = client.get(url).text
    plan = plan_of(page)
    visible = VisibleText()
    visible.feed(page)
    text = " ".join(visible.parts)
    assert "Score sheet" not in text
    assert 'class="arrow' not in page.replace(page[page.index('id="ghost-plan"') :], "")
    client.post(url + "/ends", data={"arrow": ["9", "9", "9"]})
    page = client.get(url).text
    shown = re.findall(r'<td class="arrows">(.*?)</td>', page)
    assert len(shown) == 2  # the archer's end and the ghost's first: no more
    assert all(f">{label}<" in shown[1] for label in plan["ends"][0])


def test_a_finished_match_has_no_plan(client: FlaskClient) -> None:
    url = start(client, ghost="minmax", handicap="", min_end="0", max_end="3", seed="1")
    for _ in range(3):
        client.post(url + "/ends", data={"arrow": ["X", "X", "X"]})
    page = client.get(url).text
    assert "You win!" in page
    assert 'id="ghost-plan"' not in page


# -- ends sent with an idempotency key -----------------------------------------------

KEY = "k" * 20


def stored_keys(app: Flask, url: str) -> list[tuple[str, int]]:
    from sqlalchemy import select

    from ghost_simulator.store.models import EndKey

    with app.app_context():
        rows = get_session().execute(
            select(EndKey.key, EndKey.end_number)
            .where(EndKey.match_id == url.rsplit("/", 1)[1])
            .order_by(EndKey.end_number)
        )
        return [(row.key, row.end_number) for row in rows]


def test_the_same_key_twice_enters_one_end(client: FlaskClient) -> None:
    url = start(client, seed="11")
    end = {"arrow": ["9", "9", "8"], "end": "1", "version": "1", "idempotency_key": KEY}
    first = client.post(url + "/ends", data=end, headers=FETCH)
    assert first.status_code == 200
    again = client.post(url + "/ends", data=end, headers=FETCH)
    assert again.status_code == 200  # the sheet as it stands: no 409, no error
    assert 'role="alert"' not in again.text
    assert plan_of(again.text)["version"] == 2
    match = stored_match(client.application, url)
    assert match.ends_shot == 1
    assert match.archer_ends[0].labels == ["9", "9", "8"]
    assert stored_keys(client.application, url) == [(KEY, 1)]
    # Without the page's script: the repeat redirects to the match, as a save.
    plain = client.post(url + "/ends", data=end)
    assert plain.status_code == 303
    assert stored_match(client.application, url).ends_shot == 1


def test_different_keys_enter_two_ends(client: FlaskClient) -> None:
    url = start(client, seed="12")
    for number, key in enumerate(("a" * 16, "b" * 16), 1):
        data = {
            "arrow": ["10", "9", "9"],
            "end": str(number),
            "version": str(number),
            "idempotency_key": key,
        }
        assert client.post(url + "/ends", data=data, headers=FETCH).status_code == 200
    assert stored_match(client.application, url).ends_shot == 2
    assert stored_keys(client.application, url) == [("a" * 16, 1), ("b" * 16, 2)]


def test_a_key_belongs_to_its_match(client: FlaskClient) -> None:
    first, second = start(client, seed="13"), start(client, seed="14")
    end = {"arrow": ["8", "8", "8"], "idempotency_key": KEY}
    assert client.post(first + "/ends", data=end, headers=FETCH).status_code == 200
    assert client.post(second + "/ends", data=end, headers=FETCH).status_code == 200
    assert stored_match(client.application, first).ends_shot == 1
    assert stored_match(client.application, second).ends_shot == 1


def test_a_repeated_key_after_a_later_end_changes_nothing(client: FlaskClient) -> None:
    url = start(client, seed="15")
    end = {"arrow": ["7", "7", "7"], "end": "1", "version": "1", "idempotency_key": KEY}
    client.post(url + "/ends", data=end, headers=FETCH)
    client.post(url + "/ends", data={"arrow": ["6", "6", "6"]}, headers=FETCH)
    again = client.post(url + "/ends", data=end, headers=FETCH)
    assert again.status_code == 200  # not "changed in another window"
    match = stored_match(client.application, url)
    assert [e.labels for e in match.archer_ends] == [["7", "7", "7"], ["6", "6", "6"]]


@pytest.mark.parametrize(
    "key", ["short", "x" * 65, "has space in it 123", "ünïcödé-key-123456", "a/b" * 8]
)
def test_bad_keys_are_refused_with_a_message(client: FlaskClient, key: str) -> None:
    url = start(client, seed="16")
    response = client.post(
        url + "/ends", data={"arrow": ["9", "9", "9"], "idempotency_key": key}
    )
    assert response.status_code == 400
    assert "16 to 64 letters" in response.text
    assert stored_match(client.application, url).ends_shot == 0


def test_a_key_on_another_archers_match_is_not_found(app: Flask) -> None:
    mine, theirs = app.test_client(), app.test_client()
    url = start(mine, seed="17")
    end = {"arrow": ["9", "9", "9"], "idempotency_key": KEY}
    assert mine.post(url + "/ends", data=end, headers=FETCH).status_code == 200
    assert theirs.post(url + "/ends", data=end, headers=FETCH).status_code == 404


def test_a_key_and_an_out_of_date_version_still_conflict(client: FlaskClient) -> None:
    url = start(client, seed="18")
    client.post(url + "/ends", data={"arrow": ["9", "9", "9"]})  # another tab
    end = {"arrow": ["8", "8", "8"], "end": "1", "version": "1", "idempotency_key": KEY}
    response = client.post(url + "/ends", data=end, headers=FETCH)
    assert response.status_code == 409
    assert "changed in another window" in response.text
    assert stored_keys(client.application, url) == []


def test_a_racing_save_with_a_stored_key_writes_nothing(client: FlaskClient) -> None:
    """Two requests with one key that both read the match before either saved:
    the second save finds the key under the write lock and stores nothing."""
    from ghost_simulator.store import matches as stored

    url = start(client, seed="19")
    match_id = url.rsplit("/", 1)[1]
    app = client.application
    with app.test_request_context():
        owner_row = get_session().get(MatchRow, match_id)
        assert owner_row is not None
        owner = stored.Owner(owner_row.owner_key)
        found = stored.load(match_id, owner)
        assert found is not None
        match = Match.from_dict(found.state)
        match.add_end(["9", "9", "9"])
        args = (match.to_dict(), match.verdict().status, match.summary())
        assert stored.save(match_id, owner, *args, version=1, end_key=KEY) == 2
        with pytest.raises(stored.Repeated) as raised:
            stored.save(match_id, owner, *args, version=1, end_key=KEY)
        assert raised.value.end_number == 1
        with pytest.raises(stored.Repeated):  # even at the current version
            stored.save(match_id, owner, *args, version=2, end_key=KEY)
        assert stored.load(match_id, owner).version == 2  # type: ignore[union-attr]
        assert stored.end_keys(match_id, owner) == [KEY]
        assert stored.end_keys(match_id, stored.Owner("someone else")) == []


# -- the service worker and the pages it keeps ---------------------------------------


def test_the_service_worker_is_served_from_the_root(client: FlaskClient) -> None:
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response.headers["Cache-Control"]
    first = response.text.splitlines()[0]
    assert first.startswith("self.GHOST_SW = ")
    config = json.loads(first.removeprefix("self.GHOST_SW = ").rstrip(";"))
    assert config["offline"] == "/offline"
    for url in config["static"]:  # every file it precaches exists
        # versioned, or a module's plain address (modules import by it)
        assert "?v=" in url or url.endswith(".js")
        file = client.get(url)
        file.close()
        assert file.status_code == 200
    assert 'addEventListener("fetch"' in response.text


def test_pages_say_whose_they_are(app: Flask) -> None:
    one, other = app.test_client(), app.test_client()
    anonymous = one.get("/about").headers["X-Offline-Scope"]
    assert other.get("/about").headers["X-Offline-Scope"] == anonymous
    url = start(one)  # the browser now has a key of its own
    mine = one.get(url).headers["X-Offline-Scope"]
    assert mine != anonymous
    assert one.get("/").headers["X-Offline-Scope"] == mine
    assert "X-Offline-Scope" not in one.get("/sw.js").headers
    start(other)
    assert other.get("/").headers["X-Offline-Scope"] not in (mine, anonymous)


def test_the_offline_page_speaks_the_archers_language(client: FlaskClient) -> None:
    response = client.get("/offline")
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "en"
    assert "No network" in response.text
    client.get("/language/es")
    spanish = client.get("/offline")
    assert spanish.headers["Content-Language"] == "es"


def test_the_manifest_makes_it_installable(client: FlaskClient) -> None:
    manifest = client.get("/manifest.webmanifest").get_json()
    assert manifest["name"]
    assert manifest["short_name"]
    assert manifest["display"] == "standalone"
    assert manifest["start_url"] == "/"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        file = client.get(icon["src"])
        file.close()
        assert file.status_code == 200


def test_the_state_a_page_syncs_from(client: FlaskClient) -> None:
    url = start(client, seed="20")
    end = {"arrow": ["9", "9", "9"], "idempotency_key": KEY}
    client.post(url + "/ends", data=end, headers=FETCH)
    response = client.get(url + "/offline-state")
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    state = response.get_json()
    assert state["version"] == 2
    assert state["ends_shot"] == 1
    assert state["keys"] == [KEY]
    assert state["csrf_token"]


def test_another_browsers_match_state_is_not_found(app: Flask) -> None:
    url = start(app.test_client())
    response = app.test_client().get(url + "/offline-state")
    assert response.status_code == 404
    assert "keys" not in response.get_json()


# -- the API's Idempotency-Key --------------------------------------------------------


def test_the_api_enters_an_end_once_per_idempotency_key(app: Flask) -> None:
    import schemathesis

    from ghost_simulator.web.api.openapi import document

    from ..api.test_api import bearer, error_of, make_archer, make_token

    schema = schemathesis.openapi.from_dict(document())
    operation = schema["/api/v1/matches/{match_id}/ends"]["POST"]
    client = app.test_client()
    headers = bearer(make_token(app, make_archer(app)))
    created = client.post(
        "/api/v1/matches", json={"kind": "set", "handicap": 30}, headers=headers
    )
    match_id = created.json["id"]  # type: ignore[index]
    path = f"/api/v1/matches/{match_id}/ends"
    keyed = {**headers, "Idempotency-Key": KEY}
    first = client.post(path, json={"arrows": ["9", "9", "9"]}, headers=keyed)
    assert first.status_code == 200
    operation.validate_response(first)
    again = client.post(path, json={"arrows": ["9", "9", "9"], "end": 1}, headers=keyed)
    assert again.status_code == 200  # the match as it stands, not a 409
    operation.validate_response(again)
    assert len(again.json["ends"]) == 1  # type: ignore[index]
    assert again.json["version"] == first.json["version"]  # type: ignore[index]
    other = {**headers, "Idempotency-Key": "another-key-1234"}
    assert client.post(path, json={"total": 20}, headers=other).status_code == 200
    plain = client.post(path, json={"total": 20}, headers=headers)  # no key at all
    assert plain.status_code == 200
    assert len(plain.json["ends"]) == 3  # type: ignore[index]
    bad = client.post(
        path, json={"total": 20}, headers={**headers, "Idempotency-Key": "x"}
    )
    assert bad.status_code == 400
    operation.validate_response(bad)
    assert "Idempotency-Key" in error_of(bad)["message"]


def test_what_the_worker_fetches_in_the_background_sets_no_cookie(
    client: FlaskClient,
) -> None:
    """The worker fetches these while the page may be signing in or starting
    a match: a session cookie they refreshed could undo the page's newer one."""
    start(client)  # a session with a key in it
    for path in ("/offline", "/sw.js"):
        response = client.get(path)
        assert response.status_code == 200
        assert "Set-Cookie" not in response.headers
