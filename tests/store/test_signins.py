"""Sign-ins in the store: a token names one account, is kept only as its hash,
ends on its own or with the others, and an account keeps a bounded number."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Flask
from sqlalchemy import select, update

from ghost_simulator.store import archers, get_session, signins
from ghost_simulator.store.models import SignIn

from .sample_matches import make_archer


def _rows(archer_id: int) -> list[SignIn]:
    session = get_session()
    session.expire_all()
    return list(session.scalars(select(SignIn).where(SignIn.archer_id == archer_id)))


def test_a_token_finds_its_account_and_only_its_hash_is_kept(app: Flask) -> None:
    with app.app_context():
        robin, marian = make_archer("robin"), make_archer("marian")
        token = signins.start(robin.id)
        other = signins.start(marian.id)
        found = signins.find(token)
        assert found is not None
        assert found.archer.username == "robin"
        assert signins.find(other).archer.username == "marian"  # type: ignore[union-attr]
        (row,) = _rows(robin.id)
        assert token not in row.token_hash
        assert len(row.token_hash) == 64
        for bad in ("", token[:-1], token + "x", "x" * 10_000, row.token_hash):
            assert signins.find(bad) is None


def test_ending_one_or_the_others(app: Flask) -> None:
    with app.app_context():
        robin = make_archer("robin")
        tokens = [signins.start(robin.id) for _ in range(4)]
        signins.end(tokens[0])
        assert signins.find(tokens[0]) is None
        assert signins.count_others(robin.id, keep=tokens[1]) == 2
        assert signins.end_others(robin.id, keep=tokens[1]) == 2
        assert [signins.find(t) is not None for t in tokens] == [
            False,
            True,
            False,
            False,
        ]
        assert signins.end_others(robin.id) == 1
        assert _rows(robin.id) == []


def test_they_go_with_the_account(app: Flask) -> None:
    with app.app_context():
        robin = make_archer("robin")
        token = signins.start(robin.id)
        archers.delete_account(robin)
        assert signins.find(token) is None
        assert get_session().scalars(select(SignIn)).all() == []


def test_a_visit_is_noted_at_most_once_a_day(app: Flask) -> None:
    with app.app_context():
        robin = make_archer("robin")
        token = signins.start(robin.id)
        first = signins.find(token)
        assert first is not None
        again = signins.find(token)
        assert again is not None
        assert again.last_seen_at == first.last_seen_at
        old = datetime.now(UTC) - timedelta(days=2)
        session = get_session()
        session.execute(update(SignIn).values(last_seen_at=old))
        session.commit()
        seen = signins.find(token)
        assert seen is not None
        assert seen.last_seen_at > old + timedelta(days=1)
        (row,) = _rows(robin.id)
        assert row.last_seen_at.replace(tzinfo=UTC) > old + timedelta(days=1)


def test_stale_and_surplus_sign_ins_end_at_the_next_sign_in(app: Flask) -> None:
    with app.app_context():
        robin = make_archer("robin")
        stale = signins.start(robin.id)
        session = get_session()
        session.execute(
            update(SignIn).values(last_seen_at=datetime.now(UTC) - timedelta(days=400))
        )
        session.commit()
        fresh = signins.start(robin.id, unused_for=timedelta(days=365))
        assert signins.find(stale) is None
        assert signins.find(fresh) is not None
        made = [signins.start(robin.id) for _ in range(signins.MOST_SIGN_INS + 5)]
        assert len(_rows(robin.id)) == signins.MOST_SIGN_INS
        assert signins.find(made[-1]) is not None
