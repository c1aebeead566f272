"""Money is whole rupiah in ints; percentages are basis points, rounded half up to the rupiah."""

from __future__ import annotations

from common.errors import InvalidInput

# Percentages are basis points (1% = 100) so every rate is an exact integer, never a float.
BASIS = 10_000


def percent_of(amount: int, basis_points: int) -> int:
    """amount x basis_points / 10,000, rounded half up to the whole rupiah."""
    # Product decision: the programme bills whole rupiah; half up (the school rule) is what a
    # payroll clerk does by hand, and exact integer arithmetic keeps it reproducible.
    if amount < 0 or basis_points < 0:
        raise ValueError("amount and rate must not be negative")
    return (amount * basis_points * 2 + BASIS) // (2 * BASIS)


def check_rupiah(value: object, field: str, *, minimum: int = 1) -> int:
    """A whole number of rupiah of at least minimum; InvalidInput naming field otherwise."""
    # bool is an int in Python; a parsed True must not pay Rp1.
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise InvalidInput(
            "amount_invalid",
            f"{field} must be a whole number of rupiah of at least {minimum}.",
            f"{field} harus bilangan bulat rupiah, paling sedikit {minimum}.",
            field=field,
        )
    return value
