"""Languages: the translation layer every string a user reads goes through."""

from __future__ import annotations

from flask import Flask, current_app, request
from flask_babel import Babel


def select_locale() -> str | None:
    """The language the user chose (a cookie), else the browser's preferred one
    among those the app speaks."""
    languages: list[str] = current_app.config["LANGUAGES"]
    chosen = request.cookies.get("lang")
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages)


def init_app(app: Flask) -> None:
    Babel(app, locale_selector=select_locale)
