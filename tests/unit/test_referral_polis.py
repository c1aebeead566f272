"""Poli codes: the reference table, their form and membership, and a facility's polis."""

from __future__ import annotations

import pytest

from common.errors import InvalidInput, RuleViolated
from services.referral.domain.polis import POLIS, check_poli_at, check_poli_code, poli_name


def test_the_table_holds_the_programme_codes_with_both_names():
    for code in ("INT", "ANA", "OBG", "BED", "MAT", "THT", "JAN", "SAR", "KLT", "GIG", "UMU"):
        poli = POLIS[code]
        assert poli.code == code and poli.name_id and poli.name_en
    assert POLIS["UMU"].level == "fktp" and POLIS["INT"].level == "fkrtl"
    assert all(len(c) == 3 and c.isupper() and c.isalpha() for c in POLIS)


@pytest.mark.parametrize(("raw", "code"), [("INT", "INT"), ("int", "INT"), (" Mat ", "MAT")])
def test_a_known_code_is_normalised(raw, code):
    assert check_poli_code(raw).code == code


@pytest.mark.parametrize("raw", ["", "IN", "INTE", "IN1", "I-T", "123", "ÄBC"])
def test_a_code_of_the_wrong_form_is_refused(raw):
    with pytest.raises(InvalidInput) as caught:
        check_poli_code(raw, field="kodepoli")
    assert (caught.value.code, caught.value.fields) == ("invalid_poli_code", ("kodepoli",))


@pytest.mark.parametrize("raw", ["XYZ", "ABC", "zzz"])
def test_an_unknown_code_is_refused(raw):
    with pytest.raises(InvalidInput) as caught:
        check_poli_code(raw)
    assert (caught.value.code, caught.value.fields) == ("unknown_poli_code", ("poli_code",))


def test_a_poli_the_facility_lacks_is_a_rule_naming_the_field():
    offered = frozenset({"INT", "ANA"})
    assert check_poli_at("ana", offered).code == "ANA"
    with pytest.raises(RuleViolated) as caught:
        check_poli_at("MAT", offered)
    assert (caught.value.code, caught.value.fields) == ("poli_not_offered", ("poli_code",))
    with pytest.raises(InvalidInput):
        check_poli_at("XX", offered)


def test_a_poli_is_named_as_a_member_reads_it():
    assert poli_name("UMU") == "Poli Umum" and poli_name("INT") == "Penyakit Dalam"
    assert poli_name("XYZ") == "XYZ"
