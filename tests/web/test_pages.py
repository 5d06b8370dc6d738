"""The landing and about pages, in both languages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from ghost_simulator import __version__, create_app

SET_MATCH = {"kind": "set", "bow": "recurve", "indoor": "0"}
SET_MATCH |= {"ghost": "handicap", "handicap": "30"}


def test_landing_page(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert "<h1>Shoot against the ghost</h1>" in response.text
    assert 'href="/static/style.css?v=' in response.text
    assert '<html lang="en" ' in response.text


def test_about_shows_the_version(client: FlaskClient) -> None:
    response = client.get("/about")
    assert response.status_code == 200
    assert f'<dd data-testid="version">{__version__}</dd>' in response.text


@pytest.mark.parametrize(
    ("accept_language", "lang", "heading"),
    [
        ("es-ES,es;q=0.9,en;q=0.5", "es", "Tira contra el fantasma"),
        ("en-GB,en;q=0.9", "en", "Shoot against the ghost"),
        ("fr-FR,fr;q=0.9", "en", "Shoot against the ghost"),
        ("fr;q=0.9,es;q=0.8", "es", "Tira contra el fantasma"),
    ],
)
def test_language_from_the_browser(
    client: FlaskClient, accept_language: str, lang: str, heading: str
) -> None:
    response = client.get("/", headers={"Accept-Language": accept_language})
    assert f'<html lang="{lang}" ' in response.text
    assert f"<h1>{heading}</h1>" in response.text


@pytest.mark.parametrize("path", ["/static/style.css", "/static/icon.svg"])
def test_static_files_are_served(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    response.close()


def test_stylesheet_uses_the_brand_colour(client: FlaskClient) -> None:
    response = client.get("/static/style.css")
    assert "--brand: #fade95" in response.text
    response.close()


def test_pages_load_nothing_from_other_hosts(client: FlaskClient) -> None:
    for path in ("/", "/about", "/nope"):
        text = client.get(path).text
        assert "http://" not in text
        assert "https://" not in text
        assert "<script>" not in text
        assert "style=" not in text


# -- the health check ---------------------------------------------------------------


def test_healthz_answers_when_the_database_does(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers
    assert "Cookie" not in response.headers.get("Vary", "")


def test_healthz_never_sets_the_session_cookie(client: FlaskClient) -> None:
    """Even for a browser that has a session: a health check does not refresh it."""
    created = client.post("/matches", data=SET_MATCH)
    assert "Set-Cookie" in created.headers
    assert client.get_cookie("ghost_sim_session") is not None
    response = client.get("/healthz")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


@pytest.fixture
def default_limit_reset():  # type: ignore[no-untyped-def]
    """The limiter is one per process: leave no default limit to later apps."""
    from ghost_simulator.web.common.limits import limiter

    yield
    limiter.limit_manager.set_default_limits([])


@pytest.mark.usefixtures("default_limit_reset")
def test_healthz_is_not_rate_limited(data_dir: Path) -> None:
    app = create_app({"DATA_DIR": str(data_dir), "RATELIMIT_DEFAULT": "2 per minute"})
    client = app.test_client()
    assert client.get("/about").status_code == 200
    assert client.get("/about").status_code == 200
    assert client.get("/about").status_code == 429  # the default limit applies...
    for _ in range(10):
        assert client.get("/healthz").status_code == 200  # ...but not here


def assert_unavailable(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.is_json
    body = response.get_json()
    assert body["status"] == "unavailable"
    assert body["error"]["code"] == 503
    assert body["error"]["message"] == "The database does not answer."
    assert "Set-Cookie" not in response.headers


@pytest.mark.sqlite_only
def test_healthz_when_the_database_file_is_deleted(
    data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app({"DATA_DIR": str(data_dir)})
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    database = data_dir / "ghost-simulator.db"
    for path in data_dir.glob("ghost-simulator.db*"):
        path.unlink()
    assert_unavailable(client)
    assert not database.exists()  # the check did not create an empty one
    assert "does not exist" in caplog.text


@pytest.mark.sqlite_only
def test_healthz_when_the_database_is_not_a_database(data_dir: Path) -> None:
    app = create_app({"DATA_DIR": str(data_dir)})
    client = app.test_client()
    from ghost_simulator.store import get_engine

    get_engine(app).dispose()
    for path in data_dir.glob("ghost-simulator.db*"):
        path.unlink()
    (data_dir / "ghost-simulator.db").write_bytes(b"this is not a database\n" * 200)
    assert_unavailable(client)


def test_healthz_when_the_database_server_is_unreachable(
    data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    pytest.importorskip("psycopg")
    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"postgresql+psycopg://archer:s3cret-pw@127.0.0.1:{port}/ghosts"
    app = create_app({"DATA_DIR": str(data_dir), "DATABASE_URL": url})
    assert_unavailable(app.test_client())
    assert "Health check failed" in caplog.text
    assert "s3cret-pw" not in caplog.text


@pytest.mark.sqlite_only
def test_healthz_when_the_database_comes_back(data_dir: Path) -> None:
    app = create_app({"DATA_DIR": str(data_dir)})
    client = app.test_client()
    database = data_dir / "ghost-simulator.db"
    moved = data_dir / "elsewhere.db"
    database.rename(moved)
    assert_unavailable(client)
    moved.rename(database)
    assert client.get("/healthz").status_code == 200


# -- static files: versioned links, cached for a year ---------------------------------

STATIC_LINK = re.compile(r'(?:href|src)="(/static/[^"]*)"')
VERSIONED = "public, max-age=31536000, immutable"


def pages_to_check(client: FlaskClient) -> list[str]:
    created = client.post("/matches", data=SET_MATCH)
    return ["/", "/about", "/new", "/login", "/register", "/nope", created.location]


def test_every_static_link_is_versioned(client: FlaskClient) -> None:
    seen = set()
    for path in pages_to_check(client):
        page = client.get(path).text
        links = STATIC_LINK.findall(page)
        assert links, path
        for link in links:
            link = link.replace("&amp;", "&")
            assert re.fullmatch(r"/static/[\w./-]+\?v=[0-9a-f]{12}", link), link
            seen.add(link)
    assert any(link.startswith("/static/style.css?v=") for link in seen)
    assert any(link.startswith("/static/js/") for link in seen)
    for link in seen:
        response = client.get(link)
        assert response.status_code == 200, link
        assert response.headers["Cache-Control"] == VERSIONED
        assert "Expires" not in response.headers
        assert "Set-Cookie" not in response.headers
        assert "Cookie" not in response.headers.get("Vary", "")
        response.close()


def test_the_manifest_icons_are_versioned(client: FlaskClient) -> None:
    icons = client.get("/manifest.webmanifest").get_json()["icons"]
    assert all(
        re.fullmatch(r"/static/[\w.-]+\?v=[0-9a-f]{12}", i["src"]) for i in icons
    )


def test_the_version_is_the_content_hash(app, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    import hashlib

    content = Path(app.static_folder, "style.css").read_bytes()
    version = hashlib.sha256(content).hexdigest()[:12]
    assert f'href="/static/style.css?v={version}"' in client.get("/").text


@pytest.mark.parametrize("query", ["", "?v=0123456789ab", "?v="])
def test_a_static_file_without_its_version_is_cached_briefly(
    client: FlaskClient, query: str
) -> None:
    response = client.get(f"/static/style.css{query}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=3600"
    response.close()


def test_a_revalidated_static_file_keeps_its_cache_headers(client: FlaskClient) -> None:
    link = STATIC_LINK.findall(client.get("/").text)[0].replace("&amp;", "&")
    first = client.get(link)
    etag = first.headers["ETag"]
    first.close()
    again = client.get(link, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.headers["Cache-Control"] == VERSIONED
    again.close()


def test_a_missing_static_file_is_not_cached(client: FlaskClient) -> None:
    response = client.get("/static/nope.css?v=0123456789ab")
    assert response.status_code == 404
    assert "immutable" not in response.headers.get("Cache-Control", "")
