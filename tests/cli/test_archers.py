"""``ghost-sim archers``: the server's administrator manages accounts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ghost_simulator import create_app
from ghost_simulator.cli import cli
from ghost_simulator.engine import Ghost, Match, match_round
from ghost_simulator.passwords import verify
from ghost_simulator.store import archers, get_session, signins
from ghost_simulator.store import matches as stored
from ghost_simulator.store.models import Match as Row

PASSWORD = "a long enough password\n"


@pytest.fixture
def run(runner: CliRunner, data_dir: Path):  # type: ignore[no-untyped-def]
    def invoke(*args: str, stdin: str | None = None):  # type: ignore[no-untyped-def]
        return runner.invoke(
            cli, ["archers", *args, "--data-dir", str(data_dir)], input=stdin
        )

    return invoke


def add_match(data_dir: Path, username: str) -> str:
    app = create_app({"TESTING": True, "DATA_DIR": str(data_dir)})
    with app.app_context():
        archer = archers.by_login(username)
        assert archer is not None
        match = Match("set", match_round("recurve", False), Ghost.from_handicap(30), 4)
        match.add_end(["X", "10", "9"])
        owner = stored.Owner("key", archer.id)
        return stored.create(owner, match.to_dict(), "in_progress", match.summary())


def test_create_list_reset_export_import_delete(
    run, data_dir: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    made = run(
        "create",
        "Robin",
        "--email",
        "Robin@Example.org",
        "--password-stdin",
        stdin=PASSWORD,
    )
    assert made.exit_code == 0, made.output
    assert "Robin" in made.output
    listed = run("list", "--json")
    assert listed.exit_code == 0, listed.output
    (row,) = json.loads(listed.output)
    assert row["username"] == "Robin"
    assert row["matches"] == 0
    match_id = add_match(data_dir, "robin")
    assert json.loads(run("list", "--json").output)[0]["matches"] == 1

    app = create_app({"TESTING": True, "DATA_DIR": str(data_dir)})
    with app.app_context():
        archer = archers.by_login("robin")
        assert archer is not None
        sign_in = signins.start(archer.id)
    reset = run(
        "reset-password", "robin", "--password-stdin", stdin="another long password\n"
    )
    assert reset.exit_code == 0, reset.output
    with app.app_context():
        archer = archers.by_login("robin")
        assert archer is not None
        assert verify(archer.password_hash, "another long password")
        assert signins.find(sign_in) is None  # a reset signs every browser out

    target = tmp_path / "robin.json"
    exported = run("export", "robin", "-o", str(target))
    assert exported.exit_code == 0, exported.output
    document = json.loads(target.read_text(encoding="utf-8"))
    assert [m["id"] for m in document["matches"]] == [match_id]
    assert "password" not in target.read_text(encoding="utf-8")

    assert run("create", "marian", "--password-stdin", stdin=PASSWORD).exit_code == 0
    imported = run("import", "marian", str(target))
    assert imported.exit_code == 0, imported.output
    again = run("import", "marian", str(target))
    assert again.exit_code == 1
    assert "Traceback" not in again.output

    deleted = run("delete", "robin", "--yes")
    assert deleted.exit_code == 0, deleted.output
    with app.app_context():
        assert archers.by_login("robin") is None
        assert get_session().get(Row, match_id) is None  # its matches went too
    assert [r["username"] for r in json.loads(run("list", "--json").output)] == [
        "marian"
    ]


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (("create", "robin", "--password-stdin"), "short\n", "at least 8 characters"),
        (("create", "robin", "--password-stdin"), "\n", "No password"),
        (("reset-password", "nobody", "--password-stdin"), PASSWORD, "no archer"),
        (("delete", "nobody", "--yes"), None, "no archer"),
        (("export", "nobody"), None, "no archer"),
        (("import", "nobody", "/no/such/file.json"), None, "No such file"),
    ],
)
def test_clear_errors(run, args, stdin, message: str) -> None:  # type: ignore[no-untyped-def]
    result = run(*args, stdin=stdin)
    assert result.exit_code != 0
    assert message.lower() in result.output.lower()
    assert "Traceback" not in result.output


def test_taken_names_and_bad_files(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert run("create", "robin", "--password-stdin", stdin=PASSWORD).exit_code == 0
    taken = run("create", "ROBIN", "--password-stdin", stdin=PASSWORD)
    assert taken.exit_code == 1
    assert "taken" in taken.output.lower()
    bad = tmp_path / "bad.json"
    bad.write_text("not json", encoding="utf-8")
    refused = run("import", "robin", str(bad))
    assert refused.exit_code == 1
    assert "Traceback" not in refused.output


def test_delete_asks_first(run) -> None:  # type: ignore[no-untyped-def]
    assert run("create", "robin", "--password-stdin", stdin=PASSWORD).exit_code == 0
    kept = run("delete", "robin", stdin="n\n")
    assert kept.exit_code != 0
    assert "robin" in run("list").output
    gone = run("delete", "robin", stdin="y\n")
    assert gone.exit_code == 0, gone.output
    assert "robin" not in run("list").output


@pytest.mark.database_agnostic
def test_schema_prints_the_export_files_json_schema(
    runner: CliRunner, tmp_path: Path
) -> None:
    from ghost_simulator.services.export_file import FORMAT

    result = runner.invoke(cli, ["archers", "schema"])
    assert result.exit_code == 0, result.output
    schema = json.loads(result.output)
    assert schema["properties"]["format"]["const"] == FORMAT
    assert {
        "Archer",
        "Match",
        "State",
        "Bow",
        "SightMark",
        "Ladder",
        "LadderLink",
    } <= set(schema["$defs"])
    target = tmp_path / "export.schema.json"
    result = runner.invoke(cli, ["archers", "schema", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert json.loads(target.read_text("utf-8")) == schema


def test_spread_of_an_archer(run, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    from ghost_simulator.engine import get_round

    assert run("create", "robin", "--password-stdin", stdin=PASSWORD).exit_code == 0
    none = run("spread", "robin")
    assert none.exit_code == 1
    assert "robin has no finished ranking round yet" in none.output
    app = create_app({"TESTING": True, "DATA_DIR": str(data_dir)})
    rnd = get_round("wa18")
    shooter = Ghost.from_handicap(35)
    with app.app_context():
        archer = archers.by_login("robin")
        assert archer is not None
        for number in range(11):
            match = Match("ranking", rnd, Ghost.from_handicap(35), number)
            for end in shooter.shoot(rnd, number).ends:
                match.add_end(list(end.labels))
            owner = stored.Owner("key", archer.id)
            stored.create(owner, match.to_dict(), "won", match.summary())
    shown = run("spread", "robin", "--round", "wa18")
    assert shown.exit_code == 0, shown.output
    assert "from 11 comparable rounds (52% their own data; 10 needed)" in shown.output
    assert "on WA 18m: about" in shown.output
    data = json.loads(run("spread", "robin", "--json").output)
    assert data["own"] is True
    assert data["rounds"] == 11
    assert "on_round" not in data
    bad = run("spread", "robin", "--round", "nowhere")
    assert bad.exit_code == 2
    assert "Traceback" not in bad.output
    assert run("spread", "nobody").exit_code == 1
