"""``ghost-sim serve``: Flask's ``run`` options, served by the development
server or, with ``--production``, by waitress."""

from __future__ import annotations

import copy
import ssl
from typing import Any

import click
from flask.cli import (
    CertParamType,
    ScriptInfo,
    get_debug_flag,
    pass_script_info,
    run_command,
)

from .._version import __version__
from ..config import ENV_PREFIX
from ..errors import GhostSimError
from .common import (
    CONTEXT_SETTINGS,
    check_schema,
    data_options,
    overrides,
    settings_for,
    sqlite_path,
)


def register(cli: click.Group) -> None:
    cli.add_command(serve_command)


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
            " Caddy or nginx) in front of it for TLS, as the documentation's"
            " Production page explains.",
            ctx,
        )
    if not with_threads:
        raise click.UsageError(
            "--production always uses a thread pool: set its size with --threads.",
            ctx,
        )


@click.command(
    "serve",
    params=_flask_run_options(),
    context_settings=CONTEXT_SETTINGS,
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
    from .. import serving
    from ..web.night import live

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
        overrides(ctx)["PRODUCTION"] = True
    new_database = sqlite_path(settings_for(ctx).database_url)
    app = info.load_app()
    if new_database is not None and not app.config["AUTO_UPGRADE"]:
        new_database = None  # not made here: check_schema says what to do
    debug = get_debug_flag()
    try:
        if not app.config["AUTO_UPGRADE"]:
            check_schema(app)
        ssl_context = serving.load_ssl_context(cert)
        live_threads = live.stream_threads(app.config)

        def on_ready(addresses: serving.Addresses) -> None:
            if production:
                title = f"Ghost Simulator {__version__}, production server (waitress)"
                lines = [
                    f"Threads: {threads or 4}, and {live_threads} for live leaderboards"
                ]
                warning = None
                if app.config.get("LOG_REQUESTS"):
                    lines.append("Logging one line per request to stderr")
            else:
                title = f"Ghost Simulator {__version__}, development server"
                lines = [f"Debug mode: {'on' if debug else 'off'}"]
                warning = serving.DEV_SERVER_WARNING
            if new_database is not None:
                lines.append(f"Created a new database: {new_database}")
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
                stream_threads=live_threads,
                is_stream=live.is_stream,
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
