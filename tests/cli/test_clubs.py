"""``ghost-sim clubs``: the server's administrator lists, shows and deletes
clubs; every error is one line."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from ghost_simulator import create_app
from ghost_simulator.cli import cli
from ghost_simulator.store import archers, get_session, write
from ghost_simulator.store import clubs as stored
from ghost_simulator.store.models import GhostNight


@pytest.fixture
def run(runner: CliRunner, data_dir: Path):  # type: ignore[no-untyped-def]
    def invoke(*args: str, stdin: str | None = None):  # type: ignore[no-untyped-def]
        return runner.invoke(
            cli, ["clubs", *args, "--data-dir", str(data_dir)], input=stdin
        )

    return invoke


def make_club(data_dir: Path) -> str:
    app = create_app({"TESTING": True, "DATA_DIR": str(data_dir)})
    with app.app_context():
        owner = archers.create("robin", "x")
        other = archers.create("marian", "x")
        club_id = stored.create(owner.id, "Sherwood Archers", "Nottingham", None)
        stored.join(club_id, other.id)
        now = datetime.now(UTC)
        write(
            lambda s: s.add(
                GhostNight(
                    id="n" * 16,
                    club_id=club_id,
                    title="Friday",
                    match={},
                    ranking="score",
                    opens_at=now,
                    closes_at=now + timedelta(days=1),
                    timezone="UTC",
                )
            )
        )
    return club_id


def test_list_show_delete(run, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    empty = run("list")
    assert empty.exit_code == 0, empty.output
    assert "No clubs yet" in empty.output
    club_id = make_club(data_dir)
    listed = run("list", "--json")
    assert listed.exit_code == 0, listed.output
    (row,) = json.loads(listed.output)
    assert row["id"] == club_id
    assert row["members"] == 2
    assert "Sherwood Archers" in run("list").output
    shown = run("show", club_id, "--json")
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.output)
    assert data["nights"] == 1
    assert data["leagues"] == 0
    assert [(m["username"], m["role"]) for m in data["members"]] == [
        ("robin", "owner"),
        ("marian", "member"),
    ]
    text = run("show", club_id).output
    assert "Ghost nights: 1" in text
    assert "Postal leagues: 0" in text
    assert "marian" in text
    refused = run("delete", club_id, stdin="n\n")
    assert refused.exit_code == 1
    deleted = run("delete", club_id, "--yes")
    assert deleted.exit_code == 0, deleted.output
    app = create_app({"TESTING": True, "DATA_DIR": str(data_dir)})
    with app.app_context():
        assert stored.load(club_id) is None
        assert get_session().get(GhostNight, "n" * 16) is None
        assert archers.by_login("marian") is not None


@pytest.mark.parametrize("command", ["show", "delete"])
def test_a_missing_club_is_one_line(run, command: str) -> None:  # type: ignore[no-untyped-def]
    answer = (
        run(command, "nosuchclub", "--yes")
        if command == "delete"
        else run(command, "nosuchclub")
    )
    assert answer.exit_code == 1
    assert "There is no club 'nosuchclub'" in answer.output
    assert "Traceback" not in answer.output
