"""A phone taken by another account while its code was on the way: an expected unique
violation, answered 409. PostgreSQL's DETAIL for it names the phone, so this is also what makes
the run's log check (tests/e2e/conftest.py `log_check`) meaningful for the server log."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import take
from tests.e2e.members import PASSWORD, e164, logged_in

pytestmark = pytest.mark.e2e


def test_a_phone_taken_meanwhile_is_refused_and_the_old_one_kept(platform):
    first, second = take(), take()
    auth = logged_in(platform, first)
    phone = "0815" + second.card_number[-8:]
    to = "+62815" + second.card_number[-8:]
    r = platform.post("/v1/me/contact-changes", {"phone": phone}, headers=auth)
    assert r.status_code == 202, r.text
    change = r.json()["request_id"]
    code = platform.code_for("sms", to)

    # Someone else registers with that phone before the code is typed in.
    reg = platform.post("/v1/registrations", {
        "nik": second.nik, "full_name": second.full_name, "birth_date": str(second.birth_date),
        "phone": phone, "password": PASSWORD})
    assert reg.status_code == 201, reg.text
    v = platform.post(f"/v1/registrations/{reg.json()['registration_id']}/verify",
                      {"code": platform.code_for("sms", to, 2)})
    assert v.status_code == 200, v.text

    late = platform.post(f"/v1/me/contact-changes/{change}/verify", {"code": code},
                         headers=auth)
    assert late.status_code == 409, late.text
    assert late.json()["code"] == "phone_taken"
    assert late.json()["errors"][0]["field"] == "phone"
    assert platform.get("/v1/me", headers=auth).json()["phone"] == e164(first)
    login = platform.post("/v1/auth/token", {"username": phone, "password": PASSWORD})
    assert login.status_code == 200  # the phone is the second member's now
