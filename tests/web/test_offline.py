"""Offline play, server side: the ghost's plan in the match page, the service
worker's route, and ends sent with an idempotency key."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

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
        if tag in ("script", "style"):
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
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
