"""ICD-10 diagnosis codes: the accepted grammar and normalisation, at every edge."""

from __future__ import annotations

import pytest

from common.errors import InvalidInput
from services.referral.domain.icd10 import check_icd10, is_icd10, normalise_icd10


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("A09", "A09"),
        ("J06.9", "J06.9"),
        ("j06.9", "J06.9"),
        ("J069", "J06.9"),
        (" e11.9 ", "E11.9"),
        ("M25.56", "M25.56"),
        ("M2556", "M25.56"),
        ("U07.1", "U07.1"),
        ("Z00.0", "Z00.0"),
        ("A00", "A00"),
        ("Z99.99", "Z99.99"),
    ],
)
def test_accepted_codes_and_their_stored_form(raw, stored):
    assert check_icd10(raw) == stored
    assert is_icd10(raw)


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "J0",
        "J",
        "06.9",
        "1J06",
        "JJ6.9",
        "J06.",
        "J06.123",
        "J061234",
        "J06.A",
        "S72.001A",
        "C4A.0",
        "J06-9",
        "J06 .9",
        "A15+",
        "G01*",
        "Ä06.9",
    ],
)
def test_codes_of_the_wrong_form_are_refused_naming_the_field(raw):
    assert not is_icd10(raw)
    with pytest.raises(InvalidInput) as caught:
        check_icd10(raw)
    assert (caught.value.code, caught.value.fields) == ("invalid_icd10", ("diagnosis",))
    assert caught.value.detail_id


def test_normalise_inserts_a_dot_only_for_four_or_five_characters():
    assert normalise_icd10("A09") == "A09"
    assert normalise_icd10("a090") == "A09.0"
    assert normalise_icd10("A0901") == "A09.01"
    assert normalise_icd10("A09012") == "A09012"  # six: left alone, then refused


def test_the_field_name_can_be_given():
    with pytest.raises(InvalidInput) as caught:
        check_icd10("bad", field="diagRujukan")
    assert caught.value.fields == ("diagRujukan",)
