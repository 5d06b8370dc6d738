"""An archer with a match of every kind, built with the engine and kept with the
store, for the export and import tests (store, web and CLI)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from ghost_simulator.engine import Ghost, Match, custom_round, get_round
from ghost_simulator.passwords import hash_password
from ghost_simulator.store import archers, get_session
from ghost_simulator.store import matches as stored
from ghost_simulator.store.models import Archer, Ladder, LadderMatch
from ghost_simulator.store.models import Match as Row

SCRIPT = "<script>alert('ghost')</script>"
PROFILE = {
    "name": f"Robin {SCRIPT}",
    "bowstyle": "barebow",
    "sex": "female",
    "age_class": "under 21",
    "season": "indoor",
    "default_round": "wa18",
    "scheme": "AGBold",
    "locale": "es",
}


def _ghost_total(match: Match) -> int:
    return match.ghost_round.ends[match.ends_shot].total


def _end_against(match: Match, outcome: str) -> None:
    """Enter the next set as a total that wins, loses or ties it."""
    ghost, top = _ghost_total(match), 30
    total = {
        "win": min(top, ghost + 1),
        "lose": max(0, ghost - 1),
        "tie": ghost,
    }[outcome]
    match.add_end(total=total)


def _level(match: Match) -> None:
    """Set points 5-5 after five sets: win, lose, win, lose, tie."""
    for outcome in ("win", "lose", "win", "lose", "tie"):
        _end_against(match, outcome)
    assert match.verdict().status == "shoot_off", match.verdict()


def _shoot_off(match: Match, result: str) -> None:
    """One equally close shoot-off (shoot again), then one the archer wins or
    loses by the arrow's value or by who was closer."""
    ghost = match._ghost_shoot_off_arrow(0)
    match.add_shoot_off(ghost.label, "equal")
    second = match._ghost_shoot_off_arrow(1)
    match.add_shoot_off(second.label, "archer" if result == "won" else "ghost")
    assert match.verdict().status == result


def sample_matches() -> list[tuple[Match, str]]:
    """(match, label): every kind, ghost and state the store keeps."""
    wa18 = get_round("wa18")
    made: list[tuple[Match, str]] = []

    ranking = Match("ranking", wa18, Ghost.from_handicap(45), 101)
    for _ in range(20):
        ranking.add_end(["X", "10", "9"])
    made.append((ranking, "ranking finished, arrows"))

    half = Match(
        "ranking",
        get_round("wa720_70", bow="recurve", half=True),
        Ghost.from_score(get_round("wa720_70", half=True), 300.0),
        102,
    )
    half.add_end(["9", "8", "8", "7", "M", "6"])
    half.add_end(total=41)
    made.append((half, "half round in progress, arrows and a total"))

    set_match = Match.elimination("recurve", Ghost.from_handicap(30), 103)
    _level(set_match)
    _shoot_off(set_match, "won")
    made.append((set_match, "set match won in a shoot-off"))

    level = Match.elimination("barebow", Ghost.from_handicap(40), 104, indoor=True)
    _level(level)
    made.append((level, "set match level, shoot-off due"))

    cumulative = Match.elimination("compound", Ghost.from_handicap(20), 105)
    for _ in range(5):
        cumulative.add_end(total=_ghost_total(cumulative))
    _shoot_off(cumulative, "lost")
    made.append((cumulative, "cumulative match lost in a shoot-off"))

    open_cumulative = Match.elimination(
        "compound", Ghost.from_handicap(25, model=1), 106, indoor=True
    )
    open_cumulative.add_end(["X", "9", "9"])
    made.append((open_cumulative, "cumulative in progress, model 1 ghost"))

    minmax = Match("ranking", wa18, Ghost.from_min_max(20, 28, rnd=wa18), 107)
    for _ in range(20):
        minmax.add_end(["10", "9", "9"])
    made.append((minmax, "min/max ghost"))

    perfect = Match("ranking", wa18.half(), Ghost.perfect(), 108)
    for _ in range(10):
        perfect.add_end(["X", "X", "X"])
    assert perfect.verdict().status == "tied"
    made.append((perfect, "perfect ghost, tied"))

    preset = Match.elimination(
        "recurve",
        get_preset_ghost("outdoor-recurve-U18-women"),
        109,
        system="cumulative",
    )
    preset.add_end(["9", "9", "9"])
    made.append((preset, "preset ghost, recurve shooting cumulative"))

    replay = Match("ranking", wa18, Ghost.from_past(ranking, match="old"), 110)
    replay.add_end(["8", "8", "8"])
    made.append((replay, "replay of a past round"))

    steady = Match(
        "ranking",
        get_round("wa18", bow="compound"),
        Ghost.from_handicap(15, "AA", steady=True, bow="compound"),
        2**63 - 1,
    )
    made.append((steady, "steady compound ghost, no ends yet, largest seed"))

    custom = Match(
        "ranking",
        custom_round(
            "Club 30", [(12, 30.0, "10_zone", 80.0)], end_size=6, indoor=False
        ),
        Ghost.from_handicap(50.5),
        0,
    )
    custom.add_end(["7", "7", "7", "6", "6", "5"])
    custom.add_end(["7", "7", "7", "6", "6", "5"])
    made.append((custom, "custom round"))

    return made


def get_preset_ghost(name: str) -> Ghost:
    from ghost_simulator.engine import get_preset

    return get_preset(name).ghost()


def make_archer(username: str = "robin", **profile: Any) -> Archer:
    """An archer (in the current app context)."""
    archer = archers.create(username, hash_password("a long password"))
    if profile:
        archers.update_profile(archer, profile)
    return archer


def add_sample_matches(archer_id: int, owner_key: str = "browser-key") -> list[str]:
    """Every sample match for the archer, each with its own past times; the ids."""
    ids = []
    start = datetime(2025, 3, 1, 9, 15, 30, 123456, tzinfo=UTC)
    session = get_session()
    for number, (match, _label) in enumerate(sample_matches()):
        match_id = stored.create(
            stored.Owner(owner_key, archer_id),
            match.to_dict(),
            match.verdict().status,
            match.summary(),
        )
        row = session.get(Row, match_id)
        assert row is not None
        row.created_at = start + timedelta(days=number, minutes=number)
        row.updated_at = row.created_at + timedelta(minutes=40, microseconds=7)
        if match.verdict().finished:
            row.finished_at = row.updated_at
        session.commit()
        ids.append(match_id)
    return ids


def make_archer_with_matches(username: str = "robin") -> tuple[int, list[str]]:
    archer = make_archer(username, **PROFILE)
    return archer.id, add_sample_matches(archer.id)


def table_snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the archers', matches' and ladders' tables: to show that a
    refused import changed nothing."""
    session = get_session()
    session.expire_all()
    return {
        table.name: sorted(
            (tuple(str(v) for v in row) for row in session.execute(table.select())),
        )
        for table in (
            Archer.__table__,
            Row.__table__,
            Ladder.__table__,
            LadderMatch.__table__,
        )
    }
