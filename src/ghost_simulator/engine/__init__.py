"""The archery domain in plain Python: faces, rounds, the handicap ghost,
matches and odds. No Flask and no database here; the web layer and the CLI call
into it.

Names are imported on first use, so that importing a light module such as
``engine.constants`` does not load NumPy and archeryutils.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "Face": "faces",
    "Zone": "faces",
    "Ghost": "ghost",
    "GhostError": "ghost",
    "GhostRound": "ghost",
    "HandicapError": "handicaps",
    "expected_score": "handicaps",
    "handicap_for_score": "handicaps",
    "Match": "matches",
    "MatchError": "matches",
    "Verdict": "matches",
    "match_round": "matches",
    "set_points": "matches",
    "Odds": "odds",
    "Preset": "presets",
    "all_presets": "presets",
    "get_preset": "presets",
    "Distance": "rounds",
    "Round": "rounds",
    "RoundError": "rounds",
    "custom_round": "rounds",
    "get_round": "rounds",
    "search_rounds": "rounds",
    "Arrow": "scoring",
    "End": "scoring",
    "Tally": "scoring",
}

__all__ = [
    "Arrow",
    "Distance",
    "End",
    "Face",
    "Ghost",
    "GhostError",
    "GhostRound",
    "HandicapError",
    "Match",
    "MatchError",
    "Odds",
    "Preset",
    "Round",
    "RoundError",
    "Tally",
    "Verdict",
    "Zone",
    "all_presets",
    "custom_round",
    "expected_score",
    "get_preset",
    "get_round",
    "handicap_for_score",
    "match_round",
    "search_rounds",
    "set_points",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:
    from .faces import Face, Zone
    from .ghost import Ghost, GhostError, GhostRound
    from .handicaps import HandicapError, expected_score, handicap_for_score
    from .matches import Match, MatchError, Verdict, match_round, set_points
    from .odds import Odds
    from .presets import Preset, all_presets, get_preset
    from .rounds import (
        Distance,
        Round,
        RoundError,
        custom_round,
        get_round,
        search_rounds,
    )
    from .scoring import Arrow, End, Tally
