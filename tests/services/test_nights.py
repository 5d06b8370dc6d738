"""services.nights: setting a ghost night up (windows, permissions, the cap,
bad inputs each with its sentence and nothing stored), joining inside the
window, and the leaderboard (rankings with figures, the privacy rule on the
ghost's totals)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from werkzeug.security import generate_password_hash

from ghost_simulator.engine import Match
from ghost_simulator.services import nights, play
from ghost_simulator.services.viewers import Viewer
from ghost_simulator.store import archers, clubs, write
from ghost_simulator.store import nights as stored
from ghost_simulator.store.models import Archer, ClubMember, GhostNight

NOW = datetime(2030, 6, 1, 18, 0, tzinfo=UTC)


@pytest.fixture
def context(app: Flask) -> Iterator[None]:
    with app.test_request_context():
        yield


def make_archer(username: str, name: str | None = None) -> Archer:
    archer = archers.create(
        username, generate_password_hash("pw", method="scrypt:1024:8:1")
    )
    if name is not None:

        def named(session: Any) -> None:
            session.get(Archer, archer.id).name = name

        write(named)
    return archer


def add_member(club_id: str, archer: Archer, role: str = "member") -> None:
    def insert(session: Any) -> None:
        session.add(
            ClubMember(club_id=club_id, archer_id=archer.id, role=role, shown_as="name")
        )

    write(insert)


def form(**changes: str) -> dict[str, str]:
    base = {
        "title": "Friday ghost",
        "kind": "ranking",
        "bow": "recurve",
        "indoor": "1",
        "round": "wa18",
        "ghost": "handicap",
        "handicap": "40",
        "ranking": "score",
        "timezone": "Europe/Madrid",
        "opens": "2030-06-01T19:00",
        "closes": "2030-06-01T23:00",
    }
    base.update(changes)
    return base


@pytest.fixture
def club(context: None) -> dict[str, Any]:
    owner = make_archer("owner", "Olga Owner")
    member = make_archer("member", "Mia Member")
    club_id = clubs.create(owner.id, "Arrows", None, None)
    add_member(club_id, member)

    def by_name(session: Any) -> None:
        for row in session.query(ClubMember).filter_by(club_id=club_id):
            row.shown_as = "name"

    write(by_name)
    return {"id": club_id, "owner": owner, "member": member}


def count_nights() -> int:
    from ghost_simulator.store import get_session

    return len(get_session().query(GhostNight).all())


def test_an_admin_sets_a_night_up_in_its_timezone(club: dict[str, Any]) -> None:
    night_id = nights.create(club["id"], club["owner"].id, form(), now=NOW)
    night = stored.load(club["id"], night_id)
    assert night is not None
    # 19:00 in Madrid in June is 17:00 UTC.
    assert night.opens_at == datetime(2030, 6, 1, 17, 0, tzinfo=UTC)
    assert night.closes_at == datetime(2030, 6, 1, 21, 0, tzinfo=UTC)
    assert night.timezone == "Europe/Madrid"
    match = Match.from_dict(night.match)
    assert (match.kind, match.ghost.handicap) == ("ranking", 40.0)
    assert nights.local_time(night.opens_at, night.timezone) == "2030-06-01 19:00"


def test_a_preset_ghost(club: dict[str, Any]) -> None:
    from ghost_simulator.engine import all_presets

    preset = next(iter(all_presets()))
    night_id = nights.create(
        club["id"], club["owner"].id, form(ghost="preset", preset=preset), now=NOW
    )
    night = stored.load(club["id"], night_id)
    assert night is not None
    assert Match.from_dict(night.match).ghost.kind == "preset"


@pytest.mark.parametrize(
    ("changes", "field", "sentence"),
    [
        ({"title": ""}, "title", "Give the ghost night a title."),
        ({"title": "x" * 101}, "title", "at most 100 characters"),
        ({"timezone": "Mars/Olympus"}, "timezone", "Choose a timezone"),
        ({"opens": "tomorrow"}, "opens", "Give the date and time the night opens."),
        (
            {"closes": "2030-06-01T18:00"},
            "closes",
            "A ghost night closes after it opens.",
        ),
        (
            {"opens": "2030-05-01T10:00", "closes": "2030-05-01T12:00"},
            "closes",
            "A ghost night that has already closed cannot be set up.",
        ),
        ({"closes": "2030-06-20T23:00"}, "closes", "at most 14 days"),
        ({"ranking": "luck"}, "ranking", "Rank by score"),
        ({"ghost": "mine"}, "ghost", "every member meets"),
        ({"bow": "slingshot"}, "bow", "Choose a bow"),
    ],
)
def test_bad_inputs_each_say_why_and_store_nothing(
    club: dict[str, Any], changes: dict[str, str], field: str, sentence: str
) -> None:
    with pytest.raises(nights.NightInvalid) as raised:
        nights.create(club["id"], club["owner"].id, form(**changes), now=NOW)
    assert sentence in raised.value.errors[field]
    assert count_nights() == 0


def test_a_member_may_not_set_one_up_and_a_stranger_sees_no_club(
    club: dict[str, Any],
) -> None:
    with pytest.raises(nights.NotAllowed):
        nights.create(club["id"], club["member"].id, form(), now=NOW)
    stranger = make_archer("stranger")
    with pytest.raises(LookupError):
        nights.create(club["id"], stranger.id, form(), now=NOW)
    with pytest.raises(LookupError):
        nights.nights_of(club["id"], stranger.id)
    assert count_nights() == 0


def test_a_club_keeps_at_most_1000_nights(
    club: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stored, "MOST_NIGHTS", 2)
    for _ in range(2):
        nights.create(club["id"], club["owner"].id, form(), now=NOW)
    with pytest.raises(nights.NightInvalid) as raised:
        nights.create(club["id"], club["owner"].id, form(), now=NOW)
    assert raised.value.errors["club"] == (
        "A club keeps at most 1,000 ghost nights: delete old ones first."
    )
    assert count_nights() == 2


def open_night(club: dict[str, Any], **changes: str) -> str:
    """A night open now (set up with the clock as it is)."""
    now = datetime.now(UTC)
    values = {
        "timezone": "UTC",
        "opens": (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "closes": (now + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        **changes,
    }
    return nights.create(club["id"], club["owner"].id, form(**values))


def viewer_of(archer: Archer) -> Viewer:
    return Viewer(f"key-{archer.id}", archer)


def test_joining_twice_is_the_same_match_with_the_nights_arrows(
    club: dict[str, Any],
) -> None:
    night_id = open_night(club)
    member = viewer_of(club["member"])
    match_id, made = nights.join(member, club["id"], night_id)
    again, made_again = nights.join(member, club["id"], night_id)
    assert (made, made_again, again) == (True, False, match_id)
    night = stored.load(club["id"], night_id)
    assert night is not None
    found = play.load(member, match_id)
    assert found is not None
    assert found.state["seed"] == night.match["seed"]


def test_joining_outside_the_window(club: dict[str, Any]) -> None:
    night_id = nights.create(club["id"], club["owner"].id, form(), now=NOW)
    member = viewer_of(club["member"])
    with pytest.raises(nights.Outside, match="opens at 2030-06-01 19:00"):
        nights.join(member, club["id"], night_id, now=NOW - timedelta(hours=2))
    with pytest.raises(nights.Outside, match="closed"):
        nights.join(member, club["id"], night_id, now=NOW + timedelta(days=1))


def shoot(viewer: Viewer, match_id: str, ends: list[list[str]]) -> None:
    for arrows in ends:
        outcome = play.enter(viewer, match_id, play.Entry("end", arrows=arrows))
        assert outcome.result == "saved", outcome


def test_an_end_outside_the_window_is_refused(club: dict[str, Any]) -> None:
    night_id = open_night(club)
    member = viewer_of(club["member"])
    match_id, _made = nights.join(member, club["id"], night_id)

    def close(session: Any) -> None:
        session.get(GhostNight, night_id).closes_at = datetime.now(UTC) - timedelta(
            minutes=1
        )

    write(close)
    outcome = play.enter(member, match_id, play.Entry("end", arrows=["10"] * 3))
    assert outcome.result == "refused"
    assert outcome.refusal is not None
    assert play.message(outcome.refusal) == "This ghost night is closed."
    # Shot in time by the phone's record: it counts, and says so.
    in_time = datetime.now(UTC) - timedelta(minutes=5)
    outcome = play.enter(
        member, match_id, play.Entry("end", arrows=["10"] * 3, shot_at=in_time)
    )
    assert outcome.result == "saved"
    view = nights.view(club["id"], night_id, club["member"].id)
    assert view.rows[0].late is True


def test_the_ghost_is_shown_only_as_far_as_the_viewer_has_shot(
    club: dict[str, Any],
) -> None:
    night_id = open_night(club)
    owner, member = viewer_of(club["owner"]), viewer_of(club["member"])
    mine, _ = nights.join(owner, club["id"], night_id)
    theirs, _ = nights.join(member, club["id"], night_id)
    shoot(member, theirs, [["9", "9", "9"]] * 3)
    view = nights.view(club["id"], night_id, club["owner"].id)
    row = next(r for r in view.rows if r.archer_id == club["member"].id)
    assert (row.ends_shot, row.total) == (3, 81)
    assert (row.compared, row.ghost_total, row.margin) == (0, None, None)
    shoot(owner, mine, [["10", "10", "10"]])
    view = nights.view(club["id"], night_id, club["owner"].id)
    row = next(r for r in view.rows if r.archer_id == club["member"].id)
    night = stored.load(club["id"], night_id)
    assert night is not None
    ghost_first = Match.from_dict(night.match).ghost_round.ends[0].total
    assert row.compared == 1
    assert row.ghost_total == ghost_first
    assert row.margin == 27 - ghost_first
    # Once closed, everything is shown.
    later = datetime.now(UTC) + timedelta(days=1)
    view = nights.view(club["id"], night_id, club["owner"].id, now=later)
    row = next(r for r in view.rows if r.archer_id == club["member"].id)
    assert row.compared == 3


def test_ranked_by_score_then_tens_and_xs(club: dict[str, Any]) -> None:
    night_id = open_night(club)
    owner, member = viewer_of(club["owner"]), viewer_of(club["member"])
    mine, _ = nights.join(owner, club["id"], night_id)
    theirs, _ = nights.join(member, club["id"], night_id)
    shoot(owner, mine, [["10", "8", "9"]])  # 27, one 10
    shoot(member, theirs, [["X", "9", "8"]])  # 27, one 10 and one X
    view = nights.view(club["id"], night_id, club["owner"].id)
    assert [r.name for r in view.rows] == ["Mia Member", "Olga Owner"]
    assert [r.rank for r in view.rows] == [1, 2]


def test_the_percentile_of_a_total() -> None:
    pmf = [0.25, 0.5, 0.25]
    assert nights.percentile(pmf, 0) == pytest.approx(0.125)
    assert nights.percentile(pmf, 1) == pytest.approx(0.5)
    assert nights.percentile(pmf, 2) == pytest.approx(0.875)
    assert nights.percentile(pmf, 5) == pytest.approx(1.0)


def test_adjusted_a_beginner_who_beats_the_ghost_by_a_lot_tops_a_strong_archer(
    club: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A night against a handicap-40 ghost on the WA 18: the strong archer
    (level 10) shoots 9s, a little over the ghost; the beginner (level 70)
    shoots 7s, far over what their level expects. By score the strong archer
    leads; adjusted, the beginner does."""
    night_id = open_night(club, ranking="adjusted")
    owner, member = viewer_of(club["owner"]), viewer_of(club["member"])
    strong, _ = nights.join(owner, club["id"], night_id)
    beginner, _ = nights.join(member, club["id"], night_id)
    levels = {club["owner"].id: 10.0, club["member"].id: 70.0}
    monkeypatch.setattr(
        nights, "member_level", lambda archer_id, *_args: levels[archer_id]
    )
    shoot(owner, strong, [["9", "9", "9"]] * 4)
    shoot(member, beginner, [["7", "7", "7"]] * 4)
    view = nights.view(club["id"], night_id, club["owner"].id)
    by_name = {r.name: r for r in view.rows}
    assert by_name["Olga Owner"].total == 108
    assert by_name["Mia Member"].total == 84
    assert by_name["Mia Member"].percentile > by_name["Olga Owner"].percentile
    assert [r.name for r in view.rows] == ["Mia Member", "Olga Owner"]
    # The figures: level 70 on 12 arrows of the WA 18 expects far below 84,
    # level 10 expects about 108.
    assert by_name["Mia Member"].percentile > 0.95
    assert by_name["Olga Owner"].percentile < 0.8


