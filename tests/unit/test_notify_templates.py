"""Templates: the member's language, only the personal data needed, codes in one SMS segment."""

from __future__ import annotations

import re

import pytest

from services.notify.domain.sms import segments
from services.notify.domain.templates import (
    PURPOSES,
    language,
    mask_nik,
    render,
)

NIK = "3171234567890123"
LONGEST_CODE = "99999999"  # membership issues 6 digits; 8 leaves room for a longer code
LATE = "2026-12-01T16:59:00+00:00"  # 23:59 WIB: the widest time the texts show


def reveal(_: str) -> str:
    return LONGEST_CODE


def no_secret(_: str) -> str:
    raise AssertionError("this template holds no secret")


@pytest.mark.parametrize(("locale", "lang"), [
    ("id", "id"), ("en", "en"), ("EN", "en"), ("en-US", "en"), ("id-ID", "id"), ("fr", "id"),
    ("", "id"), (None, "id"),
])
def test_english_when_asked_for_indonesian_otherwise(locale, lang):
    assert language(locale) == lang


@pytest.mark.parametrize(("nik", "masked"), [
    (NIK, "************0123"),
    ("3171 2345 6789 0123", "************0123"),
    ("12345", "*2345"),
    ("1234", "****"),
    ("1", "*"),
    ("", ""),
])
def test_a_nik_shows_at_most_its_last_four_digits(nik, masked):
    assert mask_nik(nik) == masked
    assert sum(c.isdigit() for c in mask_nik(nik)) <= 4


@pytest.mark.parametrize("locale", ["id", "en"])
@pytest.mark.parametrize("purpose", sorted(PURPOSES))
def test_every_security_code_text_fits_one_gsm7_segment(purpose, locale):
    params = {"code_sealed": "S", "expires_at": LATE, "purpose": purpose}
    msg = render("security_code", params, locale, "sms", reveal)
    assert LONGEST_CODE in msg.text and "23:59 WIB" in msg.text
    assert segments(msg.text) == ("gsm7", 1)


@pytest.mark.parametrize("locale", ["id", "en"])
def test_a_kiosk_consent_code_says_whom_to_give_it_to(locale):
    """The one code a member gives to staff: the text names the officer at the counter, and
    a security code still says never to give it to anyone."""
    params = {"code_sealed": "S", "expires_at": LATE}
    consent = render("security_code", {**params, "purpose": "assisted_session"}, locale, "sms",
                     reveal).text
    login = render("security_code", {**params, "purpose": "login"}, locale, "sms", reveal).text
    assert ("officer serving you" if locale == "en" else "petugas yang sedang melayani") in consent
    assert ("Never share" if locale == "en" else "JANGAN") in login
    assert ("Never share" if locale == "en" else "JANGAN") not in consent


@pytest.mark.parametrize("locale", ["id", "en"])
def test_the_registration_code_sms_fits_one_gsm7_segment(locale):
    params = {"full_name": "Siti Nurhaliza binti Muhammad Abdurrahman Wahid", "code_sealed": "S",
              "expires_at": LATE}
    msg = render("verification_code", params, locale, "sms", reveal)
    assert LONGEST_CODE in msg.text and "Siti" not in msg.text
    assert segments(msg.text) == ("gsm7", 1)


def test_the_security_code_speaks_the_members_language():
    params = {"code_sealed": "S", "expires_at": LATE, "purpose": "login"}
    assert render("security_code", params, "en", "sms", reveal).text.startswith("JKN login code")
    assert render("security_code", params, "id", "sms", reveal).text.startswith("Kode masuk JKN")


@pytest.mark.parametrize("locale", ["id", "en"])
def test_the_inbox_copy_of_a_code_says_where_it_went_but_never_the_code(locale):
    params = {"purpose": "password_reset", "destination_masked": "+62812****7890",
              "sent_at": LATE, "code_sealed": "S"}
    msg = render("security_code_notice", params, locale, "inbox", no_secret)
    assert "+62812****7890" in msg.text and "01-12-2026 23:59 WIB" in msg.text
    assert LONGEST_CODE not in msg.text and "165" in msg.text


@pytest.mark.parametrize("locale", ["id", "en"])
def test_a_referral_names_the_patient_by_masked_nik_only(locale):
    params = {"nik": NIK, "facility_name": "RSUD Tarakan", "valid_until": "2027-02-28"}
    msg = render("referral", params, locale, "push", no_secret)
    assert "************0123" in msg.text and "RSUD Tarakan" in msg.text
    assert "2027-02-28" in msg.text and NIK not in msg.text


def test_queue_calls_say_the_number_and_where_to_go():
    params = {"queue_number": "A-012", "facility_name": "Puskesmas Menteng", "counter": "Poli Umum"}
    en = render("queue_call", params, "en", "push", no_secret)
    id_ = render("queue_call", params, "id", "push", no_secret)
    assert en.text == "Queue A-012: your turn now at Puskesmas Menteng, Poli Umum."
    assert id_.text == "Antrean A-012: giliran Anda di Puskesmas Menteng, Poli Umum."


@pytest.mark.parametrize(("locale", "params", "text"), [
    ("id", {"unpaid_months": 3, "amount": 1250000},
     "Iuran JKN keluarga Anda belum dibayar 3 bulan (Rp1.250.000)."),
    ("en", {"unpaid_months": 3, "amount": 1250000},
     "Your family's JKN premium is unpaid for 3 month(s) (IDR 1,250,000)."),
    ("id", {"unpaid_months": 1}, "Iuran JKN keluarga Anda belum dibayar 1 bulan."),
    ("en", {"unpaid_months": 1, "amount": None},
     "Your family's JKN premium is unpaid for 1 month(s)."),
    ("id", {"unpaid_months": 0}, "Iuran JKN keluarga Anda sudah lunas."),
    ("en", {"unpaid_months": 0, "amount": 0}, "Your family's JKN premium is paid up."),
])
def test_billing_tells_the_unpaid_months_and_the_amount_in_the_local_format(locale, params, text):
    assert render("billing", params, locale, "chat", no_secret).text == text


SIXTEEN_DIGITS = re.compile(r"\d{16}")
ALL = {
    "security_code": {"code_sealed": "S", "expires_at": LATE, "purpose": "login", "nik": NIK},
    "security_code_notice": {"purpose": "login", "destination_masked": "a***@x.test",
                             "sent_at": LATE, "nik": NIK},
    "queue_call": {"queue_number": "B-7", "facility_name": "Klinik", "counter": "Gigi", "nik": NIK},
    "billing": {"unpaid_months": 2, "amount": 70000, "nik": NIK},
    "referral": {"nik": NIK, "facility_name": "RS", "valid_until": "2027-01-31"},
}


@pytest.mark.parametrize("locale", ["id", "en"])
@pytest.mark.parametrize("template", sorted(ALL))
def test_no_new_template_ever_shows_a_full_nik(template, locale):
    msg = render(template, ALL[template], locale, "email", reveal)
    assert not SIXTEEN_DIGITS.search(msg.subject + msg.text)
    assert msg.subject and msg.text
