"""Public pages rendered once per language and theme for visitors who carry
nothing of their own (no session, not signed in, no query string).

The landing and about pages are what most requests ask for and are the same
for every such visitor, so their HTML is kept in this process (a handful of
entries: one per page, language and theme) and the response is built around
it as usual: security headers and all. Anyone with a session (a match of
their own to resume, a message to show) or signed in gets the page rendered
for them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec

from flask import current_app, request, session
from flask_babel import get_locale
from flask_login import current_user

from .helpers import current_theme

P = ParamSpec("P")

EXTENSION_KEY = "ghost_simulator.page_cache"
_LOCK = threading.Lock()


def _pages() -> dict[tuple[str, str, str], str]:
    """This app's pages (each app its own: tests build many in one process)."""
    pages: dict[tuple[str, str, str], str] = current_app.extensions.setdefault(
        EXTENSION_KEY, {}
    )
    return pages


def for_anonymous_visitors(view: Callable[P, str]) -> Callable[P, str]:
    @wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> str:
        if request.args or session or current_user.is_authenticated:
            return view(*args, **kwargs)
        key = (request.endpoint or "", str(get_locale()), current_theme())
        pages = _pages()
        page = pages.get(key)
        if page is None:
            page = view(*args, **kwargs)
            with _LOCK:
                pages[key] = page
        return page

    return wrapper


def clear() -> None:
    with _LOCK:
        _pages().clear()
