"""The programme's bridging conventions for partner calls (domain.md §4, R25), pure.

A partner signs `consId&timestamp` (Unix seconds, UTC) with HMAC-SHA256 under its secret and
sends the Base64 digest as X-signature beside X-cons-id and X-timestamp. Answers are
`{"metaData": {"code": "200", "message": "OK"}, "response": ...}` with the code a string:
"200" success, "201" failure. Facility and bank partner APIs share these, so they live here.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime
from typing import Any

from common.errors import Unauthenticated

# §4: requests more than five minutes from our clock are refused (replays, wrong clocks).
MAX_SKEW_SECONDS = 300
OK = "200"
FAILURE = "201"


def signature(cons_id: str, timestamp: str, secret: str) -> str:
    """Base64(HMAC-SHA256(`consId&timestamp`, secret)), as X-signature carries it."""
    digest = hmac.new(secret.encode(), f"{cons_id}&{timestamp}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def verify(
    cons_id: str,
    timestamp: str,
    signature_b64: str,
    secret: str,
    now: datetime,
    max_skew: int = MAX_SKEW_SECONDS,
) -> None:
    """Refuse (Unauthenticated naming the header) a stale timestamp or a wrong signature."""
    # Plain ASCII decimal seconds only: "1e9", "+5" or " 12" would be signed as other text.
    if not (timestamp.isascii() and timestamp.isdigit()):
        raise Unauthenticated(
            "bad_timestamp",
            "X-timestamp must be Unix seconds (UTC).",
            "X-timestamp harus berupa detik Unix (UTC).",
            field="X-timestamp",
        )
    if abs(now.timestamp() - int(timestamp)) > max_skew:
        raise Unauthenticated(
            "stale_timestamp",
            f"X-timestamp is more than {max_skew // 60} minutes from the server's clock.",
            f"X-timestamp berselisih lebih dari {max_skew // 60} menit dari jam server.",
            field="X-timestamp",
        )
    expected = signature(cons_id, timestamp, secret)
    # compare_digest takes the same time wherever the first difference is.
    if not hmac.compare_digest(expected.encode(), signature_b64.strip().encode()):
        raise Unauthenticated(
            "bad_signature",
            "X-signature does not match.",
            "X-signature tidak sesuai.",
            field="X-signature",
        )


def envelope(code: str, message: str, response: Any = None) -> dict[str, Any]:
    """The bridging answer: metaData with a string code and message, then the response."""
    if code not in (OK, FAILURE):
        raise ValueError("a bridging code is '200' or '201'")
    return {"metaData": {"code": code, "message": message}, "response": response}


def ok(response: Any, message: str = "OK") -> dict[str, Any]:
    """A successful answer carrying `response`."""
    return envelope(OK, message, response)


def failure(message: str) -> dict[str, Any]:
    """A refused or failed call: code "201", the reason, no response."""
    return envelope(FAILURE, message)
