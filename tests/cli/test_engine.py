"""The engine's commands: rounds, presets, ghost, simulate, odds."""

from __future__ import annotations

import json

import pytest

from ghost_simulator.engine import Ghost, get_round, match_round
from ghost_simulator.engine.handicaps import expected_score

#: The engine's commands have no database.
pytestmark = pytest.mark.database_agnostic


def run_json(ghost_sim, *args: str):  # type: ignore[no-untyped-def]
    result = ghost_sim(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_rounds(ghost_sim) -> None:  # type: ignore[no-untyped-def]
    rows = run_json(ghost_sim, "rounds")
    assert len(rows) > 200
    wa18 = next(r for r in rows if r["codename"] == "wa18")
    assert (wa18["name"], wa18["arrows"], wa18["ends"], wa18["max_score"]) == (
        "WA 18m",
        60,
        20,
        600,
    )
    found = run_json(ghost_sim, "rounds", "--search", "wa 720")
    assert {r["codename"] for r in found} >= {"wa720_70", "wa720_50_c"}
    text = ghost_sim("rounds", "--search", "york").output
    assert "york" in text
    assert "No round matches." in ghost_sim("rounds", "--search", "zzz").output


def test_ghost_round(ghost_sim) -> None:  # type: ignore[no-untyped-def]
    data = run_json(ghost_sim, "ghost", "wa18", "--handicap", "40", "--seed", "2026")
    for key in ("round", "handicap", "seed", "ends", "total", "xs", "tens"):
        assert key in data
    assert data["round"] == "wa18"
    assert data["seed"] == 2026
    assert len(data["ends"]) == 20
    assert data["total"] == 543  # the golden round of tests/engine/test_variability.py
    again = run_json(ghost_sim, "ghost", "WA 18m", "--handicap", "40", "--seed", "2026")
    assert again["ends"] == data["ends"]


def test_ghost_round_text(ghost_sim) -> None:  # type: ignore[no-untyped-def]
    result = ghost_sim("ghost", "wa18", "--score", "280", "--seed", "1", "--half")
    assert result.exit_code == 0, result.output
    assert "WA 18m (half)" in result.output
    assert "End 10:" in result.output
    assert "End 11:" not in result.output
    assert "seed 1" in result.output


def test_ghost_random_seed_is_printed_and_replays(ghost_sim) -> None:  # type: ignore[no-untyped-def]
    first = run_json(ghost_sim, "ghost", "wa18", "--handicap", "30")
    replay = run_json(
        ghost_sim, "ghost", "wa18", "--handicap", "30", "--seed", str(first["seed"])
    )
    assert replay["ends"] == first["ends"]


@pytest.mark.parametrize(
    "args",
    [
        ["--preset", "outdoor-recurve-senior-men"],
        ["--preset", "perfect"],
        ["--min-end", "40", "--max-end", "55"],
        ["--handicap", "30", "--scheme", "AGBold"],
        ["--handicap", "80", "--scheme", "AA", "--bow", "compound"],
    ],
)
def test_ghost_definitions(ghost_sim, args: list[str]) -> None:  # type: ignore[no-untyped-def]
    data = run_json(ghost_sim, "ghost", "wa720_70", *args, "--seed", "3")
    assert len(data["ends"]) == 12
    assert sum(data["end_totals"]) == data["total"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ghost", "wa18"], "exactly one of --handicap, --score, --preset"),
        (
            ["ghost", "wa18", "--handicap", "3", "--score", "500"],
            "got --handicap and --score",
        ),
        (["ghost", "wa18", "--min-end", "10"], "--min-end and --max-end go together"),
        (["ghost", "wa18", "--min-end", "20", "--max-end", "40"], "cannot exceed 30"),
        (
            ["ghost", "wa18", "--min-end", "20", "--max-end", "10"],
            "greater than the minimum",
        ),
        (["ghost", "wa99", "--handicap", "3"], "Unknown round 'wa99'"),
        (["ghost", "wa18", "--score", "700"], "out of reach"),
        (["ghost", "wa18", "--preset", "nope"], "Unknown preset 'nope'"),
        (["ghost", "wa18", "--handicap", "500"], "outside the AGB scale"),
        (["ghost", "wa18", "--handicap", "3", "--seed", "-1"], "--seed"),
        (
            ["odds", "--archer-handicap", "30", "--handicap", "30"],
            "Choose one of --set",
        ),
        (
            ["odds", "--set", "--half", "--archer-handicap", "3", "--handicap", "3"],
            "--half is for rounds",
        ),
        (
            ["odds", "--set", "--archer-handicap", "999", "--handicap", "30"],
            "outside the AGB scale",
        ),
        (
            [
                "odds",
                "--set",
                "--cumulative",
                "--archer-handicap",
                "3",
                "--handicap",
                "3",
            ],
            "--set and --cumulative cannot be used together",
        ),
        (
            [
                "odds",
                "--round",
                "wa18",
                "--indoor",
                "--archer-handicap",
                "3",
                "--handicap",
                "3",
            ],
            "--round and --indoor cannot be used together",
        ),
        (
            ["ghost", "wa18", "--handicap", "30", "--steady", "--form", "2"],
            "--steady and --form cannot be used together",
        ),
        (["ghost", "wa18", "--score", "0"], "0 is no score to beat"),
        (["ghost", "wa18", "--preset", "perfct"], "Did you mean 'perfect'?"),
    ],
)
def test_clear_errors(ghost_sim, args: list[str], message: str) -> None:  # type: ignore[no-untyped-def]
    result = ghost_sim(*args)
    assert result.exit_code in (1, 2), result.output
    assert message in result.output
    assert "Traceback" not in result.output


