"""ICD-10 diagnosis codes as a referral carries them (VClaim `diagRujukan`, R20): form only.

Accepted grammar, after normalisation (WHO ICD-10, 2019 edition):
    code     = category [ "." subcode ]
    category = letter digit digit          e.g. A09, J06, U07
    letter   = "A".."Z"                    U included: WHO reserves it for special purposes
                                           (U07.1 COVID-19), and the programme uses them
    subcode  = digit [ digit ]             the 4th character, and the optional 5th character
                                           WHO defines for some chapters (M25.56, S72.00)
Letters after the dot (ICD-10-CM's 7th characters, `S72.001A`) and the dagger/asterisk marks
are not part of WHO ICD-10 and are refused. Whether a code exists in the classification is the
reference table's question (VClaim `referensi/diagnosa`), not this module's.

Normalisation: spaces around are dropped, letters upper-cased, and a dot is inserted after the
category when a clerk types it without one ("j069" -> "J06.9", "M2556" -> "M25.56").
"""

from __future__ import annotations

import re

from services.referral.domain.refusals import invalid

_WITH_DOT = re.compile(r"[A-Z][0-9]{2}(?:\.[0-9]{1,2})?")
_WITHOUT_DOT = re.compile(r"[A-Z][0-9]{2}[0-9]{1,2}")


def normalise_icd10(raw: str) -> str:
    """The stored form of a code: upper case, a dot after the category (no validation)."""
    code = raw.strip().upper()
    if _WITHOUT_DOT.fullmatch(code):
        return f"{code[:3]}.{code[3:]}"
    return code


def is_icd10(raw: str) -> bool:
    """True when the code, once normalised, has the accepted form."""
    return _WITH_DOT.fullmatch(normalise_icd10(raw)) is not None


def check_icd10(raw: str, field: str = "diagnosis") -> str:
    """The normalised code; InvalidInput naming `field` when its form is wrong."""
    code = normalise_icd10(raw)
    if not _WITH_DOT.fullmatch(code):
        raise invalid(
            field,
            "invalid_icd10",
            "A diagnosis is an ICD-10 code: a letter, two digits, then optionally a dot and one "
            "or two digits (J06.9).",
            "Diagnosis berupa kode ICD-10: satu huruf, dua angka, lalu boleh titik dan satu atau "
            "dua angka (J06.9).",
        )
    return code
