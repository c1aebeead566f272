"""Provider receipts are signed: HMAC-SHA256 over `timestamp.body` with the channel's secret,
sent as `X-Signature: sha256=<hex>` and `X-Timestamp: <unix seconds>`. Pure.

The timestamp bounds a replay of a captured receipt to the tolerance window; the receipts
themselves are idempotent (domain/receipts.py), so a replay inside it changes nothing.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

TOLERANCE = timedelta(minutes=5)


class BadSignature(Exception):
    """Why a receipt is not trusted (missing, stale or wrong signature)."""


def sign(secret: bytes, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret, f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(secret: bytes, timestamp: str | None, signature: str | None, body: bytes,
           now: datetime) -> None:
    """Raise BadSignature unless `signature` signs `body` at a timestamp near `now`."""
    if not timestamp or not signature:
        raise BadSignature("missing")
    try:
        at = int(timestamp)
    except ValueError:
        raise BadSignature("timestamp") from None
    if abs(now.timestamp() - at) > TOLERANCE.total_seconds():
        raise BadSignature("stale")
    if not hmac.compare_digest(sign(secret, at, body), signature):
        raise BadSignature("mismatch")
