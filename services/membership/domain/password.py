"""Password rules for member accounts, with messages a first-time smartphone user can follow."""

from __future__ import annotations

from datetime import date

from services.membership.domain.errors import RuleViolation
from services.membership.domain.rules import PASSWORD_MAX, PASSWORD_MIN


def _violation(rule: str, reason_en: str, reason_id: str) -> RuleViolation:
    return RuleViolation("password", rule, reason_en, reason_id)


def check_password(
    password: str, *, nik: str | None = None, birth_date: date | None = None
) -> None:
    """Raise RuleViolation when a password is too short, too long, too weak or personal."""
    if len(password) < PASSWORD_MIN:
        raise _violation(
            "password_too_short",
            f"Your password needs at least {PASSWORD_MIN} characters. "
            "A short sentence you can remember works well.",
            f"Kata sandi minimal {PASSWORD_MIN} karakter. "
            "Kalimat pendek yang mudah Anda ingat bisa dipakai.",
        )
    if len(password) > PASSWORD_MAX:
        raise _violation(
            "password_too_long",
            f"Your password can have at most {PASSWORD_MAX} characters.",
            f"Kata sandi maksimal {PASSWORD_MAX} karakter.",
        )
    if not any(c.isalpha() for c in password) or not any(c.isdecimal() for c in password):
        raise _violation(
            "password_too_weak",
            "Please use both letters and numbers in your password, for example melati2024.",
            "Gunakan huruf dan angka dalam kata sandi, misalnya melati2024.",
        )
    # The NIK and birth date are printed on the KTP and known to family and staff, so a
    # password built on them is guessable by exactly the people nearest the member.
    compact = "".join(password.split())
    personal = ["".join(nik.split())] if nik else []
    if birth_date is not None:
        personal.append(f"{birth_date.day:02d}{birth_date.month:02d}{birth_date.year:04d}")
    if any(item and item in compact for item in personal):
        raise _violation(
            "password_personal",
            "Please do not use your NIK or your date of birth in your password: "
            "other people can see them on your KTP.",
            "Jangan gunakan NIK atau tanggal lahir Anda dalam kata sandi, "
            "karena orang lain dapat melihatnya di KTP Anda.",
        )
