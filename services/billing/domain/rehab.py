"""REHAB (Rencana Pembayaran Bertahap): paying 4 to 24 months of arrears in up to 12 parts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from common.errors import InvalidInput, RuleViolated
from services.billing.domain.arrears import MAX_COUNTED_ARREARS
from services.billing.domain.bills import SELF_PAYING
from services.billing.domain.money import check_rupiah
from services.billing.domain.periods import DUE_DAY, Period

# domain.md §1 and §3 "Arrears" [S7]: arrears of 4-24 months, at most 12 instalments.
MIN_ARREARS_MONTHS = 4
MAX_ARREARS_MONTHS = MAX_COUNTED_ARREARS
MAX_PARTS = 12
# Product decision: one part is simply paying the arrears, so a plan has at least two.
MIN_PARTS = 2
# Product decision: REHAB is for the families that pay for themselves (the source names PBPU;
# BP families are billed the same way). PPU arrears are the employer's, PBI the government's.
SEGMENTS = SELF_PAYING


@dataclass(frozen=True)
class Instalment:
    """One part of a plan: its number (1-based), the period it falls in, due date and amount."""

    number: int
    period: Period
    due_date: date
    amount: int


def check_eligible(segment: str, arrears_months: int) -> None:
    """RuleViolated unless a family of this segment with these counted arrears may take REHAB."""
    if segment not in SEGMENTS:
        raise RuleViolated("rehab_segment",
                           "Instalment plans (REHAB) are for self-paying families (PBPU, BP).",
                           "Program REHAB hanya untuk keluarga peserta mandiri (PBPU, BP).",
                           field="segment")
    if not MIN_ARREARS_MONTHS <= arrears_months <= MAX_ARREARS_MONTHS:
        raise RuleViolated("rehab_arrears",
                           f"An instalment plan needs {MIN_ARREARS_MONTHS} to "
                           f"{MAX_ARREARS_MONTHS} months of arrears; you have {arrears_months}.",
                           f"Program REHAB untuk tunggakan {MIN_ARREARS_MONTHS} sampai "
                           f"{MAX_ARREARS_MONTHS} bulan; tunggakan Anda {arrears_months} bulan.",
                           field="arrears")


def first_instalment_period(today: date) -> Period:
    """The month of the first part: this month up to its due day, otherwise the next month."""
    # Product decision: a plan taken after the 10th would start overdue; it starts next month.
    current = Period.of(today)
    return current if today.day <= DUE_DAY else current.next()


def schedule(arrears_total: int, parts: int, first: Period) -> list[Instalment]:
    """Monthly parts summing exactly to the arrears; the rupiah remainder goes on the first."""
    check_rupiah(arrears_total, "arrears_total")
    if isinstance(parts, bool) or not MIN_PARTS <= parts <= MAX_PARTS:
        raise InvalidInput("rehab_parts",
                           f"A plan has {MIN_PARTS} to {MAX_PARTS} parts.",
                           f"Program REHAB terdiri dari {MIN_PARTS} sampai {MAX_PARTS} tahap.",
                           field="parts")
    # Product decision: the remainder goes on the first part, so the largest payment clears
    # arrears soonest and every later part is the same amount.
    base, remainder = divmod(arrears_total, parts)
    return [
        Instalment(n, first + (n - 1), (first + (n - 1)).due_date(),
                   base + (remainder if n == 1 else 0))
        for n in range(1, parts + 1)
    ]


def instalments_paid(plan: Sequence[Instalment], paid_total: int) -> int:
    """How many parts the money paid into the plan covers, whole parts in order."""
    count, left = 0, paid_total
    for part in sorted(plan, key=lambda p: p.number):
        if part.amount > left:
            break
        left -= part.amount
        count += 1
    return count


def plan_reactivates(plan: Sequence[Instalment], paid_total: int, current_paid: bool) -> bool:
    """True when every part is paid and the current month too: only then is the KK active."""
    # §3 "Payment" [S7]: the KK reactivates only when *all* arrears are paid, plus the current
    # month (§0); a plan in progress keeps the family non-active.
    return bool(plan) and current_paid and instalments_paid(plan, paid_total) == len(plan)
