"""The programme's poli codes (three letters, as VClaim's `ref/poli` lists them) and their check.

A small reference table, not the full national list: the common specialist clinics of a
hospital, and primary care's general, dental and maternal-child polis under the three-letter
codes UMU, GIG and KIA (PCare numbers these 001-003; one code family keeps bookings uniform).
Adding a poli is adding a row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from services.referral.domain.refusals import invalid, refused

Level = Literal["fktp", "fkrtl"]


@dataclass(frozen=True, slots=True)
class Poli:
    """A clinic (poli) by its programme code, with its names and the level that runs it."""

    code: str
    name_id: str
    name_en: str
    level: Level


_ROWS: tuple[Poli, ...] = (
    # Primary care (FKTP): general practice, dentistry, maternal and child health.
    Poli("UMU", "Poli Umum", "General practice", "fktp"),
    Poli("GIG", "Poli Gigi", "Dentistry", "fktp"),
    Poli("KIA", "Poli KIA", "Maternal and child health", "fktp"),
    # Hospital (FKRTL) specialist clinics.
    Poli("INT", "Penyakit Dalam", "Internal medicine", "fkrtl"),
    Poli("ANA", "Anak", "Paediatrics", "fkrtl"),
    Poli("OBG", "Obstetri dan Ginekologi", "Obstetrics and gynaecology", "fkrtl"),
    Poli("BED", "Bedah", "Surgery", "fkrtl"),
    Poli("MAT", "Mata", "Ophthalmology", "fkrtl"),
    Poli("THT", "Telinga Hidung Tenggorokan", "Ear, nose and throat", "fkrtl"),
    Poli("JAN", "Jantung dan Pembuluh Darah", "Cardiology", "fkrtl"),
    Poli("SAR", "Saraf", "Neurology", "fkrtl"),
    Poli("KLT", "Kulit dan Kelamin", "Dermatology and venereology", "fkrtl"),
    Poli("PAR", "Paru", "Pulmonology", "fkrtl"),
    Poli("JIW", "Jiwa", "Psychiatry", "fkrtl"),
    Poli("ORT", "Orthopedi dan Traumatologi", "Orthopaedics", "fkrtl"),
    Poli("URO", "Urologi", "Urology", "fkrtl"),
    Poli("BSY", "Bedah Saraf", "Neurosurgery", "fkrtl"),
    Poli("IRM", "Rehabilitasi Medik", "Physical medicine and rehabilitation", "fkrtl"),
)
POLIS: dict[str, Poli] = {p.code: p for p in _ROWS}

_FORM = re.compile(r"[A-Z]{3}")


def normalise_poli_code(raw: str) -> str:
    """A poli code as stored: surrounding spaces dropped, upper case (members type `int`)."""
    return raw.strip().upper()


def poli_name(code: str) -> str:
    """The poli as a member reads it (Poli Umum, Penyakit Dalam); an unlisted code as itself."""
    poli = POLIS.get(code)
    return poli.name_id if poli else code


def check_poli_code(raw: str, field: str = "poli_code") -> Poli:
    """The poli a code names; InvalidInput naming `field` for a wrong form or an unknown code."""
    code = normalise_poli_code(raw)
    if not _FORM.fullmatch(code):
        raise invalid(
            field,
            "invalid_poli_code",
            "A poli code is three letters, such as INT.",
            "Kode poli terdiri dari tiga huruf, misalnya INT.",
        )
    poli = POLIS.get(code)
    if poli is None:
        raise invalid(
            field,
            "unknown_poli_code",
            "This poli code is not in the programme's list.",
            "Kode poli ini tidak ada dalam daftar program.",
        )
    return poli


def check_poli_at(poli_code: str, offered: frozenset[str], field: str = "poli_code") -> Poli:
    """The poli, if the facility offers it; RuleViolated naming `field` if it does not."""
    poli = check_poli_code(poli_code, field)
    if poli.code not in offered:
        raise refused(
            field,
            "poli_not_offered",
            "The facility has no such poli.",
            "Fasilitas kesehatan ini tidak memiliki poli tersebut.",
        )
    return poli
