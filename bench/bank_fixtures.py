"""What the bank-payments benchmark sets up and watches: families in arrears written straight
into billing's ledger, the bank partner, and a Kafka watcher of billing's events.

Families are written as billing's projection would hold them (payer, two members, last month's
and this month's bills open, non-active), in a few set-based statements, so the load is the
payments alone. The watcher notes when each family's BillSettled and CoverageStatusChanged
reach the topic: a payment counts as settled end to end when both are there.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime

import asyncpg
from aiokafka import AIOKafkaConsumer
from pydantic import SecretStr

from services.billing.domain.periods import Period, local_date
from services.billing.domain.virtual_account import virtual_account
from services.billing.handlers.partners import upsert_partner
from services.billing.store.bills import bill_id

PREMIUM = 105_000  # a family of three in class III


@dataclass(frozen=True)
class BenchFamily:
    family_id: str
    va: str


def _digits(n: int) -> str:
    return "".join(secrets.choice("0123456789") for _ in range(n))


async def seed_families(dsn: str, count: int, seal_key: SecretStr, cons_id: str,
                        secret: str) -> list[BenchFamily]:
    """`count` non-active families owing last month and this month, and the bank partner; the
    month is marked billed so the scheduler's bill run stays out of the measurement."""
    now = datetime.now(UTC)
    current = Period.of(local_date(now))
    cards = list({_digits(13) for _ in range(count * 2)})[:count]
    fams = [BenchFamily(_digits(16), virtual_account(c)) for c in cards]
    heads = [uuid.uuid4() for _ in fams]
    conn = await asyncpg.connect(dsn)
    try:
        async with conn.transaction():
            await upsert_partner(conn, cons_id=cons_id, name="bench bank", kind="bank",
                                 secret=secret, seal_key=seal_key, now=now)
            await conn.execute(
                "INSERT INTO bill_runs (period, started_at, finished_at) VALUES ($1, $2, $2)"
                " ON CONFLICT DO NOTHING", str(current), now)
            await conn.execute(
                "INSERT INTO payers (payer_kind, payer_id, head_member_id, head_card_number,"
                " head_name, va, va_mandiri, coverage, coverage_since, arrears_months)"
                " SELECT 'family', f, h, c, 'BENCH FAMILY', '88888' || right(c, 11),"
                " '89888' || right(c, 11), 'non_active', $4, 1"
                " FROM unnest($1::text[], $2::uuid[], $3::text[]) AS t (f, h, c)",
                [f.family_id for f in fams], heads, cards, current.first_day())
            await conn.execute(
                "INSERT INTO members (member_id, family_id, card_number, relationship, segment,"
                " care_class, fktp_code, registered_on, payer_kind, payer_id, updated_at)"
                " SELECT h, f, c, 'head', 'PBPU', 3, '18710001', '2020-01-01', 'family', f, $4"
                " FROM unnest($1::text[], $2::uuid[], $3::text[]) AS t (f, h, c)",
                [f.family_id for f in fams], heads, cards, now)
            for period in (current + -1, current):
                await conn.execute(
                    "INSERT INTO bills (bill_id, payer_kind, payer_id, period, amount, due_date,"
                    " issued_at) SELECT b, 'family', f, $3, $4, $5, $6"
                    " FROM unnest($1::uuid[], $2::text[]) AS t (b, f)",
                    [bill_id("family", f.family_id, str(period)) for f in fams],
                    [f.family_id for f in fams], str(period), PREMIUM, period.due_date(), now)
    finally:
        await conn.close()
    return fams


@dataclass
class Watcher:
    """Billing's topic from its end at start: when each family's events arrived."""

    bootstrap: str
    topic: str
    settled: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    covered: dict[str, float] = field(default_factory=dict)
    payments: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    bill_events: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    seen: int = 0

    async def run(self, ready: asyncio.Event) -> None:
        consumer = AIOKafkaConsumer(self.topic, bootstrap_servers=self.bootstrap,
                                    auto_offset_reset="latest", enable_auto_commit=False)
        await consumer.start()
        try:
            while not consumer.assignment():  # without a group, the first poll assigns all
                await consumer.getmany(timeout_ms=100)
            for tp in consumer.assignment():  # pin the end before anything is sent
                await consumer.position(tp)
            ready.set()
            while True:
                batches = await consumer.getmany(timeout_ms=200, max_records=5000)
                now = time.monotonic()
                for records in batches.values():
                    for r in records:
                        self._note(json.loads(r.value), now)
        finally:
            await consumer.stop()

    def _note(self, env: dict, at: float) -> None:
        self.seen += 1
        p = env["payload"]
        if env["type"] == "BillSettled":
            self.settled[p["payer_id"]].append(at)
            self.bill_events[p["bill_id"]].add(env["event_id"])
        elif env["type"] == "CoverageStatusChanged" and p["status"] == "active":
            self.covered.setdefault(p["family_id"], at)
        elif env["type"] == "PaymentReceived":
            self.payments[p["payer_id"]].add(p["payment_id"])

    def done_at(self, family_id: str) -> float | None:
        """When the family's two bills were settled and its coverage active on the topic."""
        bills, covered = self.settled.get(family_id, []), self.covered.get(family_id)
        if len(bills) < 2 or covered is None:
            return None
        return max(sorted(bills)[1], covered)

    def doubled(self) -> dict[str, int]:
        """Settlements seen twice: a family paid for twice, a bill settled by two events."""
        return {"families_with_two_payments": sum(len(v) > 1 for v in self.payments.values()),
                "bills_settled_twice": sum(len(v) > 1 for v in self.bill_events.values())}
