"""The branch officer's token: a short-lived HS256 JWT that membership issues at staff login and
every service with staff routes reads (billing's ops endpoints, later the dashboard).

A separate audience from the member access token (common.member_tokens), so a member's token
is never an officer's; signed with the same shared JKN_JWT_SECRET.
"""

from __future__ import annotations

from datetime import datetime

import jwt
from pydantic import SecretStr

from common.member_tokens import ACCESS_TOKEN_TTL, ISSUER

STAFF_AUDIENCE = "jkn-staff"


def issue_staff(secret: SecretStr, username: str, now: datetime) -> str:
    """A short-lived token for a branch officer (a separate audience: never a member's)."""
    return jwt.encode(
        {"iss": ISSUER, "aud": STAFF_AUDIENCE, "sub": username, "role": "officer",
         "iat": int(now.timestamp()), "exp": int((now + ACCESS_TOKEN_TTL).timestamp())},
        secret.get_secret_value(), algorithm="HS256")


def read_staff(secret: SecretStr, token: str) -> str:
    """The officer's username of a valid staff token; raises jwt.PyJWTError otherwise."""
    data = jwt.decode(token, secret.get_secret_value(), algorithms=["HS256"],
                      audience=STAFF_AUDIENCE, issuer=ISSUER,
                      options={"require": ["exp", "sub", "role"]})
    if data["role"] != "officer":
        raise jwt.InvalidTokenError("not an officer")
    return data["sub"]
