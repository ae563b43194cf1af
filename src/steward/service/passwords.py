"""Password hashing with argon2id (argon2-cffi's defaults: RFC 9106 low-memory profile).

:func:`verify` takes the same time whether or not the account exists (unknown accounts are
checked against a fixed dummy hash), so sign-in timing does not reveal account names.
"""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 12
MAX_LENGTH = 1024


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    return PasswordHasher()


@lru_cache(maxsize=1)
def _dummy() -> str:
    return _hasher().hash("not a password of anyone: equalises the time of failed sign-ins")


def check_strength(password: str) -> str | None:
    """Why a new password is refused, or None."""
    if len(password) < MIN_LENGTH:
        return f"a password needs at least {MIN_LENGTH} characters"
    if len(password) > MAX_LENGTH:
        return f"a password has at most {MAX_LENGTH} characters"
    return None


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify(stored_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches; a None hash (unknown account) is checked anyway."""
    target = stored_hash or _dummy()
    try:
        ok = _hasher().verify(target, password[:MAX_LENGTH])
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
    return ok and stored_hash is not None
