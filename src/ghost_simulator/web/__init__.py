"""The web layer: blueprints of thin views over the engine and the store."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_babel import get_locale

from .._version import __version__
from . import errors, pages


def template_globals() -> dict[str, Any]:
    return {
        "app_version": __version__,
        "current_locale": lambda: str(get_locale() or "en"),
    }


def init_app(app: Flask) -> None:
    app.context_processor(template_globals)
    app.register_blueprint(pages.bp)
    errors.init_app(app)
