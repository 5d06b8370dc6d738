"""``ghost-sim`` in a real terminal (a pseudo-terminal from :mod:`pty`): for
what only a terminal shows, progress bars and colour, and for Ctrl-C."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..servers import default_interrupt

Step = Callable[[subprocess.Popen[bytes], str], None]


@dataclass
class Finished:
    returncode: int
    output: str


def run_in_terminal(
    args: Sequence[str],
    env: dict[str, str],
    cwd: Path,
    *,
    steps: Sequence[tuple[str, Step]] = (),
    timeout: float = 120,
) -> Finished:
    """Run ``args`` with standard input, output and error on one terminal;
    each step in turn waits for its text in the output, then acts (given the
    process and the output so far)."""
    master, slave = pty.openpty()
    process = subprocess.Popen(
        list(args),
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        cwd=cwd,
        start_new_session=True,
        preexec_fn=default_interrupt,  # as a terminal's program: Ctrl-C's default
    )
    os.close(slave)
    output = b""
    pending = list(steps)
    deadline = time.monotonic() + timeout
    try:
        while True:
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # EIO: every end of the terminal closed
                    chunk = b""
                output += chunk
                if not chunk and process.poll() is not None:
                    break
            elif process.poll() is not None:
                break
            while pending and pending[0][0].encode() in output:
                _, act = pending.pop(0)
                act(process, output.decode("utf-8", "replace"))
            if time.monotonic() > deadline:
                raise AssertionError(f"still running after {timeout} s: {output!r}")
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(master)
    return Finished(process.returncode, output.decode("utf-8", "replace"))


def interrupt(process: subprocess.Popen[bytes], _output: str = "") -> None:
    """What Ctrl-C does to the command: SIGINT."""
    process.send_signal(signal.SIGINT)
