"""Postal leagues: a club's season of ghost nights, one every ``every_days``
days (weekly by default), each its own night with its own seed, and standings
over the season: each member's best ``best`` results of the ``nights``.

Setting a league up reads the night's own fields (:func:`.nights.parse`: the
title, the format and ghost, the ranking, the timezone and the first night's
window) plus the number of nights (2 to 52), the days between them (1 to
31, no longer than a window) and how many results count (1 to the number of
nights). A league that cannot be set up as asked raises
:class:`LeagueInvalid` with a sentence per field, and nothing is stored; a
league whose nights would take the club past 1,000 nights is refused whole.
Setting one up or deleting it is for the club's owner and admins
(:class:`.nights.NotAllowed`, 403); everything else is for its members, and a
club or league the archer is not a member of raises ``LookupError`` (404).

The standings count a week's result once its night has closed, and only a
finished match: by score its total, by margin its total minus the ghost's
over the same ends, handicap-adjusted its total as a percentile of what the
member's own level expects (:func:`.nights.adjusted_share`). The season
figure is the sum of a member's best ``best`` results (the mean of the best
percentiles, adjusted). Members are ranked first by how many results count
(up to ``best``: a member with fewer is ranked after those with all of
theirs), then by the figure; equal ones share a rank. Until a night has
closed each member sees only their own result of it (shown, not counted)."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from flask_babel import gettext as _

from ..engine import Match
from ..store import clubs as store_clubs
from ..store import leagues as stored
from ..store import nights as store_nights
from ..store.matches import FINISHED
from . import nights
from .numbers import parse_whole

#: The longest league title (each night's title adds its week to it).
TITLE_MAX = 80
FEWEST_NIGHTS, MOST_NIGHTS = 2, 52
FEWEST_DAYS, MOST_DAYS = 1, 31
DEFAULT_DAYS = 7

NotAllowed = nights.NotAllowed


class LeagueInvalid(ValueError):
    """A league that cannot be set up as asked: a sentence per field at fault
    (``title``, ``nights``, ``every_days``, ``best``, the night's fields,
    ``club``)."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__(" ".join(errors.values()))
        self.errors = dict(errors)


# -- setting a league up -------------------------------------------------------


@dataclass(frozen=True)
class LeagueRequest:
    title: str
    best: int
    ranking: str
    every_days: int
    timezone: str
    nights: list[stored.LeagueNight]


def week_title(title: str, week: int) -> str:
    return _("%(title)s — week %(week)s", title=title, week=week)


def _whole(form: Mapping[str, Any], name: str) -> int | None:
    """The field as a whole number (None: missing or not one)."""
    value = form.get(name)
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    try:
        return parse_whole(str(value))
    except ValueError:
        return None


def reseeded(match: dict[str, Any]) -> dict[str, Any]:
    """The night's match with a seed of its own (other arrows for the ghost),
    built again."""
    return Match.from_dict({**match, "seed": secrets.randbits(63)}).to_dict()


def parse(form: Mapping[str, Any], now: datetime | None = None) -> LeagueRequest:
    """A league to set up, from a form or a JSON body, or
    :class:`LeagueInvalid` with a sentence per field at fault."""
    now = now or datetime.now(UTC)
    errors: dict[str, str] = {}
    title = nights._text(form, "title")
    if not title:
        errors["title"] = _("Give the league a title.")
    elif len(title) > TITLE_MAX:
        errors["title"] = _(
            "A league's title is at most %(count)s characters.", count=TITLE_MAX
        )
    count: int | None = None
    if nights._text(form, "nights"):
        count = _whole(form, "nights")
    if count is None or not FEWEST_NIGHTS <= count <= MOST_NIGHTS:
        errors["nights"] = _(
            "A league has from %(fewest)s to %(most)s nights.",
            fewest=FEWEST_NIGHTS,
            most=MOST_NIGHTS,
        )
        count = None
    every: int | None = DEFAULT_DAYS
    if nights._text(form, "every_days"):
        every = _whole(form, "every_days")
    if every is None or not FEWEST_DAYS <= every <= MOST_DAYS:
        errors["every_days"] = _(
            "A league's nights are from %(fewest)s to %(most)s days apart.",
            fewest=FEWEST_DAYS,
            most=MOST_DAYS,
        )
        every = None
    best: int | None = count
    if nights._text(form, "best"):
        best = _whole(form, "best")
    if count is not None and (best is None or not 1 <= best <= count):
        errors["best"] = _(
            "Count from 1 to %(count)s results (the league's nights).", count=count
        )
    elif count is None and (best is None or best < 1):
        errors["best"] = _("Count at least 1 result.")
    night_form = {k: v for k, v in form.items() if isinstance(k, str)}
    night_form["title"] = "-"  # the league's title is checked above
    request: nights.NightRequest | None = None
    try:
        request = nights.parse(night_form, now)
    except nights.NightInvalid as exc:
        errors.update({k: v for k, v in exc.errors.items() if k not in errors})
    if (
        request is not None
        and every is not None
        and request.closes_at - request.opens_at > timedelta(days=every)
    ):
        errors["closes"] = _(
            "A night's window is at most the days between the nights"
            " (%(days)s): the nights must not overlap.",
            days=every,
        )
    if errors:
        raise LeagueInvalid(errors)
    assert request is not None
    assert count is not None
    assert every is not None
    assert best is not None
    zone = nights.zone_of(request.timezone) or UTC
    opens, closes = (
        request.opens_at.astimezone(zone),
        request.closes_at.astimezone(zone),
    )
    made = []
    for week in range(1, count + 1):
        # Wall-clock days in the league's timezone: 19:00 stays 19:00 across a
        # change of the clocks.
        step = timedelta(days=every * (week - 1))
        made.append(
            stored.LeagueNight(
                week=week,
                title=week_title(title, week),
                match=request.match if week == 1 else reseeded(request.match),
                opens_at=(opens + step).astimezone(UTC),
                closes_at=(closes + step).astimezone(UTC),
            )
        )
    return LeagueRequest(title, best, request.ranking, every, request.timezone, made)


