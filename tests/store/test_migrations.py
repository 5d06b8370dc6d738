"""The schema comes from migrations, and the migrations match the models."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from ghost_simulator import create_app
from ghost_simulator.errors import ConfigError, DatabaseError
from ghost_simulator.store import create_db_engine, masked, sqlite_file_missing
from ghost_simulator.store.migrate import current_revision, head_revision, upgrade
from ghost_simulator.store.models import Base

#: Every data dir starts empty here: the migrations are what is tested.
pytestmark = pytest.mark.empty_data_dir


@pytest.fixture
def engine(tmp_path: Path, fresh_database):  # type: ignore[no-untyped-def]
    """An empty database: a SQLite file, or a PostgreSQL schema of its own."""
    url = fresh_database(migrated=False) or f"sqlite:///{tmp_path / 'test.db'}"
    engine = create_db_engine(url)
    yield engine
    engine.dispose()


def test_upgrade_empty_database_to_head(engine) -> None:  # type: ignore[no-untyped-def]
    assert current_revision(engine) is None
    before, after = upgrade(engine)
    assert (before, after) == (None, head_revision())
    assert {"archers", "matches", "alembic_version"} <= set(
        inspect(engine).get_table_names()
    )


def test_upgrade_twice_is_harmless(engine) -> None:  # type: ignore[no-untyped-def]
    upgrade(engine)
    assert upgrade(engine) == (head_revision(), head_revision())


def test_migrations_match_the_models(engine) -> None:  # type: ignore[no-untyped-def]
    upgrade(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


@pytest.mark.sqlite_only
def test_sqlite_runs_with_wal_and_foreign_keys(engine) -> None:  # type: ignore[no-untyped-def]
    upgrade(engine)
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_foreign_keys_are_enforced(engine) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy.exc import IntegrityError

    upgrade(engine)
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO matches (id, owner_key, archer_id, kind, round_code,"
                " ghost, seed, state, status) VALUES"
                " ('m1', 'k', 999, 'set', 'wa70', '{}', 1, '{}', 'in_progress')"
            )
        )


@pytest.mark.sqlite_only
def test_app_upgrades_embedded_sqlite_on_start(data_dir: Path) -> None:
    app = create_app({"DATA_DIR": str(data_dir)})
    engine = create_db_engine(app.config["DATABASE_URL"])
    assert current_revision(engine) == head_revision()
    engine.dispose()


@pytest.mark.sqlite_only
def test_auto_upgrade_can_be_turned_off(data_dir: Path) -> None:
    app = create_app({"DATA_DIR": str(data_dir), "AUTO_UPGRADE": False})
    assert sqlite_file_missing(app.config["DATABASE_URL"])


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("not a url", "Invalid database URL"),
        ("nosuchdb://user@host/db", "Unknown database type 'nosuchdb'"),
        ("postgresql+nosuchdriver://u@h/db", "Unknown database type"),
    ],
)
def test_bad_database_url_is_a_clear_error(url: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        create_db_engine(url)


def test_missing_driver_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if not installed
    with pytest.raises(ConfigError, match=r"ghost-simulator\[postgres\]"):
        create_db_engine("postgresql+psycopg://archer:secret@localhost/ghosts")


def test_unreachable_database_is_a_clear_error(tmp_path: Path) -> None:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'no' / 'such' / 'dir.db'}")
    with pytest.raises(DatabaseError, match="Cannot use the database"):
        current_revision(engine)


def test_masked_hides_password() -> None:
    assert masked("postgresql+psycopg://archer:s3cret@db/ghosts") == (
        "postgresql+psycopg://archer:***@db/ghosts"
    )
    assert "s3cret" not in masked("postgresql://a:s3cret@h/d")


#: A match as release 0001 stored it: its ghost without a model version.
OLD_STATE = {
    "version": 1,
    "kind": "set",
    "round": {"match": {"bow": "recurve", "indoor": False}},
    "ghost": {
        "kind": "handicap",
        "handicap": 40.0,
        "scheme": "AGB",
        "form": 2.0,
        "min_end": None,
        "max_end": None,
        "source": {},
    },
    "seed": 2026,
    "archer_ends": [["X", "10", "9"], {"total": 25}],
    "shoot_offs": [],
}


def test_a_release_0001_database_upgrades_with_every_row_intact(engine) -> None:  # type: ignore[no-untyped-def]
    """Rows made by the previous release's schema keep every value, and gain
    the history's summary, computed from their state."""
    upgrade(engine, "0001")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO archers (id, username, email, password_hash, locale)"
                " VALUES (1, 'robin', 'robin@example.org', 'scrypt:hash', 'es')"
            )
        )
        for match_id, archer, state, status in (
            ("a" * 22, 1, OLD_STATE, "in_progress"),
            ("b" * 22, None, {**OLD_STATE, "seed": 7}, "in_progress"),
            ("c" * 22, None, {"version": 99, "broken": True}, "won"),
        ):
            connection.execute(
                text(
                    "INSERT INTO matches (id, owner_key, archer_id, kind, round_code,"
                    " ghost, seed, state, status) VALUES (:id, 'browser', :archer,"
                    " 'set', 'match_recurve_outdoor', :ghost, :seed, :state, :status)"
                ),
                {
                    "id": match_id,
                    "archer": archer,
                    "ghost": json.dumps(state.get("ghost", {})),
                    "seed": state.get("seed", 0),
                    "state": json.dumps(state),
                    "status": status,
                },
            )
        before = [
            dict(row._mapping)
            for row in connection.execute(text("SELECT * FROM matches ORDER BY id"))
        ]
        archer_before = dict(
            connection.execute(text("SELECT * FROM archers")).one()._mapping
        )
    upgrade(engine)
    with engine.connect() as connection:
        after = [
            dict(row._mapping)
            for row in connection.execute(text("SELECT * FROM matches ORDER BY id"))
        ]
        archer_after = dict(
            connection.execute(text("SELECT * FROM archers")).one()._mapping
        )
    assert [{k: row[k] for k in before[0]} for row in after] == before
    assert {k: archer_after[k] for k in archer_before} == archer_before
    assert archer_after["bowstyle"] == "recurve"
    assert "session_version" not in archer_after  # sign-ins replaced it (0006)
    first = after[0]
    assert (first["archer_total"], first["ends_shot"], first["arrows_shot"]) == (
        54,
        2,
        6,
    )
    assert first["model"] == 1
    assert first["ghost_kind"] == "handicap"
    assert first["bow"] == "recurve"
    assert first["max_score"] == 150
    assert first["archer_handicap"] is not None
    assert after[2]["archer_total"] is None  # an unreadable state keeps no summary


