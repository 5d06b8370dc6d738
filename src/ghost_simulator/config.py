"""Settings: where they come from, in which order, and the secret key.

The order, lowest first: built-in defaults, the TOML config file, ``GHOST_SIM_*``
environment variables, then overrides (the command line, or a test's config).
Keeping this free of Flask lets the CLI report settings without building an app.
"""

from __future__ import annotations

import contextlib
import os
import re
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
    # Served for real (``serve --production``, or loaded by gunicorn): one log
    # line per request on stderr. LOG_REQUESTS alone switches just those lines.
    "PRODUCTION": False,
    "LOG_REQUESTS": None,
    # The address people open, such as https://club.example.org/ghost: every
    # absolute link (a share link) is built from it. Without it, from a Host
    # header listed in TRUSTED_HOSTS (others get 400), or, with neither, only
    # from a Host that cannot name another site (localhost, a local network IP):
    # see security.py.
    "PUBLIC_URL": None,
    "TRUSTED_HOSTS": None,
    # How SQLite makes a commit durable: "full" (fsync on every commit: an
    # acknowledged end survives a power cut) or "normal" (WAL's lighter mode:
    # it survives the app or server process crashing, but a power cut or OS
    # crash may take the last moments' commits; about twice the writes a
    # second). PostgreSQL ignores it.
    "SQLITE_SYNCHRONOUS": "full",
    # A ghost night's live leaderboard: how many streams one process serves
    # at once (each holds one of the server's threads while it lasts); past
    # that, the page asks every two seconds instead.
    "LIVE_STREAMS": 8,
}
#: The values SQLITE_SYNCHRONOUS takes.
SQLITE_SYNCHRONOUS = ("full", "normal")

#: Query parameters whose values are secrets, wherever a URL is printed.
_SECRET_PARAMETER = re.compile(
    r"(?P<name>[?&;][^=&;#\s'\"]*(?:pass|pwd|secret|token|key|auth|credential)"
    r"[^=&;#\s'\"]*=)[^&;#\s'\"]*",
    re.IGNORECASE,
)
#: The password in ``scheme://user:password@host``.
_URL_PASSWORD = re.compile(
    r"(?P<head>[A-Za-z][A-Za-z0-9+.-]*://[^:/@\s'\"]*:)[^@\s'\"]*@"
)
MASK = "***"


def mask_secrets(text: str) -> str:
    """``text`` with every password in a URL hidden: ``user:***@host`` and
    ``?password=***`` (also ``token``, ``secret``, ``key``... parameters).

    Works on any text (a URL, or an error message quoting one), even a URL too
    malformed to parse, so nothing printed for a bug report carries a secret.
    """
    text = _URL_PASSWORD.sub(rf"\g<head>{MASK}@", text)
    return _SECRET_PARAMETER.sub(rf"\g<name>{MASK}", text)


