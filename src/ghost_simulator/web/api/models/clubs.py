"""The clubs' requests and answers (``web.api.clubs``), declared once as the
other models are: the API reads and answers with them and the OpenAPI
document publishes their schemas."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, TypeAlias

from pydantic import ConfigDict, Field

from ....store.clubs import ID_LENGTH, ROLES, SHOWN_AS, TOKEN_MAX
from .base import DateTime, Leave, RequestModel, ResponseModel, whole

if TYPE_CHECKING:
    Role: TypeAlias = str
    ShownAs: TypeAlias = str
    Days: TypeAlias = int
else:
    Role = Literal[ROLES]
    ShownAs = Literal[SHOWN_AS]
    Days = whole(Literal[1, 7, 30])

#: The longest club id (the database column's size).
CLUB_ID_LENGTH = ID_LENGTH


# -- requests ----------------------------------------------------------------------


class ClubSetup(RequestModel):
    """A new club: its name, and where it is and what it is, if you like."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"name": "Riverside Archers", "location": "Leeds"},
                {"name": "Tuesday ghosts", "description": "Indoor, 18 m."},
            ]
        }
    )

    name: str = Field(description="1 to 100 characters.")
    location: Leave[str] = Field(None, description="At most 100 characters.")
    description: Leave[str] = Field(None, description="At most 500 characters.")


class InvitationSetup(RequestModel):
    """How long a new invitation stays open."""

    days: Days = Field(7, description="1, 7 or 30 days.")


class JoinRequest(RequestModel):
    """The token of an invitation link (the last part of its address)."""

    token: str = Field(min_length=1, max_length=TOKEN_MAX)


# -- answers -----------------------------------------------------------------------


class ClubMember(ResponseModel):
    """A member as the club sees them: by their name or their initials, as
    they chose."""

    archer_id: int
    shown_as: str = Field(description="Their name or initials, as they chose.")
    role: Role
    shares_history: bool
    joined_at: DateTime


class ClubSummary(ResponseModel):
    id: str
    name: str
    location: str | None
    description: str | None
    role: Role = Field(description="Your role in the club.")
    members: int = Field(description="How many members it has.")
    created_at: DateTime


class ClubList(ResponseModel):
    clubs: list[ClubSummary]


class Club(ResponseModel):
    """A club as its member sees it."""

    id: str
    name: str
    location: str | None
    description: str | None
    role: Role = Field(description="Your role in the club.")
    created_at: DateTime
    members: list[ClubMember]


class Invitation(ResponseModel):
    """A new invitation: its link is shown only this once (only a hash of its
    token is kept)."""

    token: str
    link: str
    expires_at: DateTime
