"""The member access token: a short-lived HS256 JWT that membership issues and every service reads.

The token's claims are a contract between services, like the events: membership signs it at
login, billing, referral and notify check it with the shared JKN_JWT_SECRET. A session's `sid`
ends early when membership publishes SessionEnded (each service keeps its own revoked set).
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt
from pydantic import SecretStr

ISSUER = "jkn-membership"
AUDIENCE = "jkn"
# Access tokens live 15 minutes; a refresh token gets the next one.
ACCESS_TOKEN_TTL = timedelta(minutes=15)
# Tokens this process has verified, with their expiry: a member's app sends the same token on
# every call for 15 minutes, and PyJWT's decode was a sixth of GET /v1/me's CPU.
VERIFIED_CACHE_SIZE = 10_000


@dataclass(frozen=True)
class AccessClaims:
    account_id: uuid.UUID
    member_id: uuid.UUID
    # The login family (session) the token belongs to: revoking it ends the token at once.
    sid: uuid.UUID | None = None


def issue_access(secret: SecretStr, claims: AccessClaims, now: datetime) -> str:
    return jwt.encode(
        {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "sub": str(claims.account_id),
            "mid": str(claims.member_id),
            "iat": int(now.timestamp()),
            "exp": int((now + ACCESS_TOKEN_TTL).timestamp()),
            "jti": uuid.uuid4().hex,
            **({"sid": str(claims.sid)} if claims.sid else {}),
        },
        secret.get_secret_value(),
        algorithm="HS256",
    )


class _Verified:
    """Tokens already verified under a secret -> (claims, exp). Only good tokens are kept, keyed
    by the whole token (its signature included) and the secret, and each hit re-checks the
    expiry, so a hit answers exactly what jwt.decode would. Full: the oldest half is dropped."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._tokens: dict[tuple[str, str], tuple[AccessClaims, int]] = {}

    def get(self, key: tuple[str, str]) -> AccessClaims | None:
        hit = self._tokens.get(key)
        if hit is None:
            return None
        if hit[1] <= time.time():  # as PyJWT: expired once now reaches exp (no leeway)
            del self._tokens[key]
            return None
        return hit[0]

    def put(self, key: tuple[str, str], claims: AccessClaims, exp: int) -> None:
        if len(self._tokens) >= self.size:
            for old in list(self._tokens)[: self.size // 2]:
                del self._tokens[old]
        self._tokens[key] = (claims, exp)


_verified = _Verified(VERIFIED_CACHE_SIZE)


def read_access(secret: SecretStr, token: str) -> AccessClaims:
    """Claims of a valid token; raises jwt.PyJWTError otherwise."""
    key = (secret.get_secret_value(), token)
    if (claims := _verified.get(key)) is not None:
        return claims
    data = jwt.decode(
        token,
        secret.get_secret_value(),
        algorithms=["HS256"],
        audience=AUDIENCE,
        issuer=ISSUER,
        options={"require": ["exp", "sub", "mid"]},
    )
    sid = data.get("sid")
    claims = AccessClaims(uuid.UUID(data["sub"]), uuid.UUID(data["mid"]),
                          uuid.UUID(sid) if sid else None)
    _verified.put(key, claims, data["exp"])
    return claims
