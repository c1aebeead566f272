"""Partners: their keys for checking signatures, the audit of their calls, and the seed of the
demo partners."""

from __future__ import annotations

from datetime import datetime

import asyncpg
from pydantic import SecretStr

from common.partner_auth import Partner
from common.partner_key_admin import first_key, keys_by_partner
from services.billing.store import partners as store


async def active_partners(db: asyncpg.Pool | asyncpg.Connection,
                          seal_key: SecretStr) -> dict[str, Partner]:
    """Every active partner by cons-id with its keys, unsealed (kept in memory only)."""
    keys = await keys_by_partner(db, seal_key)
    return {r["cons_id"]: Partner(r["cons_id"], r["kind"], keys.get(r["cons_id"], ()))
            for r in await store.active(db)}


async def record_call(db: asyncpg.Pool | asyncpg.Connection, cons_id: str, path: str,
                      outcome: str, key_id: str | None) -> None:
    """Audit one partner call and the key that signed it (in the caller's transaction when it
    has one)."""
    await store.record_call(db, cons_id, path, outcome, key_id)


async def upsert_partner(conn: asyncpg.Connection, *, cons_id: str, name: str, kind: str,
                         secret: str, seal_key: SecretStr, now: datetime) -> None:
    """Add or update a partner; a new one (or one without an open key) signs with `secret`."""
    await store.upsert(conn, cons_id=cons_id, name=name, kind=kind)
    await first_key(conn, cons_id, secret, seal_key=seal_key, now=now)
