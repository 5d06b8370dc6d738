"""A ghost night on the real production setup: two ``ghost-sim serve
--production`` instances on one PostgreSQL behind nginx (the ``cluster`` of
test_nginx_cluster). Archers, each with their own browser and address, join
one night and enter every end of it through nginx; a watcher follows the
night's live stream on the second instance directly; the first instance is
killed mid-night.

Every acknowledged end is on the night once (each archer's match holds their
ends; the night's version counts every end stored), no archer ever sees a
500 (a 502/504 while the killed instance drops is sent again, as a person
taps again), and the watcher on the other instance hears each end: the
latency from an end's acknowledgement (stored) to the watcher's event, p50
and p95, with p95 under 2 seconds; the latency from the end being sent is
printed too (it adds the end's own wait for a busy server).
``GHOST_SIM_NIGHT_ARCHERS`` sets how many archers (8 here;
``benchmarks/night_load.py`` runs 200 and prints the figures)."""

from __future__ import annotations

import json
import os
import random
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import create_engine, text

from .archers import ENDS, Archer, Tally, hidden_fields
from .conftest import Cluster

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(sys.platform == "win32", reason="POSIX processes"),
]

ARCHERS = int(os.environ.get("GHOST_SIM_NIGHT_ARCHERS", "8"))
#: Seconds between an archer's ends (0: each end as soon as the last is
#: answered, the most the servers can take). At a range an end takes about
#: two minutes; ``benchmarks/night_load.py --pace`` sets it.
PACE = float(os.environ.get("GHOST_SIM_NIGHT_PACE", "0"))
#: A file to write the night's times to (acknowledgements, events, streams).
DUMP = os.environ.get("GHOST_SIM_NIGHT_DUMP")
#: What the issue asks of the live leaderboard.
P95_LIMIT = 2.0


class NightArcher(Archer):
    """An archer whose match is the night's (joined from its page), noting
    when each end they entered was sent (its last try) and acknowledged."""

    def __init__(self, number: int, port: int, tally: Tally, run: str) -> None:
        super().__init__(number, port, tally, run)
        self.sent_at: list[float] = []
        self.acked_at: list[float] = []
        self._sending = 0.0
        once = self.browser.once

        def timed_once(method: str, path: str, fields=None):  # type: ignore[no-untyped-def]
            if method == "POST" and path.endswith("/ends"):
                self._sending = time.monotonic()
            return once(method, path, fields)

        self.browser.once = timed_once  # type: ignore[method-assign]

    def join(self, night_path: str) -> None:
        page = self.browser.get(night_path).body
        fields = hidden_fields(page, "/join")
        answer, _ = self.browser.send("POST", night_path + "/join", fields)
        assert answer.status == 303, (answer.status, answer.body[:500])
        self.match_path = urlsplit(answer.location).path

    def enter_ends(self) -> None:
        """Every end; with a pace, each one that long after the last began
        (the first after a random share of it: archers do not start in step)."""
        if not PACE:
            super().enter_ends()
            return
        rng = random.Random(self.username)
        next_at = time.monotonic() + rng.uniform(0, PACE)
        for number in range(1, ENDS + 1):
            time.sleep(max(0.0, next_at - time.monotonic()))
            self.enter(number)
            next_at += PACE * rng.uniform(0.8, 1.2)

    def enter(self, number: int) -> None:
        before = len(self.acknowledged)
        super().enter(number)
        if len(self.acknowledged) > before:
            self.sent_at.append(self._sending)
            self.acked_at.append(time.monotonic())


