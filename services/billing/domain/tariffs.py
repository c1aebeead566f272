"""Premium tariffs as versioned rows with effective periods: a new tariff is a new row."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from common.errors import InvalidInput
from services.billing.domain.periods import Period


@dataclass(frozen=True, eq=False, kw_only=True)
class TariffVersion:
    """One row of the tariff table: every amount and rate in force from `effective_from` on."""

    # Every amount is required, never a code default: a row is the whole tariff of its periods
    # (a new row is usually dataclasses.replace(previous, effective_from=..., ...)).
    effective_from: Period
    # PBPU/BP, per person per month, by care class (domain.md §0, §3 "Premiums").
    class_premiums: Mapping[int, int]
    # The part of class_premiums the government pays (class III: Rp7,000 since 2021, §3).
    class_subsidies: Mapping[int, int] = field(default_factory=dict)
    subsidy_payer: str
    # PBI: per person per month, paid by the government (APBN or APBD) (§2, §3).
    pbi_premium: int
    # PPU: a share of the wage clamped to [regional minimum wage, cap], in basis points (§0).
    ppu_employer_bp: int
    ppu_worker_bp: int
    ppu_wage_cap: int
    # PPU basic cover is the worker, a spouse and up to ppu_basic_children children; each
    # extra member adds ppu_extra_bp of the wage, paid by the worker (§3 "Registration", S21).
    ppu_extra_bp: int
    ppu_basic_children: int
    source: str = ""

    def __post_init__(self) -> None:
        # Read-only views: a row is shared by every bill of its periods and must not drift.
        object.__setattr__(self, "class_premiums", MappingProxyType(dict(self.class_premiums)))
        object.__setattr__(self, "class_subsidies", MappingProxyType(dict(self.class_subsidies)))
        if not self.class_premiums:
            raise ValueError(f"tariff {self.effective_from}: no class premiums")
        for care_class, subsidy in self.class_subsidies.items():
            if not 0 <= subsidy <= self.class_premiums.get(care_class, -1):
                raise ValueError(f"tariff {self.effective_from}: bad subsidy for {care_class}")
        amounts = (*self.class_premiums.values(), self.pbi_premium, self.ppu_wage_cap)
        rates = (self.ppu_employer_bp, self.ppu_worker_bp, self.ppu_extra_bp)
        if min(amounts) < 0 or min(rates) < 0 or self.ppu_basic_children < 0:
            raise ValueError(f"tariff {self.effective_from}: negative amount or rate")

    @property
    def classes(self) -> tuple[int, ...]:
        """The care classes this row prices (a KRIS single tariff may price one)."""
        return tuple(sorted(self.class_premiums))

    def class_premium(self, care_class: int) -> int:
        """The whole premium per person per month for a PBPU/BP care class."""
        if isinstance(care_class, bool) or care_class not in self.class_premiums:
            raise InvalidInput(
                "care_class_unknown",
                f"No premium for care class {care_class!r} in {self.effective_from}.",
                f"Tidak ada iuran untuk kelas {care_class!r} pada {self.effective_from}.",
                field="care_class",
            )
        return self.class_premiums[care_class]

    def member_share(self, care_class: int) -> int:
        """What a PBPU/BP member pays per month for a class: the premium less the subsidy."""
        return self.class_premium(care_class) - self.class_subsidies.get(care_class, 0)

    def subsidy(self, care_class: int) -> int:
        """What the government pays per month towards a PBPU/BP member of this class."""
        self.class_premium(care_class)
        return self.class_subsidies.get(care_class, 0)


@dataclass(frozen=True)
class TariffTable:
    """Tariff rows in effective order; a new tariff (KRIS) is a new row, not a code change."""

    versions: tuple[TariffVersion, ...]

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.versions, key=lambda v: v.effective_from))
        starts = [v.effective_from for v in ordered]
        if not ordered or len(set(starts)) != len(starts):
            raise ValueError("a tariff table needs rows with distinct effective periods")
        object.__setattr__(self, "versions", ordered)

    def for_period(self, period: Period) -> TariffVersion:
        """The row in force for a period: the latest whose effective_from is not after it."""
        found = None
        for version in self.versions:
            if version.effective_from <= period:
                found = version
        if found is None:
            raise InvalidInput(
                "tariff_missing",
                f"No tariff is known for {period}.",
                f"Tidak ada tarif iuran untuk {period}.",
                field="period",
            )
        return found

    def with_version(self, version: TariffVersion) -> TariffTable:
        """A new table with one more row (the table itself never changes)."""
        return TariffTable((*self.versions, version))


def tariff_from_row(row: Mapping[str, Any]) -> TariffVersion:
    """A tariff row from stored data: effective_from as YYYY-MM, class keys as text or int."""
    fields = dict(row)
    fields["effective_from"] = Period.parse(str(fields["effective_from"]), "effective_from")
    for key in ("class_premiums", "class_subsidies"):
        if key in fields:
            fields[key] = {int(k): int(v) for k, v in fields[key].items()}
    return TariffVersion(**fields)


def tariff_table(rows: Iterable[Mapping[str, Any]]) -> TariffTable:
    """A tariff table from stored rows (a database table or a file)."""
    return TariffTable(tuple(tariff_from_row(r) for r in rows))


# domain.md §0 and §3: unchanged from July 2020 through 2026 except that the class III member
# share fell to Rp35,000 with Rp7,000 from the government in 2021. The table starts in 2021:
# bills older than that are beyond the 24 counted months of arrears anyway (§3 "Arrears").
TARIFFS = tariff_table(
    [
        {
            "effective_from": "2021-01",
            "class_premiums": {1: 150_000, 2: 100_000, 3: 42_000},
            "class_subsidies": {3: 7_000},
            "subsidy_payer": "APBN",
            "pbi_premium": 42_000,
            # 5% of the wage: 4% employer, 1% worker; the wage counts up to Rp12,000,000.
            "ppu_employer_bp": 400,
            "ppu_worker_bp": 100,
            "ppu_wage_cap": 12_000_000,
            "ppu_extra_bp": 100,
            "ppu_basic_children": 3,
            "source": "Perpres 64/2020; domain.md §0, §3 [S27, S19, S21, S17]",
        },
    ]
)
