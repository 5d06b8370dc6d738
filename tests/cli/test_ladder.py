"""``ghost-sim ladder``: a ladder played out by a simulated archer."""

from __future__ import annotations

import json

import pytest

#: The command's own options only: no database.
pytestmark = pytest.mark.database_agnostic


def run_json(ghost_sim, *args: str):  # type: ignore[no-untyped-def]
    result = ghost_sim("ladder", *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_a_ladder_record(ghost_sim) -> None:  # type: ignore[no-untyped-def]
    data = run_json(
        ghost_sim, "--set", "--level", "35", "--matches", "20", "--seed", "4"
    )
    assert data["format"] == "set"
    assert data["target"] == 0.5
    assert len(data["rungs"]) == 20
    assert data["won"] + data["lost"] + data["tied"] == 20
    assert data["win_rate"] == pytest.approx(data["won"] / 20)
    first = data["rungs"][0]
    assert first["believed_level"] == first["ghost"] == 35  # equals at first
    assert first["chance"] == pytest.approx(0.5, abs=0.01)
    again = run_json(
        ghost_sim, "--set", "--level", "35", "--matches", "20", "--seed", "4"
    )
    assert again == data  # the same seed, the same ladder


def test_an_improving_archer_and_a_target(ghost_sim) -> None:  # type: ignore[no-untyped-def]
    data = run_json(
        ghost_sim,
        "--cumulative",
        "--bow",
        "compound",
        "--indoor",
        "--level",
        "20",
        "--target",
        "70",
        "--improve",
        "0.2",
        "--matches",
        "15",
    )
    assert data["target"] == 0.7
    assert [r["archer_level"] for r in data["rungs"]][:3] == [20, 19.8, 19.6]
    assert all(r["chance"] == pytest.approx(0.7, abs=0.01) for r in data["rungs"])
    ranking = run_json(ghost_sim, "--round", "wa18", "--level", "50", "--matches", "3")
    assert ranking["round"] == "wa18"


def test_the_text_record(ghost_sim) -> None:  # type: ignore[no-untyped-def]
    result = ghost_sim("ladder", "--set", "--level", "35", "--matches", "40")
    assert result.exit_code == 0, result.output
    assert "aiming at 50% wins" in result.output
    assert "(20 matches in between: --json lists all)" in result.output
    assert "Won " in result.output
    assert "next ghost:" in result.output


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--set", "--level", "35", "--target", "99"], 1, "from 5% to 95%, not 99%"),
        (["--set", "--level", "35", "--target", "4"], 1, "from 5% to 95%, not 4%"),
        (["--set", "--level", "35", "--target", "nan"], 1, "from 5% to 95%"),
        (["--level", "35"], 2, "Choose one of --set, --cumulative or --round"),
        (["--set", "--cumulative", "--level", "35"], 2, "cannot be used together"),
        (["--round", "nosuch", "--level", "35"], 1, "Unknown round 'nosuch'"),
        (
            ["--round", "wa18", "--indoor", "--level", "35"],
            2,
            "cannot be used together",
        ),
        (["--set", "--level", "500"], 1, "outside the AGB scale"),
        (["--set", "--level", "35", "--matches", "0"], 2, "0 is not in the range"),
        (["--set", "--level", "35", "--improve", "inf"], 2, "--improve"),
    ],
)
def test_bad_input_is_one_clear_line(ghost_sim, args, code, message) -> None:  # type: ignore[no-untyped-def]
    result = ghost_sim("ladder", *args)
    assert result.exit_code == code, result.output
    assert message in result.output
    assert "Traceback" not in result.output
