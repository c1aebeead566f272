"""Data changes as followable requests, end to end through the gateway."""

from __future__ import annotations

import uuid

import pytest

from synthetic.facilities import facilities
from tests.e2e.conftest import take
from tests.e2e.members import (
    e164,
    follow,
    logged_in,
    months_ago,
    next_first,
    officer_auth,
    seconds_until,
    without_quiet_hours,
)
from tests.e2e.platform import restart

pytestmark = pytest.mark.e2e

OPEN_FKTPS = [f for f in facilities() if f.type == "fktp" and f.active and f.accepts_new_members]


def self_service(p) -> bool:
    return (p.segment not in ("PBI_APBN", "PBI_APBD") and p.pn_corps not in ("TNI", "POLRI")
            and p.fktp_since <= months_ago(4) and p.coverage == "active")


def another_fktp(p) -> str:
    return next(f.code for f in OPEN_FKTPS if f.code != p.fktp_code)


def test_faskes_change_is_decided_in_seconds_and_applies_on_the_first_across_a_restart(
        platform):
    p = take(self_service)
    auth = logged_in(platform, p)
    without_quiet_hours(platform, auth)  # the decision's message must not wait for the morning
    target = another_fktp(p)
    key = {"Idempotency-Key": uuid.uuid4().hex, **auth}
    r = platform.post("/v1/me/faskes-changes", {"faskes_code": target}, headers=key)
    assert r.status_code == 202, r.text
    again = platform.post("/v1/me/faskes-changes", {"faskes_code": target}, headers=key)
    assert again.status_code == 202 and again.json() == r.json()  # a retry, not a second ask
    request_id = r.json()["request_id"]

    req = follow(platform, auth, request_id, "scheduled", "rejected")
    assert req["status"] == "scheduled", req
    assert req["effective_date"] == str(next_first())
    assert [t["status"] for t in req["timeline"]] == ["received", "approved", "scheduled"]
    # The member is told on their channel, with the date.
    told = platform.wait_messages("sms", e164(p), 3)[-1]["text"]
    assert "FKTP" in told and "berlaku" in told
    # Until the 1st, the card (and every eligibility answer) shows the old FKTP.
    assert platform.get("/v1/me", headers=auth).json()["fktp"]["code"] == p.fktp_code
    second = platform.post("/v1/me/faskes-changes", {"faskes_code": target}, headers=auth)
    assert second.status_code == 409 and second.json()["code"] == "request_open"

    restart(platform, "membership")  # the schedule lives in the database, not in memory
    platform.shift_clock("membership", seconds_until(next_first()))
    try:
        req = follow(platform, auth, request_id, "applied")
        assert [t["status"] for t in req["timeline"]][-1] == "applied"
        assert platform.get("/v1/me", headers=auth).json()["fktp"]["code"] == target
        # Now the 3-month stay starts again: a regular change is refused, naming the rule.
        back = platform.post("/v1/me/faskes-changes", {"faskes_code": p.fktp_code},
                             headers=auth).json()["request_id"]
        refused = follow(platform, auth, back, "rejected")
        assert refused["rule"] == "faskes_min_stay"
        assert refused["reason_en"] and refused["reason_id"]
    finally:
        platform.shift_clock("membership", 0)


def test_pbi_members_cannot_change_faskes_themselves(platform):
    p = take(lambda p: p.segment == "PBI_APBN")
    auth = logged_in(platform, p)
    without_quiet_hours(platform, auth)  # the refusal's message must not wait for the morning
    r = platform.post("/v1/me/faskes-changes", {"faskes_code": another_fktp(p)}, headers=auth)
    req = follow(platform, auth, r.json()["request_id"], "rejected")
    assert req["rule"] == "faskes_not_self_service"
    assert "PBI" in req["reason_en"]
    assert "tidak disetujui" in platform.wait_messages("sms", e164(p), 3)[-1]["text"]


