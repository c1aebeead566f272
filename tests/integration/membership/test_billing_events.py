"""Membership and billing's events (issue 16): a new PBPU family is enrolled for billing, and
billing's coverage and virtual accounts reach /v1/me through the real broker."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from common.consumer import EventConsumer
from common.kafka import make_producer
from common.settings import KafkaSettings
from contracts import events, parse_event, topics, wrap
from contracts.envelope import Envelope
from devstack.kafka import create_topics
from services.membership import worker
from services.membership.domain.calendar import local_date
from services.membership.domain.enrolment import enrolment_event_id
from services.membership.handlers import EVENT_HANDLERS, commands, families, requests
from services.membership.tokens import AccessClaims
from synthetic.civil_registry import non_member_families
from tests.integration.conftest import rolled_back
from tests.integration.kafka_helpers import eventually
from tests.integration.membership.conftest import (
    NOW,
    PEOPLE,
    insert_civil_family,
    insert_facility,
    insert_person,
    new_member,
    staged,
)

pytestmark = pytest.mark.integration


async def test_a_new_pbpu_family_is_enrolled_for_billing_beside_its_registration(
        membership_pool):
    kk = list(non_member_families(400, PEOPLE))[3]  # the first one is another test's
    async with rolled_back(membership_pool) as conn:
        await insert_facility(conn, "TE000001")
        await insert_civil_family(conn, kk)
        cmd = commands.RegisterFamily(kk[0].family_id, 2, "TE000001", tuple(
            commands.FamilyApplicant(m.nik, m.full_name, m.birth_date) for m in kk))
        answer = await families.register_family(conn, cmd, now=NOW)
        [registered] = [e for e in await staged(conn, events.FamilyRegistered.type)
                        if e["key"] == kk[0].family_id]
        [enrolled] = [e for e in await staged(conn, events.FamilyEnrolled.type)
                      if e["key"] == kk[0].family_id]
        stored = await conn.fetch("SELECT member_id, card_number, relationship FROM participants"
                                  " WHERE family_id = $1", kk[0].family_id)
    env = Envelope.model_validate(enrolled)
    e = parse_event(env)
    assert env.event_id == enrolment_event_id(kk[0].family_id)
    assert (e.coverage, e.arrears_months, e.as_of) == ("non_active", 0, NOW.date())
    assert {(m.member_id, m.card_number, m.relationship) for m in e.members} == {
        (r["member_id"], r["card_number"].strip(), r["relationship"]) for r in stored}
    assert all((m.segment, m.care_class, m.fktp_code, m.registered_on, m.payer_id, m.wage)
               == ("PBPU", 2, "TE000001", NOW.date(), "", None) for m in e.members)
    head = next(m for m in e.members if m.relationship == "head")
    assert (e.head_member_id, e.head_card_number) == (head.member_id, head.card_number)
    assert e.head_name == next(m.full_name for m in kk if m.relationship == "head")
    assert registered["payload"]["head_card_number"] == e.head_card_number
    assert answer["coverage_status"] == "inactive"


async def test_a_newborn_is_added_with_what_billing_bills_by(membership_pool):
    head = next(p for p in PEOPLE if p.segment == "PBPU" and p.relationship == "head")
    born = local_date(NOW) - timedelta(days=5)
    nik = f"{head.district_code}{born:%d%m%y}9{uuid.uuid4().int % 1000:03d}"
    async with rolled_back(membership_pool) as conn:
        await insert_person(conn, head)
        who = AccessClaims(uuid.uuid4(), uuid.UUID(head.member_id))
        await requests.add_newborn(conn, commands.AddNewborn(
            who, nik, "Bayi Uji", born, "M", "akta-lahir-1871-2026-0001"), now=NOW)
        [asked] = await staged(conn, events.FamilyMemberRequested.type)
        env = Envelope.model_validate(asked)
        await EVENT_HANDLERS[env.type](conn, env, parse_event(env), NOW)
        [added] = [e for e in await staged(conn, events.MemberAdded.type)
                   if e["key"] == head.family_id]
    e = parse_event(Envelope.model_validate(added))
    assert (e.relationship, e.fktp_code, e.segment, e.care_class) == (
        "child", head.fktp_code, "PBPU", head.care_class)


@pytest.fixture
async def membership_consumer(committing_pool, kafka: KafkaSettings):
    """Membership's own "membership" group over the committing database, on topics of its
    own (a prefix of this test's), as the worker runs it."""
    own = KafkaSettings(bootstrap_servers=kafka.bootstrap_servers,
                        topic_prefix=f"{kafka.topic_prefix}mb{uuid.uuid4().hex[:6]}.")
    [spec] = [s for s in worker.consumers(lambda: datetime.now(UTC)) if s.group == "membership"]
    await create_topics(own.bootstrap_servers, {
        own.topic(t): 3 for t in (*spec.topics, topics.dead_letter(spec.group))})
    producer = make_producer(own, "membership-test")
    await producer.start()
    task = asyncio.create_task(EventConsumer(spec, committing_pool, own, producer).run())

    async def publish(event: events.Event, key: str, occurred_at: datetime) -> Envelope:
        env = wrap(event, producer="billing", key=key, correlation_id="test",
                   occurred_at=occurred_at)
        await producer.send_and_wait(own.topic(event.topic), env.model_dump_json().encode(),
                                     key=key.encode())
        return env

    yield publish
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    await producer.stop()


async def test_billings_coverage_and_virtual_account_show_on_the_card(
        committing_client, committing_pool, membership_consumer):
    p, auth = await new_member(committing_pool)
    member = uuid.UUID(p.member_id)
    assert (await committing_client.get("/v1/me", headers=auth)).json()["va"] is None
    publish, at = membership_consumer, datetime.now(UTC)

    def coverage(status: str, occurred_at: datetime):
        return publish(events.CoverageStatusChanged(
            family_id=p.family_id, member_ids=[member], head_member_id=member, status=status,
            effective_date=NOW.date(), arrears_months=2 if status == "non_active" else 0),
            p.family_id, occurred_at)

    async def card() -> dict:
        return (await committing_client.get("/v1/me", headers=auth)).json()

    await coverage("non_active", at)
    va = "88888" + p.card_number[-11:]
    await publish(events.VirtualAccountOpened(family_id=p.family_id, va=va,
                                              va_mandiri="89888" + p.card_number[-11:]),
                  p.family_id, at)
    shown = await eventually(lambda: _when(card, lambda c: c["va"] == va))
    assert shown["coverage_status"] == "inactive"

    # A late event older than the one applied changes nothing; a newer one does.
    late = await coverage("active", at - timedelta(hours=1))
    await eventually(lambda: _processed(committing_pool, late.event_id))
    assert (await card())["coverage_status"] == "inactive"
    await coverage("active", at + timedelta(seconds=1))
    await eventually(lambda: _when(card, lambda c: c["coverage_status"] == "active"))


async def _when(read, ok):
    value = await read()
    return value if ok(value) else None


async def _processed(pool, event_id: uuid.UUID) -> bool:
    return bool(await pool.fetchval(
        "SELECT 1 FROM processed_events WHERE consumer = 'membership' AND event_id = $1",
        event_id))
