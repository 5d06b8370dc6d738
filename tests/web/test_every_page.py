"""Every page a browser (or script) can GET, in every language, with data in
every state: no 500, and the status (or redirect) each visitor should get.

The pages are the app's own GET rules, each filled in from the data made
here; a GET rule this test cannot fill fails it, so that a new page is never
skipped. Three visitors share one app:

* a visitor who is not signed in, with a match of their own browser's;
* an archer just registered, with no history and no equipment;
* an archer with a match of every kind and state (``sample_matches``), a
  match shot with their equipment, bows, arrow sets, sight marks, arrow
  entries and an API token.

Each opens their own pages and the rows of the archer with data (another's
rows: a 404, or the sign-in page).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule
from werkzeug.test import TestResponse

from ghost_simulator import passwords
from ghost_simulator.engine.rounds import all_rounds
from ghost_simulator.services.transfer import CSV_TABLES
from ghost_simulator.store import history as stored_history
from ghost_simulator.store import training
from ghost_simulator.web.common.templates import THEMES

from ..store.sample_matches import PROFILE, make_archer_with_matches

LANGUAGES = ("en", "es")
#: make_archer's password.
PASSWORD = "a long password"
NEW_PASSWORD = "another long password"
NEW_MATCH = {
    "kind": "set",
    "bow": "recurve",
    "indoor": "0",
    "ghost": "handicap",
    "handicap": "30",
}
TODAY = datetime.now(UTC).date()
LAST_MONTH = (TODAY.replace(day=1) - timedelta(days=1)).replace(day=9)


@pytest.fixture(autouse=True)
def cheap_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Registering hashes the new password: quickly here."""
    from werkzeug.security import generate_password_hash

    def cheap(password: str) -> str:
        return generate_password_hash(password, method="scrypt:1024:8:1")

    monkeypatch.setattr(passwords, "hash_password", cheap)


@dataclass(frozen=True)
class Case:
    """A GET and what it should answer: a status, and for a redirect the
    start of where it goes (path and query)."""

    path: str
    status: int
    location: str | None = None


@dataclass
class Visitor:
    label: str
    client: FlaskClient
    signed_in: bool
    has_data: bool = False  # the archer with every kind of row
    matches: list[str] = field(default_factory=list)  # their own


@dataclass
class World:
    """The rows of the archer with data, and the round codes they shot."""

    matches: list[str]
    bows: list[int]
    arrow_sets: list[int]
    sight_marks: list[int]
    entries: list[int]
    rounds: list[tuple[str, bool]]
    #: The match formats they finished a match on (each has a page).
    finished_formats: set[str] = field(default_factory=set)


# -- the data ----------------------------------------------------------------------


def use_language(client: FlaskClient, language: str) -> None:
    answer = client.get(f"/language/{language}")
    assert answer.status_code == 303
    assert client.get_cookie("lang").value == language  # type: ignore[union-attr]


def anonymous_visitor(app: Flask, language: str) -> Visitor:
    client = app.test_client()
    use_language(client, language)
    answer = client.post("/matches", data=NEW_MATCH)
    assert answer.status_code == 303, answer.text
    match_id = urlsplit(answer.headers["Location"]).path.rsplit("/", 1)[-1]
    return Visitor("signed out", client, signed_in=False, matches=[match_id])


def new_archer(app: Flask, language: str) -> Visitor:
    client = app.test_client()
    data = {
        "username": "newcomer",
        "email": "",
        "password": NEW_PASSWORD,
        "confirm_password": NEW_PASSWORD,
    }
    answer = client.post("/register", data=data)
    assert answer.status_code == 303, answer.text
    use_language(client, language)
    return Visitor("no history", client, signed_in=True)


def _posted(client: FlaskClient, path: str, data: dict[str, str]) -> None:
    answer = client.post(path, data=data)
    assert answer.status_code == 303, (path, answer.status_code, answer.text)


def finished_set_match(client: FlaskClient, bow_id: int, arrow_set_id: int) -> str:
    """A set match won through the forms, with the archer's bow and arrows,
    against a ghost on the archer's handicap scheme: the history's win rate
    by ghost level counts it."""
    data = {
        **NEW_MATCH,
        "scheme": PROFILE["scheme"],
        "seed": "1",
        "bow_id": str(bow_id),
        "arrow_set_id": str(arrow_set_id),
    }
    answer = client.post("/matches", data=data)
    assert answer.status_code == 303, answer.text
    match_id = urlsplit(answer.headers["Location"]).path.rsplit("/", 1)[-1]
    for end in range(1, 6):
        answer = client.post(
            f"/matches/{match_id}/ends", data={"arrow": ["X"] * 3, "end": str(end)}
        )
        assert answer.status_code == 303, answer.text
        if client.get(f"/api/v1/matches/{match_id}").json["finished"]:  # type: ignore[index]
            return match_id
    raise AssertionError("five ends of three Xs did not win the set match")


