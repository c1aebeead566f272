"""A member's recorded visits (migration 0003's visits), with where they were."""

from __future__ import annotations

import uuid

from services.referral.store.queue import Executor, Row


async def member_visits(conn: Executor, member_id: uuid.UUID, limit: int = 100) -> list[Row]:
    """The member's visits, latest first, with the facility's name and type."""
    return await conn.fetch(
        "SELECT v.number, v.facility_code, f.name AS facility_name, f.facility_type,"
        " v.poli_code, v.visited_on, v.referral_number, v.control_letter_number,"
        " v.booking_code FROM visits v JOIN facilities f ON f.code = v.facility_code"
        " WHERE v.member_id = $1 ORDER BY v.visited_on DESC, v.recorded_at DESC LIMIT $2",
        member_id, limit)
