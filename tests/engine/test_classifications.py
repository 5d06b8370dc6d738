"""Archery GB classifications: archeryutils' own tables, in our names."""

from __future__ import annotations

import pytest
from archeryutils import classifications as agb

from ghost_simulator.engine.classifications import (
    AGES,
    BOWSTYLES,
    classification_for,
    classification_scores,
    next_classification,
)
from ghost_simulator.engine.constants import BOWS

OUTDOOR_NAMES = [
    "Archer 3rd Class",
    "Archer 2nd Class",
    "Archer 1st Class",
    "Bowman 3rd Class",
    "Bowman 2nd Class",
    "Bowman 1st Class",
    "Master Bowman",
    "Grand Master Bowman",
    "Elite Master Bowman",
]


def test_every_bow_and_age_class_is_mapped() -> None:
    assert set(BOWSTYLES) == set(BOWS)
    assert set(AGES) == {
        "adult",
        "50+",
        "under 21",
        "under 18",
        "under 16",
        "under 15",
        "under 14",
        "under 12",
    }


def test_wa720_recurve_men_match_archeryutils() -> None:
    table = classification_scores("wa720_70", "recurve", "male", "adult")
    expected = agb.agb_outdoor_classification_scores(
        "wa720_70", agb.AGB_bowstyles.RECURVE, agb.AGB_genders.OPEN, agb.AGB_ages.ADULT
    )
    assert [score for _name, score in table] == list(reversed(expected))
    assert [name for name, _score in table] == OUTDOOR_NAMES
    # Easiest first, each harder than the one before.
    scores = [score for _name, score in table]
    assert scores == sorted(scores)
    assert len(set(scores)) == len(scores)


def test_published_hereford_table() -> None:
    """archeryutils' documented example: women's recurve on a Hereford."""
    table = classification_scores("hereford", "recurve", "female", "adult")
    assert [score for _name, score in table] == [
        336,
        466,
        614,
        763,
        900,
        1015,
        1107,
        1178,
        1232,
    ]


def test_indoor_compound_uses_compound_scoring() -> None:
    table = classification_scores("wa18", "compound", "male", "adult")
    expected = agb.agb_indoor_classification_scores(
        "wa18", agb.AGB_bowstyles.COMPOUND, agb.AGB_genders.OPEN, agb.AGB_ages.ADULT
    )
    assert [score for _name, score in table] == list(reversed(expected))
    assert table[0][0] == "Indoor Archer 3"
    assert table[-1][0] == "Indoor Grand Master Bowman"


def test_portsmouth_barebow_under_12_documented_example() -> None:
    table = classification_scores("portsmouth", "barebow", "male", "under 12")
    assert [score for _name, score in table] == [66, 95, 134, 183, 240, 301, 360, 411]


def test_field_rounds() -> None:
    table = classification_scores("wa_field_24_red_marked", "compound", "male", "adult")
    assert [score for _name, score in table] == [
        157,
        204,
        248,
        286,
        318,
        345,
        369,
        391,
        408,
    ]


def test_only_classes_achievable_on_the_round() -> None:
    """Archery GB's example: a Bristol II earns no Bowman class for an adult
    woman (the distances are too short), so only the Archer classes show."""
    table = classification_scores("bristol_ii", "recurve", "female", "adult")
    expected = agb.agb_outdoor_classification_scores(
        "bristol_ii",
        agb.AGB_bowstyles.RECURVE,
        agb.AGB_genders.FEMALE,
        agb.AGB_ages.ADULT,
    )
    achievable = [s for s in reversed(expected) if s >= 0]
    assert [score for _name, score in table] == achievable
    assert len(table) < len(OUTDOOR_NAMES)
    assert [name for name, _score in table] == OUTDOOR_NAMES[: len(table)]


def test_traditional_shoots_barebow_tables_on_target_rounds() -> None:
    assert classification_scores(
        "wa18", "traditional", "female", "adult"
    ) == classification_scores("wa18", "barebow", "female", "adult")


@pytest.mark.parametrize(
    ("score", "expected"),
    [(0, None), (184, None), (185, "Archer 3rd Class"), (600, "Master Bowman")],
)
def test_classification_for(score: int, expected: str | None) -> None:
    assert classification_for(score, "wa720_70", "recurve", "male", "adult") == expected


@pytest.mark.parametrize("score", [150, 300, 450, 552, 600, 640, 700])
def test_classification_for_agrees_with_archeryutils(score: int) -> None:
    theirs = agb.calculate_agb_outdoor_classification(
        score,
        "wa720_70",
        agb.AGB_bowstyles.RECURVE,
        agb.AGB_genders.OPEN,
        agb.AGB_ages.ADULT,
    )
    short = dict(
        zip(
            ["EMB", "GMB", "MB", "B1", "B2", "B3", "A1", "A2", "A3"],
            reversed(OUTDOOR_NAMES),
            strict=True,
        )
    )
    ours = classification_for(score, "wa720_70", "recurve", "male", "adult")
    assert ours == short.get(theirs)


def test_next_classification() -> None:
    table = dict(classification_scores("wa720_70", "recurve", "male", "adult"))
    mb, gmb = table["Master Bowman"], table["Grand Master Bowman"]
    assert next_classification(mb, "wa720_70", "recurve", "male", "adult") == (
        "Grand Master Bowman",
        gmb - mb,
    )
    assert next_classification(mb - 1, "wa720_70", "recurve", "male", "adult") == (
        "Master Bowman",
        1,
    )
    assert next_classification(0, "wa720_70", "recurve", "male", "adult") == (
        "Archer 3rd Class",
        table["Archer 3rd Class"],
    )
    assert next_classification(720, "wa720_70", "recurve", "male", "adult") is None


@pytest.mark.parametrize(
    ("round_code", "sex", "age"),
    [
        ("match_recurve_outdoor", "male", "adult"),  # a match format
        ("custom", "male", "adult"),
        ("wa18", None, "adult"),  # sex not given
        ("wa18", "", "adult"),
        ("wa18", "female", None),  # age not given
    ],
)
def test_unknown_combinations_give_nothing(
    round_code: str, sex: str | None, age: str | None
) -> None:
    assert classification_scores(round_code, "recurve", sex, age) == []
    assert classification_for(500, round_code, "recurve", sex, age) is None
    assert next_classification(500, round_code, "recurve", sex, age) is None


def test_age_names_are_forgiving() -> None:
    assert classification_scores(
        "wa18", "recurve", "male", "Under 18"
    ) == classification_scores("wa18", "recurve", "male", "under_18")


@pytest.mark.parametrize(
    ("bow", "sex", "age", "message"),
    [
        ("crossbow", "male", "adult", "Unknown bowstyle 'crossbow'"),
        ("recurve", "male", "veteran", "Unknown age class 'veteran'"),
        ("recurve", "other", "adult", "Unknown sex 'other'"),
    ],
)
def test_bad_profiles_raise_clear_errors(
    bow: str, sex: str, age: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        classification_scores("wa18", bow, sex, age)
    with pytest.raises(ValueError, match=message):
        next_classification(400, "wa18", bow, sex, age)
