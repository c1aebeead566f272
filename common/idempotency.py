"""Idempotency-Key for mutating HTTP calls: the first answer is stored and replayed to retries.

The key is claimed inside the same transaction as the effect. A concurrent retry blocks on the
primary key until the first commits, then replays its answer; if the first rolled back, the retry
runs afresh. Reusing a key with a different request is refused.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Annotated, Any

import asyncpg
from fastapi import Header

from common.problems import Problem

IdempotencyKey = Annotated[
    str | None,
    Header(alias="Idempotency-Key", min_length=8, max_length=128, pattern=r"^[A-Za-z0-9_\-:.]+$"),
]


@dataclass(frozen=True)
class Stored:
    """An answer given before, to replay."""

    status: int
    body: Any
    headers: dict[str, str]


def fingerprint(payload: Any) -> str:
    """A stable hash of the request, to tell a retry from a different request."""
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


async def claim(
    conn: asyncpg.Connection, scope: str, key: str | None, print_: str
) -> Stored | None:
    """Claim `key` in the caller's transaction; returns the stored answer if it was used before."""
    if key is None:
        return None
    fresh = await conn.fetchval(
        "INSERT INTO idempotency_keys (scope, key, fingerprint) VALUES ($1, $2, $3)"
        " ON CONFLICT DO NOTHING RETURNING true",
        scope,
        key,
        print_,
    )
    if fresh:
        return None
    row = await conn.fetchrow(
        "SELECT fingerprint, status, body, headers FROM idempotency_keys"
        " WHERE scope = $1 AND key = $2",
        scope,
        key,
    )
    if row["fingerprint"] != print_:
        raise Problem(
            422,
            "idempotency_key_reused",
            "This Idempotency-Key was already used for a different request.",
            detail_id="Idempotency-Key ini sudah dipakai untuk permintaan lain.",
            field="Idempotency-Key",
        )
    return Stored(row["status"], row["body"], row["headers"] or {})


async def remember(
    conn: asyncpg.Connection,
    scope: str,
    key: str | None,
    status: int,
    body: Any,
    headers: dict[str, str] | None = None,
) -> None:
    """Store the answer for `key` in the caller's transaction."""
    if key is None:
        return
    await conn.execute(
        "UPDATE idempotency_keys SET status = $3, body = $4, headers = $5"
        " WHERE scope = $1 AND key = $2",
        scope,
        key,
        status,
        body,
        headers or {},
    )
