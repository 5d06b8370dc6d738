"""The database schema. Every change here ships with an Alembic migration."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    false,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Named constraints let Alembic alter them later, SQLite included.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Archer(Base):
    """An account: the archer whose matches and history are kept, and their
    profile (what classifications and their own ghosts are worked out from)."""

    __tablename__ = "archers"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    locale: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    name: Mapped[str | None] = mapped_column(String(100))
    bowstyle: Mapped[str] = mapped_column(String(16), server_default="recurve")
    sex: Mapped[str | None] = mapped_column(String(8))  # "male", "female"
    age_class: Mapped[str] = mapped_column(String(16), server_default="adult")
    season: Mapped[str] = mapped_column(String(8), server_default="outdoor")
    default_round: Mapped[str | None] = mapped_column(String(64))
    scheme: Mapped[str] = mapped_column(String(8), server_default="AGB")

    # SQLite: an id is never given out again, not even a deleted row's.
    __table_args__ = ({"sqlite_autoincrement": True},)


class SignIn(Base):
    """A browser signed in to an account: its session carries a random token,
    kept here only as its SHA-256. It names one account for its whole life and
    ends when that browser signs out, when the archer signs out everywhere
    else or changes their password, or with the account."""

    __tablename__ = "sign_ins"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    archer_id: Mapped[int] = mapped_column(
        ForeignKey("archers.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    #: When the browser was last seen (written at most once a day).
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Match(Base):
    """A match or round against a ghost, stored as the engine's serialised state.

    ``id`` is a random public token (it appears in URLs); ``owner_key`` ties an
    anonymous match to the browser session that started it.
    """

    __tablename__ = "matches"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    owner_key: Mapped[str] = mapped_column(String(64), index=True)
    archer_id: Mapped[int | None] = mapped_column(
        ForeignKey("archers.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[str] = mapped_column(String(32))
    round_code: Mapped[str] = mapped_column(String(64))
    ghost: Mapped[dict[str, Any]] = mapped_column(JSON)
    seed: Mapped[int] = mapped_column(BigInteger)
    state: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default="in_progress")
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )
    # A summary of the state, kept with it so that a history of a thousand
    # rounds is listed without replaying one (see ``store.matches.summary``).
    bow: Mapped[str | None] = mapped_column(String(16))
    half: Mapped[bool] = mapped_column(Boolean, server_default=false())
    ghost_kind: Mapped[str | None] = mapped_column(String(16))
    ghost_handicap: Mapped[float | None] = mapped_column(Float)
    model: Mapped[int | None] = mapped_column(Integer)
    archer_total: Mapped[int | None] = mapped_column(Integer)
    ghost_total: Mapped[int | None] = mapped_column(Integer)
    ends_shot: Mapped[int] = mapped_column(Integer, server_default="0")
    arrows_shot: Mapped[int] = mapped_column(Integer, server_default="0")
    max_score: Mapped[int | None] = mapped_column(Integer)
    archer_handicap: Mapped[float | None] = mapped_column(Float)
    #: A set match's set points (None for other matches).
    archer_set_points: Mapped[int | None] = mapped_column(Integer)
    ghost_set_points: Mapped[int | None] = mapped_column(Integer)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: Bumped by every write: a write is made on the version it was read at
    #: (``UPDATE ... WHERE version = N``), so of two racing writes one loses
    #: openly instead of silently overwriting the other.
    version: Mapped[int] = mapped_column(Integer, server_default="1")
    #: The archer's equipment for it, when they said (``training``'s tables).
    bow_id: Mapped[int | None] = mapped_column(
        ForeignKey("bows.id", ondelete="SET NULL")
    )
    arrow_set_id: Mapped[int | None] = mapped_column(
        ForeignKey("arrow_sets.id", ondelete="SET NULL")
    )

    __table_args__ = (Index("ix_matches_archer_created", "archer_id", "created_at"),)


class EndKey(Base):
    """An end entered with an idempotency key (a phone sending the ends it kept
    while offline): the key, per match, and the end it entered. The same key
    sent again answers the match as it stands instead of entering the end twice."""

    __tablename__ = "end_keys"

    match_id: Mapped[str] = mapped_column(ForeignKey("matches.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    #: The end's number in the match (1-based; a shoot-off arrow counts on).
    end_number: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )

    __table_args__ = (PrimaryKeyConstraint("match_id", "key"),)


class ApiToken(Base):
    """A personal access token for the JSON API: scripts send it as a bearer
    token. Only its SHA-256 is kept; the token itself is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    archer_id: Mapped[int] = mapped_column(
        ForeignKey("archers.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(64))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = ({"sqlite_autoincrement": True},)


# -- the training log (store.training) ---------------------------------------------


class Bow(Base):
    """A bow the archer keeps: its sight marks hang from it."""

    __tablename__ = "bows"

    id: Mapped[int] = mapped_column(primary_key=True)
    archer_id: Mapped[int] = mapped_column(
        ForeignKey("archers.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(64))
    bowstyle: Mapped[str] = mapped_column(String(16))
    #: Draw weight in pounds (at the archer's draw), if they said.
    draw_weight: Mapped[float | None] = mapped_column(Float)
    notes: Mapped[str | None] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )

    __table_args__ = ({"sqlite_autoincrement": True},)


class ArrowSet(Base):
    """A set of arrows: its diameter is what the handicap of a score shot
    with it is worked out with."""

    __tablename__ = "arrow_sets"

    id: Mapped[int] = mapped_column(primary_key=True)
    archer_id: Mapped[int] = mapped_column(
        ForeignKey("archers.id", ondelete="CASCADE"), index=True
    )
    model: Mapped[str] = mapped_column(String(64))
    #: Shaft diameter in millimetres.
    diameter: Mapped[float] = mapped_column(Float)
    count: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str | None] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )

    __table_args__ = ({"sqlite_autoincrement": True},)


class SightMark(Base):
    """A sight mark measured with a bow at a distance, on a day."""

    __tablename__ = "sight_marks"

    id: Mapped[int] = mapped_column(primary_key=True)
    bow_id: Mapped[int] = mapped_column(
        ForeignKey("bows.id", ondelete="CASCADE"), index=True
    )
    distance: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(2))  # "m" or "yd"
    mark: Mapped[float] = mapped_column(Float)
    shot_on: Mapped[date] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )

    __table_args__ = ({"sqlite_autoincrement": True},)


