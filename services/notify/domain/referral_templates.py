"""The referral messages (issues 17, 18): a referral issued or expired, a back-referral, a control
letter, a queue booking made or cancelled. Notify knows no facility names but a referral's
(ReferralIssued carries it); the others show the facility code, as the app does.

Each fits one GSM-7 SMS segment with the widest values (19-character numbers, a long hospital
name): plain ASCII, the date with the month spelt out as the premium messages write it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from services.notify.domain.billing_templates import day
from services.notify.domain.message import WIB, Message


def referral_issued(p: dict, lang: str) -> Message:
    """The FKTP referred the member: the number to show, the hospital, poli and last day."""
    number, to, poli = p["referral_number"], p["to_facility_name"][:48], p["poli_code"]
    until = day(p["valid_through"], lang)
    if lang == "en":
        return Message("Your JKN referral",
                       f"JKN referral {number} to {to}, poli {poli}, valid until {until}.")
    return Message("Rujukan JKN Anda",
                   f"Rujukan JKN {number} ke {to}, poli {poli}, berlaku s.d. {until}.")


def _wib_time(iso: str) -> str:
    return datetime.fromisoformat(iso).astimezone(WIB).strftime("%H:%M")


def _in(lang: str, *, en: Message, id_: Message) -> Message:
    """The member's language of the two texts."""
    return en if lang == "en" else id_


def referral_expired(p: dict, lang: str) -> Message:
    """The referral lapsed: another hospital visit needs a new one from the FKTP."""
    number, since = p["referral_number"], day(p["expired_on"], lang)
    return _in(
        lang,
        en=Message("Your JKN referral has expired",
                   f"JKN referral {number} is no longer valid from {since}. For another "
                   "hospital visit, ask your FKTP for a new referral."),
        id_=Message("Rujukan JKN Anda berakhir",
                    f"Rujukan JKN {number} tidak berlaku lagi sejak {since}. Untuk berobat "
                    "lagi ke rumah sakit, minta rujukan baru di FKTP Anda."))


def back_referral_issued(p: dict, lang: str) -> Message:
    """The hospital handed the member back to primary care (PRB): where to continue, from when."""
    number, to, since = p["number"], p["to_facility"], day(p["issued_on"], lang)
    return _in(
        lang,
        en=Message("Your JKN back-referral (PRB)",
                   f"JKN back-referral (PRB) {number}: continue your treatment at FKTP {to} "
                   f"from {since}."),
        id_=Message("Rujuk balik (PRB) JKN Anda",
                    f"Rujuk balik (PRB) JKN {number}: lanjutkan pengobatan Anda di FKTP {to} "
                    f"mulai {since}."))


def control_letter_issued(p: dict, lang: str) -> Message:
    """A repeat visit booked by the hospital: the letter to show, where and on which day."""
    number, poli, at = p["number"], p["poli_code"], p["facility_code"]
    on = day(p["visit_on"], lang)
    return _in(
        lang,
        en=Message("Your JKN control letter",
                   f"JKN control letter {number}: follow-up visit at {at}, poli {poli}, "
                   f"on {on}."),
        id_=Message("Surat kontrol JKN Anda",
                    f"Surat kontrol JKN {number}: kontrol ke {at}, poli {poli}, pada {on}."))


def queue_booked(p: dict, lang: str) -> Message:
    """The booked slot: its code, the number, where and roughly when to be there."""
    code, n, poli, at = p["booking_code"], p["queue_number"], p["poli_code"], p["facility_code"]
    on, around = day(p["service_date"], lang), _wib_time(p["estimated_service_at"])
    return _in(
        lang,
        en=Message("Your JKN queue booking",
                   f"JKN queue {code}: number {n}, poli {poli} at {at}, {on} around "
                   f"{around} WIB."),
        id_=Message("Antrean JKN Anda",
                    f"Antrean JKN {code}: nomor {n}, poli {poli} di {at}, {on} sekitar "
                    f"{around} WIB."))


def queue_booking_cancelled(p: dict, lang: str) -> Message:
    """The slot is gone. The reason is the facility's free text (any length, any script), so
    the message leaves it out: the app shows it."""
    code = p["booking_code"]
    return _in(
        lang,
        en=Message("Your JKN queue booking was cancelled",
                   f"Your JKN queue booking {code} was cancelled. Book again in the Mobile "
                   "JKN app if you still need the visit."),
        id_=Message("Antrean JKN Anda dibatalkan",
                    f"Antrean JKN {code} dibatalkan. Daftar ulang lewat aplikasi Mobile JKN "
                    "bila masih perlu berobat."))


TEMPLATES: dict[str, Callable[[dict, str], Message]] = {
    "referral_issued": referral_issued,
    "referral_expired": referral_expired,
    "back_referral_issued": back_referral_issued,
    "control_letter_issued": control_letter_issued,
    "queue_booked": queue_booked,
    "queue_booking_cancelled": queue_booking_cancelled,
}
