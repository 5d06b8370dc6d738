"""Who is asking: a browser (its key to the matches it played, and the archer
signed in on it, if any) or a script acting for an archer with a token.

The web layer works this out from the request; everything below takes it as
a plain value.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from ..store import matches as stored
from ..store.models import Archer
from .own_history import ArcherHistory


@dataclass(frozen=True)
class Viewer:
    """A browser and whoever is signed in on it; or, with ``by_token``, a
    script acting for the archer (its matches are the archer's alone: the key
    it is given is never shown)."""

    browser_key: str
    archer: Archer | None = None
    by_token: bool = False

    @classmethod
    def for_token(cls, archer: Archer) -> Viewer:
        return cls(secrets.token_urlsafe(24), archer, by_token=True)

    @property
    def owner(self) -> stored.Owner:
        """Whose matches this viewer may see and change."""
        return stored.Owner(
            self.browser_key, self.archer.id if self.archer is not None else None
        )

    @property
    def history(self) -> ArcherHistory | None:
        """The archer's own past, for ghosts made from it (None: a visitor)."""
        return ArcherHistory(self.archer) if self.archer is not None else None
