"""What a competition day costs, next to a single match measured in the same
run (these machines are noisy: the ratios are the figures to read).

- making a day (the field drawn or read, seeded, levels estimated, every
  match the archer can meet made) for fields of 8, 32, 128;
- its page the first time (the day kept as it was made; or, on another
  instance, drawn afresh: every ghost match of the day shot out) and again;
- a new match and a match page, the baseline.

    python benchmarks/days.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import time
from collections.abc import Callable

from ghost_simulator import create_app
from ghost_simulator.services import days as day_service


def timed(action: Callable[[], object], repeat: int) -> float:
    """The median of ``repeat`` runs, in milliseconds."""
    found = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        found.append((time.perf_counter() - started) * 1000)
    return statistics.median(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    app = create_app(
        {
            "TESTING": True,
            "DATA_DIR": tempfile.mkdtemp(),
            "WTF_CSRF_ENABLED": False,
            "MATCH_CREATION_LIMIT": "100000 per minute",
        }
    )
    client = app.test_client()

    def new_match() -> str:
        answer = client.post("/matches", data={"kind": "set", "handicap": "30"})
        return answer.headers["Location"].rsplit("/", 1)[1]

    match_id = new_match()
    baseline_new = timed(new_match, args.repeat)
    baseline_page = timed(lambda: client.get(f"/matches/{match_id}"), args.repeat)
    print(
        f"baseline: a new set match {baseline_new:7.1f} ms,"
        f" its page {baseline_page:6.1f} ms"
    )

    for size in (8, 32, 128):
        made: list[str] = []

        def make_day(size: int = size, made: list[str] = made) -> None:
            answer = client.post(
                "/days",
                data={"field": "international", "size": str(size), "score": "640"},
            )
            assert answer.status_code == 303, answer.text
            made.append(answer.headers["Location"].rsplit("/", 1)[1])

        creating = timed(make_day, args.repeat)
        first: list[float] = []
        fresh: list[float] = []
        for found in (first, fresh):  # kept from its making; then afresh
            for day_id in made:
                started = time.perf_counter()
                page = client.get(f"/days/{day_id}")
                found.append((time.perf_counter() - started) * 1000)
                assert page.status_code == 200
                assert re.search(r"seed \d+ of", page.text)
            day_service._DRAWN.clear()  # as another instance would draw it
        last = made[-1]
        again = timed(lambda last=last: client.get(f"/days/{last}"), args.repeat)
        print(
            f"field {size:3}: make the day {creating:7.1f} ms"
            f" ({creating / baseline_new:4.1f}x a new match),"
            f" first view {statistics.median(first):6.1f} ms"
            f" (on another instance {statistics.median(fresh):6.1f} ms),"
            f" again {again:6.1f} ms ({again / baseline_page:4.1f}x a match page)"
        )


if __name__ == "__main__":
    main()
