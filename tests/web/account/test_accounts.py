"""Accounts: registering, signing in and out, the settings page, throttling, and
what none of them may reveal or allow."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from ghost_simulator import create_app, passwords
from ghost_simulator.store import get_session
from ghost_simulator.store.models import Archer
from ghost_simulator.store.models import Match as MatchRow
from ghost_simulator.web.site import local_url

from ..play.test_play import start

PASSWORD = "correct horse"
SPANISH = {"Accept-Language": "es-ES"}


@pytest.fixture(autouse=True)
def quick_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Still scrypt, at a cost that keeps the tests fast."""

    def cheap(password: str) -> str:
        return generate_password_hash(password, method="scrypt:1024:8:1")

    monkeypatch.setattr(passwords, "hash_password", cheap)
    monkeypatch.setattr(passwords, "_DECOY", cheap("decoy"))


def register(
    client: FlaskClient,
    username: str = "alice",
    password: str = PASSWORD,
    email: str = "",
    **extra: str,
) -> Any:
    data = {
        "username": username,
        "email": email,
        "password": password,
        "confirm_password": password,
        **extra,
    }
    return client.post("/register", data=data)


def sign_in(
    client: FlaskClient, login: str = "alice", password: str = PASSWORD, **extra: str
) -> Any:
    return client.post("/login", data={"login": login, "password": password, **extra})


def signed_in_as(client: FlaskClient) -> str | None:
    found = re.search(r'data-testid="account-name">([^<]*)<', client.get("/about").text)
    return found.group(1) if found else None


def archer_row(app: Flask, username: str) -> Archer | None:
    with app.app_context():
        statement = select(Archer).where(Archer.username == username)
        return get_session().scalars(statement).first()


def match_owner(app: Flask, location: str) -> int | None:
    with app.app_context():
        row = get_session().get(MatchRow, location.rsplit("/", 1)[1])
        assert row is not None
        return row.archer_id


def alert(page: str) -> str:
    """The form's error box, without the values the form echoes back."""
    found = re.search(r'<div class="error" role="alert">(.*?)</div>', page, re.S)
    assert found is not None, page
    return found.group(1)


def notices(page: str) -> list[str]:
    return re.findall(r'data-testid="notice">([^<]*)<', page)


@pytest.fixture
def alice(client: FlaskClient) -> FlaskClient:
    """A client signed in as alice (registered with an email)."""
    assert register(client, email="alice@example.org").status_code == 303
    return client


