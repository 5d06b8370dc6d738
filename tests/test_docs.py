"""The documentation site: it builds in strict mode (a broken link, page, image
or anchor fails), every command is in its reference, every setting the code
reads is declared for its configuration page, every image it names exists,
and ``ghost-sim docs --build`` makes it from the package's own sources."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner
from flask import Flask

from ghost_simulator.cli import cli
from ghost_simulator.cli import docs as docs_command
from ghost_simulator.cli.reference import command_paths
from ghost_simulator.config import DEFAULTS
from ghost_simulator.settings_doc import COMPUTED, SETTINGS

#: The docs against the code: no database.
pytestmark = pytest.mark.database_agnostic

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SOURCE = ROOT / "src" / "ghost_simulator"

#: Keys the code reads that are not the app's own settings: Flask's and its
#: extensions' (they document them), and the app's internal values.
NOT_SETTINGS = {
    # Flask's own
    "MAX_CONTENT_LENGTH",
    "PREFERRED_URL_SCHEME",
    "SESSION_COOKIE_NAME",
    "SESSION_COOKIE_SECURE",
    "SESSION_REFRESH_EACH_REQUEST",
    # Flask-WTF's, Flask-Babel's and Flask-Limiter's
    "WTF_CSRF_ENABLED",
    "BABEL_DEFAULT_LOCALE",
    "RATELIMIT_ENABLED",
    # The languages the app has translations for: not a choice.
    "LANGUAGES",
    # The tests' knob for how long a live stream lasts.
    "LIVE_STREAM_SECONDS",
}
#: Reads of a setting: config.get("X"), config["X"], values.get("X"),
#: values["X"] (not an assignment), setdefault("X", ...), overrides.get("X").
READS = re.compile(
    r"""(?:config|values|overrides)\s*(?:\.get\(|\.setdefault\(|\[)\s*["']([A-Z][A-Z0-9_]+)["']\s*[\],)](?!\s*=[^=])"""
)


def built_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_site(tmp_path_factory.mktemp("docs"))


def test_the_site_builds_in_strict_mode(site: Path) -> None:
    assert (site / "index.html").is_file()
    assert (site / "developers" / "openapi.json").is_file()


def all_commands() -> list[str]:
    with click.Context(cli, info_name="ghost-sim") as ctx:
        return [" ".join(["ghost-sim", *path]) for path in command_paths(cli, ctx)]


def test_every_command_is_in_the_reference(site: Path) -> None:
    reference = (site / "developers" / "cli.html").read_text(encoding="utf-8")
    commands = all_commands()
    assert "ghost-sim archers export" in commands
    assert "ghost-sim docs" in commands
    for command in commands:
        anchor = command.replace(" ", "-")
        assert f'id="{anchor}"' in reference, f"{command} is not in the reference"
    # The examples (each command's epilog) are there too.
    assert 'eval "$(ghost-sim completion bash)"' in reference


def test_the_reference_is_generated_from_the_root_group() -> None:
    page = (DOCS / "developers" / "cli.md").read_text(encoding="utf-8")
    assert "::: mkdocs-click" in page
    assert ":module: ghost_simulator.cli" in page
    assert ":command: cli" in page


def settings_read_in_the_source() -> dict[str, list[str]]:
    """Every key the package reads, and where: through the config or the
    settings, or as a ``GHOST_SIM_`` variable (outside ``cli/``, whose
    variables are its options')."""
    found: dict[str, list[str]] = {}
    for path in SOURCE.rglob("*.py"):
        if path.name == "settings_doc.py" or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        keys = READS.findall(text)
        if "cli" not in path.relative_to(SOURCE).parts:
            keys += re.findall(r"ENV_PREFIX\}_([A-Z][A-Z0-9_]+)", text)
        for key in keys:
            found.setdefault(key, []).append(str(path.relative_to(SOURCE)))
    return found


def test_every_setting_the_code_reads_is_declared() -> None:
    read = settings_read_in_the_source()
    for key in ("MATCH_CREATION_LIMIT", "LIVE_STREAMS", "CONFIG_FILE", "DATA_DIR"):
        assert key in read  # the patterns find them
    declared = {setting.name for setting in SETTINGS}
    undeclared = set(read) - declared - NOT_SETTINGS
    assert not undeclared, {key: read[key] for key in undeclared}
    # Every built-in default that is not Flask's or an extension's is declared.
    own = {
        key
        for key in DEFAULTS
        if key not in Flask.default_config and not key.startswith(("WTF_", "BABEL_"))
    }
    assert own - NOT_SETTINGS <= declared


def test_every_declared_setting_is_read() -> None:
    read = settings_read_in_the_source()
    sources = "\n".join(
        path.read_text(encoding="utf-8")
        for path in SOURCE.rglob("*.py")
        if path.name != "settings_doc.py"
    )
    for setting in SETTINGS:
        # Read by our code, or given to the extension that reads it
        # (Flask-Limiter's RATELIMIT_*, Flask-Babel's BABEL_*).
        assert setting.name in read or f'"{setting.name}"' in sources, setting.name


def test_declared_defaults_and_options_match_the_code() -> None:
    serve = cli.commands["serve"]
    serve_options = {opt for param in serve.params for opt in param.opts}
    for setting in SETTINGS:
        if setting.value is not COMPUTED:
            assert DEFAULTS[setting.name] == setting.value, setting.name
        for option in setting.options:
            assert option in serve_options, f"{setting.name}: serve has no {option}"
        assert setting.meaning.endswith("."), setting.name
        assert setting.default.endswith("."), setting.name


def test_the_configuration_page_is_generated(site: Path) -> None:
    page = (site / "operators" / "configuration.html").read_text(encoding="utf-8")
    for setting in SETTINGS:
        assert f"<code>{setting.env}</code>" in page, setting.name


def markdown_pages() -> list[Path]:
    return sorted(DOCS.rglob("*.md"))


def test_every_image_the_pages_name_exists() -> None:
    images = re.compile(r"!\[[^\]]*\]\(([^)#\s]+)")
    named = 0
    for page in markdown_pages():
        for target in images.findall(page.read_text(encoding="utf-8")):
            named += 1
            assert (page.parent / target).resolve().is_file(), f"{page}: {target}"
    assert named >= 10
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for target in images.findall(readme):
        assert (ROOT / target).is_file(), f"README.md: {target}"


def test_every_image_is_used() -> None:
    """Each screenshot ships in the wheel: none may sit there unread."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in markdown_pages())
    text += (ROOT / "README.md").read_text(encoding="utf-8")
    for png in (DOCS / "images").glob("*.png"):
        assert f"images/{png.name}" in text, f"{png.name} is on no page"


def test_screenshots_are_small_pngs() -> None:
    pngs = sorted((DOCS / "images").glob("*.png"))
    assert {p.stem.rsplit("-", 1)[1] for p in pngs} == {"light", "dark"}
    for png in pngs:
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", png
        assert png.stat().st_size < 150_000, png


def test_every_archers_page_has_its_spanish_twin() -> None:
    english = {p.name for p in (DOCS / "archers").glob("*.md")}
    spanish = {p.name for p in (DOCS / "es" / "archers").glob("*.md")}
    assert english == spanish


def test_ghost_sim_docs_builds_the_site(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["docs", "--build", str(tmp_path / "site")], prog_name="ghost-sim"
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "site" / "index.html").is_file()
    assert (tmp_path / "site" / "developers" / "cli.html").is_file()


def test_ghost_sim_docs_without_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(docs_command, "missing_packages", lambda: ["mkdocs-click"])
    result: Any = CliRunner().invoke(
        cli, ["docs", "--build", str(tmp_path / "site")], prog_name="ghost-sim"
    )
    assert result.exit_code == 1
    assert "install ghost-simulator[docs]" in result.output
    assert not (tmp_path / "site").exists()