def archer_with_data(app: Flask, language: str) -> tuple[Visitor, World]:
    """The sample archer, signed in with the form, with every kind of row."""
    with app.app_context():
        archer_id, match_ids = make_archer_with_matches("robin")
    client = app.test_client()
    _posted(client, "/login", {"login": "robin", "password": PASSWORD})
    use_language(client, language)  # after: signing in speaks the profile's
    # Equipment, and a set match won with it.
    _posted(
        client,
        "/equipment/bows",
        {"name": "Club <b>recurve</b>", "bowstyle": "recurve", "draw_weight": "32"},
    )
    _posted(client, "/equipment/bows", {"name": "Bare", "bowstyle": "barebow"})
    _posted(
        client,
        "/equipment/arrows",
        {"model": "X10", "diameter": "5.5", "count": "12", "notes": "fletched"},
    )
    _posted(client, "/equipment/arrows", {"model": "ACE", "diameter": "4.9"})
    with app.app_context():
        bows = [bow.id for bow in training.bows(archer_id)]
        arrow_sets = [arrows.id for arrows in training.arrow_sets(archer_id)]
    match_ids.append(finished_set_match(client, bows[0], arrow_sets[0]))
    # Sight marks: enough on the first bow for a curve and its estimates (and
    # a distance marked twice), one in yards; none on the second bow.
    for distance, unit, mark, day in (
        ("18", "m", "2.1", LAST_MONTH),
        ("30", "m", "3.4", LAST_MONTH),
        ("30", "m", "3.5", TODAY),
        ("50", "m", "5.6", TODAY),
        ("60", "yd", "6.1", TODAY),
    ):
        _posted(
            client,
            f"/equipment/bows/{bows[0]}/sight-marks",
            {"distance": distance, "unit": unit, "mark": mark, "shot_on": str(day)},
        )
    # Arrows counted by hand this month and last (matches count too).
    for arrows, kind, day in (
        ("36", "sighters", TODAY),
        ("72", "practice", TODAY),
        ("12", "blank_bale", LAST_MONTH),
        ("5", "other", LAST_MONTH),
    ):
        _posted(
            client,
            "/log/entries",
            {"arrows": arrows, "kind": kind, "shot_on": str(day), "notes": "<i>n</i>"},
        )
    answer = client.post("/settings/tokens", data={"name": "my script"})
    assert answer.status_code == 201, answer.text
    make_club(client)
    make_night(client)
    make_league(client)
    make_shares(client, match_ids)
    with app.app_context():
        marks = [mark.id for mark in training.sight_marks(archer_id, bows[0])]
        entries = [
            entry.id
            for entry in training.arrow_entries(
                archer_id, date(2000, 1, 1), TODAY + timedelta(days=2)
            )
        ]
        rounds = [
            (code, half) for code, half, _n in stored_history.rounds_shot(archer_id)
        ]
        finished_formats = {
            row.round_code
            for row in stored_history.list_matches(
                archer_id, status=("won", "lost", "tied"), limit=1000
            )[0]
            if MATCH_FORMAT.fullmatch(row.round_code or "")
        }
    assert len(marks) == 5
    assert len(entries) == 4
    world = World(match_ids, bows, arrow_sets, marks, entries, rounds, finished_formats)
    visitor = Visitor(
        "full history", client, signed_in=True, has_data=True, matches=match_ids
    )
    return visitor, world


#: The club of the archer with data, and a live invitation to it.
_CLUB: dict[str, str] = {}


def make_club(client: FlaskClient) -> None:
    """A club of the archer with data, with a live invitation."""
    answer = client.post("/clubs", data={"name": "Club <b>Sherwood</b>"})
    assert answer.status_code == 303, answer.text
    club_id = urlsplit(answer.headers["Location"]).path.rsplit("/", 1)[-1]
    answer = client.post(f"/api/v1/clubs/{club_id}/invitations", json={})
    assert answer.status_code == 201, answer.text
    _CLUB.update(club_id=club_id, token=answer.json["token"])  # type: ignore[index]
    (owner,) = client.get(f"/api/v1/clubs/{club_id}").json["members"]  # type: ignore[index]
    _CLUB["archer_id"] = str(owner["archer_id"])


