"""Partner keys' use cases, for every service with partners: the keys for checking signatures,
a rotation, the end of an overlap, and the seed's "this partner signs with this secret"."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

import asyncpg
from pydantic import SecretStr

from common import partner_key_store as store
from common import sealing
from common.errors import NotFound
from common.partner_keys import PartnerKey, next_key_id, revocation, rotation

SECRET_BYTES = 32  # token_urlsafe(32): 43 characters


def _unsealed(row: asyncpg.Record, seal_key: SecretStr) -> PartnerKey:
    return PartnerKey(row["key_id"], sealing.unseal(seal_key, row["secret_sealed"]),
                      row["valid_from"], row["valid_until"])


async def keys_by_partner(db: store.Db, seal_key: SecretStr) -> dict[str, tuple[PartnerKey, ...]]:
    """Every active partner's keys, unsealed (kept in memory only), by cons-id."""
    found: dict[str, list[PartnerKey]] = {}
    for row in await store.keys_of_active_partners(db):
        found.setdefault(row["cons_id"], []).append(_unsealed(row, seal_key))
    return {cons_id: tuple(keys) for cons_id, keys in found.items()}


async def _locked(conn: asyncpg.Connection, cons_id: str,
                  seal_key: SecretStr) -> list[PartnerKey]:
    rows = await store.lock_partner(conn, cons_id)
    if rows is None:
        raise NotFound("partner_unknown", "No such partner.", "Mitra tidak ditemukan.",
                       field="cons_id")
    return [_unsealed(r, seal_key) for r in rows]


async def rotate(conn: asyncpg.Connection, cons_id: str, *, seal_key: SecretStr,
                 overlap: timedelta, now: datetime) -> tuple[PartnerKey, dict[str, datetime]]:
    """A new secret for the partner, valid from now; its older key expires after `overlap`.
    Returns the new key (its secret, to hand over once) and the older keys' ends."""
    plan = rotation(await _locked(conn, cons_id, seal_key), now=now, overlap=overlap)
    key = PartnerKey(plan.key_id, secrets.token_urlsafe(SECRET_BYTES), plan.valid_from)
    await store.expire(conn, cons_id, plan.expiries)
    await store.add_key(conn, cons_id=cons_id, key_id=key.key_id,
                        secret_sealed=sealing.seal(seal_key, key.secret), valid_from=now)
    return key, plan.expiries


async def revoke_old(conn: asyncpg.Connection, cons_id: str, *, seal_key: SecretStr,
                     now: datetime) -> dict[str, datetime]:
    """End the overlap now: the partner's older key stops signing. Returns what expired."""
    ends = revocation(await _locked(conn, cons_id, seal_key), now=now)
    await store.expire(conn, cons_id, ends)
    return ends


async def first_key(conn: asyncpg.Connection, cons_id: str, secret: str, *,
                    seal_key: SecretStr, now: datetime) -> bool:
    """The seed's key: the partner (upserted in this transaction) signs with `secret` from
    now, unless it holds an open key already; then a rotation (`partner rotate`) owns its keys
    and a seed run again changes nothing. Returns whether the key was added."""
    keys = await _locked(conn, cons_id, seal_key)
    if any(k.open_at(now) for k in keys):
        return False
    await store.add_key(conn, cons_id=cons_id, key_id=next_key_id(k.key_id for k in keys),
                        secret_sealed=sealing.seal(seal_key, secret), valid_from=now)
    return True
