"""The eligibility projection, fed by membership's and billing's events only, and the question
a facility asks of it: is this member covered here on this date, and if not, why.

Each event handler takes (conn, env, e, now) and runs in the consumer's dedup transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

import asyncpg
from pydantic import SecretStr

from common.errors import InvalidInput, NotFound
from common.nik_digest import nik_digest
from contracts import Envelope, events
from services.referral.domain.eligibility import Coverage, Eligibility, eligibility
from services.referral.store import members as store


@dataclass(frozen=True, slots=True)
class CheckEligibility:
    """A facility's question: one member, by card number or NIK, on a date."""

    facility_code: str
    facility_type: Literal["fktp", "fkrtl"]
    on: date
    card_number: str | None = None
    nik: str | None = None

    def __post_init__(self) -> None:
        if (self.card_number is None) == (self.nik is None):
            raise InvalidInput(
                "one_identifier",
                "Give exactly one of card_number or nik.",
                "Isi salah satu dari card_number atau nik.",
                field="card_number",
            )


def coverage_of(row: asyncpg.Record) -> Coverage:
    """The domain's view of one projected member."""
    return Coverage(
        card_number=row["card_number"],
        active=row["coverage"] == "active",
        care_class=row["care_class"],
        segment=row["segment"],
        fktp_code=row["fktp_code"],
        unpaid_months=row["arrears_months"],
        covered_from=row["covered_from"],
        next_fktp_code=row["next_fktp_code"],
        next_fktp_from=row["next_fktp_from"],
        next_care_class=row["next_care_class"],
        next_class_from=row["next_class_from"],
    )


def _not_found() -> NotFound:
    return NotFound(
        "member_not_found",
        "No participant has this card number or NIK.",
        "Peserta dengan nomor kartu atau NIK ini tidak ditemukan.",
        field="card_number",
    )


async def find_member(
    db: store.Executor, *, card_number: str | None, nik: str | None, digest_key: SecretStr
) -> asyncpg.Record:
    """The projected member by card number, else by NIK (through its digest); NotFound."""
    if card_number:
        row = await store.by_card(db, card_number)
    else:
        row = await store.by_nik_digest(db, nik_digest(digest_key, nik or ""))
    if row is None:
        raise _not_found()
    return row


async def check_eligibility(
    db: store.Executor, q: CheckEligibility, *, digest_key: SecretStr
) -> dict[str, Any]:
    """The answer for the facility: eligible or the reason, with class, segment and FKTP."""
    row = await find_member(db, card_number=q.card_number, nik=q.nik, digest_key=digest_key)
    answer: Eligibility = eligibility(coverage_of(row), q.facility_code, q.facility_type, q.on)
    text = answer.reason_text
    return {
        "card_number": row["card_number"],
        "date": q.on,
        "eligible": answer.eligible,
        "status": "active" if answer.eligible else "not_eligible",
        "reason": answer.reason.value if answer.reason else None,
        "reason_en": text[0] if text else None,
        "reason_id": text[1] if text else None,
        "care_class": answer.care_class,
        "segment": answer.segment,
        "fktp_code": answer.fktp_code,
    }


async def family_enrolled(
    conn: asyncpg.Connection, env: Envelope, e: events.FamilyEnrolled, now: datetime
) -> None:
    await store.enrol(
        conn,
        [
            (
                m.member_id,
                m.card_number,
                m.nik_digest,
                e.family_id,
                m.segment,
                m.care_class,
                m.fktp_code,
                e.coverage,
                e.arrears_months,
                e.as_of,
                env.occurred_at,
            )
            for m in e.members
        ],
    )


async def member_added(
    conn: asyncpg.Connection, env: Envelope, e: events.MemberAdded, now: datetime
) -> None:
    await store.add_member(
        conn,
        member_id=e.member_id,
        card_number=e.card_number,
        nik_digest=e.nik_digest,
        family_id=e.family_id,
        segment=e.segment,
        care_class=e.care_class,
        fktp_code=e.fktp_code,
        covered_from=e.effective_date,
    )


async def class_changed(
    conn: asyncpg.Connection, env: Envelope, e: events.ClassChanged, now: datetime
) -> None:
    await store.change_class(conn, e.member_ids, e.to_class, e.effective_date)


async def faskes_changed(
    conn: asyncpg.Connection, env: Envelope, e: events.FaskesChanged, now: datetime
) -> None:
    await store.change_fktp(conn, e.member_id, e.to_code, e.effective_date)


async def coverage_changed(
    conn: asyncpg.Connection, env: Envelope, e: events.CoverageStatusChanged, now: datetime
) -> None:
    await store.set_coverage(
        conn,
        family_id=e.family_id,
        member_ids=e.member_ids,
        coverage=e.status,
        effective=e.effective_date,
        arrears_months=e.arrears_months,
        at=env.occurred_at,
    )


async def arrears_changed(
    conn: asyncpg.Connection, env: Envelope, e: events.PremiumArrearsChanged, now: datetime
) -> None:
    await store.set_arrears(conn, e.family_id, e.unpaid_months, env.occurred_at)
