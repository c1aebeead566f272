"""The login wait and the code budget (services/membership/domain/budgets.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.membership.domain.budgets import code_wait, login_wait, seconds_up

T0 = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
S = timedelta(seconds=1)


@pytest.mark.parametrize(("failures", "wait"), [
    (0, None), (1, None), (4, None), (5, 30), (6, 60), (7, 120), (8, 240), (9, 480),
    (10, 900), (11, 900), (50, 900), (10**6, 900),
])
def test_login_wait_grows_from_the_fifth_wrong_password_and_is_capped(failures, wait):
    got = login_wait(failures)
    assert (got.total_seconds() if got else None) == wait


def test_seconds_up_never_answers_early_or_zero():
    assert seconds_up(timedelta(seconds=29.01)) == 30
    assert seconds_up(timedelta(seconds=30)) == 30
    assert seconds_up(timedelta(0)) == 1
    assert seconds_up(timedelta(seconds=-3)) == 1


def test_three_codes_in_ten_minutes_then_wait_until_the_oldest_leaves():
    issued = [T0, T0 + 60 * S, T0 + 120 * S]
    assert code_wait(issued[:2], T0 + 130 * S) is None
    assert code_wait(issued, T0 + 130 * S) == 600 - 130
    assert code_wait(issued, T0 + 600 * S) is None  # the first left the window exactly now


def test_ten_codes_a_day_even_when_spread_beyond_ten_minutes():
    issued = [T0 + i * 15 * 60 * S for i in range(10)]  # one every 15 minutes
    now = issued[-1] + 15 * 60 * S
    assert code_wait(issued[:9], now) is None
    assert code_wait(issued, now) == int((T0 + timedelta(days=1) - now).total_seconds())
    assert code_wait(issued, T0 + timedelta(days=1) + S) is None


def test_codes_older_than_a_day_do_not_count():
    old = [T0 - timedelta(days=2)] * 20
    assert code_wait(old, T0) is None
