"""The printable score sheet: every figure on it checked against the engine's
own scoring, for ranking rounds outdoors and indoors, imperial faces, set and
cumulative matches (with a shoot-off), ends typed as totals, matches in
progress; and the match page's visibility rules."""

from __future__ import annotations

import itertools
import random
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from ghost_simulator.engine import Ghost, Match, get_round, match_round
from ghost_simulator.engine.scoring import End, Tally
from ghost_simulator.passwords import hash_password
from ghost_simulator.store import archers
from ghost_simulator.store import matches as stored
from ghost_simulator.web.play.printing import build_score_sheet

from ...sessions import sign_in_as

OWNER_KEY = "this-browser"
DASH = "\u2013"  # between set points


# -- reading the sheet back ------------------------------------------------------------


@dataclass
class Row:
    attrs: dict[str, str]
    cells: dict[str, list[str]] = field(default_factory=dict)

    def one(self, name: str) -> str:
        (value,) = self.cells[name]
        return value

    def number(self, name: str) -> int:
        return int(self.one(name))


@dataclass
class Table:
    section: dict[str, str]
    rows: list[Row] = field(default_factory=list)


class SheetReader(HTMLParser):
    """The sheet's tables, rows and ``data-cell`` values (text)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[Table] = []
        self.section: dict[str, str] = {}
        self.cell: str | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "section":
            self.section = found
        elif tag == "table":
            self.tables.append(Table({**self.section, **found}))
        elif tag == "tr" and self.tables:
            self.tables[-1].rows.append(Row(found))
        elif tag in ("td", "th") and "data-cell" in found:
            self.cell, self.text = found["data-cell"], []

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell is not None:
            row = self.tables[-1].rows[-1]
            row.cells.setdefault(self.cell, []).append("".join(self.text).strip())
            self.cell = None


def read(html: str) -> SheetReader:
    reader = SheetReader()
    reader.feed(html)
    return reader


def distance_tables(reader: SheetReader) -> list[Table]:
    return [t for t in reader.tables if t.section.get("data-testid") == "distance"]


def grand(reader: SheetReader, row: str) -> dict[str, int]:
    table = next(
        t for t in reader.tables if t.section.get("aria-labelledby") == "totals-title"
    )
    found = next(r for r in table.rows if r.attrs.get("data-row") == row)
    return {name: int(values[0]) for name, values in found.cells.items()}


# -- matches to print ----------------------------------------------------------------


def sign_in(app: Flask, client: FlaskClient, username: str, **profile: Any) -> int:
    with app.app_context():
        archer = archers.create(username, hash_password("a long password"))
        if profile:
            archers.update_profile(archer, profile)
        archer_id = archer.id
    sign_in_as(client, archer_id)
    return archer_id


def keep(app: Flask, match: Match, archer_id: int | None = None) -> str:
    """Store the match as this test client's browser (or its archer) would."""
    with app.app_context():
        return stored.create(
            stored.Owner(OWNER_KEY, archer_id),
            match.to_dict(),
            match.verdict().status,
            match.summary(),
        )


def as_this_browser(client: FlaskClient) -> None:
    with client.session_transaction() as session:
        session["owner"] = OWNER_KEY


def shoot_round(match: Match, seed: int, ends: int | None = None) -> Match:
    """The archer's arrows: random values of each end's face (all of them on
    every face, misses included), a few ends typed as totals."""
    rng = random.Random(seed)
    shot = 0
    while match.expected_arrows() and (ends is None or shot < ends):
        size = match.expected_arrows()
        face = match.face_for_end(match.ends_shot)
        labels = list(face.labels)
        weights = [len(labels) - i for i in range(len(labels))]
        match.add_end(rng.choices(labels, weights, k=size))
        shot += 1
    return match


def ranking(code: str, bow: str = "recurve", seed: int = 1) -> Match:
    return Match("ranking", get_round(code, bow=bow), Ghost.from_handicap(30), seed)


def ends_by_distance(match: Match) -> dict[int, list[tuple[int, End]]]:
    grouped: dict[int, list[tuple[int, End]]] = {}
    for number, ((index, _size), end) in enumerate(
        zip(match.round.end_plan(), match.archer_ends, strict=False), 1
    ):
        grouped.setdefault(index, []).append((number, end))
    return grouped


