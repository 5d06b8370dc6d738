"""Server time of a ghost night's leaderboard with ARCHERS members who have
each shot most of the round, next to the live stream's own lookup (the
night's version, for a member) measured in the same run.

Every member watching a night fetches the leaderboard again after each end
(the page's script: at most one fetch at a time), and a live stream opened
again used to build it too before its first event. Three figures, each the
work of one call of the service (no request, no template) in the server's
one interpreter: the first build of the night in a process (nothing kept
yet), a build after one member's end (what each watcher's fetch costs on a
live night), and a build when nothing moved (the median of several).

    python benchmarks/leaderboard.py [--archers 200] [--runs 9]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from ghost_simulator import create_app
from ghost_simulator.passwords import hash_password
from ghost_simulator.services import nights, play
from ghost_simulator.services.viewers import Viewer
from ghost_simulator.store import archers, clubs, write
from ghost_simulator.store.models import ClubMember

SCORES = ["X", "10", "10", "9", "9", "9", "8", "8", "7", "6"]


def median_ms(call: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archers", type=int, default=200)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "benchmark",
                "DATABASE_URL": f"sqlite:///{directory}/bench.sqlite3",
                "DATA_DIR": directory,
            }
        )
        with app.test_request_context():
            password = hash_password("benchmark-password")
            owner = archers.create("owner", password)
            club_id = clubs.create(owner.id, "Benchmark club", None, None)
            now = datetime.now(UTC)
            night_id = nights.create(
                club_id,
                owner.id,
                {
                    "title": "Benchmark night",
                    "kind": "ranking",
                    "bow": "recurve",
                    "indoor": "1",
                    "round": "wa18",
                    "ghost": "handicap",
                    "handicap": "40",
                    "ranking": "adjusted",
                    "timezone": "UTC",
                    "opens": (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
                    "closes": (now + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
                },
            )
            rng = random.Random(7)
            members = [archers.create(f"m{n}", password) for n in range(args.archers)]

            def join_all(session: object) -> None:
                for member in members:
                    session.add(  # type: ignore[attr-defined]
                        ClubMember(
                            club_id=club_id,
                            archer_id=member.id,
                            role="member",
                            shown_as="name",
                        )
                    )

            write(join_all)
            print(f"{args.archers} members shooting 19 ends each ...", flush=True)
            shooters = []
            for member in members:
                viewer = Viewer(f"key-{member.id}", member)
                match_id, _ = nights.join(viewer, club_id, night_id)
                shooters.append((viewer, match_id))
                for _ in range(19):
                    shoot(viewer, match_id, rng)
            lookup = median_ms(
                lambda: nights.live_version(club_id, night_id, owner.id), args.runs
            )

            def build() -> object:
                return nights.view(club_id, night_id, owner.id)

            cold = median_ms(build, 1)
            after_end = []
            for viewer, match_id in shooters[: args.runs]:
                shoot(viewer, match_id, rng)
                after_end.append(median_ms(build, 1))
            still = median_ms(build, args.runs)
    print(f"the live stream's lookup (baseline): {lookup:.2f} ms")
    for label, figure in (
        ("first build in a process", cold),
        ("after one member's end (median)", statistics.median(after_end)),
        ("nothing moved (median)", still),
    ):
        print(
            f"the leaderboard of {args.archers} archers, {label}:"
            f" {figure:.0f} ms, {figure / lookup:.0f} times the baseline"
        )


def shoot(viewer: Viewer, match_id: str, rng: random.Random) -> None:
    arrows = [rng.choice(SCORES) for _ in range(3)]
    play.enter(viewer, match_id, play.Entry("end", arrows=arrows))


if __name__ == "__main__":
    main()
