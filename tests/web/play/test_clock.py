"""The shooting clock's part of the match page, server side: hidden until its
script shows it, its strings from the translation layer, no inline script or
style, and absent once the match is over. (Its timing: tests/browser.)"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from flask.testing import FlaskClient

import ghost_simulator

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


class ClockPart(HTMLParser):
    """The clock's section: its attributes, and every tag inside it."""

    def __init__(self) -> None:
        super().__init__()
        self.section: dict[str, str | None] | None = None
        self.inside: list[tuple[str, dict[str, str | None]]] = []
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "section" and "data-clock" in found:
            self.section = found
            self._depth = 1
            return
        if self._depth:
            self.inside.append((tag, found))
            if tag == "section":
                self._depth += 1

    def handle_endtag(self, tag: str) -> None:
        if self._depth and tag == "section":
            self._depth -= 1


def clock_of(page: str) -> ClockPart:
    part = ClockPart()
    part.feed(page)
    return part


def test_the_clock_waits_hidden_for_its_script(client: FlaskClient) -> None:
    page = client.get(start(client)).text
    part = clock_of(page)
    assert part.section is not None
    assert "hidden" in part.section  # nothing of it works without the script
    assert part.section["data-kind"] == "set"
    assert re.fullmatch(
        r"/static/js/clock-core\.js\?v=\w+", part.section["data-core"] or ""
    )
    assert re.search(r'<script type="module" src="/static/js/clock\.js\?v=\w+">', page)
    assert re.search(r'<link rel="stylesheet" href="/static/clock\.css\?v=\w+">', page)
    toggle = [attrs for _, attrs in part.inside if "data-clock-toggle" in attrs]
    assert len(toggle) == 1
    assert "checked" not in toggle[0]  # off unless this device said on
    assert all("style" not in attrs for _, attrs in part.inside)
    assert all(not name.startswith("on") for _, attrs in part.inside for name in attrs)


def test_every_string_it_shows_comes_from_the_page(client: FlaskClient) -> None:
    section = clock_of(client.get(start(client)).text).section
    assert section is not None
    strings = {k: v for k, v in section.items() if k.startswith("data-t-")}
    assert strings["data-t-walk-up"] == "To the line"
    assert strings["data-t-warn"] == "30 seconds left"
    assert strings["data-t-ghost-arrow"] == "The ghost's arrow: {value}."
    assert strings["data-t-your-turn"] == "Your arrow {n}"
    assert all(strings.values())
    # Every data-t-* the script asks for is on the page.
    script = Path(ghost_simulator.__file__).parent / "static" / "js" / "clock.js"
    asked = set(re.findall(r'text\("([a-z-]+)"', script.read_text()))
    assert asked
    assert {f"data-t-{name}" for name in asked} <= set(strings)


def test_a_ranking_round_and_a_finished_match(client: FlaskClient) -> None:
    ranking = start(client, kind="ranking", indoor="1")
    section = clock_of(client.get(ranking).text).section
    assert section is not None
    assert section["data-kind"] == "ranking"
    finished = start(client, ghost="preset", preset="perfect")
    for _ in range(3):
        client.post(finished + "/ends", data={"arrow": ["9", "9", "9"]})
    page = client.get(finished).text
    assert "The ghost wins." in page
    assert clock_of(page).section is None  # nothing left to time
    assert "clock.js" not in page
