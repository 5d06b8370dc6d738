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
from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import wraps
from typing import ParamSpec

from flask import current_app, g, request, session
from flask_login import current_user

from ...i18n import current_language
from ...security import form_token
from .templates import current_theme

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
        key = (request.endpoint or "", current_language(), current_theme())
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


# -- pages of a stored state, for the viewer who asked ---------------------------

#: What stands for the form token in a kept page: each response gets the
#: token of its own request (Flask-WTF signs it anew, with the time).
TOKEN_SLOT = "\x00csrf-token\x00"
STATE_PAGES_KEY = "ghost_simulator.state_pages"
STATE_PAGES_KEPT = 512


class StatePages:
    """Pages drawn from one version of a stored record (a match's sheet),
    kept as rendered for the viewer who saw them.

    A page is a function of the record's version and of who is looking and
    how: the key holds the record and its version, the language, the theme,
    the address asked for (host, path and query: links are built from them),
    and the viewer (the browser's owner key and the signed-in archer with
    their name, which the header shows). Pages with a message to flash are
    drawn anew. The form token is cut out when a page is kept and the
    request's own is put in when it is served. Least recently used first out;
    a few hundred pages a process."""

    def __init__(self, kept: int = STATE_PAGES_KEPT) -> None:
        self.kept = kept
        self._pages: OrderedDict[tuple[Hashable, ...], str] = OrderedDict()
        self._lock = threading.Lock()

    def page(self, record: Hashable, render: Callable[[], str]) -> str:
        if "_flashes" in session:
            return render()
        key = (record, *_viewer())
        with self._lock:
            kept = self._pages.get(key)
            if kept is not None:
                self._pages.move_to_end(key)
        if kept is not None:
            if TOKEN_SLOT in kept:
                return kept.replace(TOKEN_SLOT, form_token())
            return kept
        page = render()
        token = g.get("csrf_token")
        with self._lock:
            self._pages[key] = page.replace(token, TOKEN_SLOT) if token else page
            while len(self._pages) > self.kept:
                self._pages.popitem(last=False)
        return page

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()


def _viewer() -> tuple[Hashable, ...]:
    archer = (
        (current_user.get_id(), current_user.archer.username)
        if current_user.is_authenticated
        else None
    )
    return (
        current_language(),
        current_theme(),
        request.host,
        request.full_path,
        archer,
    )


def state_pages() -> StatePages:
    """This app's kept pages (each app its own)."""
    pages: StatePages = current_app.extensions.setdefault(STATE_PAGES_KEY, StatePages())
    return pages
