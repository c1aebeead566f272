"""Access tokens (short-lived JWT) and refresh tokens (opaque, stored hashed, rotated on use)."""

from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from common.member_tokens import AccessClaims, issue_access, read_access
from common.staff_tokens import issue_staff, read_staff

__all__ = ["AccessClaims", "issue_access", "issue_staff", "read_access", "read_staff"]

# argon2id with the library's RFC 9106 "low memory" profile: ~50 ms and 64 MiB per hash here.
hasher = PasswordHasher()
_DUMMY_HASH = hasher.hash("timing-equaliser")


def hash_password(password: str) -> str:
    return hasher.hash(password)


def check_password(stored_hash: str | None, password: str) -> bool:
    """Verify a password; for an unknown user, spend the same time so timing tells nothing."""
    try:
        return hasher.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def new_refresh_token() -> tuple[str, str]:
    """A refresh token and the hash we store (a 256-bit random token needs no slow hash)."""
    token = secrets.token_urlsafe(32)
    return token, refresh_hash(token)


def refresh_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
