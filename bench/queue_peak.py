"""The online queue at its morning peak (issue 18): many bookings for few sessions at once.

    python -m bench.queue_peak [--bookings 10000] [--seconds 60] [--facilities 50]
                               [--doctors 4] [--quota 40]

On a platform of its own (bench/platform.py, everything `make up` runs, through the door):
`facilities` FKTPs with `doctors` doctors each, one session per doctor tomorrow (200 sessions
by default) of `quota` JKN slots (8,000), and `bookings` members registered at those FKTPs
(10,000: 2,000 more than there are slots) inserted straight into referral's eligibility
projection. Each member books once, without naming a doctor (the first session of their FKTP
with room), open loop at bookings/seconds per second (167/s), each with its Idempotency-Key.

Then it counts, from the answers and from referral's database: 201s equal to the slots, the
rest 422 quota_full; no (session, queue number) given twice in the answers or the tables;
each session's counter equal to its bookings and within its quota; one QueueBooked per
booking, and the time until the outbox had published them all. A booking whose first try got
no answer in time (the edge's 504) is retried with its key, as the app does, and gets the
booking that try made; its latency counts the first try only. Latency p50/p99 of the 201s and
of every answer, at the client. Writes bench-results/queue_peak-<timestamp>.json and
prints a Markdown table.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from pydantic import SecretStr

from bench import summary
from bench.faskes_changes import code_state, log
from bench.platform import start as start_platform
from common.member_tokens import AccessClaims, issue_access
from services.referral.domain.polis import POLIS
from services.referral.domain.schedules import local_date

RESULTS = Path("bench-results")
CLIENTS = 16  # one httpx client cannot itself send this rate on 2 cores (see faskes_changes)
MAX_IN_FLIGHT = 256


async def setup(dsn: str, facilities: int, doctors: int, quota: int, bookings: int,
                ) -> list[tuple[uuid.UUID, str]]:
    """The FKTPs, their doctors and weekly sessions, and the members: (member_id, fktp)."""
    codes = [f"BQ{i:06d}" for i in range(facilities)]
    conn = await asyncpg.connect(dsn)
    try:
        async with conn.transaction():
            await conn.executemany(
                "INSERT INTO polis VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                [(p.code, p.name_id, p.name_en, p.level) for p in POLIS.values()])
            await conn.executemany(
                "INSERT INTO facilities (code, facility_type, kind, name, address, regency,"
                " district, lat, lon, capacity, accepts_new_members, active) VALUES ($1, 'fktp',"
                " 'puskesmas', 'Puskesmas Bench', 'Jl. Bench', 'Kota Bench', '187101', -5.4,"
                " 105.2, 10000, true, true)", [(c,) for c in codes])
            await conn.executemany("INSERT INTO facility_polis VALUES ($1, 'UMU')",
                                   [(c,) for c in codes])
            docs = [(f"{c}-D{d}", c) for c in codes for d in range(doctors)]
            await conn.executemany(
                "INSERT INTO doctors (doctor_id, facility_code, name) VALUES ($1, $2, 'dr. B')",
                docs)
            await conn.executemany(
                "INSERT INTO schedules (facility_code, poli_code, doctor_id, day_code,"
                " start_time, end_time, quota_jkn, quota_non_jkn, service_minutes)"
                " VALUES ($1, 'UMU', $2, $3, '08:00', '12:00', $4, 5, 5)",
                [(c, d, day, quota) for d, c in docs for day in range(1, 8)])
            members = [(uuid.uuid4(), codes[i % facilities]) for i in range(bookings)]
            await conn.copy_records_to_table(
                "members", columns=["member_id", "card_number", "family_id", "segment",
                                    "care_class", "fktp_code", "coverage"],
                records=[(m, f"9{i:012d}", f"BQ{i:014d}", "PBPU", 3, fktp, "active")
                         for i, (m, fktp) in enumerate(members)])
    finally:
        await conn.close()
    return members


async def load(gateway: str, secret: SecretStr, members: list[tuple[uuid.UUID, str]],
               seconds: float, on: str) -> list[dict[str, Any]]:
    """Open loop: booking i leaves at start + i * seconds / n (while fewer than MAX_IN_FLIGHT
    wait); each answer with its status, body and latency."""
    now = datetime.now(UTC)
    tokens = [issue_access(secret, AccessClaims(uuid.uuid4(), m), now) for m, _ in members]
    clients = [httpx.AsyncClient(base_url=gateway, timeout=30,
                                 limits=httpx.Limits(max_connections=MAX_IN_FLIGHT // CLIENTS))
               for _ in range(CLIENTS)]
    slots, out = asyncio.Semaphore(MAX_IN_FLIGHT), []
    interval = seconds / len(members)

    keys = [uuid.uuid4().hex for _ in members]

    async def send(i: int, fktp: str) -> tuple[int, dict[str, Any]]:
        try:
            r = await clients[i % CLIENTS].post(
                "/v1/me/queue-bookings",
                json={"facility_code": fktp, "poli_code": "UMU", "date": on},
                headers={"Authorization": f"Bearer {tokens[i]}", "Idempotency-Key": keys[i]})
            return r.status_code, r.json()
        except (httpx.HTTPError, ValueError) as exc:
            return 0, {"error": type(exc).__name__}

    async def one(i: int, member_id: uuid.UUID, fktp: str) -> None:
        async with slots:
            sent = time.perf_counter()
            status, body = await send(i, fktp)
            ms = (time.perf_counter() - sent) * 1000
            first = status
            while status not in (201, 422):  # no answer (a timeout): the app retries, same key
                status, body = await send(i, fktp)
            out.append({"status": status, "first_status": first, "body": body, "sent": sent,
                        "ms": ms})

    start, tasks = time.perf_counter(), []
    for i, (member_id, fktp) in enumerate(members):
        await asyncio.sleep(max(0.0, start + i * interval - time.perf_counter()))
        tasks.append(asyncio.create_task(one(i, member_id, fktp)))
    await asyncio.gather(*tasks)
    for c in clients:
        await c.aclose()
    return out


async def counted(dsn: str, answers: list[dict[str, Any]], slots: int) -> dict[str, Any]:
    """Everything that must hold, from the answers and from the tables."""
    booked = [a["body"] for a in answers if a["status"] == 201]
    given = Counter((b["facility_code"], b["doctor_id"], b["queue_number"]) for b in booked)
    conn = await asyncpg.connect(dsn)
    try:
        row = await conn.fetchrow(
            "SELECT (SELECT count(*) FROM queue_bookings) AS bookings,"
            " (SELECT count(*) FROM (SELECT 1 FROM queue_bookings GROUP BY session_id,"
            "  queue_number HAVING count(*) > 1) d) AS numbers_twice,"
            " (SELECT count(*) FROM queue_sessions s WHERE booked_jkn <> (SELECT count(*)"
            "  FROM queue_bookings b WHERE b.session_id = s.session_id)"
            "  OR booked_jkn > quota_jkn) AS counters_off,"
            " (SELECT count(*) FROM queue_sessions) AS sessions,"
            " (SELECT count(*) FROM outbox WHERE envelope->>'type' = 'QueueBooked') AS staged")
    finally:
        await conn.close()
    return {"slots": slots, "answers": dict(Counter(a["status"] for a in answers)),
            "first_answers": dict(Counter(a["first_status"] for a in answers)),
            "refusals": dict(Counter(a["body"].get("code") for a in answers
                                     if a["status"] == 422)),
            "given_twice_in_answers": sum(1 for n in given.values() if n > 1),
            **dict(row), "holds": (len(booked) == slots == row["bookings"] == row["staged"]
                                   and row["numbers_twice"] == 0 and row["counters_off"] == 0
                                   and all(n == 1 for n in given.values()))}


async def drained(dsn: str, timeout: float = 180) -> float | None:
    """Seconds until referral's outbox has nothing unpublished (None if it never empties)."""
    conn, t0 = await asyncpg.connect(dsn), time.perf_counter()
    try:
        while time.perf_counter() - t0 < timeout:
            if not await conn.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL"):
                return time.perf_counter() - t0
            await asyncio.sleep(0.2)
    finally:
        await conn.close()
    return None


