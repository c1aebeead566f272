"""What the payment tests share: families with open bills, signed partner calls, member
tokens, and billing's routes in-process (httpx on the ASGI app) over the real PostgreSQL.

These tests commit (the payment routes run their own transactions), so every test makes its
own family with random numbers and reads back only its own rows (the fixtures are in
conftest.py: billing_pool, client, bank, facility).
"""

from __future__ import annotations

import contextlib
import json
import secrets
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx
from pydantic import SecretStr

from common import bridging
from common.member_tokens import AccessClaims, issue_access
from common.sealing import new_key
from services.billing import api
from services.billing.domain.periods import Period, local_date
from services.billing.domain.virtual_account import virtual_account
from services.billing.handlers.partners import upsert_partner
from services.billing.store import bills
from tests.integration.in_process import app_of, client_of

SEAL_KEY = SecretStr(new_key())
JWT_SECRET = SecretStr("test-jwt-secret-of-some-length-0123456789")
PREMIUM = 105_000  # a family of three in class III: 3 x Rp35,000


def this_month() -> Period:
    return Period.of(local_date(datetime.now(UTC)))


def digits(n: int) -> str:
    return "".join(secrets.choice("0123456789") for _ in range(n))


@dataclass
class Family:
    """A family in billing's ledger: payer, members and the bills a test gave it."""

    family_id: str
    head_member_id: uuid.UUID
    card_number: str
    va: str
    va_mandiri: str
    member_ids: list[uuid.UUID] = field(default_factory=list)

    def token(self, sid: uuid.UUID | None = None) -> dict[str, str]:
        """The head's Authorization header (a member access token as membership signs it)."""
        claims = AccessClaims(uuid.uuid4(), self.head_member_id, sid)
        return {"Authorization": "Bearer " + issue_access(JWT_SECRET, claims,
                                                          datetime.now(UTC))}


async def make_family(pool, *, months_back: list[int], amount: int = PREMIUM,
                      segment: str = "PBPU", coverage: str = "active", credit: int = 0,
                      head_name: str = "HENDRA SAPUTRA") -> Family:
    """A self-paying family with open bills for this month minus each of `months_back`
    (0 is this month), and its coverage as given."""
    card = digits(13)
    fam = Family(digits(16), uuid.uuid4(), card, virtual_account(card),
                 virtual_account(card, "mandiri"))
    fam.member_ids = [fam.head_member_id, uuid.uuid4()]
    now = datetime.now(UTC)
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute(
            "INSERT INTO payers (payer_kind, payer_id, head_member_id, head_card_number,"
            " head_name, va, va_mandiri, coverage, credit, arrears_months)"
            " VALUES ('family', $1, $2, $3, $4, $5, $6, $7, $8, $9)", fam.family_id,
            fam.head_member_id, card, head_name, fam.va, fam.va_mandiri, coverage, credit,
            len([m for m in months_back if m > 0]))
        for i, member_id in enumerate(fam.member_ids):
            await conn.execute(
                "INSERT INTO members (member_id, family_id, card_number, relationship, segment,"
                " care_class, fktp_code, registered_on, payer_kind, payer_id, updated_at)"
                " VALUES ($1, $2, $3, $4, $5, 3, '0001G001', '2020-01-01', 'family', $6, $7)",
                member_id, fam.family_id, card if i == 0 else digits(13),
                "head" if i == 0 else "spouse", segment, fam.family_id, now)
        current = this_month()
        await bills.insert_bills(conn, [
            ("family", fam.family_id, str(current + -m), amount, (current + -m).due_date())
            for m in months_back], now=now)
    return fam


async def make_ppu_member(pool) -> uuid.UUID:
    """A private-sector worker whose employer is billed."""
    member_id, employer = uuid.uuid4(), "EMP" + digits(6)
    async with pool.acquire() as conn:
        await conn.execute("INSERT INTO payers (payer_kind, payer_id) VALUES ('employer', $1)",
                           employer)
        await conn.execute(
            "INSERT INTO members (member_id, family_id, card_number, relationship, segment,"
            " care_class, fktp_code, registered_on, payer_kind, payer_id, wage, minimum_wage,"
            " updated_at) VALUES ($1, $2, $3, 'head', 'PPU_BU', 1, '0001G001', '2020-01-01',"
            " 'employer', $4, 5000000, 3000000, now())",
            member_id, digits(16), digits(13), employer)
    return member_id


@dataclass
class SignedPartner:
    cons_id: str
    secret: str

    def headers(self, *, timestamp: int | None = None, secret: str | None = None,
                ) -> dict[str, str]:
        ts = str(timestamp if timestamp is not None else int(time.time()))
        return {"X-cons-id": self.cons_id, "X-timestamp": ts,
                "X-signature": bridging.signature(self.cons_id, ts, secret or self.secret)}


async def make_partner(pool, kind: str) -> SignedPartner:
    partner = SignedPartner(kind[:1].upper() + digits(7), secrets.token_urlsafe(16))
    async with pool.acquire() as conn:
        await upsert_partner(conn, cons_id=partner.cons_id, name=f"test {kind}", kind=kind,
                             secret=partner.secret, seal_key=SEAL_KEY, now=datetime.now(UTC))
    return partner


def payment(fam: Family, amount: int, **changes) -> dict:
    body = {"va": fam.va, "amount": amount, "paid_at": datetime.now(UTC).isoformat(),
            "bank_reference": "REF-" + uuid.uuid4().hex, "channel": "bri"}
    return {**body, **changes}


async def staged_for(pool, event_type: str, payer_id: str) -> list[dict]:
    """Payloads of `event_type` staged for one payer (oldest first)."""
    rows = await pool.fetch(
        "SELECT envelope FROM outbox WHERE envelope->>'type' = $1 AND key = $2 ORDER BY id",
        event_type, payer_id)
    return [(r["envelope"] if isinstance(r["envelope"], dict)
             else json.loads(r["envelope"]))["payload"] for r in rows]


async def bill_statuses(pool, family_id: str) -> dict[str, str]:
    rows = await pool.fetch("SELECT period, status FROM bills WHERE payer_id = $1", family_id)
    return {r["period"]: r["status"] for r in rows}


@contextlib.asynccontextmanager
async def in_process_client(pool) -> AsyncIterator[httpx.AsyncClient]:
    """Billing's routes in-process over the real PostgreSQL, with the system clock."""
    app = app_of(api.ROUTERS, pool, seal_key=SEAL_KEY, jwt_secret=JWT_SECRET)
    async with client_of(app, "billing") as c:
        yield c
