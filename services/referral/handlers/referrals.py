"""Online referrals: an FKTP issues one for its member, the member reads theirs, a hospital
looks one up, and the scheduler announces each expiry on its day."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import asyncpg

from common.errors import NotFound
from contracts import events
from services.referral.domain import referrals as rules
from services.referral.domain.eligibility import eligibility
from services.referral.domain.numbers import Kind, parse_document_number
from services.referral.domain.referrals import Referral, ServiceType
from services.referral.domain.schedules import local_date
from services.referral.handlers import documents
from services.referral.handlers.eligibility import coverage_of, find_member
from services.referral.store import referrals as store
from services.referral.store.events import stage


@dataclass(frozen=True, slots=True)
class IssueReferral:
    """An FKTP's referral for one of its members to a hospital poli."""

    issuer_code: str
    card_number: str
    destination_code: str
    poli_code: str
    diagnosis: str
    service_type: str
    notes: str = ""


def referral_not_found(field: str = "referral_number") -> NotFound:
    return NotFound(
        "referral_not_found",
        "No such referral.",
        "Rujukan tidak ditemukan.",
        field=field,
    )


def as_domain(row: asyncpg.Record) -> Referral:
    """A stored referral as the rules see it."""
    return Referral(
        number=row["number"],
        card_number=row["card_number"],
        issuer_code=row["from_facility"],
        destination_code=row["to_facility"],
        poli_code=row["poli_code"],
        diagnosis=row["diagnosis"],
        service_type=ServiceType(row["service_type"]),
        issued_on=row["issued_on"],
        notes=row["notes"],
    )


def view(row: asyncpg.Record, today: date) -> dict[str, Any]:
    """A referral as members and facilities read it; `status` is expired from day 91 even
    before the scheduler has announced it."""
    valid = rules.is_valid_on(row["issued_on"], today)
    return {
        "referral_number": row["number"],
        "card_number": row["card_number"],
        "from_facility": {"code": row["from_facility"], "name": row["from_facility_name"]},
        "to_facility": {"code": row["to_facility"], "name": row["to_facility_name"]},
        "poli": {"code": row["poli_code"], "name": row["poli_name"]},
        "service_type": row["service_type"],
        "diagnosis": row["diagnosis"],
        "notes": row["notes"],
        "issued_on": row["issued_on"],
        "valid_through": row["valid_through"],
        "status": "active" if valid else "expired",
    }


async def issue_referral(
    conn: asyncpg.Connection, cmd: IssueReferral, *, now: datetime
) -> dict[str, Any]:
    """Check and issue a referral (R19, R20); ReferralIssued staged in the same transaction."""
    today = local_date(now)
    member = await find_member(conn, card_number=cmd.card_number, nik=None, digest_key=None)
    issuer = await documents.site(conn, cmd.issuer_code)
    if issuer is None:
        raise NotFound(
            "faskes_not_found",
            "The issuing facility is unknown.",
            "Faskes perujuk tidak dikenal.",
            field="issuer_code",
        )
    destination = await documents.site(conn, cmd.destination_code)
    answer = eligibility(coverage_of(member), cmd.issuer_code, issuer[0].facility_type, today)
    draft = rules.check_issue(
        issuer[0],
        destination[0] if destination else None,
        answer,
        card_number=member["card_number"],
        poli_code=cmd.poli_code,
        diagnosis=cmd.diagnosis,
        service_type=cmd.service_type,
        notes=cmd.notes,
    )
    number = await documents.next_number(conn, cmd.issuer_code, Kind.REFERRAL, today)
    await store.insert(
        conn,
        number=number,
        member_id=member["member_id"],
        card_number=draft.card_number,
        from_facility=cmd.issuer_code,
        to_facility=draft.destination_code,
        poli_code=draft.poli_code,
        service_type=draft.service_type.value,
        diagnosis=draft.diagnosis,
        notes=draft.notes,
        issued_on=today,
        valid_through=rules.valid_through(today),
        issued_at=now,
    )
    await stage(
        conn,
        events.ReferralIssued(
            referral_number=number,
            member_id=member["member_id"],
            from_facility=cmd.issuer_code,
            to_facility=draft.destination_code,
            to_facility_name=destination[1] if destination else "",
            poli_code=draft.poli_code,
            service_type=draft.service_type.value,
            issued_on=today,
            valid_through=rules.valid_through(today),
        ),
        str(member["member_id"]),
    )
    row = await store.by_number(conn, number)
    return view(row, today)


async def my_referrals(
    db: store.Executor, member_id: uuid.UUID, *, now: datetime, limit: int = 50
) -> list[dict[str, Any]]:
    """The member's referrals, newest first."""
    today = local_date(now)
    return [view(r, today) for r in await store.of_member(db, member_id, limit)]


async def my_referral(
    db: store.Executor, member_id: uuid.UUID, number: str, *, now: datetime
) -> dict[str, Any]:
    """One of the member's referrals; someone else's is not found, like a missing one."""
    parsed = str(parse_document_number(number, Kind.REFERRAL))
    row = await store.by_number(db, parsed)
    if row is None or row["member_id"] != member_id:
        raise referral_not_found()
    return view(row, local_date(now))


async def facility_referral(
    db: store.Executor, facility_code: str, number: str, *, now: datetime
) -> dict[str, Any]:
    """A referral looked up by the hospital it sends the member to, or the FKTP that issued
    it; any other facility is told it does not exist. An expired one says so."""
    parsed = str(parse_document_number(number, Kind.REFERRAL))
    row = await store.by_number(db, parsed)
    if row is None or facility_code not in (row["to_facility"], row["from_facility"]):
        raise referral_not_found()
    found = view(row, local_date(now))
    if found["status"] == "expired":
        found["reason_en"] = f"The referral expired; it was valid through {row['valid_through']}."
        found["reason_id"] = (
            f"Rujukan sudah habis masa berlakunya (berlaku s.d. {row['valid_through']})."
        )
    return found


async def expire_due(pool: asyncpg.Pool, *, now: datetime, batch: int = 500) -> int:
    """Announce ReferralExpired for every referral past its last valid day (WIB), once each:
    the mark and the event commit together, so a restart resumes where it stopped."""
    today, done = local_date(now), 0
    while True:
        async with pool.acquire() as conn, conn.transaction():
            due = await store.due_to_expire(conn, today, batch)
            for r in due:
                await stage(
                    conn,
                    events.ReferralExpired(
                        referral_number=r["number"],
                        member_id=r["member_id"],
                        expired_on=r["valid_through"] + timedelta(days=1),
                    ),
                    str(r["member_id"]),
                )
            await store.mark_expired(conn, [r["number"] for r in due], now)
        done += len(due)
        if len(due) < batch:
            return done
