"""The data routes: downloads of everything an archer keeps here, and the
import of an export into a new, empty account."""

from __future__ import annotations

import csv
import gc
import io
import json
import re
from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from ghost_simulator import create_app
from ghost_simulator.services import transfer
from ghost_simulator.store import signins
from ghost_simulator.store.models import Match as Row

from ...sessions import sign_in_as
from ...store.sample_matches import (
    SCRIPT,
    make_archer,
    make_archer_with_matches,
    table_snapshot,
)

# Werkzeug's test client spools a large request body to a temporary file that
# it leaves to the garbage collector: collect them within this module's tests.
pytestmark = pytest.mark.filterwarnings(
    "ignore::pytest.PytestUnraisableExceptionWarning"
)


@pytest.fixture(autouse=True)
def _collect_spooled_uploads():  # type: ignore[no-untyped-def]
    yield
    gc.collect()


def sign_in(client: FlaskClient, archer_id: int) -> None:
    sign_in_as(client, archer_id)


@pytest.fixture
def robin(app: Flask, client: FlaskClient) -> tuple[int, list[str]]:
    """Robin, signed in, with a match of every kind; and another archer."""
    with app.app_context():
        archer_id, ids = make_archer_with_matches("robin")
        make_archer_with_matches("marian")
    sign_in(client, archer_id)
    return archer_id, ids


def other_ids(app: Flask, archer_id: int) -> set[str]:
    with app.app_context():
        from ghost_simulator.store import get_session

        found = get_session().scalars(
            Row.__table__.select()
            .with_only_columns(Row.id)
            .where(Row.archer_id != archer_id)
        )
        return set(found)


def upload(
    client: FlaskClient, data: bytes, name: str = "export.json", **extra: str
) -> Any:
    return client.post(
        "/settings/import",
        data={"file": (io.BytesIO(data), name), **extra},
        content_type="multipart/form-data",
    )


def attachment_name(response: Any) -> str:
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    found = re.search(r'filename="?([^";]+)"?', disposition)
    assert found, disposition
    return found.group(1)


def today() -> str:
    return datetime.now(UTC).date().isoformat()


def download(client: FlaskClient, path: str) -> tuple[Any, set[str]]:
    """GET ``path``; the answer, and the days (UTC) its file may be named
    after: the day of the request, or the next when it crossed midnight."""
    before = today()
    response = client.get(path)
    return response, {before, today()}


# -- downloads ------------------------------------------------------------------------


def test_export_json(
    app: Flask, client: FlaskClient, robin: tuple[int, list[str]]
) -> None:
    archer_id, ids = robin
    response, days = download(client, "/settings/export.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert attachment_name(response) in {
        f"ghost-simulator-robin-{day}.json" for day in days
    }
    assert "no-store" in response.headers["Cache-Control"]
    document = json.loads(response.data)
    assert document["format"] == "ghost-simulator-export"
    assert document["archer"]["username"] == "robin"
    assert [m["id"] for m in document["matches"]] == ids
    text = response.get_data(as_text=True)
    assert not any(match_id in text for match_id in other_ids(app, archer_id))
    assert "marian" not in text
    assert "scrypt" not in text
    assert "password" not in text


@pytest.mark.parametrize("table", ["archer", "matches"])
def test_export_csv(
    app: Flask, client: FlaskClient, robin: tuple[int, list[str]], table: str
) -> None:
    archer_id, ids = robin
    response, days = download(client, f"/settings/export/{table}.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert attachment_name(response) in {
        f"ghost-simulator-robin-{table}-{day}.csv" for day in days
    }
    text = response.data.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    if table == "archer":
        assert [row["username"] for row in rows] == ["robin"]
        assert rows[0]["name"].endswith(SCRIPT)
    else:
        assert [row["id"].removeprefix("'") for row in rows] == ids
        assert all(json.loads(row["state"])["version"] == 1 for row in rows)
    assert not any(match_id in text for match_id in other_ids(app, archer_id))
    assert "marian" not in text


def test_unknown_table(client: FlaskClient, robin: tuple[int, list[str]]) -> None:
    assert client.get("/settings/export/archers.csv").status_code == 404
    assert client.get("/settings/export/passwords.csv").status_code == 404