# -- pages and header ------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/login", "/register"])
def test_account_pages(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert 'name="csrf_token"' in response.text
    assert 'type="password"' in response.text


def test_header_for_visitors_and_archers(client: FlaskClient) -> None:
    page = client.get("/about").text
    assert 'href="/login?next=/about"' in page
    assert 'href="/register?next=/about"' in page
    assert "Sign out" not in page
    register(client)
    page = client.get("/about").text
    assert 'data-testid="account-name">alice<' in page
    assert 'href="/settings"' in page
    assert 'action="/logout"' in page
    assert 'href="/login' not in page


def test_the_next_page_survives_a_failed_attempt(client: FlaskClient) -> None:
    response = client.post("/login?next=/about", data={"login": "", "password": ""})
    assert 'name="next" value="/about"' in response.text
    assert 'href="/register?next=/about"' in response.text
    response = register(client, username="", next="/about")
    assert 'name="next" value="/about"' in response.text


# -- registering -----------------------------------------------------------------------


def test_register_signs_in(app: Flask, client: FlaskClient) -> None:
    response = register(client, username="Alice_1", email=" Alice@Example.ORG ")
    assert response.status_code == 303
    assert response.headers["Location"] == "/"
    assert signed_in_as(client) == "Alice_1"
    archer = archer_row(app, "Alice_1")
    assert archer is not None
    assert archer.email == "alice@example.org"
    assert archer.password_hash.startswith("scrypt:")
    assert PASSWORD not in archer.password_hash
    assert notices(client.get("/").text) == []  # shown once, on the page after
    assert signed_in_as(client) == "Alice_1"


def test_register_without_email(app: Flask, client: FlaskClient) -> None:
    assert register(client, email="").status_code == 303
    archer = archer_row(app, "alice")
    assert archer is not None
    assert archer.email is None


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"username": ""}, "username", "Choose a username."),
        ({"username": "ab"}, "username", "3 to 64 characters"),
        ({"username": "a" * 65}, "username", "3 to 64 characters"),
        ({"username": "al ice"}, "username", "3 to 64 characters"),
        ({"username": "alice@home"}, "username", "3 to 64 characters"),
        ({"username": "álice"}, "username", "3 to 64 characters"),
        ({"email": "not-an-email"}, "email", "does not look like an email"),
        ({"email": "a@b"}, "email", "does not look like an email"),
        ({"email": "a b@example.org"}, "email", "does not look like an email"),
        ({"email": "x" * 250 + "@example.org"}, "email", "does not look like"),
        (
            {"password": "short", "confirm_password": "short"},
            "password",
            "at least 8 characters",
        ),
        (
            {"password": "x" * 1025, "confirm_password": "x" * 1025},
            "password",
            "at most 1024 characters",
        ),
        (
            {"username": "archer99", "password": "Archer99", "confirm_password": ""},
            "password",
            "cannot be the username",
        ),
        ({"confirm_password": "something else"}, "confirm_password", "not the same"),
    ],
)
def test_registration_field_errors(
    app: Flask, client: FlaskClient, fields: dict[str, str], field: str, message: str
) -> None:
    data = {
        "username": "alice",
        "email": "",
        "password": PASSWORD,
        "confirm_password": PASSWORD,
        **fields,
    }
    response = client.post("/register", data=data)
    assert response.status_code == 400
    assert message in response.text
    assert f'id="{field}-error"' in response.text
    assert signed_in_as(client) is None
    with app.app_context():
        assert get_session().scalar(select(func.count()).select_from(Archer)) == 0


def test_a_refused_registration_keeps_the_username_not_the_password(
    client: FlaskClient,
) -> None:
    response = register(client, email="bad", password="longenough1")
    assert 'value="alice"' in response.text
    assert "longenough1" not in response.text


def test_taken_username_and_taken_email_answer_alike(app: Flask) -> None:
    first = app.test_client()
    register(first, username="alice", email="alice@example.org")
    by_name = register(app.test_client(), username="ALICE", email="new@example.org")
    by_email = register(app.test_client(), username="bob", email="Alice@example.org")
    assert by_name.status_code == by_email.status_code == 400
    assert alert(by_name.text) == alert(by_email.text)
    assert "Choose another username or email." in alert(by_name.text)
    assert archer_row(app, "bob") is None


def test_hostile_username_is_escaped(client: FlaskClient) -> None:
    response = register(client, username="<script>alert(1)</script>")
    assert response.status_code == 400
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    response = sign_in(client, login="<script>alert(1)</script>")
    assert "<script>alert" not in response.text


def test_signed_in_visitors_skip_the_forms(alice: FlaskClient) -> None:
    for path in ("/login", "/register", "/login?next=/about"):
        response = alice.get(path)
        assert response.status_code == 303
    assert alice.get("/login?next=/about").headers["Location"] == "/about"


# -- signing in and out ----------------------------------------------------------------


@pytest.mark.parametrize("login", ["alice", "ALICE", " alice ", "alice@example.org"])
def test_sign_in_by_username_or_email(app: Flask, login: str) -> None:
    register(app.test_client(), email="alice@example.org")
    client = app.test_client()
    response = sign_in(client, login=login)
    assert response.status_code == 303
    assert response.headers["Location"] == "/"
    assert signed_in_as(client) == "alice"


def test_wrong_password_and_unknown_user_look_the_same(app: Flask) -> None:
    register(app.test_client())
    client = app.test_client()
    wrong = sign_in(client, login="alice", password="not the password")
    unknown = sign_in(client, login="nobody", password="not the password")
    assert wrong.status_code == unknown.status_code == 400
    assert "Wrong username or password." in wrong.text

    def normalised(page: str, login: str) -> str:
        page = re.sub(r'name="csrf_token" value="[^"]*"', "", page)
        return page.replace(f'value="{login}"', 'value=""')

    assert normalised(wrong.text, "alice") == normalised(unknown.text, "nobody")
    assert signed_in_as(client) is None


