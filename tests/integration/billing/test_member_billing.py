"""The member's billing routes on the real database: the bill view, in-app intents matched by
the bank's call, autodebit mandates and collections, REHAB, ended sessions, the facility
penalty and the ops summary."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from common.staff_tokens import issue_staff
from contracts import Envelope, events
from services.billing.autodebit_bank import SimulatedBank
from services.billing.domain.periods import local_date
from services.billing.handlers import autodebit, sessions
from tests.integration.billing.paying import (
    JWT_SECRET,
    PREMIUM,
    SEAL_KEY,
    Family,
    bill_statuses,
    make_family,
    make_ppu_member,
    payment,
    staged_for,
    this_month,
)

PAY = "/v1/partners/bank/payments"


def _key() -> dict[str, str]:
    return {"Idempotency-Key": uuid.uuid4().hex}


async def test_the_bill_view_shows_arrears_amount_due_and_va(client, billing_pool):
    fam = await make_family(billing_pool, months_back=[2, 1, 0], credit=5_000)
    r = await client.get("/v1/me/bills", headers=fam.token())
    assert r.status_code == 200, r.text
    view = r.json()
    current = this_month()
    assert view["va"] == fam.va and view["va_mandiri"] == fam.va_mandiri
    assert view["amount_due"] == 3 * PREMIUM - 5_000 and not view["nothing_due"]
    assert [a["period"] for a in view["arrears"]] == [str(current + -2), str(current + -1)]
    assert view["current_bill"]["period"] == str(current)
    assert view["paid_by"] == {"kind": "family", "id": fam.family_id}


async def test_a_ppu_member_sees_who_pays_and_that_nothing_is_due(client, billing_pool):
    member_id = await make_ppu_member(billing_pool)
    worker = Family("", member_id, "", "", "")
    view = (await client.get("/v1/me/bills", headers=worker.token())).json()
    assert view["nothing_due"] and view["amount_due"] == 0
    assert view["paid_by"]["kind"] == "employer"
    r = await client.post("/v1/me/payments", headers={**worker.token(), **_key()})
    assert r.status_code == 422 and r.json()["code"] == "paid_by_others"


async def test_no_token_is_401_and_an_ended_session_is_refused(client, billing_pool):
    fam = await make_family(billing_pool, months_back=[0])
    assert (await client.get("/v1/me/bills")).status_code == 401
    sid = uuid.uuid4()
    assert (await client.get("/v1/me/bills", headers=fam.token(sid))).status_code == 200
    ended = events.SessionEnded(member_id=fam.head_member_id, sid=sid,
                                ended_at=datetime.now(UTC))
    env = Envelope(type=ended.type, version=1, occurred_at=datetime.now(UTC),
                   producer="membership", key=str(fam.head_member_id), correlation_id="t",
                   payload=ended.model_dump(mode="json"))
    async with billing_pool.acquire() as conn:
        await sessions.session_ended(conn, env, ended, datetime.now(UTC))
    r = await client.get("/v1/me/bills", headers=fam.token(sid))
    assert r.status_code == 401 and r.json()["code"] == "token_revoked"
    assert (await client.get("/v1/me/bills", headers=fam.token())).status_code == 200


async def test_an_intent_binds_the_banks_amount_and_is_paid_by_it(client, billing_pool, bank):
    fam = await make_family(billing_pool, months_back=[1, 0])
    r = await client.post("/v1/me/payments", headers={**fam.token(), **_key()})
    assert r.status_code == 201, r.text
    intent = r.json()
    assert (intent["amount"], intent["va"], intent["status"]) == (2 * PREMIUM, fam.va, "open")
    assert r.headers["location"] == f"/v1/me/payments/{intent['intent_id']}"
    wrong = await client.post(PAY, json=payment(fam, PREMIUM), headers=bank.headers())
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "amount"
    paid = await client.post(PAY, json=payment(fam, 2 * PREMIUM), headers=bank.headers())
    assert paid.status_code == 200, paid.text
    after = (await client.get(intent["links"]["self"], headers=fam.token())).json()
    assert after["status"] == "paid"
    assert after["payment_id"] == paid.json()["response"]["payment_id"]
    nothing = await client.post("/v1/me/payments", headers={**fam.token(), **_key()})
    assert nothing.status_code == 422 and nothing.json()["code"] == "nothing_due"


async def test_autodebit_is_kept_masked_and_its_collections_recorded(client, billing_pool):
    paying = await make_family(billing_pool, months_back=[1, 0])
    broke = await make_family(billing_pool, months_back=[0])
    for fam, account in ((paying, "1234567890"), (broke, "5555555559")):
        r = await client.post("/v1/me/autodebit", json={"bank": "bca", "account_number": account},
                              headers={**fam.token(), **_key()})
        assert r.status_code == 201, r.text
        assert r.json()["account"] == "******" + account[-4:]
    stored = await billing_pool.fetchval(
        "SELECT account_sealed FROM autodebit_mandates WHERE payer_id = $1", paying.family_id)
    assert "1234567890" not in stored
    again = await client.post("/v1/me/autodebit", json={"bank": "bca", "account_number":
                                                        "1111111111"},
                              headers={**paying.token(), **_key()})
    assert again.status_code == 409
    await autodebit.run_collections(billing_pool, bank=SimulatedBank(), seal_key=SEAL_KEY,
                                    now=datetime.now(UTC))
    assert set((await bill_statuses(billing_pool, paying.family_id)).values()) == {"settled"}
    assert [p["channel"] for p in await staged_for(billing_pool, "PaymentReceived",
                                               paying.family_id)] == ["autodebit"] * 2
    assert set((await bill_statuses(billing_pool, broke.family_id)).values()) == {"open"}
    view = (await client.get("/v1/me/autodebit", headers=broke.token())).json()
    assert [(c["status"], c["bank_code"]) for c in view["collections"]] == [("failed", "51")]
    # A second pass asks nothing again: each bill is collected once per mandate.
    assert await autodebit.run_collections(billing_pool, bank=SimulatedBank(),
                                           seal_key=SEAL_KEY, now=datetime.now(UTC)) == 0
    cancel = await client.delete("/v1/me/autodebit", headers={**broke.token(), **_key()})
    assert cancel.status_code == 200 and cancel.json()["status"] == "cancelled"
    assert (await client.get("/v1/me/autodebit", headers=broke.token())).status_code == 404


async def test_rehab_spreads_the_arrears_and_paying_it_reactivates(client, billing_pool, bank):
    fam = await make_family(billing_pool, months_back=[6, 5, 4, 3, 2, 1, 0],
                            coverage="non_active")
    r = await client.post("/v1/me/rehab-plans", json={"parts": 3},
                          headers={**fam.token(), **_key()})
    assert r.status_code == 201, r.text
    plan = r.json()
    assert plan["arrears_total"] == 6 * PREMIUM and plan["arrears_months"] == 6
    assert [p["amount"] for p in plan["instalments"]] == [2 * PREMIUM] * 3
    dup = await client.post("/v1/me/rehab-plans", json={"parts": 3},
                            headers={**fam.token(), **_key()})
    assert dup.status_code == 409
    for _ in range(3):
        intent = (await client.post("/v1/me/payments", headers={**fam.token(), **_key()})).json()
        assert intent["purpose"] == "rehab" and intent["amount"] == 2 * PREMIUM
        paid = await client.post(PAY, json=payment(fam, intent["amount"]),
                                 headers=bank.headers())
        assert paid.status_code == 200, paid.text
    done = (await client.get("/v1/me/rehab-plans", headers=fam.token())).json()
    assert done["status"] == "completed" and all(p["paid"] for p in done["instalments"])
    assert await staged_for(billing_pool, "CoverageStatusChanged", fam.family_id) == []
    last = (await client.post("/v1/me/payments", headers={**fam.token(), **_key()})).json()
    assert (last["purpose"], last["amount"]) == ("amount_due", PREMIUM)
    await client.post(PAY, json=payment(fam, PREMIUM), headers=bank.headers())
    changed = await staged_for(billing_pool, "CoverageStatusChanged", fam.family_id)
    assert [c["status"] for c in changed] == ["active"]


async def test_rehab_needs_four_months_of_arrears(client, billing_pool):
    fam = await make_family(billing_pool, months_back=[2, 1, 0])
    r = await client.post("/v1/me/rehab-plans", json={"parts": 3},
                          headers={**fam.token(), **_key()})
    assert r.status_code == 422 and r.json()["code"] == "rehab_arrears"


async def test_the_facility_penalty_follows_the_last_reactivation(client, billing_pool,
                                                                  facility):
    fam = await make_family(billing_pool, months_back=[0])
    today = local_date(datetime.now(UTC))
    await billing_pool.execute(
        "UPDATE payers SET reactivated_on = $2, reactivated_arrears = 6 WHERE payer_id = $1",
        fam.family_id, today - timedelta(days=10))
    q = {"card_number": fam.card_number, "admission_date": str(today),
         "inpatient_cost": "10000000"}
    r = await client.get("/v1/partners/facility/penalty", params=q, headers=facility.headers())
    assert r.status_code == 200, r.text
    assert r.json()["response"]["penalty"] == 3_000_000  # 5% x 6 months x 10,000,000
    late = {**q, "admission_date": str(today + timedelta(days=36))}
    r = await client.get("/v1/partners/facility/penalty", params=late,
                         headers=facility.headers())
    assert r.json()["response"]["penalty"] == 0
    bad = await client.get("/v1/partners/facility/penalty", params={**q, "card_number": "1"},
                           headers=facility.headers())
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "card_number"
    assert bad.json()["metaData"]["code"] == "201"


async def test_the_ops_summary_counts_the_days_payments_by_channel_and_segment(
        client, billing_pool, bank):
    fam = await make_family(billing_pool, months_back=[0], segment="BP")
    await client.post(PAY, json=payment(fam, PREMIUM, channel="bca"), headers=bank.headers())
    staff = {"Authorization": "Bearer " + issue_staff(JWT_SECRET, "petugas", datetime.now(UTC))}
    today = str(local_date(datetime.now(UTC)))
    r = await client.get("/v1/ops/billing/collections", params={"date": today}, headers=staff)
    assert r.status_code == 200, r.text
    summary = r.json()
    assert {"channel": "bca", "segment": "BP", "payments": 1, "amount": PREMIUM} in summary["rows"]
    assert summary["payments"] >= 1
    member = await client.get("/v1/ops/billing/collections", headers=fam.token())
    assert member.status_code == 401
    assert date.fromisoformat(summary["date"]) == local_date(datetime.now(UTC))


async def test_the_ops_arrears_count_payers_months_and_what_is_owed_by_segment(
        client, billing_pool):
    staff = {"Authorization": "Bearer " + issue_staff(JWT_SECRET, "petugas", datetime.now(UTC))}

    async def bp() -> dict:
        r = await client.get("/v1/ops/billing/arrears", headers=staff)
        assert r.status_code == 200, r.text
        return next((s for s in r.json()["by_segment"] if s["segment"] == "BP"),
                    {"payers": 0, "months": 0, "amount": 0})

    before = await bp()
    fam = await make_family(billing_pool, months_back=[2, 1, 0], segment="BP")
    await make_family(billing_pool, months_back=[0], segment="BP")  # only this month: none
    after = await bp()
    # Two months of arrears owed; this month's bill is not arrears yet.
    assert (after["payers"] - before["payers"], after["months"] - before["months"],
            after["amount"] - before["amount"]) == (1, 2, 2 * PREMIUM)
    assert (await client.get("/v1/ops/billing/arrears", headers=fam.token())).status_code == 401
