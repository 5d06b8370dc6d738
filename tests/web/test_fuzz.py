"""Whatever a client sends, the answer is a page or a clear 400, never a 500."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

text = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            *("", "0", "1", "2", "-1", "30", "1e309", "nan", "inf", "10.5", "X", "M"),
            *("wa18", "wa18_triple", "wa720_50_c", "on"),
        ]
    ),
)
FIELDS = [
    "kind",
    "bow",
    "indoor",
    "round",
    "ghost",
    "handicap",
    "score",
    "preset",
    "min_end",
    "max_end",
    "form",
    "scheme",
    "seed",
    "model",
    "steady",
]
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
FUZZ = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@pytest.fixture
def app(app: Flask) -> Flask:
    """Every example posts to one app: its match creation limit set aside."""
    app.config["MATCH_CREATION_LIMIT"] = "1000000 per minute"
    return app


@FUZZ
@given(form=st.dictionaries(st.sampled_from(FIELDS), text, max_size=8))
def test_new_match_form(app: Flask, form: dict[str, str]) -> None:
    client = app.test_client()
    assert client.post("/matches", data=form).status_code in (303, 400)
    assert client.get("/new", query_string=form).status_code == 200


@FUZZ
@given(
    query=st.dictionaries(
        st.sampled_from(
            [
                "type",
                "location",
                "modality",
                "min_points",
                "max_points",
                "competition_split",
            ]
        ),
        st.one_of(
            text,
            st.sampled_from(
                [
                    "eliminatorias",
                    "competicion",
                    "interior",
                    "exterior",
                    "qualifiers",
                    "competition",
                    "indoor",
                    "outdoor",
                    "compound",
                    "other",
                ]
            ),
        ),
        max_size=6,
    )
)
def test_legacy_links(app: Flask, query: dict[str, str]) -> None:
    response = app.test_client().get("/simulator.php", query_string=query)
    assert response.status_code in (200, 400)


@FUZZ
@given(
    query=st.dictionaries(
        st.sampled_from(["sex", "category", "age", "location"]),
        st.one_of(
            text,
            st.sampled_from(
                [
                    *("h", "m", "c", "o", "i", "lb", "d", "s15", "s19", "s21", "a"),
                    *("indoor", "outdoor", "interior", "exterior", "H", "LB", "S15"),
                ]
            ),
        ),
        max_size=4,
    )
)
def test_legacy_ghost_links(app: Flask, query: dict[str, str]) -> None:
    client = app.test_client()
    response = client.get("/ghost.php", query_string=query)
    assert response.status_code in (200, 400)


@FUZZ
@given(
    entries=st.lists(
        st.fixed_dictionaries(
            {},
            optional={
                "arrow": st.lists(text, max_size=5),
                "total": text,
                "end": text,
                "closer": text,
            },
        ),
        max_size=8,
    ),
    action=st.sampled_from(["ends", "correction", "shoot-off"]),
)
def test_match_entries(
    app: Flask, entries: list[dict[str, object]], action: str
) -> None:
    client = app.test_client()
    created = client.post(
        "/matches", data={"kind": "set", "ghost": "preset", "preset": "perfect"}
    )
    url = created.headers["Location"]
    for entry in entries:
        for path in (f"{url}/ends", f"{url}/{action}"):
            # 409: an entry for another end than the one due
            assert client.post(path, data=entry).status_code in (303, 400, 409)
    assert client.get(url).status_code == 200


@FUZZ
@given(
    query=st.dictionaries(
        st.sampled_from(["handicap", "kind", "bow", "indoor", "round", "scheme"]), text
    )
)
def test_expected_score_hint(app: Flask, query: dict[str, str]) -> None:
    assert app.test_client().get("/api/expected", query_string=query).status_code in (
        200,
        400,
    )


# -- every route, with ids and numbers at the edges ------------------------------------

#: Ids no row has: PostgreSQL's largest id (32 bits), beyond it, beyond 64
#: bits (SQLite's integers), and beyond the 4,300 digits Python converts to an
#: integer at all.
EDGE_IDS = [
    str(2**31 - 1),
    str(2**31),
    str(2**63),
    str(2**64),
    "1" + "0" * 30,
    "9" * 4301,
]
#: Numbers for every field a form or a query string has.
EDGE_NUMBERS = [str(2**63), "-" + str(2**63), "9" * 4301, "1e309", "-0", "²"]
#: Routes whose request ends the test's own sign-in.
SIGNS_OUT = {
    "accounts.logout",
    "accounts.delete_account",
    "accounts.sign_out_everywhere",
}


def _field_names() -> list[str]:
    """Every field any form of the app posts, and every query parameter."""
    from pathlib import Path

    import ghost_simulator

    templates = Path(ghost_simulator.__file__).parent / "templates"
    names = set(FIELDS)
    for page in templates.glob("*.html"):
        names |= set(re.findall(r'name="([a-z_]+)"', page.read_text("utf-8")))
    names |= {"page", "per_page", "q", "since", "until", "month", "total", "end"}
    return sorted(names)


def _api_fields(app: Flask) -> list[str]:
    document = app.test_client().get("/api/openapi.json").json
    assert document is not None
    names: set[str] = set()
    for schema in document["components"]["schemas"].values():
        names |= set(schema.get("properties", {}))
    return sorted(names)


def _signed_in_with_data(app: Flask) -> tuple[FlaskClient, dict[str, str]]:
    """A signed-in archer with a match, a bow, arrows, a sight mark, an arrow
    count, a token, a ghost ladder, a competition day and a team match: a
    real value for each kind of path argument."""
    client = app.test_client()
    form = {"username": "edges", "password": "a long password"}
    form["confirm_password"] = form["password"]
    assert client.post("/register", data=form).status_code == 303
    match = client.post("/matches", data={"kind": "set"}).headers["Location"]
    client.post("/equipment/bows", data={"name": "Club", "bowstyle": "recurve"})
    client.post("/equipment/arrows", data={"model": "X10", "diameter": "5.5"})
    client.post(
        "/equipment/bows/1/sight-marks",
        data={"distance": "18", "unit": "m", "mark": "4.5", "shot_on": "2026-01-02"},
    )
    client.post("/log/entries", data={"arrows": "60", "kind": "sighters"})
    client.post("/settings/tokens", data={"name": "script"})
    ladder = client.post("/ladders", data={"kind": "set", "handicap": "40"})
    day = client.post("/days", data={"field": "international", "score": "600"})
    team = client.post("/teams", data={"kind": "team", "handicap": "40"})
    club = client.post("/api/v1/clubs", json={"name": "Edges"}).json["id"]  # type: ignore[index]
    invitation = client.post(f"/api/v1/clubs/{club}/invitations", json={})
    now = datetime.now(UTC)
    night = client.post(
        f"/api/v1/clubs/{club}/nights",
        json={
            "title": "Edges night",
            "opens": (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "closes": (now + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    league = client.post(
        f"/api/v1/clubs/{club}/leagues",
        json={
            "title": "Edges league",
            "nights": 2,
            "opens": (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "closes": (now + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    values = {
        "day_id": day.headers["Location"].rsplit("/", 1)[1],
        "team_id": team.headers["Location"].rsplit("/", 1)[1],
        "match_id": match.rsplit("/", 1)[1],
        "ladder_id": ladder.headers["Location"].rsplit("/", 1)[1],
        "club_id": club,
        "night_id": night.json["id"],  # type: ignore[index]
        "league_id": league.json["id"],  # type: ignore[index]
        "token": invitation.json["token"],  # type: ignore[index]
        "archer_id": "1",
        "share_id": "no-such-share",
        "round_code": "wa18",
        "code": "wa18",
        "table": "matches",
        "choice": "dark",
        "filename": "style.css",
    }
    return client, values


def _paths(rule: Any, values: dict[str, str]) -> list[str]:
    """The rule's path with each integer argument at every edge, the others
    given real values."""
    integers = re.findall(r"<int:([a-z_]+)>", rule.rule)
    paths = []
    for edge in EDGE_IDS if integers else [""]:
        path = rule.rule
        for name in rule.arguments:
            value = edge if name in integers else values[name]
            path = re.sub(rf"<(?:[a-z]+(?:\([^)]*\))?:)?{name}>", value, path)
        paths.append(path)
    return paths


def test_every_route_takes_ids_and_numbers_at_the_edges(app: Flask) -> None:
    """No route answers a 500 for an id beyond 64 bits or a number of 4,301
    digits, in its path, its query string, its form or its JSON body: an id
    that cannot exist is a 404, a number that cannot be read a 400."""
    client, values = _signed_in_with_data(app)
    fields, api_fields = _field_names(), _api_fields(app)
    rules = [r for r in app.url_map.iter_rules() if r.endpoint not in SIGNS_OUT]
    assert len(rules) > 60
    checked = 0
    for rule in rules:
        methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
        for path in _paths(rule, values):
            for method in methods:
                for number in EDGE_NUMBERS:
                    data = dict.fromkeys(fields, number)
                    if method == "GET":
                        response = client.get(path, query_string=data)
                    elif path.startswith("/api/"):
                        body = "{%s}" % ", ".join(  # noqa: UP031 (a raw number)
                            f'"{name}": {number if number.isdigit() else 1e308}'
                            for name in api_fields
                        )
                        response = client.open(
                            path,
                            method=method,
                            data=body,
                            content_type="application/json",
                        )
                    else:
                        response = client.open(path, method=method, data=data)
                    assert response.status_code < 500, (method, path, number)
                    response.close()  # a static file is streamed
                    checked += 1
            if rule.arguments and any(p in path for p in EDGE_IDS[1:]):
                response = client.get(path) if "GET" in methods else None
                if response is not None:
                    assert response.status_code == 404, path
                    response.close()
    assert checked > 800
    # Still signed in, and every route above was reached as the archer.
    assert client.get("/settings").status_code == 200
