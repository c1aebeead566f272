"""Verification codes: generation, keyed hashing, expiry, attempt limits, lockout, resend wait."""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import re
from datetime import UTC, datetime, timedelta, timezone

import pytest

from services.membership.domain import otp, rules
from services.membership.domain.otp import (
    Attempt,
    CodeState,
    Outcome,
    attempt,
    generate_code,
    hash_code,
    issue,
    resend_wait,
)

PEPPER = b"test-pepper-not-a-secret"
REG = "reg-7f3a"
CODE = "042917"
T0 = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)


def fresh(now: datetime = T0, code: str = CODE, registration_id: str = REG) -> CodeState:
    return issue(now, hash_code(code, pepper=PEPPER, registration_id=registration_id))


def check(state: CodeState, code: str, now: datetime = T0 + timedelta(minutes=1)) -> Attempt:
    return attempt(state, code, now, pepper=PEPPER, registration_id=REG)


def test_rule_constants() -> None:
    assert rules.CODE_LENGTH == 6
    assert rules.CODE_TTL == timedelta(minutes=10)
    assert rules.MAX_CODE_ATTEMPTS == 5
    assert rules.RESEND_COOLDOWN == timedelta(seconds=60)
    assert rules.PASSWORD_MIN == 8
    assert rules.PASSWORD_MAX == 128
    assert rules.ACCESS_TOKEN_TTL == timedelta(minutes=15)
    assert rules.REFRESH_TOKEN_TTL == timedelta(days=30)


def test_generated_codes_are_six_ascii_digits() -> None:
    codes = {generate_code() for _ in range(200)}
    assert all(re.fullmatch(r"[0-9]{6}", c) for c in codes)
    assert len(codes) > 150  # random, not a constant


def test_generated_codes_are_zero_padded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(otp.secrets, "randbelow", lambda n: 42)
    assert generate_code() == "000042"
    monkeypatch.setattr(otp.secrets, "randbelow", lambda n: n - 1)
    assert generate_code() == "999999"


def test_hash_is_hmac_sha256_over_registration_and_code() -> None:
    expected = hmac.new(PEPPER, f"{REG}:{CODE}".encode(), hashlib.sha256).hexdigest()
    assert hash_code(CODE, pepper=PEPPER, registration_id=REG) == expected
    assert re.fullmatch(r"[0-9a-f]{64}", expected)


def test_hash_depends_on_code_pepper_and_registration() -> None:
    base = hash_code(CODE, pepper=PEPPER, registration_id=REG)
    assert hash_code(CODE, pepper=PEPPER, registration_id=REG) == base
    assert hash_code("042918", pepper=PEPPER, registration_id=REG) != base
    assert hash_code(CODE, pepper=b"other", registration_id=REG) != base
    assert hash_code(CODE, pepper=PEPPER, registration_id="reg-other") != base
    # The hash is keyed: the plain SHA-256 of the same message is not it.
    assert hashlib.sha256(f"{REG}:{CODE}".encode()).hexdigest() != base


def test_an_empty_pepper_is_refused() -> None:
    with pytest.raises(ValueError):
        hash_code(CODE, pepper=b"", registration_id=REG)


def test_issue_starts_a_fresh_ten_minute_window() -> None:
    state = fresh()
    assert state.issued_at == T0
    assert state.expires_at == T0 + timedelta(minutes=10)
    assert state.failed_attempts == 0
    assert state.locked is False


def test_right_code_verifies() -> None:
    result = check(fresh(), CODE)
    assert result.outcome is Outcome.VERIFIED
    assert result.attempts_left == 5
    assert result.state == fresh()


def test_code_with_surrounding_whitespace_from_copy_paste_verifies() -> None:
    assert check(fresh(), f" {CODE}\n").outcome is Outcome.VERIFIED


def test_right_code_just_before_expiry_verifies() -> None:
    just_before = T0 + timedelta(minutes=10) - timedelta(microseconds=1)
    assert check(fresh(), CODE, just_before).outcome is Outcome.VERIFIED


def test_code_expires_exactly_at_ten_minutes() -> None:
    state = fresh()
    result = check(state, CODE, T0 + timedelta(minutes=10))
    assert result.outcome is Outcome.EXPIRED
    assert result.state == state  # expiry is not a guess: no attempt is used up
    assert result.attempts_left == 5


def test_expired_wrong_code_does_not_count() -> None:
    result = check(fresh(), "000000", T0 + timedelta(hours=1))
    assert result.outcome is Outcome.EXPIRED
    assert result.state.failed_attempts == 0