@pytest.mark.parametrize(
    "data",
    [{}, {"login": "alice"}, {"password": PASSWORD}, {"login": "", "password": ""}],
)
def test_incomplete_sign_in(app: Flask, data: dict[str, str]) -> None:
    register(app.test_client())
    client = app.test_client()
    response = client.post("/login", data=data)
    assert response.status_code == 400
    assert "Wrong username or password." in response.text


def test_sign_in_speaks_the_archers_language(app: Flask, alice: FlaskClient) -> None:
    profile = dict(PROFILE, locale="es")
    assert alice.post("/settings/profile", data=profile).status_code == 303
    client = app.test_client()
    response = sign_in(client)
    assert "lang=es" in response.headers["Set-Cookie"]
    assert '<html lang="es"' in client.get("/").text


def test_sign_in_without_a_saved_language_sets_no_cookie(app: Flask) -> None:
    register(app.test_client())
    response = sign_in(app.test_client())
    assert "lang=" not in " ".join(response.headers.getlist("Set-Cookie"))


def test_keep_me_signed_in(app: Flask) -> None:
    register(app.test_client())
    kept = sign_in(app.test_client(), remember="1").headers["Set-Cookie"]
    assert "Expires=" in kept
    for_now = sign_in(app.test_client()).headers["Set-Cookie"]
    assert "Expires=" not in for_now  # ends when the browser closes


def test_sign_out(alice: FlaskClient) -> None:
    assert alice.get("/logout").status_code == 405  # only a form signs out
    response = alice.post("/logout")
    assert response.status_code == 303
    assert response.headers["Location"] == "/"
    assert "You are signed out." in notices(alice.get("/").text)
    assert signed_in_as(alice) is None
    assert alice.get("/settings").status_code == 302


def test_sign_out_when_not_signed_in(client: FlaskClient) -> None:
    assert client.post("/logout").status_code == 303


# -- where to go next ------------------------------------------------------------------


HOSTILE_NEXT = [
    "//evil.example",
    "//evil.example/path",
    "https://evil.example",
    "http://evil.example/",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,hi",
    # With a control character (CR/LF, tab): a 400 (tests/web/common/test_security.py)
    "evil.example",
    "",
]


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_next_stays_on_this_site(app: Flask, target: str) -> None:
    register(app.test_client())
    response = sign_in(app.test_client(), next=target)
    assert response.status_code == 303
    assert response.headers["Location"] == "/"
    page = app.test_client().post("/login", data={"next": target}).text
    hidden = re.findall(r'name="next" value="([^"]*)"', page)
    assert hidden == (["/"] if target else [])


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_next_after_registering_stays_on_this_site(
    client: FlaskClient, target: str
) -> None:
    response = register(client, next=target)
    assert response.status_code == 303
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_local_url(app: Flask, target: str) -> None:
    with app.test_request_context():
        assert local_url(target) == "/"


@pytest.mark.parametrize("target", ["/about", "/new?kind=set&bow=recurve", "/settings"])
def test_next_within_the_site_is_followed(app: Flask, target: str) -> None:
    register(app.test_client())
    response = sign_in(app.test_client(), next=target)
    assert response.headers["Location"] == target


def test_settings_sends_visitors_to_sign_in_and_back(app: Flask) -> None:
    register(app.test_client())
    client = app.test_client()
    response = client.get("/settings")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=%2Fsettings"
    page = client.get(response.headers["Location"]).text
    assert "Sign in to see this page." in page
    assert 'name="next" value="/settings"' in page
    response = sign_in(client, next="/settings")
    assert response.headers["Location"] == "/settings"
    assert client.get("/settings").status_code == 200


@pytest.mark.parametrize(
    "path",
    ["/settings/profile", "/settings/password", "/settings/email", "/settings/delete"],
)
def test_settings_forms_need_a_sign_in(client: FlaskClient, path: str) -> None:
    response = client.post(path, data={})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


