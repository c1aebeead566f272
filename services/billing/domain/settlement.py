"""Settling a family's open months with a payment: oldest first, whole months, rest as credit."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from services.billing.domain.periods import Period


@dataclass(frozen=True)
class OpenBill:
    """One unpaid monthly bill of a payer and its whole amount."""

    period: Period
    amount: int


@dataclass(frozen=True)
class Settlement:
    """What a payment settled (oldest first), what stays open, and the credit left over."""

    settled: tuple[OpenBill, ...]
    still_open: tuple[OpenBill, ...]
    credit: int

    @property
    def settled_periods(self) -> tuple[Period, ...]:
        """The periods settled, oldest first."""
        return tuple(b.period for b in self.settled)


def settle(open_bills: Iterable[OpenBill], credit: int, paid: int = 0) -> Settlement:
    """Apply credit plus paid to the open bills, oldest first, settling only whole months."""
    # Pass only collectible bills (arrears.collectible): months beyond the 24 counted must not
    # absorb money. paid=0 applies existing credit to a newly issued bill ("used by the next
    # bill", issue 16).
    if credit < 0 or paid < 0:
        raise ValueError("credit and paid must not be negative")
    pool = credit + paid
    ordered = sorted(open_bills, key=lambda b: b.period)
    settled: list[OpenBill] = []
    for i, bill in enumerate(ordered):
        # §3 "Payment": a single member of the KK cannot be paid for, so a month is settled
        # whole or not at all; and money goes to the oldest month first, never skipping it for
        # a cheaper later one. What cannot settle a whole month is held as credit.
        if bill.amount > pool:
            return Settlement(tuple(settled), tuple(ordered[i:]), pool)
        pool -= bill.amount
        settled.append(bill)
    return Settlement(tuple(settled), (), pool)
