"""The postal leagues' requests and answers (``web.api.leagues``), declared
once as the other models are: the API reads and answers with them and the
OpenAPI document publishes their schemas."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, TypeAlias

from pydantic import ConfigDict, Field

from ....services.leagues import (
    CELL_STATES,
    DEFAULT_DAYS,
    FEWEST_DAYS,
    FEWEST_NIGHTS,
    MOST_DAYS,
    MOST_NIGHTS,
    TITLE_MAX,
)
from ....store.leagues import ID_LENGTH
from .base import DateTime, Integer, Leave, ResponseModel
from .nights import NightSetup, Ranking, State

if TYPE_CHECKING:
    CellState: TypeAlias = str
else:
    CellState = Literal[CELL_STATES]

#: The longest league id (the database column's size).
LEAGUE_ID_LENGTH = ID_LENGTH


# -- requests ----------------------------------------------------------------------


class LeagueSetup(NightSetup):
    """A postal league: a ghost night's fields (its title is the league's;
    `opens` and `closes` are the first night's), how many nights, how many
    days apart, and how many of each member's results count."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "title": "Winter league",
                    "nights": 10,
                    "every_days": 7,
                    "best": 8,
                    "kind": "ranking",
                    "indoor": True,
                    "round": "wa18",
                    "handicap": 40,
                    "ranking": "adjusted",
                    "timezone": "Europe/Madrid",
                    "opens": "2030-10-04T19:00",
                    "closes": "2030-10-04T23:00",
                }
            ]
        }
    )

    title: str = Field(
        description=f"1 to {TITLE_MAX} characters; each night is titled with its week."
    )
    nights: Integer = Field(
        ge=FEWEST_NIGHTS, le=MOST_NIGHTS, description="The nights in the season."
    )
    every_days: Leave[Integer] = Field(
        None,
        ge=FEWEST_DAYS,
        le=MOST_DAYS,
        description=(
            f"Days from one night to the next ({DEFAULT_DAYS} when left out);"
            " a night's window is no longer than this."
        ),
    )
    best: Leave[Integer] = Field(
        None,
        ge=1,
        le=MOST_NIGHTS,
        description=(
            "How many of each member's results count, at most `nights` (all"
            " of them when left out)."
        ),
    )


# -- answers -----------------------------------------------------------------------


class LeagueSummary(ResponseModel):
    id: str
    title: str
    ranking: Ranking
    nights: int = Field(description="The nights in the season.")
    best: int = Field(description="How many of each member's results count.")
    every_days: int
    timezone: str
    created_at: DateTime


class LeagueList(ResponseModel):
    leagues: list[LeagueSummary]


class LeagueWeek(ResponseModel):
    week: int
    night_id: str = Field(description="The night: /api/v1/clubs/{club_id}/nights/{id}.")
    title: str
    state: State
    opens_at: DateTime
    closes_at: DateTime


class WeekResult(ResponseModel):
    """A member's week as the caller may see it: a closed night's finished
    match counts; until a night closes only the caller's own result shows."""

    week: int
    state: CellState = Field(
        description=(
            "counted; yours (your result, the night still open); waiting"
            " (another's, shown once the night closes); in_progress;"
            " unfinished (does not count); none."
        )
    )
    result: float | None = Field(
        description="The total, the margin, or the adjusted percentile (0 to 1)."
    )
    best: bool = Field(description="One of the member's results that count.")


class Standing(ResponseModel):
    rank: int | None = Field(description="None: no result counts yet.")
    archer_id: int
    shown_as: str
    you: bool
    counted: int = Field(description="The results that count (at most `best`).")
    season: float | None = Field(
        description=("The sum of the best results (their mean, handicap-adjusted).")
    )
    weeks: list[WeekResult]


class League(LeagueSummary):
    club_id: str
    schedule: list[LeagueWeek]
    standings: list[Standing]
