"""The ``ghost-sim`` command: Flask's CLI around :func:`create_app`.

Thin by design: options become settings, settings become an app, the app is
served. Errors a user can make end as one line and a non-zero exit.
"""

from __future__ import annotations

import copy
import json
import platform
import ssl
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any, TypeVar

import click
from flask import Flask
from flask.cli import (
    CertParamType,
    FlaskGroup,
    ScriptInfo,
    get_debug_flag,
    pass_script_info,
    routes_command,
    run_command,
    shell_command,
)

from ._version import __version__
from .config import ENV_PREFIX, load_settings, mask_secrets
from .errors import GhostSimError

F = TypeVar("F", bound=Callable[..., Any])
OVERRIDES = "ghost_simulator.overrides"
CONTEXT_SETTINGS = {"help_option_names": ["--help"], "max_content_width": 100}


def _overrides(ctx: click.Context) -> dict[str, Any]:
    """The settings given on the command line, kept on the root context."""
    meta: dict[str, Any] = ctx.find_root().meta.setdefault(OVERRIDES, {})
    return meta


def _set_override(key: str) -> Callable[[click.Context, click.Parameter, Any], Any]:
    def callback(ctx: click.Context, _param: click.Parameter, value: Any) -> Any:
        if value is not None:
            _overrides(ctx)[key] = value
        return value

    return callback


def data_options(f: F) -> F:
    """``--data-dir`` and ``--database-url``: for every command that needs data."""
    f = click.option(
        "--database-url",
        metavar="URL",
        envvar=f"{ENV_PREFIX}_DATABASE_URL",
        show_envvar=True,
        expose_value=False,
        callback=_set_override("DATABASE_URL"),
        help="SQLAlchemy database URL. [default: SQLite in the data directory]",
    )(f)
    f = click.option(
        "--data-dir",
        type=click.Path(file_okay=False, path_type=Path),
        envvar=f"{ENV_PREFIX}_DATA_DIR",
        show_envvar=True,
        expose_value=False,
        callback=_set_override("DATA_DIR"),
        help="Where the database and secret key live. [default: the user data"
        " directory]",
    )(f)
    return f


def _create_app() -> Flask:
    """Build the app for Flask's loader, with this command line's settings."""
    from . import create_app

    ctx = click.get_current_context(silent=True)
    overrides = _overrides(ctx) if ctx is not None else {}
    try:
        return create_app(overrides)
    except GhostSimError as exc:
        raise click.ClickException(str(exc)) from None


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    click.echo(f"ghost-sim {__version__}")
    click.echo(f"Python {platform.python_version()}")
    for name in ("Flask", "Werkzeug"):
        click.echo(f"{name} {package_version(name)}")
    ctx.exit()


class GhostSimGroup(FlaskGroup):
    """Flask's group, minus ``run`` and ``--app`` (this CLI serves one app)."""

    def __init__(self, **extra: Any) -> None:
        super().__init__(
            create_app=_create_app,
            add_default_commands=False,
            add_version_option=False,
            context_settings={**CONTEXT_SETTINGS, "auto_envvar_prefix": ENV_PREFIX},
            **extra,
        )
        self.params = [p for p in self.params if p.name != "app"]
        self.params.append(
            click.Option(
                ["--version"],
                is_flag=True,
                expose_value=False,
                is_eager=True,
                callback=_print_version,
                help="Show the version of ghost-sim, Python, Flask and Werkzeug.",
            )
        )
        self.add_command(shell_command)
        self.add_command(routes_command)

    def _load_plugin_commands(self) -> None:
        """No commands from other installed packages' ``flask.commands`` entry
        points (Flask-Limiter brings one): ghost-sim's commands are its own,
        whatever else shares its environment."""
        self._loaded_plugin_commands = True

    def invoke(self, ctx: click.Context) -> Any:
        """Every error a command prints goes out with its passwords masked
        (a database URL quoted in a message, a ``?password=`` parameter)."""
        try:
            return super().invoke(ctx)
        except click.ClickException as exc:
            exc.message = mask_secrets(exc.message)  # type: ignore[misc]
            raise

    def list_commands(self, ctx: click.Context) -> list[str]:
        """The commands, without building the app (which FlaskGroup does to
        list the app's own: ``--help`` must not touch data)."""
        return sorted(self.commands)


@click.group(cls=GhostSimGroup)
def cli() -> None:
    """Ghost Simulator: shoot against the ghost, a realistic phantom archer.

    Start the app with 'ghost-sim serve' and open the address it prints.
    """


