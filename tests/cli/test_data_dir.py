"""A mistyped data dir or database is refused, naming the path looked at:
only ``serve`` and ``db upgrade`` create a database (and say where)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ghost_simulator import serving
from ghost_simulator.store.migrate import head_revision

from ..databases import postgres_url

#: SQLite files: the subject is a database file that is not there.
pytestmark = pytest.mark.skipif(
    postgres_url() is not None, reason="a missing file is SQLite's case"
)


@pytest.mark.parametrize(
    "args",
    [
        ["archers", "list"],
        ["archers", "export", "robin"],
        ["archers", "create", "robin", "--password-stdin"],
        ["archers", "reset-password", "robin", "--password-stdin"],
        ["archers", "delete", "robin", "--yes"],
        ["db", "current"],
    ],
)
def test_a_missing_database_is_refused_and_nothing_made(
    ghost_sim, tmp_path: Path, args: list[str]
) -> None:  # type: ignore[no-untyped-def]
    mistyped = tmp_path / "srv" / "ghst"
    result = ghost_sim(*args, "--data-dir", str(mistyped), input="a long password\n")
    assert result.exit_code == 1, result.output
    assert f"No database at {mistyped / 'ghost-simulator.db'}" in result.output
    assert "--data-dir" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "srv").exists()


def test_the_refusal_names_the_environment_variable(
    ghost_sim, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("GHOST_SIM_DATABASE_URL", f"sqlite:///{tmp_path}/typo.db")
    result = ghost_sim("archers", "list")
    assert result.exit_code == 1
    assert f"No database at {tmp_path}/typo.db" in result.output
    assert "GHOST_SIM_DATABASE_URL" in result.output
    assert not (tmp_path / "typo.db").exists()


def test_db_upgrade_creates_and_says_where(ghost_sim, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = ghost_sim("db", "upgrade", "--data-dir", str(tmp_path / "new"))
    assert result.exit_code == 0, result.output
    assert str(tmp_path / "new" / "ghost-simulator.db") in result.output
    assert ghost_sim("archers", "list", "--data-dir", str(tmp_path / "new")).output == (
        "No archers yet. Create one with 'ghost-sim archers create'.\n"
    )


def test_db_upgrade_base_is_no_downgrade(ghost_sim, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = ["--data-dir", str(tmp_path)]
    assert ghost_sim("db", "upgrade", *data).exit_code == 0
    for target in ("base", "0001"):
        result = ghost_sim("db", "upgrade", target, *data)
        assert result.exit_code == 1
        assert "downgrades are not supported" in result.output
    current = ghost_sim("db", "current", *data)
    assert current.output.strip() == f"{head_revision()} (up to date)"


def test_serve_says_it_made_a_new_database(
    ghost_sim, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    calls: dict[str, Any] = {}
    monkeypatch.setattr(serving, "run_development", lambda app, **kw: calls.update(kw))
    result = ghost_sim("serve", "--data-dir", str(tmp_path / "d"))
    assert result.exit_code == 0, result.output
    calls["on_ready"](serving.Addresses.for_socket("127.0.0.1", 5000, False))
    shown = capsys.readouterr().out
    assert f"Created a new database: {tmp_path / 'd' / 'ghost-simulator.db'}" in shown
    calls.clear()
    assert ghost_sim("serve", "--data-dir", str(tmp_path / "d")).exit_code == 0
    calls["on_ready"](serving.Addresses.for_socket("127.0.0.1", 5000, False))
    assert "Created a new database" not in capsys.readouterr().out
