"""Start-up time of ``ghost-sim --help`` next to ``flask --help``, in one run.

Both commands import Flask and click; the difference is what ghost-sim adds on
top. The machine is noisy, so each command runs several times, interleaved, and
the figures are medians and their ratio.

    python benchmarks/startup.py [--runs 15]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path


def command(name: str) -> list[str]:
    found = shutil.which(name, path=str(Path(sys.executable).parent))
    if found is None:
        sys.exit(f"{name} is not installed next to {sys.executable}")
    return [found, "--help"]


def time_once(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(
        argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    commands = {
        "flask --help": command("flask"),
        "ghost-sim --help": command("ghost-sim"),
        "python -c pass": [sys.executable, "-c", "pass"],
    }
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for argv in commands.values():  # warm the file cache once
        time_once(argv)
    for _ in range(args.runs):
        for name, argv in commands.items():
            samples[name].append(time_once(argv))

    medians = {name: statistics.median(values) for name, values in samples.items()}
    baseline = medians["flask --help"]
    print(f"{'command':<20} {'median':>9} {'min':>9}  vs flask --help")
    for name, values in samples.items():
        print(
            f"{name:<20} {medians[name] * 1000:7.1f}ms {min(values) * 1000:7.1f}ms"
            f"  {medians[name] / baseline:5.2f}x"
        )


if __name__ == "__main__":
    main()
