"""Under pressure from the archer's stored matches."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from werkzeug.security import generate_password_hash

from ghost_simulator.engine import Ghost, Match, get_round
from ghost_simulator.services import pressure
from ghost_simulator.store import archers, get_session, matches
from ghost_simulator.store.models import Archer
from ghost_simulator.store.models import Match as Row

from ..engine.test_pressure import simulated

NOON = datetime(2026, 3, 1, 12, tzinfo=UTC)


@pytest.fixture
def context(app: Flask) -> Iterator[None]:
    with app.test_request_context():
        yield


def make_archer(username: str = "alice") -> Archer:
    return archers.create(
        username, generate_password_hash("pw", method="scrypt:1024:8:1")
    )


def keep(archer_id: int, played: list[Match], first_day: int = 0) -> list[str]:
    """Keep engine matches as the archer's, a day apart, oldest first."""
    ids = []
    for day, match in enumerate(played, start=first_day):
        owner = matches.Owner(f"elsewhere-{archer_id}", archer_id)
        match_id = matches.create(
            owner, match.to_dict(), match.verdict().status, match.summary()
        )
        row = get_session().get(Row, match_id)
        assert row is not None
        row.created_at = NOON + timedelta(days=day)
        get_session().commit()
        ids.append(match_id)
    return ids


def test_the_archers_finished_matches_are_read_oldest_first(context: None) -> None:
    me, other = make_archer(), make_archer("bob")
    played = simulated(12)
    keep(me.id, played)
    keep(other.id, simulated(3, seed=2))
    # A ranking round and an unfinished match are not elimination matches.
    ranking = Match("ranking", get_round("wa18"), Ghost.from_handicap(30), 0)
    ranking.add_end(["10", "9", "9"])
    unfinished = Match("set", played[0].round, Ghost.from_handicap(30), 99)
    unfinished.add_end(["10", "9", "9"])
    keep(me.id, [ranking, unfinished], first_day=20)
    read = pressure.finished_matches(me.id)
    assert [m.seed for m in read] == [m.seed for m in played]
    assert pressure.match_codes(me.id) == ["match_recurve_outdoor"]
    assert pressure.finished_matches(me.id, round_code="match_compound_indoor") == []
    assert len(pressure.finished_matches(me.id, bow="recurve")) == 12


def test_the_figures_are_the_engines(context: None) -> None:
    me = make_archer()
    played = simulated(60)
    keep(me.id, played)
    found = pressure.archer_pressure(me.id, "AGB")
    assert found is not None
    assert found.matches == 60
    assert found.sets.count >= 5
    assert found.sets.percentile is not None
    data = pressure.as_dict(found)
    assert data["sets"]["count"] == found.sets.count
    assert len(data["pressure_sets"]) == found.sets.count
    assert data["method"]["high"] == 80.0
    same = pressure.archer_pressure(me.id, "AGB", round_code="match_recurve_outdoor")
    assert same is not None
    assert same.sets == found.sets
    by_bow = pressure.pressure_by_bow(me.id, "AGB")
    assert list(by_bow) == ["recurve"]
    assert by_bow["recurve"].sets == found.sets


def test_no_matches_no_figures(context: None) -> None:
    me = make_archer()
    assert pressure.archer_pressure(me.id, "AGB") is None
    assert pressure.pressure_by_bow(me.id, "AGB") == {}


def test_the_api_gives_the_figures(app: Flask) -> None:
    """GET /api/v1/pressure: 401 anonymous, 404 with no finished match, the
    engine's figures once there are matches, 400 for a bad format code."""
    from ..sessions import sign_in_as

    client = app.test_client()
    assert client.get("/api/v1/pressure").status_code == 401
    with app.app_context():
        me = make_archer()
        me_id = me.id
    sign_in_as(client, me_id)
    empty = client.get("/api/v1/pressure")
    assert empty.status_code == 404
    assert "no finished elimination match" in empty.json["error"]["message"]
    with app.test_request_context():
        keep(me_id, simulated(40))
    answer = client.get("/api/v1/pressure?round=match_recurve_outdoor&bow=recurve")
    assert answer.status_code == 200, answer.json
    body = answer.json
    assert body["matches"] == 40
    assert body["sets"]["count"] == len(body["pressure_sets"])
    assert body["sets"]["verdict"] in ("calmer", "as_level", "below", "not_enough")
    assert client.get("/api/v1/pressure?bow=compound").status_code == 404
    assert client.get("/api/v1/pressure?round=wa18").status_code == 400
    assert client.get("/api/v1/pressure?scheme=XYZ").status_code == 400


def test_the_command_line_gives_the_figures(app: Flask, runner, data_dir) -> None:  # type: ignore[no-untyped-def]
    import json

    from click.testing import CliRunner

    from ghost_simulator.cli import cli

    def run(*args: str):  # type: ignore[no-untyped-def]
        return CliRunner().invoke(
            cli, ["archers", *args, "--data-dir", str(data_dir)], catch_exceptions=False
        )

    with app.test_request_context():
        me = make_archer("robin")
        me_id = me.id
    none = run("pressure", "robin")
    assert none.exit_code == 1
    assert "robin has no finished elimination match yet" in none.output
    with app.test_request_context():
        keep(me_id, simulated(40))
    shown = run("pressure", "robin", "--bow", "recurve")
    assert shown.exit_code == 0, shown.output
    assert "robin under pressure (40 matches, AGB)" in shown.output
    assert "deciding sets:" in shown.output
    data = json.loads(run("pressure", "robin", "--json").output)
    assert data["matches"] == 40
    assert run("pressure", "robin", "--bow", "sling").exit_code == 2
    assert run("pressure", "nobody").exit_code == 1
