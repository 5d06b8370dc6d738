"""Settings: where they come from, in which order, and the secret key.

The order, lowest first: built-in defaults, the TOML config file, ``GHOST_SIM_*``
environment variables, then overrides (the command line, or a test's config).
Keeping this free of Flask lets the CLI report settings without building an app.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from .errors import ConfigError

APP_NAME = "ghost-simulator"
ENV_PREFIX = "GHOST_SIM"
CONFIG_FILE_ENV = f"{ENV_PREFIX}_CONFIG_FILE"
SECRET_KEY_FILE = "secret_key"
DATABASE_FILE = "ghost-simulator.db"

#: Built-in defaults: the lowest layer.
DEFAULTS: dict[str, Any] = {
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_NAME": "ghost_sim_session",
    # Number of reverse proxies in front of the app whose X-Forwarded-* headers
    # are trusted (0: none, the app is reached directly).
    "TRUSTED_PROXIES": 0,
    "BABEL_DEFAULT_LOCALE": "en",
    "LANGUAGES": ["en", "es"],
    "MAX_CONTENT_LENGTH": 1024 * 1024,
    # Matches belong to the browser that started them: keep its key a year.
    "PERMANENT_SESSION_LIFETIME": 365 * 24 * 3600,
    # A form stays valid for as long as the session: a long round must not
    # expire its own entry form.
    "WTF_CSRF_TIME_LIMIT": None,
    # Where sign-in and registration throttles count (Flask-Limiter): this
    # process's memory, or a store shared by several instances.
    "RATELIMIT_STORAGE_URI": "memory://",
}


def local_timezone() -> str:
    """This machine's time zone by its IANA name (dates are shown in it), from
    ``TZ`` or the ``/etc/localtime`` link; UTC when neither says."""
    name = os.environ.get("TZ", "").lstrip(":")
    if not name:
        try:
            target = os.readlink("/etc/localtime")
        except OSError:
            target = ""
        name = target.split("zoneinfo/", 1)[1] if "zoneinfo/" in target else ""
    try:
        from zoneinfo import ZoneInfo

        ZoneInfo(name)
    except (ValueError, KeyError, OSError, ImportError):
        return "UTC"
    return name or "UTC"


def default_data_dir() -> Path:
    """The per-user data directory: outside site-packages, so upgrades keep it."""
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def default_config_file() -> Path:
    return platformdirs.user_config_path(APP_NAME, appauthor=False) / "config.toml"


@dataclass
class Settings:
    """The resolved configuration, and where its file and data live."""

    values: dict[str, Any]
    config_file: Path
    config_file_found: bool
    sources: dict[str, str] = field(default_factory=dict)

    @property
    def data_dir(self) -> Path:
        return Path(self.values["DATA_DIR"])

    @property
    def database_url(self) -> str:
        return str(self.values["DATABASE_URL"])


def read_config_file(path: Path) -> dict[str, Any]:
    """Read the TOML config file; top-level keys are upper-cased (``data_dir``)."""
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        return {}
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"Config file {path} is not valid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"Cannot read config file {path}: {exc.strerror}") from None
    return {key.upper(): value for key, value in data.items()}


def read_environment(environ: Mapping[str, str]) -> dict[str, Any]:
    """``GHOST_SIM_NAME=value`` becomes ``NAME``; values are parsed as JSON when
    they are JSON (``8080``, ``true``), the way Flask's ``from_prefixed_env`` does."""
    import json

    prefix = f"{ENV_PREFIX}_"
    result: dict[str, Any] = {}
    for key in sorted(environ):
        if not key.startswith(prefix):
            continue
        value: Any = environ[key]
        with contextlib.suppress(ValueError):
            value = json.loads(value)
        result[key.removeprefix(prefix)] = value
    return result


def load_settings(
    overrides: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Resolve every layer into one mapping of config keys."""
    environ = os.environ if environ is None else environ
    overrides = {k: v for k, v in (overrides or {}).items() if v is not None}

    config_file = Path(
        overrides.get("CONFIG_FILE")
        or environ.get(CONFIG_FILE_ENV)
        or default_config_file()
    ).expanduser()
    layers = [
        ("default", DEFAULTS),
        ("config file", read_config_file(config_file)),
        ("environment", read_environment(environ)),
        ("command line", overrides),
    ]
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for name, layer in layers:
        for key, value in layer.items():
            values[key] = value
            sources[key] = name

    values.setdefault("BABEL_DEFAULT_TIMEZONE", local_timezone())
    if not values.get("DATA_DIR"):
        values["DATA_DIR"] = default_data_dir()
        sources["DATA_DIR"] = "default"
    values["DATA_DIR"] = Path(values["DATA_DIR"]).expanduser().absolute()
    if not values.get("DATABASE_URL"):
        values["DATABASE_URL"] = f"sqlite:///{values['DATA_DIR'] / DATABASE_FILE}"
        sources["DATABASE_URL"] = "default"
    values["CONFIG_FILE"] = str(config_file)
    return Settings(values, config_file, config_file.is_file(), sources)


def ensure_data_dir(path: Path) -> None:
    """Create the data directory (owner-only) or say clearly why it cannot be used."""
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(
            f"Cannot use data directory {path}: {exc.strerror or exc}."
            " Choose another with --data-dir or GHOST_SIM_DATA_DIR."
        ) from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise ConfigError(
            f"Data directory {path} is not writable."
            " Choose another with --data-dir or GHOST_SIM_DATA_DIR."
        )


def load_or_create_secret_key(data_dir: Path) -> str:
    """Return the instance's secret key, generating it on first run.

    The key is written with owner-only permissions and reused, so sign-ins
    survive a restart. Several instances behind one proxy must share a key:
    they set ``GHOST_SIM_SECRET_KEY`` instead.
    """
    path = data_dir / SECRET_KEY_FILE
    try:
        key = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        key = ""
    except OSError as exc:
        raise ConfigError(f"Cannot read secret key {path}: {exc.strerror}") from None
    if key:
        if os.name == "posix" and path.stat().st_mode & 0o077:
            path.chmod(0o600)  # a copy or restore may have loosened it
        return key

    # Write a private temporary file, then link it into place: the link fails if
    # another process got there first, and no reader ever sees a half-written key.
    tmp = path.with_name(f".{SECRET_KEY_FILE}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(secrets.token_hex(32) + "\n")
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
        return path.read_text(encoding="ascii").strip()
    except OSError as exc:
        raise ConfigError(
            f"Cannot write secret key {path}: {exc.strerror}."
            " Choose another data directory with --data-dir or GHOST_SIM_DATA_DIR."
        ) from None
