"""Who pays for whom: a family's members and a period become bill lines, grouped per payer."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from common.errors import InvalidInput
from services.billing.domain.money import percent_of
from services.billing.domain.periods import Period
from services.billing.domain.tariffs import TariffTable, TariffVersion

PayerKind = Literal["family", "employer", "government"]
# Who bears a line's cost: for PPU the employer is billed for the worker's 1% too and withholds
# it from the payroll, so the payer and the bearer differ.
Part = Literal["premium", "subsidy", "employer_share", "worker_share", "extra_member", "pbi"]

# domain.md §2: the six segments; who is billed for each (§0, §3 "Premiums", issue 16).
SELF_PAYING: frozenset[str] = frozenset({"PBPU", "BP"})
WAGE_EARNING: frozenset[str] = frozenset({"PPU_BU", "PPU_PN"})
GOVERNMENT_PAID: frozenset[str] = frozenset({"PBI_APBN", "PBI_APBD"})
SEGMENTS = SELF_PAYING | WAGE_EARNING | GOVERNMENT_PAID


@dataclass(frozen=True, order=True)
class Payer:
    """Whoever receives the bill: a family (KK), an employer, or a government budget."""

    kind: PayerKind
    id: str


@dataclass(frozen=True)
class Participant:
    """One member of a family as billing sees it (from membership's events)."""

    member_id: str
    segment: str
    care_class: int
    # The employer id for PPU, the budget ("APBN", or the region for APBD) for PBI; PBPU and
    # BP are billed to the family whatever this says.
    payer_id: str = ""
    relationship: str = "head"  # head, spouse, child, other (as membership records it)
    wage: int | None = None  # monthly wage of a PPU worker; None for dependants
    minimum_wage: int | None = None  # the regional minimum wage (UMK/UMP) at the workplace


@dataclass(frozen=True)
class BillLine:
    """One amount one payer owes for one member and period, and whose cost it is."""

    payer: Payer
    period: Period
    member_id: str
    part: Part
    amount: int


@dataclass(frozen=True)
class Bill:
    """Everything one payer owes for one period: one bill per payer and period (issue 16)."""

    payer: Payer
    period: Period
    lines: tuple[BillLine, ...]

    @property
    def total(self) -> int:
        """The bill's amount: the sum of its lines, so rounding never drifts from them."""
        return sum(line.amount for line in self.lines)


def _invalid(code: str, detail: str, detail_id: str, field: str) -> InvalidInput:
    return InvalidInput(code, detail, detail_id, field=field)


def ppu_wage_base(wage: int, minimum_wage: int, cap: int) -> int:
    """The wage the PPU percentages apply to: clamped to [regional minimum wage, cap] (§0)."""
    if wage < 0 or minimum_wage < 0:
        raise _invalid("wage_negative", "A wage cannot be negative.",
                       "Upah tidak boleh negatif.", "wage")
    # A minimum above the cap would be a data error in the region table; the cap wins, as the
    # programme's ceiling is national.
    return min(max(wage, minimum_wage), cap)


def payer_of(person: Participant, family_id: str) -> Payer:
    """Who is billed for a member: the family (PBPU/BP), the employer (PPU) or a budget (PBI)."""
    if person.segment in SELF_PAYING:
        return Payer("family", family_id)
    if person.segment in WAGE_EARNING:
        # A dependant's employer is the worker's; membership records it on every member.
        if not person.payer_id:
            raise _invalid("ppu_employer_missing", "A PPU member needs the employer.",
                           "Peserta PPU memerlukan pemberi kerja.", "payer_id")
        return Payer("employer", person.payer_id)
    if person.segment == "PBI_APBN":
        return Payer("government", "APBN")
    if person.segment == "PBI_APBD":
        if not person.payer_id:
            raise _invalid("pbi_payer_missing", "A PBI APBD member needs the paying region.",
                           "Peserta PBI APBD memerlukan pemerintah daerah pembayar.", "payer_id")
        return Payer("government", person.payer_id)
    raise _invalid("segment_unknown", "Unknown membership segment.",
                   "Segmen kepesertaan tidak dikenal.", "segment")


def _extras(dependants: Sequence[Participant], basic_children: int) -> list[Participant]:
    # §3 "Registration": basic cover is the worker, one spouse and up to 3 children; the 4th
    # child on (in the order given, eldest first) and parents, in-laws or others are extras.
    extras: list[Participant] = []
    spouses = children = 0
    for person in dependants:
        if person.relationship == "spouse" and spouses == 0:
            spouses += 1
        elif person.relationship == "child" and children < basic_children:
            children += 1
        else:
            extras.append(person)
    return extras


def _ppu_lines(
    worker: Participant, dependants: Sequence[Participant], period: Period, row: TariffVersion
) -> list[BillLine]:
    if worker.wage is None or worker.minimum_wage is None:
        raise _invalid("ppu_worker_incomplete",
                       "A PPU worker needs a wage and the regional minimum wage.",
                       "Pekerja PPU memerlukan upah dan upah minimum daerah.", "minimum_wage")
    base = ppu_wage_base(worker.wage, worker.minimum_wage, row.ppu_wage_cap)
    employer = payer_of(worker, "")
    # Rounding is per person and per share (employer 4%, worker 1%, each extra 1%), so each
    # bearer's part is a whole rupiah and the employer's bill is exactly the sum of its lines.
    lines = [
        BillLine(employer, period, worker.member_id, "employer_share",
                 percent_of(base, row.ppu_employer_bp)),
        BillLine(employer, period, worker.member_id, "worker_share",
                 percent_of(base, row.ppu_worker_bp)),
    ]
    for extra in _extras(dependants, row.ppu_basic_children):
        lines.append(BillLine(employer, period, extra.member_id, "extra_member",
                              percent_of(base, row.ppu_extra_bp)))
    return lines


def family_bill_lines(
    family_id: str, members: Sequence[Participant], period: Period, tariffs: TariffTable
) -> list[BillLine]:
    """Every bill line a family's members cause for one period, for every payer involved."""
    row = tariffs.for_period(period)
    payers = [payer_of(person, family_id) for person in members]  # refuses unknown segments
    lines: list[BillLine] = []
    for person, payer in zip(members, payers, strict=True):
        if person.segment in SELF_PAYING:
            # §3 "Payment": the whole KK is billed together; the government's class III share
            # goes on the government's own bill, so the family sees only what it pays.
            lines.append(BillLine(payer, period, person.member_id, "premium",
                                  row.member_share(person.care_class)))
            if subsidy := row.subsidy(person.care_class):
                lines.append(BillLine(Payer("government", row.subsidy_payer), period,
                                      person.member_id, "subsidy", subsidy))
        elif person.segment in GOVERNMENT_PAID:
            lines.append(BillLine(payer, period, person.member_id, "pbi",
                                  row.pbi_premium))
    lines.extend(_ppu_family_lines(members, period, row))
    return lines


def _ppu_family_lines(
    members: Sequence[Participant], period: Period, row: TariffVersion
) -> list[BillLine]:
    wage_earning = [p for p in members if p.segment in WAGE_EARNING]
    workers = [p for p in wage_earning if p.wage is not None]
    dependants = [p for p in wage_earning if p.wage is None]
    if dependants and not workers:
        raise _invalid("ppu_worker_missing", "PPU dependants need the worker they belong to.",
                       "Tanggungan PPU memerlukan pekerja penanggungnya.", "wage")
    lines: list[BillLine] = []
    for i, worker in enumerate(workers):
        # Dependants are covered by one worker (the first listed, normally the KK head); a
        # second working spouse pays their own 5% and covers nobody twice.
        lines.extend(_ppu_lines(worker, dependants if i == 0 else (), period, row))
    return lines


def group_bills(lines: Iterable[BillLine]) -> list[Bill]:
    """Lines grouped into one bill per payer and period, ordered by payer then period."""
    grouped: dict[tuple[Payer, Period], list[BillLine]] = {}
    for line in lines:
        grouped.setdefault((line.payer, line.period), []).append(line)
    return [Bill(payer, period, tuple(group))
            for (payer, period), group in sorted(grouped.items(), key=lambda kv: kv[0])]


def family_bills(family_id: str, members: Sequence[Participant], periods: Iterable[Period],
                 tariffs: TariffTable) -> list[Bill]:
    """The family's own bill (what the family pays, not its government or employer lines) for
    each period the tariff table prices; periods without a tariff are left out."""
    payer = Payer("family", family_id)
    out = []
    for period in periods:
        try:
            lines = family_bill_lines(family_id, members, period, tariffs)
        except InvalidInput as exc:
            # Months before the first tariff row are beyond the 24 counted anyway (tariffs.py).
            if exc.code == "tariff_missing":
                continue
            raise
        own = tuple(line for line in lines if line.payer == payer)
        if own:
            out.append(Bill(payer, period, own))
    return out
