"""What only a real PostgreSQL can get wrong: that the run is on it at all,
time zones, JSON kept to the last digit, and values as long as the forms
allow. The rest of the suite runs on it too
(``GHOST_SIM_TEST_DATABASE_URL``)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from ghost_simulator import create_app
from ghost_simulator.engine import Ghost, Match, get_round
from ghost_simulator.engine.constants import BOWS, SCHEMES
from ghost_simulator.passwords import hash_password
from ghost_simulator.services.accounts import (
    AGE_CLASSES,
    EMAIL_MAX,
    NAME_MAX,
    SEASONS,
    SEXES,
)
from ghost_simulator.store import archers, get_engine, get_session, history, matches

from ..databases import with_settings

pytestmark = pytest.mark.postgres

#: UTC+13:45 in its summer: a session in it gets every time in it.
FAR_ZONE = "Pacific/Chatham"


def test_the_run_is_on_postgresql(app: Flask) -> None:
    """The whole suite's apps use PostgreSQL in this run, never a SQLite file."""
    engine = get_engine(app)
    assert engine.dialect.name == "postgresql"
    with engine.connect() as connection:
        version = connection.execute(text("SHOW server_version_num")).scalar_one()
    assert int(version) >= 150000


@pytest.fixture
def far_app(app: Flask) -> Iterator[Flask]:
    """An app on the same database whose connections live in a far time zone."""
    url = with_settings(app.config["DATABASE_URL"], timezone=FAR_ZONE)
    config = {"TESTING": True, "DATA_DIR": app.instance_path, "DATABASE_URL": url}
    far = create_app(config)
    yield far
    get_engine(far).dispose()


def _keep(archer_id: int, seed: int = 7) -> str:
    match = Match("ranking", get_round("wa18"), Ghost.from_handicap(40), seed)
    match.add_end(["10", "9", "9"])
    owner = matches.Owner("browser", archer_id)
    return matches.create(owner, match.to_dict(), "in_progress", match.summary())


def test_times_are_instants_whatever_the_session_time_zone(
    app: Flask, far_app: Flask
) -> None:
    before = datetime.now(UTC) - timedelta(seconds=1)
    with far_app.app_context():
        with get_engine(far_app).connect() as connection:
            assert connection.execute(text("SHOW timezone")).scalar_one() == FAR_ZONE
        archer = archers.create("robin", hash_password("a long password"))
        match_id = _keep(archer.id)
        kept = matches.load(match_id, matches.Owner("browser", archer.id))
        assert kept is not None
        far_start = kept.created_at
        # A filter from the far zone's midnight finds the match made just now.
        midnight = datetime.now(UTC).astimezone(far_start.tzinfo)
        midnight = midnight.replace(hour=0, minute=0, second=0, microsecond=0)
        rows, _ = history.list_matches(archer.id, since=midnight)
        assert [row.id for row in rows] == [match_id]
        rows, _ = history.list_matches(archer.id, until=before)
        assert rows == []
    after = datetime.now(UTC) + timedelta(seconds=1)
    with app.app_context():
        kept = matches.load(match_id, matches.Owner("browser", archer.id))
        assert kept is not None
    assert far_start.utcoffset() != timedelta(0)  # read in the far zone
    assert kept.created_at == far_start  # the same instant, from either session
    assert before <= kept.created_at <= after


def test_json_is_kept_to_the_last_digit(app: Flask) -> None:
    """The state is stored as written (json, not jsonb): floats to the last bit,
    any text, the keys in their order, and the largest seed a match draws."""
    seed = 2**63 - 1
    match = Match("ranking", get_round("wa18"), Ghost.from_handicap(40), seed)
    match.add_end(["10", "9", "9"])
    state = match.to_dict()
    state["ghost"]["source"] = {
        "zeta": 0.1 + 0.2,
        "alpha": 1e-300,
        "note": 'Ñandú 🎯 "quoted" \\ back',
        "nested": [{"b": 1, "a": 2}],
    }
    with app.app_context():
        owner = matches.Owner("browser")
        match_id = matches.create(owner, state, "in_progress", match.summary())
        get_session().close()
        kept = matches.load(match_id, owner)
        assert kept is not None
        with get_engine(app).connect() as connection:
            stored_seed = connection.execute(
                text("SELECT seed FROM matches WHERE id = :id"), {"id": match_id}
            ).scalar_one()
    assert kept.state == state
    assert json.dumps(kept.state) == json.dumps(state)  # the keys' order too
    assert Match.from_dict(kept.state).seed == seed == stored_seed


def test_the_longest_values_the_forms_accept_fit_their_columns(
    client: FlaskClient, app: Flask
) -> None:
    """PostgreSQL refuses text longer than its column (SQLite keeps it): the
    longest value each account form accepts is stored, not a 500."""
    username = "r" * 64
    domain = "d" * (EMAIL_MAX - len("@.org") - 64)
    email = f"{'e' * 64}@{domain}.org"  # the longest local part, and address
    password = "a long enough password"
    answer = client.post(
        "/register",
        data={
            "username": username,
            "email": email,
            "password": password,
            "confirm_password": password,
        },
    )
    assert answer.status_code == 303, answer.text
    profile = {
        "name": "N" * NAME_MAX,
        "bowstyle": max(BOWS, key=len),
        "age_class": max(AGE_CLASSES, key=len),
        "season": max(SEASONS, key=len),
        "scheme": max(SCHEMES, key=len),
        "sex": max(SEXES, key=len),
        "locale": max(app.config["LANGUAGES"], key=len),
    }
    answer = client.post("/settings/profile", data=profile)
    assert answer.status_code == 303, answer.text
    with app.app_context():
        archer = archers.by_login(username)
        assert archer is not None
        assert archer.email == email
        assert {key: getattr(archer, key) for key in profile} == profile
