"""NIK parsing: format, region, birth date (incl. women's +40 and the century), serial."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from services.membership.domain.errors import RuleViolation
from services.membership.domain.nik import (
    PROVINCE_CODES,
    NikInfo,
    nik_matches_birth_date,
    parse_nik,
)

TODAY = date(2026, 11, 27)
REGION = "187109"  # Kedaton, Kota Bandar Lampung, Lampung


def nik(ddmmyy: str, serial: str = "0001", region: str = REGION) -> str:
    return f"{region}{ddmmyy}{serial}"


def violation(raw: str, today: date = TODAY) -> RuleViolation:
    with pytest.raises(RuleViolation) as caught:
        parse_nik(raw, today)
    assert caught.value.field == "nik"
    assert caught.value.reason_en and caught.value.reason_id
    assert str(caught.value) == caught.value.reason_en
    return caught.value


def test_valid_male_nik_is_fully_decoded() -> None:
    info = parse_nik("1871091203840001", TODAY)
    assert info == NikInfo(
        nik="1871091203840001",
        province_code="18",
        regency_code="1871",
        district_code="187109",
        birth_date=date(1984, 3, 12),
        sex="M",
        serial="0001",
    )


def test_valid_female_nik_has_day_plus_40() -> None:
    info = parse_nik("1871096508870002", TODAY)
    assert info.birth_date == date(1987, 8, 25)
    assert info.sex == "F"
    assert info.serial == "0002"


def test_nik_info_is_immutable() -> None:
    info = parse_nik("1871091203840001", TODAY)
    with pytest.raises(dataclasses.FrozenInstanceError):
        info.sex = "F"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("ddmmyy", "born", "sex"),
    [
        ("010190", date(1990, 1, 1), "M"),
        ("310190", date(1990, 1, 31), "M"),
        ("410190", date(1990, 1, 1), "F"),  # 41 is the first women's day
        ("710190", date(1990, 1, 31), "F"),  # 71 is the last
        ("300490", date(1990, 4, 30), "M"),
        ("700490", date(1990, 4, 30), "F"),
        ("311299", date(1999, 12, 31), "M"),
    ],
)
def test_day_encodings(ddmmyy: str, born: date, sex: str) -> None:
    info = parse_nik(nik(ddmmyy), TODAY)
    assert (info.birth_date, info.sex) == (born, sex)


@pytest.mark.parametrize("day", ["00", "32", "33", "35", "39", "40", "72", "80", "99"])
def test_impossible_days_are_rejected(day: str) -> None:
    assert violation(nik(f"{day}0190")).rule == "nik_birth_date_invalid"


@pytest.mark.parametrize("ddmmyy", ["310490", "710490", "310690", "710990", "311190"])
def test_day_31_in_a_30_day_month_is_rejected(ddmmyy: str) -> None:
    assert violation(nik(ddmmyy)).rule == "nik_birth_date_invalid"


@pytest.mark.parametrize("month", ["00", "13", "20", "99"])
def test_impossible_months_are_rejected(month: str) -> None:
    assert violation(nik(f"15{month}90")).rule == "nik_birth_date_invalid"


@pytest.mark.parametrize(
    ("ddmmyy", "born", "sex"),
    [
        ("290200", date(2000, 2, 29), "M"),  # 2000 is a leap year (divisible by 400)
        ("290204", date(2004, 2, 29), "M"),
        ("290296", date(1996, 2, 29), "M"),
        ("690200", date(2000, 2, 29), "F"),
        ("690204", date(2004, 2, 29), "F"),
        ("690288", date(1988, 2, 29), "F"),
        ("280201", date(2001, 2, 28), "M"),
        ("680201", date(2001, 2, 28), "F"),
    ],
)
def test_feb_29_on_leap_years(ddmmyy: str, born: date, sex: str) -> None:
    info = parse_nik(nik(ddmmyy), TODAY)
    assert (info.birth_date, info.sex) == (born, sex)


@pytest.mark.parametrize("ddmmyy", ["290201", "290297", "690201", "690297", "300204", "700204"])
def test_feb_29_on_non_leap_years_and_feb_30_are_rejected(ddmmyy: str) -> None:
    assert violation(nik(ddmmyy)).rule == "nik_birth_date_invalid"


def test_feb_29_of_1900_is_rejected_when_2000_is_still_in_the_future() -> None:
    # Before 29 Feb 2000, yy=00 can only mean 1900, which was not a leap year.
    assert violation(nik("290200"), date(1999, 12, 31)).rule == "nik_birth_date_invalid"


@pytest.mark.parametrize(
    ("ddmmyy", "year"),
    [
        ("271126", 2026),  # exactly today: not after today, so this century
        ("281126", 1926),  # tomorrow in 2026, so 1926
        ("010126", 2026),
        ("311225", 2025),
        ("010127", 1927),
        ("010100", 2000),
        ("311299", 1999),
        ("150550", 1950),
    ],
)
def test_century_is_the_latest_not_in_the_future(ddmmyy: str, year: int) -> None:
    assert parse_nik(nik(ddmmyy), TODAY).birth_date.year == year


def test_century_choice_follows_today() -> None:
    assert parse_nik(nik("010110"), date(2009, 12, 31)).birth_date == date(1910, 1, 1)
    assert parse_nik(nik("010110"), date(2010, 1, 1)).birth_date == date(2010, 1, 1)


def test_birth_date_in_the_future_in_both_centuries_is_rejected() -> None:
    assert violation(nik("010195"), date(1990, 1, 1)).rule == "nik_birth_date_invalid"


@pytest.mark.parametrize("province", sorted(PROVINCE_CODES))
def test_every_province_code_is_accepted(province: str) -> None:
    assert parse_nik(f"{province}0101010190" + "0001", TODAY).province_code == province


def test_there_are_38_provinces_including_the_2022_papua_split() -> None:
    assert len(PROVINCE_CODES) == 38
    assert {"91", "92", "93", "94", "95", "96"} <= PROVINCE_CODES


@pytest.mark.parametrize(
    "province",
    [
        "00",
        "10",
        "20",
        "22",
        "30",
        "37",
        "41",
        "50",
        "54",
        "60",
        "66",
        "77",
        "80",
        "83",
        "90",
        "97",
        "99",
    ],
)
def test_unknown_province_codes_are_rejected(province: str) -> None:
    error = violation(f"{province}0101010190" + "0001")
    assert error.rule == "nik_region_invalid"
    assert province in error.reason_en and province in error.reason_id


def test_regency_00_is_rejected() -> None:
    error = violation("1800011203840001")
    assert error.rule == "nik_region_invalid"
    assert "regency" in error.reason_en and "kabupaten" in error.reason_id


def test_district_00_is_rejected() -> None:
    error = violation("1871001203840001")
    assert error.rule == "nik_region_invalid"
    assert "district" in error.reason_en and "kecamatan" in error.reason_id


@pytest.mark.parametrize("regency", ["01", "71", "79", "99"])
def test_regencies_and_cities_are_accepted(regency: str) -> None:
    assert parse_nik(f"18{regency}011203840001", TODAY).regency_code == f"18{regency}"


def test_serial_0000_is_rejected() -> None:
    error = violation(nik("120384", serial="0000"))
    assert error.rule == "nik_serial_invalid"
    assert "0000" in error.reason_en and "0000" in error.reason_id


@pytest.mark.parametrize("serial", ["0001", "0010", "9999"])
def test_any_other_serial_is_accepted(serial: str) -> None:
    assert parse_nik(nik("120384", serial=serial), TODAY).serial == serial


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "187109120384000",  # 15 digits
        "18710912038400011",  # 17 digits
        "187109120384000A",
        "1871-0912-0384-0001",  # only spaces are stripped
        "187109120384000١",  # a non-ASCII digit
        "NIK1871091203840",
    ],
)
def test_anything_but_16_digits_is_a_format_error(raw: str) -> None:
    error = violation(raw)
    assert error.rule == "nik_format"
    assert "16" in error.reason_en and "16" in error.reason_id


@pytest.mark.parametrize(
    "raw",
    [
        "1871 0912 0384 0001",
        " 1871091203840001 ",
        "187109 120384 0001",
        "1871091203840001\n",
        "\t18710912 03840001",
    ],
)
def test_spaces_are_stripped(raw: str) -> None:
    assert parse_nik(raw, TODAY).nik == "1871091203840001"


def test_region_is_checked_before_birth_date_and_serial() -> None:
    assert violation("1000003299000000").rule == "nik_region_invalid"
    assert violation("1871093299000000").rule == "nik_birth_date_invalid"


def test_birth_date_matches_when_day_month_and_two_digit_year_agree() -> None:
    info = parse_nik("1871096508870002", TODAY)
    assert nik_matches_birth_date(info, date(1987, 8, 25))
    assert not nik_matches_birth_date(info, date(1987, 8, 26))
    assert not nik_matches_birth_date(info, date(1987, 9, 25))
    assert not nik_matches_birth_date(info, date(1988, 8, 25))
    # Only two year digits are in a NIK: a century apart cannot be told apart.
    assert nik_matches_birth_date(info, date(2087, 8, 25))


def test_women_birth_date_match_uses_the_real_day() -> None:
    info = parse_nik(nik("410190"), TODAY)
    assert nik_matches_birth_date(info, date(1990, 1, 1))
    assert not nik_matches_birth_date(info, date(1990, 1, 41 - 40 + 1))
