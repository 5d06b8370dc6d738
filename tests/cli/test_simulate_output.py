"""``ghost-sim simulate``: a CSV written whole or not at all, streamed batch by
batch, errors as one line, progress on a terminal, Ctrl-C exits 130."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from ghost_simulator.engine import Ghost, get_round
from ghost_simulator.engine.ghost import BATCH, simulate

from ..servers import command_env, ghost_sim_command
from .terminal import interrupt, run_in_terminal

#: The engine's commands have no database.
pytestmark = pytest.mark.database_agnostic

ARGS = ["simulate", "wa18", "--handicap", "40", "--seed", "5"]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
def test_a_full_disk_is_one_line(ghost_sim) -> None:  # type: ignore[no-untyped-def]
    result = ghost_sim(*ARGS, "--runs", "10", "--output", "/dev/full")
    assert result.exit_code == 1
    assert result.output == "Error: Cannot write /dev/full: No space left on device.\n"


@pytest.mark.skipif(not Path("/proc/version").exists(), reason="no /proc here")
def test_a_file_that_takes_no_writing_is_one_line(ghost_sim) -> None:  # type: ignore[no-untyped-def]
    result = ghost_sim(*ARGS, "--runs", "10", "--output", "/proc/version")
    assert result.exit_code in (1, 2)
    assert "Cannot write /proc/version" in result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_the_csv_streams_the_same_rounds(ghost_sim, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Written batch by batch, the file holds the rounds one simulation shoots."""
    runs = BATCH + 7
    target = tmp_path / "rounds.csv"
    result = ghost_sim(*ARGS, "--runs", str(runs), "--output", str(target))
    assert result.exit_code == 0, result.output
    assert f"Wrote {runs:,} rounds to {target}." in result.output
    rows = list(csv.reader(target.read_text(encoding="utf-8").splitlines()))
    whole = simulate(Ghost.from_handicap(40), get_round("wa18"), runs, 5)
    assert len(rows) == runs + 1
    assert [int(row[1]) for row in rows[1:]] == whole.totals.tolist()
    assert [[int(v) for v in row[4:]] for row in rows[1:]] == whole.ends.tolist()
    assert [int(row[0]) for row in rows[1:]] == list(range(1, runs + 1))


def test_the_csv_replaces_a_file_whole(ghost_sim, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "rounds.csv"
    target.write_text("old\n", encoding="utf-8")
    result = ghost_sim(*ARGS, "--runs", "3", "--output", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8").startswith("run,total,")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rounds.csv"]
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask


def test_one_round_is_one_round(ghost_sim) -> None:  # type: ignore[no-untyped-def]
    result = ghost_sim(*ARGS, "--runs", "1")
    assert "WA 18m: 1 round by the ghost" in result.output
    assert "standard deviation" in result.output
    assert "spread" not in result.output


def test_runs_has_a_default(ghost_sim) -> None:  # type: ignore[no-untyped-def]
    result = ghost_sim(*ARGS)
    assert result.exit_code == 0, result.output
    assert "10,000 rounds" in result.output
    assert "[default: 10000" in ghost_sim("simulate", "--help").output


def test_uniform_and_perfect_ghosts_have_no_model(ghost_sim) -> None:  # type: ignore[no-untyped-def]
    for ghost in (["--preset", "perfect"], ["--min-end", "20", "--max-end", "28"]):
        result = ghost_sim("simulate", "wa18", *ghost, "--runs", "2")
        assert result.exit_code == 0, result.output
        assert "model" not in result.output
    assert ", model 3)" in ghost_sim(*ARGS, "--runs", "2").output


def test_no_progress_bar_unless_a_terminal(ghost_sim) -> None:  # type: ignore[no-untyped-def]
    result = ghost_sim(*ARGS, "--runs", "10")
    assert "Shooting" not in result.output


def test_progress_on_a_terminal(isolated_settings: Path, tmp_path: Path) -> None:
    finished = run_in_terminal(
        ghost_sim_command(*ARGS, "--runs", "20000"),
        command_env(isolated_settings),
        tmp_path,
    )
    assert finished.returncode == 0, finished.output
    assert "Shooting 20,000 rounds" in finished.output
    assert "100%" in finished.output


def test_ctrl_c_exits_130_and_leaves_no_file(
    isolated_settings: Path, tmp_path: Path
) -> None:
    target = tmp_path / "out" / "rounds.csv"
    target.parent.mkdir()
    args = ["simulate", "wa1440_90", "--handicap", "40", "--runs", "1000000"]
    finished = run_in_terminal(
        ghost_sim_command(*args, "--output", str(target)),
        command_env(isolated_settings),
        tmp_path,
        steps=[("Shooting", interrupt)],
    )
    assert finished.returncode == 130, finished.output
    assert "Interrupted." in finished.output
    assert "Traceback" not in finished.output
    assert list(target.parent.iterdir()) == []
