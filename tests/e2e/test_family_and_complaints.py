"""Class changes, families (new PBPU families, newborns) and complaints, end to end."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import pytest

from common.kafka import make_producer
from common.settings import KafkaSettings
from contracts import events, wrap
from synthetic.civil_registry import non_member_families
from synthetic.population import population
from tests.e2e.conftest import SEEDED, take
from tests.e2e.members import (
    follow,
    logged_in,
    months_ago,
    next_first,
    officer_auth,
    seconds_until,
    today_wib,
)
from tests.integration.kafka_helpers import read

pytestmark = pytest.mark.e2e


def pbpu_head(p) -> bool:
    return p.segment == "PBPU" and p.relationship == "head" and p.registered_at <= months_ago(13)


async def arrears(platform, family_id: str, months: int) -> None:
    """Billing's word on a family's arrears, as billing will publish it."""
    kafka = KafkaSettings(bootstrap_servers=platform.env["KAFKA_BOOTSTRAP_SERVERS"],
                          topic_prefix=platform.env["KAFKA_TOPIC_PREFIX"])
    producer = make_producer(kafka, "billing-standin")
    await producer.start()
    try:
        event = events.PremiumArrearsChanged(family_id=family_id, unpaid_months=months)
        env = wrap(event, producer="billing", key=family_id, correlation_id=uuid.uuid4().hex)
        await producer.send_and_wait(kafka.topic(event.topic), env.model_dump_json().encode(),
                                     key=family_id.encode())
    finally:
        await producer.stop()


async def test_class_change_waits_for_paid_premiums_then_moves_the_whole_family(platform):
    p = take(pbpu_head)
    auth = logged_in(platform, p)
    new_class = 1 if p.care_class != 1 else 2
    await arrears(platform, p.family_id, 2)
    await asyncio.sleep(1)  # billing's event reaches membership's projection
    r = platform.post("/v1/me/class-changes", {"care_class": new_class}, headers=auth)
    refused = follow(platform, auth, r.json()["request_id"], "rejected")
    assert refused["rule"] == "class_unpaid" and "2" in refused["reason_en"]

    await arrears(platform, p.family_id, 0)
    await asyncio.sleep(1)
    r = platform.post("/v1/me/class-changes", {"care_class": new_class}, headers=auth)
    req = follow(platform, auth, r.json()["request_id"], "scheduled", "rejected")
    assert req["status"] == "scheduled" and req["effective_date"] == str(next_first())
    platform.shift_clock("membership", seconds_until(next_first()))
    try:
        follow(platform, auth, r.json()["request_id"], "applied")
    finally:
        platform.shift_clock("membership", 0)
    family = platform.get("/v1/me/family", headers=auth).json()["members"]
    assert len(family) > 1 and {m["care_class"] for m in family} == {new_class}


def test_a_newborn_joins_the_family_with_a_card(platform):
    p = take(lambda p: p.segment in ("PBPU", "BP") and p.relationship == "head")
    auth = logged_in(platform, p)
    born = today_wib() - timedelta(days=5)
    nik = f"{p.district_code}{born:%d%m%y}9{uuid.uuid4().int % 1000:03d}"
    r = platform.post("/v1/me/family/members", {
        "nik": nik, "full_name": "Bayi Uji", "birth_date": str(born), "sex": "M",
        "birth_document_ref": "akta-lahir-1871-2026-0001"}, headers=auth)
    assert r.status_code == 202, r.text
    follow(platform, auth, r.json()["request_id"], "applied")
    family = platform.get("/v1/me/family", headers=auth).json()["members"]
    baby = next(m for m in family if m["full_name"] == "Bayi Uji")
    assert baby["card_number"].startswith("0005") and baby["nik"].endswith(nik[-4:])
    assert "*" in baby["nik"]  # family members see a masked NIK


async def test_a_new_pbpu_family_joins_whole_or_not_at_all(platform):
    participants = list(population(SEEDED))
    fam = next(f for f in non_member_families(SEEDED // 10, participants) if len(f) >= 2)
    applicants = [{"nik": m.nik, "full_name": m.full_name, "birth_date": str(m.birth_date)}
                  for m in fam]
    body = {"kk_number": fam[0].family_id, "care_class": 3, "fktp_code": "18710001",
            "members": applicants}
    partial = platform.post("/v1/families", {**body, "members": applicants[:-1]})
    assert partial.status_code == 422 and partial.json()["code"] == "family_incomplete"
    r = platform.post("/v1/families", body, headers={"Idempotency-Key": uuid.uuid4().hex})
    assert r.status_code == 201, r.text
    joined = r.json()
    assert len(joined["members"]) == len(fam) and joined["care_class"] == 3
    again = platform.post("/v1/families", body)
    assert again.status_code == 422 and again.json()["code"] == "member_already_participant"
    seen = [e for e in await read(platform.env["KAFKA_BOOTSTRAP_SERVERS"],
                                  platform.env["KAFKA_TOPIC_PREFIX"] + "jkn.membership.events",
                                  100_000, timeout=5)
            if e["type"] == "FamilyRegistered" and e["key"] == fam[0].family_id]
    assert len(seen) == 1 and len(seen[0]["payload"]["members"]) == len(fam)


def test_a_complaint_gets_a_ticket_and_the_branch_answers_it(platform):
    p = take()
    auth = logged_in(platform, p)
    r = platform.post("/v1/me/complaints", {
        "category": "service", "text": "Antrean di puskesmas sangat lama, lebih dari 3 jam."},
        headers=auth)
    assert r.status_code == 201, r.text
    ticket = r.json()["ticket_number"]
    assert ticket.startswith("PGD-") and r.json()["status"] == "open"
    bad = platform.post("/v1/me/complaints", {"category": "weather", "text": "x" * 20},
                        headers=auth)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "category"
    officer = officer_auth(platform)
    assert ticket in [c["ticket_number"] for c in
                      platform.get("/v1/officer/complaints", headers=officer).json()]
    a = platform.post(f"/v1/officer/complaints/{ticket}/answer",
                      {"text": "Mohon maaf, kami sudah menegur puskesmas tersebut."},
                      headers=officer)
    assert a.status_code == 200 and a.json()["within_target"] is True
    mine = platform.get(f"/v1/me/complaints/{ticket}", headers=auth).json()
    assert mine["status"] == "answered" and "Mohon maaf" in mine["answer"]


def test_a_complaint_sent_three_times_with_one_key_is_one_ticket(platform):
    auth = logged_in(platform, take())
    key = {"Idempotency-Key": uuid.uuid4().hex, **auth}
    body = {"category": "app", "text": "Aplikasi keluar sendiri saat membuka kartu."}
    sent = [platform.post("/v1/me/complaints", body, headers=key) for _ in range(3)]
    assert [r.status_code for r in sent] == [201, 201, 201]
    assert sent[0].content == sent[1].content == sent[2].content
    ticket = sent[0].json()["ticket_number"]
    assert {r.headers["location"] for r in sent} == {f"/v1/me/complaints/{ticket}"}
    mine = platform.get("/v1/me/complaints", headers=auth).json()
    assert [c["ticket_number"] for c in mine] == [ticket]
