"""The programme's 19-character document numbers: referrals, control letters, bookings, visits.

Format, as VClaim numbers its documents (`0301R0010323K000008`, `0050B1070223P000004`):

    FFFFFFFF MMYY K NNNNNN
    |        |    | +-- sequence, 6 digits, 000001-999999, per (facility, kind, month)
    |        |    +---- kind letter (below)
    |        +--------- month and two-digit year of issue (WIB)
    +------------------ the issuing facility's 8-character code (digits and capitals)

Kinds: P referral from an FKTP (as PCare numbers them), B back-referral (rujuk balik, PRB),
K control letter (surat kontrol, as VClaim), A queue booking (antrean), V visit (as VClaim's SEP).
The number is unique while the store hands out each sequence once per (facility, kind, month);
the two-digit year repeats after a century, which a 90-day document never sees.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from services.referral.domain.refusals import invalid

SEQUENCE_MAX = 999_999
LENGTH = 19
_FACILITY = re.compile(r"[0-9A-Z]{8}")
_NUMBER = re.compile(r"([0-9A-Z]{8})(0[1-9]|1[0-2])([0-9]{2})([PBKAV])([0-9]{6})")


class Kind(StrEnum):
    """What a document number numbers: its 13th character."""

    REFERRAL = "P"
    BACK_REFERRAL = "B"
    CONTROL_LETTER = "K"
    BOOKING = "A"
    VISIT = "V"


@dataclass(frozen=True, slots=True)
class DocumentNumber:
    """A parsed number: issuer, the month of issue (as its 1st), kind and sequence."""

    facility_code: str
    month: date
    kind: Kind
    sequence: int

    def __str__(self) -> str:
        return f"{self.facility_code}{self.month:%m%y}{self.kind.value}{self.sequence:06d}"


def document_number(facility_code: str, issued_on: date, kind: Kind, sequence: int) -> str:
    """The number of the sequence-th document of a kind a facility issued in a month."""
    if not _FACILITY.fullmatch(facility_code):
        raise ValueError("a facility code is 8 digits or capital letters")
    if not 1 <= sequence <= SEQUENCE_MAX:
        raise ValueError(f"sequence must be 1 to {SEQUENCE_MAX}")
    return str(DocumentNumber(facility_code, issued_on.replace(day=1), Kind(kind), sequence))


def parse_document_number(
    raw: str, expected: Kind | None = None, field: str = "referral_number"
) -> DocumentNumber:
    """A number's parts; InvalidInput naming `field` for a wrong form or another kind."""
    m = _NUMBER.fullmatch(raw.strip().upper())
    if m is None or int(m.group(5)) == 0:
        raise invalid(
            field,
            "invalid_document_number",
            "A document number is 19 characters: facility code, month and year, a letter, "
            "and 6 digits.",
            "Nomor dokumen terdiri dari 19 karakter: kode faskes, bulan dan tahun, satu huruf, "
            "dan 6 angka.",
        )
    facility, month, year, kind, sequence = m.groups()
    month_of_issue = date(2000 + int(year), int(month), 1)
    parsed = DocumentNumber(facility, month_of_issue, Kind(kind), int(sequence))
    if expected is not None and parsed.kind is not expected:
        raise invalid(
            field,
            "wrong_document_kind",
            f"This is not a {expected.name.lower().replace('_', ' ')} number.",
            "Nomor ini bukan untuk jenis dokumen yang diminta.",
        )
    return parsed