def test_a_release_0002_database_upgrades_with_every_row_intact(engine) -> None:  # type: ignore[no-untyped-def]
    """Matches made before versions existed start at version 1, every value
    kept; the new token table starts empty."""
    upgrade(engine, "0002")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO archers (id, username, password_hash)"
                " VALUES (1, 'robin', 'scrypt:hash')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO matches (id, owner_key, archer_id, kind, round_code,"
                " ghost, seed, state, status, archer_total, ends_shot)"
                " VALUES (:id, 'browser', 1, 'set', 'match_recurve_outdoor', :ghost,"
                " 2026, :state, 'in_progress', 54, 2)"
            ),
            {
                "id": "a" * 22,
                "ghost": json.dumps(OLD_STATE["ghost"]),
                "state": json.dumps(OLD_STATE),
            },
        )
        before = dict(connection.execute(text("SELECT * FROM matches")).one()._mapping)
    upgrade(engine)
    with engine.connect() as connection:
        after = dict(connection.execute(text("SELECT * FROM matches")).one()._mapping)
        tokens = connection.execute(text("SELECT count(*) FROM api_tokens")).scalar()
    assert {k: after[k] for k in before} == before
    assert after["version"] == 1
    assert tokens == 0


def test_a_release_0006_database_gains_each_set_matchs_set_points(engine) -> None:  # type: ignore[no-untyped-def]
    """0007 fills a set match's set points from its state; other matches, and
    a state that cannot be read, keep them empty; every other value is kept."""
    upgrade(engine, "0006")
    ranking = {
        **OLD_STATE,
        "kind": "ranking",
        "round": {"codename": "wa18", "half": True},
    }
    with engine.begin() as connection:
        for match_id, kind, state in (
            ("a" * 22, "set", OLD_STATE),  # 2 ends: X 10 9 (29) and 25
            ("b" * 22, "ranking", ranking),
            ("c" * 22, "set", {"version": 99, "broken": True}),
        ):
            connection.execute(
                text(
                    "INSERT INTO matches (id, owner_key, kind, round_code, ghost,"
                    " seed, state, status) VALUES (:id, 'browser', :kind, 'x',"
                    " '{}', 1, :state, 'in_progress')"
                ),
                {"id": match_id, "kind": kind, "state": json.dumps(state)},
            )
        before = [
            dict(row._mapping)
            for row in connection.execute(text("SELECT * FROM matches ORDER BY id"))
        ]
    upgrade(engine)
    with engine.connect() as connection:
        after = [
            dict(row._mapping)
            for row in connection.execute(text("SELECT * FROM matches ORDER BY id"))
        ]
    assert [{k: row[k] for k in before[0]} for row in after] == before
    from ghost_simulator.engine import Match

    verdict = Match.from_dict(OLD_STATE).verdict()
    assert (after[0]["archer_set_points"], after[0]["ghost_set_points"]) == (
        verdict.archer_points,
        verdict.ghost_points,
    )
    assert after[0]["archer_set_points"] is not None
    assert after[1]["archer_set_points"] is None
    assert after[2]["archer_set_points"] is None


