"""What one delivery try leaves: sent, tried again later (backoff with jitter, per channel), or
dead-lettered. Pure: the clock and the random source are passed in."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from services.notify.domain.backoff import DeadLetter, RetryPolicy, after_failure


class Permanent(Exception):
    """The provider refused for good (a rejected address); retrying would not help."""


class Gone(Permanent):
    """The provider says the address no longer exists (an unregistered push token)."""


@dataclass(frozen=True, slots=True)
class Failure:
    """Why one try did not deliver; `permanent` when no retry can succeed, `gone` when the
    address itself should be forgotten."""

    error: str
    permanent: bool = False
    gone: bool = False


def equal_jitter() -> float:
    """A wait between half its ceiling and the ceiling: still spread (a provider coming back
    is not hit by every retry at once) but never near zero, so a policy's tries span a known
    least time (backoff.POLICIES)."""
    return 0.5 + random.random() / 2


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one try leaves: the notification's status, its try count, and when to try again."""

    attempt: int
    status: Literal["sent", "pending", "failed"]
    next_attempt_at: datetime | None
    final: bool  # failed and no retry follows: a dead letter


def after_attempt(
    attempts_before: int,
    failure: Failure | None,
    policy: RetryPolicy,
    now: datetime,
    *,
    limit: int | None = None,
    deadline: datetime | None = None,
    rand: Callable[[], float] = equal_jitter,
) -> Outcome:
    """The outcome of the next try, given how many came before and how it went. `limit` (a
    replay's) caps the tries below the policy's; `deadline` (a code's expiry) gives up rather
    than retry after it."""
    attempt = attempts_before + 1
    if failure is None:
        return Outcome(attempt, "sent", None, final=False)
    if limit is not None and attempt >= limit:
        failure = Failure(failure.error, permanent=True)
    if failure.permanent:
        return Outcome(attempt, "failed", None, final=True)
    after = after_failure(attempt, failure.error, policy, now, rand, deadline)
    if isinstance(after, DeadLetter):
        return Outcome(attempt, "failed", None, final=True)
    return Outcome(attempt, "pending", after.at, final=False)


@dataclass(frozen=True, slots=True)
class DeliverDue:
    """Try each due notification once, up to `batch` of them (the dispatcher's command)."""

    batch: int = 50