def make_shares(client: FlaskClient, match_ids: list[str]) -> None:
    """A finished round of the archer with data shared with their club and
    as a link."""
    for match_id in match_ids:
        body = {"match_id": match_id, "club_id": _CLUB["club_id"]}
        answer = client.post("/api/v1/shares", json=body)
        if answer.status_code == 201:
            _CLUB["share_id"] = answer.json["id"]  # type: ignore[index]
            answer = client.post(
                "/api/v1/shares", json={"match_id": match_id, "link": True}
            )
            assert answer.status_code == 201, answer.text
            link = answer.json["link"]  # type: ignore[index]
            _CLUB["share_token"] = link.rsplit("/", 1)[-1]
            return
    raise AssertionError("no finished ranking round to share")


def make_night(client: FlaskClient) -> None:
    """A ghost night of the archer's club, open now."""
    now = datetime.now(UTC)
    answer = client.post(
        f"/clubs/{_CLUB['club_id']}/nights",
        data={
            "title": "Night <b>one</b>",
            "kind": "ranking",
            "indoor": "1",
            "round": "wa18",
            "ghost": "handicap",
            "handicap": "40",
            "timezone": "Europe/Madrid",
            "opens": (now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
            "closes": (now + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert answer.status_code == 303, answer.text
    _CLUB["night_id"] = urlsplit(answer.headers["Location"]).path.rsplit("/", 1)[-1]


def make_league(client: FlaskClient) -> None:
    """A postal league of the archer's club, its first night open now."""
    now = datetime.now(UTC)
    answer = client.post(
        f"/clubs/{_CLUB['club_id']}/leagues",
        data={
            "title": "League <b>one</b>",
            "nights": "3",
            "best": "2",
            "kind": "ranking",
            "indoor": "1",
            "round": "wa18",
            "ghost": "handicap",
            "handicap": "40",
            "ranking": "adjusted",
            "timezone": "Europe/Madrid",
            "opens": (now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
            "closes": (now + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert answer.status_code == 303, answer.text
    _CLUB["league_id"] = urlsplit(answer.headers["Location"]).path.rsplit("/", 1)[-1]


# -- the pages ---------------------------------------------------------------------

ARGUMENT = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")
MATCH_FORMAT = re.compile(r"match_(recurve|compound|barebow)_(indoor|outdoor)")


def fill(rule: Rule, query: str = "", **values: object) -> str:
    path = ARGUMENT.sub(lambda found: str(values.pop(found[1])), rule.rule)
    assert not values, f"{rule.rule} has no {sorted(values)}"
    return path + (f"?{query}" if query else "")


Filler = Callable[[Rule, Visitor, World, str], list[Case]]


def _page(status: int = 200) -> Filler:
    return lambda rule, _v, _w, _l: [Case(fill(rule), status)]


def _moved(target: str, status: int = 301) -> Filler:
    return lambda rule, _v, _w, _l: [Case(fill(rule), status, target)]


def _sign_in_first(path: str) -> Case:
    """A page for signed-in archers only, to a visitor who is not."""
    return Case(path, 302, "/login?next=")


def _archers(status: int = 200) -> Filler:
    """A page of the signed-in archer's own."""

    def cases(rule: Rule, visitor: Visitor, _w: World, _l: str) -> list[Case]:
        if not visitor.signed_in:
            return [_sign_in_first(fill(rule))]
        return [Case(fill(rule), status)]

    return cases


def _rows(name: str, kind: str) -> Filler:
    """A page of one of the archer with data's rows (``kind``, a World
    field): theirs, another archer's (404), or the sign-in page."""

    def cases(rule: Rule, visitor: Visitor, world: World, _l: str) -> list[Case]:
        found = []
        for row in getattr(world, kind):
            path = fill(rule, **{name: row})
            if not visitor.signed_in:
                found.append(_sign_in_first(path))
            else:
                found.append(Case(path, 200 if visitor.has_data else 404))
        return found

    return cases


def _matches(rule: Rule, visitor: Visitor, world: World, _l: str) -> list[Case]:
    """Each match page: the visitor's own, and others' (404)."""
    others = [m for m in world.matches if m not in visitor.matches]
    return [Case(fill(rule, match_id=m), 200) for m in visitor.matches] + [
        Case(fill(rule, match_id=m), 404) for m in others
    ]


def _api_history_match(
    rule: Rule, visitor: Visitor, world: World, _l: str
) -> list[Case]:
    status = 200 if visitor.has_data else 404 if visitor.signed_in else 401
    return [Case(fill(rule, match_id=m), status) for m in world.matches]


def _round_progress(rule: Rule, visitor: Visitor, world: World, _l: str) -> list[Case]:
    """Every round shot (a custom round has no progress page; a match format
    has one, how the archer shoots under pressure, once they have finished a
    match on it)."""
    found = []
    for code, half in world.rounds:
        path = fill(rule, "half=1" if half else "", round_code=code)
        if not visitor.signed_in:
            found.append(_sign_in_first(path))
        elif MATCH_FORMAT.fullmatch(code):
            shown = visitor.has_data and code in world.finished_formats
            found.append(Case(path, 200 if shown else 404))
        else:
            found.append(Case(path, 200 if code in all_rounds() else 404))
    return found


def _api_round(rule: Rule, _v: Visitor, world: World, _l: str) -> list[Case]:
    """Every round shot: a custom one is no round of the catalogue's."""
    found = []
    for code, half in [*world.rounds, ("wa1440_90", False), ("no_such_round", False)]:
        known = code in all_rounds() or MATCH_FORMAT.fullmatch(code) is not None
        path = fill(rule, "half=1" if half else "", code=code)
        found.append(Case(path, 200 if known else 404))
    return found


def _signed_out_only(rule: Rule, visitor: Visitor, _w: World, _l: str) -> list[Case]:
    if visitor.signed_in:
        return [Case(fill(rule), 303, "/")]
    return [Case(fill(rule), 200)]


def _language(rule: Rule, _v: Visitor, _w: World, language: str) -> list[Case]:
    # Only the language being tested: another would switch the rest.
    return [Case(fill(rule, "next=/about", code=language), 303, "/about")]


def _themes(rule: Rule, _v: Visitor, _w: World, _l: str) -> list[Case]:
    return [Case(fill(rule, choice=theme), 303, "/") for theme in THEMES]


def _exports(rule: Rule, visitor: Visitor, _w: World, _l: str) -> list[Case]:
    return [
        _sign_in_first(fill(rule, table=t))
        if not visitor.signed_in
        else Case(fill(rule, table=t), 200)
        for t in CSV_TABLES
    ]


def _static(rule: Rule, _v: Visitor, _w: World, _l: str) -> list[Case]:
    import ghost_simulator

    folder = Path(ghost_simulator.__file__).parent / "static"
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))
    return [
        Case(fill(rule, filename=name), 200)
        for name in files
        if (folder / name).is_file()
    ]


def _legacy_link(example: str) -> Filler:
    """An old link: a good one opens its match, a bare one says what is wrong."""
    return lambda rule, _v, _w, _l: [
        Case(fill(rule, example), 200),
        Case(fill(rule), 400),
    ]


def _expected(rule: Rule, _v: Visitor, _w: World, _l: str) -> list[Case]:
    return [
        Case(fill(rule, "handicap=30&kind=set&bow=recurve"), 200),
        Case(fill(rule, "handicap=40&kind=half&round=wa720_70&scheme=AGB"), 200),
        Case(fill(rule, "handicap=x"), 400),
    ]


def _log(rule: Rule, visitor: Visitor, _w: World, _l: str) -> list[Case]:
    months = ["", f"month={LAST_MONTH:%Y-%m}", "month=2000-01"]
    return [
        Case(fill(rule, month), 200)
        if visitor.signed_in
        else _sign_in_first(fill(rule, month))
        for month in months
    ]


def _history(rule: Rule, visitor: Visitor, _w: World, _l: str) -> list[Case]:
    """The list, filtered, and a filter that is no filter (a 400 saying why)."""
    queries = {
        "": 200,
        "bow=recurve": 200,
        "ghost=handicap&since=2025-03-03": 200,
        "round=wa18": 200,
        "since=yesterday": 400,
    }
    return [
        Case(fill(rule, query), status)
        if visitor.signed_in
        else _sign_in_first(fill(rule, query))
        for query, status in queries.items()
    ]


#: Each visitor's ghost ladder, made on first use (by the client it is made with).
_LADDERS: dict[int, str] = {}


def visitors_ladder(visitor: Visitor) -> str:
    """A ladder of the visitor's, with a finished match (won with Xs) for the
    archer with data, so that its page draws a rung and a chart line."""
    made = _LADDERS.get(id(visitor.client))
    if made is not None:
        return made
    client = visitor.client
    answer = client.post(
        "/ladders",
        data={"kind": "set", "bow": "recurve", "start": "handicap", "handicap": "45"},
    )
    assert answer.status_code == 303, answer.text
    ladder_id = urlsplit(answer.headers["Location"]).path.rsplit("/", 1)[-1]
    if visitor.has_data:
        answer = client.post(f"/ladders/{ladder_id}/matches")
        assert answer.status_code == 303, answer.text
        match_id = urlsplit(answer.headers["Location"]).path.rsplit("/", 1)[-1]
        for end in range(1, 6):
            client.post(
                f"/matches/{match_id}/ends", data={"arrow": ["X"] * 3, "end": str(end)}
            )
            if client.get(f"/api/v1/matches/{match_id}").json["finished"]:  # type: ignore[index]
                break
    _LADDERS[id(visitor.client)] = ladder_id
    return ladder_id


def _ladders(rule: Rule, visitor: Visitor, _w: World, _l: str) -> list[Case]:
    """The visitor's own ladder, and one that is nobody's (404)."""
    return [
        Case(fill(rule, ladder_id=visitors_ladder(visitor)), 200),
        Case(fill(rule, ladder_id="no-such-ladder"), 404),
    ]


#: Each visitor's competition day, made on first use (by the client it is made with).
_DAYS: dict[int, str] = {}


def visitors_day(visitor: Visitor) -> str:
    """A competition day of the visitor's; for the archer with data, its first
    match lost (so the page shows a placing and the whole bracket)."""
    made = _DAYS.get(id(visitor.client))
    if made is not None:
        return made
    client = visitor.client
    answer = client.post(
        "/days",
        data={"bow": "recurve", "field": "international", "size": "9", "score": "610"},
    )
    assert answer.status_code == 303, answer.text
    day_id = urlsplit(answer.headers["Location"]).path.rsplit("/", 1)[-1]
    if visitor.has_data:
        page = client.get(f"/days/{day_id}").text
        found = re.search(r'href="/matches/([^"]+)" data-testid="shoot-next"', page)
        assert found is not None, page
        match_id = found.group(1)
        for end in range(1, 6):
            client.post(
                f"/matches/{match_id}/ends", data={"arrow": ["M"] * 3, "end": str(end)}
            )
            if client.get(f"/api/v1/matches/{match_id}").json["finished"]:  # type: ignore[index]
                break
    _DAYS[id(visitor.client)] = day_id
    return day_id


def _days(rule: Rule, visitor: Visitor, _w: World, _l: str) -> list[Case]:
    """The visitor's own day, and one that is nobody's (404)."""
    return [
        Case(fill(rule, day_id=visitors_day(visitor)), 200),
        Case(fill(rule, day_id="no-such-day"), 404),
    ]


#: Each visitor's team match, made on first use (by the client it is made with).
_TEAMS: dict[int, str] = {}


def visitors_team(visitor: Visitor) -> str:
    """A team match of the visitor's; for the archer with data, with an end
    shot (so the page and the sheet show a row)."""
    made = _TEAMS.get(id(visitor.client))
    if made is not None:
        return made
    client = visitor.client
    answer = client.post("/teams", data={"kind": "team", "bow": "recurve"})
    assert answer.status_code == 303, answer.text
    match_id = urlsplit(answer.headers["Location"]).path.rsplit("/", 1)[-1]
    if visitor.has_data:
        answer = client.post(
            f"/teams/{match_id}/ends", data={"arrow": ["X", "9"], "end": "1"}
        )
        assert answer.status_code == 303, answer.text
    _TEAMS[id(visitor.client)] = match_id
    return match_id


def _teams(rule: Rule, visitor: Visitor, _w: World, _l: str) -> list[Case]:
    """The visitor's own team match, and one that is nobody's (404)."""
    return [
        Case(fill(rule, match_id=visitors_team(visitor)), 200),
        Case(fill(rule, match_id="no-such-team-match"), 404),
    ]


def _api_teams(rule: Rule, visitor: Visitor, _w: World, _l: str) -> list[Case]:
    return [
        Case(fill(rule, team_id=visitors_team(visitor)), 200),
        Case(fill(rule, team_id="no-such-team-match"), 404),
    ]


#: How to fill in each GET endpoint, and what each visitor should get.
def _clubs(rule: Rule, visitor: Visitor, _w: World, _l: str) -> list[Case]:
    """The club of the archer with data (another's: 404), and no club."""
    paths = [fill(rule, club_id=_CLUB["club_id"]), fill(rule, club_id="no-such-club")]
    if not visitor.signed_in:
        return [_sign_in_first(p) for p in paths]
    return [Case(paths[0], 200 if visitor.has_data else 404), Case(paths[1], 404)]


def _club_invitations(rule: Rule, visitor: Visitor, _w: World, _l: str) -> list[Case]:
    """A live invitation (the club's name and a Join button), a dead one (a
    404 that shows nothing of the club)."""
    paths = [fill(rule, token=_CLUB["token"]), fill(rule, token="no-such-token")]
    if not visitor.signed_in:
        return [_sign_in_first(p) for p in paths]
    return [Case(paths[0], 200), Case(paths[1], 404)]


def _share_links(rule: Rule, _v: Visitor, _w: World, _l: str) -> list[Case]:
    """A live link (anyone sees the round), an unknown one (404)."""
    return [
        Case(fill(rule, token=_CLUB["share_token"]), 200),
        Case(fill(rule, token="no-such-token"), 404),
    ]


def _club_shares(rule: Rule, visitor: Visitor, _w: World, _l: str) -> list[Case]:
    """A round shared with the archer with data's club (another's: 404),
    and no such share."""
    club = _CLUB["club_id"]
    paths = [
        fill(rule, club_id=club, share_id=_CLUB["share_id"]),
        fill(rule, club_id=club, share_id="no-such-share"),
    ]
    if not visitor.signed_in:
        return [_sign_in_first(p) for p in paths]
    return [Case(paths[0], 200 if visitor.has_data else 404), Case(paths[1], 404)]


def _club_member(rule: Rule, visitor: Visitor, _w: World, _l: str) -> list[Case]:
    """The archer with data's own page in their club (another's: 404), and an
    archer who is no member."""
    club = _CLUB["club_id"]
    paths = [
        fill(rule, club_id=club, member_id=_CLUB["archer_id"]),
        fill(rule, club_id=club, member_id="999999"),
    ]
    if not visitor.signed_in:
        return [_sign_in_first(p) for p in paths]
    return [Case(paths[0], 200 if visitor.has_data else 404), Case(paths[1], 404)]


def _api_clubs(rule: Rule, visitor: Visitor, _w: World, _l: str) -> list[Case]:
    paths = [fill(rule, club_id=_CLUB["club_id"]), fill(rule, club_id="no-such-club")]
    if not visitor.signed_in:
        return [Case(p, 401) for p in paths]
    return [Case(paths[0], 200 if visitor.has_data else 404), Case(paths[1], 404)]


def _nights(rule: Rule, visitor: Visitor, _w: World, _l: str) -> list[Case]:
    """The night of the archer with data's club (another's: 404), and no
    night. The leaderboard alone is an HTML fragment (no <html lang>), and
    the live stream is no page: their 200s are tested in tests/web/night."""
    club = _CLUB["club_id"]
    paths = [
        fill(rule, club_id=club, night_id=_CLUB["night_id"]),
        fill(rule, club_id=club, night_id="no-such-night"),
    ]
    if not visitor.signed_in:
        return [_sign_in_first(p) for p in paths]
    if rule.endpoint in ("night.leaderboard", "night.live_stream"):
        return [Case(paths[1], 404)] + (
            [] if visitor.has_data else [Case(paths[0], 404)]
        )
    return [Case(paths[0], 200 if visitor.has_data else 404), Case(paths[1], 404)]


def _night_list(rule: Rule, visitor: Visitor, _w: World, _l: str) -> list[Case]:
    paths = [fill(rule, club_id=_CLUB["club_id"]), fill(rule, club_id="no-such-club")]
    if not visitor.signed_in:
        return [_sign_in_first(p) for p in paths]
    return [Case(paths[0], 200 if visitor.has_data else 404), Case(paths[1], 404)]


def _api_nights(rule: Rule, visitor: Visitor, _w: World, _l: str) -> list[Case]:
    club = _CLUB["club_id"]
    paths = [
        fill(rule, club_id=club, night_id=_CLUB["night_id"]),
        fill(rule, club_id=club, night_id="no-such-night"),
    ]
    if not visitor.signed_in:
        return [Case(p, 401) for p in paths]
    return [Case(paths[0], 200 if visitor.has_data else 404), Case(paths[1], 404)]


def _leagues(rule: Rule, visitor: Visitor, _w: World, _l: str) -> list[Case]:
    """The league of the archer with data's club (another's: 404), and no
    league."""
    club = _CLUB["club_id"]
    paths = [
        fill(rule, club_id=club, league_id=_CLUB["league_id"]),
        fill(rule, club_id=club, league_id="no-such-league"),
    ]
    if not visitor.signed_in:
        return [_sign_in_first(p) for p in paths]
    return [Case(paths[0], 200 if visitor.has_data else 404), Case(paths[1], 404)]


def _api_leagues(rule: Rule, visitor: Visitor, _w: World, _l: str) -> list[Case]:
    club = _CLUB["club_id"]
    paths = [
        fill(rule, club_id=club, league_id=_CLUB["league_id"]),
        fill(rule, club_id=club, league_id="no-such-league"),
    ]
    if not visitor.signed_in:
        return [Case(p, 401) for p in paths]
    return [Case(paths[0], 200 if visitor.has_data else 404), Case(paths[1], 404)]


PAGES: dict[str, Filler] = {
    "pages.index": _page(),
    "pages.about": _page(),
    "pages.legacy_about": _moved("/about"),
    "pages.legacy_index": _moved("/"),
    "pages.legacy_home": _moved("/new"),
    "pages.language": _language,
    "pages.theme": _themes,
    "pages.healthz": _page(),
    "pages.manifest": _page(),
    "pages.favicon": _page(),
    "static": _static,
    "offline.service_worker": _page(),
    "offline.offline_page": _page(),
    "offline.match_state": _matches,
    "play.new": _page(),
    "play.show": _matches,
    "play.expected": _expected,
    "play.legacy_simulator": _legacy_link(
        "max_points=28&min_points=20&type=qualifiers&location=indoor&modality=other"
    ),
    "play.legacy_ghost": _legacy_link("sex=m&category=o&age=a"),
    "printing.score_sheet": _matches,
    "history.index": _history,
    "history.round_progress": _round_progress,
    "accounts.login": _signed_out_only,
    "accounts.register": _signed_out_only,
    "accounts.legacy_login": _moved("/login"),
    "accounts.legacy_register": _moved("/register"),
    "accounts.legacy_settings": _moved("/settings"),
    "accounts.settings": _archers(),
    "tokens.index": _archers(),
    "data.export_json": _archers(),
    "data.export_csv": _exports,
    "training.log": _log,
    "training.equipment": _archers(),
    "training.edit_bow": _rows("bow_id", "bows"),
    "training.sight_marks": _rows("bow_id", "bows"),
    "training.card": _rows("bow_id", "bows"),
    "training.edit_arrow_set": _rows("set_id", "arrow_sets"),
    "training.edit_sight_mark": _rows("mark_id", "sight_marks"),
    "training.edit_entry": _rows("entry_id", "entries"),
    "api.openapi": _page(),
    "api.ghost_kinds": _page(),
    "api.list_presets": _page(),
    "api.list_rounds": _page(),
    "api.get_round": _api_round,
    "api.me": _page(),
    "api.history": lambda rule, visitor, _w, _l: [
        Case(fill(rule), 200 if visitor.signed_in else 401)
    ],
    "api.history_match": _api_history_match,
    "api.pressure": lambda rule, visitor, world, _l: [
        Case(
            fill(rule),
            200
            if visitor.has_data and world.finished_formats
            else 404
            if visitor.signed_in
            else 401,
        )
    ],
    "api.spread": lambda rule, visitor, _w, _l: [
        Case(
            fill(rule),
            200 if visitor.has_data else 400 if visitor.signed_in else 401,
        )
    ],
    "ladder.index": _page(),
    "ladder.show": _ladders,
    "day.index": _page(),
    "day.show": _days,
    "api.list_ladders": _page(),
    "api.get_ladder": _ladders,
    "team.index": _page(),
    "team.show": _teams,
    "team.sheet": _teams,
    "api.list_team_matches": _page(),
    "api.get_team_match": _api_teams,
    "api.get_match": _matches,
    "club.index": _archers(),
    "club.show": _clubs,
    "club.member": _club_member,
    "club.join": _club_invitations,
    "api.list_clubs": lambda rule, visitor, _w, _l: [
        Case(fill(rule), 200 if visitor.signed_in else 401)
    ],
    "api.get_club": _api_clubs,
    "night.index": _night_list,
    "night.show": _nights,
    "night.leaderboard": _nights,
    "night.live_stream": _nights,
    "night.screen": _nights,
    "night.printable": _nights,
    "api.list_nights": _api_clubs,
    "api.get_night": _api_nights,
    "league.index": _night_list,
    "league.show": _leagues,
    "league.printable": _leagues,
    "api.list_leagues": _api_clubs,
    "api.get_league": _api_leagues,
    "api.match_odds": _matches,
    "share.index": _archers(),
    "share.new": _archers(),
    "share.link": _share_links,
    "share.club_list": _clubs,
    "share.club_round": _club_shares,
    "api.list_shares": lambda rule, visitor, _w, _l: [
        Case(fill(rule), 200 if visitor.signed_in else 401)
    ],
}


def get_rules(app: Flask) -> list[Rule]:
    return sorted(
        (rule for rule in app.url_map.iter_rules() if "GET" in (rule.methods or ())),
        key=lambda rule: (rule.rule, rule.endpoint),
    )


def test_every_get_page_is_known(app: Flask) -> None:
    endpoints = {rule.endpoint for rule in get_rules(app)}
    unknown = sorted(endpoints - PAGES.keys())
    assert unknown == [], f"add these GET endpoints to PAGES: {unknown}"
    gone = sorted(PAGES.keys() - endpoints)
    assert gone == [], f"no GET rule any more: {gone}"


def _check(visitor: Visitor, case: Case, language: str) -> str | None:
    """What is wrong with the answer, or None."""
    try:
        answer = visitor.client.get(case.path)
    except Exception as exc:  # TESTING: the app raises what would be a 500
        return f"{visitor.label}: GET {case.path} raised {type(exc).__name__}: {exc}"
    with answer:  # a static file's answer holds the file open
        return _wrong(visitor, case, language, answer)


def _wrong(
    visitor: Visitor, case: Case, language: str, answer: TestResponse
) -> str | None:
    where = f"{visitor.label}: GET {case.path} -> {answer.status_code}"
    if answer.status_code != case.status:
        return f"{where}, wanted {case.status}\n{answer.text[:2000]}"
    if case.location is not None:
        got = urlsplit(answer.headers.get("Location", ""))
        shown = got.path + (f"?{got.query}" if got.query else "")
        if not shown.startswith(case.location):
            return f"{where} to {shown}, wanted {case.location}"
    if answer.mimetype == "text/html" and not 300 <= answer.status_code < 400:
        text = answer.text
        if f'<html lang="{language}"' not in text:
            return f'{where}: not <html lang="{language}">'
        if found := ONE_OF_MANY.search(text):
            return f"{where}: a plural for one: {found.group(0)!r}"
    return None


#: "1 points", "1 flechas": a count of one with a plural noun (ngettext missed).
ONE_OF_MANY = re.compile(
    r"(?<![\d.,])1 (?:more )?(?:points|arrows|ends|seconds|matches|bows|"
    r"puntos|flechas|tandas|segundos|enfrentamientos|arcos)\b"
)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_in_every_state(app: Flask, language: str) -> None:
    full, world = archer_with_data(app, language)
    visitors = [anonymous_visitor(app, language), new_archer(app, language), full]
    problems = []
    seen = 0
    for visitor in visitors:
        for rule in get_rules(app):
            if rule.endpoint not in PAGES:
                problems.append(f"GET {rule.rule}: not in PAGES")
                continue
            for case in PAGES[rule.endpoint](rule, visitor, world, language):
                seen += 1
                problem = _check(visitor, case, language)
                if problem is not None:
                    problems.append(problem)
    assert problems == [], f"{len(problems)} of {seen} pages:\n" + "\n\n".join(problems)
    # And the pages are in that language.
    page = full.client.get("/history").text
    assert ("Porcentaje de victorias" in page) == (language == "es")
    assert ("Win rate" in page) == (language == "en")


def test_the_language_is_the_chosen_one_else_the_browsers(app: Flask) -> None:
    """What the test above relies on: ``/language/<code>`` (a cookie) wins
    over the browser's Accept-Language, which is used without one."""
    client = app.test_client()
    spanish = {"Accept-Language": "es-ES,es;q=0.9,en;q=0.5"}
    assert '<html lang="en"' in client.get("/about").text
    assert '<html lang="es"' in client.get("/about", headers=spanish).text
    use_language(client, "en")
    assert '<html lang="en"' in client.get("/about", headers=spanish).text
    use_language(client, "es")
    assert '<html lang="es"' in client.get("/about").text
