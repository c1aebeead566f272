"""Who pays: family bills for PBPU/BP, employer bills for PPU, government bills for PBI."""

from __future__ import annotations

from dataclasses import replace

import pytest

from common.errors import InvalidInput
from services.billing.domain.bills import (
    BillLine,
    Participant,
    Payer,
    family_bill_lines,
    group_bills,
    payer_of,
    ppu_wage_base,
)
from services.billing.domain.periods import Period
from services.billing.domain.tariffs import TARIFFS

NOV = Period(2026, 11)
DEC = Period(2026, 12)
KK = "1871092005100003"
FAMILY = Payer("family", KK)
APBN = Payer("government", "APBN")
UMK = 2_856_245  # a regional minimum wage with rupiah that do not divide evenly


def member(i: int, segment: str = "PBPU", care_class: int = 2, **kw: object) -> Participant:
    return Participant(f"m{i}", segment, care_class, **kw)  # type: ignore[arg-type]


def worker(i: int = 0, wage: int = 5_000_000, employer: str = "E1", segment: str = "PPU_BU",
           minimum_wage: int = UMK) -> Participant:
    return Participant(f"m{i}", segment, 1, employer, "head", wage, minimum_wage)


def amounts(lines: list[BillLine], part: str) -> list[int]:
    return [line.amount for line in lines if line.part == part]


@pytest.mark.parametrize("segment", ["PBPU", "BP"])
@pytest.mark.parametrize(("care_class", "each"), [(1, 150_000), (2, 100_000)])
def test_self_paying_family_is_billed_whole(segment: str, care_class: int, each: int) -> None:
    members = [member(i, segment, care_class) for i in range(3)]
    lines = family_bill_lines(KK, members, NOV, TARIFFS)
    assert lines == [BillLine(FAMILY, NOV, f"m{i}", "premium", each) for i in range(3)]
    [bill] = group_bills(lines)
    assert (bill.payer, bill.period, bill.total) == (FAMILY, NOV, 3 * each)


def test_class_three_family_pays_35000_and_the_government_7000() -> None:
    lines = family_bill_lines(KK, [member(0, care_class=3), member(1, care_class=3)], NOV, TARIFFS)
    family, government = group_bills(lines)
    assert (family.payer, family.total) == (FAMILY, 70_000)
    assert (government.payer, government.total) == (APBN, 14_000)
    assert {line.part for line in government.lines} == {"subsidy"}


def test_pbi_is_billed_to_its_budget() -> None:
    lines = family_bill_lines(KK, [
        member(0, "PBI_APBN", 3), member(1, "PBI_APBD", 3, payer_id="APBD:1871"),
        member(2, "PBI_APBN", 3, payer_id="ignored"),
    ], NOV, TARIFFS)
    bills = {b.payer: b.total for b in group_bills(lines)}
    assert bills == {APBN: 84_000, Payer("government", "APBD:1871"): 42_000}
    assert FAMILY not in bills  # nothing is due from a PBI family


def test_pbi_apbd_needs_its_region() -> None:
    with pytest.raises(InvalidInput) as e:
        family_bill_lines(KK, [member(0, "PBI_APBD", 3)], NOV, TARIFFS)
    assert e.value.fields == ("payer_id",)


@pytest.mark.parametrize(
    ("wage", "minimum", "base"),
    [
        (1_000_000, UMK, UMK),  # below the regional minimum: the minimum counts
        (UMK, UMK, UMK),
        (UMK + 1, UMK, UMK + 1),
        (11_999_999, UMK, 11_999_999),
        (12_000_000, UMK, 12_000_000),
        (12_000_001, UMK, 12_000_000),  # above the cap: the cap counts
        (50_000_000, UMK, 12_000_000),
        (0, UMK, UMK),
        (1_000_000, 13_000_000, 12_000_000),  # a minimum above the cap: the cap wins
    ],
)
def test_ppu_wage_base(wage: int, minimum: int, base: int) -> None:
    assert ppu_wage_base(wage, minimum, 12_000_000) == base


def test_ppu_wage_base_refuses_negative() -> None:
    with pytest.raises(InvalidInput) as e:
        ppu_wage_base(-1, UMK, 12_000_000)
    assert e.value.fields == ("wage",)


@pytest.mark.parametrize(
    ("wage", "employer", "worker_share"),
    [
        (5_000_000, 200_000, 50_000),
        (1_000_000, 114_250, 28_562),  # UMK 2,856,245: 114,249.8 -> up; 28,562.45 -> down
        (2_856_250, 114_250, 28_563),  # 28,562.5: the half goes up
        (12_000_000, 480_000, 120_000),
        (20_000_000, 480_000, 120_000),
    ],
)
def test_ppu_shares(wage: int, employer: int, worker_share: int) -> None:
    lines = family_bill_lines(KK, [worker(wage=wage)], NOV, TARIFFS)
    assert amounts(lines, "employer_share") == [employer]
    assert amounts(lines, "worker_share") == [worker_share]
    assert {line.payer for line in lines} == {Payer("employer", "E1")}


@pytest.mark.parametrize(
    ("dependants", "extras"),
    [
        ([], 0),
        (["spouse", "child", "child", "child"], 0),  # the basic cover: no extra
        (["spouse", "child", "child", "child", "child"], 1),  # the 4th child
        (["child", "child", "child", "child", "child"], 2),
        (["spouse", "other"], 1),  # a parent or in-law
        (["spouse", "spouse"], 1),  # only one spouse is in the basic cover
        (["other", "other", "other"], 3),
    ],
)
def test_ppu_extra_members_pay_one_percent_each(dependants: list[str], extras: int) -> None:
    family = [worker(wage=4_000_000)] + [
        Participant(f"d{i}", "PPU_BU", 1, "E1", rel) for i, rel in enumerate(dependants)]
    lines = family_bill_lines(KK, family, NOV, TARIFFS)
    assert amounts(lines, "extra_member") == [40_000] * extras
    [bill] = group_bills(lines)
    assert bill.total == 200_000 + 40_000 * extras


