"""A field of archers: read from a CSV file, seeded, its levels estimated with
the qualification round's noise in mind (and that estimate better than the
raw handicaps), and its bracket shot out many times."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ghost_simulator.engine import Ghost
from ghost_simulator.engine.competition import (
    GAPS,
    CompetitionError,
    gap_label,
    simulate_bracket,
)
from ghost_simulator.engine.field import (
    TRUE_VARIANCE_FLOOR,
    Entry,
    FieldError,
    check_field,
    estimate_field,
    read_field,
    seed_order,
)
from ghost_simulator.engine.rounds import get_round

WA70 = get_round("wa720_70", bow="recurve")
WA18C = get_round("wa18", bow="compound")


def entries(*scores: float) -> list[Entry]:
    return [Entry(f"A{i}", s, i + 2) for i, s in enumerate(scores)]


# -- reading ------------------------------------------------------------------------


def test_a_field_file_is_read_and_seeded_by_score_ties_in_file_order() -> None:
    text = (
        "\ufeffClub, Score ,Name\n"
        "North,612,Ada\n"
        "\n"
        "South,640,Ben\n"
        'East,612,"Cas, Jr"\n'
        "West,590.5,Dee\n"
    )
    read = read_field(text.encode("utf-8"), WA70.max_score)
    assert [(e.name, e.score, e.place) for e in read] == [
        ("Ada", 612, 2),
        ("Ben", 640, 4),
        ("Cas, Jr", 612, 5),
        ("Dee", 590.5, 6),
    ]
    assert [e.name for e in seed_order(read)] == ["Ben", "Ada", "Cas, Jr", "Dee"]


def _many(count: int) -> str:
    return "name,score\n" + "".join(f"A{i},{500 + i % 50}\n" for i in range(count))


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (b"", "The field file is empty"),
        (b"  \n\n", "The field file is empty"),
        (b"Ada,600\nBen,500\n", "Line 1: the first line is a header"),
        (b"archer,total\nAda,600\n", "Line 1: the first line is a header"),
        (b"name,score\n", "a header and no archers"),
        (
            b"name,score\nAda,600\nBen,lots\n",
            "Line 3: the score 'lots' is not a number",
        ),
        (b"name,score\nAda,600\nBen,\n", "Line 3: the score '' is not a number"),
        (b"name,score\nAda,600\nBen\n", "Line 3: a name and a score are needed"),
        (b"name,score\nAda,600\nBen,-4\n", "Line 3: a score cannot be negative"),
        (
            b"name,score\nAda,721\nBen,3\n",
            "Line 2: a score of 721 is above the round's",
        ),
        (b"name,score\nAda,nan\nBen,3\n", "Line 2: the score nan is not a finite"),
        (b"name,score\nAda,inf\nBen,3\n", "Line 2: the score inf is not a finite"),
        (
            b"name,score\nAda,600\n",
            "The field has 1 archer: a bracket needs at least 2",
        ),
        (b"name,score\nAda,600\n ,500\n", "Line 3: the archer has no name"),
        (
            b"name,score\nAda,600\nBen,500\nada ,400\n",
            "Line 4: 'ada' is already in the field (line 2)",
        ),
        (b"name,score\n\xff\xfeAda,600\n", "The field file is not UTF-8 text"),
        (_many(257).encode(), "more than 256 archers"),
        (_many(10_000).encode(), "more than 256 archers"),
    ],
)
def test_every_bad_field_file_is_refused_in_one_sentence(
    data: bytes, said: str
) -> None:
    with pytest.raises(FieldError) as refused:
        read_field(data, WA70.max_score)
    message = str(refused.value)
    assert said in message, message
    assert message.endswith(".")
    assert "\n" not in message


def test_the_bracket_s_limits_are_the_field_s() -> None:
    assert len(read_field(_many(256), WA70.max_score)) == 256
    assert len(read_field(_many(2), WA70.max_score)) == 2
    with pytest.raises(FieldError, match="at most 256"):
        check_field(entries(*[500] * 257), WA70.max_score)


# -- the levels ---------------------------------------------------------------------


def _shot_field(seed: int, size: int = 48) -> tuple[np.ndarray, list[Entry]]:
    rng = np.random.default_rng(seed)
    true = rng.normal(35, 4, size)
    field = []
    for index, level in enumerate(true):
        ghost = Ghost.from_handicap(float(level), "AGB", bow="recurve")
        total = ghost.shoot(WA70, seed * 1_000 + index).tally.total
        field.append(Entry(f"A{index}", total, index))
    return true, field


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_shrunk_levels_are_nearer_the_truth_than_the_raw_handicaps(seed: int) -> None:
    """Ghosts of known levels shoot their qualification round with the
    engine; the shrunk estimates miss the true levels by less (mean squared
    error) than the handicaps the scores earn. (Measured: about half; the
    test asks for a fifth less on each of three fields.)"""
    true, field = _shot_field(seed)
    archers, estimate = estimate_field(field, WA70, "AGB", "recurve")
    by_name = {a.name: a for a in archers}
    raw = np.array([by_name[e.name].raw_level for e in field])
    shrunk = np.array([by_name[e.name].level for e in field])
    raw_error = float(np.mean((raw - true) ** 2))
    shrunk_error = float(np.mean((shrunk - true) ** 2))
    assert shrunk_error < 0.8 * raw_error, (raw_error, shrunk_error)
    assert estimate.true_variance < estimate.observed_variance


def test_a_field_of_clear_differences_is_hardly_shrunk() -> None:
    """Scores far apart against the round's noise are believed nearly as
    they are; a field whose spread is all noise comes down to its mean."""
    archers, estimate = estimate_field(
        entries(700, 650, 550, 450, 350, 250), WA70, "AGB", "recurve"
    )
    for archer in archers:
        assert abs(archer.expected_score - archer.score) < 0.1 * abs(
            archer.score - estimate.mean
        )
    level, close = estimate_field(entries(600, 601, 599, 600), WA70, "AGB", "recurve")
    assert close.true_variance == pytest.approx(TRUE_VARIANCE_FLOOR)
    assert max(a.level for a in level) - min(a.level for a in level) < 0.1


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(200, 715), min_size=2, max_size=40))
def test_every_estimate_lies_between_its_score_and_the_field_mean(
    scores: list[int],
) -> None:
    archers, estimate = estimate_field(entries(*scores), WA70, "AGB", "recurve")
    assert [a.seed for a in archers] == list(range(1, len(scores) + 1))
    assert [a.score for a in archers] == sorted(scores, reverse=True)
    for archer in archers:
        low, high = sorted((archer.score, estimate.mean))
        assert low - 1e-6 <= archer.expected_score <= high + 1e-6
        assert 0 < archer.score_sd <= archer.noise_sd
        # Pulled up to the mean: a better (lower) AGB handicap; down: worse.
        if archer.expected_score > archer.score + 0.5:
            assert archer.level < archer.raw_level
        if archer.expected_score < archer.score - 0.5:
            assert archer.level > archer.raw_level


# -- the bracket, many times ----------------------------------------------------------


def test_gap_labels() -> None:
    assert [gap_label(g) for g in (1, 4, 5, 16, 17, 40, 41, 255)] == [
        "1-4",
        "1-4",
        "5-16",
        "5-16",
        "17-40",
        "17-40",
        "41+",
        "41+",
    ]
    assert [label for label, _, _ in GAPS] == ["1-4", "5-16", "17-40", "41+"]


FIELD8 = entries(660, 650, 640, 630, 600, 580, 560, 500)


def test_the_figures_add_up_and_replay_with_the_seed() -> None:
    figures = simulate_bracket(FIELD8, WA70, "recurve", 30, 5).to_dict()
    assert figures["matches"] == {"per_run": 7, "total": 210}
    assert figures["system"] == "set"
    assert figures["indoor"] is False
    by_gap = figures["higher_seed_win_rate_by_gap"]
    assert list(by_gap) == ["1-4", "5-16", "17-40", "41+"]
    assert sum(g["matches"] for g in by_gap.values()) == 210
    assert by_gap["17-40"] == {"matches": 0, "rate": None}
    assert by_gap["41+"] == {"matches": 0, "rate": None}
    assert 0 <= figures["shoot_off_rate"] <= 1
    assert figures["shoot_offs"] == round(figures["shoot_off_rate"] * 210)
    seeds = figures["seeds"]
    assert [s["seed"] for s in seeds] == list(range(1, 9))
    assert sum(s["wins"] for s in seeds) == 30
    assert sum(s["finals"] for s in seeds) == 60
    assert all(s["wins"] <= s["finals"] for s in seeds)
    # The best qualifier wins more often than the worst, by far.
    assert seeds[0]["win_share"] > seeds[-1]["win_share"]
    assert figures["higher_seed_win_rate"] > 0.5
    again = simulate_bracket(FIELD8, WA70, "recurve", 30, 5).to_dict()
    assert again == figures
    other = simulate_bracket(FIELD8, WA70, "recurve", 30, 6).to_dict()
    assert (
        other["seeds"] != figures["seeds"]
        or other["shoot_offs"] != figures["shoot_offs"]
    )


def test_two_archers_and_compound_indoors() -> None:
    figures = simulate_bracket(entries(590, 560), WA18C, "compound", 20, 1)
    data = figures.to_dict()
    assert data["system"] == "cumulative"
    assert data["indoor"] is True
    assert data["matches"] == {"per_run": 1, "total": 20}
    assert data["higher_seed_win_rate_by_gap"]["1-4"]["matches"] == 20
    assert [s["finals"] for s in data["seeds"]] == [20, 20]


@pytest.mark.parametrize("size", [5, 104])
def test_a_field_with_byes_is_shot_out(size: int) -> None:
    field = entries(*[650 - i for i in range(size)])
    data = simulate_bracket(field, WA70, "recurve", 1, 9).to_dict()
    assert data["field"] == size
    assert data["matches"]["per_run"] == size - 1  # a bye is no match
    assert sum(s["wins"] for s in data["seeds"]) == 1


def test_a_simulation_asks_for_runs_and_a_known_bow() -> None:
    with pytest.raises(CompetitionError, match="1 to 10,000 runs"):
        simulate_bracket(FIELD8, WA70, "recurve", 0, 1)
    with pytest.raises(CompetitionError, match="Unknown bow"):
        simulate_bracket(FIELD8, WA70, "crossbow", 1, 1)
