"""Archery GB classifications: the score each class needs on a round, for an
archer's bowstyle, sex and age group.

The tables are archeryutils' (``archeryutils.classifications``), which work
them out from the Archery GB handicap scheme as Archery GB's Shooting
Administrative Procedures (SAP7) set them: a handicap per class, shifted by
bowstyle, age and sex, turned into the score that handicap earns on the round,
with the rules on distances and prestige rounds applied. Which system applies
follows from the round: outdoor target rounds (Archer 3rd Class to Elite Master
Bowman), indoor rounds (Indoor Archer 3 to Indoor Grand Master Bowman) and WA
field rounds (the outdoor classes).

Our bows map onto Archery GB's bowstyles by name. Where a system has no class
for a bowstyle, archeryutils' own ``coax_*_group`` rule says whom the archer
shoots against: traditional (and flatbow) archers take barebow's tables on
indoor and outdoor target rounds, and have their own on field rounds.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from archeryutils import classifications as agb
from archeryutils.classifications import (
    agb_field_classifications,
    agb_indoor_classifications,
    agb_outdoor_classifications,
)
from archeryutils.classifications.classification_utils import read_classes_json

from .constants import BOWS

#: Our bows as Archery GB names them.
BOWSTYLES: dict[str, agb.AGB_bowstyles] = {
    "recurve": agb.AGB_bowstyles.RECURVE,
    "compound": agb.AGB_bowstyles.COMPOUND,
    "barebow": agb.AGB_bowstyles.BAREBOW,
    "longbow": agb.AGB_bowstyles.LONGBOW,
    "traditional": agb.AGB_bowstyles.TRADITIONAL,
}

#: Archery GB's classes are by sex: "open" since 2025 (the men's tables, as
#: before), and women's.
GENDERS: dict[str, agb.AGB_genders] = {
    "male": agb.AGB_genders.OPEN,
    "open": agb.AGB_genders.OPEN,
    "female": agb.AGB_genders.FEMALE,
}

#: Age groups by the names Archery GB (and archeryutils) give them, in lower
#: case: "adult", "50+", "under 21", "under 18" ... "under 12".
AGES: dict[str, agb.AGB_ages] = {
    "50+": agb.AGB_ages.OVER_50,
    "adult": agb.AGB_ages.ADULT,
    "under 21": agb.AGB_ages.UNDER_21,
    "under 18": agb.AGB_ages.UNDER_18,
    "under 16": agb.AGB_ages.UNDER_16,
    "under 15": agb.AGB_ages.UNDER_15,
    "under 14": agb.AGB_ages.UNDER_14,
    "under 12": agb.AGB_ages.UNDER_12,
}

#: archeryutils' mark for a class that cannot be earned on a round.
IMPOSSIBLE = -9999


@dataclass(frozen=True)
class _System:
    """One of Archery GB's classification systems, as archeryutils runs it."""

    rounds: frozenset[str]
    scores: Callable[..., list[int]]
    coax: Callable[..., Any]
    names: tuple[str, ...]  # the classes' full names, hardest first


@cache
def _systems() -> tuple[_System, ...]:
    outdoor = read_classes_json("agb_outdoor")["classes_long"]
    indoor = read_classes_json("agb_indoor")["classes_long"]
    field = read_classes_json("agb_field")["classes_long"]
    return (
        _System(
            frozenset(agb_outdoor_classifications.ALL_OUTDOOR_ROUNDS),
            agb.agb_outdoor_classification_scores,
            agb.coax_outdoor_group,
            tuple(outdoor),
        ),
        _System(
            frozenset(agb_indoor_classifications.ALL_INDOOR_ROUNDS),
            agb.agb_indoor_classification_scores,
            agb.coax_indoor_group,
            tuple(indoor),
        ),
        _System(
            frozenset(agb_field_classifications.ALL_FIELD_ROUNDS),
            agb.agb_field_classification_scores,
            agb.coax_field_group,
            tuple(field),
        ),
    )


def _system(round_codename: str) -> _System | None:
    for system in _systems():
        if round_codename in system.rounds:
            return system
    return None


def agb_bowstyle(bow: str) -> agb.AGB_bowstyles:
    """Archery GB's bowstyle for one of our bows."""
    try:
        return BOWSTYLES[bow]
    except (KeyError, TypeError):
        raise ValueError(
            f"Unknown bowstyle {bow!r}: choose one of {', '.join(BOWS)}."
        ) from None


def agb_age_group(age_class: str) -> agb.AGB_ages:
    """Archery GB's age group by its name ("adult", "50+", "under 18"...)."""
    key = " ".join(str(age_class).lower().replace("_", " ").split())
    try:
        return AGES[key]
    except KeyError:
        raise ValueError(
            f"Unknown age class {age_class!r}: choose one of {', '.join(AGES)}."
        ) from None


def agb_gender(sex: str) -> agb.AGB_genders:
    """Archery GB's gender group for our sex ("male" shoots the open tables)."""
    try:
        return GENDERS[str(sex).lower()]
    except KeyError:
        raise ValueError(
            f"Unknown sex {sex!r} for Archery GB classifications: 'male' (open)"
            " or 'female'."
        ) from None


def classification_scores(
    round_codename: str, bowstyle: str, sex: str | None, age_class: str | None
) -> list[tuple[str, int]]:
    """The classes an archer can earn on the round, each with the least score
    that earns it, from the easiest to the hardest.

    Empty when the round has no Archery GB classifications (a half round, a
    match, a round of another federation) or the archer's sex or age class is
    not given. An unknown bowstyle or age class raises ``ValueError``.
    """
    bow = agb_bowstyle(bowstyle)
    age = agb_age_group(age_class) if age_class else None
    if sex is None or sex == "" or age is None:
        return []
    return list(_scores(round_codename, bow, agb_gender(sex), age))


@cache
def _scores(
    round_codename: str,
    bow: agb.AGB_bowstyles,
    sex: agb.AGB_genders,
    age: agb.AGB_ages,
) -> tuple[tuple[str, int], ...]:
    system = _system(round_codename)
    if system is None:
        return ()
    group = system.coax(bow, sex, age)
    scores = system.scores(
        round_codename, group["bowstyle"], group["gender"], group["age_group"]
    )
    earned = [
        (name, int(score))
        for name, score in zip(system.names, scores, strict=True)
        if score != IMPOSSIBLE and score >= 0
    ]
    return tuple(reversed(earned))


def classification_for(
    score: float,
    round_codename: str,
    bowstyle: str,
    sex: str | None,
    age_class: str | None,
) -> str | None:
    """The highest class the score earns on the round, or None (no class
    earned, or none to earn: see ``classification_scores``)."""
    earned = None
    for name, least in classification_scores(round_codename, bowstyle, sex, age_class):
        if score >= least:
            earned = name
    return earned


def next_classification(
    score: float,
    round_codename: str,
    bowstyle: str,
    sex: str | None,
    age_class: str | None,
) -> tuple[str, int] | None:
    """The next class above what the score earns on the round, and how many
    more points it needs; None above the hardest class on the round, or when
    there are no classes to earn."""
    for name, least in classification_scores(round_codename, bowstyle, sex, age_class):
        if score < least:
            return name, math.ceil(least - score)
    return None
