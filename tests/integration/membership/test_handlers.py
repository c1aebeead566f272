"""Membership's use cases against the real PostgreSQL, each test in its own transaction.

Why a rolled-back transaction rather than an in-memory store: the handlers' promises are
database promises (a row lock, a unique index that says "one open request", an outbox row in
the same transaction as the change), and a fake would have to re-implement exactly those. A
handler takes the caller's connection and never commits, so a test can hand it a connection
inside a transaction, look at everything it wrote (the outbox included), and roll it all back:
tests stay independent with the same synthetic people, and the database stays empty.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from common.errors import Conflict, NotFound, WrongCode
from contracts import Envelope, events, parse_event
from services.membership.domain.calendar import first_of_next_month, local_date
from services.membership.handlers import EVENT_HANDLERS, commands, contacts, registration
from services.membership.handlers import requests as request_handlers
from services.membership.tokens import AccessClaims
from tests.integration.conftest import rolled_back
from tests.integration.membership.conftest import (
    NOW,
    PEOPLE,
    PEPPER,
    SEAL_KEY,
    insert_facility,
    insert_person,
    insert_staff,
    months_before,
    sealed_code,
    staged,
)

pytestmark = pytest.mark.integration


@pytest.fixture
async def conn(membership_pool):
    """A connection inside a transaction that is rolled back after the test."""
    async with rolled_back(membership_pool) as conn:
        yield conn


def self_service(p) -> bool:
    return p.segment in ("PBPU", "BP", "PPU_BU") and p.pn_corps is None


async def member_with_account(conn, p, phone: str) -> AccessClaims:
    await insert_person(conn, p)
    account_id = uuid.uuid4()
    await conn.execute(
        "INSERT INTO accounts (account_id, member_id, phone, password_hash)"
        " VALUES ($1, $2, $3, 'x')", account_id, uuid.UUID(p.member_id), phone)
    return AccessClaims(account_id, uuid.UUID(p.member_id))


async def test_registration_start_then_verify_opens_the_account(conn):
    p = await insert_person(conn, PEOPLE[0])
    started = await registration.start_registration(conn, commands.StartRegistration(
        nik=p.nik, full_name=p.full_name.lower(), birth_date=p.birth_date,
        password="rahasia2024", phone="0812 1111 2222"), now=NOW, pepper=PEPPER,
        seal_key=SEAL_KEY)
    assert started["channel"] == "sms" and started["destination"] == "+62812****2222"
    [issued] = await staged(conn, events.VerificationCodeIssued.type)
    assert issued["payload"]["destination"] == "+6281211112222"
    code = sealed_code(issued)
    reg_id = started["registration_id"]

    wrong = "000000" if code != "000000" else "111111"
    with pytest.raises(WrongCode) as refused:
        await registration.verify_registration(
            conn, commands.VerifyRegistration(reg_id, wrong), now=NOW, pepper=PEPPER)
    assert refused.value.commit and refused.value.extra["attempts_left"] == 4
    assert await conn.fetchval("SELECT failed_attempts FROM registrations"
                               " WHERE registration_id = $1", reg_id) == 1

    done = await registration.verify_registration(
        conn, commands.VerifyRegistration(reg_id, code), now=NOW + timedelta(seconds=30),
        pepper=PEPPER)
    assert done["card_number"] == p.card_number
    account = await conn.fetchrow("SELECT * FROM accounts WHERE account_id = $1",
                                  done["account_id"])
    assert account["phone"] == "+6281211112222"
    [activated] = await staged(conn, events.AccountActivated.type)
    assert activated["payload"]["card_number"] == p.card_number


async def test_a_faskes_change_is_received_and_its_event_staged_in_the_same_transaction(
        conn, membership_pool):
    p = await insert_person(conn, next(p for p in PEOPLE if self_service(p)))
    who = AccessClaims(uuid.uuid4(), uuid.UUID(p.member_id))
    answer = await request_handlers.request_faskes_change(
        conn, commands.RequestFaskesChange(who, "T0000001"), now=NOW)
    assert answer["status"] == "received"
    assert answer["links"]["self"] == f"/v1/me/requests/{answer['request_id']}"
    req = await conn.fetchrow("SELECT * FROM requests WHERE request_id = $1",
                              uuid.UUID(answer["request_id"]))
    assert req["details"] == {"faskes_code": "T0000001", "reason": "regular",
                              "evidence_ref": None, "from_code": p.fktp_code}
    [asked] = await staged(conn, events.FaskesChangeRequested.type)
    [updated] = await staged(conn, events.MemberRequestUpdated.type)
    assert asked["payload"]["request_id"] == updated["payload"]["request_id"] == str(
        req["request_id"])
    assert updated["payload"]["status"] == "received" and asked["key"] == p.member_id
    # Nothing is visible outside the transaction until it commits: one unit of work.
    assert await membership_pool.fetchval(
        "SELECT count(*) FROM outbox WHERE envelope->'payload'->>'request_id' = $1",
        answer["request_id"]) == 0
    with pytest.raises(Conflict) as again:
        await request_handlers.request_faskes_change(
            conn, commands.RequestFaskesChange(who, "T0000002"), now=NOW)
    assert again.value.code == "request_open"


async def test_the_decider_approves_a_faskes_change_from_the_first_of_next_month(conn):
    p = await insert_person(conn, next(p for p in PEOPLE if self_service(p)),
                            fktp_since=months_before(local_date(NOW), 6))
    await insert_facility(conn, "T0000009")
    who = AccessClaims(uuid.uuid4(), uuid.UUID(p.member_id))
    answer = await request_handlers.request_faskes_change(
        conn, commands.RequestFaskesChange(who, "T0000009"), now=NOW)
    # The event the submit staged, as the consumer would read it off the topic.
    [asked] = await staged(conn, events.FaskesChangeRequested.type)
    env = Envelope.model_validate(asked)
    event = parse_event(env)
    decide = EVENT_HANDLERS[events.FaskesChangeRequested.type]
    await decide(conn, env, event, NOW)
    await decide(conn, env, event, NOW)  # a redelivery finds it decided and does nothing

    req = await conn.fetchrow("SELECT * FROM requests WHERE request_id = $1",
                              uuid.UUID(answer["request_id"]))
    assert req["status"] == "scheduled" and req["decided_by"] == "rules"
    assert req["effective_date"] == first_of_next_month(local_date(NOW))
    timeline = await conn.fetch("SELECT status FROM request_timeline WHERE request_id = $1"
                                " ORDER BY seq", req["request_id"])
    assert [t["status"] for t in timeline] == ["received", "approved", "scheduled"]
    told = [e["payload"]["status"] for e in await staged(conn, events.MemberRequestUpdated.type)]
    assert told == ["received", "approved", "scheduled"]
    # Scheduled, not applied: the card keeps the old FKTP until the 1st.
    assert await conn.fetchval("SELECT fktp_code FROM participants WHERE member_id = $1",
                               uuid.UUID(p.member_id)) == p.fktp_code


async def test_a_contact_change_applies_only_with_the_code_sent_to_the_new_contact(conn):
    who = await member_with_account(conn, PEOPLE[1], "+6281233334444")
    started = await contacts.start_contact_change(
        conn, commands.StartContactChange(who, phone="0813 5555 6666"), now=NOW,
        pepper=PEPPER, seal_key=SEAL_KEY)
    [issued] = await staged(conn, events.ContactCodeIssued.type)
    assert issued["payload"]["destination"] == "+6281355556666"
    request_id = uuid.UUID(started["request_id"])
    code = sealed_code(issued)
    done = await contacts.verify_contact_change(
        conn, commands.VerifyContactChange(who, request_id, code), now=NOW, pepper=PEPPER)
    assert done == {"request_id": str(request_id), "status": "applied",
                    "phone": "+6281355556666"}
    assert await conn.fetchval("SELECT phone FROM accounts WHERE account_id = $1",
                               who.account_id) == "+6281355556666"
    [changed] = await staged(conn, events.ContactChanged.type)
    assert changed["payload"]["phone"] == "+6281355556666"
    assert await conn.fetchval("SELECT status FROM requests WHERE request_id = $1",
                               request_id) == "applied"


async def test_a_contact_taken_meanwhile_is_a_conflict_naming_the_field(conn):
    who = await member_with_account(conn, PEOPLE[2], "+6281200001111")
    started = await contacts.start_contact_change(
        conn, commands.StartContactChange(who, phone="0813 7777 8888"), now=NOW,
        pepper=PEPPER, seal_key=SEAL_KEY)
    code = sealed_code((await staged(conn, events.ContactCodeIssued.type))[0])
    await member_with_account(conn, PEOPLE[3], "+6281377778888")  # took it since the code
    with pytest.raises(Conflict) as taken:
        await contacts.verify_contact_change(
            conn, commands.VerifyContactChange(who, uuid.UUID(started["request_id"]), code),
            now=NOW, pepper=PEPPER)
    assert taken.value.code == "phone_taken" and taken.value.fields == ("phone",)
    # The savepoint kept the transaction usable: the member still has the old phone.
    assert await conn.fetchval("SELECT phone FROM accounts WHERE account_id = $1",
                               who.account_id) == "+6281200001111"


async def test_answering_an_unknown_ticket_is_not_found_and_an_answered_one_a_conflict(conn):
    from services.membership.handlers import complaints

    await insert_staff(conn, "petugas.bdl")
    who = await member_with_account(conn, PEOPLE[4], "+6281299990000")
    filed = await complaints.file_complaint(
        conn, commands.FileComplaint(member=who, category="service",
                                     text="Antrean di puskesmas lama sekali."), now=NOW)
    ticket = filed["ticket_number"]
    answer = commands.AnswerComplaint(officer="petugas.bdl", ticket=ticket, text="Maaf, kami cek.")
    assert (await complaints.answer_complaint(conn, answer, now=NOW))["status"] == "answered"
    with pytest.raises(Conflict) as again:
        await complaints.answer_complaint(conn, answer, now=NOW)
    assert again.value.code == "complaint_not_open"
    with pytest.raises(NotFound) as unknown:
        await complaints.answer_complaint(
            conn, commands.AnswerComplaint(officer="petugas.bdl", ticket="C-NOPE", text="x"),
            now=NOW)
    assert unknown.value.code == "complaint_not_found" and unknown.value.fields == ("ticket",)
