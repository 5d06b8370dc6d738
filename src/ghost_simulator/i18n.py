"""Languages: the translation layer every string a user reads goes through."""

from __future__ import annotations

from flask import Flask, current_app, request
from flask_babel import Babel


def select_locale() -> str | None:
    """The browser's preferred language among those the app speaks."""
    languages: list[str] = current_app.config["LANGUAGES"]
    return request.accept_languages.best_match(languages)


def init_app(app: Flask) -> None:
    Babel(app, locale_selector=select_locale)
