"""The Indonesian NIK (Nomor Induk Kependudukan): PP RR DD ddmmyy ssss."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from services.membership.domain.errors import RuleViolation

# Kemendagri province codes, including the four Papuan provinces created in 2022
# (93 Papua Selatan, 94 Papua Tengah, 95 Papua Pegunungan, 96 Papua Barat Daya).
# A new province gets a new code, so extend this set rather than relaxing the check.
PROVINCE_CODES: frozenset[str] = frozenset(
    [str(c) for c in range(11, 20)]
    + ["21"]
    + [str(c) for c in range(31, 37)]
    + ["51", "52", "53"]
    + [str(c) for c in range(61, 66)]
    + [str(c) for c in range(71, 77)]
    + ["81", "82"]
    + [str(c) for c in range(91, 97)]
)

# Women's NIKs carry the day of birth plus 40 (Dukcapil convention).
FEMALE_DAY_OFFSET = 40

_SIXTEEN_DIGITS = re.compile(r"[0-9]{16}")


@dataclass(frozen=True)
class NikInfo:
    """What a valid NIK says about its holder."""

    nik: str
    province_code: str
    regency_code: str
    district_code: str
    birth_date: date
    sex: Literal["M", "F"]
    serial: str


def _violation(rule: str, reason_en: str, reason_id: str) -> RuleViolation:
    return RuleViolation("nik", rule, reason_en, reason_id)


def _check_region(nik: str) -> None:
    if nik[:2] not in PROVINCE_CODES:
        raise _violation(
            "nik_region_invalid",
            f"The NIK starts with province code {nik[:2]}, which does not exist. "
            "Please check the first two digits against your KTP.",
            f"NIK diawali kode provinsi {nik[:2]} yang tidak ada. "
            "Periksa kembali dua angka pertama sesuai KTP Anda.",
        )
    if nik[2:4] == "00":
        raise _violation(
            "nik_region_invalid",
            "The regency/city code in the NIK (digits 3-4) cannot be 00.",
            "Kode kabupaten/kota pada NIK (angka ke-3 dan ke-4) tidak boleh 00.",
        )
    if nik[4:6] == "00":
        raise _violation(
            "nik_region_invalid",
            "The district (kecamatan) code in the NIK (digits 5-6) cannot be 00.",
            "Kode kecamatan pada NIK (angka ke-5 dan ke-6) tidak boleh 00.",
        )


def _birth_date_error() -> RuleViolation:
    return _violation(
        "nik_birth_date_invalid",
        "The date of birth in the NIK (digits 7-12) is not a real date.",
        "Tanggal lahir pada NIK (angka ke-7 sampai ke-12) bukan tanggal yang benar.",
    )


def _date_or_none(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _birth_date(day: int, month: int, yy: int, today: date) -> date:
    # The NIK has a two-digit year: a date in this century that is not in the future wins,
    # otherwise the holder was born in the 1900s (so Feb 29 with yy=00 is valid: 2000 leaps).
    born = _date_or_none(2000 + yy, month, day)
    if born is None or born > today:
        born = _date_or_none(1900 + yy, month, day)
    if born is None or born > today:
        raise _birth_date_error()
    return born


def parse_nik(raw: str, today: date) -> NikInfo:
    """Validate a NIK and read its region, birth date, sex and serial."""
    nik = "".join(raw.split())
    if not _SIXTEEN_DIGITS.fullmatch(nik):
        raise _violation(
            "nik_format",
            "A NIK has exactly 16 digits. Please copy it from your KTP or family card (KK).",
            "NIK terdiri dari tepat 16 angka. Salin dari KTP atau Kartu Keluarga (KK) Anda.",
        )
    _check_region(nik)
    day, month, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    sex: Literal["M", "F"] = "M"
    if day > FEMALE_DAY_OFFSET:
        day, sex = day - FEMALE_DAY_OFFSET, "F"
    if not 1 <= day <= 31:
        raise _birth_date_error()
    born = _birth_date(day, month, yy, today)
    if nik[12:] == "0000":
        raise _violation(
            "nik_serial_invalid",
            "The last four digits of the NIK (the serial number) cannot be 0000.",
            "Empat angka terakhir NIK (nomor urut) tidak boleh 0000.",
        )
    return NikInfo(
        nik=nik,
        province_code=nik[:2],
        regency_code=nik[:4],
        district_code=nik[:6],
        birth_date=born,
        sex=sex,
        serial=nik[12:],
    )


def nik_matches_birth_date(info: NikInfo, birth_date: date) -> bool:
    """True when the NIK's day, month and two-digit year agree with the given birth date."""
    # Only two year digits are in the NIK, so a 1925/2025 pair cannot be told apart here.
    nb = info.birth_date
    return (nb.day, nb.month, nb.year % 100) == (
        birth_date.day,
        birth_date.month,
        birth_date.year % 100,
    )


def mask_nik(nik: str) -> str:
    """A NIK as family members see each other's: region and last four digits only."""
    return nik[:6] + "******" + nik[-4:]
