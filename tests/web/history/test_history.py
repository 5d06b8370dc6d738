"""The history pages: every route, the filters and pages, progress on a round,
the charts, and that nobody sees anybody else's."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from ghost_simulator.engine import Ghost, Match, get_round, match_round
from ghost_simulator.engine.classifications import next_classification
from ghost_simulator.passwords import hash_password
from ghost_simulator.services import history as history_service
from ghost_simulator.store import archers, get_session, matches
from ghost_simulator.store.models import Match as Row
from ghost_simulator.web.history import views as web_history

from ...sessions import sign_in_as

NOON = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
MATCH_LINK = re.compile(r'href="/matches/([A-Za-z0-9_-]{22})"')
#: A data table's row header and a number cell.
ROW = r'<th scope="row">([^<]+)</th>'
NUMBER = r'<td class="num">(\d+)</td>'


def sign_in(
    app: Flask, client: FlaskClient, username: str = "robin", **profile: Any
) -> int:
    with app.app_context():
        archer = archers.create(username, hash_password("a long password"))
        if profile:
            archers.update_profile(archer, profile)
        archer_id = archer.id
    sign_in_as(client, archer_id)
    return archer_id


def keep(
    app: Flask,
    archer_id: int | None,
    kind: str = "ranking",
    *,
    code: str = "wa18",
    half: bool = False,
    bow: str = "recurve",
    ghost: Ghost | None = None,
    ends: int | None = None,
    arrows: tuple[str, ...] = ("10", "9", "9", "9", "8", "8"),
    day: int = 0,
    **columns: Any,
) -> str:
    """A match shot with the engine and kept for the archer (``ends`` None:
    to the end), started at noon ``day`` days after 1 March 2026."""
    ghost = ghost or Ghost.from_handicap(40)
    rnd = (
        get_round(code, bow=bow, half=half)
        if kind == "ranking"
        else match_round(bow, False)
    )
    match = Match(kind, rnd, ghost, seed=11)
    shot = 0
    while match.expected_arrows() and (ends is None or shot < ends):
        match.add_end(list(arrows[: match.expected_arrows()]))
        shot += 1
    return store(app, archer_id, match, day, **columns)


def store(
    app: Flask, archer_id: int | None, match: Match, day: int = 0, **columns: Any
) -> str:
    """Keep an engine match for the archer, started at noon ``day`` days after
    1 March 2026 (``columns``: summary columns to set as given)."""
    with app.app_context():
        owner = matches.Owner(f"elsewhere-{archer_id}", archer_id)
        match_id = matches.create(
            owner, match.to_dict(), match.verdict().status, match.summary()
        )
        row = get_session().get(Row, match_id)
        assert row is not None
        row.created_at = NOON + timedelta(days=day)
        for name, value in columns.items():
            setattr(row, name, value)
        get_session().commit()
    return match_id


def listed(page: str) -> list[str]:
    """The match ids a history page links to, in order."""
    return MATCH_LINK.findall(page)


def svgs(page: str) -> dict[str, ET.Element]:
    """Every SVG chart on the page, parsed as XML (so well-formed), by its
    test id."""
    found = {}
    for text in re.findall(r"<svg\b.*?</svg>", page, flags=re.S):
        element = ET.fromstring(text)
        found[element.get("data-testid", "")] = element
    return found


def assert_accessible_chart(svg: ET.Element) -> None:
    assert svg.get("role") == "img"
    title, desc = svg.find("title"), svg.find("desc")
    assert title is not None
    assert title.text
    assert desc is not None
    assert desc.text
    labelled = (svg.get("aria-labelledby") or "").split()
    assert title.get("id") in labelled
    assert desc.get("id") in labelled
    assert "style" not in ET.tostring(svg, encoding="unicode")  # CSP: no inline style


# -- who may see it -----------------------------------------------------------------


@pytest.mark.parametrize("path", ["/history", "/history/rounds/wa18"])
def test_visitors_are_sent_to_sign_in(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_history_link_only_when_signed_in(app: Flask, client: FlaskClient) -> None:
    assert 'href="/history"' not in client.get("/").text
    sign_in(app, client)
    assert 'href="/history"' in client.get("/").text
    assert 'href="/history" aria-current="page"' in client.get("/history").text


def test_empty_history(app: Flask, client: FlaskClient) -> None:
    sign_in(app, client)
    page = client.get("/history")
    assert page.status_code == 200
    assert 'data-testid="empty"' in page.text
    assert "Nothing here yet" in page.text
    assert "win-rate-chart" not in page.text


# -- the list -------------------------------------------------------------------------


def test_every_match_and_round_kept(app: Flask, client: FlaskClient) -> None:
    me = sign_in(app, client)
    # Played in the browser: a half round to the end, a match left unfinished.
    response = client.post(
        "/matches",
        data={
            "kind": "half",
            "round": "wa18",
            "bow": "recurve",
            "indoor": "1",
            "ghost": "handicap",
            "handicap": "45",
        },
    )
    played = response.headers["Location"]
    for _ in range(10):
        client.post(played + "/ends", data={"arrow": ["9", "9", "8"]})
    response = client.post("/matches", data={"kind": "set", "ghost": "handicap"})
    unfinished = response.headers["Location"]
    client.post(unfinished + "/ends", data={"arrow": ["9", "9", "9"]})
    stored_elsewhere = keep(app, me, "set", day=-30)

    page = client.get("/history").text
    ids = listed(page)
    assert ids[-1] == stored_elsewhere  # newest first
    assert {played.rsplit("/", 1)[1], unfinished.rsplit("/", 1)[1]} == set(ids[:2])
    table = page[page.index('data-testid="history"') :]
    assert "WA 18m (half)" in table
    assert "Set match, 70 m" in table
    assert "unfinished" in table
    assert "handicap 45" in table
    assert "260" in table  # 26 an end, 10 ends
    # Each row opens its score sheet, for its owner.
    for match_id in ids:
        assert client.get(f"/matches/{match_id}").status_code == 200


def test_the_round_list_links_progress(app: Flask, client: FlaskClient) -> None:
    me = sign_in(app, client)
    keep(app, me, code="wa18")
    keep(app, me, code="wa18", half=True)
    keep(app, me, "set")
    page = client.get("/history").text
    assert 'href="/history/rounds/wa18"' in page
    assert 'href="/history/rounds/wa18?half=1"' in page
    # A match format's page: how the archer shoots under pressure in it.
    assert 'href="/history/rounds/match_recurve_outdoor"' in page
    pressure = client.get("/history/rounds/match_recurve_outdoor")
    assert pressure.status_code == 200
    assert 'data-testid="pressure"' in pressure.text
    assert 'data-testid="empty"' not in pressure.text
    assert '<option value="wa18:half">WA 18m (half) (1)</option>' in page
    assert '<option value="match_recurve_outdoor">Recurve match, 70 m (1)' in page


def test_filters(app: Flask, client: FlaskClient) -> None:
    me = sign_in(app, client)
    wa18 = keep(app, me, code="wa18", day=0)
    half = keep(app, me, code="wa18", half=True, day=1)
    compound = keep(app, me, "cumulative", bow="compound", day=2)
    preset = keep(app, me, "set", day=3, ghost=Ghost("preset", 20.0, source={}))
    late = keep(app, me, code="wa18", ends=2, day=10)

    def ids(**query: str) -> set[str]:
        response = client.get("/history", query_string=query)
        assert response.status_code == 200, response.text
        return set(listed(response.text))

    assert ids() == {wa18, half, compound, preset, late}
    assert ids(round="wa18") == {wa18, late}
    assert ids(round="wa18:half") == {half}
    assert ids(round="match_compound_outdoor") == {compound}
    assert ids(bow="compound") == {compound}
    assert ids(ghost="preset") == {preset}
    assert ids(since="2026-03-02", until="2026-03-04") == {half, compound, preset}
    assert ids(since="2026-03-05") == {late}
    assert ids(until="2026-03-01") == {wa18}
    assert ids(round="wa18", since="2026-03-05") == {late}
    nothing = client.get("/history", query_string={"bow": "longbow"}).text
    assert "Nothing you kept matches these filters." in nothing
    # The form shows what is chosen.
    page = client.get("/history?bow=compound&since=2026-03-02").text
    assert '<option value="compound" selected>' in page
    assert 'name="since" type="date" value="2026-03-02"' in page


def test_pages(app: Flask, client: FlaskClient) -> None:
    me = sign_in(app, client)
    size = history_service.PAGE_SIZE
    ids = [keep(app, me, "set", ends=1, day=day) for day in range(size + 5)]
    newest_first = list(reversed(ids))
    first = client.get("/history").text
    assert listed(first) == newest_first[:size]
    assert f"Showing 1 to {size} of {size + 5}" in first
    assert "Page 1 of 2" in first
    assert 'rel="next" href="/history?page=2"' in first
    assert 'rel="prev"' not in first
    second = client.get("/history?page=2").text
    assert listed(second) == newest_first[size:]
    assert 'rel="prev" href="/history"' in second
    assert 'rel="next"' not in second
    assert client.get("/history?page=3").status_code == 404
    # The filters ride along.
    keep(app, me, "set", bow="barebow", day=99)
    filtered = client.get("/history?bow=recurve").text
    assert 'href="/history?bow=recurve&amp;page=2"' in filtered


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"bow": "crossbow"}, "Choose a bow from the list."),
        ({"ghost": "poltergeist"}, "Choose a kind of ghost from the list."),
        ({"round": "no_such_round"}, "There is no such round to filter by."),
        ({"round": "wa18:quarter"}, "There is no such round to filter by."),
        ({"round": "WA 18m"}, "There is no such round to filter by."),
        ({"round": "x" * 500}, "There is no such round to filter by."),
        ({"since": "2026-02-30"}, "Give dates as year-month-day"),
        ({"until": "yesterday"}, "Give dates as year-month-day"),
        ({"since": "20260301"}, "Give dates as year-month-day"),
        (
            {"since": "2026-03-05", "until": "2026-03-01"},
            "The first day comes after the last.",
        ),
        ({"page": "0"}, "The page is a whole number from 1."),
        ({"page": "-1"}, "The page is a whole number from 1."),
        ({"page": "two"}, "The page is a whole number from 1."),
        ({"page": "9" * 40}, "The page is a whole number from 1."),
    ],
)
def test_bad_filters_are_a_400_saying_why(
    app: Flask, client: FlaskClient, query: dict[str, str], message: str
) -> None:
    me = sign_in(app, client)
    keep(app, me, "set")
    response = client.get("/history", query_string=query)
    assert response.status_code == 400
    assert message in response.text
    assert 'data-testid="filter-errors"' in response.text
    assert 'data-testid="history"' not in response.text
    assert 'name="round"' in response.text  # the form, to put it right


def test_a_round_shot_but_no_longer_known_can_be_filtered(
    app: Flask, client: FlaskClient
) -> None:
    me = sign_in(app, client)
    old = keep(app, me, code="wa18", round_code="retired_round")
    response = client.get("/history?round=retired_round")
    assert response.status_code == 200
    assert listed(response.text) == [old]
    assert "retired round" in response.text


# -- only the archer's own ----------------------------------------------------------


def test_another_archers_history_is_never_shown(
    app: Flask, client: FlaskClient
) -> None:
    sign_in(app, client, "marian")
    with app.app_context():
        robin = archers.create("robin", hash_password("a long password")).id
    theirs = [
        keep(app, robin, code="wa18", arrows=("X", "X", "X")),
        keep(app, robin, "set"),
        keep(app, None, "set"),  # a visitor's
    ]
    page = client.get("/history").text
    assert listed(page) == []
    assert "Nothing here yet" in page
    for match_id in theirs:
        assert match_id not in page
        assert client.get(f"/matches/{match_id}").status_code == 404
    rounds = client.get("/history/rounds/wa18").text
    assert "You have no finished rounds on WA 18m yet." in rounds
    assert "600" not in rounds  # robin's perfect round
    assert not any(match_id in rounds for match_id in theirs)
    assert client.get("/history?round=wa18").status_code == 200
    assert svgs(client.get("/history").text) == {}


# -- escaping ---------------------------------------------------------------------


def test_script_payloads_are_escaped(app: Flask, client: FlaskClient) -> None:
    me = sign_in(app, client)
    payload = "<script>alert(1)</script>"
    keep(app, me, "set", round_code="evil<script>alert(1)</script>")
    keep(
        app,
        me,
        "set",
        ghost_kind=payload[:16],  # the column's length, kept by PostgreSQL
        ghost=Ghost("score", 35.0, source={"round": payload, "score": 500}),
    )
    pages = [
        client.get("/history"),
        client.get("/history", query_string={"round": payload}),
        client.get("/history", query_string={"since": payload, "bow": payload}),
        client.get("/history/rounds/wa18", query_string={"half": payload}),
    ]
    assert [p.status_code for p in pages] == [200, 400, 400, 400]
    for page in pages:
        assert "<script>alert" not in page.text
    assert "evil&lt;script&gt;alert(1)&lt;/script&gt;" in pages[0].text


# -- progress on a round ------------------------------------------------------------


def test_round_progress(app: Flask, client: FlaskClient) -> None:
    me = sign_in(app, client, sex="male", age_class="adult", bowstyle="recurve")
    scores = {  # 20 ends of 3 arrows
        ("9", "9", "9"): 540,
        ("10", "9", "9"): 560,
        ("9", "9", "8"): 520,
    }
    ids = [
        keep(app, me, code="wa18", arrows=arrows, day=day)
        for day, arrows in enumerate(scores)
    ]
    keep(app, me, code="wa18", ends=5, day=9)  # unfinished: not a session
    keep(app, me, code="wa18", half=True, day=8)  # the half is another round
    response = client.get("/history/rounds/wa18")
    assert response.status_code == 200
    page = response.text
    assert "<h1>WA 18m</h1>" in page
    best = page[page.index('data-testid="personal-best"') :]
    assert best.startswith(
        f'data-testid="personal-best"><a href="/matches/{ids[1]}">560</a>'
    )
    assert 'data-testid="average">540<' in page
    assert 'data-testid="count">3<' in page
    sessions = page[page.index('data-testid="sessions"') :]
    assert listed(sessions) == list(reversed(ids))  # newest first
    assert sessions.count('class="badge"') == 1
    # Each session's handicap, as the engine says that score earns.
    from ghost_simulator.engine.handicaps import handicap_earned

    rnd = get_round("wa18")
    for total in scores.values():
        shown = f"{round(handicap_earned(rnd, total), 1):g}"
        assert f'<td class="num">{shown}</td>' in sessions
    # The classification the best earns, and the next.
    name, more = next_classification(560, "wa18", "recurve", "male", "adult")  # type: ignore[misc]
    assert "Your personal best earns Indoor" in page
    assert f"{more} more points for {name}." in page
    assert "ghost=classification" in page
    assert "ghost=past&amp;past=best" in page
    # Charts, with their data as tables.
    charts = svgs(page)
    assert {"score-chart", "handicap-chart", "spread-chart"} <= set(charts)
    for chart in charts.values():
        assert_accessible_chart(chart)
    assert len(charts["score-chart"].findall("circle")) == 3
    spread = page[page.index('data-testid="spread-table"') :]
    counts = dict(
        re.findall(r'<th scope="row">(\w+)</th><td class="num">(\d+)</td>', spread)
    )
    assert counts == {"10": "20", "9": "140", "8": "20"}
    assert len(charts["spread-chart"].findall("rect")) == 3


def test_round_progress_of_a_half(app: Flask, client: FlaskClient) -> None:
    me = sign_in(app, client, sex="female", age_class="adult")
    keep(app, me, code="wa18", half=True)
    page = client.get("/history/rounds/wa18?half=1").text
    assert "<h1>WA 18m (half)</h1>" in page
    assert 'data-testid="personal-best"' in page
    assert "Classifications are earned on whole rounds" in page
    assert client.get("/history/rounds/wa18").text.count("no finished rounds") == 1


def test_round_progress_needs_a_profile_for_classifications(
    app: Flask, client: FlaskClient
) -> None:
    me = sign_in(app, client)  # no sex given
    keep(app, me, code="wa18")
    page = client.get("/history/rounds/wa18").text
    assert "Say your sex and age class in your profile" in page
    assert 'href="/settings"' in page


def test_round_without_classification(app: Flask, client: FlaskClient) -> None:
    me = sign_in(app, client, sex="male")
    keep(app, me, code="wa660_70")
    page = client.get("/history/rounds/wa660_70").text
    assert "No Archery GB classification can be earned on this round" in page


def test_ends_typed_as_totals_are_left_out_of_the_spread(
    app: Flask, client: FlaskClient
) -> None:
    me = sign_in(app, client)
    rnd = get_round("wa18", half=True)
    match = Match("ranking", rnd, Ghost.from_handicap(40), seed=3)
    for _ in range(10):
        match.add_end(total=27)
    with app.app_context():
        matches.create(matches.Owner("x", me), match.to_dict(), "won", match.summary())
    page = client.get("/history/rounds/wa18?half=1").text
    assert "there are no arrows to count" in page
    assert "spread-chart" not in page
    keep(app, me, code="wa18", half=True, arrows=("X", "10", "9"))
    page = client.get("/history/rounds/wa18?half=1").text
    assert "Ends entered as totals, left out: 10." in page
    spread = page[page.index('data-testid="spread-table"') :]
    assert re.findall(r'<th scope="row">(\w+)</th>', spread) == ["X", "10", "9"]


def test_round_page_addresses(app: Flask, client: FlaskClient) -> None:
    sign_in(app, client)
    assert client.get("/history/rounds/no_such_round").status_code == 404
    assert client.get("/history/rounds/match_recurve_outdoor").status_code == 404
    response = client.get("/history/rounds/WA18?half=1")
    assert response.status_code == 301
    assert response.headers["Location"] == "/history/rounds/wa18?half=1"
    assert client.get("/history/rounds/wa18?half=yes").status_code == 400


# -- charts on the history and match pages --------------------------------------------


def test_win_rate_by_ghost_level(app: Flask, client: FlaskClient) -> None:
    me = sign_in(app, client)
    for level, arrows in [
        (31.0, ("X", "X", "X")),
        (38.5, ("M", "M", "M")),
        (45.0, ("X", "X", "X")),
    ]:
        keep(app, me, "set", ghost=Ghost.from_handicap(level), arrows=arrows)
    keep(app, me, "set", ghost=Ghost.from_handicap(45.0), ends=1)  # unfinished
    page = client.get("/history").text
    charts = svgs(page)
    assert set(charts) == {"win-rate-chart"}
    assert_accessible_chart(charts["win-rate-chart"])
    assert len(charts["win-rate-chart"].findall("rect")) == 2
    table = page[page.index('data-testid="win-rate-table"') :]
    rows = re.findall(
        ROW + NUMBER + NUMBER,
        table,
    )
    assert rows == [("30 to 39", "2", "1"), ("40 to 49", "1", "1")]


def test_win_rate_bands() -> None:
    bands = web_history.win_rate_by_level(
        [(-3.0, "won"), (0.0, "lost"), (9.9, "won"), (10.0, "tied")]
    )
    assert [(b["low"], b["played"], b["won"]) for b in bands] == [
        (-10, 1, 1),
        (0, 2, 1),
        (10, 1, 0),
    ]


def test_win_chances_on_a_finished_match(app: Flask, client: FlaskClient) -> None:
    sign_in(app, client)
    response = client.post("/matches", data={"kind": "set", "ghost": "handicap"})
    url = response.headers["Location"]
    assert "win-chances" not in client.get(url).text  # not before the end
    for _ in range(5):
        client.post(url + "/ends", data={"arrow": ["X", "X", "X"]})
    page = client.get(url).text
    assert "You win!" in page
    charts = svgs(page)
    assert "win-chances-chart" in charts
    chart = charts["win-chances-chart"]
    assert_accessible_chart(chart)
    table = page[page.index('data-testid="win-chances-table"') :]
    steps = re.findall(
        r'<th scope="row">([^<]+)</th><td class="num">([^<]+)</td>', table
    )
    assert steps[0][0] == "Before the first end"
    assert steps[1][0] == "After end 1"
    assert steps[-1] == (f"After end {len(steps) - 1}", "100%")
    assert len(chart.findall("circle")) == len(steps)


def test_win_chances_follow_the_engine() -> None:
    from ghost_simulator.engine.odds import live_odds
    from ghost_simulator.services.sheets import archer_level

    ghost = Ghost.from_handicap(30)
    match = Match("set", match_round("recurve", False), ghost, seed=5)
    expected = []
    partial = Match("set", match.round, ghost, seed=5)
    expected.append(live_odds(partial, archer_level(partial)).win)  # type: ignore[arg-type]
    while match.expected_arrows():
        match.add_end(["9", "9", "8"])
        partial.add_end(["9", "9", "8"])
        expected.append(live_odds(partial, archer_level(partial)).win)  # type: ignore[arg-type]
    if match.verdict().status == "shoot_off":
        match.add_shoot_off("X")
        partial.add_shoot_off("X")
        expected.append(live_odds(partial, archer_level(partial)).win)  # type: ignore[arg-type]
    assert history_service.chances_by_end(match) == pytest.approx(expected)
    assert history_service.chances_by_end(match) is history_service.chances_by_end(
        match
    )


def test_win_chances_for_visitors_too(app: Flask, client: FlaskClient) -> None:
    response = client.post("/matches", data={"kind": "cumulative", "bow": "compound"})
    url = response.headers["Location"]
    for _ in range(5):
        client.post(url + "/ends", data={"arrow": ["M", "M", "M"]})
    page = client.get(url)
    assert page.status_code == 200
    assert "The ghost wins." in page.text
    chart = svgs(page.text)["win-chances-chart"]
    assert_accessible_chart(chart)
    assert "After end 5" in page.text


# -- the helpers ------------------------------------------------------------------


def test_arrow_spread_orders_values_from_x_to_miss() -> None:
    spread, totals = web_history.arrow_spread(
        [[["9", "M", "X"], {"total": 20}], [["10", "X", "1"]]]
    )
    assert spread == [("X", 2), ("10", 1), ("9", 1), ("1", 1), ("M", 1)]
    assert totals == 1


def test_filters_round_trip_as_links(app: Flask) -> None:
    with app.test_request_context():
        filters = history_service.parse_filters(
            {"round": "wa18:half", "bow": "barebow", "since": "2026-01-02", "page": "3"}
        )
        assert filters.errors == []
        assert filters.query() == {
            "round": "wa18:half",
            "bow": "barebow",
            "since": "2026-01-02",
            "page": "3",
        }
        assert "page" not in filters.query(page=1)
        where = filters.store_filters()
        assert where["round_code"] == "wa18"
        assert where["half"] is True
        assert where["since"].date().isoformat() == "2026-01-02"


def test_dates_are_the_users_days(data_dir: Any) -> None:
    """A match at 23:30 UTC on 1 March was shot on 2 March in Madrid."""
    from ghost_simulator import create_app

    app = create_app(
        {
            "TESTING": True,
            "DATA_DIR": str(data_dir),
            "WTF_CSRF_ENABLED": False,
            "BABEL_DEFAULT_TIMEZONE": "Europe/Madrid",
        }
    )
    client = app.test_client()
    me = sign_in(app, client)
    late = keep(app, me, "set")
    with app.app_context():
        row = get_session().get(Row, late)
        assert row is not None
        row.created_at = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
        get_session().commit()

    def ids(**query: str) -> list[str]:
        return listed(client.get("/history", query_string=query).text)

    assert ids(since="2026-03-02", until="2026-03-02") == [late]
    assert ids(until="2026-03-01") == []
    assert ids(since="2026-03-03") == []


def test_dates_at_the_ends_of_the_calendar(app: Flask, client: FlaskClient) -> None:
    me = sign_in(app, client)
    kept = keep(app, me, "set")
    response = client.get("/history?since=0001-01-01&until=9999-12-31")
    assert response.status_code == 200
    assert listed(response.text) == [kept]


@pytest.mark.parametrize(
    ("total", "language", "wanted"),
    [
        (536, "en", "1 more point for Indoor Bowman 1."),
        (535, "en", "2 more points for Indoor Bowman 1."),
        (536, "es", "1 punto más para"),
        (535, "es", "2 puntos más para"),
    ],
)
def test_one_more_point_is_singular(
    app: Flask, client: FlaskClient, total: int, language: str, wanted: str
) -> None:
    """A count meets its noun through ngettext, in both languages."""
    me = sign_in(app, client, sex="male", age_class="adult", bowstyle="recurve")
    keep(app, me, code="wa18", archer_total=total)
    client.get(f"/language/{language}")
    page = client.get("/history/rounds/wa18").text
    assert wanted in page
    assert "1 more points" not in page
    assert "1 puntos" not in page
