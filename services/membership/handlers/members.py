"""What a member reads about themselves: the card."""

from __future__ import annotations

from typing import Any

import asyncpg

from common.errors import NotFound
from services.membership.store import participants
from services.membership.tokens import AccessClaims


async def my_card(conn: asyncpg.Connection, who: AccessClaims) -> dict[str, Any]:
    """The logged-in member's card: number, name, segment, class, FKTP, coverage and the
    family's virtual account (once billing opened it)."""
    row = await participants.card_view(conn, who.account_id)
    if row is None:
        raise NotFound("account_not_found", "No such account.", "Akun tidak ditemukan.")
    return {"card_number": row["card_number"], "full_name": row["full_name"],
            "segment": row["segment"], "care_class": row["care_class"],
            "fktp": {"code": row["fktp_code"], "name": row["fktp_name"]},
            "coverage_status": row["coverage"], "family_id": row["family_id"],
            "email": row["email"], "phone": row["phone"], "address": row["address"],
            "va": row["va"]}
