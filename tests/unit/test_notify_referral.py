"""Notify's referral message: the number, hospital, poli and last day, in one GSM-7 segment."""

from __future__ import annotations

import pytest

from services.notify.domain import sms
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


# The widest values referral publishes: 19-character numbers, 8-character facility codes, a
# three-digit queue number, the longest month name (September).
REFERRAL_EVENTS = {
    "referral_expired": ({"referral_number": "187100031226P000001", "expired_on": "2027-09-30"},
                         ("187100031226P000001", "30 September 2027")),
    "back_referral_issued": ({"number": "0001R0010927B000001", "to_facility": "0114G012",
                              "issued_on": "2027-09-30"},
                             ("0001R0010927B000001", "0114G012", "30 September 2027")),
    "control_letter_issued": ({"number": "0001R0010927K000001", "facility_code": "0001R001",
                               "poli_code": "JAN", "visit_on": "2027-09-30"},
                              ("0001R0010927K000001", "0001R001", "JAN", "30 September 2027")),
    "queue_booked": ({"booking_code": "0001R0013009A000123", "queue_number": 999,
                      "facility_code": "0001R001", "poli_code": "JAN",
                      "service_date": "2027-09-30",
                      "estimated_service_at": "2027-09-30T03:45:00+00:00"},
                     ("0001R0013009A000123", "999", "0001R001", "JAN", "30 September 2027",
                      "10:45 WIB")),
    "queue_booking_cancelled": ({"booking_code": "0001R0013009A000123"},
                                ("0001R0013009A000123",)),
}


@pytest.mark.parametrize("locale", ["id", "en"])
@pytest.mark.parametrize("template", sorted(REFERRAL_EVENTS))
def test_each_referral_event_message_fits_one_gsm7_segment_with_what_the_member_needs(
        template, locale):
    params, shown = REFERRAL_EVENTS[template]
    msg = render(template, params, locale, "sms", lambda _: "")
    assert all(value in msg.text for value in shown)
    assert sms.segments(msg.text) == ("gsm7", 1) and msg.text.isascii()
    assert msg.subject


@pytest.mark.parametrize("template", sorted(REFERRAL_EVENTS))
def test_the_two_languages_differ(template):
    params, _ = REFERRAL_EVENTS[template]
    texts = {render(template, params, lang, "sms", lambda _: "").text for lang in ("id", "en")}
    assert len(texts) == 2
