"""Every setting an operator may give, declared once: its name, where it comes
from, its default and what it means.

The documentation's configuration page is rendered from :data:`SETTINGS` when
the site is built (``docs/hooks.py``), so the page cannot drift from this
list; ``tests/test_docs.py`` checks that every setting the code reads is
declared here, that every declaration is read somewhere, that each built-in
value matches :data:`ghost_simulator.config.DEFAULTS` and that each option
exists on ``ghost-sim serve``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .config import ENV_PREFIX


class _Computed:
    """The default is worked out at start-up (it is not in ``DEFAULTS``)."""

    def __repr__(self) -> str:
        return "COMPUTED"


COMPUTED: Any = _Computed()


@dataclass(frozen=True)
class Setting:
    """One setting: ``name`` is its key (in ``config.toml``, in any case)."""

    name: str
    meaning: str
    default: str
    #: The command-line options that set it too (on ``ghost-sim serve``).
    options: tuple[str, ...] = ()
    #: Its value in :data:`ghost_simulator.config.DEFAULTS`, or COMPUTED.
    value: Any = COMPUTED

    @property
    def env(self) -> str:
        return f"{ENV_PREFIX}_{self.name}"


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "CONFIG_FILE",
        "The config file to read, instead of `config.toml` in the user config"
        " directory.",
        "`~/.config/ghost-simulator/config.toml` on Linux,"
        " `~/Library/Application Support/ghost-simulator/config.toml` on macOS,"
        " `%LOCALAPPDATA%\\ghost-simulator\\config.toml` on Windows.",
    ),
    Setting(
        "DATA_DIR",
        "Where the SQLite database and the secret key live.",
        "the user data directory (`~/.local/share/ghost-simulator` on Linux).",
        options=("--data-dir",),
    ),
    Setting(
        "DATABASE_URL",
        "Any SQLAlchemy URL, such as `postgresql+psycopg://user:password@host/dbname`.",
        "`sqlite:///<data dir>/ghost-simulator.db`.",
        options=("--database-url",),
    ),
    Setting(
        "SECRET_KEY",
        "Signs the session cookie. Several instances behind one proxy must share one.",
        "generated on first run and kept in `<data dir>/secret_key`"
        " (owner-only permissions).",
    ),
    Setting(
        "TRUSTED_PROXIES",
        "How many reverse proxies in front of the app to trust for"
        " `X-Forwarded-*` headers.",
        "`0`.",
        value=0,
    ),
    Setting(
        "RATELIMIT_STORAGE_URI",
        "Where the throttles (sign-in, registration, creating matches) keep their"
        " counts ([Flask-Limiter](https://flask-limiter.readthedocs.io/)'s storage"
        " URI). `memory://` is one process's own; several instances behind one"
        " proxy share one, such as `redis://localhost:6379` (with the `redis`"
        " package installed).",
        "`memory://`.",
        value="memory://",
    ),
    Setting(
        "MATCH_CREATION_LIMIT",
        "How many matches one client address may create (Flask-Limiter's"
        " notation), counted in the `RATELIMIT_STORAGE_URI` store.",
        "`30 per minute;300 per hour`.",
    ),
    Setting(
        "REGISTER_LIMIT",
        "How many accounts one client address may register (Flask-Limiter's"
        " notation). A club registering its members on the range's one"
        " connection may raise it.",
        "`10 per hour`.",
    ),
    Setting(
        "PUBLIC_URL",
        "The address people open, such as `https://club.example.org/ghost`: every"
        " absolute link (a share link) is built from it, and a path prefixes every"
        " link (see [Behind a reverse proxy](reverse-proxy.md)).",
        "none.",
        value=None,
    ),
    Setting(
        "TRUSTED_HOSTS",
        "Without `PUBLIC_URL`, the host names links may use, separated by commas"
        " (`club.example.org, .example.net`; a leading dot for every subdomain);"
        " a request for any other host is refused with 400.",
        "none.",
        value=None,
    ),
    Setting(
        "PRODUCTION",
        "Production mode: one log line per request. On with"
        " `serve --production` and under gunicorn.",
        "off.",
        options=("--production",),
        value=False,
    ),
    Setting(
        "LOG_REQUESTS",
        "Just the per-request log lines, on or off.",
        "as `PRODUCTION`.",
        value=None,
    ),
    Setting(
        "SQLITE_SYNCHRONOUS",
        "How SQLite makes a commit durable: `full` writes every commit to disk"
        " before answering (an acknowledged end survives a power cut), `normal` is"
        " WAL's lighter mode (a crash of the app or the server process loses"
        " nothing, a power cut or OS crash may lose the last moments' commits;"
        " about twice the ends a second, see [Speed](../developers/speed.md)).",
        "`full`.",
        value="full",
    ),
    Setting(
        "LIVE_STREAMS",
        "How many live leaderboard streams (a ghost night's page, as it follows"
        " the night) one process serves at once; each holds a thread while it"
        " lasts (with `serve --production`, threads of their own: this many and"
        " two more, beside `--threads`). Past that, the page asks for its"
        " leaderboard every two seconds.",
        "`8`.",
        value=8,
    ),
    Setting(
        "AUTO_UPGRADE",
        "Upgrade the database schema when the app starts.",
        "on for SQLite, off otherwise.",
    ),
    Setting(
        "BABEL_DEFAULT_TIMEZONE",
        "The time zone dates are shown in (an IANA name such as `Europe/Madrid`).",
        "this machine's (`TZ` or `/etc/localtime`), else UTC.",
    ),
)


def by_name() -> dict[str, Setting]:
    return {setting.name: setting for setting in SETTINGS}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown_table() -> str:
    """The settings as a Markdown table, for the configuration page."""
    rows = [
        "| Setting | Environment / option | Meaning |",
        "| --- | --- | --- |",
    ]
    for setting in SETTINGS:
        sources = ", ".join(f"`{name}`" for name in (setting.env, *setting.options))
        meaning = f"{setting.meaning} Default: {setting.default}"
        rows.append(f"| `{setting.name}` | {sources} | {_cell(meaning)} |")
    return "\n".join(rows)
