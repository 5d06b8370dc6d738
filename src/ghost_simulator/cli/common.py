"""What the ``ghost-sim`` commands share: the settings given on the command
line, the data options, and the checks made before touching data."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from flask import Flask

from ..config import ENV_PREFIX, load_settings
from ..errors import GhostSimError

F = TypeVar("F", bound=Callable[..., Any])
OVERRIDES = "ghost_simulator.overrides"
CONTEXT_SETTINGS = {"help_option_names": ["--help"], "max_content_width": 100}


def overrides(ctx: click.Context) -> dict[str, Any]:
    """The settings given on the command line, kept on the root context."""
    meta: dict[str, Any] = ctx.find_root().meta.setdefault(OVERRIDES, {})
    return meta


def _set_override(key: str) -> Callable[[click.Context, click.Parameter, Any], Any]:
    def callback(ctx: click.Context, _param: click.Parameter, value: Any) -> Any:
        if value is not None:
            overrides(ctx)[key] = value
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


def settings_for(ctx: click.Context) -> Any:
    """The settings as this command line makes them (a bad one: one line)."""
    try:
        return load_settings(overrides(ctx))
    except GhostSimError as exc:
        raise click.ClickException(str(exc)) from None


def check_schema(app: Flask) -> None:
    """A shared database must be upgraded on purpose before a new release serves."""
    from ..store import get_engine, masked
    from ..store.migrate import current_revision, head_revision

    engine = get_engine(app)
    current, head = current_revision(engine), head_revision()
    if current != head:
        raise click.ClickException(
            f"The database {masked(engine.url)} is at schema revision"
            f" {current or 'none'}, and this release needs {head}. Back it up,"
            " then run: ghost-sim db upgrade"
        )
