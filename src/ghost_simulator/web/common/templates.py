"""What every template may call: the app's version, the languages and themes,
and the wording of archery things (:mod:`...services.labels`)."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_babel import format_datetime, get_locale
from flask_babel import gettext as _

from ..._version import __version__
from ...services.labels import (
    bow_names,
    ghost_line,
    millimetres,
    past_label,
    percent,
    preset_label,
    sheet_title,
)

LANGUAGES = [("en", "English"), ("es", "Español")]
THEME_COOKIE = "theme"
THEMES = ("auto", "light", "dark")


def current_theme() -> str:
    chosen = request.cookies.get(THEME_COOKIE, "auto")
    return chosen if chosen in THEMES else "auto"


def template_globals() -> dict[str, Any]:
    return {
        "app_version": __version__,
        "current_locale": lambda: str(get_locale() or "en"),
        "languages": LANGUAGES,
        "bow_names": bow_names(),
        "ghost_label": ghost_line,
        "past_label": past_label,
        "preset_label": preset_label,
        "sheet_title": sheet_title,
        "percent": percent,
        "millimetres": millimetres,
        "format_datetime": format_datetime,
        "current_theme": current_theme,
        "themes": [
            ("auto", _("Automatic")),
            ("light", _("Light")),
            ("dark", _("Dark")),
        ],
    }
