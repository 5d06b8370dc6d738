"""Team matches in the archer's export: carried as their state and times (the
archer's own only); brought back by an import with a new id, at version 1,
their status the engine's verdict on the replay (never the file's); a bad one
refused in one sentence naming it, writing nothing."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from ghost_simulator.engine.teams import TeamMatch
from ghost_simulator.services import teams, transfer
from ghost_simulator.services.viewers import Viewer
from ghost_simulator.store import get_session
from ghost_simulator.store import teams as stored_teams
from ghost_simulator.store.models import Archer, TeamMatchRow

from ..sessions import sign_in_as
from ..store.sample_matches import make_archer, make_archer_with_matches, table_snapshot
from ..team_play import shoot_off_win
from .test_teams import level_match

Edit = Callable[[dict[str, Any]], None]
#: A team match won in a shoot-off, and an unfinished mixed-team one.
TEAM = teams.TeamRequest(kind="team", bow="recurve", handicap=40.0)
MIXED = teams.TeamRequest(kind="mixed", bow="compound", handicap=40.0)


def _archer(archer_id: int) -> Archer:
    found = get_session().get(Archer, archer_id)
    assert found is not None
    return found


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the archers', matches', ladders' and team matches' tables."""
    session = get_session()
    return {
        **table_snapshot(),
        "team_matches": sorted(
            tuple(str(v) for v in row)
            for row in session.execute(TeamMatchRow.__table__.select())
        ),
    }


