"""Pages kept as rendered, for whoever would get the same HTML.

- Public pages (the landing and about pages) for visitors who carry nothing
  of their own (no session, not signed in, no query string): kept per page,
  language, theme and address (scheme, host and the app's root), and only
  when drawing them touched no session and made no form token: a page with a
  form on it is drawn for each visitor, never served with another's token.
- A match's page in progress, for the viewer who saw it (see
  :class:`StatePages`).

The response is built around a kept page as usual: security headers and all.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from functools import wraps
from typing import ParamSpec

from flask import Blueprint, Response, current_app, g, request, session
from flask_login import current_user

from ...i18n import current_language
from ...lru import LRU
from ...security import form_token
from .templates import current_theme

P = ParamSpec("P")

EXTENSION_KEY = "ghost_simulator.page_cache"
#: Public pages kept per app: a few per page, language, theme and address.
PUBLIC_PAGES_KEPT = 64


def _pages() -> LRU[tuple[str, ...], str]:
    """This app's pages (each app its own: tests build many in one process)."""
    pages: LRU[tuple[str, ...], str] = current_app.extensions.setdefault(
        EXTENSION_KEY, LRU(PUBLIC_PAGES_KEPT)
    )
    return pages


def _address() -> tuple[str, str, str]:
    """What a page's links are built from (share links are absolute)."""
    return request.scheme, request.host, request.script_root


def _drew_nothing_of_its_own() -> bool:
    """Did drawing this request's page leave the session as it was and make
    no form token (Flask-WTF's, kept in ``g``)?"""
    return not session.modified and "csrf_token" not in g


def for_anonymous_visitors(view: Callable[P, str]) -> Callable[P, str]:
    @wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> str:
        if request.args or session or current_user.is_authenticated:
            return view(*args, **kwargs)
        key = (
            request.endpoint or "",
            current_language(),
            current_theme(),
            *_address(),
        )
        pages = _pages()
        page = pages.get(key)
        if page is None:
            page = view(*args, **kwargs)
            if _drew_nothing_of_its_own():
                pages.put(key, page)
        return page

    return wrapper


def clear() -> None:
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
    the address asked for (scheme, host, the app's root, path and query:
    links are built from them), and the viewer (the browser's owner key and
    the signed-in archer with their name, which the header shows). Pages with
    a message to flash, or whose drawing changed the session, are drawn anew.
    The form token is cut out when a page is kept and the request's own is
    put in when it is served. Least recently used first out; a few hundred
    pages a process."""

    def __init__(self, kept: int = STATE_PAGES_KEPT) -> None:
        self._pages: LRU[tuple[Hashable, ...], str] = LRU(kept)

    def page(self, record: Hashable, render: Callable[[], str]) -> str:
        if "_flashes" in session:
            return render()
        key = (record, *_viewer())
        kept = self._pages.get(key)
        if kept is not None:
            if TOKEN_SLOT in kept:
                return kept.replace(TOKEN_SLOT, form_token())
            return kept
        before = _session_but_token()
        page = render()
        # Kept unless drawing it changed the session beyond making its form
        # token's secret (each request serving it gets its own token).
        if _session_but_token() == before:
            token = g.get("csrf_token")
            self._pages.put(key, page.replace(token, TOKEN_SLOT) if token else page)
        return page

    def clear(self) -> None:
        self._pages.clear()


def _session_but_token() -> dict[str, object]:
    return {k: v for k, v in session.items() if k != "csrf_token"}


def _viewer() -> tuple[Hashable, ...]:
    archer = (
        (current_user.get_id(), current_user.archer.username)
        if current_user.is_authenticated
        else None
    )
    return (
        current_language(),
        current_theme(),
        *_address(),
        request.full_path,
        archer,
    )


def state_pages() -> StatePages:
    """This app's kept pages (each app its own)."""
    pages: StatePages = current_app.extensions.setdefault(STATE_PAGES_KEY, StatePages())
    return pages


#: What a page of the viewer's own that changes elsewhere (a match, a ladder,
#: a competition day, a team match: each may be shot on another phone) tells
#: the browser: ask again every time, never show the copy kept (Back
#: included). Not no-store, which would keep it from the phone's offline copy
#: (static/js/sw.js).
OWN_PAGES = "private, no-cache"


def asked_again(blueprint: Blueprint) -> None:
    """Every HTML page ``blueprint`` answers a GET with is asked again each
    time (:data:`OWN_PAGES`), unless the view said otherwise."""

    @blueprint.after_request
    def _never_stale(response: Response) -> Response:
        if request.method == "GET" and response.mimetype == "text/html":
            response.headers.setdefault("Cache-Control", OWN_PAGES)
        return response
