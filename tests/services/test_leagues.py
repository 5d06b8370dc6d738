"""services.leagues: setting a postal league up (its nights weekly or every
few days at the same local times, each with its own seed; bad input of each
field with its sentence and nothing stored; 52 nights, not 53; the club's
1,000 nights refusing the whole league; who may), and the standings (best N
of M, ties, members with fewer results, by score, margin and adjusted; what
a viewer sees of a night still open)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from werkzeug.security import generate_password_hash

from ghost_simulator.engine import Match
from ghost_simulator.services import leagues, nights, play
from ghost_simulator.services.viewers import Viewer
from ghost_simulator.store import archers, clubs, get_session, write
from ghost_simulator.store import leagues as stored
from ghost_simulator.store import nights as stored_nights
from ghost_simulator.store.models import Archer, ClubMember, GhostNight, League

#: The first night of the test leagues: long past, so that an end is entered
#: as a phone sends one kept offline (shot inside the window, sent later).
START = datetime(2025, 1, 3, 18, 0, tzinfo=UTC)
BEFORE = START - timedelta(days=1)
#: A ranking round of 4 ends of 6 arrows (imperial scoring: 9, 7, 5, 3, 1).
SHORT = "misc_2_doz_20y_122cm"


@pytest.fixture
def context(app: Flask) -> Iterator[None]:
    with app.test_request_context():
        yield


def make_archer(username: str, name: str) -> Archer:
    archer = archers.create(
        username, generate_password_hash("pw", method="scrypt:1024:8:1")
    )

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


@pytest.fixture
def club(context: None) -> dict[str, Any]:
    owner = make_archer("owner", "Olga Owner")
    member = make_archer("member", "Mia Member")
    other = make_archer("other", "Max Other")
    club_id = clubs.create(owner.id, "Arrows", None, None)
    add_member(club_id, member)
    add_member(club_id, other)

    def by_name(session: Any) -> None:
        for row in session.query(ClubMember).filter_by(club_id=club_id):
            row.shown_as = "name"

    write(by_name)
    return {"id": club_id, "owner": owner, "member": member, "other": other}


def form(**changes: str) -> dict[str, str]:
    return {
        "title": "Winter",
        "nights": "3",
        "every_days": "7",
        "best": "2",
        "kind": "ranking",
        "bow": "recurve",
        "indoor": "0",
        "round": SHORT,
        "ghost": "handicap",
        "handicap": "40",
        "ranking": "score",
        "timezone": "UTC",
        "opens": START.strftime("%Y-%m-%dT%H:%M"),
        "closes": (START + timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M"),
        **changes,
    }


def count(model: Any) -> int:
    return len(get_session().query(model).all())


def viewer_of(archer: Archer) -> Viewer:
    return Viewer(f"key-{archer.id}", archer)


def shoot(
    archer: Archer, night: stored_nights.StoredNight, ends: int, arrow: str
) -> str:
    """The archer joins the night and shoots ``ends`` ends of ``arrow``, each
    as shot inside the window."""
    viewer = viewer_of(archer)
    inside = night.opens_at + timedelta(minutes=30)
    match_id, _made = nights.join(viewer, night.club_id, night.id, now=inside)
    for _ in range(ends):
        outcome = play.enter(
            viewer, match_id, play.Entry("end", arrows=[arrow] * 6, shot_at=inside)
        )
        assert outcome.result == "saved", outcome
    return match_id


def weeks(club: dict[str, Any], league_id: str) -> list[stored_nights.StoredNight]:
    loaded = stored.load(club["id"], league_id)
    assert loaded is not None
    return loaded.nights


def after(night: stored_nights.StoredNight) -> datetime:
    return night.closes_at + timedelta(minutes=1)


# -- setting a league up -----------------------------------------------------------


def test_nights_at_the_same_local_time_each_week_each_its_own_seed(
    club: dict[str, Any],
) -> None:
    """Across the end of summer time in Madrid (27 October 2030) every night
    still opens at 19:00 local time."""
    league_id = leagues.create(
        club["id"],
        club["owner"].id,
        form(
            timezone="Europe/Madrid",
            opens="2030-10-18T19:00",
            closes="2030-10-18T23:00",
            ranking="margin",
        ),
        now=datetime(2030, 10, 1, tzinfo=UTC),
    )
    loaded = stored.load(club["id"], league_id)
    assert loaded is not None
    assert (loaded.league.best, loaded.league.every_days) == (2, 7)
    local = [nights.local_time(n.opens_at, n.timezone) for n in loaded.nights]
    assert local == ["2030-10-18 19:00", "2030-10-25 19:00", "2030-11-01 19:00"]
    assert loaded.nights[0].opens_at.hour == 17  # UTC+2
    assert loaded.nights[2].opens_at.hour == 18  # UTC+1
    assert [n.title for n in loaded.nights] == [
        "Winter — week 1",
        "Winter — week 2",
        "Winter — week 3",
    ]
    assert {n.ranking for n in loaded.nights} == {"margin"}
    seeds = {n.match["seed"] for n in loaded.nights}
    assert len(seeds) == 3
    ghosts = [
        Match.from_dict(n.match).ghost_round.ends[0].arrows for n in loaded.nights
    ]
    assert ghosts[0] != ghosts[1] or ghosts[1] != ghosts[2]
    assert {Match.from_dict(n.match).round.name for n in loaded.nights} == {
        Match.from_dict(loaded.nights[0].match).round.name
    }


def test_every_result_counts_when_best_is_left_out(club: dict[str, Any]) -> None:
    values = form(every_days="", best="")
    league_id = leagues.create(club["id"], club["owner"].id, values, now=BEFORE)
    loaded = stored.load(club["id"], league_id)
    assert loaded is not None
    assert (loaded.league.best, loaded.league.every_days) == (3, 7)


@pytest.mark.parametrize(
    ("changes", "field", "sentence"),
    [
        ({"title": ""}, "title", "Give the league a title."),
        ({"title": "x" * 81}, "title", "at most 80 characters"),
        ({"nights": "1"}, "nights", "from 2 to 52 nights"),
        ({"nights": "53"}, "nights", "from 2 to 52 nights"),
        ({"nights": "three"}, "nights", "from 2 to 52 nights"),
        ({"nights": ""}, "nights", "from 2 to 52 nights"),
        ({"every_days": "0"}, "every_days", "from 1 to 31 days apart"),
        ({"every_days": "32"}, "every_days", "from 1 to 31 days apart"),
        ({"every_days": "7.5"}, "every_days", "from 1 to 31 days apart"),
        ({"best": "0"}, "best", "Count from 1 to 3 results"),
        ({"best": "4"}, "best", "Count from 1 to 3 results"),
        ({"best": "-1"}, "best", "Count from 1 to 3 results"),
        (
            {"every_days": "1", "closes": "2025-01-05T18:00"},
            "closes",
            "the nights must not overlap",
        ),
        ({"timezone": "Mars/Olympus"}, "timezone", "Choose a timezone"),
        ({"ranking": "luck"}, "ranking", "Rank by score"),
        ({"opens": "soon"}, "opens", "Give the date and time the night opens."),
        (
            {"closes": "2025-01-03T17:00"},
            "closes",
            "A ghost night closes after it opens.",
        ),
        ({"ghost": "mine"}, "ghost", "every member meets"),
        ({"bow": "slingshot"}, "bow", "Choose a bow"),
    ],
)
def test_bad_input_says_why_and_stores_nothing(
    club: dict[str, Any], changes: dict[str, str], field: str, sentence: str
) -> None:
    with pytest.raises(leagues.LeagueInvalid) as raised:
        leagues.create(club["id"], club["owner"].id, form(**changes), now=BEFORE)
    assert sentence in raised.value.errors[field]
    assert (count(League), count(GhostNight)) == (0, 0)


def test_a_league_in_the_past_is_refused(club: dict[str, Any]) -> None:
    with pytest.raises(leagues.LeagueInvalid) as raised:
        leagues.create(club["id"], club["owner"].id, form())  # now: 2025 is past
    assert "already closed" in raised.value.errors["closes"]
    assert count(League) == 0


def test_52_nights_but_not_53(club: dict[str, Any]) -> None:
    league_id = leagues.create(
        club["id"], club["owner"].id, form(nights="52", best="40"), now=BEFORE
    )
    assert len(weeks(club, league_id)) == 52
    assert len({n.match["seed"] for n in weeks(club, league_id)}) == 52
    with pytest.raises(leagues.LeagueInvalid) as raised:
        leagues.create(
            club["id"], club["owner"].id, form(nights="53", best="40"), now=BEFORE
        )
    assert set(raised.value.errors) == {"nights"}
    assert (count(League), count(GhostNight)) == (1, 52)


def test_the_clubs_1000_nights_refuse_the_whole_league(
    club: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stored_nights, "MOST_NIGHTS", 4)
    leagues.create(club["id"], club["owner"].id, form(), now=BEFORE)
    with pytest.raises(leagues.LeagueInvalid) as raised:
        leagues.create(club["id"], club["owner"].id, form(nights="2"), now=BEFORE)
    assert raised.value.errors["club"].startswith(
        "A club keeps at most 1,000 ghost nights"
    )
    assert (count(League), count(GhostNight)) == (1, 3)


def test_members_may_not_set_up_or_delete_and_strangers_see_nothing(
    club: dict[str, Any],
) -> None:
    with pytest.raises(leagues.NotAllowed):
        leagues.create(club["id"], club["member"].id, form(), now=BEFORE)
    assert count(League) == 0
    league_id = leagues.create(club["id"], club["owner"].id, form(), now=BEFORE)
    with pytest.raises(leagues.NotAllowed):
        leagues.delete(club["id"], league_id, club["member"].id)
    with pytest.raises(LookupError):
        leagues.delete(club["id"], "no-such-league", club["member"].id)
    stranger = make_archer("stranger", "Sam Stranger")
    for attempt in (
        lambda: leagues.create(club["id"], stranger.id, form(), now=BEFORE),
        lambda: leagues.leagues_of(club["id"], stranger.id),
        lambda: leagues.view(club["id"], league_id, stranger.id),
        lambda: leagues.delete(club["id"], league_id, stranger.id),
    ):
        with pytest.raises(LookupError):
            attempt()
    # Another club's league is no league of this one.
    other = clubs.create(stranger.id, "Other", None, None)
    with pytest.raises(LookupError):
        leagues.view(other, league_id, stranger.id)
    assert count(League) == 1


def test_an_admin_deletes_a_league_and_the_matches_stay(club: dict[str, Any]) -> None:
    add_admin = make_archer("admin", "Ada Admin")
    add_member(club["id"], add_admin, role="admin")
    league_id = leagues.create(club["id"], add_admin.id, form(), now=BEFORE)
    first = weeks(club, league_id)[0]
    match_id = shoot(club["member"], first, 1, "9")
    leagues.delete(club["id"], league_id, add_admin.id)
    assert (count(League), count(GhostNight)) == (0, 0)
    assert play.load(viewer_of(club["member"]), match_id) is not None
    with pytest.raises(LookupError):
        leagues.delete(club["id"], league_id, add_admin.id)


# -- the standings -----------------------------------------------------------------


def by_name(view: leagues.LeagueView) -> dict[str, leagues.Standing]:
    return {row.name: row for row in view.standings}


def test_best_two_of_three_by_score_with_ties_and_fewer_results(
    club: dict[str, Any],
) -> None:
    """Olga: 9s, 7s, 9s (216, 168, 216: best two 432). Mia: 9s, 9s and an
    unfinished third (432 too: a shared first place). Max: one night of 9s
    (216: fewer results, ranked after)."""
    league_id = leagues.create(club["id"], club["owner"].id, form(), now=BEFORE)
    one, two, three = weeks(club, league_id)
    shoot(club["owner"], one, 4, "9")
    shoot(club["owner"], two, 4, "7")
    shoot(club["owner"], three, 4, "9")
    shoot(club["member"], one, 4, "9")
    shoot(club["member"], two, 4, "9")
    shoot(club["member"], three, 2, "9")  # not finished
    shoot(club["other"], one, 4, "9")
    view = leagues.view(club["id"], league_id, club["owner"].id, now=after(three))
    rows = by_name(view)
    olga, mia, max_ = rows["Olga Owner"], rows["Mia Member"], rows["Max Other"]
    assert [c.value for c in olga.cells] == [216, 168, 216]
    assert [c.best for c in olga.cells] == [True, False, True]
    assert (olga.figure, olga.counted, olga.rank) == (432, 2, 1)
    assert [c.state for c in mia.cells] == ["counted", "counted", "unfinished"]
    assert mia.cells[2].value is None
    assert (mia.figure, mia.rank) == (432, 1)
    assert (max_.figure, max_.counted, max_.rank) == (216, 1, 3)
    assert [c.state for c in max_.cells] == ["counted", "none", "none"]
    assert [r.name for r in view.standings][2] == "Max Other"
    assert [w.week for w in view.weeks] == [1, 2, 3]


def test_a_night_still_open_shows_only_your_own_result(club: dict[str, Any]) -> None:
    league_id = leagues.create(club["id"], club["owner"].id, form(), now=BEFORE)
    one, two, _three = weeks(club, league_id)
    shoot(club["owner"], one, 4, "9")
    shoot(club["owner"], two, 4, "9")
    shoot(club["member"], two, 4, "7")
    shoot(club["other"], two, 1, "7")
    during = two.opens_at + timedelta(hours=1)
    view = leagues.view(club["id"], league_id, club["member"].id, now=during)
    rows = by_name(view)
    assert [w.state for w in view.weeks] == ["closed", "open", "upcoming"]
    # Olga's week 2 is shot, but shown (and counted) once the night closes.
    assert [c.state for c in rows["Olga Owner"].cells][:2] == ["counted", "waiting"]
    assert rows["Olga Owner"].cells[1].value is None
    assert rows["Olga Owner"].figure == 216
    # Mia sees her own, not counted yet; Max is still shooting.
    assert (rows["Mia Member"].cells[1].state, rows["Mia Member"].cells[1].value) == (
        "yours",
        168,
    )
    assert rows["Mia Member"].figure is None
    assert rows["Mia Member"].rank is None
    assert rows["Mia Member"].you is True
    assert rows["Max Other"].cells[1].state == "in_progress"
    # Once it has closed, everyone's counts.
    view = leagues.view(club["id"], league_id, club["member"].id, now=after(two))
    rows = by_name(view)
    assert rows["Olga Owner"].figure == 432
    assert rows["Mia Member"].figure == 168
    assert rows["Max Other"].cells[1].state == "unfinished"


def test_by_margin_the_ghosts_total_is_taken_off(club: dict[str, Any]) -> None:
    league_id = leagues.create(
        club["id"], club["owner"].id, form(ranking="margin", best="1"), now=BEFORE
    )
    one, two, _three = weeks(club, league_id)
    shoot(club["owner"], one, 4, "9")
    shoot(club["owner"], two, 4, "5")
    view = leagues.view(club["id"], league_id, club["owner"].id, now=after(two))
    olga = by_name(view)["Olga Owner"]
    ghosts = [
        sum(end.total for end in Match.from_dict(n.match).ghost_round.ends)
        for n in (one, two)
    ]
    assert [c.value for c in olga.cells[:2]] == [216 - ghosts[0], 120 - ghosts[1]]
    assert olga.figure == max(216 - ghosts[0], 120 - ghosts[1])


def test_adjusted_the_season_is_the_mean_of_the_best_percentiles(
    club: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A beginner (level 90) shooting 7s tops a strong archer (level 10)
    shooting 9s, as on a night."""
    league_id = leagues.create(
        club["id"], club["owner"].id, form(ranking="adjusted"), now=BEFORE
    )
    levels = {club["owner"].id: 10.0, club["member"].id: 90.0}
    monkeypatch.setattr(
        nights, "member_level", lambda archer_id, *_args: levels.get(archer_id)
    )
    one, two, three = weeks(club, league_id)
    for night in (one, two, three):
        shoot(club["owner"], night, 4, "9")
    shoot(club["member"], one, 4, "7")
    shoot(club["member"], two, 4, "5")
    shoot(club["member"], three, 4, "7")
    view = leagues.view(club["id"], league_id, club["owner"].id, now=after(three))
    rows = by_name(view)
    mia, olga = rows["Mia Member"], rows["Olga Owner"]
    values = [c.value for c in mia.cells]
    assert all(v is not None and 0 <= v <= 1 for v in values)
    best = sorted(values, reverse=True)[:2]  # type: ignore[type-var]
    assert mia.figure == pytest.approx(sum(best) / 2)  # type: ignore[arg-type]
    assert [c.best for c in mia.cells] == [True, False, True]
    assert mia.figure > olga.figure  # type: ignore[operator]
    assert [r.name for r in view.standings][:2] == ["Mia Member", "Olga Owner"]


