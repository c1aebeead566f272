"""The member access token: a short-lived HS256 JWT that membership issues and every service reads.

The token's claims are a contract between services, like the events: membership signs it at
login, billing, referral and notify check it with the shared JKN_JWT_SECRET. A session's `sid`
ends early when membership publishes SessionEnded (each service keeps its own revoked set).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt
from pydantic import SecretStr

ISSUER = "jkn-membership"
AUDIENCE = "jkn"
# Access tokens live 15 minutes; a refresh token gets the next one.
ACCESS_TOKEN_TTL = timedelta(minutes=15)


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


def read_access(secret: SecretStr, token: str) -> AccessClaims:
    """Claims of a valid token; raises jwt.PyJWTError otherwise."""
    data = jwt.decode(
        token,
        secret.get_secret_value(),
        algorithms=["HS256"],
        audience=AUDIENCE,
        issuer=ISSUER,
        options={"require": ["exp", "sub", "mid"]},
    )
    sid = data.get("sid")
    return AccessClaims(uuid.UUID(data["sub"]), uuid.UUID(data["mid"]),
                        uuid.UUID(sid) if sid else None)