# -- matches played before signing in --------------------------------------------------


def test_registering_claims_the_matches_played_before(
    app: Flask, client: FlaskClient
) -> None:
    location = start(client)
    assert match_owner(app, location) is None
    register(client)
    archer = archer_row(app, "alice")
    assert archer is not None
    assert match_owner(app, location) == archer.id
    assert client.get(location).status_code == 200
    assert f'href="{location}"' in client.get("/").text  # carry on with it


def test_signing_in_claims_the_matches_played_before(app: Flask) -> None:
    register(app.test_client())
    client = app.test_client()
    location = start(client)
    sign_in(client)
    archer = archer_row(app, "alice")
    assert archer is not None
    assert match_owner(app, location) == archer.id
    assert client.get(location).status_code == 200
    # Theirs on any device now, and on no one else's.
    elsewhere = app.test_client()
    assert elsewhere.get(location).status_code == 404
    sign_in(elsewhere)
    assert elsewhere.get(location).status_code == 200


def test_another_archer_cannot_open_them(app: Flask, client: FlaskClient) -> None:
    location = start(client)
    register(client)
    bob = app.test_client()
    register(bob, username="bob")
    assert bob.get(location).status_code == 404
    assert bob.post(location + "/ends", data={"arrow": ["9"] * 3}).status_code == 404


def test_signing_out_hides_the_archers_matches(alice: FlaskClient) -> None:
    location = start(alice)
    alice.post("/logout")
    assert alice.get(location).status_code == 404  # the next one on this device
    sign_in(alice)
    assert alice.get(location).status_code == 200


# -- throttling ------------------------------------------------------------------------


def test_eleventh_sign_in_attempt_within_a_minute_is_throttled(
    data_dir: Any,
) -> None:
    app = create_app(
        {"TESTING": True, "DATA_DIR": str(data_dir), "WTF_CSRF_ENABLED": False}
    )
    client = app.test_client()
    for _ in range(10):
        assert sign_in(client, password="guess").status_code == 400
    response = client.post(
        "/login", data={"login": "someone", "password": "x"}, headers=SPANISH
    )
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= 61
    assert '<html lang="es"' in response.text
    assert '<p class="error-code">429' in response.text
    assert client.get("/login").status_code == 200  # the page itself still shows
    json = client.post("/login", headers={"Accept": "application/json"})
    assert json.status_code == 429
    assert json.get_json()["error"]["code"] == 429
    assert "Retry-After" in json.headers
    # Another address is not held up.
    other = client.post(
        "/login",
        data={"login": "alice", "password": "x"},
        environ_base={"REMOTE_ADDR": "192.0.2.7"},
    )
    assert other.status_code == 400


def test_successful_sign_ins_are_not_counted(app: Flask) -> None:
    register(app.test_client())
    for _ in range(12):
        assert sign_in(app.test_client()).status_code == 303


def test_guesses_at_one_account_from_many_addresses_are_throttled(
    app: Flask,
) -> None:
    client = app.test_client()
    for n in range(20):
        response = client.post(
            "/login",
            data={"login": "Alice", "password": f"guess {n}"},
            environ_base={"REMOTE_ADDR": f"198.51.100.{n}"},
        )
        assert response.status_code == 400
    response = client.post(
        "/login",
        data={"login": "alice", "password": "guess"},
        environ_base={"REMOTE_ADDR": "203.0.113.1"},
    )
    assert response.status_code == 429


def test_registrations_are_throttled(client: FlaskClient) -> None:
    for n in range(10):
        assert register(client, username=f"a{n}", password="short").status_code == 400
    response = register(client, username="latecomer")
    assert response.status_code == 429
    assert "Retry-After" in response.headers


def test_password_checks_in_settings_are_throttled(alice: FlaskClient) -> None:
    for _ in range(10):
        response = alice.post("/settings/email", data={"email_password": "guess"})
        assert response.status_code == 400
    response = alice.post("/settings/delete", data={"delete_password": "guess"})
    assert response.status_code == 400  # each form its own count
    response = alice.post("/settings/email", data={"email_password": PASSWORD})
    assert response.status_code == 429


