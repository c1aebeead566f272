"""Phone, email and login-name normalisation, and masking for "code sent to ..." messages."""

from __future__ import annotations

import pytest

from services.membership.domain.contact import (
    classify_username,
    mask_email,
    mask_phone,
    normalize_email,
    normalize_phone,
)
from services.membership.domain.errors import RuleViolation


@pytest.mark.parametrize(
    "raw",
    [
        "0812-3456-7890",
        "081234567890",
        "0812 3456 7890",
        "0812.3456.7890",
        "(0812) 3456-7890",
        "+62 812 3456 7890",
        "+6281234567890",
        "+62-812-3456-7890",
        "+62 (0) 812 3456 7890",
        "+62 0812 3456 7890",
        "62812 3456 7890",
        "6281234567890",
        "0062 812 3456 7890",
        "812 3456 7890",
        "81234567890",
        "  0812 3456 7890  ",
        "0812\t3456\t7890",
    ],
)
def test_common_notations_become_e164(raw: str) -> None:
    assert normalize_phone(raw) == "+6281234567890"


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("0812345678", "+62812345678"),  # shortest: 9 digits after +62
        ("0812345678901", "+62812345678901"),  # longest: 12 digits after +62
        ("0857-1234-5678", "+6285712345678"),
        ("0896 1234 5678", "+6289612345678"),
        ("0881-234-5678", "+628812345678"),
    ],
)
def test_operator_prefixes_and_lengths(raw: str, e164: str) -> None:
    assert normalize_phone(raw) == e164


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "abc",
        "021-555-1234",  # Jakarta landline
        "0721 123456",  # Bandar Lampung landline
        "081234567",  # 8 digits after the prefix: too short
        "08123456789012",  # 13 digits after the prefix: too long
        "+1 812 345 6789",
        "+44 7912 345678",
        "+62 712 3456 7890",
        "62",
        "+62",
        "0",
        "0812-3456-789O",  # letter O
        "0812 3456 7890 ext 1",
        "٠٨١٢٣٤٥٦٧٨٩٠",  # Arabic-Indic digits
        "+62+812 3456 7890",
        "0812/3456/7890",
    ],
)
def test_bad_phones_are_rejected(raw: str) -> None:
    with pytest.raises(RuleViolation) as caught:
        normalize_phone(raw)
    assert (caught.value.field, caught.value.rule) == ("phone", "phone_invalid")
    assert "0812" in caught.value.reason_en and "0812" in caught.value.reason_id


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("budi@example.org", "budi@example.org"),
        (" Budi.Santoso@Example.ORG ", "budi.santoso@example.org"),
        ("SITI@GMAIL.COM", "siti@gmail.com"),
        ("first+tag@sub.domain.id", "first+tag@sub.domain.id"),
        ("x_y-z@mail-server.co.id", "x_y-z@mail-server.co.id"),
        ("a@b.co", "a@b.co"),
        ("user@xn--80ak6aa92e.com", "user@xn--80ak6aa92e.com"),
        ("budi@example.org\n", "budi@example.org"),
        ("o'neil@example.org", "o'neil@example.org"),
    ],
)
def test_valid_emails_are_trimmed_and_lowercased(raw: str, normalized: str) -> None:
    assert normalize_email(raw) == normalized


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "budi",
        "budi@",
        "@example.org",
        "budi@example",
        "budi@@example.org",
        "budi@bin@example.org",
        "bu di@example.org",
        "budi@exa mple.org",
        "budi\n@example.org",
        "budi@example..org",
        ".budi@example.org",
        "budi.@example.org",
        "budi..s@example.org",
        "budi@-example.org",
        "budi@example-.org",
        "budi@.example.org",
        "budi@example.org.",
        "budi@example.123",
        "budi(at)example.org",
        "budi@exämple.org",
        "a" * 65 + "@example.org",  # local part over 64
        "a@" + ("b" * 60 + ".") * 5 + "org",  # over 254 in total
        "a@" + "b" * 64 + ".org",  # a DNS label over 63
    ],
)
def test_bad_emails_are_rejected(raw: str) -> None:
    with pytest.raises(RuleViolation) as caught:
        normalize_email(raw)
    assert (caught.value.field, caught.value.rule) == ("email", "email_invalid")
    assert caught.value.reason_en and caught.value.reason_id


def test_email_length_limit_is_254() -> None:
    domain = ("b" * 62 + ".") * 3 + "or"  # 191 characters
    local = "a" * 62
    assert len(f"{local}@{domain}") == 254
    assert normalize_email(f"{local}@{domain}") == f"{local}@{domain}"
    with pytest.raises(RuleViolation):
        normalize_email(f"{local}a@{domain}")


@pytest.mark.parametrize(
    ("raw", "kind", "value"),
    [
        ("1871091203840001", "nik", "1871091203840001"),
        ("1871 0912 0384 0001", "nik", "1871091203840001"),
        (" 1871091203840001 ", "nik", "1871091203840001"),
        ("0001944358911", "card", "0001944358911"),
        ("0001 9443 58911", "card", "0001944358911"),
        ("0000012345678", "card", "0000012345678"),
        ("Budi@Example.org", "email", "budi@example.org"),
        ("0812-3456-7890", "phone", "+6281234567890"),
        ("+62 812 3456 7890", "phone", "+6281234567890"),
        ("081234567890", "phone", "+6281234567890"),
        # 13 digits, but a phone: 0 + a 12-digit number, or 62 + an 11-digit number
        ("0812345678901", "phone", "+62812345678901"),
        ("6281234567890", "phone", "+6281234567890"),
    ],
)
def test_username_classification(raw: str, kind: str, value: str) -> None:
    assert classify_username(raw) == (kind, value)


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "budi",
        "12345",
        "187109120384000",
        "18710912038400011",
        "budi@",
        "@x.org",
        "021-555-1234",
    ],
)
def test_unclassifiable_usernames_are_rejected(raw: str) -> None:
    with pytest.raises(RuleViolation) as caught:
        classify_username(raw)
    assert (caught.value.field, caught.value.rule) == ("username", "username_invalid")
    assert "NIK" in caught.value.reason_en and "NIK" in caught.value.reason_id


@pytest.mark.parametrize(
    ("email", "masked"),
    [
        ("budi@example.org", "b***i@example.org"),
        ("Budi@Example.ORG", "b***i@example.org"),
        ("siti.aminah@gmail.com", "s***h@gmail.com"),
        ("abc@x.id", "a***c@x.id"),
        ("ab@x.id", "a***@x.id"),  # too short to show two letters without revealing it all
        ("a@x.id", "a***@x.id"),
    ],
)
def test_mask_email(email: str, masked: str) -> None:
    assert mask_email(email) == masked


def test_mask_email_hides_the_local_part_length() -> None:
    assert len(mask_email("bo@x.id")) == len(mask_email("b@x.id"))
    assert len(mask_email("budi@x.id")) == len(mask_email("budiman_santoso@x.id"))


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("+6281234567890", "+62812****7890"),
        ("0812-3456-7890", "+62812****7890"),
        ("+62812345678", "+62812****5678"),
        ("+62857123456789", "+62857****6789"),
    ],
)
def test_mask_phone(phone: str, masked: str) -> None:
    assert mask_phone(phone) == masked


def test_masks_reject_what_they_cannot_parse() -> None:
    with pytest.raises(RuleViolation):
        mask_email("not-an-email")
    with pytest.raises(RuleViolation):
        mask_phone("021-555-1234")