def check_database_url(url: str) -> None:
    """A one-line :class:`ConfigError` for a URL the database layer would choke
    on (a port that is not a number, or out of range), with its password hidden."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    shown = mask_secrets(url)
    example = (
        " Expected a SQLAlchemy URL such as sqlite:////path/to/ghost.db or"
        " postgresql+psycopg://user:password@host:5432/dbname."
    )
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigError(f"Invalid database URL {shown!r}.{example}") from None
    except ValueError:  # int() of the port
        raise ConfigError(
            f"Invalid database URL {shown!r}: the port must be a number from 1 to"
            f" 65535.{example}"
        ) from None
    if parsed.port is not None and not 1 <= parsed.port <= 65535:
        raise ConfigError(
            f"Invalid database URL {shown!r}: the port must be a number from 1 to"
            f" 65535, not {parsed.port}."
        )


@dataclass(frozen=True)
class PublicURL:
    """The configured public address, split the way URL building needs it."""

    scheme: str
    netloc: str
    path: str  # "" or "/ghost": where the app is mounted, without a final slash

    def __str__(self) -> str:
        return f"{self.scheme}://{self.netloc}{self.path}"


def parse_public_url(value: Any) -> PublicURL | None:
    """``PUBLIC_URL`` checked: an http(s) address with a host, no query."""
    if value in (None, ""):
        return None
    from urllib.parse import urlsplit

    problem = (
        f"PUBLIC_URL must be the address people open, such as"
        f" https://club.example.org/ghost, not {value!r}."
    )
    if not isinstance(value, str) or any(
        ch.isspace() or not ch.isprintable() for ch in value
    ):
        raise ConfigError(problem)
    try:
        parts = urlsplit(value)
        port = parts.port  # raises ValueError when not a number or out of range
    except ValueError:
        raise ConfigError(problem) from None
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.username is not None
        or parts.query
        or parts.fragment
    ):
        raise ConfigError(problem)
    netloc = parts.netloc.lower()
    if port is not None and (parts.scheme, port) in (("http", 80), ("https", 443)):
        netloc = netloc.rsplit(":", 1)[0]
    return PublicURL(parts.scheme, netloc, parts.path.rstrip("/"))


def parse_sqlite_synchronous(value: Any) -> str:
    """``full`` or ``normal`` (any case), or a one-line error."""
    text = str(value).strip().lower()
    if text not in SQLITE_SYNCHRONOUS:
        raise ConfigError(
            f"SQLITE_SYNCHRONOUS is {value!r}: use {' or '.join(SQLITE_SYNCHRONOUS)}."
        )
    return text


def parse_trusted_hosts(value: Any) -> list[str] | None:
    """``TRUSTED_HOSTS`` as a list: a TOML/JSON list, or names separated by
    commas or spaces (``club.example.org, .example.org``)."""
    if value in (None, "", []):
        return None
    if isinstance(value, str):
        value = re.split(r"[,\s]+", value.strip())
    if not isinstance(value, list | tuple) or not all(
        isinstance(host, str) for host in value
    ):
        raise ConfigError(
            "TRUSTED_HOSTS must be a list of host names, such as"
            f' ["club.example.org", ".example.org"], not {value!r}.'
        )
    return [host.strip().lower() for host in value if host.strip()]


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
    check_database_url(str(values["DATABASE_URL"]))
    public = parse_public_url(values.get("PUBLIC_URL"))
    values["PUBLIC_URL"] = str(public) if public else None
    values["TRUSTED_HOSTS"] = parse_trusted_hosts(values.get("TRUSTED_HOSTS"))
    values["SQLITE_SYNCHRONOUS"] = parse_sqlite_synchronous(
        values.get("SQLITE_SYNCHRONOUS")
    )
    if sources.get("PRODUCTION") == "default" and environ.get(
        "SERVER_SOFTWARE", ""
    ).startswith("gunicorn/"):
        # Loaded by gunicorn's workers: that is serving for real.
        values["PRODUCTION"], sources["PRODUCTION"] = True, "gunicorn"
    if values.get("LOG_REQUESTS") is None:
        values["LOG_REQUESTS"] = bool(values.get("PRODUCTION"))
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


def secure_database_file(url: str, *, create: bool = True) -> None:
    """Make a SQLite database file owner-only, as the data directory is.

    The file is created (empty: a valid empty database) with mode 0600 before
    SQLite opens it, because SQLite gives its ``-wal``, ``-shm`` and journal
    files the database file's mode; an existing file (and those beside it)
    that a copy or restore left readable to others is tightened. Anything
    that goes wrong here is left for the database layer to explain. With
    ``create`` false a missing file stays missing (an app that must not
    upgrade the schema leaves that to ``ghost-sim db upgrade``).
    """
    if os.name != "posix":
        return
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        return
    database = parsed.database or ""
    if (
        parsed.get_backend_name() != "sqlite"
        or database in ("", ":memory:")
        or database.startswith("file:")
        or "uri" in parsed.query
        or "mode" in parsed.query
    ):
        return
    path = Path(database)
    if create:
        with contextlib.suppress(OSError):
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    for suffix in ("", "-wal", "-shm", "-journal"):
        candidate = path.with_name(path.name + suffix)
        with contextlib.suppress(OSError):
            mode = candidate.stat().st_mode
            if mode & 0o077:
                candidate.chmod(mode & 0o700)


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
