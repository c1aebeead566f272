"""Partners: their secrets for checking signatures, the audit of their calls, and the seed of
the demo partners."""

from __future__ import annotations

import asyncpg
from pydantic import SecretStr

from common import sealing
from common.partner_auth import Partner
from services.billing.store import partners as store


async def active_partners(db: asyncpg.Pool | asyncpg.Connection,
                          seal_key: SecretStr) -> dict[str, Partner]:
    """Every active partner by cons-id, its secret unsealed (kept in memory only)."""
    return {r["cons_id"]: Partner(r["cons_id"], r["kind"],
                                  sealing.unseal(seal_key, r["secret_sealed"]))
            for r in await store.active(db)}


async def record_call(db: asyncpg.Pool | asyncpg.Connection, cons_id: str, path: str,
                      outcome: str) -> None:
    """Audit one partner call (in the caller's transaction when it has one)."""
    await store.record_call(db, cons_id, path, outcome)


async def upsert_partner(conn: asyncpg.Connection, *, cons_id: str, name: str, kind: str,
                         secret: str, seal_key: SecretStr) -> None:
    """Add or update a partner with its secret sealed."""
    await store.upsert(conn, cons_id=cons_id, name=name, kind=kind,
                       secret_sealed=sealing.seal(seal_key, secret))
