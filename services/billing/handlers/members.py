"""Who the logged-in member is to billing: their row in billing's projection and their payer."""

from __future__ import annotations

import asyncpg

from common.errors import NotFound, RuleViolated
from common.member_tokens import AccessClaims
from services.billing.store import payers


async def billed_member(conn: asyncpg.Connection | asyncpg.Pool,
                        who: AccessClaims) -> asyncpg.Record:
    """The member as billing knows them (from membership's events), or NotFound."""
    member = await payers.member(conn, who.member_id)
    if member is None:
        raise NotFound("member_unknown", "Billing does not know this member yet.",
                       "Data kepesertaan Anda belum tercatat di penagihan.")
    return member


async def family_payer(conn: asyncpg.Connection | asyncpg.Pool,
                       who: AccessClaims) -> asyncpg.Record:
    """The member of a self-paying family (PBPU/BP): only they pay their own bills."""
    member = await billed_member(conn, who)
    if member["payer_kind"] != "family":
        raise RuleViolated("paid_by_others",
                           "Your premium is paid by your employer or the government; "
                           "nothing is due from you.",
                           "Iuran Anda dibayar oleh pemberi kerja atau pemerintah; "
                           "tidak ada tagihan untuk Anda.", field="segment")
    return member