SIMULATE = ["simulate", "wa720_70", "--handicap", "35", "--steady", "--runs", "4000"]


def test_simulate(ghost_sim) -> None:  # type: ignore[no-untyped-def]
    data = run_json(ghost_sim, *SIMULATE, "--seed", "9")
    for key in ("round", "handicap", "runs", "mean", "std", "min", "max", "expected"):
        assert key in data
    assert data["runs"] == 4000
    assert data["expected"] == pytest.approx(expected_score(get_round("wa720_70"), 35))
    assert abs(data["mean"] - data["expected"]) < 4 * data["expected_std"] / 4000**0.5
    assert data["min"] <= data["mean"] <= data["max"]
    again = run_json(ghost_sim, *SIMULATE, "--seed", "9")
    assert again == data


def test_simulate_realistic_ghost(ghost_sim) -> None:  # type: ignore[no-untyped-def]
    """The default ghost (model 3) still averages its handicap's score."""
    args = ["simulate", "wa18", "--handicap", "38", "--runs", "20000", "--seed", "1"]
    data = run_json(ghost_sim, *args)
    table = expected_score(get_round("wa18"), 38)
    assert data["model"] == 3
    assert data["steady"] is False
    assert data["variability"]["drift"] == pytest.approx(3.25)
    assert data["variability"]["form"] == pytest.approx(4.0)
    assert data["expected"] == pytest.approx(table, abs=0.3)
    assert abs(data["mean"] - table) < 1.0
    assert data["std"] > 15  # the steady ghost's is 8
    old = run_json(ghost_sim, *args, "--model", "1")
    assert old["model"] == 1
    assert old["variability"]["form"] == 2.0
    two = run_json(ghost_sim, *args, "--model", "2")
    assert (two["variability"]["form"], two["variability"]["drift"]) == (3.0, 3.5)


def test_simulate_writes_every_round_as_csv(ghost_sim, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import csv

    target = tmp_path / "rounds.csv"
    args = ["simulate", "wa720_70", "--handicap", "40", "--runs", "50", "--seed", "3"]
    result = ghost_sim(*args, "--output", str(target))
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(target.read_text(encoding="utf-8").splitlines()))
    assert len(rows) == 50
    assert list(rows[0]) == ["run", "total", "tens", "xs"] + [
        f"end_{i}" for i in range(1, 13)
    ]
    assert [int(r["run"]) for r in rows] == list(range(1, 51))
    for row in rows:
        ends = [int(row[f"end_{i}"]) for i in range(1, 13)]
        assert sum(ends) == int(row["total"])
        assert int(row["xs"]) <= int(row["tens"]) <= 72
    first = Ghost.from_handicap(40).shoot(get_round("wa720_70"), 3)
    assert [int(rows[0][f"end_{i}"]) for i in range(1, 13)] == [
        e.total for e in first.ends
    ]
    assert int(rows[0]["tens"]) == first.tally.tens
    assert int(rows[0]["xs"]) == first.tally.xs
    to_stdout = ghost_sim(*args, "--output", "-")
    assert to_stdout.output.startswith("run,total,tens,xs,end_1,")
    clash = ghost_sim(*args, "--output", "-", "--json")
    assert clash.exit_code == 2
    assert "both write to standard output" in clash.output
    missing = ghost_sim(*args, "--output", str(tmp_path / "no" / "such.csv"))
    assert missing.exit_code == 2
    assert "No such file or directory" in missing.output


