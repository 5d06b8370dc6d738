"""Server time of the history pages for an archer with 1,000 kept rounds and
matches, next to the landing page measured in the same run.

Each figure is the median of several requests through Flask's test client
(the app's own work: routing, queries, templates; no network, no browser).
Goal: the history page under 100 ms.

    python benchmarks/history.py [--rounds 1000] [--runs 15]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from ghost_simulator import create_app
from ghost_simulator.engine import Ghost, Match, get_preset, get_round, match_round
from ghost_simulator.passwords import hash_password
from ghost_simulator.store import archers, get_session, matches
from ghost_simulator.store.models import Match as Row

#: The kinds of match kept, in the mix they are kept (a few engine-built states
#: each, copied to make up the number).
ENDS = [
    ["10", "9", "9", "9", "8", "8"],
    ["X", "10", "9", "9", "9", "8"],
    ["9", "9", "8", "8", "7", "7"],
    ["10", "10", "9", "9", "9", "9"],
]


def shot(match: Match, ends: list[str], stop: int | None = None) -> Match:
    count = 0
    while match.expected_arrows() and (stop is None or count < stop):
        match.add_end(ends[: match.expected_arrows()])
        count += 1
    return match


def templates() -> list[Match]:
    """A few matches of every kind, built and shot with the engine."""
    made = []
    for i, ends in enumerate(ENDS):
        seed = 100 + i
        ghosts = [
            Ghost.from_handicap(30 + 5 * i),
            Ghost.from_score(get_round("wa18"), 540 + 5 * i),
            get_preset("outdoor-recurve-senior-men").ghost(),
            Ghost.from_handicap(45 - 3 * i, steady=True),
        ]
        ghost = ghosts[i % len(ghosts)]
        made += [
            shot(Match("ranking", get_round("wa18", bow="recurve"), ghost, seed), ends),
            shot(
                Match(
                    "ranking", get_round("wa18", bow="recurve", half=True), ghost, seed
                ),
                ends,
            ),
            shot(
                Match("ranking", get_round("wa720_70", bow="recurve"), ghost, seed),
                ends,
            ),
            shot(Match("set", match_round("recurve", False), ghost, seed), ends),
            shot(
                Match("cumulative", match_round("compound", False), ghost, seed),
                ends,
            ),
            shot(Match("set", match_round("barebow", True), ghost, seed), ends, 2),
            shot(
                Match("ranking", get_round("portsmouth", bow="barebow"), ghost, seed),
                ends,
                7,
            ),
        ]
    return made


def fill(app: Flask, rounds: int) -> int:
    """An archer with ``rounds`` kept matches and rounds, one a day back from
    today; their id."""
    with app.app_context():
        archer = archers.create("benchmark", hash_password("a long password"))
        archers.update_profile(
            archer, {"sex": "female", "age_class": "adult", "bowstyle": "recurve"}
        )
        owner = matches.Owner("benchmark-browser", archer.id)
        states = [(m.to_dict(), m.verdict().status, m.summary()) for m in templates()]
        ids = [matches.create(owner, *states[i % len(states)]) for i in range(rounds)]
        session = get_session()
        today = datetime.now(UTC)
        for age, match_id in enumerate(ids):
            session.execute(
                update(Row)
                .where(Row.id == match_id)
                .values(created_at=today - timedelta(days=age, minutes=age))
            )
        session.commit()
        return archer.id


def timed(client: FlaskClient, url: str, runs: int) -> tuple[float, float]:
    """(first request, median of ``runs`` more) in milliseconds."""

    def once() -> float:
        start = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - start) * 1000
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        return elapsed

    first = once()
    return first, statistics.median(once() for _ in range(runs))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=15)
    options = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as data_dir:
        app = create_app({"DATA_DIR": data_dir, "WTF_CSRF_ENABLED": False})
        started = time.perf_counter()
        archer_id = fill(app, options.rounds)
        made = time.perf_counter() - started
        print(f"{options.rounds} rounds kept in {made:.1f} s")

        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = f"{archer_id}.0"
            session["_fresh"] = True
        with app.app_context():
            statement = select(Row.id).where(
                Row.round_code == "wa18", Row.half.is_(False), Row.status == "won"
            )
            finished = get_session().scalars(statement).first()
        assert finished is not None
        pages: list[tuple[str, str]] = [
            ("landing page (baseline)", "/"),
            ("history, first page", "/history"),
            ("history, filtered", "/history?round=wa18&bow=recurve&since=2024-01-01"),
            ("history, page 20", "/history?page=20"),
            ("round page, WA 18m", "/history/rounds/wa18"),
            ("round page, WA 18m half", "/history/rounds/wa18?half=1"),
            ("match page, finished WA 18m", f"/matches/{finished}"),
        ]
        print(f"\n{'page':36} {'first ms':>9} {'median ms':>10}")
        for name, url in pages:
            first, median = timed(client, url, options.runs)
            print(f"{name:36} {first:9.1f} {median:10.1f}")


if __name__ == "__main__":
    main()
