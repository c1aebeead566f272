"""The NIK as it may cross Kafka: a keyed digest, never the number itself.

Membership puts `nik_digest` on its enrolment events; referral keeps it in its eligibility
projection and answers a facility that asks by NIK by digesting the NIK it was given under the
same key (JKN_NIK_DIGEST_KEY, held by those two services only). Without the key a digest cannot
be turned back into a NIK by trying the ~10^10 plausible ones, which a bare SHA-256 would allow.
"""

from __future__ import annotations

import hashlib
import hmac

from pydantic import SecretStr

# Separates this use of the key from any other HMAC made under it.
_CONTEXT = b"jkn-nik-v1:"


def nik_digest(key: SecretStr, nik: str) -> str:
    """HMAC-SHA256 of the NIK's 16 digits under the shared key, as 64 hex characters."""
    return hmac.new(
        key.get_secret_value().encode(), _CONTEXT + nik.strip().encode(), hashlib.sha256
    ).hexdigest()