def check_against_engine(html: str, match: Match) -> None:
    """Every end's arrows, total, running total and counts, every distance's
    total, and the grand total, as the engine scores them."""
    reader = read(html)
    tables = distance_tables(reader)
    grouped = ends_by_distance(match)
    # Distances not reached yet have rows to fill in, and nothing else.
    for table in tables[len(grouped) :]:
        assert all(r.attrs.get("class") == "to-shoot" for r in table.rows[1:])
    indoor = match.round.indoor
    shot_tables = tables[: len(grouped)]
    for table, (index, shot) in zip(shot_tables, sorted(grouped.items()), strict=True):
        face = match.round.distances[index].face
        rows = [
            r for r in table.rows if "data-end" in r.attrs and "class" not in r.attrs
        ]
        assert [int(r.attrs["data-end"]) for r in rows] == [n for n, _e in shot]
        running = list(itertools.accumulate(end.total for _n, end in shot))
        for row, (_number, end), so_far in zip(rows, shot, running, strict=True):
            if end.declared is None:
                assert [a for a in row.cells["arrow"] if a] == end.labels
                # Highest first, as an archer writes them.
                assert end.labels == sorted(end.labels, key=face.rank)
            assert row.number("total") == end.total
            assert row.number("running") == so_far
            if end.declared is not None:
                continue
            if face.max_value < 10:
                assert row.number("hits") == end.hits
                assert row.number("golds") == end.golds(face)
            elif indoor:
                assert row.number("tens") == end.tens
                assert row.number("nines") == sum(a.value == 9 for a in end.arrows)
            else:
                assert row.number("tens") == end.tens
                assert row.number("xs") == end.xs
        footer = next(r for r in table.rows if r.attrs.get("data-testid"))
        tally = Tally.of(end for _n, end in shot)
        assert footer.number("total") == tally.total == running[-1]
        if face.max_value >= 10:
            assert footer.number("tens") == tally.tens
    mine = match.archer_tally()
    total = grand(reader, "archer")
    assert (total["total"], total["hits"], total["tens"], total["xs"]) == (
        mine.total,
        mine.hits,
        mine.tens,
        mine.xs,
    )
    theirs = match.ghost_tally()
    ghost = grand(reader, "ghost")
    assert (ghost["total"], ghost["tens"], ghost["xs"]) == (
        theirs.total,
        theirs.tens,
        theirs.xs,
    )


# -- the sheets -------------------------------------------------------------------


def test_wa_1440_every_figure_is_the_engines(app: Flask, client: FlaskClient) -> None:
    archer_id = sign_in(
        app, client, "robin", name="Robin Hood", sex="female", age_class="50+"
    )
    match = shoot_round(ranking("wa1440_70", seed=4), seed=4)
    assert match.verdict().finished
    match_id = keep(app, match, archer_id)
    response = client.get(f"/matches/{match_id}/sheet")
    assert response.status_code == 200
    html = response.text
    check_against_engine(html, match)
    # The header: round, archer, bowstyle, category, every distance and face.
    assert 'data-testid="sheet-round">WA 1440' in html
    assert 'data-testid="sheet-archer">Robin Hood<' in html
    assert "Recurve" in html
    assert "50 and over, female" in html
    for label in ("70 m", "60 m", "50 m", "30 m"):
        assert f"{label} on " in html
    assert "122 cm" in html
    assert "80 cm" in html
    # Four distances, each on a page of its own when printed.
    assert html.count('data-testid="distance"') == 4
    assert html.count("page-break") == 3
    assert "Archer's signature" in html
    assert "Scorer's (witness's) signature" in html
    assert "/static/print.css" in html
    assert "js/print.js" in html
    assert "<script>" not in html  # no inline script: the strict CSP


def test_outdoor_sheet_counts_ten_plus_x_and_x(app: Flask, client: FlaskClient) -> None:
    as_this_browser(client)
    match = shoot_round(ranking("wa720_70", seed=9), seed=9)
    html = client.get(f"/matches/{keep(app, match)}/sheet").text
    check_against_engine(html, match)
    assert ">10+X</th>" in html
    assert ">X</th>" in html
    assert ">9s</th>" not in html  # (not the bare text: a random match id can hold it)
    assert "page-break" not in html  # 72 arrows: no page per distance
    # Played without an account: lines to write the name and category on.
    assert html.count('class="fill-in"') == 2


