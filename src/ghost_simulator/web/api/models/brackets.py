"""The bracket simulation's request and answer (``web.api.brackets``),
declared once as the other models are: the API reads and answers with them
and the OpenAPI document publishes their schemas."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, TypeAlias

from pydantic import ConfigDict, Field

from ....engine.constants import BOWS, MAX_SEED, SCHEMES
from ....engine.field import LONGEST_NAME
from .base import Integer, Leave, Number, RequestModel, ResponseModel

if TYPE_CHECKING:
    Bow: TypeAlias = str
    Scheme: TypeAlias = str
    System: TypeAlias = str
else:
    Bow = Literal[BOWS]
    Scheme = Literal[SCHEMES]
    System = Literal["set", "cumulative"]

#: The API's limits (the command line takes 256 archers and 10,000 runs):
#: a simulation answered while the caller waits.
LARGEST_API_FIELD = 64
MOST_API_RUNS = 200


# -- the request -------------------------------------------------------------------


class FieldArcher(RequestModel):
    name: str = Field(min_length=1, max_length=LONGEST_NAME)
    score: Number = Field(
        ge=0, description="The qualification score (at most the round's maximum)."
    )


class BracketSetup(RequestModel):
    """A field and how to shoot its bracket."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "field": [
                        {"name": "Ada", "score": 655},
                        {"name": "Ben", "score": 640},
                    ],
                    "round": "wa720_70",
                    "bow": "recurve",
                    "runs": 20,
                    "seed": 1,
                }
            ]
        }
    )

    field: list[FieldArcher] = Field(
        min_length=2,
        max_length=LARGEST_API_FIELD,
        description=(
            "The archers and their qualification scores, seeded by score (ties"
            " in the list's order); names are not repeated."
        ),
    )
    round: str = Field(
        min_length=1,
        max_length=64,
        description="The qualification round's code (GET /api/v1/rounds).",
    )
    bow: Bow = Field(
        "recurve",
        description="compound: cumulative matches; the other bows: the set system.",
    )
    runs: Integer = Field(
        100, ge=1, le=MOST_API_RUNS, description="How many times to shoot it."
    )
    seed: Leave[Integer] = Field(
        None,
        ge=0,
        le=MAX_SEED,
        description="Replays the same figures (random if left out).",
    )
    scheme: Leave[Scheme] = Field(None, description="The handicap scheme (AGB).")


# -- the answer --------------------------------------------------------------------


class BracketMatches(ResponseModel):
    per_run: int = Field(description="Matches shot in one bracket (byes not).")
    total: int


class GapRate(ResponseModel):
    matches: int
    rate: Number | None = Field(
        description="The higher seed's share of wins (null: no such match)."
    )


class GapRates(ResponseModel):
    model_config = ConfigDict(extra="forbid", serialize_by_alias=True)

    near: GapRate = Field(alias="1-4", description="Seeds 1 to 4 places apart.")
    close: GapRate = Field(alias="5-16", description="5 to 16 places apart.")
    far: GapRate = Field(alias="17-40", description="17 to 40 places apart.")
    farthest: GapRate = Field(alias="41+", description="41 or more places apart.")


class FieldFigures(ResponseModel):
    mean_score: Number
    score_sd: Number = Field(description="The scores' standard deviation.")
    noise_sd: Number = Field(
        description="The model's round-to-round spread of a score (on average)."
    )
    true_sd: Number = Field(description="The spread of the true levels' scores.")


class SeedFigures(ResponseModel):
    seed: int
    name: str
    score: Number
    score_level: Number = Field(description="The handicap the score earns.")
    level: Number = Field(
        description="The estimated true level (a handicap): the score's luck taken out."
    )
    level_score: Number = Field(description="The estimated true expected score.")
    level_score_sd: Number = Field(description="Its uncertainty (points).")
    wins: int
    win_share: Number
    finals: int
    final_share: Number


class BracketFigures(ResponseModel):
    round: str
    round_name: str
    bow: Bow
    scheme: Scheme
    system: System
    indoor: bool
    field: int = Field(description="Archers in the field.")
    runs: int
    seed: int
    matches: BracketMatches
    shoot_offs: int
    shoot_off_rate: Number
    higher_seed_win_rate: Number | None
    higher_seed_win_rate_by_gap: GapRates
    field_estimate: FieldFigures
    seeds: list[SeedFigures] = Field(description="By seed, 1 first.")
