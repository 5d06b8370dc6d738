"""A session names exactly one account for its whole life: sign-ins kept on the
server, ended by signing out (a copied cookie stops working), by "sign out
everywhere", by a new password and with the account. Runs on SQLite and, in
the PostgreSQL run, on PostgreSQL."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from ghost_simulator.store import get_session, tokens
from ghost_simulator.store.models import Archer, SignIn

from .test_accounts import PASSWORD, notices, quick_hashes, register, sign_in
from .test_accounts import signed_in_as as _signed_in_as

__all__ = ["quick_hashes"]  # the fixture, used here too


def signed_in_as(client: FlaskClient) -> str | None:
    return _signed_in_as(client)


def archer_id(app: Flask, username: str) -> int:
    with app.app_context():
        found = get_session().scalars(
            select(Archer.id).where(Archer.username == username)
        )
        return int(found.one())


def me(client: FlaskClient) -> dict[str, object]:
    response = client.get("/api/v1/me")
    assert response.status_code == 200
    return dict(response.json or {})


def test_a_deleted_accounts_session_never_becomes_the_next_accounts(
    app: Flask,
) -> None:
    """The takeover, as found: register victim_old, sign in to it in a second
    browser, delete it from the first, register someone_else: the second
    browser must be signed out, not signed in as someone_else."""
    first, second, third = app.test_client(), app.test_client(), app.test_client()
    assert register(first, username="victim_old").status_code == 303
    old_id = archer_id(app, "victim_old")
    assert sign_in(second, "victim_old").status_code == 303
    assert signed_in_as(second) == "victim_old"
    deleted = first.post(
        "/settings/delete",
        data={"delete_password": PASSWORD, "confirm_username": "victim_old"},
    )
    assert deleted.status_code == 303
    assert (
        register(third, username="someone_else", email="else@example.org").status_code
        == 303
    )
    assert archer_id(app, "someone_else") != old_id  # ids are never given out again

    assert signed_in_as(second) is None
    settings = second.get("/settings")
    assert settings.status_code == 302
    assert "/login" in settings.headers["Location"]
    assert "else@example.org" not in second.get("/settings", follow_redirects=True).text
    assert me(second)["archer"] is None
    assert me(second)["auth"] == "anonymous"
    changed = second.post("/settings/profile", data={"name": "taken over"})
    assert changed.status_code == 302  # to the sign-in page: nothing changed
    with app.app_context():
        archer = get_session().get(Archer, archer_id(app, "someone_else"))
        assert archer is not None
        assert archer.name is None
    assert signed_in_as(third) == "someone_else"


def test_ids_are_never_reused(app: Flask) -> None:
    """Not even the last one (SQLite's AUTOINCREMENT, PostgreSQL's sequences)."""
    client = app.test_client()
    register(client, username="first")
    first = archer_id(app, "first")
    client.post(
        "/settings/delete",
        data={"delete_password": PASSWORD, "confirm_username": "first"},
    )
    register(app.test_client(), username="second")
    assert archer_id(app, "second") > first


def test_an_old_style_session_signs_nobody_in(app: Flask) -> None:
    """Sessions made before sign-ins named the archer as "id.version": such a
    cookie (or a forged one) is not a sign-in."""
    register(app.test_client(), username="alice")
    client = app.test_client()
    for value in (f"{archer_id(app, 'alice')}.0", "1", "", "x" * 5000):
        with client.session_transaction() as session:
            session["_user_id"] = value
        assert signed_in_as(client) is None
        assert client.get("/settings").status_code == 302


def test_signing_out_ends_the_sign_in_on_the_server(app: Flask) -> None:
    """A copy of the cookie taken before signing out stops working with it."""
    alice = app.test_client()
    register(alice)
    cookie = alice.get_cookie("ghost_sim_session")
    assert cookie is not None
    copy = app.test_client()
    copy.set_cookie("ghost_sim_session", cookie.value)
    assert signed_in_as(copy) == "alice"
    assert alice.post("/logout").status_code == 303
    assert signed_in_as(alice) is None
    assert signed_in_as(copy) is None
    assert copy.get("/settings").status_code == 302
    with app.app_context():
        assert get_session().scalars(select(SignIn)).all() == []


def test_sign_out_everywhere_else(app: Flask) -> None:
    alice = app.test_client()
    register(alice)
    phone, laptop = app.test_client(), app.test_client()
    sign_in(phone)
    sign_in(laptop)
    page = alice.get("/settings").text
    assert "signed in on 2 other browsers or devices" in page
    with app.app_context():
        token = tokens.create(archer_id(app, "alice"), "script")[1]
    bearer = {"Authorization": f"Bearer {token}"}

    response = alice.post("/settings/sign-out-everywhere")
    assert response.status_code == 303
    assert (
        notices(alice.get("/settings").text)[-1] == "2 other browsers are signed out."
    )
    assert signed_in_as(alice) == "alice"  # this browser stays
    assert signed_in_as(phone) is None
    assert signed_in_as(laptop) is None
    assert "signed in on this browser only" in alice.get("/settings").text
    assert app.test_client().get("/api/v1/me", headers=bearer).json["auth"] == "token"

    sign_in(phone)
    response = alice.post("/settings/sign-out-everywhere", data={"tokens": "1"})
    assert response.status_code == 303
    assert notices(alice.get("/settings").text)[-1] == (
        "1 other browser is signed out. 1 API token is revoked."
    )
    assert signed_in_as(phone) is None
    assert app.test_client().get("/api/v1/me", headers=bearer).status_code == 401


def test_sign_out_everywhere_needs_the_forms_token(data_dir) -> None:  # type: ignore[no-untyped-def]
    from ghost_simulator import create_app

    app = create_app({"TESTING": True, "DATA_DIR": str(data_dir)})
    client = app.test_client()
    assert client.post("/settings/sign-out-everywhere").status_code == 400


def test_a_new_password_keeps_api_tokens_and_says_so(app: Flask) -> None:
    alice = app.test_client()
    register(alice)
    other = app.test_client()
    sign_in(other)
    with app.app_context():
        token = tokens.create(archer_id(app, "alice"), "script")[1]
    new = "a new password"
    response = alice.post(
        "/settings/password",
        data={"current_password": PASSWORD, "password": new, "confirm_password": new},
    )
    assert response.status_code == 303
    assert "your API tokens keep working" in notices(alice.get("/settings").text)[-1]
    assert signed_in_as(other) is None
    headers = {"Authorization": f"Bearer {token}"}
    assert app.test_client().get("/api/v1/me", headers=headers).json["auth"] == "token"
    assert "your API tokens keep working" in alice.get("/settings").text


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_sign_ins_section_speaks_both_languages(app: Flask, language: str) -> None:
    alice = app.test_client()
    register(alice)
    sign_in(app.test_client())
    page = alice.get("/settings", headers={"Accept-Language": language}).text
    expected = {
        "en": "You are also signed in on 1 other browser or device.",
        "es": "1 otro navegador o dispositivo",
    }[language]
    assert expected in page
