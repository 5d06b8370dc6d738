"""``ghost-sim info``: what to paste into a bug report."""

from __future__ import annotations

import json
import platform
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from typing import Any

import click

from .._version import __version__
from ..config import mask_secrets
from .common import CONTEXT_SETTINGS, data_options, settings_for
from .db import describe_schema, schema_status


def register(cli: click.Group) -> None:
    cli.add_command(info_command)


@click.command(
    "info",
    short_help="Show the version, paths and database, for a bug report.",
    context_settings=CONTEXT_SETTINGS,
)
@click.option("--json", "as_json", is_flag=True, help="Print the details as JSON.")
@data_options
@click.pass_context
def info_command(ctx: click.Context, as_json: bool) -> None:
    """Show the version, data directory, config file and database: what to paste
    into a bug report. Passwords are masked; the secret key is never shown."""
    from ..config import SECRET_KEY_FILE

    settings = settings_for(ctx)
    if settings.values.get("SECRET_KEY"):
        secret = f"set in the {settings.sources.get('SECRET_KEY', 'default')}"
    else:
        secret = f"{settings.data_dir / SECRET_KEY_FILE}"
    status = schema_status(settings.database_url)
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
            for name in (
                "Flask",
                "Werkzeug",
                "SQLAlchemy",
                "alembic",
                "waitress",
                "numpy",
                "archeryutils",
            )
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
        ("Schema", describe_schema(status)),
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
