"""Ghost nights: a club's event where every member shoots the same match (the
format, the ghost and one seed: the same arrows) inside a window, and a
leaderboard ranked by score, by the margin over the ghost, or
handicap-adjusted (each member's total as a percentile of what their own
level expects over the ends they have shot).

The checks live here (the web pages and the API call the same operations): a
night that cannot be set up as asked raises :class:`NightInvalid` with a
sentence per field (nothing is stored); setting one up or deleting it is for
the club's owner and admins (:class:`NotAllowed`, 403); everything else is for
the club's members, and a club or night that the archer is not a member of
raises ``LookupError`` (404: it looks like a missing one).

What a viewer may see follows a match's rule: the ghost's arrows of an end are
shown only to a viewer who has shot that end themselves, so the ghost's total
and the margins are compared at the fewer of the member's ends and the
viewer's own, until the night has closed."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cached_property
from itertools import accumulate
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
from flask_babel import gettext as _

from ..engine import Ghost, Match, MatchError
from ..lru import LRU
from ..store import clubs as store_clubs
from ..store import leagues as store_leagues
from ..store import nights as stored
from ..store.matches import FINISHED, round_code_of
from .viewers import Viewer

#: The longest title, and the longest window.
TITLE_MAX = 100
LONGEST = timedelta(days=14)
RANKINGS = ("score", "margin", "adjusted")
#: The ghosts a night may have (not one made from an archer's own past: every
#: member meets the same ghost).
NIGHT_GHOSTS = ("handicap", "score", "preset", "minmax")
#: How many of a member's last finished rounds give their level.
LEVEL_ROUNDS = 5
_LOCAL_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M")


class NightInvalid(ValueError):
    """A night that cannot be set up as asked: a sentence per field at fault
    (``title``, ``ranking``, ``timezone``, ``opens``, ``closes``, the
    setup's fields, ``club``)."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__(" ".join(errors.values()))
        self.errors = dict(errors)


class NotAllowed(PermissionError):
    """The archer's role in the club does not allow this (403)."""


class Outside(ValueError):
    """Joining outside the night's window: the sentence says when it opens,
    or that it closed."""


def ranking_names() -> dict[str, str]:
    return {
        "score": _("By score"),
        "margin": _("By the margin over the ghost"),
        "adjusted": _("Handicap-adjusted"),
    }


# -- setting a night up --------------------------------------------------------


@dataclass(frozen=True)
class NightRequest:
    title: str
    match: dict[str, Any]
    ranking: str
    opens_at: datetime
    closes_at: datetime
    timezone: str


def _text(form: Mapping[str, Any], name: str) -> str:
    value = form.get(name)
    if isinstance(value, bool) or value is None:
        return ""
    return str(value).strip()


def _local(text: str, zone: ZoneInfo | None) -> datetime | None:
    """A local date-time (as a datetime-local field sends it) in ``zone``, as
    an aware UTC datetime (None: not a date-time)."""
    text = text[:32]
    for pattern in _LOCAL_FORMATS:
        try:
            naive = datetime.strptime(text, pattern)
        except ValueError:
            continue
        if zone is None:
            return None
        return naive.replace(tzinfo=zone).astimezone(UTC)
    return None


def zone_of(name: str) -> ZoneInfo | None:
    """The IANA timezone named (None: no such zone)."""
    if not name or len(name) > 64 or ".." in name or name.startswith("/"):
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def parse(form: Mapping[str, Any], now: datetime | None = None) -> NightRequest:
    """A night to set up, from a form or a JSON body, or :class:`NightInvalid`
    with a sentence per field at fault."""
    from .setups import parse_setup

    now = now or datetime.now(UTC)
    errors: dict[str, str] = {}
    title = _text(form, "title")
    if not title:
        errors["title"] = _("Give the ghost night a title.")
    elif len(title) > TITLE_MAX:
        errors["title"] = _(
            "A ghost night's title is at most %(count)s characters.", count=TITLE_MAX
        )
    ranking = _text(form, "ranking") or "score"
    if ranking not in RANKINGS:
        errors["ranking"] = _(
            "Rank by score, by the margin over the ghost, or handicap-adjusted."
        )
    zone_name = _text(form, "timezone") or "UTC"
    zone = zone_of(zone_name)
    if zone is None:
        errors["timezone"] = _(
            "Choose a timezone by its name, such as Europe/Madrid or UTC."
        )
    opens = _local(_text(form, "opens"), zone)
    closes = _local(_text(form, "closes"), zone)
    if zone is not None:
        if opens is None:
            errors["opens"] = _("Give the date and time the night opens.")
        if closes is None:
            errors["closes"] = _("Give the date and time the night closes.")
    if opens is not None and closes is not None:
        if closes <= opens:
            errors["closes"] = _("A ghost night closes after it opens.")
        elif closes <= now:
            errors["closes"] = _(
                "A ghost night that has already closed cannot be set up."
            )
        elif closes - opens > LONGEST:
            errors["closes"] = _("A ghost night lasts at most 14 days.")
    data = {k: _text(form, k) for k in form if isinstance(k, str)}
    data.pop("seed", None)
    data.pop("model", None)
    if data.get("ghost", "handicap") not in NIGHT_GHOSTS:
        errors["ghost"] = _(
            "Choose a ghost every member meets: a handicap, a score, a preset"
            " or a min-max end."
        )
        data["ghost"] = "handicap"
    setup = parse_setup(data)
    errors.update({k: v for k, v in setup.errors.items() if k not in errors})
    match: dict[str, Any] = {}
    if not setup.errors:
        try:
            setup.seed = secrets.randbits(63)
            match = setup.build().to_dict()
        except (ValueError, KeyError) as exc:
            errors["ghost"] = str(exc) or _("This ghost cannot be used.")
    if errors:
        raise NightInvalid(errors)
    assert opens is not None
    assert closes is not None
    return NightRequest(title, match, ranking, opens, closes, zone_name)


def _role(club_id: str, archer_id: int) -> str:
    role = store_clubs.role_of(club_id, archer_id)
    if role is None:
        raise LookupError(club_id)
    return role


def create(
    club_id: str,
    archer_id: int,
    form: Mapping[str, Any],
    now: datetime | None = None,
) -> str:
    """Set up a night for the club (its owner or an admin): its id."""
    if _role(club_id, archer_id) not in store_clubs.RUNS_THE_CLUB:
        raise NotAllowed(club_id)
    request = parse(form, now)
    try:
        return stored.create(
            club_id,
            title=request.title,
            match=request.match,
            ranking=request.ranking,
            opens_at=request.opens_at,
            closes_at=request.closes_at,
            timezone=request.timezone,
            created_by=archer_id,
        )
    except stored.TooMany:
        raise NightInvalid(
            {
                "club": _(
                    "A club keeps at most 1,000 ghost nights: delete old ones first."
                )
            }
        ) from None


@dataclass(frozen=True)
class Listing:
    club: store_clubs.StoredClub
    role: str
    nights: list[stored.StoredNight]

    @property
    def runs_the_club(self) -> bool:
        return self.role in store_clubs.RUNS_THE_CLUB


def nights_of(club_id: str, archer_id: int) -> Listing:
    """The club's nights, newest first (a member's)."""
    role = _role(club_id, archer_id)
    club = store_clubs.load(club_id)
    if club is None:
        raise LookupError(club_id)
    return Listing(club, role, stored.list_for(club_id))


def delete(club_id: str, night_id: str, archer_id: int) -> None:
    """Delete the night and its entries (the members keep their matches)."""
    if _role(club_id, archer_id) not in store_clubs.RUNS_THE_CLUB:
        if stored.load(club_id, night_id) is None:
            raise LookupError(night_id)
        raise NotAllowed(club_id)
    if not stored.delete(club_id, night_id):
        raise LookupError(night_id)


# -- the window ----------------------------------------------------------------


def local_time(moment: datetime, zone_name: str) -> str:
    """A moment as the night's clock shows it (``2026-12-05 19:00``)."""
    zone = zone_of(zone_name) or UTC
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def state_of(night: stored.StoredNight, now: datetime | None = None) -> str:
    """``upcoming``, ``open`` or ``closed``."""
    now = now or datetime.now(UTC)
    if now < night.opens_at:
        return "upcoming"
    return "open" if now <= night.closes_at else "closed"


def window_message(code: str, params: Mapping[str, Any]) -> str:
    if code == "night_not_open":
        return _(
            "This ghost night opens at %(opens)s (%(timezone)s).",
            opens=params.get("opens", ""),
            timezone=params.get("timezone", ""),
        )
    return _("This ghost night is closed.")


def window_refusal(match_id: str, shot_at: datetime | None = None) -> MatchError | None:
    """Why an end for this match may not be entered now (None: the match is
    on no night, or the end is in time). An end sent after the close counts
    when the phone says it was shot inside the window (and not in the
    future)."""
    night = stored.night_of_match(match_id)
    if night is None:
        return None
    now = datetime.now(UTC)
    if now < night.opens_at:
        return MatchError(
            "The ghost night is not open yet.",
            "night_not_open",
            opens=local_time(night.opens_at, night.timezone),
            timezone=night.timezone,
        )
    if now <= night.closes_at:
        return None
    if shot_at is not None:
        if shot_at.tzinfo is None:
            shot_at = shot_at.replace(tzinfo=UTC)
        if night.opens_at <= shot_at <= night.closes_at and shot_at <= now:
            return None
    return MatchError("The ghost night is closed.", "night_closed")


def shot_at(text: str | None) -> datetime | None:
    """When the phone says an end was shot (ISO 8601, as an offline end is
    kept), as an aware datetime (None: not sent, or not a moment)."""
    if not text or len(text) > 40:
        return None
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def join(
    viewer: Viewer, club_id: str, night_id: str, now: datetime | None = None
) -> tuple[str, bool]:
    """The member's match on the night (made now, or the one they have): its
    id and whether it is new. Raises :class:`Outside` outside the window for
    a member who has not joined."""
    if viewer.archer is None:
        raise LookupError(club_id)
    _role(club_id, viewer.archer.id)
    night = stored.load(club_id, night_id)
    if night is None:
        raise LookupError(night_id)
    existing = stored.entry_of(night.id, viewer.archer.id)
    if existing is not None:
        return existing, False
    where = state_of(night, now)
    if where == "upcoming":
        raise Outside(
            window_message(
                "night_not_open",
                {
                    "opens": local_time(night.opens_at, night.timezone),
                    "timezone": night.timezone,
                },
            )
        )
    if where == "closed":
        raise Outside(window_message("night_closed", {}))
    match = Match.from_dict(night.match)
    return stored.join(
        night.id,
        viewer.owner,
        state=match.to_dict(),
        status=match.verdict().status,
        summary=match.summary(),
    )


# -- the leaderboard -----------------------------------------------------------


@dataclass
class Row:
    """A member on the leaderboard, as the viewer may see it."""

    archer_id: int
    name: str
    you: bool
    ends_shot: int
    ends: int
    total: int
    tens: int
    xs: int
    finished: bool
    compared: int  # the ends the ghost's total and the margin are at
    ghost_total: int | None
    margin: int | None
    percentile: float | None
    late: bool
    match_id: str | None  # the viewer's own only
    rank: int = 0


@dataclass
class NightView:
    club: store_clubs.StoredClub
    night: stored.StoredNight
    role: str
    state: str
    rows: list[Row]
    ghost_handicap: float | None
    your_match: str | None
    your_ends: int
    format: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def league(self) -> store_leagues.WeekOf | None:
        """The postal league the night is a week of (None: a night of its
        own), read only by a page that shows it (not the leaderboard fragment
        a live update fetches)."""
        return store_leagues.league_of_night(self.night.id)

    @property
    def runs_the_club(self) -> bool:
        return self.role in store_clubs.RUNS_THE_CLUB

    @property
    def opens(self) -> str:
        return local_time(self.night.opens_at, self.night.timezone)

    @property
    def closes(self) -> str:
        return local_time(self.night.closes_at, self.night.timezone)


def percentile(pmf: np.ndarray, total: int) -> float:
    """Where ``total`` stands in the distribution ``pmf`` (of totals 0, 1,
    ...): the chance of less, plus half the chance of as much (0 to 1)."""
    pmf = np.asarray(pmf, dtype=float)
    mass = float(pmf.sum()) or 1.0
    below = float(pmf[: max(0, min(total, len(pmf)))].sum())
    at = float(pmf[total]) if 0 <= total < len(pmf) else 0.0
    return (below + at / 2) / mass


def expected_pmf(
    night_match: Match, level: float, arrows: int, bow: str | None = None
) -> np.ndarray:
    """The distribution of the total of the first ``arrows`` arrows (whole
    ends) of the night's round or match format, for an archer at ``level``
    (on the night ghost's scheme)."""
    from ..engine.odds import first_ends_total_pmf

    ghost = night_match.ghost
    options: dict[str, Any] = {"model": ghost.model}
    if bow:
        options["bow"] = bow
    archer = Ghost.from_handicap(level, ghost.scheme, None, **options)
    return first_ends_total_pmf(archer, night_match.round, arrows)


def member_level(
    archer_id: int, night_match: Match, before: datetime | None
) -> float | None:
    """The member's level on the night's round or format: the mean handicap
    their last finished rounds on it earned (before they joined), else
    None."""
    state = night_match.to_dict()
    earned = stored.earned_before(
        archer_id,
        round_code_of(state),
        bool(night_match.round.ref.get("half")),
        night_match.kind,
        before,
    )
    if not earned:
        return None
    return float(np.mean(earned[-LEVEL_ROUNDS:]))


def ghost_total_at(night_match: Match, ends: int) -> int:
    """The ghost's total over the night's first ``ends`` ends."""
    return sum(end.total for end in night_match.ghost_round.ends[:ends])


def adjusted_share(
    night_match: Match, archer_id: int, match: Match, joined_at: datetime | None
) -> float | None:
    """The member's total on their match as a percentile of what their own
    level (:func:`member_level`, else the ghost's) expects over the ends they
    have shot (None: no end shot, or no level to expect from)."""
    if not match.ends_shot:
        return None
    level = member_level(archer_id, night_match, joined_at)
    if level is None:
        level = night_match.ghost.handicap
    if level is None:
        return None
    arrows = sum(end.arrow_count for end in match.archer_ends)
    try:
        pmf = expected_pmf(night_match, level, arrows)
        return percentile(pmf, match.archer_tally().total)
    except (ValueError, IndexError, AssertionError):
        return None


def _sort(rows: list[Row], ranking: str) -> None:
    def score_key(row: Row) -> tuple[Any, ...]:
        return (-row.total, -row.tens, -row.xs, row.name)

    def margin_key(row: Row) -> tuple[Any, ...]:
        missing = row.margin is None
        return (missing, -(row.margin or 0), *score_key(row))

    def adjusted_key(row: Row) -> tuple[Any, ...]:
        missing = row.percentile is None
        return (missing, -(row.percentile or 0.0), *score_key(row))

    key = {"margin": margin_key, "adjusted": adjusted_key}.get(ranking, score_key)
    rows.sort(key=key)
    previous: tuple[Any, ...] | None = None
    for number, row in enumerate(rows, start=1):
        mine = key(row)[:-1]
        if previous is not None and mine == previous:
            row.rank = rows[number - 2].rank
        else:
            row.rank = number
        previous = mine


@dataclass(frozen=True)
class EntryFacts:
    """What the leaderboard reads from a member's match, whoever views it."""

    ends_shot: int
    total: int
    tens: int
    xs: int
    #: The member's total after each end.
    running: tuple[int, ...]
    #: :func:`adjusted_share`.
    share: float | None


#: Each entry's facts, by night, match and the match's version (a few nights
#: of 200 members).
_FACTS: LRU[tuple[str, str, int], EntryFacts] = LRU(2048)


def entry_facts(
    night_id: str, night_match: Match, entry: stored.StoredEntry
) -> EntryFacts:
    """The entry's :class:`EntryFacts`, kept by its match's version: every
    member watching a night fetches the leaderboard after each end, and only
    the match that moved needs reading again (its replay, the member's level
    and their percentile)."""

    def read() -> EntryFacts:
        match = Match.from_dict(entry.state)
        tally = match.archer_tally()
        return EntryFacts(
            ends_shot=match.ends_shot,
            total=tally.total,
            tens=tally.tens,
            xs=tally.xs,
            running=tuple(accumulate(end.total for end in match.archer_ends)),
            share=adjusted_share(night_match, entry.archer_id, match, entry.joined_at),
        )

    return _FACTS.get_or_make((night_id, entry.match_id, entry.version), read)


def leaderboard(
    night: stored.StoredNight,
    viewer_id: int,
    names: Mapping[int, str],
    now: datetime | None = None,
) -> tuple[list[Row], int]:
    """The night's rows as the viewer may see them, ranked, and the ends the
    viewer has shot."""
    closed = state_of(night, now) == "closed"
    entries = stored.entries(night.id)
    night_match = Match.from_dict(night.match)
    facts = {e.archer_id: entry_facts(night.id, night_match, e) for e in entries}
    mine = facts.get(viewer_id)
    your_ends = mine.ends_shot if mine is not None else 0
    ghost_ends = night_match.ghost_round.ends
    rows = []
    for entry in entries:
        if entry.archer_id not in names:  # no longer a member: not shown
            continue
        fact = facts[entry.archer_id]
        ends = fact.ends_shot
        compared = ends if closed else min(ends, your_ends)
        ghost_total = margin = None
        if compared:
            ghost_total = ghost_total_at(night_match, compared)
            margin = fact.running[compared - 1] - ghost_total
        rows.append(
            Row(
                archer_id=entry.archer_id,
                name=names.get(entry.archer_id, "?"),
                you=entry.archer_id == viewer_id,
                ends_shot=ends,
                ends=len(ghost_ends),
                total=fact.total,
                tens=fact.tens,
                xs=fact.xs,
                finished=entry.status in FINISHED,
                compared=compared,
                ghost_total=ghost_total,
                margin=margin,
                percentile=fact.share,
                late=entry.updated_at is not None
                and entry.updated_at > night.closes_at,
                match_id=entry.match_id if entry.archer_id == viewer_id else None,
            )
        )
    _sort(rows, night.ranking)
    return rows, your_ends


def view(
    club_id: str, night_id: str, archer_id: int, now: datetime | None = None
) -> NightView:
    """The night as the member sees it (``LookupError``: not a member, or no
    such night in the club)."""
    role = _role(club_id, archer_id)
    club = store_clubs.load(club_id)
    night = stored.load(club_id, night_id)
    if club is None or night is None:
        raise LookupError(night_id)
    names = {m.archer_id: m.display for m in store_clubs.members(club_id)}
    rows, your_ends = leaderboard(night, archer_id, names, now)
    night_match = Match.from_dict(night.match)
    ref = night_match.round.ref
    return NightView(
        club=club,
        night=night,
        role=role,
        state=state_of(night, now),
        rows=rows,
        ghost_handicap=night_match.ghost.handicap,
        your_match=stored.entry_of(night.id, archer_id),
        your_ends=your_ends,
        format={
            "kind": night_match.kind,
            "round": night_match.round.name,
            "bow": (ref.get("match") or {}).get("bow") or ref.get("bow"),
            "ghost_kind": night_match.ghost.kind,
            "scheme": night_match.ghost.scheme,
        },
    )


def live_version(club_id: str, night_id: str, archer_id: int) -> int:
    """The night's version, for a member's live stream (``LookupError``: not
    a member, or no such night in the club). Only what the stream needs: not
    the leaderboard :func:`view` builds, which on a busy night took a stream
    opened again seconds of a server's time before its first event."""
    _role(club_id, archer_id)
    night = stored.load(club_id, night_id)
    if night is None:
        raise LookupError(night_id)
    return int(night.version)


def night_of_match(viewer: Viewer, match_id: str) -> stored.NightOfMatch | None:
    """For a match page: the night the viewer's match is an entry of."""
    if viewer.archer is None:
        return None
    found = stored.night_of_match(match_id)
    if found is None or found.archer_id != viewer.archer.id:
        return None
    if store_clubs.role_of(found.club_id, viewer.archer.id) is None:
        return None
    return found
