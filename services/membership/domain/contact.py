"""Phone numbers, email addresses and login names as members actually type them."""

from __future__ import annotations

import re
from typing import Literal

from services.membership.domain.errors import RuleViolation

# Indonesian mobile numbers: after +62 the national number starts with 8 and has 9 to 12
# digits (08xx-xxx-xxx up to 08xx-xxxx-xxxxx).
_MOBILE_NSN = re.compile(r"8[0-9]{8,11}")
# Separators people put in numbers: spaces, dashes, dots, brackets, e.g. "+62 (0)812-3456.7890".
_PHONE_SEPARATORS = re.compile(r"[\s\-.()]")
_DIGITS = re.compile(r"[0-9]+")
# Pragmatic rather than RFC 5322: one @, printable local part, dotted ASCII (or punycode)
# domain whose labels have at most 63 characters (RFC 1035).
_LOCAL = re.compile(r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_DOMAIN = re.compile(r"([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?")
EMAIL_MAX = 254  # RFC 5321 path limit
LOCAL_MAX = 64  # RFC 5321 local-part limit
NIK_LENGTH = 16
CARD_LENGTH = 13  # the JKN card number (noka), e.g. 0001944358911

UsernameKind = Literal["nik", "card", "email", "phone"]


def _phone_error() -> RuleViolation:
    return RuleViolation(
        "phone",
        "phone_invalid",
        "Please enter an Indonesian mobile number, for example 0812 3456 7890.",
        "Masukkan nomor HP Indonesia, misalnya 0812 3456 7890.",
    )


def _email_error() -> RuleViolation:
    return RuleViolation(
        "email",
        "email_invalid",
        "Please enter a valid email address, for example nama@contoh.com.",
        "Masukkan alamat email yang benar, misalnya nama@contoh.com.",
    )


def normalize_phone(raw: str) -> str:
    """Turn an Indonesian mobile number in any common notation into E.164 (+628...)."""
    s = _PHONE_SEPARATORS.sub("", raw.strip())
    if s.startswith("+62"):
        s = s[3:]
    elif s.startswith("0062"):
        s = s[4:]
    elif s.startswith("62"):
        s = s[2:]
    # A trunk 0 after the country code ("+62 0812...", "+62 (0)812...") is a common slip.
    if s.startswith("0"):
        s = s[1:]
    if not _MOBILE_NSN.fullmatch(s):
        raise _phone_error()
    return "+62" + s


def normalize_email(raw: str) -> str:
    """Trim and lowercase an email address after a sanity check of its syntax."""
    # Lowercasing the local part too is a deliberate simplification: no mainstream provider
    # treats it case-sensitively, and one account per address needs one spelling.
    s = raw.strip().lower()
    if len(s) > EMAIL_MAX or s.count("@") != 1:
        raise _email_error()
    local, domain = s.split("@")
    if len(local) > LOCAL_MAX or not _LOCAL.fullmatch(local) or not _DOMAIN.fullmatch(domain):
        raise _email_error()
    return s


def classify_username(raw: str) -> tuple[UsernameKind, str]:
    """Tell whether a login name is a NIK, a JKN card number, an email or a phone number."""
    s = raw.strip()
    if "@" in s:
        try:
            return "email", normalize_email(s)
        except RuleViolation:
            raise _username_error() from None
    compact = _PHONE_SEPARATORS.sub("", s)
    if _DIGITS.fullmatch(compact):
        if len(compact) == NIK_LENGTH:
            return "nik", compact
        # A 13-digit phone ("0812..." with a 12-digit number, "628..." with 11) never looks
        # like a card number, which starts 000; those go on to the phone check.
        if len(compact) == CARD_LENGTH and not compact.startswith(("08", "628")):
            return "card", compact
    try:
        return "phone", normalize_phone(s)
    except RuleViolation:
        raise _username_error() from None


def _username_error() -> RuleViolation:
    return RuleViolation(
        "username",
        "username_invalid",
        "Log in with your NIK (16 digits), JKN card number (13 digits), email or mobile number.",
        "Masuk dengan NIK (16 angka), nomor kartu JKN (13 angka), email, atau nomor HP.",
    )


def mask_email(email: str) -> str:
    """Show enough of an address for its owner to recognise it: b***i@example.org."""
    local, domain = normalize_email(email).split("@")
    # Stars are fixed in number so the mask does not leak the local part's length.
    shown = local[0] + "***" + (local[-1] if len(local) > 2 else "")
    return f"{shown}@{domain}"


def mask_phone(phone: str) -> str:
    """Show the operator prefix and last four digits only: +62812****7890."""
    e164 = normalize_phone(phone)
    return e164[:6] + "****" + e164[-4:]
