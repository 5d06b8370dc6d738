"""The engine's errors that several of its modules raise."""

from __future__ import annotations

from typing import Any


class GhostError(ValueError):
    """A ghost that cannot be built as asked, and why. ``code`` and ``params``
    name the rule broken, for callers that word it in the user's language."""

    def __init__(self, message: str, code: str = "", **params: Any) -> None:
        super().__init__(message)
        self.code = code
        self.params = params
