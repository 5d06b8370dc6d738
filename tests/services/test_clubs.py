"""Clubs' operations: one sentence per field at fault, the limits (50 clubs
an archer, 1,000 members a club), who may do what (NotAllowed) and that a
club one is not in is a LookupError."""

from __future__ import annotations

import pytest
from flask import Flask

from ghost_simulator.services import clubs
from ghost_simulator.store import archers
from ghost_simulator.store import clubs as stored


@pytest.fixture
def ctx(app: Flask):  # type: ignore[no-untyped-def]
    with app.test_request_context():
        yield app


def archer(name: str) -> int:
    return archers.create(name, "x").id


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({"name": "x" * 10_000}, "name", "A club's name is at most 100 characters."),
        ({"name": " \t "}, "name", "Give the club a name."),
        ({}, "name", "Give the club a name."),
        ({"name": 5}, "name", "Give the club a name."),
        ({"name": "ok", "location": "l" * 101}, "location", "at most 100"),
        ({"name": "ok", "description": "d" * 501}, "description", "at most 500"),
    ],
)
def test_fields(ctx: Flask, form: dict, field: str, message: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(clubs.ClubInvalid) as raised:
        clubs.parse_fields(form)
    assert message in raised.value.errors[field]


def test_fields_are_stripped(ctx: Flask) -> None:
    fields = clubs.parse_fields(
        {"name": "  Sherwood  ", "location": " ", "description": "x" * 500}
    )
    assert fields.name == "Sherwood"
    assert fields.location is None
    assert fields.description == "x" * 500


@pytest.mark.parametrize(("days", "kept"), [(None, 7), ("", 7), ("1", 1), (30, 30)])
def test_invitation_days(ctx: Flask, days: object, kept: int) -> None:
    assert clubs.parse_days(days) == kept


@pytest.mark.parametrize("days", ["2", "x", "-1", "365", 0])
def test_other_days_are_refused(ctx: Flask, days: object) -> None:
    with pytest.raises(clubs.ClubInvalid):
        clubs.parse_days(days)


def test_the_limits(ctx: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    owner, sam = archer("robin"), archer("sam")
    monkeypatch.setattr(clubs, "CLUBS_MAX", 2)
    clubs.create(owner, {"name": "One"})
    club_id = clubs.create(owner, {"name": "Two"})
    with pytest.raises(clubs.ClubInvalid, match="at most 2 clubs"):
        clubs.create(owner, {"name": "Three"})
    monkeypatch.setattr(clubs, "MEMBERS_MAX", 1)
    token = clubs.invite(club_id, owner)
    with pytest.raises(clubs.ClubInvalid, match="at most 1 members"):
        clubs.join(token, sam)
    assert stored.role_of(club_id, sam) is None


def test_who_may_do_what(ctx: Flask) -> None:
    owner, admin, member, stranger = (archer(n) for n in ("robin", "ada", "sam", "eve"))
    club_id = clubs.create(owner, {"name": "Sherwood"})
    token = clubs.invite(club_id, owner)
    for a in (admin, member):
        assert clubs.join(token, a) == club_id
    assert clubs.join(token, member) == club_id  # twice: harmless
    clubs.set_role(club_id, owner, admin, "admin")
    # A stranger: the club does not exist for them.
    for call in (
        lambda: clubs.view(club_id, stranger),
        lambda: clubs.invite(club_id, stranger),
        lambda: clubs.leave(club_id, stranger),
        lambda: clubs.delete(club_id, stranger),
        lambda: clubs.remove(club_id, stranger, member),
        lambda: clubs.set_display(club_id, stranger, "name", True),
    ):
        with pytest.raises(LookupError):
            call()
    # A member runs nothing.
    for call in (
        lambda: clubs.invite(club_id, member),
        lambda: clubs.edit(club_id, member, {"name": "x"}),
        lambda: clubs.remove(club_id, member, admin),
        lambda: clubs.set_role(club_id, member, member, "admin"),
        lambda: clubs.transfer(club_id, member, member),
        lambda: clubs.delete(club_id, member),
    ):
        with pytest.raises(clubs.NotAllowed):
            call()
    # An admin invites and edits, but neither deletes nor hands over.
    clubs.invite(club_id, admin, "30")
    clubs.edit(club_id, admin, {"name": "Sherwood Forest"})
    for call in (
        lambda: clubs.delete(club_id, admin),
        lambda: clubs.transfer(club_id, admin, member),
        lambda: clubs.set_role(club_id, admin, member, "admin"),
        lambda: clubs.remove(club_id, admin, owner),
    ):
        with pytest.raises(clubs.NotAllowed):
            call()
    with pytest.raises(clubs.NotAllowed):
        clubs.leave(club_id, owner)
    clubs.remove(club_id, admin, member)
    with pytest.raises(LookupError):
        clubs.view(club_id, member)
    clubs.transfer(club_id, owner, admin)
    assert clubs.view(club_id, admin).owns
    clubs.leave(club_id, owner)
    clubs.delete(club_id, admin)
    with pytest.raises(LookupError):
        clubs.view(club_id, admin)


def test_a_dead_invitation(ctx: Flask) -> None:
    owner = archer("robin")
    club_id = clubs.create(owner, {"name": "Sherwood"})
    token = clubs.invite(club_id, owner)
    assert clubs.invited_to(token) is not None
    clubs.revoke(club_id, owner, stored.token_hash(token))
    assert clubs.invited_to(token) is None
    with pytest.raises(LookupError):
        clubs.join(token, archer("sam"))
    with pytest.raises(clubs.ClubInvalid):
        clubs.revoke(club_id, owner, stored.token_hash(token))
