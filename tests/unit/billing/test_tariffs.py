"""Tariffs: the rows in force, class shares, and a later row (KRIS) changing later periods only."""

from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType
from typing import Any

import pytest

from common.errors import InvalidInput
from services.billing.domain.periods import Period
from services.billing.domain.tariffs import TARIFFS, TariffTable, tariff_table

P = Period.parse
BASE = TARIFFS.versions[0]
# A hypothetical KRIS single tariff: a new row copied from the last one, nothing else changes.
KRIS = replace(
    BASE,
    effective_from=P("2027-07"),
    class_premiums={1: 75_000, 2: 75_000, 3: 75_000},
    class_subsidies={3: 10_000},
    pbi_premium=75_000,
    source="test: a hypothetical KRIS single tariff",
)


@pytest.mark.parametrize(("care_class", "premium", "member", "subsidy"),
                         [(1, 150_000, 150_000, 0), (2, 100_000, 100_000, 0),
                          (3, 42_000, 35_000, 7_000)])
def test_programme_tariff(care_class: int, premium: int, member: int, subsidy: int) -> None:
    row = TARIFFS.for_period(P("2026-11"))
    assert row.class_premium(care_class) == premium
    assert row.member_share(care_class) == member
    assert row.subsidy(care_class) == subsidy
    assert row.member_share(care_class) + row.subsidy(care_class) == premium


def test_programme_ppu_and_pbi() -> None:
    row = TARIFFS.for_period(P("2021-01"))
    assert row.pbi_premium == 42_000
    assert (row.ppu_employer_bp, row.ppu_worker_bp, row.ppu_extra_bp) == (400, 100, 100)
    assert row.ppu_wage_cap == 12_000_000
    assert row.ppu_basic_children == 3
    assert row.subsidy_payer == "APBN"
    assert row.classes == (1, 2, 3)


def test_no_tariff_before_the_first_row() -> None:
    with pytest.raises(InvalidInput) as e:
        TARIFFS.for_period(P("2020-12"))
    assert e.value.fields == ("period",)


@pytest.mark.parametrize("care_class", [0, 4, True, -3])
def test_unknown_class(care_class: int) -> None:
    row = TARIFFS.for_period(P("2026-11"))
    for price in (row.class_premium, row.member_share, row.subsidy):
        with pytest.raises(InvalidInput) as e:
            price(care_class)
        assert e.value.fields == ("care_class",)


def test_a_later_row_changes_amounts_from_its_period_only() -> None:
    table = TARIFFS.with_version(KRIS)
    before, first, later = P("2027-06"), P("2027-07"), P("2030-01")
    assert table.for_period(before).class_premium(1) == 150_000
    assert table.for_period(before).member_share(3) == 35_000
    assert table.for_period(first).class_premium(1) == 75_000
    assert table.for_period(first).member_share(3) == 65_000
    assert table.for_period(first).pbi_premium == 75_000
    assert table.for_period(later) is KRIS
    # The original table is data that never changes under its readers.
    assert TARIFFS.for_period(first).class_premium(1) == 150_000


def test_rows_are_ordered_whatever_the_input_order() -> None:
    table = TariffTable((KRIS, BASE))
    assert table.versions == (BASE, KRIS)
    assert table.for_period(P("2026-01")) is BASE


def test_distinct_effective_periods_required() -> None:
    with pytest.raises(ValueError):
        TARIFFS.with_version(replace(BASE, class_premiums={1: 1}))
    with pytest.raises(ValueError):
        TariffTable(())


@pytest.mark.parametrize(
    "kwargs",
    [
        {"class_premiums": {}},
        {"class_subsidies": {3: 42_001}},
        {"class_premiums": {3: 42_000}, "class_subsidies": {2: 1}},
        {"class_subsidies": {3: -1}},
        {"class_premiums": {1: 150_000, 2: 100_000, 3: -1}, "class_subsidies": {}},
        {"ppu_worker_bp": -1},
        {"ppu_basic_children": -1},
        {"pbi_premium": -1},
        {"ppu_wage_cap": -1},
    ],
)
def test_bad_rows_are_refused(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        replace(BASE, **kwargs)


def test_rows_are_read_only() -> None:
    row = TARIFFS.versions[0]
    assert isinstance(row.class_premiums, MappingProxyType)
    with pytest.raises(TypeError):
        row.class_premiums[1] = 1  # type: ignore[index]


def test_table_from_stored_rows() -> None:
    # A database or JSON row has text keys and a YYYY-MM period.
    ppu = {"ppu_employer_bp": 400, "ppu_worker_bp": 100, "ppu_wage_cap": 12000000,
           "ppu_extra_bp": 100, "ppu_basic_children": 3, "subsidy_payer": "APBN"}
    table = tariff_table([
        {"effective_from": "2021-01", "class_premiums": {"1": 150000, "2": 100000, "3": 42000},
         "class_subsidies": {"3": 7000}, "pbi_premium": 42000, **ppu},
        {"effective_from": "2028-01", "class_premiums": {"3": 50000}, "pbi_premium": 50000, **ppu},
    ])
    assert table.for_period(P("2027-12")).member_share(3) == 35_000
    assert table.for_period(P("2028-01")).member_share(3) == 50_000
    assert table.for_period(P("2028-01")).classes == (3,)
    with pytest.raises(InvalidInput):
        table.for_period(P("2028-01")).class_premium(1)


def test_stored_row_with_a_bad_period() -> None:
    with pytest.raises(InvalidInput) as e:
        tariff_table([{"effective_from": "2021-1", "class_premiums": {"1": 1}}])
    assert e.value.fields == ("effective_from",)


def test_stored_row_missing_an_amount_is_refused() -> None:
    # No programme amount hides in a code default: a row without the PBI premium is an error.
    with pytest.raises(TypeError):
        tariff_table([{"effective_from": "2030-01", "class_premiums": {"1": 1}}])
