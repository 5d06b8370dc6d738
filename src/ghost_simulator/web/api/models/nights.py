"""The ghost nights' requests and answers (``web.api.nights``), declared once
as the other models are: the API reads and answers with them and the OpenAPI
document publishes their schemas."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, TypeAlias

from pydantic import ConfigDict, Field

from ....engine.constants import BOWS
from ....services.nights import NIGHT_GHOSTS, RANKINGS
from ....store.nights import ID_LENGTH
from .base import DateTime, Leave, Number, RequestModel, ResponseModel

if TYPE_CHECKING:
    Kind: TypeAlias = str
    Bow: TypeAlias = str
    GhostKind: TypeAlias = str
    Ranking: TypeAlias = str
    State: TypeAlias = str
else:
    Kind = Literal["set", "cumulative", "ranking"]
    Bow = Literal[BOWS]
    GhostKind = Literal[NIGHT_GHOSTS]
    Ranking = Literal[RANKINGS]
    State = Literal["upcoming", "open", "closed"]

#: The longest night id (the database column's size).
NIGHT_ID_LENGTH = ID_LENGTH
_LOCAL: dict[str, Any] = {"minLength": 1, "maxLength": 32}


# -- requests ----------------------------------------------------------------------


class NightSetup(RequestModel):
    """A ghost night: its title, what is shot against which ghost, its window
    in local time in a timezone, and how it is ranked."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "title": "Friday ghost",
                    "kind": "ranking",
                    "indoor": True,
                    "round": "wa18",
                    "handicap": 40,
                    "timezone": "Europe/Madrid",
                    "opens": "2030-06-07T19:00",
                    "closes": "2030-06-07T23:00",
                }
            ]
        }
    )

    title: str = Field(description="1 to 100 characters.")
    kind: Kind = Field(
        "ranking", description="set, cumulative, or ranking (a ranking round)."
    )
    bow: Bow = "recurve"
    indoor: bool = Field(False, description="Where it is shot.")
    round: Leave[str] = Field(
        None, max_length=64, description="A ranking round's codename."
    )
    ghost: GhostKind = Field("handicap", description="How the ghost is defined.")
    handicap: Leave[Number] = Field(None, description="The ghost's handicap.")
    score: Leave[Number] = Field(None, description="The ghost's score on the round.")
    preset: Leave[str] = Field(None, max_length=100, description="A preset's name.")
    ranking: Ranking = Field(
        "score",
        description=(
            "score; margin (over the ghost); adjusted (each member's total as a"
            " percentile of what their own level expects)."
        ),
    )
    timezone: str = Field("UTC", max_length=64, description="An IANA timezone name.")
    opens: str = Field(
        description="Local date-time (YYYY-MM-DDTHH:MM) in `timezone`.",
        json_schema_extra=_LOCAL,
    )
    closes: str = Field(
        description=(
            "Local date-time in `timezone`: after `opens`, in the future, at"
            " most 14 days after it opens."
        ),
        json_schema_extra=_LOCAL,
    )


# -- answers -----------------------------------------------------------------------


class NightSummary(ResponseModel):
    id: str
    title: str
    ranking: Ranking
    state: State
    opens_at: DateTime
    closes_at: DateTime
    timezone: str


class NightList(ResponseModel):
    nights: list[NightSummary]


class LeaderboardRow(ResponseModel):
    """A member as the caller may see them: the ghost's total and the margin
    only as far as the caller has shot themselves (all once closed)."""

    rank: int
    archer_id: int
    shown_as: str
    you: bool
    ends_shot: int
    total: int
    finished: bool
    compared_ends: int = Field(description="The ends the ghost's total is at.")
    ghost_total: int | None
    margin: int | None
    percentile: float | None = Field(
        description="The total's place in the member's own expected distribution."
    )
    late: bool = Field(description="Sent after the close, shot in time.")


class Night(NightSummary):
    club_id: str
    version: int = Field(description="Goes up with every end entered.")
    round_name: str
    ghost_handicap: float | None
    your_match: str | None = Field(description="Your match's id, once joined.")
    leaderboard: list[LeaderboardRow]


class NightEntry(ResponseModel):
    match_id: str
    match: str = Field(description="The match's address in the API.")
