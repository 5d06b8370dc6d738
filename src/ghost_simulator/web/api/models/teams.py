"""The team matches' requests and answers (``web.api.teams``), declared once
as the other models are: the API reads and answers with them and the OpenAPI
document publishes their schemas."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, TypeAlias

from pydantic import ConfigDict, Field

from ....engine.constants import BOWS, SCHEMES
from ....engine.teams import KINDS
from ....services.teams import TEAMMATE_LEVELS
from .base import DateTime, Leave, Number, RequestModel, ResponseModel

if TYPE_CHECKING:
    Kind: TypeAlias = str
    Bow: TypeAlias = str
    Scheme: TypeAlias = str
    Teammates: TypeAlias = str
    Status: TypeAlias = str
    Closer: TypeAlias = str
else:
    Kind = Literal[KINDS]
    Bow = Literal[BOWS]
    Scheme = Literal[SCHEMES]
    Teammates = Literal[TEAMMATE_LEVELS]
    Status = Literal["in_progress", "shoot_off", "won", "lost"]
    Closer = Literal["archer", "ghost", "equal"]

#: The longest team match id (the database column's size).
TEAM_ID_LENGTH = 32


# -- requests ----------------------------------------------------------------------


class TeamSetup(RequestModel):
    """A new team or mixed-team match: your two arrows an end, ghost
    teammates for the rest of your side, a team of ghosts at a handicap on
    the other."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"kind": "team", "bow": "recurve", "handicap": 40},
                {"kind": "mixed", "bow": "compound", "indoor": True, "handicap": 20},
                {"kind": "team", "teammates": "handicap", "teammate_handicap": 30},
            ]
        }
    )

    kind: Kind = Field(
        "team", description="team: three archers a side; mixed: two a side."
    )
    bow: Bow = "recurve"
    indoor: bool = Field(False, description="Where the match is shot.")
    handicap: Leave[Number] = Field(
        None, description="The opponents' handicap (40 when left out)."
    )
    teammates: Teammates = Field(
        "opponents",
        description=(
            "Your ghost teammates' level: the opponents', yours (your last"
            " finished matches with the bow; needs an archer) or"
            " `teammate_handicap`."
        ),
    )
    teammate_handicap: Leave[Number] = Field(
        None, description="Your teammates' handicap (with teammates=handicap)."
    )
    scheme: Leave[Scheme] = Field(
        None, description="The handicap scheme (by default your profile's, or AGB)."
    )


class TeamEnd(RequestModel):
    """Your two arrows of the next end."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"arrows": ["X", "9"]}]})

    arrows: list[str] = Field(
        max_length=10, description="Your 2 arrows' labels, as the face has them."
    )
    version: Leave[int] = Field(
        None, description="The version you read; another one is refused (409)."
    )


class TeamShootOffEntry(RequestModel):
    """Your shoot-off arrow; or, when the match asks whose arrow was closer,
    the answer (`closer`) for the arrow already entered."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"arrow": "10"}]})

    arrow: str = Field("", max_length=8, description="Your arrow's label.")
    closer: Leave[Closer] = Field(
        None,
        description=(
            "Whose arrow was closer to the centre when the totals tie:"
            " archer (your team), ghost, equal (shoot again)."
        ),
    )
    version: Leave[int] = Field(
        None, description="The version you read; another one is refused (409)."
    )


# -- answers -----------------------------------------------------------------------


class TeamVerdict(ResponseModel):
    status: Status
    finished: bool
    reason: str
    team_points: int | None = Field(description="Set points (null: cumulative).")
    opponent_points: int | None
    team_total: int
    opponent_total: int
    words: str = Field(description="The result in words.")


class TeamSide(ResponseModel):
    archer: list[str] = Field(description="Your arrows.")
    teammates: list[list[str]]
    total: int


class OpponentSide(ResponseModel):
    members: list[list[str]]
    total: int


class TeamEndRow(ResponseModel):
    end: int
    team: TeamSide
    opponents: OpponentSide
    points: list[int] | None = Field(
        description="This set's points (null: cumulative)."
    )
    running: list[int] = Field(description="Set points so far, or totals so far.")


class TeamShootOffRow(ResponseModel):
    archer: str
    teammates: list[str]
    opponents: list[str]
    team_total: int
    opponent_total: int
    closer: str | None
    result: str | None


class TeamLinks(ResponseModel):
    self: str
    page: str
    sheet: str
    ends: str
    shoot_offs: str


class TeamMatch(ResponseModel):
    id: str
    kind: Kind
    bow: Bow
    indoor: bool
    system: Literal["set", "cumulative"]
    status: Status
    version: int
    created_at: DateTime
    verdict: TeamVerdict
    teammates: list[str] = Field(description="Your ghost teammates.")
    opponents: list[str] = Field(description="The ghosts' team.")
    ends: list[TeamEndRow] = Field(description="The ends shot (only those).")
    shoot_offs: list[TeamShootOffRow]
    expected_arrows: int = Field(description="Your arrows in the next end (0: none).")
    needs_closer: bool = Field(
        description="The shoot-off's totals tie: say whose arrow was closer."
    )
    labels: list[str] = Field(description="The face's arrow labels.")
    max_score: int
    seed: int | None = Field(description="Once the match is over.")
    links: TeamLinks


class TeamSummary(ResponseModel):
    id: str
    kind: Kind
    bow: Bow
    indoor: bool
    system: Literal["set", "cumulative"]
    status: Status
    created_at: DateTime
    finished_at: DateTime | None
    links: TeamLinks


class TeamList(ResponseModel):
    team_matches: list[TeamSummary] = Field(
        description="Your team matches, newest first."
    )


__all__ = ["Number"]
