"""A ghost night's live stream (server-sent events): members only, the retry
delay then the night's version each time an end moves it (from the version
the browser last saw), a bounded stream, and 503 with Retry-After when the
process serves as many streams as it takes; the night page wires its
script to it."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from ghost_simulator.services import live

from .test_night_pages import setup


class ThreadedClient(FlaskClient):
    """A test client whose requests say, as a threaded server's do, that
    requests may run side by side (``wsgi.multithread``): only then does a
    night stream."""

    def open(self, *args: Any, **kwargs: Any) -> Any:
        overrides = kwargs.pop("environ_overrides", None) or {}
        overrides = {"wsgi.multithread": True, **overrides}
        return super().open(*args, environ_overrides=overrides, **kwargs)


@pytest.fixture
def app(app: Flask) -> Flask:
    app.config["LIVE_STREAM_SECONDS"] = 1.5
    app.test_client_class = ThreadedClient
    return app


def test_a_member_hears_each_end_entered(app: Flask, client: FlaskClient) -> None:
    made = setup(app, client)
    member = made["member"]
    match_url = member.post(made["url"] + "/join").headers["Location"]
    page = client.get(made["url"]).text
    assert f'data-live-url="{made["url"]}/live"' in page
    assert "js/leaderboard.js" in page

    def shoot() -> None:
        time.sleep(0.3)
        member.post(match_url + "/ends", data={"arrow": ["9", "9", "9"]})

    shooter = threading.Thread(target=shoot)
    started = time.monotonic()
    shooter.start()
    answer = client.get(made["url"] + "/live", headers={"Last-Event-ID": "0"})
    body = answer.get_data(as_text=True)  # the whole (bounded) stream
    shooter.join()
    assert answer.status_code == 200
    assert answer.mimetype == "text/event-stream"
    assert answer.headers["X-Accel-Buffering"] == "no"
    assert body.startswith(f"retry: {live.RETRY_MS}\n\n")
    assert live.event(1) in body
    assert time.monotonic() - started < 5
    # A browser that saw version 1 already hears nothing new.
    quiet = client.get(made["url"] + "/live", headers={"Last-Event-ID": "1"})
    assert "event:" not in quiet.get_data(as_text=True)


def test_strangers_get_404(app: Flask, client: FlaskClient) -> None:
    made = setup(app, client)
    stranger = app.test_client()
    from ..history.test_history import sign_in

    sign_in(app, stranger, "stranger")
    assert stranger.get(made["url"] + "/live").status_code == 404


def test_a_full_server_says_503_and_when_to_come_back(
    app: Flask, client: FlaskClient
) -> None:
    app.config["LIVE_STREAMS"] = 1
    made = setup(app, client)
    first = client.get(made["url"] + "/live", buffered=False)
    try:
        next(first.response)  # the stream is open: its slot taken
        second = made["member"].get(made["url"] + "/live")
        assert second.status_code == 503
        assert second.headers["Retry-After"] == "5"
    finally:
        first.close()
    # The slot comes back when the stream ends.
    again = made["member"].get(made["url"] + "/live")
    assert again.status_code == 200


def test_opening_a_stream_does_not_build_the_leaderboard(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stream needs the night's version and the viewer's membership only:
    building the leaderboard (seconds of a busy server's time with 200
    members, measured) held every stream opened again back."""
    from ghost_simulator.services import nights

    made = setup(app, client)

    def no_leaderboard(*args: object, **kwargs: object) -> None:
        raise AssertionError("the stream built the leaderboard")

    monkeypatch.setattr(nights, "leaderboard", no_leaderboard)
    answer = client.get(made["url"] + "/live", headers={"Last-Event-ID": "0"})
    assert answer.status_code == 200
    assert answer.get_data(as_text=True).startswith(f"retry: {live.RETRY_MS}")


def test_a_server_of_one_request_at_a_time_gets_no_stream(
    app: Flask, client: FlaskClient
) -> None:
    """gunicorn's sync workers answer one request at a time: a stream would
    hold a whole worker for minutes, so the page is told to poll instead."""
    made = setup(app, client)
    answer = client.get(
        made["url"] + "/live", environ_overrides={"wsgi.multithread": False}
    )
    assert answer.status_code == 503
    assert answer.headers["Retry-After"] == "5"
    assert "one request at a time" in answer.get_data(as_text=True)
