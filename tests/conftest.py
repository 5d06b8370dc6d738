"""Fixtures in the Flask tutorial's style: ``app``, ``client``, ``runner``.

Every test runs with its own config file and data directory, so nothing on the
machine running the tests (a real ~/.config/ghost-simulator) can leak in.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from ghost_simulator import create_app
from ghost_simulator.cli import cli


@pytest.fixture(autouse=True)
def isolated_settings(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """No GHOST_SIM_* or FLASK_* variable of the caller's, and private dirs."""
    import os

    home = tmp_path_factory.mktemp("home")
    for name in list(os.environ):
        if name.startswith(("GHOST_SIM_", "FLASK_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GHOST_SIM_CONFIG_FILE", str(home / "config.toml"))
    return home


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def app(data_dir: Path) -> Flask:
    # CSRF is tested on its own (tests/web/test_security.py); elsewhere forms
    # are posted without the token a page would carry.
    return create_app(
        {"TESTING": True, "DATA_DIR": str(data_dir), "WTF_CSRF_ENABLED": False}
    )


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner() -> CliRunner:
    """Runs the ``ghost-sim`` command in-process."""
    return CliRunner()


@pytest.fixture
def ghost_sim(runner: CliRunner):  # type: ignore[no-untyped-def]
    """``ghost_sim("info", "--json")`` runs the command and returns its result."""

    def invoke(*args: str, **kwargs):  # type: ignore[no-untyped-def]
        return runner.invoke(cli, list(args), prog_name="ghost-sim", **kwargs)

    return invoke


@pytest.fixture
def serve(isolated_settings: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    """``serve("--port", "0", ...)`` starts ``ghost-sim serve`` in a subprocess
    with a private data dir and returns it once it prints its URL."""
    from .servers import command_env, ghost_sim_command, start

    started = []

    def run(*args: str, env: dict[str, str] | None = None, wait: bool = True):  # type: ignore[no-untyped-def]
        full_env = command_env(isolated_settings, **(env or {}))
        full_env.setdefault("GHOST_SIM_DATA_DIR", str(tmp_path / "data"))
        server = start(ghost_sim_command("serve", *args), full_env, tmp_path, wait)
        started.append(server)
        return server

    yield run
    for server in started:
        server.stop()
