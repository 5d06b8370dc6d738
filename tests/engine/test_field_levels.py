"""Fields of a chosen level drawn from real qualification scores."""

from __future__ import annotations

import csv
import importlib.util
import json
import statistics
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest

from ghost_simulator.engine import field_levels as fl

ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = ROOT / "benchmarks" / "data" / "field_levels"
SCORES_CSV = DATA_DIR / "scores.csv"

OFFERED = [
    ("wa720_70", "recurve"),
    ("wa720_50_c", "compound"),
    ("wa18", "recurve"),
    ("wa18_compound", "compound"),
]


def _csv_scores() -> dict[tuple[str, str, str], list[int]]:
    scores: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    with SCORES_CSV.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            scores[(row["level"], row["round"], row["bow"])].append(int(row["score"]))
    return scores


def _build_module():
    spec = importlib.util.spec_from_file_location(
        "field_levels_build", DATA_DIR / "build.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- the data ---------------------------------------------------------------


def test_json_is_the_build_of_scores_csv() -> None:
    build = _build_module()
    expected = build.dump(build.build(build.read_scores_csv()))
    assert fl.DATA_FILE.read_text(encoding="utf-8") == expected


def test_json_is_small_and_in_the_package() -> None:
    assert fl.DATA_FILE.parent.name == "data"
    assert fl.DATA_FILE.parent.parent == Path(fl.__file__).resolve().parent
    assert fl.DATA_FILE.stat().st_size < 200_000


def test_transcription_gives_the_csv() -> None:
    build = _build_module()
    rows = build.read_world_cup() + build.read_transcription()
    assert rows == build.read_scores_csv()


def test_json_figures_match_the_csv() -> None:
    document = json.loads(fl.DATA_FILE.read_text(encoding="utf-8"))
    csv_scores = _csv_scores()
    seen = set()
    for level, by_round in document["fields"].items():
        for round_code, by_bow in by_round.items():
            for bow, entry in by_bow.items():
                key = (level, round_code, bow)
                seen.add(key)
                real = sorted(csv_scores[key])
                assert entry["n"] == len(real)
                assert entry["scores"] == real
                assert entry["median"] == statistics.median(real)
    assert seen == set(csv_scores)


def test_every_field_has_men_and_women_and_several_hundred_scores() -> None:
    for round_code, bow in OFFERED:
        for level in fl.offered(round_code, bow):
            info = fl.describe(level, round_code, bow)
            assert info["n"] >= 200
            assert len(info["events"]) >= 2
            assert any("(Men)" in e for e in info["events"])
            assert any("(Women)" in e for e in info["events"])


def test_offered_levels() -> None:
    assert fl.offered("wa720_70", "recurve") == ["international"]
    assert fl.offered("wa720_50_c", "compound") == ["international"]
    assert fl.offered("wa18", "recurve") == ["national", "international"]
    assert fl.offered("wa18_compound", "compound") == ["national", "international"]
    # Barebow: one national event only (thin, but real).
    assert fl.offered("wa18", "barebow") == ["national"]
    # No data, nothing invented: longbow, recurve at 50 m, other rounds.
    assert fl.offered("wa18", "longbow") == []
    assert fl.offered("wa720_50_c", "recurve") == []
    assert fl.offered("wa1440_90", "recurve") == []
    assert fl.offered("wa18", "crossbow") == []


def test_international_recurve_720_median_is_world_cup_like() -> None:
    info = fl.describe("international", "wa720_70", "recurve")
    assert info["n"] == 703
    assert 620 <= info["median"] <= 650
    q1, q3 = info["quartiles"]
    assert 600 <= q1 < info["median"] < q3 <= 665
    assert info["highest"] == 692
    assert info["max_score"] == 720


def test_international_compound_720_median() -> None:
    info = fl.describe("international", "wa720_50_c", "compound")
    assert info["n"] == 416
    assert 675 <= info["median"] <= 695
    assert info["highest"] <= 720


def test_indoor_medians_are_in_the_real_range() -> None:
    national = fl.describe("national", "wa18", "recurve")
    assert national["n"] == 452
    assert 500 <= national["median"] <= 530
    international = fl.describe("international", "wa18_compound", "compound")
    assert 565 <= international["median"] <= 580
    assert international["highest"] == 598


def test_national_barebow_is_one_event() -> None:
    info = fl.describe("national", "wa18", "barebow")
    assert info["n"] == 128
    assert info["events"] == [
        "Archery GB National Indoor Championships 2025 (Open)",
        "Archery GB National Indoor Championships 2025 (Women)",
    ]
    assert 430 <= info["median"] <= 470
    assert info["highest"] == 552


@pytest.mark.parametrize(("round_code", "bow"), [*OFFERED, ("wa18", "barebow")])
def test_medians_rise_with_the_level(round_code: str, bow: str) -> None:
    medians = fl.medians(round_code, bow)
    ordered = [medians[level] for level in fl.LEVELS if level in medians]
    assert ordered == sorted(ordered)


# -- drawing ----------------------------------------------------------------


@pytest.mark.parametrize(("round_code", "bow"), [*OFFERED, ("wa18", "barebow")])
@pytest.mark.parametrize("size", [7, 32, 104, 127])
def test_draw_is_sized_sorted_and_in_range(
    round_code: str, bow: str, size: int
) -> None:
    for level in fl.offered(round_code, bow):
        scores = fl.draw_scores(
            level, round_code, bow, size, np.random.default_rng(size)
        )
        assert len(scores) == size
        assert scores == sorted(scores, reverse=True)
        assert all(type(s) is int for s in scores)
        info = fl.describe(level, round_code, bow)
        assert all(info["lowest"] <= s <= info["highest"] for s in scores)
        assert all(0 <= s <= fl.max_score(round_code) for s in scores)


def test_draw_is_deterministic_for_a_seed() -> None:
    a = fl.draw_scores(
        "international", "wa720_70", "recurve", 64, np.random.default_rng(7)
    )
    b = fl.draw_scores(
        "international", "wa720_70", "recurve", 64, np.random.default_rng(7)
    )
    c = fl.draw_scores(
        "international", "wa720_70", "recurve", 64, np.random.default_rng(8)
    )
    assert a == b
    assert a != c


def test_draws_follow_the_real_distribution() -> None:
    rng = np.random.default_rng(2019)
    drawn: list[int] = []
    for _ in range(100):
        drawn += fl.draw_scores("national", "wa18", "recurve", 127, rng)
    info = fl.describe("national", "wa18", "recurve")
    assert abs(statistics.median(drawn) - info["median"]) <= 3
    q1, q3 = info["quartiles"]
    d1, _, d3 = statistics.quantiles(drawn, n=4)
    assert abs(d1 - q1) <= 4
    assert abs(d3 - q3) <= 4


def test_national_field_is_weaker_than_international_on_average() -> None:
    rng = np.random.default_rng(1)
    national = fl.draw_scores("national", "wa18_compound", "compound", 127, rng)
    international = fl.draw_scores(
        "international", "wa18_compound", "compound", 127, rng
    )
    assert statistics.mean(national) < statistics.mean(international)


def test_quantile_storage_is_drawn_the_same_way() -> None:
    build = _build_module()
    values = list(range(100, 600))
    grid = np.asarray(build.quantiles(values), dtype=float)
    assert len(grid) == build.N_QUANTILES
    assert grid[0] == 100
    assert grid[-1] == 599
    u = np.random.default_rng(3).random(1000)
    drawn = fl._inverse_cdf(grid, u)
    assert drawn.min() >= 100
    assert drawn.max() <= 599
    assert abs(float(np.median(drawn)) - 349.5) < 15


# -- errors -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("world", "wa18", "recurve"), "unknown_level", "Unknown field level 'world'"),
        (("club", "wa18", "crossbow"), "unknown_bow", "Unknown bow 'crossbow'"),
        (
            ("national", "portsmouth", "recurve"),
            "unknown_round",
            "No real field scores are stored for the round 'portsmouth'.",
        ),
        (
            ("club", "wa18", "recurve"),
            "no_data",
            "There are no real club field scores for recurve on wa18 "
            "(levels offered: national, international).",
        ),
        (
            ("national", "wa720_70", "recurve"),
            "no_data",
            "There are no real national field scores for recurve on wa720_70 "
            "(levels offered: international).",
        ),
        (
            ("international", "wa18", "longbow"),
            "no_data",
            "There are no real international field scores for longbow on wa18 "
            "(no level is offered).",
        ),
    ],
)
def test_bad_level_round_bow(
    args: tuple[str, str, str], code: str, message: str
) -> None:
    for call in (
        lambda: fl.describe(*args),
        lambda: fl.draw_scores(*args, 32, np.random.default_rng(0)),
    ):
        with pytest.raises(fl.FieldLevelError) as caught:
            call()
        assert caught.value.code == code
        assert str(caught.value).startswith(message)
        assert str(caught.value).endswith(".")
        assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize("size", [0, 6, 128, 1000, -8])
def test_size_out_of_range(size: int) -> None:
    with pytest.raises(
        fl.FieldLevelError, match=r"^A draw is 7 to 127 archers' scores, not"
    ):
        fl.draw_scores(
            "international", "wa720_70", "recurve", size, np.random.default_rng(0)
        )


@pytest.mark.parametrize("size", [True, 32.0, "32", None])
def test_size_must_be_a_whole_number(size: object) -> None:
    with pytest.raises(fl.FieldLevelError, match=r"^A field's size is a whole number"):
        fl.draw_scores(
            "international",
            "wa720_70",
            "recurve",
            size,  # type: ignore[arg-type]
            np.random.default_rng(0),
        )
