"""Passwords: hashed with a current algorithm (Werkzeug's scrypt), checked in
constant time, and held to a simple rule a person can follow."""

from __future__ import annotations

from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 8
MAX_LENGTH = 1024  # hashing a megabyte of "password" is a denial of service

#: A hash of a random password, checked when no account matches, so that a
#: sign-in takes as long whether or not the account exists.
_DECOY = generate_password_hash("decoy password, never a real one")


class PasswordError(ValueError):
    """A password that breaks the rule; ``code`` names which part."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


def check_rule(password: str, username: str = "") -> None:
    """At least 8 characters, not absurdly long, and not the username."""
    if len(password) < MIN_LENGTH:
        raise PasswordError(
            f"A password has at least {MIN_LENGTH} characters.", "too_short"
        )
    if len(password) > MAX_LENGTH:
        raise PasswordError(
            f"A password has at most {MAX_LENGTH} characters.", "too_long"
        )
    if username and password.strip().lower() == username.strip().lower():
        raise PasswordError("The password cannot be the username.", "is_username")


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def verify(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches; with no hash (no such account) the decoy
    is checked anyway, and the answer is no."""
    if len(password) > MAX_LENGTH:
        return False
    if not password_hash:
        check_password_hash(_DECOY, password)
        return False
    return check_password_hash(password_hash, password)