class Watcher:
    """A member's browser on the night page, its live stream opened on one
    instance directly, in a process of its own (``watch_stream``): every
    event's arrival time (CLOCK_MONOTONIC, as this process's) and version."""

    def __init__(self, address: str, host: str, path: str, cookies: dict[str, str]):
        cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
        # Its lines go to a file, not a pipe: nothing reads them until the
        # night is over, and a pipe's 64 kB (about 3,600 events) would fill
        # and stop the watcher mid-night.
        self.output = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 (closed by finish)
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.cluster.watch_stream",
                address,
                host,
                path,
                cookie,
            ],
            cwd=Path(__file__).resolve().parents[2],
            stdin=subprocess.PIPE,
            stdout=self.output,
            text=True,
        )
        self.events: list[tuple[float, int]] = []
        self.statuses: list[int] = []
        #: What happened to each stream, in order (for a failure's message).
        self.log: list[str] = []

    def finish(self) -> None:
        self.process.communicate(input="", timeout=60)
        self.output.seek(0)
        for line in self.output.read().splitlines():
            first, second, *_ = line.split()
            if first == "status":
                self.statuses.append(int(second))
                self.log.append(line)
            elif first in ("ended", "failed"):
                self.log.append(line)
            else:
                self.events.append((float(first), int(second)))
        self.output.close()


def member(database_url: str, club_id: str, username: str) -> None:
    engine = create_engine(database_url)
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO club_members (club_id, archer_id, role)"
                    " SELECT :club, id, 'member' FROM archers WHERE username = :name"
                ),
                {"club": club_id, "name": username},
            )
    finally:
        engine.dispose()


