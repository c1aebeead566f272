"""Branch staff tokens: a short-lived HS256 JWT that membership issues at staff login and
every service with staff routes reads (billing's ops endpoints, notify's, later the dashboard).

A separate audience from the member access token (common.member_tokens), so a member's token
is never staff's; signed with the same shared JKN_JWT_SECRET. The token carries the role and
the branch, so a route admits a set of roles without asking membership.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import jwt
from pydantic import SecretStr

from common.member_tokens import ACCESS_TOKEN_TTL, ISSUER

STAFF_AUDIENCE = "jkn-staff"
ROLES = frozenset({"officer", "supervisor", "admin"})
# Who works the branch desk (review queue, decisions, complaints): supervisors do it too.
DESK = frozenset({"officer", "supervisor"})
# Who reads the staff audit and reassigns work.
SUPERVISION = frozenset({"supervisor"})


@dataclass(frozen=True)
class StaffClaims:
    username: str
    role: str
    branch: str | None = None


def issue_staff(secret: SecretStr, username: str, now: datetime, role: str = "officer",
                branch: str | None = None) -> str:
    """A short-lived token for a staff account (a separate audience: never a member's)."""
    return jwt.encode(
        {"iss": ISSUER, "aud": STAFF_AUDIENCE, "sub": username, "role": role, "branch": branch,
         "iat": int(now.timestamp()), "exp": int((now + ACCESS_TOKEN_TTL).timestamp())},
        secret.get_secret_value(), algorithm="HS256")


def read_staff(secret: SecretStr, token: str) -> StaffClaims:
    """The claims of a valid staff token of a known role; raises jwt.PyJWTError otherwise."""
    data = jwt.decode(token, secret.get_secret_value(), algorithms=["HS256"],
                      audience=STAFF_AUDIENCE, issuer=ISSUER,
                      options={"require": ["exp", "sub", "role"]})
    if data["role"] not in ROLES:
        raise jwt.InvalidTokenError("not a staff role")
    return StaffClaims(data["sub"], data["role"], data.get("branch"))
