"""Signing a test client in without the sign-in form: a sign-in of its own in
the store, its token in the session, as Flask-Login keeps it."""

from __future__ import annotations

from flask.testing import FlaskClient

from ghost_simulator.store import signins


def sign_in_as(client: FlaskClient, archer_id: int) -> str:
    """Sign the client in as the archer; the sign-in's token."""
    with client.application.app_context():
        token = signins.start(archer_id)
    with client.session_transaction() as session:
        session["_user_id"] = token
        session["_fresh"] = True
    return token