def set_up_night(cluster: Cluster, run: str, tally: Tally) -> tuple[str, str, Archer]:
    """An owner registers, starts a club and sets up a night open now (a
    WA 18 m round, 20 ends of 3): the club's id, the night's path, the owner."""
    owner = Archer(0, cluster.port, tally, run)
    owner.register()
    page = owner.browser.get("/clubs").body
    fields = [*hidden_fields(page, "/clubs"), ("name", f"Night club {run}")]
    answer, _ = owner.browser.send("POST", "/clubs", fields)
    assert answer.status == 303, (answer.status, answer.body[:500])
    club_path = urlsplit(answer.location).path
    club_id = club_path.rsplit("/", 1)[1]
    page = owner.browser.get(club_path + "/nights").body
    now = datetime.now(UTC)
    fields = [
        *hidden_fields(page, "/nights"),
        ("title", "Friday ghost"),
        ("kind", "ranking"),
        ("indoor", "1"),
        ("bow", "recurve"),
        ("round", "wa18"),
        ("ghost", "handicap"),
        ("handicap", "40"),
        ("ranking", "score"),
        ("timezone", "UTC"),
        ("opens", (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")),
        ("closes", (now + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")),
    ]
    answer, _ = owner.browser.send("POST", club_path + "/nights", fields)
    assert answer.status == 303, (answer.status, answer.body[:800])
    return club_id, urlsplit(answer.location).path, owner


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def test_a_ghost_night_on_two_instances_one_killed(cluster: Cluster) -> None:
    tally = Tally()
    run = secrets.token_hex(3)
    club_id, night_path, owner = set_up_night(cluster, run, tally)
    archers = [NightArcher(n, cluster.port, tally, run) for n in range(1, ARCHERS + 1)]
    for archer in archers:  # joining the club: an invitation's effect, in the table
        archer.register()
        member(cluster.database_url, club_id, archer.username)
    victim, survivor = cluster.instances
    watcher = Watcher(
        cluster.address(survivor),
        f"127.0.0.1:{cluster.port}",
        night_path + "/live",
        owner.browser.cookies,
    )
    failures: list[tuple[str, BaseException]] = []
    ready = threading.Barrier(ARCHERS + 1)

    def play(archer: NightArcher) -> None:
        try:
            archer.join(night_path)
            ready.wait(timeout=300)
            archer.enter_ends()
        except BaseException as exc:  # reported below, with the archer's name
            failures.append((archer.username, exc))
            ready.abort()

    threads = [threading.Thread(target=play, args=(a,)) for a in archers]
    for thread in threads:
        thread.start()
    ready.wait(timeout=300)
    started = time.monotonic()
    total = ARCHERS * ENDS
    while tally.acknowledged < total // 3 and any(t.is_alive() for t in threads):
        time.sleep(0.005)
    killed_at = time.monotonic()
    os.killpg(victim.process.pid, signal.SIGKILL)
    assert victim.process.wait(timeout=10) == -signal.SIGKILL
    for thread in threads:
        thread.join(timeout=900)
    seconds = time.monotonic() - started
    assert not any(t.is_alive() for t in threads), "an archer never finished"
    assert not failures, failures
    time.sleep(1.0)  # the last ends' events on their way
    watcher.finish()

    # Every acknowledged end is on the night once: each archer's match holds
    # exactly their ends, and the night's version counts every end stored.
    engine = create_engine(cluster.database_url)
    try:
        with engine.connect() as connection:
            version = connection.scalar(
                text("SELECT version FROM ghost_nights WHERE id = :night"),
                {"night": night_path.rsplit("/", 1)[1]},
            )
            stored = {
                row.id: row
                for row in connection.execute(
                    text(
                        "SELECT m.id, m.state, m.ends_shot FROM matches m"
                        " JOIN night_entries e ON e.match_id = m.id"
                    )
                ).all()
            }
    finally:
        engine.dispose()
    for archer in archers:
        row = stored[archer.match_path.rsplit("/", 1)[1]]
        assert row.state["archer_ends"] == archer.ends, archer.username
        assert row.ends_shot == ENDS
    assert version == total
    # No archer ever saw the app fail: only the proxy's answers for the
    # killed instance, sent again.
    assert not {t for t in tally.troubles if t == "HTTP 500"}, tally.troubles
    leaderboard = owner.browser.get(night_path + "/leaderboard").body
    assert leaderboard.count('data-testid="leaderboard-row"') == ARCHERS

    # The watcher on the other instance heard every end. Each end, taken in
    # the order they were acknowledged (the order they were stored, to within
    # a request), is heard with the first event at or past its place in the
    # night. Two latencies: from the end's acknowledgement (the server has
    # stored it: what the live leaderboard itself adds; negative when the
    # watcher heard it before the archer's phone had its answer), and from
    # the moment it was sent (its last try), which adds the end's own wait
    # for the server.
    assert watcher.events, watcher.statuses
    last_ack = max(max(a.acked_at) for a in archers)
    assert watcher.events[-1][1] == total, "\n".join(
        [
            f"last heard: {watcher.events[-1]}",
            f"the night started at {started:.6f}",
            f"its last end was acknowledged at {last_ack:.6f}",
            *watcher.log,
        ]
    )
    ends = sorted(
        (acked, sent)
        for archer in archers
        for sent, acked in zip(archer.sent_at, archer.acked_at, strict=True)
    )
    after_ack, after_send = [], []
    for place, (acked, sent) in enumerate(ends, start=1):
        heard = next((t for t, v in watcher.events if v >= place), None)
        assert heard is not None, place
        after_ack.append(heard - acked)
        after_send.append(heard - sent)

    if DUMP:  # the night's times, for a closer look than the figures
        Path(DUMP).write_text(
            json.dumps(
                {
                    "started": started,
                    "killed": killed_at,
                    "ends": ends,
                    "events": watcher.events,
                    "streams": watcher.log,
                }
            )
        )

    def figures(values: list[float]) -> str:
        return (
            f"p50 {statistics.median(values) * 1000:.0f} ms,"
            f" p95 {percentile(values, 0.95) * 1000:.0f} ms,"
            f" max {max(values) * 1000:.0f} ms"
        )

    print(
        f"\nnight: {ARCHERS} archers x {ENDS} ends through nginx in {seconds:.1f} s"
        + (f" (an end every {PACE:g} s each)" if PACE else " (each end at once)")
        + f" ({total / seconds:.1f} ends/s, {tally.requests} requests); instance"
        f" {cluster.address(victim)} killed after a third; the watcher on"
        f" {cluster.address(survivor)} heard {len(watcher.events)} events"
        f" ({len(watcher.statuses)} streams);"
        f" end acknowledged -> heard there: {figures(after_ack)};"
        f" end sent -> heard there: {figures(after_send)};"
        f" retried {dict(tally.troubles)}"
    )
    assert percentile(after_ack, 0.95) < P95_LIMIT, figures(after_ack)
