"""Per-channel retries: exponential backoff with full jitter, capped, then a dead letter. Pure.

Full jitter (a random wait between zero and the capped exponential) spreads the retries of
many messages that failed together, so a provider coming back is not hit by them all at once.
The random source is passed in, so tests are deterministic; the dispatcher passes equal jitter
(domain/delivery.equal_jitter), which keeps the spread but bounds how soon the tries run out.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from services.notify.domain.routing import Channel


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """The first wait's ceiling, the longest wait, and how many tries in all."""

    base: timedelta
    cap: timedelta
    max_attempts: int

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if self.base <= timedelta(0) or self.cap < self.base:
            raise ValueError("base must be positive and cap at least base")

    def ceiling(self, attempt: int) -> timedelta:
        """The longest wait after failed try number `attempt` (1-based): base * 2^(n-1), capped."""
        if attempt < 1:
            raise ValueError("attempt is 1-based")
        # Compared in float seconds first: base * 2^n overflows timedelta long before n is large.
        doublings = min(attempt - 1, 64)
        if self.base.total_seconds() * 2**doublings >= self.cap.total_seconds():
            return self.cap
        return self.base * 2**doublings


# Push and chat are quick providers that recover quickly; email and SMS gateways throttle, so
# they wait longer. Six tries each: with the dispatcher's equal jitter (each wait at least half
# its ceiling, domain/delivery.py) the five waits before the last try add up to at least 77.5 s
# for email and SMS, so a provider down for a minute loses nothing to the dead letters.
POLICIES: dict[Channel, RetryPolicy] = {
    Channel.PUSH: RetryPolicy(timedelta(seconds=1), timedelta(minutes=1), 6),
    Channel.CHAT: RetryPolicy(timedelta(seconds=2), timedelta(minutes=5), 6),
    Channel.EMAIL: RetryPolicy(timedelta(seconds=5), timedelta(minutes=10), 6),
    Channel.SMS: RetryPolicy(timedelta(seconds=5), timedelta(minutes=10), 6),
}


@dataclass(frozen=True, slots=True)
class Retry:
    """Try again at `at`."""

    at: datetime


@dataclass(frozen=True, slots=True)
class DeadLetter:
    """No more tries; the message goes to the dead letters with the error."""

    error: str


def after_failure(
    attempt: int,
    error: str,
    policy: RetryPolicy,
    now: datetime,
    rand: Callable[[], float] = random.random,
    deadline: datetime | None = None,
) -> Retry | DeadLetter:
    """What follows failed try number `attempt`. `deadline` (a code's expiry) dead-letters a
    retry that would land after it: a code delivered late is worse than none."""
    if attempt >= policy.max_attempts:
        return DeadLetter(error)
    r = rand()
    if not 0.0 <= r <= 1.0:
        raise ValueError("rand must return a number in [0, 1]")
    at = now + policy.ceiling(attempt) * r
    if deadline is not None and at >= deadline:
        return DeadLetter(error)
    return Retry(at)