def test_0008_adds_the_ladders_and_goes_back(engine) -> None:  # type: ignore[no-untyped-def]
    """0008 adds the ghost ladders' two tables and nothing else; its downgrade
    drops them and leaves 0007's schema as it was, and upgrading again brings
    them back."""
    from alembic import command

    from ghost_simulator.store.migrate import alembic_config

    upgrade(engine, "0007")
    before = set(inspect(engine).get_table_names())
    upgrade(engine, "0008")
    assert set(inspect(engine).get_table_names()) == before | {
        "ladders",
        "ladder_matches",
    }
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO ladders (id, owner_key, kind, bow, indoor, scheme,"
                " target, start_level, start_source) VALUES ('l1', 'browser',"
                " 'set', 'recurve', false, 'AGB', 0.5, 40, 'handicap')"
            )
        )
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0007")
    assert set(inspect(engine).get_table_names()) == before
    assert current_revision(engine) == "0007"
    upgrade(engine)
    assert {"ladders", "ladder_matches"} <= set(inspect(engine).get_table_names())
    assert current_revision(engine) == head_revision()


def test_0009_adds_the_competition_days_and_goes_back(engine) -> None:  # type: ignore[no-untyped-def]
    """0009 adds the competition days' two tables and nothing else; its
    downgrade drops them (a day stored included) and upgrading again brings
    them back."""
    from alembic import command

    from ghost_simulator.store.migrate import alembic_config

    upgrade(engine, "0008")
    before = set(inspect(engine).get_table_names())
    upgrade(engine, "0009")
    assert set(inspect(engine).get_table_names()) == before | {
        "competition_days",
        "day_matches",
    }
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO competition_days (id, owner_key, bow, indoor,"
                " round_code, scheme, seed, field_source, field, archer_name)"
                " VALUES ('d1', 'browser', 'recurve', false, 'wa720_70', 'AGB',"
                " 5, 'upload', '[[\"A\", 600]]', 'You')"
            )
        )
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0008")
    assert set(inspect(engine).get_table_names()) == before
    assert current_revision(engine) == "0008"
    upgrade(engine)
    assert {"competition_days", "day_matches"} <= set(inspect(engine).get_table_names())
    assert current_revision(engine) == head_revision()


def test_0010_adds_the_team_matches_and_goes_back(engine) -> None:  # type: ignore[no-untyped-def]
    """0010 adds the team matches' table and nothing else; its downgrade drops
    it (a team match stored included) and upgrading again brings it back."""
    from alembic import command

    from ghost_simulator.store.migrate import alembic_config

    upgrade(engine, "0009")
    before = set(inspect(engine).get_table_names())
    upgrade(engine, "0010")
    assert set(inspect(engine).get_table_names()) == before | {"team_matches"}
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO team_matches (id, owner_key, kind, bow, indoor,"
                " system, state, status)"
                " VALUES ('t1', 'browser', 'team', 'recurve', false, 'set',"
                " '{}', 'in_progress')"
            )
        )
        version = connection.execute(
            text("SELECT version FROM team_matches WHERE id = 't1'")
        ).scalar()
        assert version == 1
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0009")
    assert set(inspect(engine).get_table_names()) == before
    assert current_revision(engine) == "0009"
    upgrade(engine)
    assert "team_matches" in set(inspect(engine).get_table_names())
    assert current_revision(engine) == head_revision()


def test_0011_adds_clubs_and_ghost_nights_and_goes_back(engine) -> None:  # type: ignore[no-untyped-def]
    """0011 adds the clubs' and ghost nights' five tables and nothing else;
    its downgrade drops them (a club stored included) and upgrading again
    brings them back."""
    from alembic import command

    from ghost_simulator.store.migrate import alembic_config

    tables = {"clubs", "club_members", "club_invites", "ghost_nights", "night_entries"}
    upgrade(engine, "0010")
    before = set(inspect(engine).get_table_names())
    upgrade(engine, "0011")
    assert set(inspect(engine).get_table_names()) == before | tables
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO clubs (id, name) VALUES ('c1', 'Club')"))
        connection.execute(
            text(
                "INSERT INTO ghost_nights (id, club_id, title, match, ranking,"
                " opens_at, closes_at, timezone) VALUES ('n1', 'c1', 'Friday',"
                " '{}', 'score', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'UTC')"
            )
        )
        version = connection.execute(
            text("SELECT version FROM ghost_nights WHERE id = 'n1'")
        ).scalar()
        assert version == 0
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0010")
    assert set(inspect(engine).get_table_names()) == before
    assert current_revision(engine) == "0010"
    upgrade(engine)
    assert tables <= set(inspect(engine).get_table_names())
    assert current_revision(engine) == head_revision()


