"""A ghost night's leaderboard, live: the stream of server-sent events the
night page's script listens to (``services.live``), on the night blueprint.

Each stream holds one of the server's threads while it lasts (at most
``services.live.STREAM_SECONDS``), so a process serves at most
``LIVE_STREAMS`` at once (a setting); past that, 503 with Retry-After, and the
page asks for its leaderboard every two seconds instead."""

from __future__ import annotations

import threading
from collections.abc import Iterator

from flask import Response, current_app, request, stream_with_context
from flask.typing import ResponseReturnValue
from flask_login import login_required

from ...services import live
from .views import _view, bp

#: The streams a process serves at once when the setting does not say.
LIVE_STREAMS = 8
EXTENSION_KEY = "ghost_simulator.live_streams"
_LOCK = threading.Lock()


def _slots() -> threading.BoundedSemaphore:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    with _LOCK:
        found = app.extensions.get(EXTENSION_KEY)
        if found is None:
            try:
                size = max(1, int(app.config.get("LIVE_STREAMS") or LIVE_STREAMS))
            except (TypeError, ValueError):
                size = LIVE_STREAMS
            found = app.extensions[EXTENSION_KEY] = threading.BoundedSemaphore(size)
        return found


def _known(default: int) -> int:
    """The version the browser saw last (``Last-Event-ID``, sent when it
    opens the next stream), else the page's."""
    text = request.headers.get("Last-Event-ID") or request.args.get("version") or ""
    return int(text) if text.isdigit() and len(text) < 12 else default


@bp.get("/clubs/<club_id>/nights/<night_id>/live")
@login_required
def live_stream(club_id: str, night_id: str) -> ResponseReturnValue:
    """The night's moves as server-sent events (members only: 404 else)."""
    view = _view(club_id, night_id)
    known = _known(int(view.night.version))
    seconds = float(
        current_app.config.get("LIVE_STREAM_SECONDS") or live.STREAM_SECONDS
    )
    slots = _slots()
    if not slots.acquire(blocking=False):
        return Response(
            "This server has as many live watchers as it takes: the page asks"
            " again every few seconds.",
            503,
            {"Retry-After": "5", "Cache-Control": "no-store"},
            mimetype="text/plain",
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