# -- serve ---------------------------------------------------------------------


class ServeCertParamType(CertParamType):
    """Flask's ``--cert`` type, naming the extra that installs ``cryptography``."""

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> Any:
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter as exc:
            if str(value).lower() == "adhoc" and "cryptography" in exc.message:
                raise click.BadParameter(
                    f"{exc.message} Install it with:"
                    " pip install 'ghost-simulator[adhoc]'",
                    ctx,
                    param,
                ) from None
            raise


def _flask_run_options() -> list[click.Parameter]:
    """``flask run``'s own options, so names, flags and errors are identical;
    each may also come from a ``GHOST_SIM_<NAME>`` environment variable."""
    params = []
    for original in run_command.params:
        param = copy.copy(original)
        param.envvar = f"{ENV_PREFIX}_{(param.name or '').upper()}"
        if isinstance(param, click.Option):
            param.show_envvar = True
        if param.name == "port":
            param.type = click.IntRange(0, 65535)
            param.help = "The port to listen on (0 picks a free one). [default: 5000]"
        if param.name == "cert":
            param.type = ServeCertParamType()
            param.help = (
                "A certificate file to serve HTTPS; 'adhoc' for a throwaway"
                " self-signed one; or the import path of an ssl.SSLContext."
            )
        params.append(param)
    return params


def _refuse_in_production(
    ctx: click.Context,
    reload: bool | None,
    debugger: bool | None,
    cert: Any,
    with_threads: bool,
    reloader_files: bool,
) -> None:
    """--production is waitress: no debugger, reloader or TLS of its own."""
    refused = []
    if get_debug_flag():
        refused.append("--debug")
    if reload:
        refused.append("--reload")
    if debugger:
        refused.append("--debugger")
    if reloader_files:
        refused.append("--extra-files/--exclude-patterns")
    if refused:
        raise click.UsageError(
            f"--production cannot be combined with {', '.join(refused)}: the"
            " debugger and reloader are for development only.",
            ctx,
        )
    if cert is not None:
        raise click.UsageError(
            "--production does not serve HTTPS itself: put a reverse proxy (such as"
            " Caddy or nginx) in front of it for TLS, as the README explains.",
            ctx,
        )
    if not with_threads:
        raise click.UsageError(
            "--production always uses a thread pool: set its size with --threads.",
            ctx,
        )


def _check_schema(app: Flask) -> None:
    """A shared database must be upgraded on purpose before a new release serves."""
    from .store import get_engine, masked
    from .store.migrate import current_revision, head_revision

    engine = get_engine(app)
    current, head = current_revision(engine), head_revision()
    if current != head:
        raise click.ClickException(
            f"The database {masked(engine.url)} is at schema revision"
            f" {current or 'none'}, and this release needs {head}. Back it up,"
            " then run: ghost-sim db upgrade"
        )


