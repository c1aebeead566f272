"""The synthetic billing register: payers, wages, the minimum wage and opening arrears."""

from __future__ import annotations

import dataclasses
from collections import Counter
from itertools import groupby

import pytest

from synthetic.billing import (
    APBD_PAYER,
    CLASS_I_WAGE,
    DEMO_ARREARS,
    MAX_OPENING_ARREARS,
    MINIMUM_WAGE,
    FamilyBilling,
    family_billing,
)
from synthetic.population import AS_OF, DEMO_PEOPLE, Person, population

WAGE_CAP = 12_000_000  # the programme's PPU wage ceiling (domain.md §0)


@pytest.fixture(scope="module")
def families() -> list[list[Person]]:
    return [list(g) for _, g in groupby(population(60_000), key=lambda p: p.family_id)]


@pytest.fixture(scope="module")
def register(families) -> list[tuple[list[Person], FamilyBilling]]:
    return [(f, family_billing(f)) for f in families]


def _heads(segment: str, corps: str | None, care_class: int, n: int) -> list[list[Person]]:
    """n one-person families of a segment, told apart by KK number only."""
    template = next(p for p in population(2_000) if p.segment == segment
                    and p.relationship == "head")
    return [[dataclasses.replace(template, family_id=f"1871{i:012d}", pn_corps=corps,
                                 care_class=care_class)] for i in range(n)]


def test_the_register_is_deterministic_and_independent_of_order_and_size(families) -> None:
    assert [family_billing(f) for f in families[:500]] == [
        family_billing(list(reversed(f))) for f in families[:500]]
    shorter = [list(g) for _, g in groupby(population(5_000), key=lambda p: p.family_id)]
    for family in shorter[:-1]:  # the last family of a shorter run may be cut
        assert family_billing(family) == family_billing(
            next(f for f in families if f[0].family_id == family[0].family_id))


def test_who_pays_follows_the_segment(register) -> None:
    for family, b in register:
        segment = family[0].segment
        if segment in ("PPU_BU", "PPU_PN"):
            head = next(p for p in family if p.relationship == "head")
            assert b.worker_id == head.member_id
            assert b.payer_id.startswith("BU-" if segment == "PPU_BU" else f"PN-{head.pn_corps}-")
            assert b.wage and b.wage > 0 and b.minimum_wage == MINIMUM_WAGE
        else:
            assert b.payer_id == (APBD_PAYER if segment == "PBI_APBD" else "")
            assert b.worker_id is b.wage is b.minimum_wage is None


def test_private_employers_are_many_small_and_a_few_large() -> None:
    # About the number of PPU BU workers at the study's 856,723 participants.
    workers = _heads("PPU_BU", None, 2, 45_000)
    sizes = sorted(Counter(family_billing(f).payer_id for f in workers).values(), reverse=True)
    assert 300 <= len(sizes) <= 5_000
    assert sizes[len(sizes) // 2] <= 15  # the median employer is small
    assert sizes[0] >= 500  # the largest employs hundreds or more
    top_tenth = sum(sizes[: len(sizes) // 10])
    assert top_tenth > 0.4 * len(workers)  # a heavy tail


def test_government_agencies_are_fewer_and_match_the_corps() -> None:
    for corps in ("PNS", "TNI", "POLRI"):
        agencies = Counter(family_billing(f).payer_id for f in _heads("PPU_PN", corps, 1, 5_000))
        assert all(a.startswith(f"PN-{corps}-") for a in agencies)
        assert 3 <= len(agencies) <= 200
        assert max(agencies.values()) >= 100


def _wages(segment: str, corps: str | None, care_class: int) -> list[int]:
    return sorted(family_billing(f).wage for f in _heads(segment, corps, care_class, 5_000))


def test_private_wages_agree_with_the_class_and_spread_around_the_minimum() -> None:
    class_two, class_one = _wages("PPU_BU", None, 2), _wages("PPU_BU", None, 1)
    assert max(class_two) <= CLASS_I_WAGE < min(class_one)
    below = sum(w < MINIMUM_WAGE for w in class_two) / len(class_two)
    at = sum(w == MINIMUM_WAGE for w in class_two) / len(class_two)
    assert 0.05 < below < 0.25 and 0.3 < at < 0.6
    above_cap = sum(w > WAGE_CAP for w in class_one) / len(class_one)
    assert 0.04 < above_cap < 0.2
    assert 5_000_000 < class_one[len(class_one) // 2] < 8_000_000


def test_civil_service_wages_include_both_clamping_cases() -> None:
    ranks_low, ranks_high = _wages("PPU_PN", "PNS", 2), _wages("PPU_PN", "PNS", 1)
    assert any(w < MINIMUM_WAGE for w in ranks_low)
    assert any(w > WAGE_CAP for w in ranks_high)
    assert ranks_low[len(ranks_low) // 2] < ranks_high[len(ranks_high) // 2]


def test_the_minimum_wage_is_bandar_lampungs_2026_umk() -> None:
    assert MINIMUM_WAGE == 3_491_889


def test_opening_arrears_only_for_inactive_families_and_longest_for_mandiri(register) -> None:
    by_segment: dict[str, list[int]] = {}
    for family, b in register:
        if family[0].family_id in DEMO_ARREARS:
            continue
        assert (b.arrears_months > 0) == (family[0].coverage == "inactive")
        assert b.coverage == family[0].coverage
        if b.arrears_months:
            first = min(p.registered_at for p in family)
            since = (AS_OF.year - first.year) * 12 + AS_OF.month - first.month
            assert 1 <= b.arrears_months <= min(MAX_OPENING_ARREARS, max(since, 1))
            by_segment.setdefault(family[0].segment, []).append(b.arrears_months)
    mean = {s: sum(v) / len(v) for s, v in by_segment.items()}
    assert mean["PBPU"] == max(mean.values())
    assert max(by_segment["PBPU"]) > 24  # beyond what reactivation counts
    assert any(4 <= m <= 24 for m in by_segment["PBPU"])  # REHAB candidates


def test_the_demo_pbpu_family_owes_two_months_and_the_other_demo_families_none() -> None:
    by_kk = {kk: list(g) for kk, g in groupby(DEMO_PEOPLE, key=lambda p: p.family_id)}
    hendra = DEMO_PEOPLE[0].family_id
    demo = family_billing(by_kk.pop(hendra))
    assert (demo.arrears_months, demo.coverage) == (2, "inactive")
    assert all(family_billing(f).coverage == "active" for f in by_kk.values())


def test_an_empty_family_is_refused() -> None:
    with pytest.raises(ValueError):
        family_billing([])
