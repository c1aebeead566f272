"""Who is calling: a member (access token) or a branch officer (staff token).

Async on purpose: FastAPI runs plain `def` dependencies in a thread pool, a hop per request.
"""

from __future__ import annotations

from typing import Annotated

import jwt
from fastapi import Depends, Header

from common.problems import Problem
from common.runtime import RuntimeDep
from services.membership import tokens


def _token(authorization: str | None) -> str:
    if not authorization or not authorization.lower().startswith("bearer "):
        raise Problem(401, "not_authenticated", "Log in first (Authorization: Bearer).",
                      detail_id="Silakan masuk terlebih dahulu.",
                      headers={"WWW-Authenticate": "Bearer"})
    return authorization[7:].strip()


def _invalid() -> Problem:
    return Problem(401, "token_invalid", "The access token is invalid or expired.",
                   detail_id="Token akses tidak berlaku atau kedaluwarsa.",
                   headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})


async def member(rt: RuntimeDep,
           authorization: Annotated[str | None, Header()] = None) -> tokens.AccessClaims:
    """The logged-in member's claims."""
    try:
        return tokens.read_access(rt.settings.jwt_secret, _token(authorization))
    except jwt.PyJWTError:
        raise _invalid() from None


async def officer(rt: RuntimeDep, authorization: Annotated[str | None, Header()] = None) -> str:
    """The logged-in officer's username."""
    try:
        return tokens.read_staff(rt.settings.jwt_secret, _token(authorization))
    except jwt.PyJWTError:
        raise _invalid() from None


Member = Annotated[tokens.AccessClaims, Depends(member)]
Officer = Annotated[str, Depends(officer)]
