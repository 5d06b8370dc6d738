"""Waitress's thread pool with a second, small pool for the live streams.

A live stream (a ghost night's server-sent events) holds the thread that
serves it for as long as it lasts, minutes. In waitress's one pool that
thread is taken from everyone's requests (four live watchers on four threads
would stop the server answering anyone else), and a stream opened again when
the last one ends waits in the one queue behind every end the archers send
(seconds when a night is busy, during which the watcher hears nothing).
Here a request for a stream goes to a pool of its own, so that streams never
take an ordinary request's thread and never wait behind one.

The request is sorted when waitress hands its connection to the pool (after
reading the request line and headers, before the app runs), by its method and
path only. It is two of waitress's own ``ThreadedTaskDispatcher`` and only
chooses which one runs each task; ``create_server`` takes it as
``_dispatcher`` (named as a test shim there, so waitress is kept below 4 in
the project's requirements, and ``tests/test_stream_pool.py`` proves the
split on the real server).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from waitress.task import ThreadedTaskDispatcher

#: Decides, from a request's method and path, whether it opens a stream.
IsStream = Callable[[str, str], bool]


class _StreamThreads(ThreadedTaskDispatcher):
    """Waitress's pool, its threads named for the streams they serve."""

    def start_new_thread(self, target: Callable[[int], None], thread_no: int) -> None:
        thread = threading.Thread(
            target=target, name=f"waitress-stream-{thread_no}", args=(thread_no,)
        )
        thread.daemon = True
        thread.start()


class StreamingDispatcher(ThreadedTaskDispatcher):
    """Ordinary requests on ``threads`` threads; streams on ``stream_threads``
    of their own."""

    def __init__(self, threads: int, stream_threads: int, is_stream: IsStream) -> None:
        super().__init__()
        self.streams = _StreamThreads()
        self._is_stream = is_stream
        self.set_thread_count(threads)
        self.streams.set_thread_count(stream_threads)

    def opens_stream(self, task: Any) -> bool:
        """Whether the task (a connection, its next request first) is a
        stream's."""
        requests = getattr(task, "requests", None)
        if not requests:
            return False
        request = requests[0]
        command = getattr(request, "command", None)
        path = getattr(request, "path", None)
        if not isinstance(command, str) or not isinstance(path, str):
            return False
        return self._is_stream(command, path)

    def add_task(self, task: Any) -> None:
        if self.opens_stream(task):
            self.streams.add_task(task)
        else:
            super().add_task(task)

    def shutdown(self, cancel_pending: bool = True, timeout: float = 5) -> bool:
        self.streams.shutdown(cancel_pending, timeout)
        return bool(super().shutdown(cancel_pending, timeout))