def create(
    club_id: str,
    archer_id: int,
    form: Mapping[str, Any],
    now: datetime | None = None,
) -> str:
    """Set up a league and its nights for the club (its owner or an admin):
    its id."""
    if nights._role(club_id, archer_id) not in store_clubs.RUNS_THE_CLUB:
        raise NotAllowed(club_id)
    request = parse(form, now)
    try:
        return stored.create(
            club_id,
            title=request.title,
            best=request.best,
            ranking=request.ranking,
            every_days=request.every_days,
            timezone=request.timezone,
            created_by=archer_id,
            nights=request.nights,
        )
    except store_nights.TooMany:
        raise LeagueInvalid(
            {
                "club": _(
                    "A club keeps at most 1,000 ghost nights, and this league's"
                    " nights would take it past them: delete old ones first."
                )
            }
        ) from None


@dataclass(frozen=True)
class Listing:
    club: store_clubs.StoredClub
    role: str
    leagues: list[stored.StoredLeague]

    @property
    def runs_the_club(self) -> bool:
        return self.role in store_clubs.RUNS_THE_CLUB


def leagues_of(club_id: str, archer_id: int) -> Listing:
    """The club's leagues, newest first (a member's)."""
    role = nights._role(club_id, archer_id)
    club = store_clubs.load(club_id)
    if club is None:
        raise LookupError(club_id)
    return Listing(club, role, stored.list_for(club_id))


def delete(club_id: str, league_id: str, archer_id: int) -> None:
    """Delete the league, its nights and their entries (the members keep
    their matches)."""
    if nights._role(club_id, archer_id) not in store_clubs.RUNS_THE_CLUB:
        if stored.load(club_id, league_id) is None:
            raise LookupError(league_id)
        raise NotAllowed(club_id)
    if not stored.delete(club_id, league_id):
        raise LookupError(league_id)


# -- the standings -------------------------------------------------------------

#: A week's cell: ``counted`` (a closed night's finished match: it counts),
#: ``yours`` (your finished match on a night still open: shown, counted once
#: it closes), ``waiting`` (another's match on a night still open: shown once
#: it closes), ``in_progress`` (an unfinished match on a night still open),
#: ``unfinished`` (the night closed on an unfinished match: it does not
#: count), ``none`` (no match).
CELL_STATES = ("counted", "yours", "waiting", "in_progress", "unfinished", "none")


@dataclass
class Cell:
    week: int
    state: str
    value: float | None = None  # the result, when it may be shown
    best: bool = False  # one of the member's best N


@dataclass
class Standing:
    archer_id: int
    name: str
    you: bool
    cells: list[Cell]
    counted: int  # results that count (at most the league's N)
    figure: float | None  # the season figure over them
    rank: int | None = None  # None: no result counts yet


@dataclass
class Week:
    week: int
    night: store_nights.StoredNight
    state: str  # upcoming, open, closed
    opens: str
    closes: str


