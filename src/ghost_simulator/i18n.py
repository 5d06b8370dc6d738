"""Languages: the translation layer every string a user reads goes through."""

from __future__ import annotations

from functools import cache

from babel import Locale
from flask import Flask, current_app, has_request_context, request
from flask_babel import Babel


def current_language() -> str:
    """The code of the language pages are drawn in for this request: the one
    the user chose (a cookie), else the browser's preferred one among those
    the app speaks, else the app's default (also outside a request: the
    services word things for the command line too)."""
    if not has_request_context():
        return str(current_app.config["BABEL_DEFAULT_LOCALE"])
    languages: list[str] = current_app.config["LANGUAGES"]
    chosen = request.cookies.get("lang")
    if chosen in languages:
        return str(chosen)
    best = request.accept_languages.best_match(languages)
    return best or str(current_app.config["BABEL_DEFAULT_LOCALE"])


def select_locale() -> Locale:
    """Flask-Babel's locale selector: :func:`current_language` as a babel
    ``Locale``, built once per language (parsing one costs more than the
    rest of a cached page's request)."""
    return _locale(current_language())


@cache
def _locale(code: str) -> Locale:
    return Locale.parse(code)


def init_app(app: Flask) -> None:
    Babel(app, locale_selector=select_locale)