def test_steady_and_model_options(ghost_sim) -> None:  # type: ignore[no-untyped-def]
    steady = run_json(ghost_sim, "ghost", "wa18", "--handicap", "40", "--steady")
    assert "steady" in steady["ghost"]
    assert steady["end_handicaps"] == [40.0] * 20
    old = run_json(
        ghost_sim, "ghost", "wa18", "--handicap", "40", "--model", "1", "--seed", "2026"
    )
    assert old["total"] == 530  # version 1's golden round
    two = run_json(
        ghost_sim, "ghost", "wa18", "--handicap", "40", "--model", "2", "--seed", "2026"
    )
    assert two["total"] == 538  # version 2's golden round
    bad = ghost_sim("ghost", "wa18", "--handicap", "40", "--model", "4")
    assert bad.exit_code == 2
    assert "4 is not in the range 1<=x<=3" in bad.output


def test_min_max_without_a_scorable_total_is_a_clear_error(ghost_sim) -> None:  # type: ignore[no-untyped-def]
    result = ghost_sim("ghost", "wa18_triple", "--min-end", "1", "--max-end", "5")
    assert result.exit_code == 1
    assert "score between 1 and 5 points: widen the range" in result.output
    assert "Traceback" not in result.output


def test_odds(ghost_sim) -> None:  # type: ignore[no-untyped-def]
    data = run_json(
        ghost_sim,
        "odds",
        "--set",
        "--archer-handicap",
        "30",
        "--handicap",
        "30",
        "--steady",
        "--archer-steady",
    )
    assert data["win"] == pytest.approx(0.5)
    assert data["archer_steady"] is True
    # Both unsteady (the default): equals all the same.
    even = run_json(
        ghost_sim, "odds", "--set", "--archer-handicap", "25", "--handicap", "25"
    )
    assert even["win"] == pytest.approx(0.5, abs=1e-9)
    steady_archer = run_json(
        ghost_sim,
        "odds",
        "--set",
        "--archer-handicap",
        "25",
        "--handicap",
        "25",
        "--archer-steady",
    )
    assert steady_archer["win"] < 0.49
    assert data["win"] + data["loss"] == pytest.approx(1.0)
    assert 0 < data["shoot_off"] < 1
    compound = run_json(
        ghost_sim,
        "odds",
        "--cumulative",
        "--bow",
        "compound",
        "--indoor",
        "--archer-handicap",
        "20",
        "--preset",
        "indoor-compound-U15-men",
    )
    assert compound["system"] == "cumulative"
    assert compound["round"] == "match_compound_indoor"
    ranking = run_json(
        ghost_sim,
        "odds",
        "--round",
        "wa18",
        "--archer-handicap",
        "10",
        "--score",
        "500",
    )
    assert ranking["win"] > 0.99
    text = ghost_sim(
        "odds", "--set", "--archer-handicap", "30", "--handicap", "40"
    ).output
    assert "Win " in text
    assert "shoot-off" in text


def test_odds_with_score_uses_the_match_arrows(ghost_sim) -> None:  # type: ignore[no-untyped-def]
    data = run_json(
        ghost_sim,
        "odds",
        "--cumulative",
        "--bow",
        "compound",
        "--archer-handicap",
        "10",
        "--score",
        "140",
    )
    ghost = Ghost.from_score(match_round("compound", False), 140)
    assert f"handicap {ghost.handicap:.1f} (AGB)" in data["ghost"]


def test_presets(ghost_sim) -> None:  # type: ignore[no-untyped-def]
    rows = run_json(ghost_sim, "presets")
    names = {r["name"] for r in rows}
    assert {"outdoor-recurve-senior-men", "record-recurve-men-70m", "perfect"} <= names
    assert all("handicap" in r for r in rows if r["name"] != "perfect")
    assert "perfect" in ghost_sim("presets").output
