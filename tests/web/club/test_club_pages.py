"""The club's pages: starting a club (and its limits: nothing stored on bad
input), invitations (made, shown once with a QR code, revoked, expired: a
dead link shows nothing of the club), joining, the roles' permissions, a
removed member's 404 at once, deleting a club (its members' matches stay),
and the invitation lookups' rate limit."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update

from ghost_simulator import create_app
from ghost_simulator.passwords import hash_password
from ghost_simulator.store import archers, get_session, write
from ghost_simulator.store import clubs as stored
from ghost_simulator.store.models import Club, ClubInvite, ClubMember
from ghost_simulator.store.models import Match as MatchRow

from ..history.test_history import keep, sign_in


def start_club(client: FlaskClient, name: str = "Riverside Archers") -> str:
    answer = client.post(
        "/clubs", data={"name": name, "location": "Leeds", "description": "Tuesdays"}
    )
    assert answer.status_code == 303, answer.text
    found = re.search(r"/clubs/([\w-]+)$", answer.headers["Location"])
    assert found
    return found.group(1)


def invite(client: FlaskClient, club_id: str, days: str = "7") -> str:
    answer = client.post(f"/clubs/{club_id}/invitations", data={"days": days})
    assert answer.status_code == 303, answer.text
    page = client.get(f"/clubs/{club_id}").text
    found = re.search(r'value="http://localhost/clubs/join/([\w-]+)"', page)
    assert found, page
    return found.group(1)


def second(app: Flask, username: str = "sam") -> tuple[FlaskClient, int]:
    other = app.test_client()
    return other, sign_in(app, other, username)


def test_signed_out_visitors_are_sent_to_sign_in_and_back(client: FlaskClient) -> None:
    for path in ("/clubs", "/clubs/abc", "/clubs/join/abc"):
        answer = client.get(path)
        assert answer.status_code == 302
        assert "/login" in answer.headers["Location"]
    answer = client.get("/clubs/join/sometoken")
    assert "next=" in answer.headers["Location"]
    assert "sometoken" in answer.headers["Location"]


def test_the_nav_links_to_clubs_when_signed_in(app: Flask, client: FlaskClient) -> None:
    assert 'href="/clubs"' not in client.get("/about").text
    sign_in(app, client)
    assert 'href="/clubs"' in client.get("/about").text


def test_start_a_club_and_see_it(app: Flask, client: FlaskClient) -> None:
    sign_in(app, client, name="Robin Hood")
    club_id = start_club(client)
    page = client.get(f"/clubs/{club_id}").text
    assert "Riverside Archers" in page
    assert "Leeds" in page
    assert "Tuesdays" in page
    assert "R.H." in page  # initials by default
    assert "Riverside Archers" in client.get("/clubs").text


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"name": "x" * 10_000},
            "name",
            "A club&#39;s name is at most 100 characters.",
        ),
        ({"name": "   "}, "name", "Give the club a name."),
        ({"name": "ok", "location": "y" * 101}, "location", "at most 100"),
        ({"name": "ok", "description": "z" * 501}, "description", "at most 500"),
    ],
)
def test_bad_input_is_400_and_nothing_is_stored(
    app: Flask, client: FlaskClient, data: dict[str, str], field: str, message: str
) -> None:
    sign_in(app, client)
    answer = client.post("/clubs", data=data)
    assert answer.status_code == 400
    assert message in answer.text
    with app.app_context():
        assert get_session().scalar(select(func.count()).select_from(Club)) == 0


def test_an_archer_is_in_at_most_50_clubs(app: Flask, client: FlaskClient) -> None:
    archer_id = sign_in(app, client)
    with app.app_context():
        for n in range(50):
            stored.create(archer_id, f"Club {n}", None, None)
    answer = client.post("/clubs", data={"name": "One more"})
    assert answer.status_code == 400
    assert "at most 50 clubs" in answer.text


def test_invite_join_and_the_qr_code(app: Flask, client: FlaskClient) -> None:
    sign_in(app, client, name="Robin Hood")
    club_id = start_club(client)
    client.post(f"/clubs/{club_id}/invitations", data={"days": "30"})
    page = client.get(f"/clubs/{club_id}").text
    assert "<svg" in page
    assert 'class="segno"' in page
    token = re.search(r"/clubs/join/([\w-]+)", page).group(1)  # type: ignore[union-attr]
    assert len(token) == 43
    # Shown once only.
    assert token not in client.get(f"/clubs/{club_id}").text
    other, other_id = second(app)
    answer = other.get(f"/clubs/join/{token}")
    assert answer.status_code == 200
    assert "Riverside Archers" in answer.text
    answer = other.post(f"/clubs/join/{token}")
    assert answer.status_code == 303
    assert answer.headers["Location"].endswith(f"/clubs/{club_id}")
    assert other.post(f"/clubs/join/{token}").status_code == 303  # harmless twice
    with app.app_context():
        assert stored.role_of(club_id, other_id) == "member"
        assert len(stored.members(club_id)) == 2
    assert other.get(f"/clubs/{club_id}").status_code == 200


def test_only_the_hash_of_a_token_is_stored(app: Flask, client: FlaskClient) -> None:
    sign_in(app, client)
    club_id = start_club(client)
    token = invite(client, club_id)
    with app.app_context():
        hashes = get_session().scalars(select(ClubInvite.token_hash)).all()
    assert hashes == [stored.token_hash(token)]
    assert token not in hashes[0]


def test_a_revoked_or_expired_invitation_shows_nothing(
    app: Flask, client: FlaskClient
) -> None:
    sign_in(app, client)
    club_id = start_club(client)
    revoked = invite(client, club_id)
    expired = invite(client, club_id)
    client.post(
        f"/clubs/{club_id}/invitations/revoke",
        data={"invitation": stored.token_hash(revoked)},
    )
    with app.app_context():
        write(
            lambda s: s.execute(
                update(ClubInvite)
                .where(ClubInvite.token_hash == stored.token_hash(expired))
                .values(expires_at=datetime.now(UTC) - timedelta(minutes=1))
            )
        )
    other, _ = second(app)
    for token in (revoked, expired, "a" * 43, "x" * 500):
        for answer in (
            other.get(f"/clubs/join/{token}"),
            other.post(f"/clubs/join/{token}"),
        ):
            assert answer.status_code == 404
            assert "Riverside" not in answer.text
            assert "not valid" in answer.text
    with app.app_context():
        assert len(stored.members(club_id)) == 1


def test_a_stranger_gets_404_and_a_removed_member_at_once(
    app: Flask, client: FlaskClient
) -> None:
    sign_in(app, client)
    club_id = start_club(client)
    token = invite(client, club_id)
    other, other_id = second(app)
    assert other.get(f"/clubs/{club_id}").status_code == 404
    other.post(f"/clubs/join/{token}")
    assert other.get(f"/clubs/{club_id}").status_code == 200
    answer = client.post(
        f"/clubs/{club_id}/members/remove", data={"archer_id": str(other_id)}
    )
    assert answer.status_code == 303
    assert other.get(f"/clubs/{club_id}").status_code == 404
    assert other.post(f"/clubs/{club_id}/leave").status_code == 404


def test_roles_and_permissions(app: Flask, client: FlaskClient) -> None:
    owner_id = sign_in(app, client, "owner")
    club_id = start_club(client)
    token = invite(client, club_id)
    admin, admin_id = second(app, "admin")
    member, member_id = second(app, "member")
    other, other_id = second(app, "other")
    for c in (admin, member, other):
        assert c.post(f"/clubs/join/{token}").status_code == 303
    # Members may not run the club.
    assert member.post(f"/clubs/{club_id}/invitations").status_code == 403
    answer = member.post(
        f"/clubs/{club_id}/members/remove", data={"archer_id": str(other_id)}
    )
    assert answer.status_code == 403
    assert member.post(f"/clubs/{club_id}/edit", data={"name": "x"}).status_code == 403
    # Only the owner makes admins.
    answer = admin.post(
        f"/clubs/{club_id}/members/role",
        data={"archer_id": str(admin_id), "role": "admin"},
    )
    assert answer.status_code == 403
    answer = client.post(
        f"/clubs/{club_id}/members/role",
        data={"archer_id": str(admin_id), "role": "admin"},
    )
    assert answer.status_code == 303
    # An admin invites, edits and removes members, not the owner.
    assert admin.post(f"/clubs/{club_id}/invitations").status_code == 303
    answer = admin.post(f"/clubs/{club_id}/edit", data={"name": "Renamed"})
    assert answer.status_code == 303
    answer = admin.post(
        f"/clubs/{club_id}/members/remove", data={"archer_id": str(owner_id)}
    )
    assert answer.status_code == 403
    answer = admin.post(
        f"/clubs/{club_id}/members/remove", data={"archer_id": str(other_id)}
    )
    assert answer.status_code == 303
    # Another admin is the owner's to remove.
    client.post(
        f"/clubs/{club_id}/members/role",
        data={"archer_id": str(member_id), "role": "admin"},
    )
    answer = admin.post(
        f"/clubs/{club_id}/members/remove", data={"archer_id": str(member_id)}
    )
    assert answer.status_code == 403
    answer = client.post(
        f"/clubs/{club_id}/members/remove", data={"archer_id": str(member_id)}
    )
    assert answer.status_code == 303
    # Only the owner deletes or hands over; the owner cannot leave.
    answer = admin.post(f"/clubs/{club_id}/delete", data={"confirm": "yes"})
    assert answer.status_code == 403
    assert client.post(f"/clubs/{club_id}/leave").status_code == 403
    answer = client.post(f"/clubs/{club_id}/transfer", data={"archer_id": "99999"})
    assert answer.status_code == 400
    answer = client.post(
        f"/clubs/{club_id}/transfer", data={"archer_id": str(admin_id)}
    )
    assert answer.status_code == 303
    with app.app_context():
        assert stored.role_of(club_id, admin_id) == "owner"
        assert stored.role_of(club_id, owner_id) == "admin"
        assert stored.load(club_id).name == "Renamed"  # type: ignore[union-attr]
    # The old owner may leave now.
    assert client.post(f"/clubs/{club_id}/leave").status_code == 303
    assert client.get(f"/clubs/{club_id}").status_code == 404


def test_display_settings(app: Flask, client: FlaskClient) -> None:
    sign_in(app, client, name="Robin Hood")
    club_id = start_club(client)
    answer = client.post(
        f"/clubs/{club_id}/me", data={"shown_as": "name", "shares_history": "1"}
    )
    assert answer.status_code == 303
    assert "Robin Hood" in client.get(f"/clubs/{club_id}").text
    answer = client.post(f"/clubs/{club_id}/me", data={"shown_as": "everything"})
    assert answer.status_code == 400


def test_deleting_a_club_leaves_the_matches(app: Flask, client: FlaskClient) -> None:
    archer_id = sign_in(app, client)
    match_id = keep(app, archer_id)
    club_id = start_club(client)
    invite(client, club_id)
    answer = client.post(f"/clubs/{club_id}/delete")
    assert answer.status_code == 400  # not confirmed
    answer = client.post(f"/clubs/{club_id}/delete", data={"confirm": "yes"})
    assert answer.status_code == 303
    assert client.get(f"/clubs/{club_id}").status_code == 404
    with app.app_context():
        session = get_session()
        assert session.get(MatchRow, match_id) is not None
        for table in (Club, ClubMember, ClubInvite):
            assert session.scalar(select(func.count()).select_from(table)) == 0


def test_invitation_lookups_are_rate_limited(data_dir: Path) -> None:
    app = create_app(
        {"TESTING": True, "DATA_DIR": str(data_dir), "WTF_CSRF_ENABLED": False}
    )
    client = app.test_client()
    sign_in(app, client)
    codes = [client.get(f"/clubs/join/guess{n}").status_code for n in range(31)]
    assert codes[:30] == [404] * 30
    assert codes[30] == 429
    assert "Too many" in client.get("/clubs/join/again").text


def test_signing_in_comes_back_to_the_invitation(
    app: Flask, client: FlaskClient
) -> None:
    sign_in(app, client)
    club_id = start_club(client)
    token = invite(client, club_id)
    visitor = app.test_client()
    with app.app_context():
        archers.create("sam", hash_password("a long password"))
    answer = visitor.get(f"/clubs/join/{token}")
    assert answer.status_code == 302
    login = answer.headers["Location"]
    answer = visitor.post(login, data={"login": "sam", "password": "a long password"})
    assert answer.status_code == 303
    assert answer.headers["Location"].endswith(f"/clubs/join/{token}")
    assert "Riverside Archers" in visitor.get(f"/clubs/join/{token}").text


def test_a_members_history_is_seen_only_when_they_share_it(
    app: Flask, client: FlaskClient
) -> None:
    owner_id = sign_in(app, client, "owner", name="Olga Owen")
    club_id = start_club(client)
    token = invite(client, club_id)
    other, other_id = second(app)
    other.post(f"/clubs/join/{token}")
    keep(app, other_id)  # a finished WA 18 m round: 6 arrows an end
    keep(app, other_id, ends=3)  # unfinished: never listed
    page = f"/clubs/{club_id}/members/{other_id}"
    private = client.get(page)
    assert private.status_code == 200
    assert 'data-testid="history-private"' in private.text
    assert 'data-testid="member-history"' not in private.text
    assert f'href="{page}"' not in client.get(f"/clubs/{club_id}").text
    other.post(f"/clubs/{club_id}/me", data={"shown_as": "name", "shares_history": "1"})
    shared = client.get(page).text
    assert 'data-testid="member-history"' in shared
    assert "The latest of 1 finished round or match" in shared
    assert "WA 18" in shared
    assert "/matches/" not in shared.split('data-testid="member-history"')[1]
    assert f'href="{page}"' in client.get(f"/clubs/{club_id}").text
    # One's own page always shows, with a word on who else sees it.
    mine = client.get(f"/clubs/{club_id}/members/{owner_id}").text
    assert 'data-testid="history-empty"' in mine
    # A stranger, an archer who is no member, a removed member: 404.
    stranger, _stranger_id = second(app, "stranger")
    assert stranger.get(page).status_code == 404
    assert client.get(f"/clubs/{club_id}/members/{_stranger_id}").status_code == 404
    assert client.get(f"/clubs/{club_id}/members/999999").status_code == 404
    client.post(f"/clubs/{club_id}/members/remove", data={"archer_id": str(other_id)})
    assert client.get(page).status_code == 404
    assert other.get(f"/clubs/{club_id}/members/{owner_id}").status_code == 404
