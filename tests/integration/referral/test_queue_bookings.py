"""Member queue bookings over the routes, on the real PostgreSQL: the number, the estimate and
the people ahead; quotas that hold when many book the last slots at once; cancel frees a slot;
the refusals name their field; the events are staged with the state change."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from datetime import timedelta

import pytest

from tests.integration.referral.queueing import (
    BOOKINGS,
    booking,
    in_process_client,
    key,
    make_facility,
    make_member,
    make_referral,
    token,
    tomorrow,
)

pytestmark = pytest.mark.integration


def field_of(r) -> str:
    return r.json()["errors"][0]["field"]


async def staged(pool, event_type: str, booking_code: str) -> list[dict]:
    rows = await pool.fetch(
        "SELECT envelope FROM outbox WHERE envelope->>'type' = $1"
        " AND envelope->'payload'->>'booking_code' = $2 ORDER BY id", event_type, booking_code)
    return [(r["envelope"] if isinstance(r["envelope"], dict) else json.loads(r["envelope"]))
            for r in rows]


async def test_a_booking_gets_the_next_number_its_estimate_and_who_is_ahead(queue_pool):
    clinic = await make_facility(queue_pool, quota_jkn=10, service_minutes=12)
    first, _ = await make_member(queue_pool, clinic.code)
    second, _ = await make_member(queue_pool, clinic.code)
    async with in_process_client(queue_pool) as c:
        a = await c.post(BOOKINGS, json=booking(clinic), headers={**token(first), **key()})
        b = await c.post(BOOKINGS, json=booking(clinic), headers={**token(second), **key()})
        assert (a.status_code, b.status_code) == (201, 201), (a.text, b.text)
        a, b = a.json(), b.json()
        assert (a["queue_number"], b["queue_number"]) == (1, 2)
        assert a["queue_label"] == "UMU-001" and a["status"] == "booked"
        assert (a["people_ahead"], b["people_ahead"]) == (0, 1)
        assert b["wait_seconds"] == 12 * 60
        assert a["booking_code"][8:13] != "" and a["booking_code"][12] == "A"
        assert a["estimated_service_at"].startswith(f"{tomorrow().isoformat()}T01:00:00")
        assert b["estimated_service_at"].startswith(f"{tomorrow().isoformat()}T01:12:00")
        mine = (await c.get(BOOKINGS, headers=token(second))).json()
        assert [i["booking_code"] for i in mine["items"]] == [b["booking_code"]]
        one = await c.get(f"{BOOKINGS}/{b['booking_code']}", headers=token(second))
        assert one.json()["people_ahead"] == 1
        theirs = await c.get(f"{BOOKINGS}/{b['booking_code']}", headers=token(first))
        assert theirs.status_code == 404 and theirs.json()["code"] == "booking_not_found"
    [event] = await staged(queue_pool, "QueueBooked", b["booking_code"])
    assert event["payload"]["queue_number"] == 2 and event["key"] == str(second)


async def test_many_at_once_for_the_last_slots_never_get_one_twice(queue_pool):
    clinic = await make_facility(queue_pool, quota_jkn=6, doctors=1)
    members = [(await make_member(queue_pool, clinic.code))[0] for _ in range(60)]
    async with in_process_client(queue_pool) as c:
        answers = await asyncio.gather(*(
            c.post(BOOKINGS, json=booking(clinic), headers={**token(m), **key()})
            for m in members))
    statuses = Counter(r.status_code for r in answers)
    assert statuses == {201: 6, 422: 54}, statuses
    assert {r.json()["code"] for r in answers if r.status_code == 422} == {"quota_full"}
    numbers = sorted(r.json()["queue_number"] for r in answers if r.status_code == 201)
    assert numbers == [1, 2, 3, 4, 5, 6]
    row = await queue_pool.fetchrow(
        "SELECT booked_jkn, last_number, (SELECT count(*) FROM queue_bookings b WHERE"
        " b.session_id = s.session_id) AS bookings FROM queue_sessions s"
        " WHERE facility_code = $1", clinic.code)
    assert dict(row) == {"booked_jkn": 6, "last_number": 6, "bookings": 6}


async def test_a_retry_with_the_same_key_gets_the_first_answer_and_books_once(queue_pool):
    clinic = await make_facility(queue_pool)
    member, _ = await make_member(queue_pool, clinic.code)
    headers = {**token(member), **key()}
    async with in_process_client(queue_pool) as c:
        answers = await asyncio.gather(*(c.post(BOOKINGS, json=booking(clinic),
                                                headers=headers) for _ in range(5)))
        again = await c.post(BOOKINGS, json=booking(clinic), headers={**token(member), **key()})
    assert {r.status_code for r in answers} == {201}
    assert len({r.content for r in answers}) == 1
    assert again.status_code == 409 and again.json()["code"] == "already_booked"
    assert await queue_pool.fetchval(
        "SELECT count(*) FROM queue_bookings WHERE member_id = $1", member) == 1


async def test_a_cancel_frees_the_slot_and_the_people_behind_move_up(queue_pool):
    clinic = await make_facility(queue_pool, quota_jkn=2)
    a, b, c_ = [(await make_member(queue_pool, clinic.code))[0] for _ in range(3)]
    async with in_process_client(queue_pool) as c:
        first = (await c.post(BOOKINGS, json=booking(clinic), headers={**token(a), **key()}))
        second = (await c.post(BOOKINGS, json=booking(clinic), headers={**token(b), **key()}))
        full = await c.post(BOOKINGS, json=booking(clinic), headers={**token(c_), **key()})
        assert full.status_code == 422 and full.json()["code"] == "quota_full"
        code = first.json()["booking_code"]
        cancelled = await c.post(f"{BOOKINGS}/{code}/cancel", json={"reason": "recovered"},
                                 headers={**token(a), **key()})
        assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
        again = await c.post(f"{BOOKINGS}/{code}/cancel", headers={**token(a), **key()})
        assert again.status_code == 409 and field_of(again) == "booking_code"
        moved = await c.get(f"{BOOKINGS}/{second.json()['booking_code']}", headers=token(b))
        assert moved.json()["people_ahead"] == 0
        late = await c.post(BOOKINGS, json=booking(clinic), headers={**token(c_), **key()})
        assert late.status_code == 201 and late.json()["queue_number"] == 3
    [event] = await staged(queue_pool, "QueueBookingCancelled", code)
    assert event["payload"]["reason"] == "recovered"


async def test_check_in_opens_an_hour_before_the_session(queue_pool):
    clinic = await make_facility(queue_pool)
    member, _ = await make_member(queue_pool, clinic.code)
    async with in_process_client(queue_pool) as c:
        code = (await c.post(BOOKINGS, json=booking(clinic),
                             headers={**token(member), **key()})).json()["booking_code"]
        early = await c.post(f"{BOOKINGS}/{code}/check-in", headers={**token(member), **key()})
    assert early.status_code == 422 and early.json()["code"] == "check_in_not_open"
    assert field_of(early) == "time"


async def test_a_hospital_takes_a_referral_to_its_poli(queue_pool):
    fktp = await make_facility(queue_pool)
    hospital = await make_facility(queue_pool, "fkrtl", "INT")
    member, card = await make_member(queue_pool, fktp.code)
    number = await make_referral(queue_pool, member, card, fktp.code, hospital)
    async with in_process_client(queue_pool) as c:
        bare = await c.post(BOOKINGS, json=booking(hospital), headers={**token(member), **key()})
        ok = await c.post(BOOKINGS, json=booking(hospital, referral_number=number),
                          headers={**token(member), **key()})
    assert bare.status_code == 422 and field_of(bare) == "referral_number"
    assert ok.status_code == 201, ok.text
    assert ok.json()["visit_kind"] == "1" and ok.json()["referral_number"] == number


@pytest.mark.parametrize(("change", "field", "code"), [
    ({"date": "2020-01-01"}, "date", "date_in_past"),
    ({"date": (tomorrow() + timedelta(days=30)).isoformat()}, "date", "date_beyond_window"),
    ({"poli_code": "GIG"}, "poli_code", None),
    ({"poli_code": "??"}, "poli_code", "invalid_poli_code"),
    ({"doctor_id": "NOBODY"}, "doctor_id", "doctor_not_practising"),
    ({"facility_code": "ZZZZZZZZ"}, "facility_code", "faskes_not_found"),
    ({"referral_number": "not-a-number"}, "referral_number", "invalid_document_number"),
])
async def test_bad_bookings_name_the_field(queue_pool, change, field, code):
    clinic = await make_facility(queue_pool)
    member, _ = await make_member(queue_pool, clinic.code)
    async with in_process_client(queue_pool) as c:
        r = await c.post(BOOKINGS, json=booking(clinic, **change),
                         headers={**token(member), **key()})
    assert r.status_code in (404, 422), r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert field_of(r) == field
    if code:
        assert r.json()["code"] == code


async def test_only_an_active_member_of_this_fktp_books_here(queue_pool):
    clinic, other = await make_facility(queue_pool), await make_facility(queue_pool)
    elsewhere, _ = await make_member(queue_pool, other.code)
    owing, _ = await make_member(queue_pool, clinic.code, coverage="non_active", arrears=2)
    async with in_process_client(queue_pool) as c:
        r1 = await c.post(BOOKINGS, json=booking(clinic), headers={**token(elsewhere), **key()})
        r2 = await c.post(BOOKINGS, json=booking(clinic), headers={**token(owing), **key()})
        r3 = await c.post(BOOKINGS, json=booking(clinic), headers=key())
    assert (r1.json()["code"], field_of(r1)) == ("not_your_fktp", "facility_code")
    assert r2.json()["code"] == "coverage_not_active" and r2.json()["reason"] == "arrears"
    assert r3.status_code == 401


async def test_without_a_doctor_the_next_session_with_room_is_taken(queue_pool):
    clinic = await make_facility(queue_pool, quota_jkn=1, doctors=2)
    members = [(await make_member(queue_pool, clinic.code))[0] for _ in range(3)]
    async with in_process_client(queue_pool) as c:
        answers = [await c.post(BOOKINGS, json=booking(clinic), headers={**token(m), **key()})
                   for m in members]
    assert [r.status_code for r in answers] == [201, 201, 422]
    assert sorted(r.json()["doctor_id"] for r in answers[:2]) == sorted(clinic.doctors)
    assert [r.json()["queue_number"] for r in answers[:2]] == [1, 1]


async def test_a_control_letter_books_its_repeat_visit_and_only_its_holder(queue_pool):
    fktp = await make_facility(queue_pool)
    hospital = await make_facility(queue_pool, "fkrtl", "INT")
    member, card = await make_member(queue_pool, fktp.code)
    stranger, _ = await make_member(queue_pool, fktp.code)
    referral = await make_referral(queue_pool, member, card, fktp.code, hospital)
    visit, letter = f"{hospital.code}1226V000001", f"{hospital.code}1226K000001"
    await queue_pool.execute(
        "INSERT INTO visits (number, member_id, facility_code, poli_code, visited_on,"
        " referral_number, recorded_at) VALUES ($1, $2, $3, 'INT', current_date, $4, now())",
        visit, member, hospital.code, referral)
    await queue_pool.execute(
        "INSERT INTO control_letters (number, referral_number, visit_number, member_id,"
        " facility_code, poli_code, issued_on, planned_on, issued_at)"
        " VALUES ($1, $2, $3, $4, $5, 'INT', current_date - 1, $6, now())",
        letter, referral, visit, member, hospital.code, tomorrow())
    async with in_process_client(queue_pool) as c:
        ok = await c.post(BOOKINGS, json=booking(hospital, referral_number=letter),
                          headers={**token(member), **key()})
        theirs = await c.post(BOOKINGS, json=booking(hospital, referral_number=letter),
                              headers={**token(stranger), **key()})
    assert ok.status_code == 201, ok.text
    assert ok.json()["visit_kind"] == "3" and ok.json()["control_letter_number"] == letter
    assert ok.json()["referral_number"] == referral  # the episode it continues
    assert theirs.status_code == 404 and theirs.json()["code"] == "document_not_found"
