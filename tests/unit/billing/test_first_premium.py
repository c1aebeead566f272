"""A new PBPU family's first premium: accepted from day 14 to day 30 after registration."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from services.billing.domain.first_premium import first_premium_accepted, first_premium_window

REGISTERED = date(2026, 12, 20)


def test_window() -> None:
    assert first_premium_window(REGISTERED) == (date(2027, 1, 3), date(2027, 1, 19))


@pytest.mark.parametrize(("day", "accepted"), [(0, False), (13, False), (14, True), (15, True),
                                               (29, True), (30, True), (31, False), (-1, False)])
def test_boundaries(day: int, accepted: bool) -> None:
    assert first_premium_accepted(REGISTERED, REGISTERED + timedelta(days=day)) is accepted


def test_window_across_february() -> None:
    assert first_premium_window(date(2028, 2, 1)) == (date(2028, 2, 15), date(2028, 3, 2))
