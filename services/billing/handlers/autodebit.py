"""Autodebit: a family registers or cancels a mandate; after bills are issued the worker asks
the bank for each open bill of a family with an active mandate, records the bank's answer, and
settles what the bank paid (channel `autodebit`, the collection id as the bank reference).

A collection is claimed (pending) in one transaction before the bank is asked, and answered in
another: a crash in between leaves it pending, and the next pass asks again with the same id.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import asyncpg
from pydantic import SecretStr

from common import sealing
from common.errors import Conflict, NotFound
from common.member_tokens import AccessClaims
from services.billing.autodebit_bank import Bank
from services.billing.domain.payments import AUTODEBIT, mask_account
from services.billing.domain.periods import local_date
from services.billing.handlers.commands import (
    CancelAutodebit,
    RecordCollection,
    RegisterAutodebit,
)
from services.billing.handlers.members import family_payer
from services.billing.handlers.payments import Money, settle
from services.billing.store import autodebit as store
from services.billing.store import payers
from services.billing.store import payments as payment_store

BATCH = 200


def _view(row: asyncpg.Record) -> dict[str, Any]:
    return {"mandate_id": row["mandate_id"], "bank": row["bank"],
            "account": row["account_masked"], "status": row["status"],
            "created_at": row["created_at"], "cancelled_at": row["cancelled_at"]}


async def register_autodebit(conn: asyncpg.Connection, cmd: RegisterAutodebit, *,
                             now: datetime, seal_key: SecretStr) -> dict[str, Any]:
    """A mandate for the family; the account is kept masked and sealed, never in clear."""
    member = await family_payer(conn, cmd.who)
    row = await store.insert(
        conn, mandate_id=uuid.uuid4(), payer_kind=member["payer_kind"],
        payer_id=member["payer_id"], member_id=cmd.who.member_id, bank=cmd.bank,
        account_masked=mask_account(cmd.account_number),
        account_sealed=sealing.seal(seal_key, cmd.account_number), created_at=now)
    if row is None:
        raise Conflict("autodebit_active", "Your family already has an autodebit mandate; "
                       "cancel it first.", "Keluarga Anda sudah memiliki autodebet; "
                       "batalkan terlebih dahulu.", field="account_number")
    return _view(row)


async def cancel_autodebit(conn: asyncpg.Connection, cmd: CancelAutodebit, *,
                           now: datetime) -> dict[str, Any]:
    member = await family_payer(conn, cmd.who)
    row = await store.cancel(conn, member["payer_kind"], member["payer_id"], now)
    if row is None:
        raise _none()
    return _view(row)


def _none() -> NotFound:
    return NotFound("autodebit_none", "Your family has no active autodebit mandate.",
                    "Keluarga Anda tidak memiliki autodebet aktif.")


async def my_autodebit(conn: asyncpg.Connection | asyncpg.Pool,
                       who: AccessClaims) -> dict[str, Any]:
    """The active mandate and the bank's latest answers."""
    member = await family_payer(conn, who)
    row = await store.active(conn, member["payer_kind"], member["payer_id"])
    if row is None:
        raise _none()
    collections = await store.collections_of(conn, row["mandate_id"])
    return {**_view(row), "collections": [dict(c) for c in collections]}


async def claim_collections(conn: asyncpg.Connection, *, now: datetime) -> int:
    """A pending collection for every open bill of every active mandate not asked yet."""
    return await store.claim_due(conn, now)


async def record_collection(conn: asyncpg.Connection, cmd: RecordCollection, *,
                            now: datetime) -> bool:
    """The bank's answer, and the settlement when it paid; False if already answered."""
    row = await store.lock_pending(conn, cmd.collection_id)
    if row is None:
        return False
    payment_id = uuid.uuid4() if cmd.succeeded else None
    await store.record_answer(conn, cmd.collection_id, succeeded=cmd.succeeded, code=cmd.code,
                              message=cmd.message, payment_id=payment_id, now=now)
    if payment_id is None:
        return True
    payer = await payers.lock(conn, row["payer_kind"], row["payer_id"])
    money = Money(payment_id, row["amount"], AUTODEBIT, str(cmd.collection_id), now, payer["va"])
    result = await settle(conn, payer, money, now=now)
    await payment_store.insert_collected(
        conn, payment_id=payment_id, cons_id=AUTODEBIT, bank_reference=str(cmd.collection_id),
        fingerprint="", va=payer["va"], payer_kind=payer["payer_kind"],
        payer_id=payer["payer_id"], segment=payer["segment"], amount=row["amount"],
        channel=AUTODEBIT, paid_at=now, paid_on=local_date(now), received_at=now,
        settled_periods=[str(p) for p in result.settled_periods], credit_after=result.credit)
    return True


async def run_collections(pool: asyncpg.Pool, *, bank: Bank, seal_key: SecretStr,
                          now: datetime) -> int:
    """One pass: claim what is due, ask the bank for every pending collection, record each
    answer in its own transaction. Returns how many answers were recorded."""
    async with pool.acquire() as conn, conn.transaction():
        await claim_collections(conn, now=now)
    answered = 0
    for row in await store.pending(pool, BATCH):
        account = sealing.unseal(seal_key, row["account_sealed"])
        answer = await bank.collect(row["collection_id"], row["bank"], account, row["amount"])
        cmd = RecordCollection(row["collection_id"], answer.succeeded, answer.code,
                               answer.message)
        async with pool.acquire() as conn, conn.transaction():
            answered += await record_collection(conn, cmd, now=now)
    return answered