class ArrowEntry(Base):
    """Arrows shot outside a match, counted by hand (sighters, blank bale)."""

    __tablename__ = "arrow_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    archer_id: Mapped[int] = mapped_column(ForeignKey("archers.id", ondelete="CASCADE"))
    shot_on: Mapped[date] = mapped_column(Date)
    arrows: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    notes: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )

    __table_args__ = (
        Index("ix_arrow_entries_archer_day", "archer_id", "shot_on"),
        {"sqlite_autoincrement": True},
    )


# -- ghost ladders (store.ladders) -------------------------------------------------


class Ladder(Base):
    """A ghost ladder: a string of matches of one format whose next ghost is
    chosen to let the archer win ``target`` of them. Owned as matches are (the
    browser's key, and the archer once signed in); its state is rebuilt from
    its finished matches (``services.ladders``)."""

    __tablename__ = "ladders"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    owner_key: Mapped[str] = mapped_column(String(64), index=True)
    archer_id: Mapped[int | None] = mapped_column(
        ForeignKey("archers.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))  # set, cumulative, ranking
    bow: Mapped[str] = mapped_column(String(16))
    indoor: Mapped[bool] = mapped_column(Boolean, server_default=false())
    round_code: Mapped[str | None] = mapped_column(String(64))
    scheme: Mapped[str] = mapped_column(String(8))
    #: The share of matches it aims to let the archer win (0.05 to 0.95).
    target: Mapped[float] = mapped_column(Float)
    #: The level it started from, and where that came from (handicap, score,
    #: history).
    start_level: Mapped[float] = mapped_column(Float)
    start_source: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class LadderMatch(Base):
    """A ladder's match: its place in the ladder and the ghost's handicap."""

    __tablename__ = "ladder_matches"

    ladder_id: Mapped[str] = mapped_column(ForeignKey("ladders.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    match_id: Mapped[str] = mapped_column(
        ForeignKey("matches.id", ondelete="CASCADE"), unique=True
    )
    ghost_handicap: Mapped[float] = mapped_column(Float)

    __table_args__ = (PrimaryKeyConstraint("ladder_id", "number"),)


class CompetitionDay(Base):
    """A competition day: the archer seeded among a field of ghosts by a
    qualification score, then an elimination bracket (``engine.day``). Owned
    as matches are. ``field`` holds the other archers as ``[name, score]``
    pairs; ``archer_score`` is None until the archer's qualification round
    (a match of the day) is finished. The bracket is not stored: it follows
    from the field, the seed and the archer's matches."""

    __tablename__ = "competition_days"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    owner_key: Mapped[str] = mapped_column(String(64), index=True)
    archer_id: Mapped[int | None] = mapped_column(
        ForeignKey("archers.id", ondelete="SET NULL"), index=True
    )
    bow: Mapped[str] = mapped_column(String(16))
    indoor: Mapped[bool] = mapped_column(Boolean, server_default=false())
    round_code: Mapped[str] = mapped_column(String(64))
    scheme: Mapped[str] = mapped_column(String(8))
    seed: Mapped[int] = mapped_column(BigInteger)
    #: Where the field came from: a level ("club", …) or "upload".
    field_source: Mapped[str] = mapped_column(String(16))
    field: Mapped[list[Any]] = mapped_column(JSON)
    archer_name: Mapped[str] = mapped_column(String(100))
    archer_score: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class DayMatch(Base):
    """One of a day's matches: the qualification round ("qualification") or
    an elimination match (its stage, "1/8" … "final", "bronze"), and the seed
    of the ghost it is against (0 for the qualification round)."""

    __tablename__ = "day_matches"

    day_id: Mapped[str] = mapped_column(
        ForeignKey("competition_days.id", ondelete="CASCADE")
    )
    stage: Mapped[str] = mapped_column(String(16))
    match_id: Mapped[str] = mapped_column(
        ForeignKey("matches.id", ondelete="CASCADE"), unique=True
    )
    opponent: Mapped[int] = mapped_column(Integer)

    __table_args__ = (PrimaryKeyConstraint("day_id", "stage"),)


class TeamMatchRow(Base):
    """A team or mixed-team match against ghosts (``engine.teams``): its
    state is ``TeamMatch.to_dict()`` (the archer's entries; every ghost's
    arrows follow from it). Owned as matches are; changed only on the version
    it was read at (``store.teams.save``)."""

    __tablename__ = "team_matches"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    owner_key: Mapped[str] = mapped_column(String(64), index=True)
    archer_id: Mapped[int | None] = mapped_column(
        ForeignKey("archers.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[str] = mapped_column(String(8))  # team, mixed
    bow: Mapped[str] = mapped_column(String(16))
    indoor: Mapped[bool] = mapped_column(Boolean, server_default=false())
    system: Mapped[str] = mapped_column(String(16))  # set, cumulative
    state: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer, server_default="1")
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Club(Base):
    """A club: archers who shoot ghost nights together. Its members and their
    roles are in ``club_members``; deleting a club deletes its members, its
    invitations and its nights, never the matches the members shot (they stay
    in each member's own history)."""

    __tablename__ = "clubs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    location: Mapped[str | None] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class ClubMember(Base):
    """An archer in a club: their role (owner, admin or member) and what the
    other members see of them (their name or initials; their history)."""

    __tablename__ = "club_members"

    club_id: Mapped[str] = mapped_column(
        ForeignKey("clubs.id", ondelete="CASCADE"), index=True
    )
    archer_id: Mapped[int] = mapped_column(
        ForeignKey("archers.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(8))  # owner, admin, member
    #: How the member is named to the club: "initials" (the default) or "name".
    shown_as: Mapped[str] = mapped_column(String(8), server_default="initials")
    #: Whether the club's members may see the member's history.
    shares_history: Mapped[bool] = mapped_column(Boolean, server_default=false())
    joined_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )

    __table_args__ = (PrimaryKeyConstraint("club_id", "archer_id"),)


class ClubInvite(Base):
    """An invitation link to a club: only its token's SHA-256 is kept (the
    link carries the token), with when it expires and whether it was
    revoked."""

    __tablename__ = "club_invites"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    club_id: Mapped[str] = mapped_column(
        ForeignKey("clubs.id", ondelete="CASCADE"), index=True
    )
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("archers.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class GhostNight(Base):
    """A club's ghost night: every member shoots the same format against the
    same ghost with the same seed (the same arrows), between ``opens_at`` and
    ``closes_at`` (shown in ``timezone``), ranked by score, by the margin over
    the ghost or handicap-adjusted. ``version`` goes up with every end a
    member enters, in the same transaction (what a live leaderboard waits
    on)."""

    __tablename__ = "ghost_nights"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    club_id: Mapped[str] = mapped_column(
        ForeignKey("clubs.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(100))
    #: The match every member shoots, before any end: ``Match.to_dict()``.
    match: Mapped[dict[str, Any]] = mapped_column(JSON)
    ranking: Mapped[str] = mapped_column(String(16))  # score, margin, adjusted
    opens_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    closes_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    timezone: Mapped[str] = mapped_column(String(64))
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("archers.id", ondelete="SET NULL")
    )
    version: Mapped[int] = mapped_column(Integer, server_default="0")
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    #: The postal league the night is a week of (None: a night of its own).
    league_id: Mapped[str | None] = mapped_column(
        ForeignKey("leagues.id", ondelete="CASCADE"), index=True
    )
    league_week: Mapped[int | None] = mapped_column(Integer)


class League(Base):
    """A club's postal league: a season of ``nights`` ghost nights, one every
    ``every_days`` days (each night a row of ``ghost_nights`` with its own
    seed), with standings over the season: the best ``best`` results of each
    member, ranked by score, by the margin over the ghost or
    handicap-adjusted. Deleting it deletes its nights and their entries,
    never the members' matches."""

    __tablename__ = "leagues"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    club_id: Mapped[str] = mapped_column(
        ForeignKey("clubs.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(100))
    best: Mapped[int] = mapped_column(Integer)
    ranking: Mapped[str] = mapped_column(String(16))  # score, margin, adjusted
    nights: Mapped[int] = mapped_column(Integer)
    every_days: Mapped[int] = mapped_column(Integer)
    timezone: Mapped[str] = mapped_column(String(64))
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("archers.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class NightEntry(Base):
    """A member's match on a ghost night (an ordinary match of theirs)."""

    __tablename__ = "night_entries"

    night_id: Mapped[str] = mapped_column(
        ForeignKey("ghost_nights.id", ondelete="CASCADE")
    )
    archer_id: Mapped[int] = mapped_column(
        ForeignKey("archers.id", ondelete="CASCADE"), index=True
    )
    match_id: Mapped[str] = mapped_column(
        ForeignKey("matches.id", ondelete="CASCADE"), unique=True
    )
    joined_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )

    __table_args__ = (PrimaryKeyConstraint("night_id", "archer_id"),)


class SharedRound(Base):
    """An archer's finished ranking round shared with a club (its members
    see it) or as a link (only the link token's SHA-256 is kept), until the
    owner revokes it. Matches shot against it keep their ghost."""

    __tablename__ = "shared_rounds"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    archer_id: Mapped[int] = mapped_column(
        ForeignKey("archers.id", ondelete="CASCADE"), index=True
    )
    match_id: Mapped[str] = mapped_column(
        ForeignKey("matches.id", ondelete="CASCADE"), index=True
    )
    club_id: Mapped[str | None] = mapped_column(
        ForeignKey("clubs.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
