"""Schemathesis against the real app, in-process: every operation of the
OpenAPI document with generated requests (valid and invalid), every answer
checked against the document (status, content type, headers, body) and never
a server error. Bounded and derandomised, so it runs the same every time.

With the token, generated match and ladder ids are swapped for a real match
and ladder of the caller's, so the play and ladder operations run on ones
that exist; without it,
every id is unknown (404). A stateful run follows the document's links (start
a match, then enter ends, read it, read the odds).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, settings
from werkzeug.security import generate_password_hash

from ghost_simulator import create_app
from ghost_simulator.store import archers, tokens
from ghost_simulator.web.api.openapi import document

#: Examples per operation: enough to reach each body's checks, few enough for
#: a 2-core CI runner.
EXAMPLES = 25

SETTINGS = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)

# The document as the app serves it (test_openapi checks they are the same).
schema = schemathesis.openapi.from_dict(document())
# Schema-valid is not always usable: a preset that does not exist, a min/max
# range no face can score, a ghost of your own past without a past. The API
# answers those 422 (a body) or 400 (a query), as its document says; every
# other check keeps its defaults.
schema.config.checks.positive_data_acceptance.expected_statuses = [
    *schema.config.checks.positive_data_acceptance.expected_statuses,
    "400",
    "422",
]


class Caller:
    """The archer the generated requests act for, and a match of theirs."""

    def __init__(self, app: Flask) -> None:
        with app.app_context():
            archer = archers.create(
                "schemathesis", generate_password_hash("pw", method="scrypt:1024:8:1")
            )
            self.token = tokens.create(archer.id, "schemathesis")[1]
        started = app.test_client().post(
            "/api/v1/matches", json={}, headers=self.headers
        )
        assert started.status_code == 201
        self.match_id = str(started.json["id"])  # type: ignore[index]
        ladder = app.test_client().post(
            "/api/v1/ladders", json={"handicap": 40}, headers=self.headers
        )
        assert ladder.status_code == 201
        self.ladder_id = str(ladder.json["id"])  # type: ignore[index]
        team = app.test_client().post(
            "/api/v1/team-matches", json={"handicap": 40}, headers=self.headers
        )
        assert team.status_code == 201
        self.team_id = str(team.json["id"])  # type: ignore[index]
        club = app.test_client().post(
            "/api/v1/clubs", json={"name": "Schemathesis"}, headers=self.headers
        )
        assert club.status_code == 201
        self.club_id = str(club.json["id"])  # type: ignore[index]
        now = datetime.now(UTC)
        night = app.test_client().post(
            f"/api/v1/clubs/{self.club_id}/nights",
            json={
                "title": "Schemathesis night",
                "opens": (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
                "closes": (now + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
            },
            headers=self.headers,
        )
        assert night.status_code == 201
        self.night_id = str(night.json["id"])  # type: ignore[index]
        league = app.test_client().post(
            f"/api/v1/clubs/{self.club_id}/leagues",
            json={
                "title": "Schemathesis league",
                "nights": 2,
                "opens": (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
                "closes": (now + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
            },
            headers=self.headers,
        )
        assert league.status_code == 201
        self.league_id = str(league.json["id"])  # type: ignore[index]

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@pytest.fixture
def api_app(data_dir: Path) -> Flask:
    # Not TESTING: an exception in a view is answered as the API answers it
    # (and then reported by the not_a_server_error check), not raised here.
    return create_app({"DATA_DIR": str(data_dir), "RATELIMIT_ENABLED": False})


@pytest.fixture
def caller(api_app: Flask) -> Caller:
    return Caller(api_app)


def _serve(case: Any, app: Flask) -> None:
    """Send the case, and the checks' own probes, to this test's app."""
    case.operation.app = app
    case.operation.schema.app = app


def _real_ids(case: Any, caller: Caller) -> None:
    """Point a generated match (ladder) id at the caller's real match (ladder;
    unknown ids get their 404 in the test without a token, where every id is
    someone else's)."""
    params = case.path_parameters or {}
    match_id = params.get("match_id")
    if isinstance(match_id, str) and 1 <= len(match_id) <= 32:  # a valid id
        params["match_id"] = caller.match_id
    ladder_id = params.get("ladder_id")
    if isinstance(ladder_id, str) and 1 <= len(ladder_id) <= 32:
        params["ladder_id"] = caller.ladder_id
    team_id = params.get("team_id")
    if isinstance(team_id, str) and 1 <= len(team_id) <= 32:
        params["team_id"] = caller.team_id
    club_id = params.get("club_id")
    if isinstance(club_id, str) and 1 <= len(club_id) <= 32:
        params["club_id"] = caller.club_id
    night_id = params.get("night_id")
    if isinstance(night_id, str) and 1 <= len(night_id) <= 32:
        params["night_id"] = caller.night_id
    league_id = params.get("league_id")
    if isinstance(league_id, str) and 1 <= len(league_id) <= 32:
        params["league_id"] = caller.league_id


@schema.parametrize()
@SETTINGS
def test_api_conforms_to_its_document(
    case: Any, api_app: Flask, caller: Caller
) -> None:
    _real_ids(case, caller)
    _serve(case, api_app)
    case.call_and_validate(headers=caller.headers)


@schema.parametrize()
@SETTINGS
def test_api_conforms_without_a_token(case: Any, api_app: Flask) -> None:
    """A browser without a session: anonymous matches, a 401 for the history."""
    _serve(case, api_app)
    case.call_and_validate()


def test_api_stateful(api_app: Flask, caller: Caller) -> None:
    schema.app = api_app

    class Workflow(schema.as_state_machine()):  # type: ignore[misc]
        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"headers": caller.headers}

        def validate_response(
            self, response: Any, case: Any, additional_checks: Any = None, **kwargs: Any
        ) -> None:
            # The token is the caller's own, not generated: say so to the checks.
            case.validate_response(
                response,
                additional_checks=additional_checks,
                headers=caller.headers,
                transport_kwargs=kwargs or None,
                recorder=getattr(self, "recorder", None),
            )

    Workflow.run(
        settings=settings(
            max_examples=15,
            stateful_step_count=8,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
    )
