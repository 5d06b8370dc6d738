"""The README is the front door: short, with the two commands to install and
serve, the one to run the tests, and links into the documentation site that
all lead somewhere. The command reference lives in the site, generated from
the commands when it is built (see tests/test_docs.py), so it cannot go stale.
"""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from ghost_simulator.cli import cli
from ghost_simulator.cli.reference import command_paths, render_reference

#: The README against the docs and the commands: no database.
pytestmark = pytest.mark.database_agnostic

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
REFERENCE_PAGE = ROOT / "docs" / "developers" / "cli.md"


def readme() -> str:
    return README.read_text(encoding="utf-8")


def test_readme_quick_start_is_the_two_commands() -> None:
    text = readme()
    assert "python3 -m pip install ." in text
    assert "ghost-sim serve" in text
    assert "python3 -m pip install -e '.[test]' && python3 -m pytest" in text


def test_readme_is_short() -> None:
    assert len(readme().splitlines()) <= 150


def test_readme_links_lead_somewhere() -> None:
    links = re.findall(r"\]\(([^)\s]+)\)|src=\"([^\"]+)\"", readme())
    targets = [a or b for a, b in links if not (a or b).startswith("http")]
    assert len(targets) >= 20
    for target in targets:
        path, _, anchor = target.partition("#")
        assert (ROOT / path).is_file(), f"README.md links to a missing {target}"
        if anchor:
            headings = (ROOT / path).read_text(encoding="utf-8")
            slugs = {
                re.sub(r"[^\w\s-]", "", h.lower()).strip().replace(" ", "-")
                for h in re.findall(r"^#+ (.+)$", headings, re.M)
            }
            assert anchor in slugs, f"README.md: {target} has no such heading"


def test_readme_has_a_club_night_in_steps() -> None:
    text = readme()
    section = text.split("## A club night, step by step", 1)[1].split("\n## ", 1)[0]
    steps = re.findall(r"^\d+\. ", section, re.M)
    assert 5 <= len(steps) <= 8
    assert "docs/images/night-leaderboard-light.png" in section
    assert "docs/archers/clubs.md" in section


def test_the_command_reference_is_the_sites_not_the_readmes() -> None:
    """No stale copy in the README; the site's page renders the root group,
    which mkdocs-click walks, so every command and subcommand is there."""
    assert "cli-reference:start" not in readme()
    assert "docs/developers/cli.md" in readme()
    page = REFERENCE_PAGE.read_text(encoding="utf-8")
    assert ":module: ghost_simulator.cli" in page
    assert ":command: cli" in page


def test_the_plain_reference_has_every_command() -> None:
    """python -m ghost_simulator.cli.reference: every command's --help."""
    reference = render_reference()
    with click.Context(cli, info_name="ghost-sim") as ctx:
        paths = list(command_paths(cli, ctx))
    titles = {" ".join(["ghost-sim", *path]) for path in paths}
    for title in (
        "ghost-sim archers",
        "ghost-sim archers export",
        "ghost-sim completion",
        "ghost-sim db upgrade",
        "ghost-sim docs",
        "ghost-sim simulate",
    ):
        assert title in titles
    for title in titles:
        assert f"### `{title}`" in reference
