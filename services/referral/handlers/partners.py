"""Facility partners: their keys for checking signatures, the audit of their calls, and the
seed's upsert of the demo partners."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import asyncpg
from pydantic import SecretStr

from common.partner_auth import Partner
from common.partner_key_admin import first_key, keys_by_partner
from services.referral.store import partners as store

PartnerKind = Literal["fktp", "hospital"]


async def active_partners(db: store.Executor, seal_key: SecretStr) -> dict[str, Partner]:
    """Every active partner by cons-id with its keys, unsealed (kept in memory only)."""
    keys = await keys_by_partner(db, seal_key)
    return {
        r["cons_id"]: Partner(r["cons_id"], r["kind"], keys.get(r["cons_id"], ()),
                              r["facility_code"])
        for r in await store.active(db)
    }


async def record_call(db: store.Executor, cons_id: str, path: str, outcome: str,
                      key_id: str | None) -> None:
    """Audit one partner call and the key that signed it (in the caller's transaction when it
    has one)."""
    await store.record_call(db, cons_id, path, outcome, key_id)


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
    now: datetime,
) -> None:
    """Add or update a facility partner; a new one (or one without an open key) signs with
    `secret`."""
    await store.upsert(conn, cons_id=cons_id, kind=kind, facility_code=facility_code)
    await first_key(conn, cons_id, secret, seal_key=seal_key, now=now)
