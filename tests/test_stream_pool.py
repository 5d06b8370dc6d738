"""The production server's second thread pool for live streams, on a real
waitress: streams never take an ordinary request's thread, and an ordinary
request never keeps a stream from opening."""

from __future__ import annotations

import http.client
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from waitress import create_server

from ghost_simulator import serving
from ghost_simulator.stream_pool import StreamingDispatcher
from ghost_simulator.web.night.live import is_stream, stream_threads

STREAM = "/clubs/c1/nights/n1/live"


class Blocking:
    """A WSGI app: a stream's path sends a first line, then waits for
    ``release``; ``/slow`` waits for it before answering; anything else
    answers at once, naming the thread that served it."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.threads: dict[str, str] = {}

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterator[bytes]:
        path = environ["PATH_INFO"]
        self.threads[path] = threading.current_thread().name
        if path == "/slow":
            self.release.wait(20)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return self._body(path)

    def _body(self, path: str) -> Iterator[bytes]:
        yield b"first\n"
        if is_stream("GET", path):
            self.release.wait(20)
        yield b"done\n"


@contextmanager
def serving_blocking(**options: Any) -> Iterator[tuple[Blocking, int]]:
    """The blocking app on a real waitress: one ordinary thread, two for
    streams."""
    app = Blocking()
    dispatcher = StreamingDispatcher(1, 2, is_stream)
    waitress = create_server(
        app, host="127.0.0.1", port=0, _dispatcher=dispatcher, **options
    )
    stop = threading.Event()

    def run() -> None:  # waitress's loop, a turn at a time, until told to stop
        while not stop.is_set():
            waitress.asyncore.loop(timeout=0.05, map=waitress._map, count=1)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield app, int(waitress.effective_port)
    finally:
        app.release.set()
        stop.set()
        thread.join(5)
        waitress.close()  # in this thread, once the loop has stopped


@pytest.fixture
def server() -> Iterator[tuple[Blocking, int]]:
    with serving_blocking() as found:
        yield found


def opened(port: int, path: str) -> tuple[http.client.HTTPConnection, bytes]:
    """A request sent, and the first line of its answer (waits for it)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path)
    response = connection.getresponse()
    return connection, response.readline()


def test_is_stream_picks_a_nights_live_path_only() -> None:
    assert is_stream("GET", STREAM)
    assert is_stream("GET", "/prefix" + STREAM)
    assert not is_stream("POST", STREAM)
    assert not is_stream("GET", STREAM + "/more")
    assert not is_stream("GET", "/clubs/c1/nights/n1/leaderboard")
    assert not is_stream("GET", "/clubs/c1/nights/live")
    assert stream_threads({"LIVE_STREAMS": 3}) == 5
    assert stream_threads({"LIVE_STREAMS": "nonsense"}) == stream_threads({})


def test_streams_leave_the_ordinary_thread_free(server) -> None:  # type: ignore[no-untyped-def]
    app, port = server
    streams = [opened(port, f"/clubs/c{n}/nights/n1/live") for n in (1, 2)]
    assert [first for _, first in streams] == [b"first\n", b"first\n"]
    # Both stream threads are held; the one ordinary thread still answers.
    started = time.monotonic()
    connection, first = opened(port, "/")
    assert first == b"first\n"
    assert time.monotonic() - started < 2
    connection.close()
    ordinary = app.threads["/"]
    assert {app.threads[f"/clubs/c{n}/nights/n1/live"] for n in (1, 2)}.isdisjoint(
        {ordinary}
    )
    for connection, _ in streams:
        connection.close()


def test_a_stream_opens_while_every_ordinary_thread_is_busy(server) -> None:  # type: ignore[no-untyped-def]
    app, port = server
    slow = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    slow.request("GET", "/slow")
    deadline = time.monotonic() + 5
    while "/slow" not in app.threads and time.monotonic() < deadline:
        time.sleep(0.01)
    assert "/slow" in app.threads  # the ordinary thread is held
    started = time.monotonic()
    connection, first = opened(port, STREAM)
    assert first == b"first\n"
    assert time.monotonic() - started < 2
    app.release.set()
    assert slow.getresponse().status == 200
    slow.close()
    connection.close()


def test_run_production_hands_waitress_the_split_pool(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    seen: dict[str, Any] = {}

    class Server:
        def run(self) -> None:
            pass

        def close(self) -> None:
            for sock in seen["sockets"]:
                sock.close()

    def fake_create_server(app: Any, **kwargs: Any) -> Server:
        seen.update(kwargs)
        return Server()

    monkeypatch.setattr("waitress.create_server", fake_create_server)
    serving.run_production(
        lambda environ, start_response: [],
        host="127.0.0.1",
        port=0,
        threads=3,
        on_ready=lambda addresses: None,
        stream_threads=4,
        is_stream=is_stream,
    )
    dispatcher = seen["_dispatcher"]
    assert isinstance(dispatcher, StreamingDispatcher)
    assert len(dispatcher.threads) == 3
    assert len(dispatcher.streams.threads) == 4
    dispatcher.shutdown(timeout=1)