def test_0012_adds_shared_rounds_and_goes_back(engine) -> None:  # type: ignore[no-untyped-def]
    """0012 adds the shared rounds' table and nothing else; its downgrade
    drops it (a share stored included) and upgrading again brings it back."""
    from alembic import command

    from ghost_simulator.store.migrate import alembic_config

    upgrade(engine, "0011")
    before = set(inspect(engine).get_table_names())
    upgrade(engine, "0012")
    assert set(inspect(engine).get_table_names()) == before | {"shared_rounds"}
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO archers (id, username, password_hash)"
                " VALUES (1, 'robin', 'x')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO matches (id, owner_key, archer_id, kind, round_code,"
                " ghost, seed, status, state) VALUES ('m1', 'k', 1, 'ranking',"
                " 'wa18', '{}', 1, 'won', '{}')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO shared_rounds (id, archer_id, match_id, token_hash)"
                " VALUES ('s1', 1, 'm1', 'h')"
            )
        )
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0011")
    assert set(inspect(engine).get_table_names()) == before
    assert current_revision(engine) == "0011"
    upgrade(engine)
    assert "shared_rounds" in set(inspect(engine).get_table_names())
    assert current_revision(engine) == head_revision()


def test_0013_adds_postal_leagues_and_goes_back(engine) -> None:  # type: ignore[no-untyped-def]
    """0013 adds the leagues' table and two nullable columns on ghost nights,
    keeping every night and its entries; its downgrade drops them (a league
    stored included, its nights kept as nights of their own) and upgrading
    again brings them back."""
    from alembic import command

    from ghost_simulator.store.migrate import alembic_config

    upgrade(engine, "0012")
    before = set(inspect(engine).get_table_names())
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO archers (id, username, password_hash)"
                " VALUES (1, 'robin', 'x')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO matches (id, owner_key, archer_id, kind, round_code,"
                " ghost, seed, status, state) VALUES ('m1', 'k', 1, 'ranking',"
                " 'wa18', '{}', 1, 'won', '{}')"
            )
        )
        connection.execute(text("INSERT INTO clubs (id, name) VALUES ('c1', 'Club')"))
        connection.execute(
            text(
                "INSERT INTO ghost_nights (id, club_id, title, match, ranking,"
                " opens_at, closes_at, timezone) VALUES ('n1', 'c1', 'Friday',"
                " '{}', 'score', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'UTC')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO night_entries (night_id, archer_id, match_id)"
                " VALUES ('n1', 1, 'm1')"
            )
        )
    upgrade(engine, "0013")
    assert set(inspect(engine).get_table_names()) == before | {"leagues"}
    columns = {c["name"] for c in inspect(engine).get_columns("ghost_nights")}
    assert {"league_id", "league_week"} <= columns
    # As the app migrates: SQLite's foreign keys off while a table is copied.
    with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        with connection.begin():
            assert (
                connection.execute(text("SELECT count(*) FROM night_entries")).scalar()
                == 1
            )
            assert (
                connection.execute(
                    text("SELECT league_id FROM ghost_nights WHERE id = 'n1'")
                ).scalar()
                is None
            )
            connection.execute(
                text(
                    "INSERT INTO leagues (id, club_id, title, best, ranking, nights,"
                    " every_days, timezone) VALUES ('l1', 'c1', 'Winter', 1, 'score',"
                    " 2, 7, 'UTC')"
                )
            )
            connection.execute(
                text("UPDATE ghost_nights SET league_id = 'l1', league_week = 1")
            )
            config = alembic_config()
            config.attributes["connection"] = connection
            command.downgrade(config, "0012")
    assert set(inspect(engine).get_table_names()) == before
    assert current_revision(engine) == "0012"
    with engine.begin() as connection:
        assert (
            connection.execute(text("SELECT count(*) FROM night_entries")).scalar() == 1
        )
    upgrade(engine)
    assert "leagues" in set(inspect(engine).get_table_names())
    assert current_revision(engine) == head_revision()
