"""Payers and members as payments read them: by VA, by member, by card; locks and credit."""

from __future__ import annotations

import uuid

import asyncpg

Row = asyncpg.Record

# The head's segment rides along (the ops summary counts payments by segment), and whether an
# open intent or a running REHAB plan exists, so a payment without either (nearly all) spends
# no round trip looking for them; what coverage decides on (arrears, whether it bills members)
# too, so a settlement re-evaluates coverage without reading the payer again.
_PAYER = ("SELECT p.payer_kind, p.payer_id, p.head_member_id, p.head_name, p.va, p.va_mandiri,"
          " p.locale, p.credit, p.coverage, p.arrears_months, p.reactivated_on,"
          " p.reactivated_arrears,"
          " (SELECT m.segment FROM members m WHERE m.member_id = p.head_member_id) AS segment,"
          " EXISTS (SELECT 1 FROM payment_intents i WHERE i.payer_kind = p.payer_kind"
          "  AND i.payer_id = p.payer_id AND i.status = 'open') AS open_intent,"
          " EXISTS (SELECT 1 FROM rehab_plans r WHERE r.payer_kind = p.payer_kind"
          "  AND r.payer_id = p.payer_id AND r.status = 'active') AS rehab_plan,"
          " EXISTS (SELECT 1 FROM members m WHERE m.payer_kind = p.payer_kind"
          "  AND m.payer_id = p.payer_id) AS bills_members"
          " FROM payers p")
# domain.virtual_account: a default VA is in `va`, a Mandiri one in `va_mandiri`.
_VA_COLUMN = {"default": "va", "mandiri": "va_mandiri"}


async def by_va(conn: asyncpg.Connection, va_channel: str, va: str, *,
                lock: bool = False) -> Row | None:
    """The family payer a VA belongs to; with lock, its row is locked for the settlement."""
    sql = f"{_PAYER} WHERE p.{_VA_COLUMN[va_channel]} = $1"
    return await conn.fetchrow(sql + (" FOR UPDATE OF p" if lock else ""), va)


async def lock(conn: asyncpg.Connection, payer_kind: str, payer_id: str) -> Row | None:
    """The payer row, locked until the transaction ends (one settlement at a time per payer)."""
    return await conn.fetchrow(
        f"{_PAYER} WHERE p.payer_kind = $1 AND p.payer_id = $2 FOR UPDATE OF p",
        payer_kind, payer_id)


async def get(conn: asyncpg.Connection, payer_kind: str, payer_id: str) -> Row | None:
    return await conn.fetchrow(f"{_PAYER} WHERE p.payer_kind = $1 AND p.payer_id = $2",
                               payer_kind, payer_id)


async def member(conn: asyncpg.Connection | asyncpg.Pool, member_id: uuid.UUID) -> Row | None:
    """Billing's projection of one participant: family, segment and who pays for them."""
    return await conn.fetchrow(
        "SELECT member_id, family_id, segment, payer_kind, payer_id FROM members"
        " WHERE member_id = $1", member_id)


async def member_by_card(conn: asyncpg.Connection, card_number: str) -> Row | None:
    """A participant by card number, with their payer's last reactivation (the penalty)."""
    return await conn.fetchrow(
        "SELECT m.member_id, m.segment, p.reactivated_on, p.reactivated_arrears"
        " FROM members m JOIN payers p USING (payer_kind, payer_id)"
        " WHERE m.card_number = $1", card_number)