def _by_kind(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(items, key=lambda item: item["state"]["kind"])


@pytest.fixture
def with_teams(app: Flask) -> tuple[int, dict[str, str], dict[str, Any]]:
    """An archer with the sample matches, a team match won 5-4 in a shoot-off
    and a mixed one with one end shot (and another browser's team match, not
    theirs): the archer's id, their team matches' ids by kind, and their
    export (the team match first)."""
    with app.app_context():
        archer_id, _ids = make_archer_with_matches()
    with app.test_request_context():
        viewer = Viewer("browser-key", _archer(archer_id))
        won, plan = level_match(viewer, TEAM)
        for labels in plan:
            teams.add_end(viewer, won, labels)
        loaded = teams.load(viewer, won)
        assert loaded is not None
        label = shoot_off_win(loaded.match)
        assert label is not None
        teams.add_shoot_off(viewer, won, label)
        mixed = teams.create(viewer, MIXED)
        teams.add_end(viewer, mixed, ["10", "9"])
        teams.create(Viewer("another-browser"), TEAM)  # not the archer's
        document = transfer.export_archer(archer_id)
    document["team_matches"] = _by_kind(document["team_matches"])
    return archer_id, {"team": won, "mixed": mixed}, document


def test_the_export_carries_the_archers_team_matches(
    app: Flask, with_teams: tuple[int, dict[str, str], dict[str, Any]]
) -> None:
    archer_id, ids, document = with_teams
    assert document["version"] == 1
    carried = document["team_matches"]
    assert len(carried) == 2
    with app.app_context():
        for item, kind in zip(carried, ("mixed", "team"), strict=True):
            stored = stored_teams.load(ids[kind], stored_teams.Owner("x", archer_id))
            assert stored is not None
            assert set(item) == {"state", "created_at", "finished_at"}
            assert item["state"] == stored.state
    mixed, team = carried
    assert mixed["finished_at"] is None
    assert team["finished_at"] is not None
    assert team["state"]["shoot_offs"]
    transfer.dumps(document)  # JSON-ready


def test_team_matches_survive_export_and_import(
    app: Flask, with_teams: tuple[int, dict[str, str], dict[str, Any]]
) -> None:
    """Into a fresh archer: the same states, statuses and verdicts, new ids,
    version 1, and the team pages show them."""
    archer_id, ids, document = with_teams
    with app.app_context():
        archer = make_archer("robin-again")
        transfer.import_archer(archer.id, transfer.dumps(document))
        imported = stored_teams.of_archer(archer.id)
        before = stored_teams.of_archer(archer_id)
        kept = transfer.export_archer(archer.id)
    assert len(imported) == 2
    assert not {m.id for m in imported} & set(ids.values())
    assert {m.version for m in imported} == {1}
    by_kind = {m.kind: m for m in imported}
    old = {m.kind: m for m in before}
    for kind in ("team", "mixed"):
        new, was = by_kind[kind], old[kind]
        assert new.state == was.state
        assert new.status == was.status
        assert (new.bow, new.indoor, new.system) == (was.bow, was.indoor, was.system)
        assert new.created_at == was.created_at
        assert new.finished_at == was.finished_at
        after, then = TeamMatch.from_dict(new.state), TeamMatch.from_dict(was.state)
        assert after.verdict() == then.verdict()
    assert by_kind["team"].status == "won"
    assert TeamMatch.from_dict(by_kind["team"].state).verdict().reason == "shoot-off"
    assert by_kind["mixed"].status == "in_progress"
    assert by_kind["mixed"].finished_at is None
    assert _by_kind(kept["team_matches"]) == document["team_matches"]

    client = app.test_client()
    sign_in_as(client, archer.id)
    listing = client.get("/teams")
    assert listing.status_code == 200
    for match in imported:
        assert f"/teams/{match.id}" in listing.text
    assert f"/teams/{ids['team']}" not in listing.text
    page = client.get(f"/teams/{by_kind['team'].id}")
    assert page.status_code == 200
    assert "Your team wins 5-4 after a shoot-off" in page.text
    assert client.get(f"/teams/{by_kind['mixed'].id}").status_code == 200
    assert client.get(f"/teams/{ids['team']}").status_code == 404


def test_an_export_without_team_matches_still_imports(
    app: Flask, with_teams: tuple[int, dict[str, str], dict[str, Any]]
) -> None:
    document = copy.deepcopy(with_teams[2])
    del document["team_matches"]
    with app.app_context():
        archer = make_archer("robin-again")
        assert transfer.import_archer(archer.id, document) == len(document["matches"])
        assert stored_teams.of_archer(archer.id) == []
        assert transfer.export_archer(archer.id)["team_matches"] == []
    assert document["version"] == 1


def test_the_status_is_the_engines_not_the_files(
    app: Flask, with_teams: tuple[int, dict[str, str], dict[str, Any]]
) -> None:
    """A status (or a finish time) written into the file for an unfinished
    match is not kept: the replay says it is in progress."""
    document = copy.deepcopy(with_teams[2])
    mixed = document["team_matches"][0]
    mixed["status"] = "won"
    mixed["finished_at"] = mixed["created_at"]
    with app.app_context():
        archer = make_archer("robin-again")
        transfer.import_archer(archer.id, document)
        by_kind = {m.kind: m for m in stored_teams.of_archer(archer.id)}
    assert by_kind["mixed"].status == "in_progress"
    assert by_kind["mixed"].finished_at is None


# -- bad team matches ------------------------------------------------------------------


def _state(number: int, edit: Callable[[dict[str, Any]], None]) -> Edit:
    def change(document: dict[str, Any]) -> None:
        edit(document["team_matches"][number]["state"])

    return change


def _set(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(mapping: dict[str, Any]) -> None:
        mapping[key] = value

    return change


def _entry(number: int, key: str, value: Any) -> Edit:
    def change(document: dict[str, Any]) -> None:
        document["team_matches"][number][key] = value

    return change


def _drop_state(document: dict[str, Any]) -> None:
    del document["team_matches"][1]["state"]


def _not_a_list(document: dict[str, Any]) -> None:
    document["team_matches"] = {"state": {}}


SPOILED: list[tuple[str, Edit, str]] = [
    (
        "newer-state",
        _state(0, _set("version", 2)),
        "Team match 1: the match cannot be replayed: Unsupported team match state"
        " version 2.",
    ),
    (
        "unknown-kind",
        _state(1, _set("kind", "trio")),
        "Team match 2: the match cannot be replayed: Unknown team match kind 'trio'",
    ),
    (
        "unknown-bow",
        _state(0, _set("bow", "crossbow")),
        "Team match 1: the match cannot be replayed: Unknown bow 'crossbow'",
    ),
    (
        "indoor-as-text",
        _state(0, _set("indoor", "no")),
        "Team match 1: state's indoor must be true or false, not a text.",
    ),
    (
        "seed-as-text",
        _state(0, _set("seed", "5")),
        "Team match 1: state's seed",
    ),
    (
        "system-left-to-the-engine",
        _state(1, _set("system", "")),
        "Team match 2: its state's system is '', but the match is played as 'set'.",
    ),
    (
        "one-teammate-short",
        _state(1, lambda state: state["teammates"].pop()),
        "Team match 2: the match cannot be replayed: A team match has 2 ghost"
        " teammate(s) and 3 ghost opponents.",
    ),
    (
        "a-ghost-that-is-no-ghost",
        _state(0, _set("opponents", ["ghost", "ghost"])),
        "Team match 1: the match cannot be replayed:",
    ),
    (
        "an-end-after-the-match",
        _state(1, lambda state: state["archer_ends"].append(["X", "X"])),
        "Team match 2: the match cannot be replayed: The match is level: it goes"
        " to a team shoot-off.",
    ),
    (
        "an-arrow-not-on-the-face",
        _state(0, _set("archer_ends", [["Q", "X"]])),
        "Team match 1: the match cannot be replayed:",
    ),
    (
        "a-shoot-off-not-due",
        _state(0, _set("shoot_offs", [{"label": "X"}])),
        "Team match 1: the match cannot be replayed:",
    ),
    ("no-state", _drop_state, "Team match 2: state is missing."),
    (
        "state-as-a-list",
        _entry(0, "state", []),
        "Team match 1: state must be an object, not a list.",
    ),
    ("bad-time", _entry(0, "created_at", "yesterday"), "Team match 1: created_at"),
    (
        "not-a-list",
        _not_a_list,
        "The export: team_matches must be a list, not an object.",
    ),
]


@pytest.mark.parametrize(
    ("spoil", "message"),
    [pytest.param(spoil, message, id=why) for why, spoil, message in SPOILED],
)
def test_spoiled_team_matches_are_refused(
    app: Flask,
    with_teams: tuple[int, dict[str, str], dict[str, Any]],
    spoil: Edit,
    message: str,
) -> None:
    document = copy.deepcopy(with_teams[2])
    spoil(document)
    with app.app_context():
        archer = make_archer("robin-again")
        before = snapshot()
        with pytest.raises(transfer.TransferError) as caught:
            transfer.import_archer(archer.id, document)
        assert snapshot() == before
    said = str(caught.value)
    assert said.startswith(message)
    assert "\n" not in said
    assert said.endswith(".")


def test_more_team_matches_than_an_import_takes_are_refused(
    app: Flask,
    with_teams: tuple[int, dict[str, str], dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(transfer, "MAX_TEAM_MATCHES", 1)
    document = copy.deepcopy(with_teams[2])
    with app.app_context():
        archer = make_archer("robin-again")
        before = snapshot()
        with pytest.raises(
            transfer.TransferError,
            match=r"^Team match 2: the export has 2 team matches, and an import"
            r" takes at most 1\.$",
        ):
            transfer.import_archer(archer.id, document)
        assert snapshot() == before


def test_team_matches_count_towards_a_pages_import(
    app: Flask, with_teams: tuple[int, dict[str, str], dict[str, Any]]
) -> None:
    """A page imports as much replaying as it may: the team matches too."""
    document = with_teams[2]
    just_the_matches = sum(transfer._work(raw) for raw in document["matches"])
    with app.app_context():
        archer = make_archer("robin-again")
        before = snapshot()
        with pytest.raises(transfer.TransferError, match="more than a page imports"):
            transfer.import_archer(archer.id, document, most_work=just_the_matches)
        assert snapshot() == before