def test_ranked_by_margin(club: dict[str, Any]) -> None:
    night_id = open_night(club, ranking="margin")
    owner, member = viewer_of(club["owner"]), viewer_of(club["member"])
    mine, _ = nights.join(owner, club["id"], night_id)
    theirs, _ = nights.join(member, club["id"], night_id)
    shoot(owner, mine, [["8", "8", "8"]] * 2)
    shoot(member, theirs, [["10", "10", "10"]] * 2)
    view = nights.view(club["id"], night_id, club["owner"].id)
    assert [r.name for r in view.rows] == ["Mia Member", "Olga Owner"]
    assert view.rows[0].margin - view.rows[1].margin == 12


def test_a_member_level_comes_from_their_history(club: dict[str, Any]) -> None:
    night_id = open_night(club)
    night = stored.load(club["id"], night_id)
    assert night is not None
    level = nights.member_level(club["member"].id, Match.from_dict(night.match), None)
    assert level is None  # no finished round yet: the ghost's level is used


def test_deleting_a_night_keeps_the_matches(club: dict[str, Any]) -> None:
    night_id = open_night(club)
    member = viewer_of(club["member"])
    match_id, _ = nights.join(member, club["id"], night_id)
    with pytest.raises(nights.NotAllowed):
        nights.delete(club["id"], night_id, club["member"].id)
    nights.delete(club["id"], night_id, club["owner"].id)
    assert stored.load(club["id"], night_id) is None
    assert play.load(member, match_id) is not None
    with pytest.raises(LookupError):
        nights.delete(club["id"], night_id, club["owner"].id)


