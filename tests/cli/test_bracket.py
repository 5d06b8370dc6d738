"""``ghost-sim bracket``: a field file's bracket simulated many times."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

#: The command's own options only: no database.
pytestmark = pytest.mark.database_agnostic

FIELD = "name,score,club\nAda,655,N\nBen,640,S\nCas,612,E\nDee,598,W\nEli,570,N\n"


@pytest.fixture
def field_file(tmp_path: Path) -> Path:
    path = tmp_path / "field.csv"
    path.write_text(FIELD, encoding="utf-8")
    return path


def test_the_json_figures(ghost_sim, field_file: Path) -> None:  # type: ignore[no-untyped-def]
    args = ["bracket", "--field", str(field_file), "--round", "wa720_70"]
    result = ghost_sim(*args, "--runs", "20", "--seed", "2", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    for key in (
        "matches",
        "shoot_off_rate",
        "higher_seed_win_rate",
        "higher_seed_win_rate_by_gap",
        "seeds",
    ):
        assert key in data
    assert data["matches"] == {"per_run": 4, "total": 80}
    assert list(data["higher_seed_win_rate_by_gap"]) == ["1-4", "5-16", "17-40", "41+"]
    assert [s["name"] for s in data["seeds"]] == ["Ada", "Ben", "Cas", "Dee", "Eli"]
    assert sum(s["win_share"] for s in data["seeds"]) == pytest.approx(1)
    again = ghost_sim(*args, "--runs", "20", "--seed", "2", "--json")
    assert json.loads(again.output) == data
    compound = ghost_sim(
        *args[:3], "--round", "wa720_50c", "--bow", "compound", "--runs", "3", "--json"
    )
    assert compound.exit_code == 0, compound.output
    assert json.loads(compound.output)["system"] == "cumulative"


def test_the_text_table(ghost_sim, field_file: Path) -> None:  # type: ignore[no-untyped-def]
    result = ghost_sim(
        "bracket", "--field", str(field_file), "--round", "wa720_70", "--runs", "10"
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("5 archers, WA 70m (recurve, set matches): 10 runs")
    assert lines[1].split() == ["seed", "name", "score", "level", "wins", "final"]
    assert lines[2].split()[:3] == ["1", "Ada", "655"]
    assert "shoot-offs" in result.output
    assert "the higher seed won" in result.output
    assert "17-40: - of 0 matches" in result.output


def test_a_field_from_standard_input(ghost_sim) -> None:  # type: ignore[no-untyped-def]
    result = ghost_sim(
        "bracket", "--field", "-", "--round", "wa18", "--runs", "2", "--json",
        input="name,score\nA,500\nB,480\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["matches"]["total"] == 2


@pytest.mark.parametrize(
    ("content", "args", "code", "message"),
    [
        (None, [], 1, "Cannot read the field file"),
        (FIELD, ["--runs", "0"], 2, "0 is not in the range"),
        (FIELD, ["--runs", "10001"], 2, "10001 is not in the range"),
        (FIELD, ["--bow", "crossbow"], 2, "'crossbow' is not one of"),
        ("name,score\nAda,655\n", [], 1, "The field has 1 archer"),
        ("Ada,655\nBen,600\n", [], 1, "Line 1: the first line is a header"),
        ("name,score\nAda,655\nBen,x\n", [], 1, "Line 3: the score 'x' is not"),
        ("name,score\nAda,655\nBen,999\n", [], 1, "above the round's maximum of 720"),
        ("name,score\nAda,655\nAda,600\n", [], 1, "'Ada' is already in the field"),
        ("", [], 1, "The field file is empty"),
        (b"name,score\n\xffA,1\n", [], 1, "not UTF-8 text"),
        (FIELD, ["--round", "nosuch"], 1, "Unknown round 'nosuch'"),
    ],
)
def test_bad_input_is_one_clear_line(  # type: ignore[no-untyped-def]
    ghost_sim, tmp_path: Path, content, args, code, message
) -> None:
    path = tmp_path / "field.csv"
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    elif isinstance(content, bytes):
        path.write_bytes(content)
    given = ["--round", "wa720_70", *args] if "--round" not in args else args
    result = ghost_sim("bracket", "--field", str(path), *given)
    assert result.exit_code == code, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    if code == 1:
        assert result.output.count("\n") == 1  # one line
