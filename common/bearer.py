"""Reading a bearer token off a request, with the 401 problems every service answers alike."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import jwt
from pydantic import SecretStr

from common.problems import Problem

T = TypeVar("T")


def bearer(authorization: str | None) -> str:
    """The token of an `Authorization: Bearer` header, or 401 not_authenticated."""
    if not authorization or not authorization.lower().startswith("bearer "):
        raise Problem(401, "not_authenticated", "Log in first (Authorization: Bearer).",
                      detail_id="Silakan masuk terlebih dahulu.",
                      headers={"WWW-Authenticate": "Bearer"})
    return authorization[7:].strip()


def verified(read: Callable[[SecretStr, str], T], secret: SecretStr,
             authorization: str | None) -> T:
    """The token's claims by `read`, or 401 token_invalid."""
    try:
        return read(secret, bearer(authorization))
    except jwt.PyJWTError:
        raise Problem(401, "token_invalid", "The access token is invalid or expired.",
                      detail_id="Token akses tidak berlaku atau kedaluwarsa.",
                      headers={"WWW-Authenticate": 'Bearer error="invalid_token"'}) from None


def revoked() -> Problem:
    """401 for a token whose session has ended."""
    return Problem(401, "token_revoked", "This session was ended (logout, password change or a "
                   "reused refresh token); log in again.",
                   detail_id="Sesi ini sudah diakhiri; silakan masuk kembali.",
                   headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})


def staff_disabled() -> Problem:
    """401 for a staff token whose account an admin disabled (before the token expired)."""
    return Problem(401, "staff_account_inactive", "This staff account is disabled.",
                   detail_id="Akun staf ini dinonaktifkan.",
                   headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
