"""Identity corrections (name, birth date, NIK): the value must be one an officer's approval
can apply as it is, so it is checked when the member asks, not found wanting at approval."""

from __future__ import annotations

import re
from datetime import date

from services.membership.domain import nik
from services.membership.domain.errors import RuleViolation

# Letters (any script), spaces and the marks names carry: . , ' - and the curly apostrophe.
_NAME = re.compile(r"[^\W\d_]+(?:[ .,'\u2019\-]+[^\W\d_]*)*\.?")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
OLDEST_AGE_YEARS = 120


def _invalid(rule: str, en: str, id_: str) -> RuleViolation:
    return RuleViolation("value", rule, en, id_)


def _full_name(value: str) -> str:
    name = " ".join(value.split())
    if not _NAME.fullmatch(name):
        raise _invalid("name_invalid",
                       "A name has letters, spaces and . , ' - only, as on your KTP.",
                       "Nama hanya berisi huruf, spasi, dan . , ' - sesuai KTP.")
    return name


def _birth_date(value: str, today: date) -> str:
    try:
        born = date.fromisoformat(value) if _ISO_DATE.fullmatch(value) else None
    except ValueError:
        born = None
    if born is None:
        raise _invalid("birth_date_invalid", "Give a real date, written YYYY-MM-DD.",
                       "Isi tanggal yang benar, dengan format TTTT-BB-HH.")
    if born > today or today.year - born.year > OLDEST_AGE_YEARS:
        raise _invalid("birth_date_implausible",
                       f"A birth date is in the past and at most {OLDEST_AGE_YEARS} years ago.",
                       f"Tanggal lahir harus di masa lalu, paling lama {OLDEST_AGE_YEARS} "
                       "tahun yang lalu.")
    return born.isoformat()


def _nik(value: str, today: date) -> str:
    try:
        return nik.parse_nik(value, today).nik
    except RuleViolation as e:  # the same reasons, naming the field the member filled in
        raise _invalid(e.rule, e.reason_en, e.reason_id) from None


def corrected_value(field: str, value: str, today: date) -> str:
    """The value as the record will hold it; RuleViolation naming `value` when it cannot be."""
    if field == "full_name":
        return _full_name(value)
    if field == "birth_date":
        return _birth_date(value, today)
    return _nik(value, today)
