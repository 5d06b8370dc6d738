"""The signed-in archer's own past, as the new-match form uses it: a past round
to replay, their level on a round, the next classification to aim at."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..store import matches as stored
from ..store.models import Archer
from .setups import PastMatch


class ArcherHistory:
    """``setup.OwnHistory`` over the store, for one archer."""

    def __init__(self, archer: Archer) -> None:
        self.archer = archer
        self._spreads: dict[tuple[int, str], Any] = {}

    def past_match(self, ref: str, round_code: str, half: bool) -> PastMatch | None:
        from ..engine import Match

        if ref == "best":
            best = stored.personal_best(self.archer.id, round_code, half)
            if best is None:
                return None
            ref = best.id
        found = stored.load_own(ref, self.archer.id)
        if found is None:
            return None
        return PastMatch(
            ref, found.created_at.date().isoformat(), Match.from_dict(found.state)
        )

    def level_ghost(
        self,
        round_code: str,
        half: bool,
        method: str,
        scheme: str,
        options: dict[str, Any],
    ) -> Any:
        from ..engine import Ghost, GhostError
        from ..engine.handicaps import scheme as handicap_scheme

        earned = stored.earned_handicaps(self.archer.id, round_code, half)
        if not earned:
            raise GhostError(
                "You have no finished rounds on this round yet.", "no_history"
            )
        if method == "best":
            lower_is_better = handicap_scheme(scheme).desc_scale
            level = min(earned) if lower_is_better else max(earned)
        else:
            recent = method in ("last5", "like_me")
            level = float(np.mean(earned[-5:] if recent else earned))
        source = {"method": method, "round": round_code, "rounds": len(earned)}
        if method == "like_me":
            # Their recent level on this round, and their own spread.
            spread = self.spread(scheme)
            assert spread is not None  # they have a finished round here
            source |= {"spread_rounds": spread.rounds, "own_spread": spread.own}
            return Ghost(
                "history",
                level,
                scheme,
                spread.form,
                source=source,
                drift=spread.drift,
                **options,
            )
        return Ghost("history", level, scheme, source=source, **options)

    def spread(self, scheme: str) -> Any:
        from .spread import own_spread

        key = (self.archer.id, scheme)
        if key not in self._spreads:
            self._spreads[key] = own_spread(self.archer.id, scheme)
        return self._spreads[key]

    def next_classification(self, rnd: Any, bow: str) -> tuple[str, int] | None:
        try:
            from ..engine.classifications import next_classification
        except ImportError:  # pragma: no cover - arrives with the history pages
            return None
        if rnd.ref.get("half"):
            return None  # classifications are earned on whole rounds
        code = rnd.ref.get("codename") or rnd.codename
        best = stored.personal_best(self.archer.id, code, False)
        score = best.archer_total if best is not None else 0
        try:
            found = next_classification(
                score, code, bow, self.archer.sex, self.archer.age_class
            )
        except ValueError:
            return None
        if found is None:
            return None
        name, more = found
        return name, score + more
