"""What a terminal (or its absence) changes: colour and NO_COLOR, a password
with no terminal to hide it on, a QR code on an output that cannot print
block characters."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from ghost_simulator import serving

from ..servers import command_env, ghost_sim_command
from .terminal import interrupt, run_in_terminal

pytestmark = [
    pytest.mark.skipif(sys.platform == "win32", reason="POSIX terminals"),
    pytest.mark.database_agnostic,
]
URL = re.compile(r"Running on (http://\S+)")


def request_a_missing_page(_process: subprocess.Popen[bytes], output: str) -> None:
    match = URL.search(output)
    assert match, output
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(match.group(1) + "/no-such-page", timeout=10)


def serve_in_terminal(home: Path, tmp_path: Path, **env: str) -> str:
    environ = command_env(home, **env)
    environ.pop("NO_COLOR", None)
    environ.update(env)
    finished = run_in_terminal(
        ghost_sim_command("serve", "--port", "0", "--data-dir", str(tmp_path / "d")),
        environ,
        tmp_path,
        steps=[
            ("Press CTRL+C", request_a_missing_page),
            ("no-such-page", interrupt),
        ],
    )
    assert "Traceback" not in finished.output
    return finished.output


def test_colour_on_a_terminal_and_none_with_no_color(
    isolated_settings: Path, tmp_path: Path
) -> None:
    coloured = serve_in_terminal(isolated_settings, tmp_path)
    assert "\x1b[" in coloured  # the warning in red, a 404's request line
    plain = serve_in_terminal(isolated_settings, tmp_path, NO_COLOR="1")
    assert "WARNING: This is a development server" in plain
    assert '"GET /no-such-page HTTP/1.1" 404' in plain
    assert "\x1b[" not in plain
    # An empty NO_COLOR is as good as none (https://no-color.org).
    assert "\x1b[" in serve_in_terminal(isolated_settings, tmp_path, NO_COLOR="")


def test_no_terminal_for_a_password(isolated_settings: Path, tmp_path: Path) -> None:
    env = command_env(isolated_settings)
    data = ["--data-dir", str(tmp_path)]
    subprocess.run(ghost_sim_command("db", "upgrade", *data), env=env, check=True)
    result = subprocess.run(
        ghost_sim_command("archers", "create", "nopw", *data),
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        start_new_session=True,  # no controlling terminal to open
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr == (
        "Error: No terminal to ask for the password on: use --password-stdin"
        " (the password on the first line of standard input).\n"
    )
    assert "Warning" not in result.stdout + result.stderr


def test_qr_code_in_ascii_where_blocks_cannot_print(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="cp1252", write_through=True)
    monkeypatch.setattr(sys, "stdout", out)
    address = "http://192.168.1.20:5000"
    serving.print_qr(serving.Addresses(address, address, True))
    text = raw.getvalue().decode("cp1252")
    lines = text.splitlines()
    assert lines[0] == f" * Scan to open {address}"
    code = lines[1:]
    assert len(code) > 20
    assert {len(line) for line in code} == {len(code[0])}
    assert set("".join(code)) == {"#", " "}


def test_qr_code_in_blocks_where_they_print(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="utf-8", write_through=True)
    monkeypatch.setattr(sys, "stdout", out)
    address = "http://192.168.1.20:5000"
    serving.print_qr(serving.Addresses(address, address, True))
    assert "\u2588" in raw.getvalue().decode("utf-8")
