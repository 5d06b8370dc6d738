"""The history's queries: listed from the summary columns, filtered, paged,
newest first, and only ever the archer's own."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask

from ghost_simulator.engine import Ghost, Match, get_round, match_round
from ghost_simulator.passwords import hash_password
from ghost_simulator.store import archers, get_session, matches
from ghost_simulator.store import history as stored
from ghost_simulator.store.models import Match as Row

START = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def ctx(app: Flask) -> Iterator[None]:
    with app.app_context():
        yield


def archer(name: str = "robin") -> int:
    return archers.create(name, hash_password("a long password")).id


def keep(
    archer_id: int | None,
    kind: str = "ranking",
    *,
    code: str = "wa18",
    half: bool = False,
    bow: str = "recurve",
    ghost: Ghost | None = None,
    ends: int | None = None,
    arrows: list[str] | None = None,
    day: int = 0,
    indoor: bool = False,
) -> str:
    """A match shot with the engine and stored; ``ends`` None shoots it all."""
    ghost = ghost or Ghost.from_handicap(40)
    if kind == "ranking":
        rnd = get_round(code, bow=bow, half=half)
    else:
        rnd = match_round(bow, indoor)
    match = Match(kind, rnd, ghost, seed=7)
    shot = 0
    while match.expected_arrows() and (ends is None or shot < ends):
        size = match.expected_arrows()
        match.add_end((arrows or ["10", "9", "9", "9", "8", "8"])[:size])
        shot += 1
    owner = matches.Owner(f"browser-{archer_id}", archer_id)
    match_id = matches.create(
        owner, match.to_dict(), match.verdict().status, match.summary()
    )
    row = get_session().get(Row, match_id)
    assert row is not None
    row.created_at = START + timedelta(days=day)
    get_session().commit()
    return match_id


@pytest.mark.usefixtures("ctx")
def test_lists_newest_first_with_the_summary() -> None:
    me = archer()
    old = keep(me, day=0)
    new = keep(me, "set", day=2)
    middle = keep(me, day=1, ends=3)
    rows, total = stored.list_matches(me)
    assert total == 3
    assert [r.id for r in rows] == [new, middle, old]
    first = rows[-1]
    assert first.round_code == "wa18"
    assert first.status in ("won", "lost", "tied")
    assert first.finished
    assert first.archer_total == 20 * 28
    assert first.arrows_shot == 60
    assert first.ghost_kind == "handicap"
    assert first.ghost_handicap == 40
    assert first.created_at == START
    assert first.created_at.tzinfo is not None
    unfinished = rows[1]
    assert unfinished.status == "in_progress"
    assert not unfinished.finished
    assert unfinished.ends_shot == 3


@pytest.mark.usefixtures("ctx")
def test_never_another_archers() -> None:
    me, other = archer("robin"), archer("marian")
    mine = keep(me)
    keep(other)
    keep(None)  # a visitor's
    rows, total = stored.list_matches(me)
    assert (total, [r.id for r in rows]) == (1, [mine])
    assert stored.list_matches(other)[1] == 1
    assert len(stored.round_sessions(me, "wa18")) == 1
    assert stored.rounds_shot(me) == [("wa18", False, 1)]


@pytest.mark.usefixtures("ctx")
def test_pages() -> None:
    me = archer()
    ids = [keep(me, "set", ends=1, day=day) for day in range(7)]
    newest_first = list(reversed(ids))
    page, total = stored.list_matches(me, limit=3)
    assert total == 7
    assert [r.id for r in page] == newest_first[:3]
    page, _ = stored.list_matches(me, limit=3, offset=3)
    assert [r.id for r in page] == newest_first[3:6]
    page, _ = stored.list_matches(me, limit=3, offset=6)
    assert [r.id for r in page] == newest_first[6:]
    assert stored.list_matches(me, limit=3, offset=9) == ([], 7)


@pytest.mark.usefixtures("ctx")
def test_filters() -> None:
    me = archer()
    wa18 = keep(me, code="wa18", day=0)
    half = keep(me, code="wa18", half=True, day=1)
    compound = keep(me, "cumulative", bow="compound", day=2)
    to_beat = Ghost("score", 30.0, source={"round": "wa720_70", "score": 600})
    score = keep(me, code="wa720_70", ghost=to_beat, day=3)
    unfinished = keep(me, code="wa18", ends=2, day=4)

    def ids(**filters: Any) -> set[str]:
        rows, total = stored.list_matches(me, **filters)
        assert total == len(rows)
        return {r.id for r in rows}

    assert ids(round_code="wa18") == {wa18, half, unfinished}
    assert ids(round_code="wa18", half=True) == {half}
    assert ids(round_code="wa18", half=False) == {wa18, unfinished}
    assert ids(bow="compound") == {compound}
    assert ids(round_code="match_compound_outdoor") == {compound}
    assert ids(ghost_kind="score") == {score}
    assert ids(since=START + timedelta(days=1), until=START + timedelta(days=3)) == {
        half,
        compound,
    }
    assert ids(status="in_progress") == {unfinished}
    assert ids(status=("won", "lost", "tied")) == {wa18, half, compound, score}
    assert ids(bow="longbow") == set()


@pytest.mark.usefixtures("ctx")
def test_round_sessions_are_finished_ranking_rounds_oldest_first() -> None:
    me = archer()
    second = keep(me, day=5, arrows=["9", "9", "9"])
    first = keep(me, day=1, arrows=["10", "10", "9"])
    keep(me, day=2, ends=4)  # unfinished
    keep(me, half=True, day=3)  # the half is another round
    keep(me, "set", day=4)
    sessions = stored.round_sessions(me, "wa18")
    assert [s.id for s in sessions] == [first, second]
    assert [s.archer_total for s in sessions] == [580, 540]
    assert [s.arrows for s in sessions] == [60, 60]
    assert sessions[0].date == START + timedelta(days=1)
    assert sessions[0].archer_handicap is not None
    assert sessions[1].archer_handicap > sessions[0].archer_handicap  # type: ignore[operator]
    assert sessions[0].scheme == "AGB"
    assert [s.id for s in stored.round_sessions(me, "wa18", half=True)] != []


@pytest.mark.usefixtures("ctx")
def test_round_entries_read_the_arrows() -> None:
    me = archer()
    keep(me, code="wa18", half=True, arrows=["X", "10", "9"])
    keep(me, code="wa18", half=True, ends=3)  # unfinished: not counted
    entries = list(stored.round_entries(me, "wa18", half=True))
    assert entries == [[["X", "10", "9"]] * 10]
    assert list(stored.round_entries(me, "wa18", half=True, limit=0)) == []


@pytest.mark.usefixtures("ctx")
def test_rounds_shot() -> None:
    me = archer()
    for _ in range(3):
        keep(me, "set", ends=1)
    keep(me, code="wa18")
    keep(me, code="wa18", half=True)
    keep(me, code="wa18", half=True)
    assert stored.rounds_shot(me) == [
        ("match_recurve_outdoor", False, 3),
        ("wa18", True, 2),
        ("wa18", False, 1),
    ]


@pytest.mark.usefixtures("ctx")
def test_ghost_results_on_one_scheme() -> None:
    me = archer()
    keep(me, "set", ghost=Ghost.from_handicap(35))
    keep(me, "set", ghost=Ghost.from_handicap(52))
    keep(me, "set", ghost=Ghost.from_handicap(35), ends=1)  # unfinished
    keep(me, "set", ghost=Ghost.from_handicap(120, "AA"))  # another scale
    minmax = Ghost.from_min_max(20, 25, rnd=match_round("recurve", False))
    keep(me, "set", ghost=minmax)  # no handicap
    results = stored.ghost_results(me, "AGB")
    assert sorted(level for level, _status in results) == [35, 52]
    assert {status for _level, status in results} <= {"won", "lost", "tied"}
    assert [level for level, _ in stored.ghost_results(me, "AA")] == [120]
    assert stored.ghost_results(me, "AGB", ghost_kind="score") == []