@dataclass
class LeagueView:
    club: store_clubs.StoredClub
    league: stored.StoredLeague
    role: str
    weeks: list[Week]
    standings: list[Standing] = field(default_factory=list)

    @property
    def runs_the_club(self) -> bool:
        return self.role in store_clubs.RUNS_THE_CLUB


def result_of(
    ranking: str,
    night_match: Match,
    archer_id: int,
    match: Match,
    joined_at: datetime | None,
) -> float | None:
    """A member's result on a night by the league's ranking: the total, the
    margin over the ghost at the ends shot, or the adjusted percentile."""
    total = match.archer_tally().total
    if ranking == "margin":
        return float(total - nights.ghost_total_at(night_match, match.ends_shot))
    if ranking == "adjusted":
        return nights.adjusted_share(night_match, archer_id, match, joined_at)
    return float(total)


def season_figure(values: list[float], best: int, ranking: str) -> float | None:
    """The season figure of the results that count: the best ``best``,
    summed (their mean, adjusted)."""
    chosen = sorted(values, reverse=True)[:best]
    if not chosen:
        return None
    if ranking == "adjusted":
        return sum(chosen) / len(chosen)
    return float(sum(chosen))


def rank(standings: list[Standing]) -> None:
    """Sort and rank: first by how many results count (a member with fewer
    than N ranked after those with N), then by the season figure; equal ones
    share a rank; members with no result counted are unranked, last."""

    def key(row: Standing) -> tuple[Any, ...]:
        figure = round(row.figure, 9) if row.figure is not None else 0.0
        return (row.figure is None, -row.counted, -figure)

    standings.sort(key=lambda row: (*key(row), row.name.casefold(), row.archer_id))
    previous: tuple[Any, ...] | None = None
    for number, row in enumerate(standings, start=1):
        if row.figure is None:
            row.rank = None
            continue
        mine = key(row)
        if previous is not None and mine == previous:
            row.rank = standings[number - 2].rank
        else:
            row.rank = number
        previous = mine


def standings(
    loaded: stored.Loaded,
    viewer_id: int,
    names: Mapping[int, str],
    now: datetime | None = None,
) -> list[Standing]:
    """The standings as the viewer may see them, ranked."""
    league = loaded.league
    rows = {
        archer_id: Standing(archer_id, name, archer_id == viewer_id, [], 0, None)
        for archer_id, name in names.items()
    }
    values: dict[int, list[tuple[float, Cell]]] = {a: [] for a in rows}
    for night in loaded.nights:
        week = loaded.weeks.get(night.id, 0)
        closed = nights.state_of(night, now) == "closed"
        night_match = Match.from_dict(night.match)
        entries = {e.archer_id: e for e in store_nights.entries(night.id)}
        for archer_id, row in rows.items():
            entry = entries.get(archer_id)
            cell = Cell(week, "none")
            row.cells.append(cell)
            if entry is None:
                continue
            finished = entry.status in FINISHED
            if not finished:
                cell.state = "unfinished" if closed else "in_progress"
                continue
            if not closed and archer_id != viewer_id:
                cell.state = "waiting"
                continue
            cell.state = "counted" if closed else "yours"
            cell.value = result_of(
                league.ranking,
                night_match,
                archer_id,
                Match.from_dict(entry.state),
                entry.joined_at,
            )
            if closed and cell.value is not None:
                values[archer_id].append((cell.value, cell))
    for archer_id, row in rows.items():
        chosen = sorted(values[archer_id], key=lambda pair: -pair[0])[: league.best]
        for _value, cell in chosen:
            cell.best = True
        row.counted = len(chosen)
        row.figure = season_figure(
            [value for value, _cell in chosen], league.best, league.ranking
        )
    ranked = list(rows.values())
    rank(ranked)
    return ranked


def view(
    club_id: str, league_id: str, archer_id: int, now: datetime | None = None
) -> LeagueView:
    """The league as the member sees it (``LookupError``: not a member, or
    no such league in the club)."""
    role = nights._role(club_id, archer_id)
    club = store_clubs.load(club_id)
    loaded = stored.load(club_id, league_id)
    if club is None or loaded is None:
        raise LookupError(league_id)
    names = {m.archer_id: m.display for m in store_clubs.members(club_id)}
    weeks = [
        Week(
            week=loaded.weeks.get(night.id, 0),
            night=night,
            state=nights.state_of(night, now),
            opens=nights.local_time(night.opens_at, night.timezone),
            closes=nights.local_time(night.closes_at, night.timezone),
        )
        for night in loaded.nights
    ]
    return LeagueView(
        club=club,
        league=loaded.league,
        role=role,
        weeks=weeks,
        standings=standings(loaded, archer_id, names, now),
    )
