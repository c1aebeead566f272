"""Password rules, name matching and the RuleViolation error itself."""

from __future__ import annotations

import pickle
from datetime import date

import pytest

from services.membership.domain.errors import RuleViolation
from services.membership.domain.names import names_match, normalize_name
from services.membership.domain.password import check_password

NIK = "1871091203840001"
BORN = date(1984, 3, 12)


def rule_of(password: str, **personal: object) -> str:
    with pytest.raises(RuleViolation) as caught:
        check_password(password, **personal)  # type: ignore[arg-type]
    assert caught.value.field == "password"
    assert caught.value.reason_en and caught.value.reason_id
    return caught.value.rule


@pytest.mark.parametrize(
    "password",
    [
        "melati2024",
        "abcdefg1",  # exactly 8
        "Kopi susu 3 gelas",  # a sentence with spaces
        "1234567a",
        "Ibu-ku_sayang-99",
        "x" * 127 + "1",  # exactly 128
        "sandi٣٤٥abc",  # any Unicode digit counts as a digit
    ],
)
def test_acceptable_passwords(password: str) -> None:
    check_password(password, nik=NIK, birth_date=BORN)


@pytest.mark.parametrize("password", ["", "a1", "abcdef1", "       "])
def test_too_short(password: str) -> None:
    assert rule_of(password) == "password_too_short"


def test_too_short_message_gives_the_minimum_in_both_languages() -> None:
    with pytest.raises(RuleViolation) as caught:
        check_password("abc1")
    assert "8" in caught.value.reason_en and "8" in caught.value.reason_id


@pytest.mark.parametrize("password", ["x" * 128 + "1", "a1" * 100])
def test_too_long(password: str) -> None:
    assert rule_of(password) == "password_too_long"


@pytest.mark.parametrize(
    "password", ["abcdefgh", "12345678", "!!!!!!!!", "        ", "KATASANDI", "2024-12-31"]
)
def test_too_weak_without_both_letters_and_digits(password: str) -> None:
    assert rule_of(password) == "password_too_weak"


def test_weakness_is_reported_before_personal_data() -> None:
    # The NIK alone is digits only: "add letters" is the more useful first message.
    assert rule_of(NIK, nik=NIK) == "password_too_weak"


@pytest.mark.parametrize(
    "password",
    [
        f"a{NIK}",
        f"nik{NIK}!",
        "budi 1871 0912 0384 0001",  # the NIK typed with spaces
        "Budi12031984",  # birth date as ddmmyyyy
        "12031984budi",
        "sayang 1203 1984",
    ],
)
def test_personal_data_is_rejected(password: str) -> None:
    assert rule_of(password, nik=NIK, birth_date=BORN) == "password_personal"


def test_nik_given_with_spaces_is_still_recognised() -> None:
    assert rule_of(f"x{NIK}", nik="1871 0912 0384 0001") == "password_personal"


@pytest.mark.parametrize("password", [f"a{NIK}", "Budi12031984"])
def test_personal_data_is_only_checked_when_known(password: str) -> None:
    check_password(password)


@pytest.mark.parametrize("password", ["Budi1984x", "budi1203x", "budi120384"])
def test_partial_birth_dates_are_allowed(password: str) -> None:
    check_password(password, nik=NIK, birth_date=BORN)


def test_personal_message_explains_why_in_both_languages() -> None:
    with pytest.raises(RuleViolation) as caught:
        check_password("Budi12031984", birth_date=BORN)
    assert "KTP" in caught.value.reason_en and "KTP" in caught.value.reason_id


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("Siti Aminah", "siti aminah"),
        ("  SITI   AMINAH  ", "siti aminah"),
        ("Siti Aminah.", "siti aminah"),
        ("Ma'ruf Amin", "maruf amin"),
        ("Ma`ruf", "maruf"),
        ("Ma\u2019ruf", "maruf"),
        ("M.Yusuf", "m yusuf"),
        ("Nur-Aini", "nur aini"),
        ("Santoso, S.Kom", "santoso s kom"),
        ("ＳＩＴＩ　ＡＭＩＮＡＨ", "siti aminah"),  # full-width letters and space
        ("Siti\tAminah\n", "siti aminah"),
        ("", ""),
        (" .,- ", ""),
    ],
)
def test_normalize_name(raw: str, normalized: str) -> None:
    assert normalize_name(raw) == normalized


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Siti  Aminah", "SITI AMINAH"),
        ("SITI AMINAH", "Siti Aminah."),
        ("Siti Aminah", "siti aminah"),
        ("Maruf", "Ma'ruf"),
        ("M. Yusuf", "M.Yusuf"),
        ("Nur Aini", "Nur-Aini"),
        ("STRASSE", "Straße"),  # casefold, not just lower
    ],
)
def test_names_match(a: str, b: str) -> None:
    assert names_match(a, b)
    assert names_match(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Siti Aminah", "Siti Aminah Binti Ahmad"),
        ("Siti Aminah", "Aminah Siti"),
        ("Hj. Siti Aminah", "Siti Aminah"),  # honorifics are not stripped: exact by design
        ("Siti Aminah", "Siti Amina"),
        ("", ""),  # an empty name matches nothing
        ("...", "..."),
        ("Siti", ""),
    ],
)
def test_names_that_do_not_match(a: str, b: str) -> None:
    assert not names_match(a, b)


def test_rule_violation_carries_code_and_both_reasons() -> None:
    error = RuleViolation("nik", "nik_format", "In English", "Dalam bahasa Indonesia")
    assert (error.field, error.rule) == ("nik", "nik_format")
    assert (error.reason_en, error.reason_id) == ("In English", "Dalam bahasa Indonesia")
    assert str(error) == "In English"
    assert isinstance(error, Exception)


def test_rule_violation_field_may_be_none_and_survives_pickling() -> None:
    error = RuleViolation(None, "family_incomplete", "en", "id")
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.field, copy.rule, copy.reason_en, copy.reason_id) == (
        None,
        "family_incomplete",
        "en",
        "id",
    )
