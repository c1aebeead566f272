"""Facility partners: their secrets for checking signatures, the audit of their calls, and the
seed's upsert of the demo partners."""

from __future__ import annotations

from typing import Literal

import asyncpg
from pydantic import SecretStr

from common import sealing
from common.partner_auth import Partner
from services.referral.store import partners as store

PartnerKind = Literal["fktp", "hospital"]


async def active_partners(db: store.Executor, seal_key: SecretStr) -> dict[str, Partner]:
    """Every active partner by cons-id, its secret unsealed (kept in memory only)."""
    return {
        r["cons_id"]: Partner(
            r["cons_id"],
            r["kind"],
            sealing.unseal(seal_key, r["secret_sealed"]),
            r["facility_code"],
        )
        for r in await store.active(db)
    }


async def record_call(db: store.Executor, cons_id: str, path: str, outcome: str) -> None:
    """Audit one partner call (in the caller's transaction when it has one)."""
    await store.record_call(db, cons_id, path, outcome)


async def record_reads(pool: asyncpg.Pool, rows: list[tuple]) -> None:
    """Audit a batch of read calls (common.call_log gathers them)."""
    await store.record_calls(pool, rows)


async def upsert_partner(
    conn: asyncpg.Connection,
    *,
    cons_id: str,
    kind: PartnerKind,
    facility_code: str,
    secret: str,
    seal_key: SecretStr,
) -> None:
    """Add or update a facility partner with its secret sealed."""
    await store.upsert(
        conn,
        cons_id=cons_id,
        kind=kind,
        facility_code=facility_code,
        secret_sealed=sealing.seal(seal_key, secret),
    )
