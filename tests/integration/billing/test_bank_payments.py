"""The bank partner API on the real database: signatures, VA inquiry, payments settled once
per bank reference (ten copies at once included), refusals naming their field."""

from __future__ import annotations

import asyncio
import time
import uuid

from tests.integration.billing.paying import (
    PREMIUM,
    bill_statuses,
    digits,
    make_family,
    payment,
    staged_for,
    this_month,
)

PAY = "/v1/partners/bank/payments"


async def _calls(pool, cons_id: str) -> list[tuple[str, str]]:
    rows = await pool.fetch("SELECT path, outcome FROM partner_calls WHERE cons_id = $1"
                            " ORDER BY id", cons_id)
    return [(r["path"], r["outcome"]) for r in rows]


async def test_a_wrong_missing_or_stale_signature_is_401_bridged_and_recorded(
        client, billing_pool, bank):
    fam = await make_family(billing_pool, months_back=[0])
    tries = {
        "refused:bad_signature": bank.headers(secret="not-the-secret"),
        "refused:signature_missing": {"X-cons-id": bank.cons_id},
        "refused:stale_timestamp": bank.headers(timestamp=int(time.time()) - 301),
    }
    for headers in tries.values():
        r = await client.post(PAY, json=payment(fam, PREMIUM), headers=headers)
        assert r.status_code == 401, r.text
        assert r.headers["content-type"] == "application/problem+json"
        body = r.json()
        assert body["metaData"]["code"] == "201" and body["response"] is None
        assert body["errors"][0]["field"] in ("X-signature", "X-timestamp")
    assert await _calls(billing_pool, bank.cons_id) == [(PAY, o) for o in tries]
    assert (await bill_statuses(billing_pool, fam.family_id))[str(this_month())] == "open"


async def test_an_unknown_cons_id_is_refused_like_a_wrong_signature(client, billing_pool, bank):
    bank.cons_id = "nobody-" + bank.cons_id
    r = await client.get("/v1/partners/bank/va/8888800000000000", headers=bank.headers())
    assert r.status_code == 401 and r.json()["code"] == "bad_signature"
    assert await _calls(billing_pool, bank.cons_id) == [
        ("/v1/partners/bank/va/{va}", "refused:bad_signature")]


async def test_a_facility_cannot_call_the_bank_api(client, facility):
    r = await client.get("/v1/partners/bank/va/8888800000000000", headers=facility.headers())
    assert r.status_code == 401


async def test_the_inquiry_shows_the_masked_name_and_amount_due(client, billing_pool, bank):
    fam = await make_family(billing_pool, months_back=[2, 1, 0], head_name="Hendra Saputra")
    r = await client.get(f"/v1/partners/bank/va/{fam.va}", headers=bank.headers())
    assert r.status_code == 200, r.text
    assert r.json() == {"metaData": {"code": "200", "message": "OK"}, "response": {
        "va": fam.va, "name": "HE**** SA*****", "amount_due": 3 * PREMIUM, "currency": "IDR"}}


async def test_an_unknown_va_gets_the_bridging_not_found(client, billing_pool, bank):
    for va in ("8888800000000001", "12345", "7777700000000000"):
        r = await client.get(f"/v1/partners/bank/va/{va}", headers=bank.headers())
        assert r.status_code == 404
        assert r.json()["metaData"] == {"code": "201", "message": "No such virtual account."}
    outcomes = [o for _, o in await _calls(billing_pool, bank.cons_id)]
    assert outcomes == ["refused:va_unknown"] * 3


async def test_a_payment_settles_the_oldest_months_and_stages_its_events(
        client, billing_pool, bank):
    fam = await make_family(billing_pool, months_back=[2, 1, 0], coverage="non_active")
    r = await client.post(PAY, json=payment(fam, 3 * PREMIUM), headers=bank.headers())
    assert r.status_code == 200, r.text
    answer = r.json()["response"]
    current = this_month()
    assert answer["settled_periods"] == [str(current + -2), str(current + -1), str(current)]
    assert answer["status"] == "settled" and answer["credit"] == 0
    assert set((await bill_statuses(billing_pool, fam.family_id)).values()) == {"settled"}
    received = await staged_for(billing_pool, "PaymentReceived", fam.family_id)
    assert [(p["amount"], p["channel"], p["payment_id"]) for p in received] == [
        (3 * PREMIUM, "bri", answer["payment_id"])]
    assert len(await staged_for(billing_pool, "BillSettled", fam.family_id)) == 3
    # Paying every arrear and this month makes the family active again (coverage.refresh).
    changed = await staged_for(billing_pool, "CoverageStatusChanged", fam.family_id)
    assert [c["status"] for c in changed] == ["active"]
    assert await _calls(billing_pool, bank.cons_id) == [(PAY, "settled")]


