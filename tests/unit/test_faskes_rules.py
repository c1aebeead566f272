"""FKTP change: R4 (3-month stay and its exceptions), R5 (effective next month), R6 (who)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from services.membership.domain.decisions import Decision
from services.membership.domain.faskes import (
    MIN_STAY_MONTHS,
    Facility,
    Member,
    Reason,
    decide,
    effective_date_on_approval,
)

SINCE = date(2026, 10, 15)  # three months later: 2027-01-15
TODAY = date(2027, 1, 20)
TARGET = Facility(code="0112B001", facility_type="fktp", active=True, accepts_new_members=True)
EXCEPTIONS = [Reason.DOMICILE_MOVE, Reason.POSTING, Reason.REDISTRIBUTION]


def member(
    segment: str = "PBPU",
    pn_corps: str | None = None,
    since: date = SINCE,
    code: str = "0112A999",
) -> Member:
    return Member(segment=segment, pn_corps=pn_corps, fktp_code=code, fktp_since=since)


def facility(**changes: object) -> Facility:
    values: dict[str, object] = {
        "code": TARGET.code,
        "facility_type": "fktp",
        "active": True,
        "accepts_new_members": True,
    }
    values.update(changes)
    return Facility(**values)  # type: ignore[arg-type]


def assert_rejected(decision: Decision, rule: str) -> None:
    assert decision.outcome == "rejected"
    assert decision.rule == rule
    assert decision.reason_en and decision.reason_id
    assert decision.effective_date is None


def test_min_stay_is_three_months() -> None:
    assert MIN_STAY_MONTHS == 3


# --- R6: who may change in the app -------------------------------------------------------


@pytest.mark.parametrize(
    ("segment", "corps"),
    [
        ("PBPU", None),
        ("BP", None),
        ("PPU_BU", None),
        ("PPU_PN", "PNS"),
        ("PPU_PN", None),
    ],
)
def test_self_service_segments_are_approved(segment: str, corps: str | None) -> None:
    decision = decide(member(segment, corps), TARGET, Reason.REGULAR, None, TODAY)
    assert decision == Decision.approve(date(2027, 2, 1))


@pytest.mark.parametrize(
    ("segment", "corps", "channel_en", "channel_id"),
    [
        ("PBI_APBN", None, "Dinas Sosial", "Dinas Sosial"),
        ("PBI_APBD", None, "Dinas Sosial", "Dinas Sosial"),
        ("PPU_PN", "TNI", "PANDAWA", "PANDAWA"),
        ("PPU_PN", "POLRI", "PANDAWA", "PANDAWA"),
        # Corps decides even outside PPU PN (e.g. a retired officer recorded as BP).
        ("BP", "TNI", "PANDAWA", "PANDAWA"),
        ("BP", "POLRI", "PANDAWA", "PANDAWA"),
    ],
)
def test_not_self_service(
    segment: str, corps: str | None, channel_en: str, channel_id: str
) -> None:
    decision = decide(member(segment, corps), TARGET, Reason.REGULAR, None, TODAY)
    assert_rejected(decision, "faskes_not_self_service")
    assert channel_en in (decision.reason_en or "")
    assert channel_id in (decision.reason_id or "")


@pytest.mark.parametrize("reason", list(Reason))
def test_not_self_service_wins_over_everything(reason: Reason) -> None:
    # Checked first: even an unknown target or a fresh registration says "not in the app".
    decision = decide(member("PBI_APBN", since=TODAY), None, reason, "doc-1", TODAY)
    assert_rejected(decision, "faskes_not_self_service")


@pytest.mark.parametrize(
    ("segment", "corps"), [("JKN", None), ("pbpu", None), ("PPU_PN", "ASN"), ("PPU_PN", "tni")]
)
def test_unknown_segment_or_corps_is_a_data_error(segment: str, corps: str | None) -> None:
    with pytest.raises(ValueError):
        member(segment, corps)


# --- The target facility -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "rule"),
    [
        (None, "faskes_unknown"),
        (facility(facility_type="fkrtl"), "faskes_not_fktp"),
        (facility(active=False), "faskes_inactive"),
        (facility(accepts_new_members=False), "faskes_full"),
        (facility(code="0112A999"), "faskes_same"),
        # The first failing check names the rule.
        (facility(facility_type="fkrtl", active=False), "faskes_not_fktp"),
        (facility(active=False, accepts_new_members=False), "faskes_inactive"),
        (facility(accepts_new_members=False, code="0112A999"), "faskes_full"),
    ],
)
def test_target_rejections(target: Facility | None, rule: str) -> None:
    assert_rejected(decide(member(), target, Reason.REGULAR, None, TODAY), rule)


@pytest.mark.parametrize("reason", list(Reason))
def test_target_is_checked_before_the_stay(reason: Reason) -> None:
    decision = decide(member(since=TODAY), facility(active=False), reason, "doc-1", TODAY)
    assert_rejected(decision, "faskes_inactive")


def test_unknown_facility_type_is_a_data_error() -> None:
    with pytest.raises(ValueError):
        facility(facility_type="hospital")


# --- R4 and R5: the 3-month stay and the effective date ---------------------------------


@pytest.mark.parametrize(
    ("since", "first_allowed"),
    [
        (date(2026, 10, 15), date(2027, 1, 15)),
        (date(2026, 1, 31), date(2026, 4, 30)),
        (date(2026, 2, 28), date(2026, 5, 28)),
        (date(2026, 8, 31), date(2026, 11, 30)),
        (date(2026, 11, 30), date(2027, 2, 28)),
        (date(2024, 2, 29), date(2024, 5, 29)),
        (date(2023, 11, 30), date(2024, 2, 29)),
        (date(2026, 9, 1), date(2026, 12, 1)),
    ],
)
def test_exactly_three_months(since: date, first_allowed: date) -> None:
    before = decide(member(since=since), TARGET, Reason.REGULAR, None, first_allowed - timedelta(1))
    assert_rejected(before, "faskes_min_stay")
    on_the_day = decide(member(since=since), TARGET, Reason.REGULAR, None, first_allowed)
    assert on_the_day.outcome == "approved"


@pytest.mark.parametrize(
    ("today", "effective"),
    [
        (date(2027, 1, 15), date(2027, 2, 1)),
        (date(2027, 2, 1), date(2027, 3, 1)),  # asked on the 1st: the 1st of the NEXT month
        (date(2027, 2, 28), date(2027, 3, 1)),
        (date(2028, 2, 29), date(2028, 3, 1)),
        (date(2027, 12, 1), date(2028, 1, 1)),  # December -> January of the next year
        (date(2027, 12, 31), date(2028, 1, 1)),
    ],
)
def test_effective_first_of_next_month(today: date, effective: date) -> None:
    decision = decide(member(), TARGET, Reason.REGULAR, None, today)
    assert decision == Decision(outcome="approved", effective_date=effective)
    assert decision.rule is None and decision.reason_en is None and decision.reason_id is None


def test_min_stay_names_the_date_in_both_languages() -> None:
    decision = decide(member(since=date(2026, 11, 1)), TARGET, Reason.REGULAR, None, TODAY)
    assert_rejected(decision, "faskes_min_stay")
    assert decision.reason_id == (
        "Perubahan FKTP baru dapat diajukan 3 bulan setelah terdaftar di FKTP saat ini "
        "(mulai 1 Februari 2027)."
    )
    assert "1 February 2027" in (decision.reason_en or "")


@pytest.mark.parametrize("reason", EXCEPTIONS)
def test_exceptions_need_no_letter_once_three_months_passed(reason: Reason) -> None:
    assert decide(member(), TARGET, reason, None, TODAY) == Decision.approve(date(2027, 2, 1))


@pytest.mark.parametrize("reason", EXCEPTIONS)
@pytest.mark.parametrize("evidence", [None, "", "   ", "\t\n"])
def test_exception_within_three_months_needs_a_letter(reason: Reason, evidence: str | None) -> None:
    decision = decide(member(since=date(2026, 12, 1)), TARGET, reason, evidence, TODAY)
    assert_rejected(decision, "faskes_evidence_required")


@pytest.mark.parametrize(
    ("reason", "letter_id"),
    [
        (Reason.DOMICILE_MOVE, "pindah domisili"),
        (Reason.POSTING, "surat tugas"),
        (Reason.REDISTRIBUTION, "pemerataan"),
    ],
)
def test_evidence_message_names_the_letter(reason: Reason, letter_id: str) -> None:
    decision = decide(member(since=date(2026, 12, 1)), TARGET, reason, None, TODAY)
    assert letter_id in (decision.reason_id or "")


@pytest.mark.parametrize("reason", EXCEPTIONS)
@pytest.mark.parametrize("since", [TODAY, TODAY - timedelta(days=1), date(2026, 10, 21)])
def test_exception_with_a_letter_goes_to_an_officer(reason: Reason, since: date) -> None:
    decision = decide(member(since=since), TARGET, reason, "upload/surat-123.pdf", TODAY)
    assert decision.outcome == "review"
    assert decision.rule == "faskes_exception_review"
    assert decision.reason_en and decision.reason_id
    assert decision.effective_date is None


@pytest.mark.parametrize("evidence", [None, "upload/surat-123.pdf"])
def test_regular_change_within_three_months_ignores_a_letter(evidence: str | None) -> None:
    decision = decide(member(since=date(2026, 12, 1)), TARGET, Reason.REGULAR, evidence, TODAY)
    assert_rejected(decision, "faskes_min_stay")


@pytest.mark.parametrize(
    ("approved_on", "effective"),
    [
        (date(2027, 1, 1), date(2027, 2, 1)),
        (date(2027, 1, 31), date(2027, 2, 1)),
        (date(2027, 12, 1), date(2028, 1, 1)),
        (date(2027, 12, 31), date(2028, 1, 1)),
    ],
)
def test_officer_approval_is_effective_next_month(approved_on: date, effective: date) -> None:
    assert effective_date_on_approval(approved_on) == effective


def test_reason_values_are_stable() -> None:
    assert [r.value for r in Reason] == ["regular", "domicile_move", "posting", "redistribution"]
    assert Reason("posting") is Reason.POSTING