def test_wrong_code_counts_down() -> None:
    state = fresh()
    lefts = []
    for _ in range(4):
        result = check(state, "111111")
        assert result.outcome is Outcome.WRONG
        state = result.state
        lefts.append(result.attempts_left)
    assert lefts == [4, 3, 2, 1]
    assert state.failed_attempts == 4
    assert not state.locked


def test_four_wrong_then_right_succeeds() -> None:
    state = fresh()
    for _ in range(4):
        state = check(state, "111111").state
    result = check(state, CODE)
    assert result.outcome is Outcome.VERIFIED
    assert result.attempts_left == 1


def test_fifth_wrong_attempt_locks() -> None:
    state = fresh()
    outcomes = []
    for _ in range(5):
        result = check(state, "111111")
        outcomes.append(result.outcome)
        state = result.state
    assert outcomes == [Outcome.WRONG] * 4 + [Outcome.LOCKED]
    assert state.locked
    assert state.failed_attempts == 5
    assert result.attempts_left == 0


def locked_state() -> CodeState:
    state = fresh()
    for _ in range(5):
        state = check(state, "111111").state
    return state


def test_locked_stays_locked_even_with_the_right_code() -> None:
    state = locked_state()
    result = check(state, CODE)
    assert result.outcome is Outcome.LOCKED
    assert result.state == state
    assert result.attempts_left == 0


def test_locked_stays_locked_after_expiry() -> None:
    assert check(locked_state(), CODE, T0 + timedelta(days=1)).outcome is Outcome.LOCKED


def test_locked_does_not_count_further_attempts() -> None:
    state = locked_state()
    assert check(state, "111111").state.failed_attempts == 5


@pytest.mark.parametrize(
    "malformed",
    [
        "",
        "42917",
        "0429170",
        "abcdef",
        "04291a",
        "042 917",
        "٠٤٢٩١٧",
        "04291７",
        "-42917",
        "+42917",
    ],
)
def test_malformed_codes_count_as_wrong_attempts(malformed: str) -> None:
    result = check(fresh(), malformed)
    assert result.outcome is Outcome.WRONG
    assert result.state.failed_attempts == 1
    assert result.attempts_left == 4


def test_five_malformed_codes_lock() -> None:
    state = fresh()
    for _ in range(5):
        result = check(state, "x")
        state = result.state
    assert result.outcome is Outcome.LOCKED


def test_code_from_another_registration_is_wrong() -> None:
    other = fresh(registration_id="reg-other")
    assert check(other, CODE).outcome is Outcome.WRONG


def test_attempt_does_not_mutate_the_given_state() -> None:
    state = fresh()
    check(state, "111111")
    assert state.failed_attempts == 0
    with pytest.raises(dataclasses.FrozenInstanceError):
        state.locked = True  # type: ignore[misc]


def test_other_timezones_compare_as_instants() -> None:
    wib = timezone(timedelta(hours=7))
    state = fresh()
    assert check(state, CODE, datetime(2026, 11, 27, 15, 9, 59, tzinfo=wib)).outcome is (
        Outcome.VERIFIED
    )
    assert check(state, CODE, datetime(2026, 11, 27, 15, 10, tzinfo=wib)).outcome is (
        Outcome.EXPIRED
    )


def test_naive_datetimes_are_rejected() -> None:
    naive = datetime(2026, 11, 27, 8, 0)
    with pytest.raises(ValueError):
        issue(naive, "h")
    with pytest.raises(ValueError):
        check(fresh(), CODE, naive)
    naive_state = CodeState("h", naive, naive + timedelta(minutes=10), 0, False)
    with pytest.raises(ValueError):
        check(naive_state, CODE)
    with pytest.raises(ValueError):
        resend_wait(naive, T0)
    with pytest.raises(ValueError):
        resend_wait(T0, naive)


@pytest.mark.parametrize(
    ("elapsed", "wait"),
    [
        (timedelta(0), 60),
        (timedelta(milliseconds=500), 60),
        (timedelta(seconds=1), 59),
        (timedelta(seconds=30), 30),
        (timedelta(seconds=59), 1),
        (timedelta(seconds=59.1), 1),
        (timedelta(seconds=59, microseconds=999_999), 1),
        (timedelta(seconds=60), 0),
        (timedelta(seconds=61), 0),
        (timedelta(hours=5), 0),
    ],
)
def test_resend_wait(elapsed: timedelta, wait: int) -> None:
    assert resend_wait(T0, T0 + elapsed) == wait


def test_resend_wait_never_exceeds_the_cooldown_under_clock_skew() -> None:
    assert resend_wait(T0 + timedelta(seconds=30), T0) == 60


def test_outcomes() -> None:
    assert {o.name for o in Outcome} == {"VERIFIED", "WRONG", "LOCKED", "EXPIRED"}
