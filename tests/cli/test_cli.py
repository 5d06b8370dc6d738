"""The ``ghost-sim`` command in-process: help, version, info, db, and every
error a user can make when serving, each one clear line and a non-zero exit."""

from __future__ import annotations

import json
import socket
import sys
from pathlib import Path
from typing import Any

import pytest

from ghost_simulator import __version__, serving
from ghost_simulator.store.migrate import head_revision

#: The command line's options and errors; the tests of ``db`` and ``info``'s
#: schema, which are about the database in use, are marked ``database``.
pytestmark = pytest.mark.database_agnostic


def test_version(ghost_sim) -> None:  # type: ignore[no-untyped-def]
    result = ghost_sim("--version")
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == f"ghost-sim {__version__}"
    assert "Flask " in result.output


def test_python_dash_m_is_the_same_command(isolated_settings: Path) -> None:
    import subprocess

    result = subprocess.run(
        [sys.executable, "-m", "ghost_simulator", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.splitlines()[0] == f"ghost-sim {__version__}"


def test_help_lists_commands(ghost_sim) -> None:  # type: ignore[no-untyped-def]
    result = ghost_sim("--help")
    assert result.exit_code == 0
    for command in ("serve", "info", "db", "routes", "shell"):
        assert f"  {command}" in result.output
    assert "  run " not in result.output


def test_routes_command_is_flasks(ghost_sim, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = ghost_sim("routes", env={"GHOST_SIM_DATA_DIR": str(tmp_path)})
    assert result.exit_code == 0, result.output
    assert "pages.about" in result.output
    assert "/about" in result.output


def test_shell_command_has_the_app(ghost_sim, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = ghost_sim(
        "shell",
        input="print('name=' + app.name)\n",
        env={"GHOST_SIM_DATA_DIR": str(tmp_path)},
    )
    assert result.exit_code == 0, result.output
    assert "name=ghost_simulator" in result.output


# -- info ----------------------------------------------------------------------


@pytest.mark.sqlite_only
def test_info(ghost_sim, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = ghost_sim("info", "--data-dir", str(tmp_path / "d"))
    assert result.exit_code == 0, result.output
    assert f"Ghost Simulator: {__version__}" in result.output.replace("  ", " ")
    assert str(tmp_path / "d") in result.output
    assert "not found: defaults apply" in result.output
    assert "not created yet" in result.output
    assert "Python:" in result.output
    assert not (tmp_path / "d").exists()  # info only looks


@pytest.mark.database  # the schema of the database in use
def test_info_json(ghost_sim, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ghost_sim("db", "upgrade", "--data-dir", str(tmp_path))
    result = ghost_sim("info", "--json", "--data-dir", str(tmp_path))
    details = json.loads(result.output)
    assert details["version"] == __version__
    assert details["data_dir"] == str(tmp_path)
    assert details["schema"]["current"] == head_revision()
    assert details["packages"]["Flask"]


def test_info_masks_the_database_password(ghost_sim) -> None:  # type: ignore[no-untyped-def]
    url = "postgresql+psycopg://archer:s3cret-pw@127.0.0.1:1/ghosts"
    result = ghost_sim("info", "--database-url", url)
    assert result.exit_code == 0, result.output
    assert "s3cret-pw" not in result.output
    assert "archer:***@127.0.0.1" in result.output


def test_info_never_shows_the_secret_key(ghost_sim) -> None:  # type: ignore[no-untyped-def]
    result = ghost_sim("info", env={"GHOST_SIM_SECRET_KEY": "top-secret-value"})
    assert "top-secret-value" not in result.output
    assert "set in the environment" in result.output


def test_info_reads_the_config_file(ghost_sim, isolated_settings: Path) -> None:  # type: ignore[no-untyped-def]
    (isolated_settings / "config.toml").write_text('data_dir = "/srv/ghosts"\n')
    result = ghost_sim("info", "--json")
    details = json.loads(result.output)
    assert details["data_dir"] == "/srv/ghosts"
    assert details["config_file_found"] is True


def test_command_line_beats_environment(ghost_sim, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = ghost_sim(
        "info",
        "--json",
        "--data-dir",
        str(tmp_path / "cli"),
        env={"GHOST_SIM_DATA_DIR": str(tmp_path / "env")},
    )
    assert json.loads(result.output)["data_dir"] == str(tmp_path / "cli")
    result = ghost_sim(
        "info", "--json", env={"GHOST_SIM_DATA_DIR": str(tmp_path / "env")}
    )
    assert json.loads(result.output)["data_dir"] == str(tmp_path / "env")


# -- db ------------------------------------------------------------------------


def test_db_upgrade_and_current(ghost_sim, tmp_path: Path, fresh_database) -> None:  # type: ignore[no-untyped-def]
    data = ["--data-dir", str(tmp_path)]
    if url := fresh_database(migrated=False):  # PostgreSQL: an empty schema
        data += ["--database-url", url]
    assert ghost_sim("db", "current", "--check", *data).exit_code == 1
    result = ghost_sim("db", "upgrade", *data)
    assert result.exit_code == 0, result.output
    assert f"from empty to {head_revision()}" in result.output
    result = ghost_sim("db", "upgrade", *data)
    assert "already at revision" in result.output
    result = ghost_sim("db", "current", "--check", *data)
    assert result.exit_code == 0
    assert result.output.strip() == f"{head_revision()} (up to date)"


@pytest.mark.database  # the schema of the database in use
def test_db_upgrade_unknown_revision(ghost_sim, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = ghost_sim("db", "upgrade", "nosuchrev", "--data-dir", str(tmp_path))
    assert result.exit_code == 1
    assert "Cannot upgrade to 'nosuchrev'" in result.output
    assert "Traceback" not in result.output


def test_db_with_bad_url(ghost_sim) -> None:  # type: ignore[no-untyped-def]
    result = ghost_sim("db", "upgrade", "--database-url", "nonsense")
    assert result.exit_code == 1
    assert result.output.startswith("Error: Invalid database URL 'nonsense'")


# -- serve: options reach the server --------------------------------------------


@pytest.fixture
def captured(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Stand in for the server loops, recording what they were asked to do."""
    calls: dict[str, Any] = {}

    def fake(name: str):  # type: ignore[no-untyped-def]
        def run(app, **kwargs):  # type: ignore[no-untyped-def]
            calls["server"] = name
            calls["app"] = app
            calls.update(kwargs)

        return run

    monkeypatch.setattr(serving, "run_development", fake("development"))
    monkeypatch.setattr(serving, "run_production", fake("production"))
    return calls


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], {"reload": False, "debugger": False, "threaded": True}),
        (["--debug"], {"reload": True, "debugger": True}),
        (["--debug", "--no-reload"], {"reload": False, "debugger": True}),
        (["--debug", "--no-debugger"], {"reload": True, "debugger": False}),
        (["--reload"], {"reload": True, "debugger": False}),
        (["--without-threads"], {"threaded": False}),
        (["-h", "0.0.0.0", "-p", "8123"], {"host": "0.0.0.0", "port": 8123}),
        (["--extra-files", "a.txt:b.txt"], {"extra_files": ["a.txt", "b.txt"]}),
        (
            ["--exclude-patterns", "*.cfg:*.tmp"],
            {"exclude_patterns": ["*.cfg", "*.tmp"]},
        ),
        (["--production"], {"server": "production", "threads": 4}),
        (["--production", "--threads", "8"], {"server": "production", "threads": 8}),
    ],
)
def test_serve_options_reach_the_server(
    ghost_sim,
    captured: dict[str, Any],
    tmp_path: Path,
    args: list[str],
    expected: dict[str, Any],
) -> None:  # type: ignore[no-untyped-def]
    result = ghost_sim("serve", "--data-dir", str(tmp_path / "d"), *args)
    assert result.exit_code == 0, result.output
    for key, value in expected.items():
        assert captured[key] == value, key
    assert captured["app"].name == "ghost_simulator"


def test_serve_data_options(
    ghost_sim, captured: dict[str, Any], tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "elsewhere.db"
    result = ghost_sim(
        "serve", "--data-dir", str(tmp_path / "d"), "--database-url", f"sqlite:///{db}"
    )
    assert result.exit_code == 0, result.output
    app = captured["app"]
    assert app.config["DATA_DIR"] == tmp_path / "d"
    assert app.config["DATABASE_URL"] == f"sqlite:///{db}"
    assert db.exists()  # upgraded on start


# -- serve: errors ---------------------------------------------------------------


def cert_files(tmp_path: Path) -> tuple[Path, Path]:
    trustme = pytest.importorskip("trustme")
    cert = trustme.CA().issue_cert("localhost")
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert.cert_chain_pems[0].write_to_path(str(cert_file))
    cert.private_key_pem.write_to_path(str(key_file))
    return cert_file, key_file


def assert_clear_error(result, message: str, code: int = 2) -> None:  # type: ignore[no-untyped-def]
    assert result.exit_code == code, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_cert_without_key(ghost_sim, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cert_file, _ = cert_files(tmp_path)
    result = ghost_sim("serve", "--cert", str(cert_file))
    assert_clear_error(result, "Invalid value for '--key'")
    assert 'Required when using "--cert".' in result.output


def test_key_without_cert(ghost_sim, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, key_file = cert_files(tmp_path)
    result = ghost_sim("serve", "--key", str(key_file))
    assert_clear_error(result, '"--cert" must also be specified.')


def test_missing_cert_file(ghost_sim, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = ghost_sim("serve", "--cert", str(tmp_path / "nope.pem"), "--key", "k")
    assert_clear_error(result, "Invalid value for '--cert'")
    assert "nope.pem" in result.output


def test_missing_key_file(ghost_sim, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cert_file, _ = cert_files(tmp_path)
    result = ghost_sim(
        "serve", "--cert", str(cert_file), "--key", str(tmp_path / "no.key")
    )
    assert_clear_error(result, "Invalid value for '--key'")
    assert "does not exist" in result.output


def test_unreadable_cert_content(ghost_sim, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, key_file = cert_files(tmp_path)
    garbage = tmp_path / "garbage.pem"
    garbage.write_text("this is not a certificate\n")
    result = ghost_sim(
        "serve",
        "--data-dir",
        str(tmp_path / "d"),
        "--port",
        "0",
        "--cert",
        str(garbage),
        "--key",
        str(key_file),
    )
    assert_clear_error(result, f"Cannot use certificate {garbage}", code=1)


def test_key_that_does_not_match(ghost_sim, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cert_file, _ = cert_files(tmp_path)
    (tmp_path / "other").mkdir()
    _, other_key = cert_files(tmp_path / "other")
    result = ghost_sim(
        "serve",
        "--data-dir",
        str(tmp_path / "d"),
        "--port",
        "0",
        "--cert",
        str(cert_file),
        "--key",
        str(other_key),
    )
    assert_clear_error(result, "the key must belong to the certificate", code=1)


@pytest.mark.skipif(
    sys.platform == "win32" or __import__("os").geteuid() == 0,
    reason="root reads any file regardless of its permissions",
)
def test_permission_denied_cert(ghost_sim, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cert_file, key_file = cert_files(tmp_path)
    cert_file.chmod(0)
    result = ghost_sim("serve", "--cert", str(cert_file), "--key", str(key_file))
    assert result.exit_code != 0
    assert "Traceback" not in result.output


def test_adhoc_without_cryptography_names_the_extra(
    ghost_sim, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(sys.modules, "cryptography", None)
    result = ghost_sim("serve", "--cert", "adhoc")
    assert_clear_error(result, "requires the cryptography library")
    assert "pip install 'ghost-simulator[adhoc]'" in result.output


def test_adhoc_with_key(ghost_sim, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, key_file = cert_files(tmp_path)
    result = ghost_sim("serve", "--cert", "adhoc", "--key", str(key_file))
    assert_clear_error(result, 'When "--cert" is "adhoc", "--key" is not used.')


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--debug"], "--debug"),
        (["--reload"], "--reload"),
        (["--debugger"], "--debugger"),
        (["--extra-files", "a.txt"], "--extra-files"),
        (["--exclude-patterns", "*.txt"], "--extra-files/--exclude-patterns"),
        (["--debug", "--debugger"], "--debug, --debugger"),
    ],
)
def test_production_refuses_development_features(
    ghost_sim, args: list[str], named: str
) -> None:  # type: ignore[no-untyped-def]
    result = ghost_sim("serve", "--production", *args)
    assert_clear_error(result, f"--production cannot be combined with {named}")


def test_production_refuses_without_threads(ghost_sim) -> None:  # type: ignore[no-untyped-def]
    result = ghost_sim("serve", "--production", "--without-threads")
    assert_clear_error(result, "--production always uses a thread pool")


def test_production_refuses_tls(ghost_sim) -> None:  # type: ignore[no-untyped-def]
    result = ghost_sim("serve", "--production", "--cert", "adhoc")
    assert_clear_error(result, "--production does not serve HTTPS itself")


def test_threads_needs_production(ghost_sim) -> None:  # type: ignore[no-untyped-def]
    result = ghost_sim("serve", "--threads", "4")
    assert_clear_error(result, "--threads is for --production")


def test_port_in_use(ghost_sim, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = ghost_sim("serve", "--data-dir", str(tmp_path), "--port", str(port))
    assert_clear_error(result, f"Port {port} is already in use", code=1)


def test_unknown_host(ghost_sim, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = ghost_sim(
        "serve", "--data-dir", str(tmp_path), "--host", "no-such-host.invalid"
    )
    assert_clear_error(result, "Cannot listen on 'no-such-host.invalid'", code=1)


def test_bad_port(ghost_sim) -> None:  # type: ignore[no-untyped-def]
    result = ghost_sim("serve", "--port", "eighty")
    assert_clear_error(result, "'eighty' is not a valid integer")


def test_unwritable_data_dir(ghost_sim, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = ghost_sim("serve", "--data-dir", str(blocker / "sub"))
    assert_clear_error(result, "Cannot use data directory", code=1)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("nonsense", "Invalid database URL 'nonsense'"),
        ("oracle+nope://x@y/z", "Unknown database type 'oracle+nope'"),
    ],
)
def test_bad_database_url(ghost_sim, tmp_path: Path, url: str, message: str) -> None:  # type: ignore[no-untyped-def]
    result = ghost_sim("serve", "--data-dir", str(tmp_path), "--database-url", url)
    assert_clear_error(result, message, code=1)


def test_unreachable_database(ghost_sim, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'missing-dir' / 'x.db'}"
    result = ghost_sim("serve", "--data-dir", str(tmp_path), "--database-url", url)
    assert_clear_error(result, "Cannot use the database", code=1)


def test_shared_database_must_be_upgraded_first(
    ghost_sim, captured: dict[str, Any], tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    env = {"GHOST_SIM_AUTO_UPGRADE": "false"}
    result = ghost_sim(
        "serve", "--data-dir", str(tmp_path), "--database-url", url, env=env
    )
    assert_clear_error(result, "this release needs", code=1)
    assert "ghost-sim db upgrade" in result.output
    assert ghost_sim("db", "upgrade", "--database-url", url).exit_code == 0
    result = ghost_sim(
        "serve", "--data-dir", str(tmp_path), "--database-url", url, env=env
    )
    assert result.exit_code == 0, result.output
    assert captured["server"] == "development"


# -- passwords are masked wherever they would be printed -------------------------

SECRET = "s3cret-pw"


@pytest.mark.parametrize(
    "url",
    [
        f"postgresql+psycopg://archer:{SECRET}@127.0.0.1:1/ghosts",
        f"postgresql+psycopg://archer@127.0.0.1:1/ghosts?password={SECRET}",
        f"postgresql+psycopg://archer:{SECRET}@127.0.0.1:1/ghosts?sslpassword={SECRET}",
    ],
)
@pytest.mark.parametrize("as_json", [False, True])
def test_info_masks_every_password(ghost_sim, url: str, as_json: bool) -> None:  # type: ignore[no-untyped-def]
    env = {"GHOST_SIM_RATELIMIT_STORAGE_URI": f"redis://:{SECRET}@cache:6379/0"}
    args = ["info", "--database-url", url] + (["--json"] if as_json else [])
    result = ghost_sim(*args, env=env)
    assert result.exit_code == 0, result.output
    assert SECRET not in result.output
    assert "***" in result.output
    if as_json:
        details = json.loads(result.output)
        assert details["rate_limit_storage"] == "redis://:***@cache:6379/0"
        assert details["database"].startswith("postgresql+psycopg://archer")
    else:
        assert "redis://:***@cache:6379/0" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["db", "upgrade"],
        ["db", "current"],
        ["serve", "--port", "0"],
    ],
)
def test_errors_mask_the_password(ghost_sim, tmp_path: Path, args: list[str]) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("psycopg")
    url = f"postgresql+psycopg://archer:{SECRET}@127.0.0.1:1/ghosts?password={SECRET}"
    result = ghost_sim(*args, "--data-dir", str(tmp_path), "--database-url", url)
    assert result.exit_code == 1, result.output
    assert "Cannot use the database" in result.output
    assert SECRET not in result.output
    assert "Traceback" not in result.output


def test_info_shows_the_public_address(ghost_sim) -> None:  # type: ignore[no-untyped-def]
    result = ghost_sim("info", env={"GHOST_SIM_PUBLIC_URL": "https://club.example.org"})
    assert "Public address:" in result.output
    assert "https://club.example.org" in result.output
    result = ghost_sim("info", "--json", env={"GHOST_SIM_TRUSTED_HOSTS": "a.org,b.org"})
    details = json.loads(result.output)
    assert details["public_url"] is None
    assert details["trusted_hosts"] == ["a.org", "b.org"]


# -- a malformed URL or port: one clear line -----------------------------------------


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["--port", "abc"], {}, "'abc' is not a valid integer"),
        (["--port", "70000"], {}, "70000 is not in the range 0<=x<=65535"),
        (["--port", "-1"], {}, "-1 is not in the range 0<=x<=65535"),
        ([], {"GHOST_SIM_PORT": "x"}, "'x' is not a valid integer"),
        ([], {"GHOST_SIM_PORT": "99999"}, "99999 is not in the range 0<=x<=65535"),
        (["--production", "--port", "70000"], {}, "not in the range 0<=x<=65535"),
    ],
)
def test_a_bad_port_is_one_clear_line(
    ghost_sim, tmp_path: Path, args: list[str], env: dict[str, str], message: str
) -> None:  # type: ignore[no-untyped-def]
    result = ghost_sim("serve", "--data-dir", str(tmp_path), *args, env=env)
    assert_clear_error(result, message)
    assert "--port" in result.output
    assert not (tmp_path / "ghost-simulator.db").exists()  # refused before any work


MALFORMED_URLS = [
    (
        f"postgresql://u:{SECRET}@host:notaport/db",
        "Invalid database URL 'postgresql://u:***@host:notaport/db': the port must be"
        " a number from 1 to 65535.",
    ),
    (
        f"postgresql://u:{SECRET}@host:99999/db",
        "Invalid database URL 'postgresql://u:***@host:99999/db': the port must be a"
        " number from 1 to 65535, not 99999.",
    ),
    ("nonsense", "Invalid database URL 'nonsense'."),
]


@pytest.mark.parametrize(("url", "message"), MALFORMED_URLS)
@pytest.mark.parametrize(
    "command",
    [["serve"], ["info"], ["info", "--json"], ["db", "upgrade"], ["db", "current"]],
)
def test_a_malformed_database_url_is_one_clear_line(
    ghost_sim, tmp_path: Path, command: list[str], url: str, message: str
) -> None:  # type: ignore[no-untyped-def]
    result = ghost_sim(*command, "--data-dir", str(tmp_path), "--database-url", url)
    assert_clear_error(result, message, code=1)
    assert result.output.count("\n") == 1
    assert SECRET not in result.output


def test_a_malformed_database_url_from_the_environment(
    ghost_sim, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    url, message = MALFORMED_URLS[0]
    result = ghost_sim("info", env={"GHOST_SIM_DATABASE_URL": url})
    assert_clear_error(result, message, code=1)


def test_a_bad_public_url_is_one_clear_line(ghost_sim, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = ghost_sim(
        "serve", "--data-dir", str(tmp_path), env={"GHOST_SIM_PUBLIC_URL": "club.org"}
    )
    assert_clear_error(result, "PUBLIC_URL must be the address people open", code=1)


# -- serve --production: the app's settings reach waitress ---------------------------


def test_production_takes_the_apps_body_limit(
    ghost_sim, captured: dict[str, Any], tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from ghost_simulator.web.account.your_data import UPLOAD_LIMIT

    result = ghost_sim("serve", "--data-dir", str(tmp_path), "--production")
    assert result.exit_code == 0, result.output
    app = captured["app"]
    assert app.config["PRODUCTION"] is True
    assert app.config["LOG_REQUESTS"] is True
    # The largest body any view takes: an import of an archer's data.
    assert app.config["MAX_CONTENT_LENGTH"] < UPLOAD_LIMIT
    assert (
        captured["max_request_body_size"] == UPLOAD_LIMIT + 1
    )  # waitress: >= is refused
    # Live streams on threads of their own (tests/test_stream_pool.py).
    assert captured["is_stream"]("GET", "/clubs/c/nights/n/live")
    assert captured["stream_threads"] == 8 + 2


def test_production_body_limit_follows_the_setting(
    ghost_sim, captured: dict[str, Any], tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    env = {"GHOST_SIM_MAX_CONTENT_LENGTH": str(64 * 1024 * 1024)}
    result = ghost_sim("serve", "--data-dir", str(tmp_path), "--production", env=env)
    assert result.exit_code == 0, result.output
    assert captured["max_request_body_size"] == 64 * 1024 * 1024 + 1


def test_development_server_is_not_production(
    ghost_sim, captured: dict[str, Any], tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    result = ghost_sim("serve", "--data-dir", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert captured["app"].config["LOG_REQUESTS"] is False
    assert "max_request_body_size" not in captured
