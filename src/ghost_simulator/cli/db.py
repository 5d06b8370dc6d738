"""``ghost-sim db``: the database schema's migrations."""

from __future__ import annotations

from typing import Any

import click

from ..config import mask_secrets
from ..errors import GhostSimError
from .common import CONTEXT_SETTINGS, data_options, missing_database, settings_for


def register(cli: click.Group) -> None:
    cli.add_command(db_group)


def schema_status(database_url: str) -> dict[str, Any]:
    from ..store import create_db_engine, sqlite_file_missing
    from ..store.migrate import current_revision, head_revision

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


def describe_schema(status: dict[str, Any]) -> str:
    if status["error"]:
        return f"unavailable ({status['error']})"
    current, head = status["current"], status["head"]
    if current is None:
        return "not created yet ('ghost-sim db upgrade' creates it)"
    if current == head:
        return f"{current} (up to date)"
    return f"{current} (this release needs {head}: run 'ghost-sim db upgrade')"


@click.group("db", context_settings=CONTEXT_SETTINGS)
def db_group() -> None:
    """Database schema migrations."""


def _engine_for(ctx: click.Context) -> Any:
    from ..config import ensure_data_dir, secure_database_file
    from ..store import create_db_engine

    settings = settings_for(ctx)
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
    from ..store import masked
    from ..store.migrate import upgrade

    engine = _engine_for(ctx)
    try:
        _refuse_downgrade(engine, revision)
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
    where = mask_secrets(masked(engine.url))
    if before == after:
        click.echo(f"The database {where} is already at revision {after}.")
    else:
        click.echo(
            f"Upgraded the database {where} from {before or 'empty'} to {after}."
        )


def _refuse_downgrade(engine: Any, revision: str) -> None:
    """``db upgrade`` only goes forward: "base", "-1" or a revision older than
    the database's are refused in words, not reported as "already at"."""
    from alembic.script import ScriptDirectory

    from ..store.migrate import alembic_config, current_revision

    refusal = click.ClickException(
        f"Cannot go to {revision!r}: downgrades are not supported. Restore a"
        " backup made before the upgrade instead."
    )
    if revision == "base" or revision.startswith("-"):
        raise refusal
    current = current_revision(engine)
    if current is None or revision in ("head", current):
        return
    script = ScriptDirectory.from_config(alembic_config())
    try:
        target = script.get_revision(revision)
    except Exception:  # unknown: alembic words it below
        return
    older = {r.revision for r in script.walk_revisions("base", current)}
    if target is not None and target.revision != current and target.revision in older:
        raise refusal


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
    settings = settings_for(ctx)
    refusal = missing_database(settings)
    if refusal is not None:
        raise refusal
    status = schema_status(settings.database_url)
    if status["error"]:
        raise click.ClickException(status["error"])
    click.echo(describe_schema(status))
    if check and status["current"] != status["head"]:
        ctx.exit(1)
