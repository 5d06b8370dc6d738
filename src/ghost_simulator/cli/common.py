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


def sqlite_path(url: str) -> str | None:
    """The file of a SQLite database that does not exist yet (else None)."""
    from sqlalchemy.engine import make_url

    from ..store import sqlite_file_missing

    if not sqlite_file_missing(url):
        return None
    return str(make_url(url).database)


def missing_database(settings: Any) -> click.ClickException | None:
    """The refusal for a command that uses an existing database and finds
    none: a mistyped ``--data-dir`` must not quietly make a new, empty one.
    Only ``serve`` and ``db upgrade`` create a database."""
    path = sqlite_path(settings.database_url)
    if path is None:
        return None
    url_source = settings.sources.get("DATABASE_URL")
    if url_source == "default":
        what, option = "the data directory", "data-dir"
        source = settings.sources.get("DATA_DIR", "default")
    else:
        what, option, source = "the database URL", "database-url", url_source
    name = f"{ENV_PREFIX}_{option.replace('-', '_').upper()}"
    where = {
        "command line": f"{what} from --{option} or {name}",
        "environment": f"{what} from {name}",
        "config file": f"{what} in {settings.config_file}",
    }.get(source or "", f"the default {what.removeprefix('the ')}")
    return click.ClickException(
        f"No database at {path} ({where}). Check the path; 'ghost-sim serve' or"
        " 'ghost-sim db upgrade' creates a new one."
    )


def require_database(ctx: click.Context) -> None:
    """Refuse, in one line naming the path, a database that does not exist."""
    refusal = missing_database(settings_for(ctx))
    if refusal is not None:
        raise refusal


def output_width() -> int:
    """The terminal's width (COLUMNS, else the terminal, else 80), at most 100."""
    import shutil

    return min(shutil.get_terminal_size((80, 24)).columns, 100)


def echo_table(
    header: tuple[str, ...],
    rows: list[tuple[str, ...]],
    right: frozenset[int] = frozenset(),
) -> None:
    """A table with a header line, its last column wrapped to the terminal's
    width (columns in ``right`` aligned right)."""
    import textwrap

    table = [header, *rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(header) - 1)]
    indent = sum(widths) + 2 * len(widths)
    room = max(output_width() - indent, 20)
    for row in table:
        cells = [
            cell.rjust(w) if i in right else cell.ljust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=False))
        ]
        lines = textwrap.wrap(row[-1], room) or [""]
        click.echo(("  ".join([*cells, lines[0]])).rstrip())
        for line in lines[1:]:
            click.echo(" " * indent + line)
