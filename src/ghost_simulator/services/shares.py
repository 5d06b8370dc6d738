"""Sharing a finished ranking round with a club or as a link, and shooting
against a round shared with you: an ordinary match of your own whose ghost
replays the friend's arrows end by end. Nothing of the owner's other matches
or history is ever read."""

from __future__ import annotations

from dataclasses import dataclass

from ..engine import Ghost, Match
from ..store import clubs as stored_clubs
from ..store import matches as stored_matches
from ..store import shares as stored
from ..store.shares import MAX_SHARES, Share
from . import play
from .viewers import Viewer

__all__ = ["MAX_SHARES", "Share", "ShareError", "share", "shoot_against"]


class ShareError(Exception):
    """Why a round cannot be shared (``code``: ``missing`` is a 404; the
    others are refusals with a sentence)."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Shared:
    share_id: str
    token: str | None


def share(archer_id: int, match_id: str, club_id: str | None) -> Shared:
    """Share one of the archer's finished ranking rounds with one of their
    clubs (``club_id``) or as a link (None)."""
    found = stored_matches.load_own(match_id, archer_id)
    if found is None:
        raise ShareError("No such round.", "missing")
    if found.state.get("kind") != "ranking" or "match" in found.state.get("round", {}):
        raise ShareError(
            "Only a ranking round can be shared, not a match.", "not_round"
        )
    if found.status not in stored_matches.FINISHED:
        raise ShareError("Only a finished round can be shared.", "not_finished")
    if club_id is not None and stored_clubs.role_of(club_id, archer_id) is None:
        raise ShareError("No such club.", "no_club")
    if club_id is not None:  # shared with that club already: the same share
        for known in stored.of_archer(archer_id):
            if known.live and known.match_id == match_id and known.club_id == club_id:
                return Shared(known.id, None)
    if stored.count(archer_id) >= MAX_SHARES:
        raise ShareError(
            f"You have {MAX_SHARES:,} shares: delete old ones first.", "too_many"
        )
    share_id, token = stored.create(archer_id, match_id, club_id)
    return Shared(share_id, token)


def for_member(club_id: str, archer_id: int) -> list[Share] | None:
    """The club's shared rounds for a member (None: not a member)."""
    if stored_clubs.role_of(club_id, archer_id) is None:
        return None
    return stored.in_club(club_id)


def shown_as(share: Share) -> str:
    """Who shared it, as its recipients see them: as the club sees them, or
    (a link) their initials only."""
    if share.club_id is not None:
        for member in stored_clubs.members(share.club_id):
            if member.archer_id == share.archer_id:
                return member.display
    return share.owner_initials


def shoot_against(viewer: Viewer, share: Share) -> str | None:
    """Start the viewer's match against the shared round: the same round,
    the friend's arrows as a replay ghost; its id (None: the round is gone)."""
    found = stored_matches.load_own(share.match_id, share.archer_id)
    if found is None:
        return None
    past = Match.from_dict(found.state)
    ghost = Ghost.from_past(
        past,
        shared=share.id,
        by=shown_as(share),
        date=found.created_at.date().isoformat(),
    )
    match = Match(past.kind, past.round, ghost, play.new_seed())
    return play.start(viewer, match)


def round_name(share: Share) -> str:
    """The shared round's readable name (its code if it is not known)."""
    from ..engine import rounds

    try:
        return rounds.get_round(share.round_code).name
    except Exception:  # a round no longer in the catalogue: its code
        return share.round_code


def mine(archer_id: int) -> list[Share]:
    return stored.of_archer(archer_id)


def by_token(token: str) -> Share | None:
    return stored.by_token(token)


def in_club(club_id: str, archer_id: int, share_id: str) -> Share | None:
    """One of the club's live shares, for a member (None otherwise)."""
    if stored_clubs.role_of(club_id, archer_id) is None:
        return None
    return stored.in_club_one(club_id, share_id)


def revoke(archer_id: int, share_id: str) -> bool:
    return stored.revoke(archer_id, share_id)


def clubs_to_share_with(archer_id: int) -> list[stored_clubs.Membership]:
    return stored_clubs.clubs_of(archer_id)
