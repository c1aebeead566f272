"""When a notification is tried again, and when notify gives up. Pure: the clock is passed in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

# Waits after the 1st, 2nd, 3rd and 4th failed try; later tries wait the last one (until
# max_attempts). Short first: most failures are a provider's blip.
BACKOFF = tuple(timedelta(seconds=s) for s in (5, 30, 120, 600))


class Permanent(Exception):
    """The provider refused for good (a rejected address); retrying would not help."""


@dataclass(frozen=True, slots=True)
class Failure:
    """Why one try did not deliver; `permanent` when no retry can succeed."""

    error: str
    permanent: bool = False


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one try leaves: the notification's status, its try count, and when to try again."""

    attempt: int
    status: Literal["sent", "pending", "failed"]
    next_attempt_at: datetime | None
    final: bool  # failed and no retry follows


def after_attempt(
    attempts_before: int, failure: Failure | None, max_attempts: int, now: datetime
) -> Outcome:
    """The outcome of the next try, given how many came before and how it went."""
    attempt = attempts_before + 1
    if failure is None:
        return Outcome(attempt, "sent", None, final=False)
    if failure.permanent or attempt >= max_attempts:
        return Outcome(attempt, "failed", None, final=True)
    return Outcome(attempt, "pending", now + BACKOFF[min(attempt, len(BACKOFF)) - 1], final=False)


@dataclass(frozen=True, slots=True)
class DeliverDue:
    """Try each due notification once, up to `batch` of them (the dispatcher's command)."""

    batch: int = 20
