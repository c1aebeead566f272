"""A new PBPU family registers everyone on its KK (R1); newborns join an existing family."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from services.membership.domain.decisions import Decision
from services.membership.domain.errors import RuleViolation
from services.membership.domain.family import (
    NEWBORN_MAX_DAYS,
    Applicant,
    CivilRecord,
    check_new_family,
    decide_newborn,
)

KK = "1871010101120003"
ON_KK = [
    CivilRecord("1871091203840001", "Budi Santoso", date(1984, 3, 12), "M", "KEPALA KELUARGA"),
    CivilRecord("1871095507870002", "Siti Aminah", date(1987, 7, 15), "F", "ISTRI"),
    CivilRecord("1871092010120003", "Ma'ruf Santoso", date(2012, 10, 20), "M", "ANAK"),
    CivilRecord("1871094402200004", "Nur-Aini Santoso", date(2020, 2, 4), "F", "ANAK"),
]
APPLICANTS = [Applicant(p.nik, p.full_name, p.birth_date) for p in ON_KK]
TODAY = date(2026, 11, 30)


def violation(
    kk: str = KK,
    on_kk: list[CivilRecord] | None = None,
    applicants: list[Applicant] | None = None,
    already: set[str] | None = None,
    care_class: int = 3,
) -> RuleViolation:
    with pytest.raises(RuleViolation) as caught:
        check_new_family(
            kk,
            ON_KK if on_kk is None else on_kk,
            APPLICANTS if applicants is None else applicants,
            already or set(),
            care_class,
        )
    assert caught.value.reason_en and caught.value.reason_id
    return caught.value


def with_changed(i: int, **changes: object) -> list[Applicant]:
    people = list(APPLICANTS)
    people[i] = replace(people[i], **changes)  # type: ignore[arg-type]
    return people


@pytest.mark.parametrize("care_class", [1, 2, 3])
def test_complete_family_passes(care_class: int) -> None:
    check_new_family(KK, ON_KK, APPLICANTS, set(), care_class)


def test_order_of_applicants_does_not_matter() -> None:
    check_new_family(KK, ON_KK, list(reversed(APPLICANTS)), set(), 2)


@pytest.mark.parametrize(
    "typed",
    ["MA'RUF SANTOSO", "Maruf Santoso", "ma’ruf  santoso", " Ma'ruf Santoso "],
)
def test_names_are_compared_after_normalisation(typed: str) -> None:
    check_new_family(KK, ON_KK, with_changed(2, full_name=typed), set(), 3)


def test_niks_with_typed_spaces_are_the_same_nik() -> None:
    check_new_family(KK, ON_KK, with_changed(0, nik="1871 0912 0384 0001"), set(), 3)


def test_a_one_person_kk() -> None:
    check_new_family(KK, ON_KK[:1], APPLICANTS[:1], set(), 1)


@pytest.mark.parametrize(
    "kk", ["", "187101010112000", "18710101011200031", "1871-0101-0112-0003", "18710101O1120003"]
)
def test_kk_format(kk: str) -> None:
    v = violation(kk=kk)
    assert (v.field, v.rule) == ("kk_number", "kk_format")


def test_kk_unknown() -> None:
    v = violation(on_kk=[])
    assert (v.field, v.rule) == ("kk_number", "kk_unknown")


def test_duplicate_niks() -> None:
    v = violation(applicants=[*APPLICANTS, APPLICANTS[1]])
    assert (v.field, v.rule) == ("members", "member_duplicate")


def test_duplicate_niks_after_removing_spaces() -> None:
    v = violation(applicants=[*APPLICANTS, replace(APPLICANTS[0], nik="18710912 03840001")])
    assert (v.field, v.rule) == ("members", "member_duplicate")


@pytest.mark.parametrize("i", [0, 1, 2, 3])
def test_applicant_not_on_kk(i: int) -> None:
    v = violation(applicants=with_changed(i, nik="1871090101990009"))
    assert (v.field, v.rule) == (f"members[{i}].nik", "member_not_on_kk")


def test_extra_person_not_on_kk() -> None:
    extra = Applicant("1871090101990009", "Orang Lain", date(1999, 1, 1))
    v = violation(applicants=[*APPLICANTS, extra])
    assert (v.field, v.rule) == ("members[4].nik", "member_not_on_kk")


@pytest.mark.parametrize(
    ("applicants", "missing"),
    [
        (APPLICANTS[:3], 1),
        (APPLICANTS[1:], 1),
        (APPLICANTS[:2], 2),
        (APPLICANTS[:1], 3),
        ([], 4),
    ],
)
def test_family_incomplete_names_how_many(applicants: list[Applicant], missing: int) -> None:
    v = violation(applicants=applicants)
    assert (v.field, v.rule) == ("members", "family_incomplete")
    assert f"Ada {missing} orang" in v.reason_id
    assert (f"{missing} people" if missing > 1 else "1 person") in v.reason_en
    # Never reveal who is missing: the NIKs of others on the KK stay private.
    for person in ON_KK:
        assert person.nik not in v.reason_en and person.nik not in v.reason_id


def test_people_already_covered_elsewhere_are_not_missing() -> None:
    # A spouse insured through an employer stays on the KK but cannot register twice.
    check_new_family(KK, ON_KK, [APPLICANTS[0], *APPLICANTS[2:]], {ON_KK[1].nik}, 3)


def test_kk_where_everyone_is_already_covered() -> None:
    v = violation(applicants=[], already={p.nik for p in ON_KK})
    assert (v.field, v.rule) == ("members", "family_already_participants")


@pytest.mark.parametrize("i", [0, 1, 2, 3])
def test_name_mismatch(i: int) -> None:
    v = violation(applicants=with_changed(i, full_name="Joko Widodo"))
    assert (v.field, v.rule) == (f"members[{i}].full_name", "member_mismatch")
    assert ON_KK[i].full_name not in v.reason_en  # the registry's name is not echoed


@pytest.mark.parametrize("typed", ["", "Budi", "Budi Santosa", "Budi Santoso Hj"])
def test_near_names_do_not_match(typed: str) -> None:
    v = violation(applicants=with_changed(0, full_name=typed))
    assert (v.field, v.rule) == ("members[0].full_name", "member_mismatch")


@pytest.mark.parametrize("i", [0, 1, 2, 3])
@pytest.mark.parametrize("shift", [timedelta(days=1), timedelta(days=-1), timedelta(days=365)])
def test_birth_date_mismatch(i: int, shift: timedelta) -> None:
    v = violation(applicants=with_changed(i, birth_date=ON_KK[i].birth_date + shift))
    assert (v.field, v.rule) == (f"members[{i}].birth_date", "member_mismatch")


def test_name_is_checked_before_birth_date() -> None:
    people = with_changed(1, full_name="Salah", birth_date=date(2000, 1, 1))
    assert violation(applicants=people).field == "members[1].full_name"


@pytest.mark.parametrize("i", [0, 1, 2, 3])
def test_already_participant(i: int) -> None:
    v = violation(already={ON_KK[i].nik})
    assert (v.field, v.rule) == (f"members[{i}].nik", "member_already_participant")


@pytest.mark.parametrize("care_class", [0, 4, -1, True])
def test_invalid_care_class(care_class: int) -> None:
    v = violation(care_class=care_class)
    assert (v.field, v.rule) == ("care_class", "class_invalid")


@pytest.mark.parametrize(
    ("kwargs", "rule"),
    [
        # Each pair breaks two rules; the earlier one in the documented order wins.
        ({"kk": "123", "on_kk": []}, "kk_format"),
        ({"on_kk": [], "care_class": 9}, "kk_unknown"),
        ({"applicants": [APPLICANTS[0], APPLICANTS[0]]}, "member_duplicate"),
        (
            {"applicants": [Applicant("1871090101990009", "X Y", date(1999, 1, 1))]},
            "member_not_on_kk",
        ),
        ({"applicants": with_changed(0, full_name="Salah")[:3]}, "family_incomplete"),
        (
            {"applicants": with_changed(3, full_name="Salah"), "already": {ON_KK[0].nik}},
            "member_mismatch",
        ),
        ({"already": {ON_KK[0].nik}, "care_class": 0}, "member_already_participant"),
    ],
)
def test_rules_are_checked_in_order(kwargs: dict[str, object], rule: str) -> None:
    assert violation(**kwargs).rule == rule  # type: ignore[arg-type]


# --- Newborns ------------------------------------------------------------------------------


@pytest.mark.parametrize("segment", ["PBPU", "BP"])
@pytest.mark.parametrize("age_days", [0, 1, 14, 27, NEWBORN_MAX_DAYS])
def test_young_newborn_of_self_paying_family_is_covered_today(segment: str, age_days: int) -> None:
    born = TODAY - timedelta(days=age_days)
    assert decide_newborn(segment, born, "akta/123", TODAY) == Decision.approve(TODAY)


@pytest.mark.parametrize("segment", ["PBPU", "BP"])
@pytest.mark.parametrize("age_days", [NEWBORN_MAX_DAYS + 1, 60, 400])
def test_older_child_goes_to_an_officer(segment: str, age_days: int) -> None:
    decision = decide_newborn(segment, TODAY - timedelta(days=age_days), "akta/123", TODAY)
    assert decision.outcome == "review" and decision.rule == "newborn_review"
    assert "28" in (decision.reason_id or "")


def test_newborn_max_days_is_28() -> None:
    assert NEWBORN_MAX_DAYS == 28


def test_newborn_boundary_across_a_leap_february() -> None:
    today = date(2024, 3, 28)
    born_28 = today - timedelta(days=28)
    assert born_28 == date(2024, 2, 29)
    assert decide_newborn("PBPU", born_28, "akta/1", today).outcome == "approved"
    assert decide_newborn("PBPU", date(2024, 2, 28), "akta/1", today).outcome == "review"


@pytest.mark.parametrize(
    ("segment", "channel_id"),
    [
        ("PPU_BU", "pemberi kerja"),
        ("PPU_PN", "pemberi kerja"),
        ("PBI_APBN", "Dinas Sosial"),
        ("PBI_APBD", "Dinas Sosial"),
    ],
)
@pytest.mark.parametrize("age_days", [0, NEWBORN_MAX_DAYS, NEWBORN_MAX_DAYS + 1])
def test_other_segments_go_to_an_officer(segment: str, channel_id: str, age_days: int) -> None:
    decision = decide_newborn(segment, TODAY - timedelta(days=age_days), "akta/1", TODAY)
    assert decision.outcome == "review" and decision.rule == "newborn_review"
    assert channel_id in (decision.reason_id or "")
    assert decision.reason_en


@pytest.mark.parametrize("days_ahead", [1, 30])
def test_birth_date_in_the_future(days_ahead: int) -> None:
    decision = decide_newborn("PBPU", TODAY + timedelta(days=days_ahead), "akta/1", TODAY)
    assert decision.outcome == "rejected" and decision.rule == "birth_date_future"


@pytest.mark.parametrize("ref", [None, "", "  "])
def test_birth_document_required(ref: str | None) -> None:
    decision = decide_newborn("PBPU", TODAY, ref, TODAY)
    assert decision.outcome == "rejected" and decision.rule == "birth_document_required"


@pytest.mark.parametrize("segment", ["", "pbpu", "PBI", "PPU"])
def test_unknown_segment(segment: str) -> None:
    decision = decide_newborn(segment, TODAY, "akta/1", TODAY)
    assert decision.outcome == "rejected" and decision.rule == "segment_unknown"


def test_newborn_checks_in_order() -> None:
    future = TODAY + timedelta(days=1)
    assert decide_newborn("X", future, None, TODAY).rule == "birth_date_future"
    assert decide_newborn("X", TODAY, None, TODAY).rule == "birth_document_required"
