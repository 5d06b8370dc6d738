"""Several instances, the standard way: two ``ghost-sim serve --production``
processes on one PostgreSQL behind a real nginx, sharing a secret key and a
redis rate-limit store.

Concurrent archers, each with their own browser, lose no end, never see one
twice, never see another archer's; one instance killed with SIGKILL mid-load
loses no end it acknowledged; a sign-in throttle counts across both.
"""

from __future__ import annotations

import os
import secrets
import signal
import sys
import threading
import time

import pytest
from sqlalchemy import create_engine, text

from ghost_simulator.web.common.limits import SIGN_IN

from .archers import ENDS, Archer, Browser, Tally, hidden_fields, sheet_ends
from .conftest import Cluster

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(sys.platform == "win32", reason="POSIX processes"),
]

ARCHERS = 8


def guesses(browser: Browser, login: str) -> list[tuple[str, str]]:
    """A sign-in form filled in with a wrong password."""
    page = browser.get("/login").body
    return [
        *hidden_fields(page, "/login"),
        ("login", login),
        ("password", "not the password"),
    ]


def test_sign_in_throttle_counts_across_both_instances(cluster: Cluster) -> None:
    """Failed sign-ins from one address are counted in redis, whichever
    instance answers: once the limit is reached, both refuse."""
    limit = int(SIGN_IN.split()[0])  # "10 per minute;..."
    guesser = Browser(cluster.port, "127.0.0.200", Tally())
    guess = guesses(guesser, "robin")
    tries = [guesser.once("POST", "/login", guess) for _ in range(limit)]
    assert [answer.status for answer in tries] == [400] * limit
    both = {cluster.address(instance) for instance in cluster.instances}
    # Each instance alone saw fewer failures than the limit.
    assert {answer.upstream for answer in tries} == both
    blocked = [guesser.once("POST", "/login", guess) for _ in range(2)]
    assert [answer.status for answer in blocked] == [429, 429]
    assert {answer.upstream for answer in blocked} == both


def test_sign_in_throttle_counts_each_client_behind_the_proxy(
    cluster: Cluster,
) -> None:
    """nginx passes each client's address on (X-Forwarded-For; the instances
    trust one proxy): one guesser blocked does not block everyone else. The
    production server must hand the header to the app, not drop it."""
    limit = int(SIGN_IN.split()[0])
    guesser = Browser(cluster.port, "127.0.0.200", Tally())
    guess = guesses(guesser, "robin")
    statuses = [guesser.once("POST", "/login", guess).status for _ in range(limit + 1)]
    assert statuses == [400] * limit + [429]
    someone_else = Browser(cluster.port, "127.0.0.201", Tally())
    answer = someone_else.once("POST", "/login", guesses(someone_else, "ann"))
    assert answer.status == 400, answer.body[:500]


def test_concurrent_archers_lose_no_end_when_an_instance_is_killed(
    cluster: Cluster,
) -> None:
    tally = Tally()
    run = secrets.token_hex(3)
    archers = [Archer(n, cluster.port, tally, run) for n in range(1, ARCHERS + 1)]
    ready = threading.Barrier(ARCHERS + 1)
    failures: list[tuple[str, BaseException]] = []

    def play(archer: Archer) -> None:
        try:
            archer.register()
            archer.start_match()
            ready.wait(timeout=180)
            archer.enter_ends()
        except BaseException as exc:  # reported below, with the archer's name
            failures.append((archer.username, exc))
            ready.abort()

    threads = [threading.Thread(target=play, args=(a,)) for a in archers]
    for thread in threads:
        thread.start()
    try:
        ready.wait(timeout=180)
    except threading.BrokenBarrierError:
        for thread in threads:
            thread.join(timeout=60)
        raise AssertionError(f"the archers could not start: {failures}") from None
    started = time.monotonic()

    # Mid-load, one instance dies at once: no shutdown, no goodbye.
    total = ARCHERS * ENDS
    while tally.acknowledged < total // 3 and any(t.is_alive() for t in threads):
        time.sleep(0.005)
    victim, survivor = cluster.instances
    before_kill = dict(tally.upstreams)
    acknowledged_at_kill = tally.acknowledged
    os.killpg(victim.process.pid, signal.SIGKILL)
    assert victim.process.wait(timeout=10) == -signal.SIGKILL

    for thread in threads:
        thread.join(timeout=600)
    seconds = time.monotonic() - started
    assert not any(t.is_alive() for t in threads), "an archer never finished"
    assert not failures, failures
    # Both instances carried the load before one died.
    assert {cluster.address(victim), cluster.address(survivor)} <= set(before_kill)

    # Every archer's match in PostgreSQL holds exactly their ends, in order:
    # each acknowledged end is there once, and nobody else's.
    engine = create_engine(cluster.database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT a.username, a.id AS archer, m.id, m.archer_id, m.state,"
                    " m.ends_shot, m.archer_total FROM matches m"
                    " LEFT JOIN archers a ON a.id = m.archer_id"
                )
            ).all()
    finally:
        engine.dispose()
    by_path = {f"/matches/{row.id}": row for row in rows}
    for archer in archers:
        row = by_path[archer.match_path]
        assert row.username == archer.username
        stored = row.state["archer_ends"]
        assert stored == archer.ends, archer.username
        for number in archer.acknowledged:
            assert stored[number - 1] == archer.ends[number - 1]
        assert row.ends_shot == ENDS
        assert row.archer_total == sum(
            0 if a == "M" else int(a) for end in archer.ends for a in end
        )
    played = {archer.match_path for archer in archers}
    # A match started twice (a lost answer, tapped again) holds no end.
    strays = [row for path, row in by_path.items() if path not in played]
    assert all(row.state["archer_ends"] == [] for row in strays), strays
    assert all(row.username is not None for row in rows)

    # The pages say the same, and one archer cannot open another's match.
    for archer, neighbour in zip(archers, archers[1:] + archers[:1], strict=True):
        page = archer.browser.get(archer.match_path).body
        assert sheet_ends(page) == archer.ends
        archer.browser.get(neighbour.match_path, expect=404)

    acknowledged = sum(len(archer.acknowledged) for archer in archers)
    assert acknowledged + tally.already_entered == total
    print(
        f"\ncluster: {ARCHERS} archers x {ENDS} ends through nginx in {seconds:.1f} s"
        f" ({total / seconds:.1f} ends/s, {tally.requests} requests);"
        f" killed {cluster.address(victim)} after {acknowledged_at_kill} ends;"
        f" answers by upstream before the kill {before_kill},"
        f" in all {dict(tally.upstreams)};"
        f" failed tries retried {dict(tally.troubles)};"
        f" ends acknowledged {acknowledged}, answered already entered on a retry"
        f" {tally.already_entered}; stray matches {len(strays)}"
    )
