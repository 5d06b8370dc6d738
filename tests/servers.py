"""Run the real ``ghost-sim`` command in a subprocess and talk to it."""

from __future__ import annotations

import itertools
import os
import queue
import re
import signal
import ssl
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

URL_PATTERN = re.compile(r"Running on (https?://[^\s]+)")


@dataclass
class ServerProcess:
    """A started server: its process, everything it printed, and its URL."""

    process: subprocess.Popen[str]
    lines: list[str] = field(default_factory=list)
    url: str = ""
    _queue: queue.Queue[str | None] = field(default_factory=queue.Queue)
    _reader: threading.Thread | None = None

    def _pump(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def start_reading(self) -> None:
        self._reader = threading.Thread(target=self._pump, daemon=True)
        self._reader.start()

    def _read(self, seconds: float) -> Iterator[str]:
        """Lines printed from now until ``seconds`` pass or the process ends."""
        deadline = time.monotonic() + seconds
        while (remaining := deadline - time.monotonic()) > 0:
            try:
                line = self._queue.get(timeout=remaining)
            except queue.Empty:
                return
            if line is None:
                return
            self.lines.append(line)
            yield line

    def wait_for(
        self, pattern: str, timeout: float = 20, since: int = 0
    ) -> re.Match[str]:
        """Read output until a line matches; fail with everything printed if not.
        ``since``: a line read before is only looked at from that index on
        (``len(server.lines)``: only a line printed from now on)."""
        regex = re.compile(pattern)
        # Lazily: stop reading at the first match, not when the timeout ends.
        for line in itertools.chain(self.lines[since:], self._read(timeout)):
            if match := regex.search(line):
                return match
        raise AssertionError(
            f"no line matching {pattern!r}; output was:\n" + "\n".join(self.lines)
        )

    def drain(self, seconds: float) -> list[str]:
        """Collect what is printed during the next few seconds."""
        return list(self._read(seconds))

    def stop(self) -> None:
        if self.process.poll() is None:
            # The reloader's child is in the same process group: stop both.
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if self._reader is not None:
            self._reader.join(timeout=10)
        if self.process.stdout is not None:
            self.process.stdout.close()


def command_env(home: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GHOST_SIM_", "FLASK_"))
    }
    env.update(
        {
            "PYTHONUNBUFFERED": "1",
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_DATA_HOME": str(home / "data"),
            "NO_COLOR": "1",
        }
    )
    env.update(extra)
    return env


def ghost_sim_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "ghost_simulator", *args]


def default_interrupt() -> None:
    """In a child, before it runs: Ctrl-C's default action for SIGINT. A job
    started in the background by a non-interactive shell (as CI may start the
    tests) inherits SIGINT ignored; Python then never raises KeyboardInterrupt,
    and a server asked to stop with SIGINT would run on until it is killed."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start(
    args: Sequence[str], env: dict[str, str], cwd: Path, wait: bool = True
) -> ServerProcess:
    process = subprocess.Popen(
        list(args),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
        env=env,
        cwd=cwd,
        start_new_session=True,
        preexec_fn=default_interrupt,  # stop() sends SIGINT
    )
    server = ServerProcess(process)
    server.start_reading()
    if wait:
        server.url = server.wait_for(URL_PATTERN.pattern).group(1)
    return server


def fetch(
    url: str,
    context: ssl.SSLContext | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 10,
) -> tuple[int, dict[str, str], str]:
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, context=context, timeout=timeout) as response:
        return response.status, dict(response.headers), response.read().decode()