@pytest.mark.parametrize("bow", ["recurve", "compound"])
def test_indoor_sheet_counts_tens_and_nines(
    app: Flask, client: FlaskClient, bow: str
) -> None:
    as_this_browser(client)
    match = shoot_round(ranking("wa18", bow=bow, seed=3), seed=3)
    html = client.get(f"/matches/{keep(app, match)}/sheet").text
    check_against_engine(html, match)
    assert ">10s</th>" in html
    assert ">9s</th>" in html
    assert ">10+X</th>" not in html
    nines = grand(read(html), "archer")["nines"]
    assert nines == sum(a.value == 9 for e in match.archer_ends for a in e.arrows)
    assert nines > 0


def test_imperial_sheet_counts_hits_and_golds(app: Flask, client: FlaskClient) -> None:
    as_this_browser(client)
    match = shoot_round(ranking("york", seed=5), seed=5)
    html = client.get(f"/matches/{keep(app, match)}/sheet").text
    check_against_engine(html, match)
    assert ">Golds</th>" in html
    assert html.count('data-testid="distance"') == 3
    assert html.count("page-break") == 2  # 144 arrows


def test_set_match_with_a_shoot_off(app: Flask, client: FlaskClient) -> None:
    """Five tied sets (the archer matches the ghost's arrows), 5-5, then a
    shoot-off: the set points, their running total and the shoot-off arrow."""
    as_this_browser(client)
    match = Match("set", match_round("recurve", False), Ghost.from_handicap(25), 7)
    for index in range(5):
        match.add_end(match.ghost_round.ends[index].labels)
    assert match.verdict().status == "shoot_off"
    match.add_shoot_off("X")
    if match.shoot_offs[-1].result is None:  # both 10s: the archer was closer
        match.add_shoot_off("", "archer")
    assert match.verdict().status == "won"
    html = client.get(f"/matches/{keep(app, match)}/sheet").text
    check_against_engine(html, match)
    reader = read(html)
    (table,) = distance_tables(reader)
    rows = [r for r in table.rows if "data-end" in r.attrs]
    assert len(rows) == 5
    for number, row in enumerate(rows, 1):
        ghost = match.ghost_ends[number - 1]
        assert [a for a in row.cells["ghost-arrow"] if a] == ghost.labels
        assert row.number("ghost-total") == ghost.total
        assert row.one("points") == f"1{DASH}1"
        assert row.one("points-running") == f"{number}{DASH}{number}"
    footer = next(r for r in table.rows if r.attrs.get("data-testid"))
    # The shoot-off's winner scores the deciding point: World Archery's 6-5.
    assert footer.one("points-running") == f"6{DASH}5"
    (table,) = [t for t in reader.tables if "shoot-off-table" in t.section["class"]]
    rows = [r for r in table.rows if "data-shoot-off" in r.attrs]
    assert len(rows) == len(match.shoot_offs) == 1
    assert rows[0].one("arrow") == "X"
    assert rows[0].one("ghost-arrow") == match.shoot_offs[0].ghost.label
    assert rows[0].one("result") == "You"
    assert "Result: you win." in html
    assert f"Set points 6{DASH}5." in html


def test_set_match_won_on_points_shows_no_blank_sets(
    app: Flask, client: FlaskClient
) -> None:
    as_this_browser(client)
    match = Match("set", match_round("recurve", False), Ghost.from_handicap(90), 2)
    for _ in range(3):
        match.add_end(["X", "X", "X"])
    assert match.verdict().status == "won"
    html = client.get(f"/matches/{keep(app, match)}/sheet").text
    check_against_engine(html, match)
    (table,) = distance_tables(read(html))
    points = [r.one("points") for r in table.rows if "data-end" in r.attrs]
    assert points == [f"2{DASH}0"] * 3
    assert "to-shoot" not in html


