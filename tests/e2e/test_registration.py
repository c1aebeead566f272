"""The first member journey through the gateway: register, receive a code, verify, log in,
see the card. By email, and by SMS for a member with no email."""

from __future__ import annotations

import time
import uuid

import asyncpg
import pytest

pytestmark = pytest.mark.e2e

PASSWORD = "rahasia2024"


def registration(p, **contact) -> dict:
    return {"nik": p.nik, "full_name": p.full_name.upper(), "birth_date": str(p.birth_date),
            "password": PASSWORD, **contact}


def email_of(p) -> str:
    return f"{p.card_number}@example.org"


def phone_of(p) -> str:
    return "0812" + p.card_number[-8:]


def e164(p) -> str:
    return "+62812" + p.card_number[-8:]


def login(platform, username: str, password: str = PASSWORD):
    return platform.post("/v1/auth/token", {"username": username, "password": password})


def test_register_by_email_verify_login_and_see_my_card(platform, person):
    r = platform.post("/v1/registrations", registration(person, email=email_of(person),
                                                        phone=phone_of(person)))
    assert r.status_code == 201, r.text
    reg = r.json()
    assert reg["channel"] == "email" and "@" in reg["destination"]
    assert email_of(person) != reg["destination"]  # masked

    code = platform.code_for("mail", email_of(person))
    v = platform.post(f"/v1/registrations/{reg['registration_id']}/verify", {"code": code})
    assert v.status_code == 200, v.text
    assert v.json()["card_number"] == person.card_number

    for username in (email_of(person), phone_of(person), person.card_number, person.nik):
        t = login(platform, username)
        assert t.status_code == 200, (username, t.text)
    tokens = t.json()
    me = platform.get("/v1/me", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert me.status_code == 200, me.text
    card = me.json()
    assert card["card_number"] == person.card_number
    assert card["full_name"] == person.full_name
    assert card["segment"] == person.segment and card["class"] == person.care_class
    assert card["fktp"]["code"] == person.fktp_code
    assert card["coverage_status"] == person.coverage
    # The welcome message follows the activation, on the same channel.
    welcome = platform.wait_messages("mail", email_of(person), 2)[1]
    assert person.card_number in welcome["text"]


def test_a_member_without_email_registers_by_sms(platform, person):
    r = platform.post("/v1/registrations", registration(person, phone=phone_of(person),
                                                        locale="en"))
    assert r.status_code == 201, r.text
    assert r.json()["channel"] == "sms"
    sms = platform.wait_messages("sms", e164(person))[0]
    assert "verification code" in sms["text"]  # English on request
    code = platform.code_for("sms", e164(person))
    v = platform.post(f"/v1/registrations/{r.json()['registration_id']}/verify", {"code": code})
    assert v.status_code == 200, v.text
    assert login(platform, phone_of(person)).status_code == 200
    assert login(platform, phone_of(person), "wrong-password1").status_code == 401


def test_a_duplicate_registration_is_refused(platform, person):
    body = registration(person, phone=phone_of(person))
    r = platform.post("/v1/registrations", body)
    code = platform.code_for("sms", e164(person))
    platform.post(f"/v1/registrations/{r.json()['registration_id']}/verify", {"code": code})
    again = platform.post("/v1/registrations", body)
    assert again.status_code == 409
    assert again.headers["content-type"] == "application/problem+json"
    assert again.json()["code"] == "account_exists"
    assert again.json()["errors"][0]["field"] == "nik"


def test_five_wrong_codes_lock_until_a_new_code_is_sent(platform, person):
    r = platform.post("/v1/registrations", registration(person, phone=phone_of(person)))
    reg_id = r.json()["registration_id"]
    right = platform.code_for("sms", e164(person))
    wrong = "000000" if right != "000000" else "111111"
    for left in (4, 3, 2, 1):
        w = platform.post(f"/v1/registrations/{reg_id}/verify", {"code": wrong})
        assert w.status_code == 400 and w.json()["attempts_left"] == left
    assert platform.post(f"/v1/registrations/{reg_id}/verify",
                         {"code": wrong}).status_code == 423
    locked = platform.post(f"/v1/registrations/{reg_id}/verify", {"code": right})
    assert locked.status_code == 423  # even the right code, until a new one is sent

    too_soon = platform.post(f"/v1/registrations/{reg_id}/resend")
    assert too_soon.status_code == 429 and int(too_soon.headers["Retry-After"]) > 0
    platform.shift_clock("membership", 61)
    try:
        assert platform.post(f"/v1/registrations/{reg_id}/resend").status_code == 200
        fresh = platform.code_for("sms", e164(person), 2)
        v = platform.post(f"/v1/registrations/{reg_id}/verify", {"code": fresh})
        assert v.status_code == 200, v.text
    finally:
        platform.shift_clock("membership", 0)


def _active(platform, person) -> None:
    r = platform.post("/v1/registrations", registration(person, phone=phone_of(person)))
    code = platform.code_for("sms", e164(person))
    platform.post(f"/v1/registrations/{r.json()['registration_id']}/verify", {"code": code})


def test_a_reused_refresh_token_is_refused_and_ends_the_login(platform, person):
    _active(platform, person)
    first = login(platform, person.nik).json()
    second = platform.post("/v1/auth/refresh", {"refresh_token": first["refresh_token"]})
    assert second.status_code == 200
    # A retry after a dropped answer (within the grace) gets the same pair, nothing ends.
    retry = platform.post("/v1/auth/refresh", {"refresh_token": first["refresh_token"]})
    assert retry.status_code == 200 and retry.json() == second.json()
    platform.shift_clock("membership", 31)
    try:
        reused = platform.post("/v1/auth/refresh", {"refresh_token": first["refresh_token"]})
        assert reused.status_code == 401 and reused.json()["code"] == "refresh_token_reused"
        # The thief's replay also ended the rightful holder's newer token, and its access token.
        third = platform.post("/v1/auth/refresh",
                              {"refresh_token": second.json()["refresh_token"]})
        assert third.status_code == 401
        auth = {"Authorization": f"Bearer {second.json()['access_token']}"}
        deadline = time.monotonic() + 10
        while (me := platform.get("/v1/me", headers=auth)).status_code == 200:
            assert time.monotonic() < deadline, "access token still works after 10 s"
            time.sleep(0.2)
        assert me.status_code == 401 and me.json()["code"] == "token_revoked"
    finally:
        platform.shift_clock("membership", 0)


def test_wrong_passwords_pause_logins_and_the_member_is_told_by_sms(platform, person):
    _active(platform, person)
    for _ in range(5):
        assert login(platform, person.nik, "wrong-password1").status_code == 401
    waiting = login(platform, person.nik)
    assert waiting.status_code == 429 and waiting.headers["retry-after"]
    # After the code and the welcome: the notice, on the member's own channel.
    told = platform.wait_messages("sms", e164(person), 3)[2]["text"]
    assert "kata sandi salah 5 kali" in told
    assert person.nik not in told and "wrong-password1" not in told


def test_unknown_person_and_bad_input_answer_problems_naming_the_field(platform, person):
    bad = platform.post("/v1/registrations", {**registration(person, phone=phone_of(person)),
                                              "nik": "1234"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "nik"
    none = platform.post("/v1/registrations", registration(person))
    assert {e["field"] for e in none.json()["errors"]} == {"email", "phone"}
    stranger = platform.post("/v1/registrations", {
        **registration(person, phone=phone_of(person)), "full_name": "Nama Lain Sekali"})
    assert stranger.status_code == 422 and stranger.json()["code"] == "participant_not_found"
    missing = platform.post("/v1/registrations", {"nik": person.nik})
    assert missing.status_code == 422
    assert {"full_name", "birth_date", "password"} <= {e["field"] for e in missing.json()["errors"]}


async def test_a_retried_registration_with_the_same_key_sends_one_code(platform, person):
    key = uuid.uuid4().hex
    body = registration(person, phone=phone_of(person))
    first = platform.post("/v1/registrations", body, headers={"Idempotency-Key": key})
    retry = platform.post("/v1/registrations", body, headers={"Idempotency-Key": key})
    assert first.status_code == retry.status_code == 201
    assert first.json() == retry.json()
    platform.wait_messages("sms", e164(person))
    conn = await asyncpg.connect(platform.dsn("membership"))
    try:
        assert await conn.fetchval(
            "SELECT count(*) FROM registrations r JOIN participants p USING (member_id)"
            " WHERE p.nik = $1", person.nik) == 1
    finally:
        await conn.close()


def test_gateway_is_ready_and_names_every_service(platform):
    ready = platform.get("/readyz")
    assert ready.status_code == 200, ready.text
    assert ready.json()["status"] == "ready"
    assert ready.json()["services"] == dict.fromkeys(
        ("membership", "billing", "referral", "notify"), "ready")
