"""Members ready to ask for an FKTP change, made the fast way but seen by every service as in
production.

Registering 10,000 people through the API would benchmark argon2 and the code round trip, not
the change. So: seed the synthetic register, pick participants the rules let change their FKTP
themselves (not PBI, not TNI/POLRI, at their FKTP for at least 4 months), insert their accounts
straight into membership's database (one shared, precomputed argon2 hash; phone
"+62812" + the card number's last 8 digits), and in the same transaction stage one
AccountActivated per account in membership's outbox, exactly as verification does. The relay
publishes them and notify learns each phone into its `contacts` table, as it would in
production. Access tokens are minted locally with the platform's JKN_JWT_SECRET.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

import asyncpg
from pydantic import SecretStr

from bench.platform import BenchPlatform
from common import outbox
from common.db import create_pool
from contracts import events, wrap
from services.membership import tokens
from services.membership.domain.calendar import add_months, local_date
from services.membership.domain.faskes import NOT_SELF_SERVICE_CORPS, NOT_SELF_SERVICE_SEGMENTS
from synthetic.facilities import facilities

MIN_MONTHS_AT_FKTP = 4  # the rule asks for 3; a month of margin keeps month-end edges out
BENCH_PASSWORD = "bench-password-2026"  # never used to log in; accounts need some hash
_HASH: str | None = None

Log = Callable[[str], None]


@dataclass
class Member:
    member_id: uuid.UUID
    account_id: uuid.UUID
    card_number: str
    phone: str
    fktp_code: str
    target: str = ""  # the FKTP asked for: active, accepting, not the member's own


def phone_of(card_number: str) -> str:
    return "+62812" + card_number.strip()[-8:]


def open_fktps() -> list[str]:
    """Codes of active FKTPs that accept new members, from the synthetic registry."""
    return sorted(f.code for f in facilities()
                  if f.type == "fktp" and f.active and f.accepts_new_members)


def cutoff(today: date | None = None) -> date:
    """Latest fktp_since that makes a regular change approvable today (WIB)."""
    return add_months(today or local_date(datetime.now(UTC)), -MIN_MONTHS_AT_FKTP)


_ELIGIBLE = """
SELECT p.member_id, p.card_number, p.full_name, p.fktp_code
FROM participants p
WHERE p.segment <> ALL($1::text[])
  AND (p.pn_corps IS NULL OR p.pn_corps <> ALL($2::text[]))
  AND p.fktp_since <= $3
  AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.member_id = p.member_id)
  AND NOT EXISTS (SELECT 1 FROM requests r WHERE r.member_id = p.member_id)