def test_cumulative_match_has_the_ghosts_running_total(
    app: Flask, client: FlaskClient
) -> None:
    as_this_browser(client)
    match = Match(
        "cumulative", match_round("compound", False), Ghost.from_handicap(20), 5
    )
    shoot_round(match, seed=5)
    html = client.get(f"/matches/{keep(app, match)}/sheet").text
    check_against_engine(html, match)
    (table,) = distance_tables(read(html))
    rows = [r for r in table.rows if "data-end" in r.attrs]
    running = list(itertools.accumulate(e.total for e in match.ghost_ends))
    assert [r.number("ghost-running") for r in rows] == running
    assert 'data-cell="points"' not in html


def test_match_in_progress_has_rows_to_fill_in(app: Flask, client: FlaskClient) -> None:
    as_this_browser(client)
    match = shoot_round(ranking("wa18", seed=8), seed=8, ends=4)
    match.add_end(total=25)  # typed as a total: no arrows, no counts
    html = client.get(f"/matches/{keep(app, match)}/sheet").text
    check_against_engine(html, match)
    assert html.count('class="to-shoot"') == match.round.ends - 5
    assert "total only" in html
    assert "In progress: 5 of 20 ends shot." in html
    # Only the ghost's ends the archer has shot: its total so far.
    assert grand(read(html), "ghost")["total"] == match.ghost_tally().total


def test_the_presentation_agrees_with_the_engine_unrendered() -> None:
    match = shoot_round(ranking("wa1440_90", seed=2), seed=2)
    printed = build_score_sheet(match)
    assert printed.archer.total == match.archer_tally().total
    assert printed.archer.counts == [
        match.archer_tally().hits,
        match.archer_tally().tens,
        match.archer_tally().xs,
    ]
    assert sum(d.totals.total for d in printed.distances if d.totals) == (
        match.archer_tally().total
    )
    assert printed.page_breaks


# -- who may see it ----------------------------------------------------------------


def test_another_archers_match_is_404(app: Flask, client: FlaskClient) -> None:
    theirs = sign_in(app, client, "someone")
    match_id = keep(app, shoot_round(ranking("wa18"), 1, ends=2), theirs)
    assert client.get(f"/matches/{match_id}/sheet").status_code == 200
    other = app.test_client()
    sign_in(app, other, "intruder")
    assert other.get(f"/matches/{match_id}/sheet").status_code == 404
    assert app.test_client().get(f"/matches/{match_id}/sheet").status_code == 404


def test_another_browsers_match_is_404(app: Flask, client: FlaskClient) -> None:
    match_id = keep(app, shoot_round(ranking("wa18"), 1, ends=2))
    assert client.get(f"/matches/{match_id}/sheet").status_code == 404
    as_this_browser(client)
    assert client.get(f"/matches/{match_id}/sheet").status_code == 200
    assert client.get("/matches/no-such-match/sheet").status_code == 404
    assert client.get("/matches/" + "x" * 40 + "/sheet").status_code == 404


def test_names_are_escaped(app: Flask, client: FlaskClient) -> None:
    archer_id = sign_in(app, client, "mallory", name="<script>alert(1)</script>")
    match_id = keep(app, shoot_round(ranking("wa18"), 1, ends=1), archer_id)
    html = client.get(f"/matches/{match_id}/sheet").text
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_match_page_links_to_its_sheet(app: Flask, client: FlaskClient) -> None:
    as_this_browser(client)
    match_id = keep(app, shoot_round(ranking("wa18"), 1, ends=1))
    page = client.get(f"/matches/{match_id}").text
    assert f'href="/matches/{match_id}/sheet"' in page


def test_history_rows_link_to_their_sheets(app: Flask, client: FlaskClient) -> None:
    archer_id = sign_in(app, client, "robin")
    match_id = keep(app, shoot_round(ranking("wa18"), 1, ends=2), archer_id)
    page = client.get("/history").text
    assert f'href="/matches/{match_id}/sheet"' in page
    assert client.get(f"/matches/{match_id}/sheet").status_code == 200


def test_sheet_in_spanish(app: Flask, client: FlaskClient) -> None:
    as_this_browser(client)
    match_id = keep(app, shoot_round(ranking("wa18"), 1, ends=1))
    client.set_cookie("lang", "es")
    response = client.get(f"/matches/{match_id}/sheet")
    assert response.status_code == 200
    assert re.search(r'<html lang="es"', response.text)
