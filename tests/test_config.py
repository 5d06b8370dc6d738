"""Layered configuration: defaults < config file < environment < command line."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from ghost_simulator import create_app
from ghost_simulator.config import (
    DEFAULTS,
    load_or_create_secret_key,
    load_settings,
    mask_secrets,
    read_environment,
)
from ghost_simulator.errors import ConfigError

pytestmark = [
    # A data dir starts empty, as on a first run: what the app makes of it is
    # what is tested (its mode, the secret key, the database's files).
    pytest.mark.empty_data_dir,
    # Settings: the database is a URL here (the SQLite file's own tests are
    # sqlite_only).
    pytest.mark.database_agnostic,
]


def write_config(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.sqlite_only  # the default database is a SQLite file
def test_defaults_use_platform_dirs(isolated_settings: Path) -> None:
    settings = load_settings()
    assert settings.data_dir == isolated_settings / "data" / "ghost-simulator"
    database = isolated_settings / "data" / "ghost-simulator" / "ghost-simulator.db"
    assert settings.database_url == f"sqlite:///{database}"
    assert (
        settings.values["SESSION_COOKIE_SAMESITE"]
        == DEFAULTS["SESSION_COOKIE_SAMESITE"]
    )
    assert settings.sources["DATA_DIR"] == "default"
    assert not settings.config_file_found


def test_default_config_file_is_in_user_config_dir(
    isolated_settings: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GHOST_SIM_CONFIG_FILE")
    settings = load_settings()
    expected = isolated_settings / "config" / "ghost-simulator" / "config.toml"
    assert settings.config_file == expected


@pytest.mark.parametrize(
    ("file", "env", "cli", "expected", "source"),
    [
        (None, None, None, 0, "default"),
        (2, None, None, 2, "config file"),
        (2, "3", None, 3, "environment"),
        (2, "3", 4, 4, "command line"),
        (None, None, 4, 4, "command line"),
        (None, "3", None, 3, "environment"),
    ],
)
def test_precedence(
    isolated_settings: Path,
    monkeypatch: pytest.MonkeyPatch,
    file: int | None,
    env: str | None,
    cli: int | None,
    expected: int,
    source: str,
) -> None:
    if file is not None:
        write_config(isolated_settings / "config.toml", f"trusted_proxies = {file}\n")
    if env is not None:
        monkeypatch.setenv("GHOST_SIM_TRUSTED_PROXIES", env)
    settings = load_settings({"TRUSTED_PROXIES": cli} if cli is not None else None)
    assert settings.values["TRUSTED_PROXIES"] == expected
    assert settings.sources["TRUSTED_PROXIES"] == source


@pytest.mark.sqlite_only  # the default database is a SQLite file
def test_config_file_sets_data_dir_and_database(
    isolated_settings: Path, tmp_path: Path
) -> None:
    write_config(
        isolated_settings / "config.toml",
        f'data_dir = "{tmp_path / "d"}"\n'
        f'database_url = "sqlite:///{tmp_path / "x.db"}"\n',
    )
    settings = load_settings()
    assert settings.config_file_found
    assert settings.data_dir == tmp_path / "d"
    assert settings.database_url == f"sqlite:///{tmp_path / 'x.db'}"


@pytest.mark.sqlite_only  # the default database is a SQLite file
def test_database_url_follows_data_dir(tmp_path: Path) -> None:
    settings = load_settings({"DATA_DIR": str(tmp_path)})
    assert settings.database_url == f"sqlite:///{tmp_path / 'ghost-simulator.db'}"


def test_invalid_toml_is_a_clear_error(isolated_settings: Path) -> None:
    write_config(isolated_settings / "config.toml", "data_dir = \n")
    with pytest.raises(ConfigError, match=r"config\.toml is not valid TOML"):
        load_settings()


def test_environment_values_are_parsed_like_flask() -> None:
    parsed = read_environment(
        {
            "GHOST_SIM_TRUSTED_PROXIES": "2",
            "GHOST_SIM_SECRET_KEY": "not json",
            "GHOST_SIM_AUTO_UPGRADE": "false",
            "OTHER": "1",
        }
    )
    assert parsed == {
        "TRUSTED_PROXIES": 2,
        "SECRET_KEY": "not json",
        "AUTO_UPGRADE": False,
    }


def test_secret_key_is_created_private_and_reused(tmp_path: Path) -> None:
    first = load_or_create_secret_key(tmp_path)
    assert len(first) == 64
    mode = stat.S_IMODE((tmp_path / "secret_key").stat().st_mode)
    assert mode == 0o600
    assert load_or_create_secret_key(tmp_path) == first
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]


def test_secret_key_permissions_are_tightened(tmp_path: Path) -> None:
    key = load_or_create_secret_key(tmp_path)
    (tmp_path / "secret_key").chmod(0o644)
    assert load_or_create_secret_key(tmp_path) == key
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600


def test_secret_key_survives_restart(data_dir: Path) -> None:
    first = create_app({"DATA_DIR": str(data_dir)})
    second = create_app({"DATA_DIR": str(data_dir)})
    assert first.secret_key == second.secret_key
    assert first.secret_key


def test_sign_in_cookie_survives_restart(data_dir: Path) -> None:
    from flask import session

    first = create_app({"DATA_DIR": str(data_dir), "TESTING": True})

    @first.get("/set")
    def set_value() -> str:
        session["archer"] = "ana"
        return "ok"

    second = create_app({"DATA_DIR": str(data_dir), "TESTING": True})

    @second.get("/get")
    def get_value() -> str:
        return str(session.get("archer"))

    client = first.test_client()
    client.get("/set")
    cookie = client.get_cookie("ghost_sim_session")
    assert cookie is not None
    other = second.test_client()
    other.set_cookie(cookie.key, cookie.value)
    assert other.get("/get").text == "ana"


def test_environment_secret_key_wins(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GHOST_SIM_SECRET_KEY", "shared-by-every-instance")
    app = create_app({"DATA_DIR": str(data_dir)})
    assert app.secret_key == "shared-by-every-instance"
    assert not (data_dir / "secret_key").exists()


def test_instance_path_is_the_data_dir(app, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    assert Path(app.instance_path) == data_dir
    assert "site-packages" not in app.instance_path


def test_data_dir_is_created_owner_only(app, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700


def test_unusable_data_dir_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    with pytest.raises(ConfigError, match=r"Cannot use data directory .*a-file/sub"):
        create_app({"DATA_DIR": str(blocker / "sub")})


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write to any directory")
def test_read_only_data_dir_is_a_clear_error(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    with pytest.raises(ConfigError, match="not writable"):
        create_app({"DATA_DIR": str(locked)})


def test_dates_use_the_local_time_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Europe/Madrid")
    assert load_settings().values["BABEL_DEFAULT_TIMEZONE"] == "Europe/Madrid"
    monkeypatch.setenv("TZ", "Not/AZone")
    assert load_settings().values["BABEL_DEFAULT_TIMEZONE"] == "UTC"
    monkeypatch.setenv("GHOST_SIM_BABEL_DEFAULT_TIMEZONE", "America/Bogota")
    assert load_settings().values["BABEL_DEFAULT_TIMEZONE"] == "America/Bogota"


# -- passwords never printed ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("postgresql://u:s3cret@host/db", "postgresql://u:***@host/db"),
        (
            "postgresql+psycopg://u:p%40ss@h:5432/d",
            "postgresql+psycopg://u:***@h:5432/d",
        ),
        ("redis://:s3cret@localhost:6379/0", "redis://:***@localhost:6379/0"),
        (
            "postgresql://u@h/d?password=s3cret&sslmode=require",
            "postgresql://u@h/d?password=***&sslmode=require",
        ),
        ("postgresql://u@h/d?sslpassword=s3cret", "postgresql://u@h/d?sslpassword=***"),
        (
            "redis://h/0?PassWord=s3cret;token=s3cret",
            "redis://h/0?PassWord=***;token=***",
        ),
        ("memcached://h?api_key=s3cret&x=1", "memcached://h?api_key=***&x=1"),
        ("postgresql://u:s3cret@h:notaport/d", "postgresql://u:***@h:notaport/d"),
        (
            "Cannot use the database 'postgresql://a:s3cret@c/d': refused",
            "Cannot use the database 'postgresql://a:***@c/d': refused",
        ),
        ("sqlite:////srv/ghost.db", "sqlite:////srv/ghost.db"),
        ("postgresql://u@h/d?sslmode=require", "postgresql://u@h/d?sslmode=require"),
        ("memory://", "memory://"),
    ],
)
def test_mask_secrets(text: str, expected: str) -> None:
    assert mask_secrets(text) == expected


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("nonsense", "Invalid database URL 'nonsense'."),
        (
            "postgresql://u:s3cret@host:notaport/db",
            "Invalid database URL 'postgresql://u:***@host:notaport/db': the port"
            " must be a number from 1 to 65535.",
        ),
        (
            "postgresql://u:s3cret@host:70000/db",
            "Invalid database URL 'postgresql://u:***@host:70000/db': the port must"
            " be a number from 1 to 65535, not 70000.",
        ),
    ],
)
def test_a_malformed_database_url_is_one_clear_line(url: str, message: str) -> None:
    with pytest.raises(ConfigError) as raised:
        load_settings({"DATABASE_URL": url})
    assert str(raised.value).startswith(message)
    assert "s3cret" not in str(raised.value)
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("club.example.org", ["club.example.org"]),
        ("club.example.org, .Example.net", ["club.example.org", ".example.net"]),
        ('["a.org", "b.org"]', ["a.org", "b.org"]),
        ("", None),
    ],
)
def test_trusted_hosts_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, value: str, expected: list[str] | None
) -> None:
    monkeypatch.setenv("GHOST_SIM_TRUSTED_HOSTS", value)
    assert load_settings().values["TRUSTED_HOSTS"] == expected


def test_trusted_hosts_must_be_names() -> None:
    with pytest.raises(ConfigError, match="TRUSTED_HOSTS must be a list of host"):
        load_settings({"TRUSTED_HOSTS": 3})


def test_public_url_is_normalised() -> None:
    values = load_settings({"PUBLIC_URL": "https://Club.Example.org:443/ghost/"}).values
    assert values["PUBLIC_URL"] == "https://club.example.org/ghost"


@pytest.mark.parametrize(
    ("environ", "production", "log_requests"),
    [
        ({}, False, False),
        ({"GHOST_SIM_PRODUCTION": "true"}, True, True),
        ({"GHOST_SIM_LOG_REQUESTS": "true"}, False, True),
        ({"SERVER_SOFTWARE": "gunicorn/23.0.0"}, True, True),
        ({"SERVER_SOFTWARE": "gunicorn/23.0.0", "GHOST_SIM_PRODUCTION": "0"}, 0, False),
        (
            {"SERVER_SOFTWARE": "gunicorn/23.0.0", "GHOST_SIM_LOG_REQUESTS": "false"},
            True,
            False,
        ),
    ],
)
def test_production_mode(
    environ: dict[str, str], production: bool, log_requests: bool
) -> None:
    values = load_settings(environ=environ).values
    assert values["PRODUCTION"] == production
    assert values["LOG_REQUESTS"] == log_requests


# -- owner-only files ----------------------------------------------------------------


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def loose_umask() -> Iterator[None]:
    """The usual umask, which leaves new files readable by everyone."""
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
@pytest.mark.sqlite_only
@pytest.mark.usefixtures("loose_umask")
def test_database_files_are_owner_only(data_dir: Path) -> None:
    app = create_app({"DATA_DIR": str(data_dir), "TESTING": True})
    client = app.test_client()
    client.post("/matches", data={"kind": "set", "ghost": "handicap", "handicap": "30"})
    assert mode(data_dir) == 0o700
    assert mode(data_dir / "secret_key") == 0o600
    for name in (
        "ghost-simulator.db",
        "ghost-simulator.db-shm",
        "ghost-simulator.db-wal",
    ):
        assert mode(data_dir / name) == 0o600, name


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
@pytest.mark.usefixtures("loose_umask")
def test_a_database_elsewhere_is_owner_only_too(tmp_path: Path) -> None:
    database = tmp_path / "shared" / "club.db"
    database.parent.mkdir()
    create_app(
        {"DATA_DIR": str(tmp_path / "d"), "DATABASE_URL": f"sqlite:///{database}"}
    )
    assert mode(database) == 0o600
    assert mode(database.with_name("club.db-wal")) == 0o600


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
@pytest.mark.sqlite_only
def test_loose_database_files_are_tightened(data_dir: Path) -> None:
    create_app({"DATA_DIR": str(data_dir)})
    files = [data_dir / f"ghost-simulator.db{end}" for end in ("", "-wal", "-shm")]
    for path in files:
        path.chmod(0o644)  # a copy or a restore
    create_app({"DATA_DIR": str(data_dir)})
    for path in files:
        assert mode(path) == 0o600, path.name


@pytest.mark.sqlite_only
@pytest.mark.parametrize(("setting", "pragma"), [(None, 2), ("normal", 1), ("FULL", 2)])
def test_sqlite_synchronous(tmp_path: Path, setting: str | None, pragma: int) -> None:
    from sqlalchemy import text

    from ghost_simulator.store import get_session

    config = {"DATA_DIR": str(tmp_path / "data")}
    if setting is not None:
        config["SQLITE_SYNCHRONOUS"] = setting
    app = create_app(config)
    with app.app_context():
        assert get_session().execute(text("PRAGMA synchronous")).scalar() == pragma


@pytest.mark.parametrize("value", ["off", "", "2", "extra"])
def test_a_bad_sqlite_synchronous_is_a_clear_error(value: str) -> None:
    with pytest.raises(ConfigError, match=r"SQLITE_SYNCHRONOUS is .*full or normal"):
        load_settings({"SQLITE_SYNCHRONOUS": value})
