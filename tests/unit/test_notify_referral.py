"""Notify's referral message: the number, hospital, poli and last day, in one GSM-7 segment."""

from __future__ import annotations

import pytest

from services.notify.domain.templates import render

WIDEST = {
    "referral_number": "187100031226P000001",
    "to_facility_name": "RS Khusus Jantung Permata Sejahtera Utama Kota Bandar Lampung",
    "poli_code": "JAN",
    "valid_through": "2027-03-01",
}


@pytest.mark.parametrize(
    ("locale", "text"),
    [
        ("id", "Rujukan JKN 187100031226P000001 ke RS Khusus"),
        ("en", "JKN referral 187100031226P000001 to RS Khusus"),
    ],
)
def test_the_referral_message_names_number_hospital_poli_and_last_day(locale, text):
    msg = render("referral_issued", WIDEST, locale, "sms", lambda _: "")
    assert msg.text.startswith(text)
    assert "JAN" in msg.text and ("1 Maret 2027" in msg.text or "1 March 2027" in msg.text)
    assert len(msg.text) <= 160 and msg.text.isascii()
