"""Pure limits on repeated attempts: the login wait after wrong passwords, and the code budget
(codes cost money: SMS was judged too expensive in the study)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

# Login throttling per account (issue 15 §2): the first 5 wrong passwords are free (typos),
# then each further one waits twice as long, 30 s up to 15 min, so a guesser gets ~100 tries a
# day while the member, told on their channel, is only slowed.
FREE_LOGIN_FAILURES = 5
FIRST_LOGIN_WAIT = timedelta(seconds=30)
MAX_LOGIN_WAIT = timedelta(minutes=15)

# Code budget (issue 15 §2): per person and per destination, across registrations, resends
# and contact changes.
CODE_WINDOWS: tuple[tuple[timedelta, int], ...] = ((timedelta(minutes=10), 3),
                                                   (timedelta(days=1), 10))
LONGEST_CODE_WINDOW = max(window for window, _ in CODE_WINDOWS)


def login_wait(failures: int) -> timedelta | None:
    """How long an account waits after its `failures`-th wrong password in a row (None: not)."""
    if failures < FREE_LOGIN_FAILURES:
        return None
    doublings = failures - FREE_LOGIN_FAILURES
    if doublings >= 10:  # 30 s * 2**5 already passes the cap; avoid huge numbers
        return MAX_LOGIN_WAIT
    return min(FIRST_LOGIN_WAIT * 2**doublings, MAX_LOGIN_WAIT)


def seconds_up(delta: timedelta) -> int:
    """A wait in whole seconds, rounded up (Retry-After must never be early), at least 1."""
    return max(1, -int(-delta.total_seconds() // 1))


def code_wait(issued: Sequence[datetime], now: datetime) -> int | None:
    """Seconds until one more code fits every window, given the codes already issued (None:
    it fits now)."""
    wait = 0
    for window, limit in CODE_WINDOWS:
        inside = sorted(t for t in issued if t > now - window)
        if len(inside) >= limit:
            # The window frees a slot when the oldest code that keeps it full leaves it.
            frees_at = inside[len(inside) - limit] + window
            wait = max(wait, seconds_up(frees_at - now))
    return wait or None
