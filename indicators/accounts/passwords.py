"""Password hashing (argon2id) and the password rules; a dummy hash keeps unknown names as slow as known ones."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from indicators.accounts.errors import AuthError

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 1024

# argon2id with the RFC 9106 "low memory" parameters (64 MiB, 3 passes, 4 lanes). Tests may swap in a cheaper one.
HASHER = PasswordHasher()
_DUMMY_HASHES: dict[tuple, str] = {}


def _check_password(password: str, name: str) -> None:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD_LENGTH:
        raise AuthError("password_short", min=MIN_PASSWORD_LENGTH)
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AuthError("password_long", max=MAX_PASSWORD_LENGTH)
    if password.strip().lower() == name.lower():
        raise AuthError("password_is_name")


def _dummy_hash() -> str:
    """A hash of a random password with the current HASHER's parameters (so that checking it costs the same)."""
    key = (HASHER.time_cost, HASHER.memory_cost, HASHER.parallelism, HASHER.hash_len, HASHER.salt_len, HASHER.type)
    if key not in _DUMMY_HASHES:
        _DUMMY_HASHES[key] = HASHER.hash(secrets.token_urlsafe(24))
    return _DUMMY_HASHES[key]


def _verify(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; an unknown user or a missing hash costs the same as a real check."""
    try:
        return HASHER.verify(password_hash or _dummy_hash(), password or "") and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False