# -- the settings page -----------------------------------------------------------------


PROFILE = {
    "name": "Alice Archer",
    "bowstyle": "compound",
    "sex": "female",
    "age_class": "50+",
    "season": "indoor",
    "default_round": "WA 18m",
    "scheme": "AGBold",
    "locale": "",
}


def test_settings_page(alice: FlaskClient) -> None:
    response = alice.get("/settings")
    assert response.status_code == 200
    page = response.text
    assert 'data-testid="username">alice<' in page
    assert "alice@example.org" in page
    for action in ("profile", "password", "email", "delete", "sign-out-everywhere"):
        assert f'action="/settings/{action}"' in page
    # Five forms, signing out, and importing data (once that exists).
    assert page.count('name="csrf_token"') == 6 + ('enctype="multipart' in page)
    for value in ("compound", "traditional", "under 12", "50+", "AA2", "male", "es"):
        assert f'value="{value}"' in page


def test_save_the_profile(app: Flask, alice: FlaskClient) -> None:
    response = alice.post("/settings/profile", data=PROFILE)
    assert response.status_code == 303
    assert response.headers["Location"] == "/settings"
    page = alice.get("/settings").text
    assert "Your profile is saved." in notices(page)
    archer = archer_row(app, "alice")
    assert archer is not None
    assert archer.name == "Alice Archer"
    assert archer.bowstyle == "compound"
    assert archer.sex == "female"
    assert archer.age_class == "50+"
    assert archer.season == "indoor"
    assert archer.default_round == "wa18"  # the round's codename
    assert archer.scheme == "AGBold"
    assert archer.locale is None
    assert 'value="Alice Archer"' in page
    assert '<option value="compound" selected>' in page


def test_profile_blanks_mean_not_given(app: Flask, alice: FlaskClient) -> None:
    alice.post("/settings/profile", data=PROFILE)
    blanks = dict(PROFILE, name="  ", sex="", default_round="")
    assert alice.post("/settings/profile", data=blanks).status_code == 303
    archer = archer_row(app, "alice")
    assert archer is not None
    assert (archer.name, archer.sex, archer.default_round) == (None, None, None)


def test_choosing_a_language_sets_it(alice: FlaskClient) -> None:
    response = alice.post("/settings/profile", data=dict(PROFILE, locale="es"))
    assert "lang=es" in response.headers["Set-Cookie"]
    assert '<html lang="es"' in alice.get("/settings").text


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "x" * 101, "at most 100 characters"),
        ("bowstyle", "crossbow", "Choose a bow"),
        ("bowstyle", "", "Choose a bow"),
        ("sex", "other", "male, female or not given"),
        ("age_class", "veteran", "Choose an age class"),
        ("season", "summer", "indoor or outdoor"),
        ("default_round", "no such round", "no round by that name"),
        ("scheme", "FITA", "handicap scheme"),
        ("locale", "fr", "Choose a language"),
    ],
)
def test_profile_field_errors(
    app: Flask, alice: FlaskClient, field: str, value: str, message: str
) -> None:
    response = alice.post("/settings/profile", data={**PROFILE, field: value})
    assert response.status_code == 400
    assert message in response.text
    assert f'id="{field}-error"' in response.text
    archer = archer_row(app, "alice")
    assert archer is not None
    assert archer.bowstyle == "recurve"  # nothing saved