def test_an_end_bumps_the_nights_version(club: dict[str, Any]) -> None:
    night_id = open_night(club)
    member = viewer_of(club["member"])
    match_id, _ = nights.join(member, club["id"], night_id)
    shoot(member, match_id, [["9", "9", "9"]] * 2)
    night = stored.load(club["id"], night_id)
    assert night is not None
    assert night.version == 2
    refused = play.enter(member, match_id, play.Entry("end", arrows=["Q"]))
    assert refused.result == "refused"
    night = stored.load(club["id"], night_id)
    assert night is not None
    assert night.version == 2  # nothing saved, nothing bumped


def test_a_removed_member_leaves_the_leaderboard_and_loses_access(
    club: dict[str, Any],
) -> None:
    from sqlalchemy import delete

    night_id = open_night(club)
    member = viewer_of(club["member"])
    match_id, _ = nights.join(member, club["id"], night_id)
    shoot(member, match_id, [["9", "9", "9"]])

    def remove(session: Any) -> None:
        session.execute(
            delete(ClubMember).where(ClubMember.archer_id == club["member"].id)
        )

    write(remove)
    view = nights.view(club["id"], night_id, club["owner"].id)
    assert view.rows == []
    with pytest.raises(LookupError):
        nights.view(club["id"], night_id, club["member"].id)
    with pytest.raises(LookupError):
        nights.join(member, club["id"], night_id)


