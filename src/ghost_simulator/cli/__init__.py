"""The ``ghost-sim`` command: Flask's CLI around :func:`create_app`.

Thin by design: options become settings, settings become an app, the app is
served. Errors a user can make end as one line and a non-zero exit. One
module per family of commands (serve, info, db, engine, ladder, bracket,
archers), each adding its own with ``register``; :mod:`.common` holds what
they share.
"""

from __future__ import annotations

import os
import platform
from importlib.metadata import version as package_version
from typing import Any

import click
from flask import Flask
from flask.cli import FlaskGroup, routes_command, shell_command

from .._version import __version__
from ..config import ENV_PREFIX, mask_secrets
from ..errors import GhostSimError
from . import archers, bracket, clubs, completion, db, docs, engine, info, ladder, serve
from .common import CONTEXT_SETTINGS, overrides

#: The exit status after Ctrl-C, as shells report it: 128 + SIGINT.
INTERRUPTED = 130


def _create_app() -> Flask:
    """Build the app for Flask's loader, with this command line's settings."""
    from .. import create_app

    ctx = click.get_current_context(silent=True)
    given = overrides(ctx) if ctx is not None else {}
    try:
        return create_app(given)
    except GhostSimError as exc:
        raise click.ClickException(str(exc)) from None


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    click.echo(f"ghost-sim {__version__}")
    click.echo(
        f"Python {platform.python_version()} ({platform.python_implementation()})"
    )
    click.echo(f"OS {platform.platform()}")
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
            load_dotenv=False,
            context_settings={**CONTEXT_SETTINGS, "auto_envvar_prefix": ENV_PREFIX},
            **extra,
        )
        # No --app (one app) and no -e/--env-file: settings come from the
        # config file, GHOST_SIM_* variables and options, without python-dotenv.
        self.params = [p for p in self.params if p.name not in ("app", "env_file")]
        self.params.append(
            click.Option(
                ["--version"],
                is_flag=True,
                expose_value=False,
                is_eager=True,
                callback=_print_version,
                help="Show the version of ghost-sim, Python, the OS, Flask and"
                " Werkzeug.",
            )
        )
        self.add_command(shell_command)
        self.add_command(routes_command)

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        """NO_COLOR (https://no-color.org), when set and not empty: no colour
        anywhere, click's or the development server's request lines."""
        if parent is None and os.environ.get("NO_COLOR"):
            extra.setdefault("color", False)
            import werkzeug.serving

            werkzeug.serving._log_add_style = False
        return super().make_context(info_name, args, parent, **extra)

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
        except KeyboardInterrupt:
            # Ctrl-C: the shell's convention (128 + SIGINT), not click's 1.
            click.echo("\nInterrupted.", err=True)
            raise click.exceptions.Exit(INTERRUPTED) from None

    def list_commands(self, ctx: click.Context) -> list[str]:
        """The commands, without building the app (which FlaskGroup does to
        list the app's own: ``--help`` must not touch data)."""
        return sorted(self.commands)


@click.group(cls=GhostSimGroup)
def cli() -> None:
    """Ghost Simulator: shoot against the ghost, a realistic phantom archer.

    Start the app with 'ghost-sim serve' and open the address it prints.
    """


def main() -> None:
    """Entry point of the ``ghost-sim`` console script."""
    cli.main(prog_name="ghost-sim")


for family in (
    serve,
    info,
    db,
    engine,
    ladder,
    bracket,
    archers,
    clubs,
    completion,
    docs,
):
    family.register(cli)
