"""The bow and arrows a new match is shot with: the archer's own, chosen by
their ids; the arrows' diameter is what the handicap a score earns is worked
out with."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from ..store import training as stored
from ..store.models import Archer, ArrowSet, Bow
from .numbers import parse_id


@dataclass
class Chosen:
    """The bow and arrows a new match is shot with, as the form chose them."""

    archer_id: int | None = None
    bow: Bow | None = None
    arrow_set: ArrowSet | None = None

    def apply(self, match: Any) -> Any:
        """The match, with the arrows' diameter to work its handicap out with."""
        if self.arrow_set is not None:
            match.arrow_diameter = self.arrow_set.diameter / 1000
        return match

    def record(self, match_id: str) -> None:
        if self.archer_id is not None and (self.bow or self.arrow_set):
            stored.record_equipment(
                match_id,
                self.archer_id,
                self.bow.id if self.bow else None,
                self.arrow_set.id if self.arrow_set else None,
            )


def chosen_equipment(
    archer: Archer | None, form: Mapping[str, str], errors: dict[str, str]
) -> Chosen:
    """Read a new match's bow and arrows (``bow_id``, ``arrow_set_id``: the
    archer's own, or none); a choice that is not theirs adds its message to
    ``errors``."""
    if archer is None:
        return Chosen()
    chosen = Chosen(archer.id)
    bow_text = (form.get("bow_id") or "").strip()
    if bow_text:
        chosen.bow = (
            stored.bow(archer.id, bow_id) if (bow_id := parse_id(bow_text)) else None
        )
        if chosen.bow is None:
            errors["bow_id"] = _("Choose one of your bows, or none.")
    arrows_text = (form.get("arrow_set_id") or "").strip()
    if arrows_text:
        chosen.arrow_set = (
            stored.arrow_set(archer.id, set_id)
            if (set_id := parse_id(arrows_text))
            else None
        )
        if chosen.arrow_set is None:
            errors["arrow_set_id"] = _("Choose one of your arrow sets, or none.")
    return chosen
