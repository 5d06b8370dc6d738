"""Real servers for the cluster test: redis-server and nginx from the
distribution's packages, each started in the foreground with its own files in
a temporary directory, and stopped with the test."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from ..databases import on_ci

#: Where Debian keeps nginx, off an ordinary user's PATH.
SBIN = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/usr/local/sbin"])


def program(name: str, package: str) -> str:
    """The path of a program; skip without it (an error under CI, which
    installs it)."""
    found = shutil.which(name, path=SBIN)
    if found is None:
        reason = f"{name} is not installed (Debian: apt-get install {package})"
        if on_ci():
            pytest.fail(f"the cluster test cannot run under CI: {reason}")
        pytest.skip(reason)
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            text = log.read_text(errors="replace") if log.exists() else ""
            raise AssertionError(f"{process.args[0]} exited early:\n{text}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"nothing listens on port {port} after 20 s")


@dataclass
class Daemon:
    """A server run in the foreground, in a process group of its own."""

    process: subprocess.Popen[bytes]
    port: int
    log: Path

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, sig)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def _spawn(args: list[str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def start_redis(directory: Path) -> Daemon:
    """redis-server on a free port: no persistence, only this test's data."""
    redis_server = program("redis-server", "redis-server")
    directory.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = directory / "redis.log"
    process = _spawn(
        [
            redis_server,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(directory),
            "--daemonize",
            "no",
        ],
        log,
    )
    daemon = Daemon(process, port, log)
    try:
        wait_for_port(port, process, log)
    except BaseException:
        daemon.stop()
        raise
    return daemon


NGINX_CONF = """\
{user}
daemon off;
master_process on;
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log info;
events {{ worker_connections 512; }}
http {{
    access_log {dir}/access.log;
    client_body_temp_path {dir}/client_body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    upstream ghost_simulator {{
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://ghost_simulator;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            # A refused connection (an instance gone) tries the other one; a
            # request already sent is never sent twice: the client decides.
            proxy_next_upstream error timeout;
            proxy_connect_timeout 2s;
            proxy_read_timeout 60s;
            proxy_buffers 16 16k;
            proxy_max_temp_file_size 0;
            # Which instance answered, for the test to see the load spread.
            add_header X-Upstream $upstream_addr always;
        }}
    }}
}}
"""


def start_nginx(directory: Path, port: int, upstreams: list[str]) -> Daemon:
    """nginx as a reverse proxy on ``port`` in front of ``upstreams``
    (``host:port``), round robin, with its own prefix and configuration."""
    nginx = program("nginx", "nginx")
    directory.mkdir(parents=True, exist_ok=True)
    servers = "\n".join(
        f"        server {address} max_fails=1 fail_timeout=5s;"
        for address in upstreams
    )
    conf = directory / "nginx.conf"
    conf.write_text(
        NGINX_CONF.format(
            # As root, workers would run as nobody, who cannot enter the
            # test's private temporary directory.
            user="user root;" if os.geteuid() == 0 else "",
            dir=directory,
            servers=servers,
            port=port,
        )
    )
    log = directory / "error.log"
    args = [nginx, "-p", str(directory), "-c", str(conf), "-e", str(log)]
    check = subprocess.run([*args, "-t"], capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stderr
    process = _spawn(args, directory / "nginx.out")
    daemon = Daemon(process, port, log)
    try:
        wait_for_port(port, process, log)
    except BaseException:
        daemon.stop()
        raise
    return daemon
