"""The reactivation penalty (denda pelayanan) for inpatient care soon after reactivation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from services.billing.domain.money import check_rupiah, percent_of

# domain.md §0, §3 "Arrears" (Perpres 64/2020): 5% x inpatient cost x months of arrears
# (at most 12), capped at Rp30,000,000, for inpatient care within 45 days of reactivation.
RATE_BP = 500  # 5%, in basis points
MAX_MONTHS = 12
CAP = 30_000_000
WINDOW_DAYS = 45


@dataclass(frozen=True)
class Penalty:
    """The penalty for one admission, the months it counted, and the window it falls in."""

    amount: int
    months: int
    window_ends: date | None


def penalty_window_end(reactivated_on: date) -> date:
    """The last admission day that carries a penalty: reactivation day + 45 days, included."""
    # Product decision: "within 45 days" counts calendar days after the reactivation day, so
    # the reactivation day is day 0 and day 45 is still inside; day 46 is free.
    return reactivated_on + timedelta(days=WINDOW_DAYS)


def service_penalty(
    inpatient_cost: int, arrears_months: int, reactivated_on: date | None, admission_date: date
) -> Penalty:
    """The denda pelayanan for an admission, given the arrears paid at the last reactivation."""
    check_rupiah(inpatient_cost, "inpatient_cost", minimum=0)
    if arrears_months < 0:
        raise ValueError("arrears_months must not be negative")
    if reactivated_on is None:
        return Penalty(0, 0, None)
    end = penalty_window_end(reactivated_on)
    # Admissions before the reactivation were not covered at all; that is eligibility's
    # answer, not a penalty, so they carry none here.
    if not reactivated_on <= admission_date <= end:
        return Penalty(0, 0, end)
    months = min(arrears_months, MAX_MONTHS)
    # Rounded half up to the rupiah like every percentage (tariffs.percent_of), then capped.
    amount = percent_of(inpatient_cost, RATE_BP * months)
    return Penalty(min(amount, CAP), months, end)