@cli.command(
    "serve",
    params=_flask_run_options(),
    context_settings=CONTEXT_SETTINGS,
    with_appcontext=False,
)
@click.option(
    "--production",
    is_flag=True,
    envvar=f"{ENV_PREFIX}_PRODUCTION",
    show_envvar=True,
    help="Serve with waitress, a production WSGI server, instead of the"
    " development server.",
)
@click.option(
    "--threads",
    type=click.IntRange(min=1),
    envvar=f"{ENV_PREFIX}_THREADS",
    show_envvar=True,
    help="Worker threads of the production server. [default: 4]",
)
@click.option(
    "-o",
    "--open",
    "open_browser",
    is_flag=True,
    envvar=f"{ENV_PREFIX}_OPEN",
    show_envvar=True,
    help="Open the app in a web browser once it is running.",
)
@click.option(
    "--qr",
    is_flag=True,
    envvar=f"{ENV_PREFIX}_QR",
    show_envvar=True,
    help="Print the network address as a QR code, to open it from a phone.",
)
@data_options
@pass_script_info
def serve_command(
    info: ScriptInfo,
    host: str,
    port: int,
    reload: bool | None,
    debugger: bool | None,
    with_threads: bool,
    cert: ssl.SSLContext | tuple[str, str] | str | None,
    extra_files: list[str] | None,
    exclude_patterns: list[str] | None,
    production: bool,
    threads: int | None,
    open_browser: bool,
    qr: bool,
) -> None:
    """Serve the app: the development server, or waitress with --production.

    Takes every option of 'flask run'. '--port 0' picks a free port. With
    '--host 0.0.0.0' a phone on the same network can open the printed address.
    """
    from . import serving

    ctx = click.get_current_context()
    if production:
        _refuse_in_production(
            ctx,
            reload,
            debugger,
            cert,
            with_threads,
            reloader_files=bool(extra_files or exclude_patterns),
        )
    elif threads is not None:
        raise click.UsageError(
            "--threads is for --production; the development server starts a thread"
            " per request (see --with-threads).",
            ctx,
        )

    if production:
        _overrides(ctx)["PRODUCTION"] = True
    app = info.load_app()
    debug = get_debug_flag()
    try:
        if not app.config["AUTO_UPGRADE"]:
            _check_schema(app)
        ssl_context = serving.load_ssl_context(cert)

        def on_ready(addresses: serving.Addresses) -> None:
            if production:
                title = f"Ghost Simulator {__version__}, production server (waitress)"
                lines, warning = [f"Threads: {threads or 4}"], None
                if app.config.get("LOG_REQUESTS"):
                    lines.append("Logging one line per request to stderr")
            else:
                title = f"Ghost Simulator {__version__}, development server"
                lines = [f"Debug mode: {'on' if debug else 'off'}"]
                warning = serving.DEV_SERVER_WARNING
            serving.print_banner(
                addresses, title=title, lines=lines, qr=qr, warning=warning
            )
            if open_browser:
                serving.open_browser(addresses.local)

        if production:
            serving.run_production(
                app,
                host=host,
                port=port,
                threads=threads or 4,
                on_ready=on_ready,
                **serving.production_options(app),
            )
        else:
            serving.run_development(
                app,
                host=host,
                port=port,
                reload=debug if reload is None else reload,
                debugger=debug if debugger is None else debugger,
                threaded=with_threads,
                ssl_context=ssl_context,
                extra_files=extra_files,
                exclude_patterns=exclude_patterns,
                on_ready=on_ready,
            )
    except GhostSimError as exc:
        raise click.ClickException(str(exc)) from None


# -- info ----------------------------------------------------------------------


def _settings(ctx: click.Context) -> Any:
    try:
        return load_settings(_overrides(ctx))
    except GhostSimError as exc:
        raise click.ClickException(str(exc)) from None


def _schema_status(database_url: str) -> dict[str, Any]:
    from .store import create_db_engine, sqlite_file_missing
    from .store.migrate import current_revision, head_revision

    status: dict[str, Any] = {"head": head_revision(), "current": None, "error": None}
    if sqlite_file_missing(database_url):
        return status  # connecting would create an empty file: report, don't touch
    try:
        engine = create_db_engine(database_url)
        try:
            status["current"] = current_revision(engine)
        finally:
            engine.dispose()
    except GhostSimError as exc:
        status["error"] = mask_secrets(str(exc))
    return status


def _describe_schema(status: dict[str, Any]) -> str:
    if status["error"]:
        return f"unavailable ({status['error']})"
    current, head = status["current"], status["head"]
    if current is None:
        return "not created yet ('ghost-sim db upgrade' creates it)"
    if current == head:
        return f"{current} (up to date)"
    return f"{current} (this release needs {head}: run 'ghost-sim db upgrade')"


