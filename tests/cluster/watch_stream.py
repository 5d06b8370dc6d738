"""A watcher of a ghost night's live stream, in a process of its own (so that
the load generator's threads cannot delay it): opens the stream on one
instance, opens it again when it ends (with the last version seen), and
prints ``<CLOCK_MONOTONIC seconds> <version>`` for every event, until its
standard input closes; and, to tell what happened between streams,
``status <code> <seconds>`` when a stream's answer comes, ``ended <seconds>``
when one ends and ``failed <seconds> <error>`` when one breaks.

    python -m tests.cluster.watch_stream HOST:PORT HOST_HEADER PATH COOKIE
"""

from __future__ import annotations

import http.client
import sys
import threading
import time


def watch(
    address: str, host: str, path: str, cookie: str, stop: threading.Event
) -> None:
    last = 0
    hostname, port = address.rsplit(":", 1)
    while not stop.is_set():
        connection = http.client.HTTPConnection(hostname, int(port), timeout=40)
        try:
            connection.request(
                "GET",
                path,
                headers={
                    "Host": host,
                    "Cookie": cookie,
                    "Accept": "text/event-stream",
                    "Last-Event-ID": str(last),
                },
            )
            response = connection.getresponse()
            print(f"status {response.status} {time.monotonic():.6f}", flush=True)
            if response.status != 200:
                time.sleep(0.5)
                continue
            while not stop.is_set():
                line = response.readline()
                if not line:
                    print(f"ended {time.monotonic():.6f}", flush=True)
                    break  # the stream ended: open the next
                if line.startswith(b"id: "):
                    last = int(line[4:].strip())
                    print(f"{time.monotonic():.6f} {last}", flush=True)
        except (OSError, http.client.HTTPException) as exc:
            error = type(exc).__name__
            print(f"failed {time.monotonic():.6f} {error}", flush=True)
            time.sleep(0.2)
        finally:
            connection.close()


def main() -> None:
    address, host, path, cookie = sys.argv[1:5]
    stop = threading.Event()
    thread = threading.Thread(
        target=watch, args=(address, host, path, cookie, stop), daemon=True
    )
    thread.start()
    sys.stdin.read()  # until the test closes it
    stop.set()


if __name__ == "__main__":
    main()
