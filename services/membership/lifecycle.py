"""The life of a followable request: open it, move it through its statuses, keep its timeline.

Every status change is one timeline row and one MemberRequestUpdated event in the caller's
transaction, so what the member reads, what notify says and what happened never disagree.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

import asyncpg

from common import outbox
from common.logs import current_correlation_id
from contracts import events, wrap
from services.membership.domain.decisions import Decision
from services.membership.domain.requests import Kind, Status, check_transition

PRODUCER = "membership"


class RequestOpen(Exception):
    """The member already has an open request of this kind."""


async def stage(conn: asyncpg.Connection, event: events.Event, key: str) -> None:
    """Put an integration event in the outbox, in the caller's transaction."""
    env = wrap(event, producer=PRODUCER, key=key, correlation_id=current_correlation_id())
    await outbox.add_event(conn, env, event)


async def open_request(
    conn: asyncpg.Connection, *, member_id: uuid.UUID, family_id: str, kind: Kind,
    details: dict[str, Any], now: datetime,
) -> uuid.UUID:
    """Create a request in status `received`; raises RequestOpen if one of its kind is open."""
    request_id = uuid.uuid4()
    try:
        async with conn.transaction():  # a savepoint: the unique violation must not doom the caller
            await conn.execute(
                "INSERT INTO requests (request_id, member_id, family_id, kind, status, details,"
                " created_at, updated_at) VALUES ($1, $2, $3, $4, 'received', $5, $6, $6)",
                request_id, member_id, family_id, kind.value, details, now,
            )
    except asyncpg.UniqueViolationError:
        raise RequestOpen(kind.value) from None
    await _timeline(conn, request_id, Status.RECEIVED, now)
    await stage(conn, events.MemberRequestUpdated(
        request_id=request_id, member_id=member_id, kind=kind.value, status="received",
    ), str(member_id))
    return request_id


async def _timeline(conn: asyncpg.Connection, request_id: uuid.UUID, status: Status,
                    now: datetime) -> None:
    await conn.execute(
        "INSERT INTO request_timeline (request_id, seq, status, at) SELECT $1,"
        " COALESCE(max(seq), 0) + 1, $2, $3 FROM request_timeline WHERE request_id = $1",
        request_id, status.value, now,
    )


async def load_for_update(conn: asyncpg.Connection, request_id: uuid.UUID):
    return await conn.fetchrow("SELECT * FROM requests WHERE request_id = $1 FOR UPDATE",
                               request_id)


async def move(
    conn: asyncpg.Connection, req: asyncpg.Record, statuses: list[Status], now: datetime, *,
    decision: Decision | None = None, effective_date: date | None = None,
    decided_by: str | None = None,
) -> Status:
    """Advance a locked request through `statuses`; returns the last one."""
    current = Status(req["status"])
    effective = effective_date or (decision.effective_date if decision else None)
    staged = []
    for status in statuses:
        check_transition(current, status)
        current = status
        rejected = status is Status.REJECTED and decision is not None
        event = events.MemberRequestUpdated(
            request_id=req["request_id"], member_id=req["member_id"], kind=req["kind"],
            status=status.value, effective_date=effective,
            rule=decision.rule if rejected else None,
            reason_en=decision.reason_en if rejected else None,
            reason_id=decision.reason_id if rejected else None,
        )
        env = wrap(event, producer=PRODUCER, key=str(req["member_id"]),
                   correlation_id=current_correlation_id())
        staged.append((env, event.topic))
    # One round trip each for the timeline rows and their events, whatever their number.
    await conn.execute(
        "INSERT INTO request_timeline (request_id, seq, status, at)"
        " SELECT $1, base.n + s.i, s.status, $3 FROM"
        " (SELECT COALESCE(max(seq), 0) AS n FROM request_timeline WHERE request_id = $1) base,"
        " unnest($2::text[]) WITH ORDINALITY AS s(status, i)",
        req["request_id"], [st.value for st in statuses], now,
    )
    await outbox.add_many(conn, staged)
    await conn.execute(
        "UPDATE requests SET status = $2, effective_date = COALESCE($3, effective_date),"
        " rule = CASE WHEN $9 THEN $4 ELSE rule END,"
        " reason_en = CASE WHEN $9 THEN $5 ELSE reason_en END,"
        " reason_id = CASE WHEN $9 THEN $6 ELSE reason_id END,"
        " decided_by = COALESCE($7, decided_by), updated_at = $8 WHERE request_id = $1",
        req["request_id"], current.value, effective,
        decision.rule if decision else None, decision.reason_en if decision else None,
        decision.reason_id if decision else None, decided_by, now, decision is not None,
    )
    return current