def test_hostile_name_is_escaped(alice: FlaskClient) -> None:
    name = '<script>alert("x")</script>'
    alice.post("/settings/profile", data=dict(PROFILE, name=name))
    page = alice.get("/settings").text
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(" in page


def test_change_password(app: Flask, alice: FlaskClient) -> None:
    other = app.test_client()
    assert sign_in(other).status_code == 303
    assert other.get("/settings").status_code == 200
    new = "a new password"
    data = {"current_password": PASSWORD, "password": new, "confirm_password": new}
    response = alice.post("/settings/password", data=data)
    assert response.status_code == 303
    assert "Your password is changed." in notices(alice.get("/settings").text)[-1]
    assert alice.get("/settings").status_code == 200  # this session carries on
    assert other.get("/settings").status_code == 302  # the other one ended
    assert signed_in_as(other) is None
    assert sign_in(app.test_client()).status_code == 400
    assert sign_in(app.test_client(), password=new).status_code == 303


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"current_password": "wrong", "password": "a new password"},
            "current_password",
            "not your current password",
        ),
        ({"password": "short", "confirm_password": "short"}, "password", "at least 8"),
        (
            {"password": "Alice-archer", "confirm_password": "other"},
            "confirm_password",
            "not the same",
        ),
    ],
)
def test_change_password_errors(
    app: Flask, alice: FlaskClient, data: dict[str, str], field: str, message: str
) -> None:
    form = {
        "current_password": PASSWORD,
        "password": "a new password",
        "confirm_password": "a new password",
        **data,
    }
    response = alice.post("/settings/password", data=form)
    assert response.status_code == 400
    assert message in response.text
    assert f'id="{field}-error"' in response.text
    assert sign_in(app.test_client()).status_code == 303  # unchanged


def test_new_password_cannot_be_the_username(app: Flask) -> None:
    client = app.test_client()
    register(client, username="longusername")
    form = {
        "current_password": PASSWORD,
        "password": "LongUsername",
        "confirm_password": "LongUsername",
    }
    response = client.post("/settings/password", data=form)
    assert response.status_code == 400
    assert "cannot be the username" in response.text


def test_change_email(app: Flask, alice: FlaskClient) -> None:
    data = {"email": "Alice@New.example", "email_password": PASSWORD}
    response = alice.post("/settings/email", data=data)
    assert response.status_code == 303
    assert "Your email is saved." in notices(alice.get("/settings").text)
    archer = archer_row(app, "alice")
    assert archer is not None
    assert archer.email == "alice@new.example"
    assert sign_in(app.test_client(), login="alice@new.example").status_code == 303


def test_remove_the_email(app: Flask, alice: FlaskClient) -> None:
    response = alice.post("/settings/email", data={"email_password": PASSWORD})
    assert response.status_code == 303
    archer = archer_row(app, "alice")
    assert archer is not None
    assert archer.email is None


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"email": "new@example.org"}, "email_password", "not your current password"),
        (
            {"email": "new@example.org", "email_password": "wrong"},
            "email_password",
            "not your current password",
        ),
        ({"email": "nope", "email_password": PASSWORD}, "email", "does not look"),
        (
            {"email": "BOB@example.org", "email_password": PASSWORD},
            "email",
            "Choose another email.",
        ),
    ],
)
def test_change_email_errors(
    app: Flask, alice: FlaskClient, data: dict[str, str], field: str, message: str
) -> None:
    register(app.test_client(), username="bob", email="bob@example.org")
    response = alice.post("/settings/email", data=data)
    assert response.status_code == 400
    assert message in response.text
    assert f'id="{field}-error"' in response.text
    archer = archer_row(app, "alice")
    assert archer is not None
    assert archer.email == "alice@example.org"


def test_delete_the_account(app: Flask, alice: FlaskClient) -> None:
    location = start(alice)
    start(alice)
    bob = app.test_client()
    register(bob, username="bob")
    bobs = start(bob)
    data = {"delete_password": PASSWORD, "confirm_username": "alice"}
    response = alice.post("/settings/delete", data=data)
    assert response.status_code == 303
    assert response.headers["Location"] == "/"
    page = alice.get("/").text
    assert "Your account and all its matches are deleted." in notices(page)
    assert signed_in_as(alice) is None
    assert archer_row(app, "alice") is None
    with app.app_context():
        rows = get_session().scalars(select(MatchRow.id)).all()
    assert rows == [bobs.rsplit("/", 1)[1]]  # only bob's is left
    assert alice.get(location).status_code == 404
    assert sign_in(app.test_client()).status_code == 400
    assert bob.get(bobs).status_code == 200


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"delete_password": "wrong", "confirm_username": "alice"}, "delete_password"),
        ({"delete_password": PASSWORD, "confirm_username": "bob"}, "confirm_username"),
        ({"delete_password": PASSWORD}, "confirm_username"),
        ({}, "delete_password"),
    ],
)
def test_delete_errors(
    app: Flask, alice: FlaskClient, data: dict[str, str], field: str
) -> None:
    response = alice.post("/settings/delete", data=data)
    assert response.status_code == 400
    assert f'id="{field}-error"' in response.text
    assert archer_row(app, "alice") is not None
    assert signed_in_as(alice) == "alice"