ORDER BY p.card_number
"""


async def eligible(conn: asyncpg.Connection, limit: int | None = None) -> list[asyncpg.Record]:
    """Participants without an account or a request, whose FKTP change the rules approve, with
    a phone no account uses (card numbers can share their last 8 digits)."""
    rows = await conn.fetch(_ELIGIBLE, sorted(NOT_SELF_SERVICE_SEGMENTS),
                            sorted(NOT_SELF_SERVICE_CORPS), cutoff())
    taken = {r["phone"] for r in await conn.fetch(
        "SELECT phone FROM accounts WHERE phone IS NOT NULL")}
    out = []
    for r in rows:
        phone = phone_of(r["card_number"])
        if phone in taken:
            continue
        taken.add(phone)
        out.append(r)
        if limit is not None and len(out) >= limit:
            break
    return out


async def count_eligible(dsn: str) -> int:
    conn = await asyncpg.connect(dsn)
    try:
        return len(await eligible(conn))
    finally:
        await conn.close()


def _hash() -> str:
    global _HASH
    if _HASH is None:
        _HASH = tokens.hash_password(BENCH_PASSWORD)
    return _HASH


async def create_accounts(dsn: str, n: int, batch: int = 1000) -> list[Member]:
    """n accounts, one transaction per batch: the rows and one AccountActivated each."""
    pool = await create_pool(dsn, 2)  # its connections encode jsonb, as the outbox expects
    try:
        async with pool.acquire() as conn:
            rows = await eligible(conn, n)
        if len(rows) < n:
            raise LookupError(f"only {len(rows)} eligible participants without an account; "
                              f"{n} wanted: seed more")
        fktps = open_fktps()
        members: list[Member] = []
        password_hash = _hash()
        for start in range(0, n, batch):
            chunk = rows[start:start + batch]
            made = []
            for i, r in enumerate(chunk, start):
                own = r["fktp_code"]
                target = fktps[i % len(fktps)]
                if target == own:
                    target = fktps[(i + 1) % len(fktps)]
                made.append(Member(r["member_id"], uuid.uuid4(), r["card_number"].strip(),
                                   phone_of(r["card_number"]), own, target))
            names = {r["member_id"]: r["full_name"] for r in chunk}
            async with pool.acquire() as conn, conn.transaction():
                await conn.executemany(
                    "INSERT INTO accounts (account_id, member_id, phone, password_hash, locale)"
                    " VALUES ($1, $2, $3, $4, 'id')",
                    [(m.account_id, m.member_id, m.phone, password_hash) for m in made])
                for m in made:
                    event = events.AccountActivated(
                        account_id=m.account_id, member_id=m.member_id,
                        card_number=m.card_number, channel="sms", destination=m.phone,
                        locale="id", full_name=names[m.member_id], phone=m.phone)
                    env = wrap(event, producer="membership", key=str(m.member_id),
                               correlation_id=uuid.uuid4().hex)
                    await outbox.add_event(conn, env, event)
            members.extend(made)
        return members
    finally:
        await pool.close()


async def _wait(what: str, probe: Callable[[], object], done: Callable[[object], bool],
                timeout: float, log: Log, every: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    next_log = time.monotonic() + every
    while True:
        value = await probe()  # type: ignore[misc]
        if done(value):
            return
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}: still {value} after {timeout:.0f} s")
        if time.monotonic() > next_log:
            log(f"  waiting: {what} ({value})")
            next_log += every
        await asyncio.sleep(0.5)


async def wait_facilities(plat: BenchPlatform, log: Log, timeout: float = 120) -> None:
    """Membership's facility projection (fed by referral's events) has every open FKTP."""
    codes = open_fktps()
    conn = await asyncpg.connect(plat.dsn("membership"))
    try:
        await _wait("membership's facility projection",
                    lambda: conn.fetchval(
                        "SELECT count(*) FROM facilities WHERE code = ANY($1) AND active"
                        " AND accepts_new_members AND facility_type = 'fktp'", codes),
                    lambda v: v == len(codes), timeout, log)
    finally:
        await conn.close()


async def wait_notify_knows(plat: BenchPlatform, members: Sequence[Member], log: Log,
                            timeout: float = 600) -> None:
    """Notify has every phone in `contacts`, has sent every activation SMS, and nothing of
    either service is left to publish or send: the platform is idle again."""
    ids = [m.member_id for m in members]
    n = len(ids)
    notify = await asyncpg.connect(plat.dsn("notify"))
    membership = await asyncpg.connect(plat.dsn("membership"))
    try:
        await _wait("notify learns the phones (contacts)",
                    lambda: notify.fetchval(
                        "SELECT count(*) FROM contacts WHERE member_id = ANY($1)", ids),
                    lambda v: v == n, timeout, log)
        await _wait("activation SMS sent",
                    lambda: notify.fetchval(
                        "SELECT count(*) FROM notifications WHERE template = 'account_activated'"
                        " AND status = 'sent' AND member_id = ANY($1)", ids),
                    lambda v: v == n, timeout, log)
        await _wait("queues drained",
                    lambda: _backlog(notify, membership), lambda v: v == (0, 0, 0),
                    timeout, log)
    finally:
        await notify.close()
        await membership.close()


async def _backlog(notify: asyncpg.Connection, membership: asyncpg.Connection):
    return (
        await notify.fetchval("SELECT count(*) FROM notifications WHERE status = 'pending'"),
        await notify.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL"),
        await membership.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL"),
    )


def mint_tokens(plat: BenchPlatform, members: Sequence[Member]) -> dict[uuid.UUID, str]:
    """Access tokens as login would issue them (15 minutes): mint just before a phase."""
    secret = SecretStr(plat.env["JKN_JWT_SECRET"])
    now = datetime.now(UTC)
    return {m.member_id: tokens.issue_access(secret, tokens.AccessClaims(m.account_id,
                                                                         m.member_id), now)
            for m in members}


async def prepare(plat: BenchPlatform, n: int, log: Log = print) -> list[Member]:
    """n fresh members with accounts that notify knows, the platform idle afterwards."""
    started = time.perf_counter()
    members = await create_accounts(plat.dsn("membership"), n)
    log(f"  {n} accounts created and AccountActivated staged "
        f"({time.perf_counter() - started:.1f} s)")
    await wait_notify_knows(plat, members, log)
    log(f"  notify knows all {n} phones and sent their activation SMS "
        f"({time.perf_counter() - started:.1f} s)")
    return members
