"""Bills and their lines: one bill per payer and period (the unique key makes reruns no-ops)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import date, datetime

import asyncpg

from services.billing.domain.bills import Bill

# Fixed forever: a bill's id is uuid5(BILL_NAMESPACE, "kind/payer/period"), so whoever makes
# the bill of a payer and period (the bill run, an enrolment, a rerun after a crash) makes the
# same id, and its lines can be written before anyone asks the database for it.
BILL_NAMESPACE = uuid.UUID("0b7c3f52-6a1e-5c2d-8f4b-16b111000016")
LINE_COLUMNS = ("bill_id", "member_id", "part", "amount")


def bill_id(payer_kind: str, payer_id: str, period: str) -> uuid.UUID:
    """The one id the bill of this payer and period has."""
    return uuid.uuid5(BILL_NAMESPACE, f"{payer_kind}/{payer_id}/{period}")


async def open_bills(conn: asyncpg.Connection, payer_kind: str, payer_id: str,
                     ) -> list[asyncpg.Record]:
    """The payer's unpaid bills (bill_id, period, amount), oldest first."""
    return await conn.fetch(
        "SELECT bill_id, period, amount FROM bills WHERE payer_kind = $1 AND payer_id = $2"
        " AND status = 'open' ORDER BY period", payer_kind, payer_id)


async def open_bills_of(conn: asyncpg.Connection, payers: Sequence[tuple[str, str]],
                        ) -> list[asyncpg.Record]:
    """Unpaid bills (payer_kind, payer_id, period, amount) of many payers at once."""
    return await conn.fetch(
        "SELECT b.payer_kind, b.payer_id, b.period, b.amount FROM bills b"
        " JOIN unnest($1::text[], $2::text[]) AS p (kind, id)"
        " ON b.payer_kind = p.kind AND b.payer_id = p.id WHERE b.status = 'open'",
        [k for k, _ in payers], [i for _, i in payers])


async def mark_settled(conn: asyncpg.Connection, bill_ids: Sequence[uuid.UUID],
                       payment_id: uuid.UUID | None, now: datetime) -> int:
    """Mark open bills paid (payment_id None: the payer's credit paid them); returns how many."""
    result = await conn.execute(
        "UPDATE bills SET status = 'settled', settled_at = $3, settled_by = $2"
        " WHERE bill_id = ANY($1::uuid[]) AND status = 'open'", list(bill_ids), payment_id, now)
    return int(result.split()[-1])


async def insert_bills(conn: asyncpg.Connection, rows: Sequence[tuple[str, str, str, int, date]],
                       *, now: datetime, opening: bool = False) -> set[uuid.UUID]:
    """Insert (payer_kind, payer_id, period, amount, due_date) bills that do not exist yet;
    returns the ids of those inserted (an existing bill of a payer and period stays as it is)."""
    if not rows:
        return set()
    kinds, payer_ids, periods, amounts, due = (list(c) for c in zip(*rows, strict=True))
    ids = [bill_id(*key) for key in zip(kinds, payer_ids, periods, strict=True)]
    inserted = await conn.fetch(
        "INSERT INTO bills (bill_id, payer_kind, payer_id, period, amount, due_date, opening,"
        " issued_at) SELECT b.*, $1, $2 FROM unnest($3::uuid[], $4::text[], $5::text[],"
        " $6::text[], $7::bigint[], $8::date[]) AS b ON CONFLICT DO NOTHING RETURNING bill_id",
        opening, now, ids, kinds, payer_ids, periods, amounts, due)
    return {r["bill_id"] for r in inserted}


async def write(conn: asyncpg.Connection, new: Sequence[Bill], due: Sequence[date], *,
                now: datetime, opening: bool = False) -> list[tuple[uuid.UUID, Bill]]:
    """Bills with their lines, each unless its payer and period has one; returns those written."""
    ids = await insert_bills(
        conn, [(b.payer.kind, b.payer.id, str(b.period), b.total, d)
               for b, d in zip(new, due, strict=True)], now=now, opening=opening)
    written = [(bill_id(b.payer.kind, b.payer.id, str(b.period)), b) for b in new]
    written = [(i, b) for i, b in written if i in ids]
    await insert_lines(conn, [(i, line.member_id, line.part, line.amount)
                              for i, b in written for line in b.lines])
    return written


async def insert_lines(conn: asyncpg.Connection,
                       lines: Iterable[tuple[uuid.UUID, uuid.UUID, str, int]]) -> None:
    """Write (bill_id, member_id, part, amount) lines by COPY (the bills exist already)."""
    await conn.copy_records_to_table("bill_lines", records=lines, columns=LINE_COLUMNS)


async def set_amounts(conn: asyncpg.Connection, amounts: dict[uuid.UUID, int]) -> None:
    """Set streamed bills' totals once all their lines are written."""
    await conn.execute(
        "UPDATE bills SET amount = a.amount FROM unnest($1::uuid[], $2::bigint[])"
        " AS a (bill_id, amount) WHERE bills.bill_id = a.bill_id",
        list(amounts), list(amounts.values()))


async def delete_empty(conn: asyncpg.Connection, ids: Sequence[uuid.UUID]) -> None:
    """Drop bills made ahead of streaming that got no line (nobody billable that month)."""
    await conn.execute("DELETE FROM bills WHERE bill_id = ANY($1::uuid[])", list(ids))


async def take_reminders(conn: asyncpg.Connection, today: date, now: datetime, days_before: int,
                         limit: int) -> list[asyncpg.Record]:
    """Open family bills whose reminder day has come and that are not yet reminded, marked
    reminded now (payer_id, bill_id, period, due_date, head_member_id, va, locale, credit)."""
    # Reminded from `days_before` days before the due date up to the due date itself: a worker
    # that was down on the 7th still reminds on the 8th, never after the bill fell due.
    return await conn.fetch(
        "WITH due AS (SELECT bill_id FROM bills WHERE payer_kind = 'family'"
        " AND status = 'open' AND reminded_at IS NULL AND due_date >= $1"
        " AND due_date - $3::int <= $1 LIMIT $4 FOR UPDATE SKIP LOCKED)"
        " UPDATE bills b SET reminded_at = $2 FROM due, payers p"
        " WHERE b.bill_id = due.bill_id AND p.payer_kind = b.payer_kind"
        " AND p.payer_id = b.payer_id RETURNING b.payer_id, b.bill_id, b.period, b.due_date,"
        " p.head_member_id, p.va, p.locale, p.credit", today, now, days_before, limit)
