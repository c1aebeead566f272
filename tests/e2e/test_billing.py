"""Billing end to end, through the door: a family in arrears sees its bills, the bank asks and
pays with the README's own shell commands (signed with this platform's demo bank secret), the
bills settle, coverage is active again on /v1/me and the family head is told by SMS."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import asyncpg
import pytest

from common.bridging import signature
from synthetic.population import Person
from tests import readme_commands
from tests.e2e.conftest import take
from tests.e2e.members import e164, logged_in
from tests.e2e.platform import Platform

pytestmark = pytest.mark.e2e


def _poll(what: str, check: Callable[[], Any], timeout: float = 30) -> Any:
    """Bounded polling until check() returns something truthy."""
    deadline = time.monotonic() + timeout
    while not (got := check()):
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout} s")
        time.sleep(0.2)
    return got


def _bank(platform: Platform, block: str, va: str, secret: str | None = None) -> dict:
    """Run one of the README's bank blocks against this platform as its demo bank."""
    out = readme_commands.run(
        block, gateway=platform.gateway, va=va,
        cons_id=platform.env["BILLING_DEMO_BANK_CONS_ID"],
        secret=secret or platform.env["BILLING_DEMO_BANK_SECRET"])
    return json.loads(out)


async def _billing_events(platform: Platform, kind: str, payer_id: str) -> list[dict]:
    """Billing's events of one kind for one payer, from its outbox."""
    conn = await asyncpg.connect(platform.dsn("billing"))
    try:
        rows = await conn.fetch(
            "SELECT envelope FROM outbox WHERE envelope->>'type' = $1 "
            "AND envelope->'payload'->>'payer_id' = $2", kind, payer_id)
    finally:
        await conn.close()
    return [json.loads(r["envelope"]) for r in rows]


@pytest.fixture(scope="module")
def in_arrears() -> Person:
    """The head of a PBPU family the register carries as non-active (months unpaid)."""
    return take(lambda p: p.segment == "PBPU" and p.relationship == "head"
                and p.coverage == "inactive")


async def test_a_family_in_arrears_pays_through_its_bank_and_is_covered_again(
        platform: Platform, in_arrears: Person) -> None:
    p = in_arrears
    auth = logged_in(platform, p)

    def owed() -> dict | None:
        r = platform.get("/v1/me/bills", headers=auth)
        return r.json() if r.status_code == 200 and r.json()["amount_due"] > 0 else None

    bills = _poll("the family's arrears reach billing", owed)
    va = bills["va"]
    platform.used.add([va])  # a VA is personal: the run's log check looks for it too
    assert len(va) == 16 and va.startswith("88888") and va.endswith(p.card_number[-11:])
    assert bills["arrears"] and bills["coverage"] == "non_active"
    assert platform.get("/v1/me", headers=auth).json()["coverage_status"] == "inactive"
    before_sms = len(platform.inbox("sms", e164(p)))

    _, inquiry, payment = readme_commands.blocks()
    asked = _bank(platform, inquiry, va)
    assert asked["metaData"]["code"] == "200", asked
    assert asked["response"]["amount_due"] == bills["amount_due"]
    assert asked["response"]["name"] != p.full_name  # masked for the bank

    paid = _bank(platform, payment, va)
    assert paid["metaData"]["code"] == "200", paid

    def settled() -> dict | None:
        r = platform.get("/v1/me/bills", headers=auth).json()
        return r if r["amount_due"] == 0 else None

    after = _poll("the bills settle", settled)
    assert not after["arrears"] and after["payments"]
    assert after["payments"][0]["amount"] == bills["amount_due"]
    settled_periods = {e["payload"]["period"] for e in
                       await _billing_events(platform, "BillSettled", p.family_id)}
    assert {b["period"] for b in bills["arrears"]} <= settled_periods
    assert len(await _billing_events(platform, "PaymentReceived", p.family_id)) == 1

    _poll("coverage active again on /v1/me", lambda: platform.get(
        "/v1/me", headers=auth).json()["coverage_status"] == "active")

    def told() -> list[str] | None:
        texts = [m["text"] for m in platform.inbox("sms", e164(p))[before_sms:]]
        paid_told = any("diterima" in t for t in texts)
        active_told = any("aktif kembali" in t for t in texts)
        return texts if paid_told and active_told else None

    _poll("the head told of the payment and of coverage back", told)


def test_a_wrong_signature_is_401_and_settles_nothing(platform: Platform) -> None:
    cons = platform.env["BILLING_DEMO_BANK_CONS_ID"]
    ts = str(int(time.time()))
    wrong = signature(cons, ts, platform.env["BILLING_DEMO_BANK_SECRET"] + "x")
    r = platform.get("/v1/partners/bank/va/8888800000000001",
                     headers={"X-cons-id": cons, "X-timestamp": ts, "X-signature": wrong})
    assert r.status_code == 401, r.text
    assert r.json()["metaData"]["code"] == "201"
    assert r.headers["cache-control"] == "no-store"
    r = platform.post("/v1/partners/bank/payments", {
        "va": "8888800000000001", "amount": 35000, "paid_at": "2026-12-01T00:00:00Z",
        "bank_reference": f"WRONG-{ts}", "channel": "bri"},
        headers={"X-cons-id": cons, "X-timestamp": ts, "X-signature": wrong})
    assert r.status_code == 401, r.text


def test_an_unknown_va_gets_the_bridging_not_found(platform: Platform) -> None:
    _, inquiry, _ = readme_commands.blocks()
    answer = _bank(platform, inquiry, "8888800000000002")
    assert answer["metaData"]["code"] == "201", answer
    assert answer.get("response") is None
