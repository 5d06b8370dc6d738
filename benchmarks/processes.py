"""How many server processes one database serves: 1, 2 and 4 production
servers (``ghost-sim serve --production``) on one data dir, with many archers
at once entering ends on them in turn.

For each count of processes: ends acknowledged per second, how long an end
took (median, 95th percentile), and every answer that was not a success (a
500 "database is locked" before writes took their lock up front).

    python benchmarks/processes.py [--processes 1 2 4] [--archers 32]
                                   [--threads 4] [--ends 20]

Uses a fresh private data dir (SQLite) for each count, or the database in
GHOST_SIM_DATABASE_URL when it is set (then every count shares it). The load
generator runs in this process, on the same machine: compare the counts with
each other, not with another machine's figures.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the tests' server and browser helpers

from tests.servers import command_env, ghost_sim_command, start  # noqa: E402
from tests.tabs import LONG_ROUND_ENDS, Load, archers_at_once  # noqa: E402


def run(processes: int, archers: int, threads: int, ends: int) -> Load:
    home = Path(tempfile.mkdtemp(prefix="ghost-processes-"))
    env = command_env(
        home,
        GHOST_SIM_DATA_DIR=str(home / "data"),
        # one address creates every archer's match here
        GHOST_SIM_MATCH_CREATION_LIMIT="100000 per minute",
    )
    if os.environ.get("GHOST_SIM_DATABASE_URL"):
        env["GHOST_SIM_DATABASE_URL"] = os.environ["GHOST_SIM_DATABASE_URL"]
    command = ghost_sim_command(
        "serve", "--port", "0", "--production", "--threads", str(threads)
    )
    servers = []
    try:
        for _ in range(processes):
            servers.append(start(command, env, home))
        return archers_at_once([s.url for s in servers], archers, ends)
    finally:
        for server in servers:
            server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--archers", type=int, default=32)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--ends", type=int, default=LONG_ROUND_ENDS)
    args = parser.parse_args()
    print(
        f"{args.archers} archers at once, {args.ends} ends each, on N servers of"
        f" {args.threads} threads ({os.cpu_count()} CPUs)"
    )
    print(
        f"{'processes':>9} {'ends/s':>8} {'median ms':>10} {'p95 ms':>8}"
        f" {'errors':>7}  answers"
    )
    for count in args.processes:
        load = run(count, args.archers, args.threads, args.ends)
        times = sorted(load.latencies) or [0.0]
        median = statistics.median(times) * 1000
        p95 = times[int(0.95 * (len(times) - 1))] * 1000
        errors = sum(n for status, n in load.statuses.items() if status >= 500)
        wrong = f", {len(load.wrong_sheets)} sheets wrong" if load.wrong_sheets else ""
        print(
            f"{count:>9} {load.ends_per_second:>8.1f} {median:>10.0f} {p95:>8.0f}"
            f" {errors:>7}  {dict(sorted(load.statuses.items()))}{wrong}"
        )


if __name__ == "__main__":
    main()
