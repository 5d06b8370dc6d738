"""The shared rounds' requests and answers (``web.api.shares``), declared
once as the other models are."""

from __future__ import annotations

from pydantic import ConfigDict, Field

from ....store.clubs import ID_LENGTH, TOKEN_MAX
from .base import DateTime, Leave, RequestModel, ResponseModel

#: The longest share id (the database column's size).
SHARE_ID_LENGTH = 32
#: The longest link token looked up.
SHARE_TOKEN_LENGTH = TOKEN_MAX


class ShareSetup(RequestModel):
    """What to share (one of your finished ranking rounds) and with whom:
    one of your clubs (``club_id``) or anyone with the link (``link``)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"match_id": "abcdefghijklmnopqrstuv", "link": True},
                {"match_id": "abcdefghijklmnopqrstuv", "club_id": "club-id"},
            ]
        }
    )

    match_id: str = Field(min_length=1, max_length=32)
    club_id: Leave[str] = Field(
        None, min_length=1, max_length=ID_LENGTH, description="One of your clubs."
    )
    link: bool = Field(False, description="Share as a link instead of with a club.")


class Share(ResponseModel):
    """One of your shares (its link's token is never kept: see ``link`` in
    the answer that made it)."""

    id: str
    match_id: str
    round: str
    total: int
    club_id: str | None = Field(description="The club it is shared with, if any.")
    created_at: DateTime
    revoked_at: DateTime | None


class NewShare(Share):
    """A new share: a link's address is answered only this once."""

    link: str | None = Field(description="The link (null for a club).")


class ShareList(ResponseModel):
    shares: list[Share]