def test_a_unicode_username_in_the_file_name(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        archer = make_archer("jose.perez")
        archer_id = archer.id
    sign_in(client, archer_id)
    response, days = download(client, "/settings/export.json")
    assert attachment_name(response) in {
        f"ghost-simulator-jose.perez-{day}.json" for day in days
    }


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/settings/export.json"),
        ("get", "/settings/export/matches.csv"),
        ("get", "/settings/export/archer.csv"),
        ("post", "/settings/import"),
    ],
)
def test_visitors_are_sent_to_sign_in(
    client: FlaskClient, method: str, path: str
) -> None:
    response = getattr(client, method)(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_a_stale_session_is_signed_out(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        archer_id = make_archer().id
    token = sign_in_as(client, archer_id)
    assert client.get("/settings/export.json").status_code == 200
    with app.app_context():
        signins.end_others(archer_id)  # as a new password does
    assert client.get("/settings/export.json").status_code == 302
    with client.session_transaction() as session:
        session["_user_id"] = f"{archer_id}.0"  # a session from before sign-ins
    assert client.get("/settings/export.json").status_code == 302
    assert token


# -- import ----------------------------------------------------------------------------


@pytest.fixture
def export_file(app: Flask) -> bytes:
    with app.app_context():
        archer_id, _ = make_archer_with_matches("old-robin")
        return transfer.dumps(transfer.export_archer(archer_id)).encode()


@pytest.fixture
def newcomer(app: Flask, client: FlaskClient) -> int:
    with app.app_context():
        archer_id = make_archer("new-robin").id
    sign_in(client, archer_id)
    return archer_id


def test_import(
    app: Flask, client: FlaskClient, export_file: bytes, newcomer: int
) -> None:
    response = upload(client, export_file)
    assert response.status_code == 303
    assert response.headers["Location"] == "/settings"
    page = client.get("/settings").get_data(as_text=True)
    assert "Imported 12 matches." in page
    assert SCRIPT not in page  # the imported name is shown escaped
    assert "&lt;script&gt;" in page
    with app.app_context():
        assert transfer.match_count(newcomer) == 12
    exported = json.loads(client.get("/settings/export.json").data)
    assert len(exported["matches"]) == 12
    assert exported["archer"]["username"] == "new-robin"


def test_imported_text_is_escaped_on_the_match_page(
    app: Flask, client: FlaskClient, export_file: bytes, newcomer: int
) -> None:
    document = json.loads(export_file)
    match = document["matches"][1]  # a ghost made from a score
    match["state"]["ghost"]["source"]["classification"] = SCRIPT
    match["ghost"] = match["state"]["ghost"]
    assert upload(client, transfer.dumps(document).encode()).status_code == 303
    with app.app_context():
        from sqlalchemy import select

        from ghost_simulator.store import get_session

        rows = get_session().scalars(select(Row).where(Row.archer_id == newcomer))
        # The exporter's ids are taken on this server: the imported copy of the
        # match has a new one.
        (row,) = [r for r in rows if SCRIPT in json.dumps(r.state)]
        match_id = row.id
    page = client.get(f"/matches/{match_id}")
    assert page.status_code == 200
    assert SCRIPT not in page.get_data(as_text=True)
    assert "&lt;script&gt;" in page.get_data(as_text=True)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not json at all", "not valid JSON"),
        (b'{"format": "ghost-simulator-export", "version": 99}', "newer Ghost"),
        (b"", "Choose the .json file to import."),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not text (UTF-8)"),
    ],
)
def test_bad_files_are_refused(
    app: Flask, client: FlaskClient, newcomer: int, data: bytes, message: str
) -> None:
    with app.app_context():
        before = table_snapshot()
    response = upload(client, data, name="x.json" if data else "")
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert message in text
    assert 'data-testid="import-error"' in text
    assert 'href="/settings"' in text
    with app.app_context():
        assert table_snapshot() == before


def test_a_hostile_match_is_named(
    app: Flask, client: FlaskClient, export_file: bytes, newcomer: int
) -> None:
    document = json.loads(export_file)
    document["matches"][3]["state"]["archer_ends"][0] = ["<script>", "X", "X"]
    response = upload(client, transfer.dumps(document).encode())
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert f"Match 4 (id {document['matches'][3]['id']})" in text
    assert "<script>" not in text.split('data-testid="import-error"')[1]
    with app.app_context():
        assert transfer.match_count(newcomer) == 0


def test_no_file_is_refused(client: FlaskClient, newcomer: int) -> None:
    response = client.post("/settings/import", data={})
    assert response.status_code == 400
    assert "Choose the .json file to import." in response.get_data(as_text=True)


def test_an_account_with_matches_is_refused(
    app: Flask, client: FlaskClient, robin: tuple[int, list[str]], export_file: bytes
) -> None:
    response = upload(client, export_file)
    assert response.status_code == 400
    assert "already has 12 matches" in response.get_data(as_text=True)
    with app.app_context():
        assert transfer.match_count(robin[0]) == 12


def test_an_export_larger_than_other_requests_is_taken(
    app: Flask, client: FlaskClient, export_file: bytes, newcomer: int
) -> None:
    padded = export_file + b" " * (app.config["MAX_CONTENT_LENGTH"] + 1)
    assert upload(client, padded).status_code == 303
    with app.app_context():
        assert transfer.match_count(newcomer) == 12
    gc.collect()


def test_a_file_too_large_is_refused(
    client: FlaskClient, newcomer: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ghost_simulator.web.account import your_data as data

    monkeypatch.setattr(data, "UPLOAD_LIMIT", 1000)
    response = upload(client, b" " * 2000)
    assert response.status_code == 413
    assert "The file is larger than 20 MB" in response.get_data(as_text=True)


def test_import_needs_the_forms_token(data_dir: Any, export_file: bytes) -> None:
    """With CSRF protection on (as served), an upload needs the page's token,
    and a large upload still reaches that check."""
    app = create_app({"TESTING": True, "DATA_DIR": str(data_dir)})
    client = app.test_client()
    with app.app_context():
        archer_id = make_archer("new-robin").id
    sign_in(client, archer_id)
    padded = export_file + b" " * (app.config["MAX_CONTENT_LENGTH"] + 1)
    refused = upload(client, padded)
    assert refused.status_code == 400
    assert "expired" in refused.get_data(as_text=True)
    with app.app_context():
        assert transfer.match_count(archer_id) == 0
    settings = client.get("/settings").get_data(as_text=True)
    found = re.search(r'name="csrf_token" value="([^"]+)"', settings)
    assert found
    assert upload(client, padded, csrf_token=found.group(1)).status_code == 303
    with app.app_context():
        assert transfer.match_count(archer_id) == 12
    gc.collect()