def test_the_fourth_child_in_the_given_order_is_the_extra() -> None:
    children = [Participant(f"c{i}", "PPU_PN", 1, "E1", "child") for i in range(1, 5)]
    lines = family_bill_lines(KK, [worker(segment="PPU_PN"), *children], NOV, TARIFFS)
    assert [line.member_id for line in lines if line.part == "extra_member"] == ["c4"]


def test_extras_use_the_clamped_wage() -> None:
    family = [worker(wage=30_000_000), Participant("p", "PPU_BU", 1, "E1", "other")]
    assert amounts(family_bill_lines(KK, family, NOV, TARIFFS), "extra_member") == [120_000]


def test_two_workers_in_one_family_each_pay_their_own_share_once() -> None:
    spouse = Participant("s", "PPU_BU", 1, "E2", "spouse", 3_000_000, UMK)
    kids = [Participant(f"c{i}", "PPU_BU", 1, "E1", "child") for i in range(4)]
    lines = family_bill_lines(KK, [worker(), spouse, *kids], NOV, TARIFFS)
    bills = {b.payer.id: b.total for b in group_bills(lines)}
    # E1's worker covers the children (one extra); E2's worker pays only her own 5%.
    assert bills == {"E1": 250_000 + 50_000, "E2": 150_000}


def test_one_bill_per_employer_and_month_across_families() -> None:
    lines = (
        family_bill_lines("KK1", [worker(1, 4_000_000)], NOV, TARIFFS)
        + family_bill_lines("KK2", [worker(2, 6_000_000)], NOV, TARIFFS)
        + family_bill_lines("KK3", [worker(3, 6_000_000, employer="E9")], NOV, TARIFFS)
        + family_bill_lines("KK1", [worker(1, 4_000_000)], DEC, TARIFFS)
    )
    bills = group_bills(lines)
    assert [(b.payer.id, b.period, b.total) for b in bills] == [
        ("E1", NOV, 500_000), ("E1", DEC, 200_000), ("E9", NOV, 300_000)]
    assert all(b.total == sum(line.amount for line in b.lines) for b in bills)


def test_a_mixed_family_bills_each_payer() -> None:
    family = [member(0, "PBPU", 3), member(1, "PBI_APBN", 3), worker(2)]
    bills = {b.payer: b.total for b in group_bills(family_bill_lines(KK, family, NOV, TARIFFS))}
    assert bills == {FAMILY: 35_000, APBN: 7_000 + 42_000, Payer("employer", "E1"): 250_000}


@pytest.mark.parametrize(
    ("family", "field"),
    [
        ([Participant("d", "PPU_BU", 1, "E1", "spouse")], "wage"),  # dependant without worker
        ([Participant("w", "PPU_BU", 1, "E1", "head", 5_000_000)], "minimum_wage"),
        ([Participant("w", "PPU_BU", 1, "", "head", 5_000_000, UMK)], "payer_id"),  # no employer
        ([Participant("d", "PPU_BU", 1, "", "child"), worker()], "payer_id"),
        ([Participant("x", "VETERAN", 1)], "segment"),
        ([member(0, care_class=4)], "care_class"),
    ],
)
def test_incomplete_members_are_refused(family: list[Participant], field: str) -> None:
    with pytest.raises(InvalidInput) as e:
        family_bill_lines(KK, family, NOV, TARIFFS)
    assert e.value.fields == (field,)


def test_empty_family_has_no_lines() -> None:
    assert family_bill_lines(KK, [], NOV, TARIFFS) == []
    assert group_bills([]) == []


def test_a_new_tariff_row_changes_bills_from_its_period() -> None:
    kris = replace(TARIFFS.versions[0], effective_from=Period(2027, 1),
                   class_premiums=dict.fromkeys((1, 2, 3), 80_000), class_subsidies={},
                   ppu_wage_cap=15_000_000)
    table = TARIFFS.with_version(kris)
    family = [member(0, care_class=1), member(1, care_class=2)]
    assert group_bills(family_bill_lines(KK, family, DEC, table))[0].total == 250_000
    assert group_bills(family_bill_lines(KK, family, DEC + 1, table))[0].total == 160_000
    rich = [worker(wage=20_000_000)]
    assert amounts(family_bill_lines(KK, rich, DEC, table), "employer_share") == [480_000]
    assert amounts(family_bill_lines(KK, rich, DEC + 1, table), "employer_share") == [600_000]


@pytest.mark.parametrize(
    ("person", "payer"),
    [
        (member(0, "PBPU"), FAMILY),
        (member(0, "BP"), FAMILY),
        (Participant("w", "PPU_BU", 1, "E1", "head", 5_000_000, UMK), Payer("employer", "E1")),
        (Participant("d", "PPU_PN", 1, "KEMHAN", "child"), Payer("employer", "KEMHAN")),
        (member(0, "PBI_APBN", 3), APBN),
        (member(0, "PBI_APBD", 3, payer_id="APBD:1871"), Payer("government", "APBD:1871")),
    ],
)
def test_payer_of_says_who_pays_for_a_member(person: Participant, payer: Payer) -> None:
    # The app shows PPU and PBI members who pays for them (issue 16).
    assert payer_of(person, KK) == payer


def test_payer_of_refuses_an_unknown_segment() -> None:
    with pytest.raises(InvalidInput) as e:
        payer_of(member(0, "PBI"), KK)
    assert e.value.fields == ("segment",)
