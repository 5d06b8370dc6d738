"""Ghost Simulator: shoot against the ghost, a realistic phantom archer."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from ._version import __version__

__all__ = ["__version__", "create_app"]

SETTINGS_KEY = "ghost_simulator.settings"


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app from the layered configuration.

    ``test_config`` is the top layer: the command line's options, or a test's
    settings. Raises :class:`~ghost_simulator.errors.ConfigError` with a message
    a person can act on when the configuration cannot be used.
    """
    # Imported here so that ``ghost-sim --help`` does not pay for them.
    from . import i18n, security, store, web
    from .config import ensure_data_dir, load_or_create_secret_key, load_settings
    from .store import migrate

    settings = load_settings(test_config)
    uses_data_dir = (
        not settings.values.get("SECRET_KEY")
        or settings.sources.get("DATABASE_URL") == "default"
    )
    if uses_data_dir:
        ensure_data_dir(settings.data_dir)

    # The instance folder is the data dir: never inside site-packages, which
    # pipx replaces on every upgrade.
    app = Flask(__name__, instance_path=str(settings.data_dir))
    app.config.update(settings.values)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = load_or_create_secret_key(settings.data_dir)
    app.extensions[SETTINGS_KEY] = settings

    security.init_app(app)
    i18n.init_app(app)
    store.init_app(app)
    web.init_app(app)

    engine = store.get_engine(app)
    auto_upgrade = app.config.get("AUTO_UPGRADE")
    if auto_upgrade is None:
        # An embedded SQLite database belongs to this instance alone, so it is
        # safe to upgrade here; a shared server is upgraded with `ghost-sim db
        # upgrade`, once, by whoever deploys the new release.
        auto_upgrade = store.is_sqlite(engine.url)
    app.config["AUTO_UPGRADE"] = bool(auto_upgrade)
    if auto_upgrade:
        migrate.upgrade(engine)
    return app