DATA_ENDPOINTS = ("data.export_json", "data.export_csv", "data.import_json")


def test_the_settings_page_links_to_the_data_pages(data_dir: Any) -> None:
    from flask import Blueprint, url_for

    app = create_app(
        {"TESTING": True, "DATA_DIR": str(data_dir), "WTF_CSRF_ENABLED": False}
    )
    if "data.export_json" not in app.view_functions:  # a stand-in for them
        data = Blueprint("data", __name__)
        data.add_url_rule("/x.json", "export_json", lambda: "{}")
        data.add_url_rule("/x/<table>.csv", "export_csv", lambda table: table)
        data.add_url_rule("/x", "import_json", lambda: "ok", methods=["POST"])
        app.register_blueprint(data)
    client = app.test_client()
    register(client)
    page = client.get("/settings").text
    with app.test_request_context():
        export_json = url_for("data.export_json")
        matches = url_for("data.export_csv", table="matches")
        archer = url_for("data.export_csv", table="archer")
        import_json = url_for("data.import_json")
    for url in (export_json, matches, archer):
        assert f'href="{url}"' in page
    assert f'action="{import_json}" enctype="multipart/form-data"' in page
    assert 'name="file"' in page


def test_the_settings_page_works_without_the_data_pages(data_dir: Any) -> None:
    app = create_app(
        {"TESTING": True, "DATA_DIR": str(data_dir), "WTF_CSRF_ENABLED": False}
    )
    for endpoint in DATA_ENDPOINTS:
        app.view_functions.pop(endpoint, None)
    client = app.test_client()
    register(client)
    response = client.get("/settings")
    assert response.status_code == 200
    assert "multipart" not in response.text
    assert "export" not in response.text


# -- the original's addresses ----------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/login.html", "/login"),
        ("/register.html", "/register"),
        ("/settings.html", "/settings"),
    ],
)
def test_legacy_addresses(client: FlaskClient, old: str, new: str) -> None:
    response = client.get(old)
    assert response.status_code == 301
    assert response.headers["Location"] == new


def test_legacy_login_is_the_login_page(client: FlaskClient) -> None:
    response = client.get("/login.html", follow_redirects=True)
    assert response.status_code == 200
    assert 'action="/login"' in response.text


# -- CSRF ------------------------------------------------------------------------------


@pytest.fixture
def csrf_app(data_dir: Any) -> Flask:
    return create_app({"TESTING": True, "DATA_DIR": str(data_dir)})


def token(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def test_csrf_on_sign_in_and_registration(csrf_app: Flask) -> None:
    client = csrf_app.test_client()
    assert register(client).status_code == 400
    assert "form has expired" in register(client).text
    assert sign_in(client).status_code == 400
    assert client.post("/logout").status_code == 400
    good = register(client, csrf_token=token(client.get("/register").text))
    assert good.status_code == 303
    assert client.post("/logout").status_code == 400
    assert signed_in_as(client) == "alice"


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/settings/profile", PROFILE),
        ("/settings/password", {"current_password": PASSWORD}),
        ("/settings/email", {"email_password": PASSWORD}),
        (
            "/settings/delete",
            {"delete_password": PASSWORD, "confirm_username": "alice"},
        ),
        ("/logout", {}),
    ],
)
def test_csrf_on_every_settings_form(
    csrf_app: Flask, path: str, data: dict[str, str]
) -> None:
    client = csrf_app.test_client()
    register(client, csrf_token=token(client.get("/register").text))
    response = client.post(path, data=data)
    assert response.status_code == 400
    assert signed_in_as(client) == "alice"
    assert archer_row(csrf_app, "alice") is not None
    page = client.get("/settings").text
    response = client.post(path, data={**data, "csrf_token": token(page)})
    assert response.status_code in (303, 400)  # reached the form itself
