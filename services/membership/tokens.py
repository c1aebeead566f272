"""Access tokens (short-lived JWT) and refresh tokens (opaque, stored hashed, rotated on use)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import SecretStr

from common.member_tokens import ISSUER, AccessClaims, issue_access, read_access
from services.membership.domain import rules

__all__ = ["AccessClaims", "issue_access", "read_access"]

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


STAFF_AUDIENCE = "jkn-staff"


def issue_staff(secret: SecretStr, username: str, now: datetime) -> str:
    """A short-lived token for a branch officer (a separate audience: never a member's)."""
    return jwt.encode(
        {"iss": ISSUER, "aud": STAFF_AUDIENCE, "sub": username, "role": "officer",
         "iat": int(now.timestamp()), "exp": int((now + rules.ACCESS_TOKEN_TTL).timestamp())},
        secret.get_secret_value(), algorithm="HS256")


def read_staff(secret: SecretStr, token: str) -> str:
    data = jwt.decode(token, secret.get_secret_value(), algorithms=["HS256"],
                      audience=STAFF_AUDIENCE, issuer=ISSUER,
                      options={"require": ["exp", "sub", "role"]})
    if data["role"] != "officer":
        raise jwt.InvalidTokenError("not an officer")
    return data["sub"]