def test_an_exception_within_three_months_goes_to_an_officer(platform):
    p = take(lambda p: self_service(p) is False and p.segment in ("PBPU", "BP", "PPU_BU")
             and p.fktp_since > months_ago(3))
    auth = logged_in(platform, p)
    r = platform.post("/v1/me/faskes-changes", {
        "faskes_code": another_fktp(p), "reason": "domicile_move",
        "evidence_ref": "surat-pindah/2026/123"}, headers=auth)
    req = follow(platform, auth, r.json()["request_id"], "checking")
    officer = officer_auth(platform)
    queue = platform.get("/v1/officer/requests", headers=officer).json()
    assert req["request_id"] in [q["request_id"] for q in queue]
    d = platform.post(f"/v1/officer/requests/{req['request_id']}/decision",
                      {"approve": True}, headers=officer)
    assert d.status_code == 200 and d.json()["status"] == "scheduled"
    assert follow(platform, auth, req["request_id"], "scheduled")["effective_date"] == str(
        next_first())
    assert platform.get("/v1/officer/requests", headers=auth).status_code == 401  # members can't


def test_identity_correction_is_reviewed_then_applied(platform):
    p = take()
    auth = logged_in(platform, p)
    r = platform.post("/v1/me/identity-corrections", {
        "field": "full_name", "value": p.full_name + " Putri", "evidence_ref": "ktp-scan-1"},
        headers=auth)
    assert r.status_code == 202
    follow(platform, auth, r.json()["request_id"], "checking")
    officer = officer_auth(platform)
    bad = platform.post(f"/v1/officer/requests/{r.json()['request_id']}/decision",
                        {"approve": False}, headers=officer)
    assert bad.status_code == 422  # a rejection must say why, in both languages
    platform.post(f"/v1/officer/requests/{r.json()['request_id']}/decision",
                  {"approve": True}, headers=officer)
    follow(platform, auth, r.json()["request_id"], "applied")
    assert platform.get("/v1/me", headers=auth).json()["full_name"] == p.full_name + " Putri"


def test_address_applies_at_once_and_bad_input_names_the_field(platform):
    p = take()
    auth = logged_in(platform, p)
    r = platform.put("/v1/me/address", auth, {"street": "Jl. Teuku Umar No. 5",
                                              "postal_code": "35141"})
    assert r.status_code == 200 and r.json()["status"] == "applied"
    card = platform.get("/v1/me", headers=auth).json()
    assert card["address"]["street"] == "Jl. Teuku Umar No. 5"
    bad = platform.put("/v1/me/address", auth, {"street": "x", "postal_code": "35"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "postal_code"
    bad = platform.post("/v1/me/faskes-changes", {"faskes_code": "1871", "reason": "bored"},
                        headers=auth)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "reason"


def test_a_new_phone_applies_only_after_its_code(platform):
    p = take()
    auth = logged_in(platform, p)
    new = "0813" + p.card_number[-8:]
    r = platform.post("/v1/me/contact-changes", {"phone": new}, headers=auth)
    assert r.status_code == 202, r.text
    request_id = r.json()["request_id"]
    wrong = platform.post(f"/v1/me/contact-changes/{request_id}/verify", {"code": "000000"},
                          headers=auth)
    assert wrong.status_code in (200, 400)  # 200 only if the code really was 000000
    if wrong.status_code == 400:
        assert platform.get("/v1/me", headers=auth).json()["phone"] == e164(p)  # not yet
        code = platform.code_for("sms", "+62813" + p.card_number[-8:])
        ok = platform.post(f"/v1/me/contact-changes/{request_id}/verify", {"code": code},
                           headers=auth)
        assert ok.status_code == 200, ok.text
    assert platform.get("/v1/me", headers=auth).json()["phone"] == "+62813" + p.card_number[-8:]
    assert follow(platform, auth, request_id, "applied")["kind"] == "contact_change"
    login = platform.post("/v1/auth/token", {"username": new, "password": "rahasia2024"})
    assert login.status_code == 200