def main() -> None:
    p = argparse.ArgumentParser(prog="python -m bench.queue_peak")
    p.add_argument("--bookings", type=int, default=10_000)
    p.add_argument("--seconds", type=float, default=60.0)
    p.add_argument("--facilities", type=int, default=50)
    p.add_argument("--doctors", type=int, default=4)
    p.add_argument("--quota", type=int, default=40)
    a = p.parse_args()
    code_at_start = code_state()
    log("starting the platform")
    plat = start_platform()
    try:
        dsn = plat.dsn("referral")
        members = asyncio.run(setup(dsn, a.facilities, a.doctors, a.quota, a.bookings))
        on = (local_date(datetime.now(UTC)) + timedelta(days=1)).isoformat()
        log(f"{a.bookings} bookings for {a.facilities * a.doctors} sessions in {a.seconds} s")
        t0 = time.perf_counter()
        answers = asyncio.run(load(plat.gateway, SecretStr(plat.env["JKN_JWT_SECRET"]),
                                   members, a.seconds, on))
        took = time.perf_counter() - t0
        outbox_s = asyncio.run(drained(dsn))
        facts = asyncio.run(counted(dsn, answers, a.facilities * a.doctors * a.quota))
    finally:
        plat.close()
    sent = sorted(x["sent"] for x in answers)
    result = {
        "at": datetime.now(UTC).isoformat(), "args": vars(a), "code": code_at_start,
        "wall_s": round(took, 1),
        "achieved_per_s": round((len(sent) - 1) / (sent[-1] - sent[0]), 1),
        "latency_ms": {"booked_201": summary([x["ms"] for x in answers if x["status"] == 201]),
                       "every_answer": summary([x["ms"] for x in answers])},
        "outbox_drained_after_load_s": None if outbox_s is None else round(outbox_s, 1),
        "counted": facts, "logs": str(plat.logs)}
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"queue_peak-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    path.write_text(json.dumps(result, indent=2, default=str))
    lat = result["latency_ms"]
    print(f"\n| bookings | sessions | slots | achieved/s | 201 | 422 quota_full | other |"
          f" p50 ms (all) | p99 ms (all) | p99 ms (201) | no slot twice | outbox empty after |\n"
          f"|---|---|---|---|---|---|---|---|---|---|---|---|\n"
          f"| {a.bookings} | {facts['sessions']} | {facts['slots']} |"
          f" {result['achieved_per_s']} | {facts['answers'].get(201, 0)} |"
          f" {facts['refusals'].get('quota_full', 0)} |"
          f" {len(answers) - facts['answers'].get(201, 0) - facts['answers'].get(422, 0)} |"
          f" {lat['every_answer'].get('p50')} | {lat['every_answer'].get('p99')} |"
          f" {lat['booked_201'].get('p99')} | {'yes' if facts['holds'] else 'NO'} |"
          f" {result['outbox_drained_after_load_s']} s |\n\nwritten {path}")


if __name__ == "__main__":
    main()
