"""The facility's queue desk over the signed partner routes, on the real PostgreSQL: a call moves
the booking and stages QueueNumberCalled; task times come in order and move it on (no-show
frees its slot); another facility's booking is not found; an unsigned call is 401."""

from __future__ import annotations

import time

import pytest

from tests.integration.referral.queueing import (
    BOOKINGS,
    booking,
    in_process_client,
    key,
    make_facility,
    make_member,
    make_partner,
    token,
)
from tests.integration.referral.test_queue_bookings import field_of, staged

pytestmark = pytest.mark.integration
DESK = "/v1/partners/facility/queue"


async def _booked(pool, c, clinic) -> tuple[str, object]:
    member, _ = await make_member(pool, clinic.code)
    r = await c.post(BOOKINGS, json=booking(clinic), headers={**token(member), **key()})
    assert r.status_code == 201, r.text
    return r.json()["booking_code"], member


async def test_a_call_moves_the_booking_and_tells_the_member(queue_pool):
    clinic = await make_facility(queue_pool)
    desk = await make_partner(queue_pool, clinic)
    async with in_process_client(queue_pool) as c:
        code, member = await _booked(queue_pool, c, clinic)
        once = key()
        called = await c.post(f"{DESK}/{code}/call", headers={**desk.headers(), **once})
        resent = await c.post(f"{DESK}/{code}/call", headers={**desk.headers(), **once})
        again = await c.post(f"{DESK}/{code}/call", headers={**desk.headers(), **key()})
        keyless = await c.post(f"{DESK}/{code}/call", headers=desk.headers())
        mine = await c.get(f"{BOOKINGS}/{code}", headers=token(member))
    assert called.status_code == 200, called.text
    assert called.json()["metaData"]["code"] == "200"
    assert called.json()["response"]["status"] == "called"
    assert resent.content == called.content  # the door resends: the first answer again
    assert again.status_code == 409 and again.json()["metaData"]["code"] == "201"
    assert keyless.status_code == 422 and field_of(keyless) == "Idempotency-Key"
    assert mine.json()["status"] == "called" and mine.json()["called_at"]
    [event] = await staged(queue_pool, "QueueNumberCalled", code)
    assert event["payload"]["queue_number"] == 1 and event["key"] == str(member)
    assert (event["payload"]["queue_label"], event["payload"]["facility_name"],
            event["payload"]["poli_name"]) == ("UMU-001", "Faskes Uji", "Poli Umum")
    calls = await queue_pool.fetch(
        "SELECT outcome FROM partner_calls WHERE cons_id = $1 ORDER BY id", desk.cons_id)
    assert [r["outcome"] for r in calls] == [
        "ok", "refused:cannot_call", "refused:idempotency_key_missing"]


async def test_task_times_come_in_order_and_move_the_booking(queue_pool):
    clinic = await make_facility(queue_pool)
    desk = await make_partner(queue_pool, clinic)
    now_ms = int(time.time() * 1000)
    async with in_process_client(queue_pool) as c:
        code, member = await _booked(queue_pool, c, clinic)

        async def task(task_id: int, at_ms: int):
            return await c.post(f"{DESK}/{code}/tasks", json={"task_id": task_id, "time": at_ms},
                                headers={**desk.headers(), **key()})

        skipped = await task(4, now_ms - 60_000)
        assert skipped.status_code == 422 and field_of(skipped) == "task_id"
        wait = await task(3, now_ms - 60_000)
        assert wait.json()["response"]["status"] == "checked_in"
        earlier = await task(4, now_ms - 120_000)
        assert earlier.status_code == 422 and earlier.json()["code"] == "task_time_not_later"
        called = await task(4, now_ms - 30_000)
        assert called.json()["response"]["status"] == "called"
        done = await task(5, now_ms - 1_000)
        assert done.json()["response"]["status"] == "served"
        assert [t["task_id"] for t in done.json()["response"]["tasks"]] == [3, 4, 5]
    assert len(await staged(queue_pool, "QueueNumberCalled", code)) == 1


async def test_a_no_show_frees_its_slot(queue_pool):
    clinic = await make_facility(queue_pool, quota_jkn=1)
    desk = await make_partner(queue_pool, clinic)
    async with in_process_client(queue_pool) as c:
        code, _ = await _booked(queue_pool, c, clinic)
        gone = await c.post(f"{DESK}/{code}/tasks", headers={**desk.headers(), **key()},
                            json={"task_id": 99, "time": int(time.time() * 1000)})
        assert gone.json()["response"]["status"] == "no_show"
        await _booked(queue_pool, c, clinic)  # the one slot is free again
    [event] = await staged(queue_pool, "QueueBookingCancelled", code)
    assert event["payload"]["reason"] == "no_show"


async def test_another_facility_and_an_unsigned_call_are_refused(queue_pool):
    clinic, other = await make_facility(queue_pool), await make_facility(queue_pool)
    stranger = await make_partner(queue_pool, other)
    async with in_process_client(queue_pool) as c:
        code, _ = await _booked(queue_pool, c, clinic)
        theirs = await c.post(f"{DESK}/{code}/call", headers={**stranger.headers(), **key()})
        unsigned = await c.post(f"{DESK}/{code}/call")
    assert theirs.status_code == 404 and theirs.json()["code"] == "booking_not_found"
    assert unsigned.status_code == 401
