"""Per-channel retries: capped exponential backoff with full jitter, then a dead letter."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from services.notify.domain.backoff import (
    POLICIES,
    DeadLetter,
    Retry,
    RetryPolicy,
    after_failure,
)
from services.notify.domain.routing import Channel

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
POLICY = RetryPolicy(timedelta(seconds=1), timedelta(seconds=60), max_attempts=10)


def test_the_ceiling_doubles_from_base_and_stops_at_the_cap():
    got = [POLICY.ceiling(n).total_seconds() for n in range(1, 10)]
    assert got == [1, 2, 4, 8, 16, 32, 60, 60, 60]


def test_a_huge_attempt_number_is_the_cap_not_an_overflow():
    assert POLICY.ceiling(10**9) == timedelta(seconds=60)
    assert POLICY.ceiling(66) == timedelta(seconds=60)


def test_full_jitter_spans_zero_to_the_ceiling():
    assert after_failure(3, "e", POLICY, NOW, rand=lambda: 0.0) == Retry(NOW)
    assert after_failure(3, "e", POLICY, NOW, rand=lambda: 1.0) == Retry(NOW + timedelta(seconds=4))
    assert after_failure(3, "e", POLICY, NOW, rand=lambda: 0.5) == Retry(NOW + timedelta(seconds=2))


def test_a_seeded_source_gives_the_same_schedule_and_stays_under_the_ceiling():
    def schedule(seed: int) -> list:
        rng = random.Random(seed)
        return [after_failure(n, "e", POLICY, NOW, rand=rng.random) for n in range(1, 10)]

    first = schedule(42)
    assert first == schedule(42) != schedule(43)
    for n, r in enumerate(first, start=1):
        assert isinstance(r, Retry) and NOW <= r.at <= NOW + POLICY.ceiling(n)


def test_the_default_source_is_random_but_bounded():
    r = after_failure(1, "e", POLICY, NOW)
    assert isinstance(r, Retry) and NOW <= r.at <= NOW + timedelta(seconds=1)


def test_the_last_attempt_goes_to_the_dead_letters_with_the_error():
    assert isinstance(after_failure(9, "e", POLICY, NOW, rand=lambda: 0.5), Retry)
    assert after_failure(10, "SMS 503", POLICY, NOW, rand=lambda: 0.5) == DeadLetter("SMS 503")
    assert after_failure(11, "x", POLICY, NOW) == DeadLetter("x")


def test_a_single_try_policy_dead_letters_the_first_failure():
    once = RetryPolicy(timedelta(seconds=1), timedelta(seconds=1), max_attempts=1)
    assert after_failure(1, "e", once, NOW) == DeadLetter("e")


def test_a_retry_that_would_land_after_the_deadline_is_dead_lettered():
    deadline = NOW + timedelta(seconds=3)
    assert after_failure(3, "e", POLICY, NOW, rand=lambda: 0.5, deadline=deadline) == Retry(
        NOW + timedelta(seconds=2)
    )
    assert after_failure(3, "e", POLICY, NOW, rand=lambda: 0.75, deadline=deadline) == DeadLetter(
        "e"
    )


@pytest.mark.parametrize("bad", [-0.1, 1.1])
def test_a_random_source_outside_zero_to_one_is_refused(bad):
    with pytest.raises(ValueError, match="rand"):
        after_failure(1, "e", POLICY, NOW, rand=lambda: bad)


@pytest.mark.parametrize(
    ("base", "cap", "attempts", "match"),
    [(1, 1, 0, "max_attempts"), (0, 1, 3, "base"), (2, 1, 3, "cap"), (-1, 1, 3, "base")],
)
def test_nonsense_policies_are_refused(base, cap, attempts, match):
    with pytest.raises(ValueError, match=match):
        RetryPolicy(timedelta(seconds=base), timedelta(seconds=cap), attempts)


def test_attempts_are_counted_from_one():
    with pytest.raises(ValueError, match="1-based"):
        POLICY.ceiling(0)


def test_every_provider_channel_has_a_policy_and_the_inbox_needs_none():
    assert set(POLICIES) == {Channel.PUSH, Channel.CHAT, Channel.EMAIL, Channel.SMS}
    assert all(p.max_attempts == 6 for p in POLICIES.values())
