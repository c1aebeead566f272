"""Document numbers: 19 characters, generated deterministically, parsed and checked."""

from __future__ import annotations

from datetime import date

import pytest

from common.errors import InvalidInput
from services.referral.domain.numbers import (
    LENGTH,
    SEQUENCE_MAX,
    Kind,
    document_number,
    parse_document_number,
)


def test_the_format_is_facility_month_year_kind_sequence():
    number = document_number("0001R001", date(2025, 12, 3), Kind.BACK_REFERRAL, 123)
    assert number == "0001R0011225B000123"
    assert len(number) == LENGTH == 19
    assert document_number("18710003", date(2026, 1, 31), Kind.REFERRAL, 1) == (
        "187100030126P000001"
    )


def test_the_same_inputs_give_the_same_number_and_any_change_another():
    args = ("18710003", date(2026, 12, 1), Kind.REFERRAL, 7)
    assert document_number(*args) == document_number(*args)
    others = {
        document_number("18710005", date(2026, 12, 1), Kind.REFERRAL, 7),
        document_number("18710003", date(2027, 1, 1), Kind.REFERRAL, 7),
        document_number("18710003", date(2026, 12, 1), Kind.CONTROL_LETTER, 7),
        document_number("18710003", date(2026, 12, 1), Kind.REFERRAL, 8),
    }
    assert document_number(*args) not in others and len(others) == 4
    # Days of one month share a number space: the sequence makes them unique.
    assert document_number("18710003", date(2026, 12, 31), Kind.REFERRAL, 7) == (
        document_number(*args)
    )


@pytest.mark.parametrize("kind", list(Kind))
def test_every_kind_round_trips(kind):
    number = document_number("1871R001", date(2026, 12, 1), kind, SEQUENCE_MAX)
    parsed = parse_document_number(number, expected=kind)
    assert (parsed.facility_code, parsed.month, parsed.kind, parsed.sequence) == (
        "1871R001",
        date(2026, 12, 1),
        kind,
        SEQUENCE_MAX,
    )
    assert str(parsed) == number


def test_parse_accepts_lower_case_and_spaces_around():
    assert str(parse_document_number(" 0001r0011225b000123 ")) == "0001R0011225B000123"


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "0001R0011225B00012",  # 18
        "0001R0011225B0001234",  # 20
        "0001R0011325B000123",  # month 13
        "0001R0010025B000123",  # month 00
        "0001R0011225X000123",  # unknown kind
        "0001R0011225B000000",  # sequence 0
        "0001R0011225B00012A",
        "0001-0011225B000123",
    ],
)
def test_malformed_numbers_are_refused_naming_the_field(raw):
    with pytest.raises(InvalidInput) as caught:
        parse_document_number(raw)
    assert (caught.value.code, caught.value.fields) == (
        "invalid_document_number",
        ("referral_number",),
    )


def test_a_number_of_another_kind_is_refused():
    control = document_number("1871R001", date(2026, 12, 1), Kind.CONTROL_LETTER, 1)
    with pytest.raises(InvalidInput) as caught:
        parse_document_number(control, expected=Kind.REFERRAL, field="number")
    assert (caught.value.code, caught.value.fields) == ("wrong_document_kind", ("number",))


@pytest.mark.parametrize(
    ("facility", "sequence"),
    [
        ("1871R01", 1),
        ("1871r001", 1),
        ("1871R0011", 1),
        ("1871R001", 0),
        ("1871R001", SEQUENCE_MAX + 1),
        ("1871R001", -1),
    ],
)
def test_generation_refuses_a_bad_facility_or_sequence(facility, sequence):
    with pytest.raises(ValueError):
        document_number(facility, date(2026, 12, 1), Kind.REFERRAL, sequence)
