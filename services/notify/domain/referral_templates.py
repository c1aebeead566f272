"""The referral messages (issue 18): a referral issued to the member, where to and until when.

One GSM-7 SMS segment with the widest values (19-character number, a long hospital name): plain
ASCII, the date with the month spelt out as the premium messages write it.
"""

from __future__ import annotations

from collections.abc import Callable

from services.notify.domain.billing_templates import day
from services.notify.domain.message import Message


def referral_issued(p: dict, lang: str) -> Message:
    """The FKTP referred the member: the number to show, the hospital, poli and last day."""
    number, to, poli = p["referral_number"], p["to_facility_name"][:48], p["poli_code"]
    until = day(p["valid_through"], lang)
    if lang == "en":
        return Message("Your JKN referral",
                       f"JKN referral {number} to {to}, poli {poli}, valid until {until}.")
    return Message("Rujukan JKN Anda",
                   f"Rujukan JKN {number} ke {to}, poli {poli}, berlaku s.d. {until}.")


TEMPLATES: dict[str, Callable[[dict, str], Message]] = {"referral_issued": referral_issued}
