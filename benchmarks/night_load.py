"""A club's ghost night under load, on the real production setup: two
``ghost-sim serve --production`` instances on one PostgreSQL behind nginx,
ARCHERS archers (200 by default) entering every end of a WA 18 m round
through nginx, one instance killed a third of the way, and a watcher on the
other instance's live stream. Prints the night's figures: ends a second,
the latency from an end being sent to the watcher hearing it (p50, p95,
max), the retries the kill caused; and fails if an acknowledged end is
missing or doubled, an archer saw a 500, or p95 reached 2 seconds.

    GHOST_SIM_TEST_DATABASE_URL=postgresql+psycopg://... \\
        python benchmarks/night_load.py [--archers 200] [--pace SECONDS] [--dump FILE]

It runs tests/cluster/test_night_cluster.py with GHOST_SIM_NIGHT_ARCHERS set
(the test suite runs the same test with 8). Needs nginx and redis-server
(Debian's packages) and a PostgreSQL the user may create schemas in.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archers", type=int, default=200)
    parser.add_argument(
        "--pace",
        type=float,
        default=0.0,
        help=(
            "seconds between an archer's ends (about 120 at a range; default 0:"
            " each end as soon as the last is answered, the servers' limit)"
        ),
    )
    parser.add_argument(
        "--dump",
        metavar="FILE",
        help=(
            "write the night's times to FILE as JSON (each end's acknowledgement"
            " and sending, each event the watcher heard, its streams), to look"
            " closer than the figures"
        ),
    )
    args = parser.parse_args()
    if args.pace < 0:
        parser.error("--pace is 0 or more seconds")
    if not 1 <= args.archers <= 240:
        parser.error("--archers is 1 to 240 (each archer has an address 127.0.0.N)")
    if not os.environ.get("GHOST_SIM_TEST_DATABASE_URL"):
        parser.error("set GHOST_SIM_TEST_DATABASE_URL to a PostgreSQL database")
    env = {
        **os.environ,
        "GHOST_SIM_NIGHT_ARCHERS": str(args.archers),
        "GHOST_SIM_NIGHT_PACE": str(args.pace),
    }
    if args.dump:
        env["GHOST_SIM_NIGHT_DUMP"] = str(Path(args.dump).resolve())
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-s",
        "-p",
        "no:randomly",
        "tests/cluster/test_night_cluster.py",
    ]
    finished = subprocess.run(command, cwd=ROOT, env=env, check=False)
    sys.exit(finished.returncode)


if __name__ == "__main__":
    main()