def test_a_removed_member_leaves_the_standings(club: dict[str, Any]) -> None:
    from sqlalchemy import delete

    league_id = leagues.create(club["id"], club["owner"].id, form(), now=BEFORE)
    shoot(club["other"], weeks(club, league_id)[0], 4, "9")

    def remove(session: Any) -> None:
        session.execute(
            delete(ClubMember).where(ClubMember.archer_id == club["other"].id)
        )

    write(remove)
    view = leagues.view(club["id"], league_id, club["owner"].id)
    assert "Max Other" not in by_name(view)


def standing(name: str, counted: int, figure: float | None) -> leagues.Standing:
    return leagues.Standing(0, name, False, [], counted, figure)


def test_ranking_ties_share_a_rank_and_fewer_results_come_after() -> None:
    rows = [
        standing("Eve", 0, None),
        standing("Dan", 1, 300.0),
        standing("Bea", 2, 400.0),
        standing("Ann", 2, 400.0),
        standing("Cal", 2, 390.0),
    ]
    leagues.rank(rows)
    assert [(r.name, r.rank) for r in rows] == [
        ("Ann", 1),
        ("Bea", 1),
        ("Cal", 3),
        ("Dan", 4),
        ("Eve", None),
    ]


def test_the_season_figure() -> None:
    assert leagues.season_figure([5.0, 9.0, 7.0], 2, "score") == 16
    assert leagues.season_figure([-5.0, 2.0, -1.0], 2, "margin") == 1
    assert leagues.season_figure([0.5, 0.9, 0.7], 2, "adjusted") == pytest.approx(0.8)
    assert leagues.season_figure([], 2, "score") is None
