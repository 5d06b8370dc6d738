"""Help with examples, shell completion, the version and the wording of the
engine's commands."""

from __future__ import annotations

import json
import os
import platform
import stat
from pathlib import Path

import pytest
from click.shell_completion import ShellComplete

from ghost_simulator import __version__
from ghost_simulator.cli import cli

pytestmark = pytest.mark.database_agnostic
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "command", [["ghost"], ["simulate"], ["odds"], ["archers"], ["completion"]]
)
def test_help_has_examples(ghost_sim, command: list[str]) -> None:  # type: ignore[no-untyped-def]
    text = ghost_sim(*command, "--help").output
    examples = text[text.index("Examples:") :].splitlines()[1:]
    assert examples
    assert all("ghost-sim" in line for line in examples if line.strip())


def test_runs_has_a_shown_default(ghost_sim) -> None:  # type: ignore[no-untyped-def]
    assert "[default: 10000" in ghost_sim("simulate", "--help").output


def complete(args: list[str], incomplete: str) -> list[str]:
    completer = ShellComplete(cli, {}, "ghost-sim", "_GHOST_SIM_COMPLETE")
    return [item.value for item in completer.get_completions(args, incomplete)]


def test_completion_of_rounds_presets_bows_and_schemes() -> None:
    assert "wa1440_90" in complete(["ghost"], "wa14")
    assert all(v.startswith("wa14") for v in complete(["ghost"], "wa14"))
    assert "wa18" in complete(["odds", "--round"], "wa1")
    assert "perfect" in complete(["ghost", "wa18", "--preset"], "per")
    assert complete(["ghost", "wa18", "--preset"], "record-b") == [
        "record-barebow-men-18m",
        "record-barebow-women-18m",
    ]
    assert complete(["simulate", "wa18", "--bow"], "c") == ["compound"]


def test_completion_of_usernames(ghost_sim, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    made = ghost_sim(
        "archers",
        "create",
        "Robin",
        "--password-stdin",
        "--data-dir",
        str(data_dir),
        input="a long enough password\n",
    )
    assert made.exit_code == 0, made.output
    args = ["archers", "export", "--data-dir", str(data_dir)]
    assert complete(args, "ro") == ["Robin"]
    assert complete(args, "x") == []


def test_completion_never_makes_a_database(tmp_path: Path) -> None:
    args = ["archers", "delete", "--data-dir", str(tmp_path / "typo")]
    assert complete(args, "") == []
    assert not (tmp_path / "typo").exists()


@pytest.mark.parametrize(
    ("shell", "marker"),
    [
        ("bash", "complete -o nosort -F _ghost_sim_completion ghost-sim"),
        ("zsh", "compdef _ghost_sim_completion ghost-sim"),
        ("fish", "complete --no-files --command ghost-sim"),
    ],
)
def test_completion_command_prints_the_script(
    ghost_sim, shell: str, marker: str
) -> None:  # type: ignore[no-untyped-def]
    result = ghost_sim("completion", shell)
    assert result.exit_code == 0, result.output
    assert "_GHOST_SIM_COMPLETE" in result.output
    assert marker in result.output
    assert ghost_sim("completion", "tcsh").exit_code == 2


def test_completion_is_documented() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert 'eval "$(ghost-sim completion bash)"' in readme


def test_version_names_the_release_python_and_os(ghost_sim) -> None:  # type: ignore[no-untyped-def]
    lines = ghost_sim("--version").output.splitlines()
    assert lines[0] == f"ghost-sim {__version__}"
    assert __version__.startswith("3.")  # the README's "Version 3"
    assert lines[1].startswith(f"Python {platform.python_version()}")
    assert lines[2] == f"OS {platform.platform()}"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "> Version 3 of the original" in readme


def test_info_shows_numpy_and_archeryutils(ghost_sim, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = ghost_sim("info", "--json", "--data-dir", str(tmp_path))
    packages = json.loads(result.output)["packages"]
    assert packages["numpy"][0].isdigit()
    assert packages["archeryutils"][0].isdigit()
    text = ghost_sim("info", "--data-dir", str(tmp_path)).output
    assert "numpy:" in text
    assert "archeryutils:" in text


def test_env_file_is_not_offered(ghost_sim) -> None:  # type: ignore[no-untyped-def]
    assert "--env-file" not in ghost_sim("--help").output
    assert ghost_sim("-e", "x.env", "info").exit_code == 2


def test_export_is_owner_only(ghost_sim, data_dir: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = ["--data-dir", str(data_dir)]
    ghost_sim(
        "archers",
        "create",
        "Robin",
        "--password-stdin",
        *data,
        input="a long enough password\n",
    )
    target = tmp_path / "robin.json"
    target.write_text("{}", encoding="utf-8")
    target.chmod(0o644)
    result = ghost_sim("archers", "export", "Robin", "-o", str(target), *data)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert json.loads(target.read_text(encoding="utf-8"))["archer"]["username"] == (
        "Robin"
    )
    assert os.listdir(tmp_path).count("robin.json") == 1


# -- wording and layout -----------------------------------------------------------


@pytest.mark.parametrize("command", ["rounds", "presets"])
def test_lists_have_a_header_and_fit_80_columns(ghost_sim, command: str) -> None:  # type: ignore[no-untyped-def]
    result = ghost_sim(command, env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split()[0] == ("ROUND" if command == "rounds" else "PRESET")
    assert max(len(line) for line in lines) <= 80


def test_scheme_in_any_case(ghost_sim) -> None:  # type: ignore[no-untyped-def]
    result = ghost_sim("ghost", "wa18", "--handicap", "3", "--scheme", "aa", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["ghost"].endswith("(AA)")


def test_no_internal_round_names(ghost_sim) -> None:  # type: ignore[no-untyped-def]
    result = ghost_sim("odds", "--set", "--archer-handicap", "30", "--score", "27")
    assert result.exit_code == 0, result.output
    assert "match_" not in result.output
    assert "27 over the match's 15 arrows" in result.output


def test_presets_solve_nothing(ghost_sim, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """The list reads the solved table (3 s of bisection before: now 0.3 s)."""
    from ghost_simulator.engine import presets

    def solve(*args: object, **kwargs: object) -> float:
        raise AssertionError("presets solved a handicap")

    presets.preset_handicap.cache_clear()
    monkeypatch.setattr(presets, "solve_preset_handicap", solve)
    try:
        for scheme in ("AGB", "aa2"):
            result = ghost_sim("presets", "--scheme", scheme)
            assert result.exit_code == 0, result.output
    finally:
        presets.preset_handicap.cache_clear()