async def test_a_member_added_while_the_payment_waits_for_the_payer_is_named_in_coverage(
        client, billing_pool, bank):
    # The payment reads the member ids after it holds the payer row, never from before the
    # wait: membership must be told about every member whose coverage changed.
    fam = await make_family(billing_pool, months_back=[1, 0], coverage="non_active")
    newcomer = uuid.uuid4()
    async with billing_pool.acquire() as conn, conn.transaction():
        await conn.execute("SELECT 1 FROM payers WHERE payer_kind = 'family' AND payer_id = $1"
                           " FOR UPDATE", fam.family_id)
        paying = asyncio.create_task(
            client.post(PAY, json=payment(fam, 2 * PREMIUM), headers=bank.headers()))
        await asyncio.sleep(0.5)  # the payment is waiting for the payer row by now
        await conn.execute(
            "INSERT INTO members (member_id, family_id, card_number, relationship, segment,"
            " care_class, fktp_code, registered_on, payer_kind, payer_id, updated_at)"
            " VALUES ($1, $2, $3, 'child', 'PBPU', 3, '0001G001', '2020-01-01', 'family', $4,"
            " now())", newcomer, fam.family_id, digits(13), fam.family_id)
    assert (await paying).status_code == 200
    changed = await staged_for(billing_pool, "CoverageStatusChanged", fam.family_id)
    assert sorted(changed[0]["member_ids"]) == sorted(
        str(m) for m in [*fam.member_ids, newcomer])


async def test_ten_copies_at_once_settle_once_and_get_the_same_answer(
        client, billing_pool, bank):
    fam = await make_family(billing_pool, months_back=[1, 0])
    body = payment(fam, 2 * PREMIUM)
    answers = await asyncio.gather(*(client.post(PAY, json=body, headers=bank.headers())
                                     for _ in range(10)))
    assert {r.status_code for r in answers} == {200}
    assert len({r.content for r in answers}) == 1  # byte for byte the first answer
    assert await billing_pool.fetchval("SELECT count(*) FROM payments WHERE bank_reference = $1",
                                       body["bank_reference"]) == 1
    assert len(await staged_for(billing_pool, "PaymentReceived", fam.family_id)) == 1
    assert len(await staged_for(billing_pool, "BillSettled", fam.family_id)) == 2
    outcomes = sorted(o for _, o in await _calls(billing_pool, bank.cons_id))
    assert outcomes == ["replayed"] * 9 + ["settled"]
    later = await client.post(PAY, json=body, headers=bank.headers())
    assert later.content == answers[0].content


async def test_a_changed_body_under_the_same_reference_is_refused_naming_it(
        client, billing_pool, bank):
    fam = await make_family(billing_pool, months_back=[1, 0])
    body = payment(fam, PREMIUM)
    assert (await client.post(PAY, json=body, headers=bank.headers())).status_code == 200
    r = await client.post(PAY, json={**body, "amount": 2 * PREMIUM}, headers=bank.headers())
    assert r.status_code == 409, r.text
    assert r.json()["errors"][0]["field"] == "bank_reference"
    assert r.json()["metaData"]["code"] == "201"
    assert (await bill_statuses(billing_pool, fam.family_id))[str(this_month())] == "open"


async def test_an_underpayment_settles_whole_months_and_keeps_the_rest_as_credit(
        client, billing_pool, bank):
    fam = await make_family(billing_pool, months_back=[1, 0])
    r = await client.post(PAY, json=payment(fam, PREMIUM + 40_000), headers=bank.headers())
    assert r.json()["response"]["settled_periods"] == [str(this_month() + -1)]
    assert r.json()["response"]["credit"] == 40_000
    assert (await bill_statuses(billing_pool, fam.family_id))[str(this_month())] == "open"
    r = await client.post(PAY, json=payment(fam, 65_000), headers=bank.headers())
    assert r.json()["response"]["settled_periods"] == [str(this_month())]
    assert r.json()["response"]["credit"] == 0


async def test_an_overpayment_becomes_credit(client, billing_pool, bank):
    fam = await make_family(billing_pool, months_back=[0])
    r = await client.post(PAY, json=payment(fam, PREMIUM + 1_000), headers=bank.headers())
    assert r.json()["response"]["credit"] == 1_000
    assert await billing_pool.fetchval("SELECT credit FROM payers WHERE payer_id = $1",
                                       fam.family_id) == 1_000


async def test_a_payment_smaller_than_any_month_is_credited_only(client, billing_pool, bank):
    fam = await make_family(billing_pool, months_back=[0])
    r = await client.post(PAY, json=payment(fam, 1_000), headers=bank.headers())
    assert r.json()["response"]["status"] == "credited"
    assert await staged_for(billing_pool, "BillSettled", fam.family_id) == []


async def test_refusals_name_their_field_and_settle_nothing(client, billing_pool, bank):
    fam = await make_family(billing_pool, months_back=[0])
    cases = {
        "paid_at": payment(fam, PREMIUM, paid_at="2099-01-01T00:00:00+07:00"),
        "channel": payment(fam, PREMIUM, channel="mandiri"),
        "amount": payment(fam, "105000"),
        "va": payment(fam, PREMIUM, va="8888800000000001"),
    }
    for field, body in cases.items():
        r = await client.post(PAY, json=body, headers=bank.headers())
        assert r.status_code in (404, 422), (field, r.text)
        assert r.json()["errors"][0]["field"] == field, r.text
        assert r.json()["metaData"]["code"] == "201"
    assert (await bill_statuses(billing_pool, fam.family_id))[str(this_month())] == "open"
    mandiri = payment(fam, PREMIUM, va=fam.va_mandiri, channel="mandiri")
    assert (await client.post(PAY, json=mandiri, headers=bank.headers())).status_code == 200
