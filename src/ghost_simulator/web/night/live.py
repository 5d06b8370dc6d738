"""A ghost night's leaderboard, live: the stream of server-sent events the
night page's script listens to (``services.live``), on the night blueprint.

Each stream holds the thread that serves it while it lasts (at most
``services.live.STREAM_SECONDS``), so a process serves at most
``LIVE_STREAMS`` at once (a setting); past that, 503 with Retry-After, and the
page asks for its leaderboard every two seconds instead. A server that runs
one request at a time in each process (``wsgi.multithread`` false: gunicorn's
sync workers) gets no streams at all, only that 503. The production
server runs streams on threads of their own (:func:`stream_threads` of them,
picked by :func:`is_stream`), so they never take an ordinary request's thread
nor wait behind one."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Mapping
from typing import Any

from flask import Response, abort, current_app, request, stream_with_context
from flask.typing import ResponseReturnValue
from flask_login import login_required

from ...services import live, nights
from ..common.viewer import required_archer
from .views import bp

#: The streams a process serves at once when the setting does not say.
LIVE_STREAMS = 8
EXTENSION_KEY = "ghost_simulator.live_streams"
_LOCK = threading.Lock()
#: A stream's path (the route below), wherever the app is mounted.
STREAM_PATH = re.compile(r"/clubs/[^/]+/nights/[^/]+/live\Z")
#: Threads the production server keeps beyond the streams themselves, to
#: answer the 503 of a stream past ``LIVE_STREAMS`` at once.
SPARE_STREAM_THREADS = 2


def live_streams(config: Mapping[str, Any]) -> int:
    """How many streams a process serves at once (the setting)."""
    try:
        return max(1, int(config.get("LIVE_STREAMS") or LIVE_STREAMS))
    except (TypeError, ValueError):
        return LIVE_STREAMS


def stream_threads(config: Mapping[str, Any]) -> int:
    """The production server's threads for streams."""
    return live_streams(config) + SPARE_STREAM_THREADS


def is_stream(method: str, path: str) -> bool:
    """Whether a request (its method and path, before the app sees it) opens
    a stream."""
    return method == "GET" and STREAM_PATH.search(path) is not None


def _slots() -> threading.BoundedSemaphore:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    with _LOCK:
        found = app.extensions.get(EXTENSION_KEY)
        if found is None:
            size = live_streams(app.config)
            found = app.extensions[EXTENSION_KEY] = threading.BoundedSemaphore(size)
        return found


def _known(default: int) -> int:
    """The version the browser saw last (``Last-Event-ID``, sent when it
    opens the next stream), else the page's."""
    text = request.headers.get("Last-Event-ID") or request.args.get("version") or ""
    return int(text) if text.isdigit() and len(text) < 12 else default


def _ask_again(why: str) -> Response:
    """No stream: 503 with Retry-After, and the page's script fetches the
    leaderboard every two seconds instead."""
    return Response(
        why,
        503,
        {"Retry-After": "5", "Cache-Control": "no-store"},
        mimetype="text/plain",
    )


@bp.get("/clubs/<club_id>/nights/<night_id>/live")
@login_required
def live_stream(club_id: str, night_id: str) -> ResponseReturnValue:
    """The night's moves as server-sent events (members only: 404 else)."""
    try:
        version = nights.live_version(club_id, night_id, required_archer().id)
    except LookupError:
        abort(404)
    known = _known(version)
    seconds = float(
        current_app.config.get("LIVE_STREAM_SECONDS") or live.STREAM_SECONDS
    )
    if not request.environ.get("wsgi.multithread"):
        # A server that answers one request at a time in each process
        # (gunicorn's default sync workers): a stream would hold a whole
        # process for minutes.
        return _ask_again(
            "This server answers one request at a time: the page asks again"
            " every few seconds."
        )
    slots = _slots()
    if not slots.acquire(blocking=False):
        return _ask_again(
            "This server has as many live watchers as it takes: the page asks"
            " again every few seconds."
        )

    def events() -> Iterator[str]:
        try:
            yield from live.stream(night_id, known, seconds=seconds)
        finally:
            slots.release()

    return Response(
        stream_with_context(events()),
        mimetype="text/event-stream",
        headers={
            "Cache-Control": "no-store",
            # nginx: pass each event on at once, do not buffer the stream.
            "X-Accel-Buffering": "no",
        },
    )