def test_an_end_before_the_night_opens_is_refused(club: dict[str, Any]) -> None:
    night_id = open_night(club)
    member = viewer_of(club["member"])
    match_id, _ = nights.join(member, club["id"], night_id)

    def later(session: Any) -> None:
        session.get(GhostNight, night_id).opens_at = datetime(2099, 1, 1, tzinfo=UTC)

    write(later)
    outcome = play.enter(member, match_id, play.Entry("end", arrows=["9"] * 3))
    assert outcome.result == "refused"
    assert outcome.refusal is not None
    assert play.message(outcome.refusal) == (
        "This ghost night opens at 2099-01-01 00:00 (UTC)."
    )


def test_the_leaderboard_reads_again_only_the_match_that_moved(
    club: dict[str, Any],
) -> None:
    """Each entry's facts are kept by its match's version: a second build
    with nothing moved reads no match again, and an end entered shows at
    once (its match's version moved)."""
    night_id = open_night(club)
    owner, member = viewer_of(club["owner"]), viewer_of(club["member"])
    owner_match, _ = nights.join(owner, club["id"], night_id)
    member_match, _ = nights.join(member, club["id"], night_id)
    shoot(owner, owner_match, [["10", "10", "10"]])
    shoot(member, member_match, [["9", "9", "9"]])

    def build() -> dict[int, nights.Row]:
        view = nights.view(club["id"], night_id, club["owner"].id)
        return {row.archer_id: row for row in view.rows}

    night = stored.load(club["id"], night_id)
    assert night is not None
    night_match = Match.from_dict(night.match)
    first = {e.archer_id: e for e in stored.entries(night_id)}
    assert build()[club["member"].id].total == 27
    kept = nights.entry_facts(night_id, night_match, first[club["member"].id])
    again = {e.archer_id: e for e in stored.entries(night_id)}
    assert nights.entry_facts(night_id, night_match, again[club["member"].id]) is kept
    shoot(member, member_match, [["8", "8", "8"]])
    rows = build()
    assert (rows[club["member"].id].total, rows[club["member"].id].ends_shot) == (51, 2)
    # The owner has shot one end: the member's margin is compared over one.
    assert rows[club["member"].id].compared == 1
    assert rows[club["member"].id].margin == 27 - rows[club["member"].id].ghost_total