@cli.command(
    "info",
    short_help="Show the version, paths and database, for a bug report.",
    context_settings=CONTEXT_SETTINGS,
    with_appcontext=False,
)
@click.option("--json", "as_json", is_flag=True, help="Print the details as JSON.")
@data_options
@click.pass_context
def info_command(ctx: click.Context, as_json: bool) -> None:
    """Show the version, data directory, config file and database: what to paste
    into a bug report. Passwords are masked; the secret key is never shown."""
    from .config import SECRET_KEY_FILE

    settings = _settings(ctx)
    if settings.values.get("SECRET_KEY"):
        secret = f"set in the {settings.sources.get('SECRET_KEY', 'default')}"
    else:
        secret = f"{settings.data_dir / SECRET_KEY_FILE}"
    status = _schema_status(settings.database_url)
    details: dict[str, Any] = {
        "version": __version__,
        "data_dir": str(settings.data_dir),
        "config_file": str(settings.config_file),
        "config_file_found": settings.config_file_found,
        "database": _shown(settings.database_url),
        "schema": status,
        "rate_limit_storage": _shown(
            str(settings.values.get("RATELIMIT_STORAGE_URI") or "memory://")
        ),
        "public_url": settings.values.get("PUBLIC_URL"),
        "trusted_hosts": settings.values.get("TRUSTED_HOSTS"),
        "production": bool(settings.values.get("PRODUCTION")),
        "secret_key": secret,
        "python": f"{platform.python_version()} ({platform.python_implementation()})",
        "platform": platform.platform(),
        "packages": {
            name: _installed_version(name)
            for name in ("Flask", "Werkzeug", "SQLAlchemy", "alembic", "waitress")
        },
    }
    if as_json:
        click.echo(json.dumps(details, indent=2))
        return
    found = "" if settings.config_file_found else " (not found: defaults apply)"
    rows = [
        ("Ghost Simulator", __version__),
        ("Data directory", details["data_dir"]),
        ("Config file", f"{details['config_file']}{found}"),
        ("Database", details["database"]),
        ("Schema", _describe_schema(status)),
        ("Rate-limit store", details["rate_limit_storage"]),
        ("Public address", details["public_url"] or _no_public_url(settings)),
        ("Secret key", secret),
        ("Python", details["python"]),
        ("Platform", details["platform"]),
        *((name, v) for name, v in details["packages"].items()),
    ]
    width = max(len(label) for label, _ in rows) + 1
    for label, value in rows:
        click.echo(f"{label + ':':<{width}} {value}")


def _shown(url: str) -> str:
    """A URL fit for a bug report: every password masked."""
    return mask_secrets(url)


def _no_public_url(settings: Any) -> str:
    hosts = settings.values.get("TRUSTED_HOSTS")
    if hosts:
        return f"not set: links use the Host header, one of {', '.join(hosts)}"
    return "not set: links name only localhost or a local network address"


def _installed_version(name: str) -> str:
    try:
        return package_version(name)
    except PackageNotFoundError:
        return "not installed"


# -- db ------------------------------------------------------------------------


@cli.group("db", cls=click.Group, context_settings=CONTEXT_SETTINGS)
def db_group() -> None:
    """Database schema migrations."""


def _engine_for(ctx: click.Context) -> Any:
    from .config import ensure_data_dir, secure_database_file
    from .store import create_db_engine

    settings = _settings(ctx)
    try:
        if settings.sources.get("DATABASE_URL") == "default":
            ensure_data_dir(settings.data_dir)
        secure_database_file(settings.database_url)
        return create_db_engine(settings.database_url)
    except GhostSimError as exc:
        raise click.ClickException(str(exc)) from None


@db_group.command("upgrade", context_settings=CONTEXT_SETTINGS)
@click.argument("revision", default="head")
@data_options
@click.pass_context
def db_upgrade_command(ctx: click.Context, revision: str) -> None:
    """Upgrade the database schema to REVISION (default: the latest).

    'ghost-sim serve' does this by itself for the embedded SQLite database.
    """
    from .store import masked
    from .store.migrate import upgrade

    engine = _engine_for(ctx)
    try:
        before, after = upgrade(engine, revision)
    except GhostSimError as exc:
        raise click.ClickException(str(exc)) from None
    except Exception as exc:  # alembic's own errors: unknown revision and the like
        if type(exc).__module__.startswith("alembic"):
            raise click.ClickException(
                f"Cannot upgrade to {revision!r}: {exc}"
            ) from None
        raise
    finally:
        engine.dispose()
    where = _shown(masked(engine.url))
    if before == after:
        click.echo(f"The database {where} is already at revision {after}.")
    else:
        click.echo(
            f"Upgraded the database {where} from {before or 'empty'} to {after}."
        )


@db_group.command("current", context_settings=CONTEXT_SETTINGS)
@click.option(
    "--check",
    is_flag=True,
    help="Exit with status 1 unless the database is at the latest revision.",
)
@data_options
@click.pass_context
def db_current_command(ctx: click.Context, check: bool) -> None:
    """Show the database's schema revision."""
    status = _schema_status(_settings(ctx).database_url)
    if status["error"]:
        raise click.ClickException(status["error"])
    click.echo(_describe_schema(status))
    if check and status["current"] != status["head"]:
        ctx.exit(1)


def main() -> None:
    """Entry point of the ``ghost-sim`` console script."""
    cli.main(prog_name="ghost-sim")


def _register_engine_commands() -> None:
    from . import cli_engine

    cli_engine.register(cli)


def _register_archers_commands() -> None:
    from . import cli_archers

    cli_archers.register(cli)


_register_engine_commands()
_register_archers_commands()
