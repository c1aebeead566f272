"""Verification codes: issued, stored only as a keyed hash, and checked with attempt limits."""

from __future__ import annotations

import enum
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from services.membership.domain.rules import (
    CODE_LENGTH,
    CODE_TTL,
    MAX_CODE_ATTEMPTS,
    RESEND_COOLDOWN,
)

_CODE = re.compile(rf"[0-9]{{{CODE_LENGTH}}}")


def _require_aware(*moments: datetime) -> None:
    for moment in moments:
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError(f"naive datetime {moment!r}: use timezone-aware UTC")


def generate_code() -> str:
    """A uniformly random, zero-padded numeric code from the OS CSPRNG."""
    return f"{secrets.randbelow(10**CODE_LENGTH):0{CODE_LENGTH}d}"


def hash_code(code: str, *, pepper: bytes, registration_id: str) -> str:
    """HMAC-SHA256 (hex) of registration_id:code under the server-side pepper."""
    # A plain hash of a 6-digit code falls to 10**6 guesses offline in milliseconds; keying it
    # with a pepper kept outside the database makes a leaked table useless on its own. Binding
    # the registration id stops a hash from one registration verifying another.
    if not pepper:
        raise ValueError("an empty pepper would leave verification codes brute-forceable")
    message = f"{registration_id}:{code}".encode()
    return hmac.new(pepper, message, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class CodeState:
    """What is stored for one issued code."""

    code_hash: str
    issued_at: datetime
    expires_at: datetime
    failed_attempts: int
    locked: bool


def issue(now: datetime, code_hash: str) -> CodeState:
    """A fresh code state valid for CODE_TTL from now."""
    _require_aware(now)
    return CodeState(
        code_hash=code_hash,
        issued_at=now,
        expires_at=now + CODE_TTL,
        failed_attempts=0,
        locked=False,
    )


class Outcome(enum.Enum):
    """The result of one verification attempt."""

    VERIFIED = "verified"
    WRONG = "wrong"
    LOCKED = "locked"
    EXPIRED = "expired"


@dataclass(frozen=True)
class Attempt:
    """An attempt's outcome, the state to store afterwards and the guesses that remain."""

    outcome: Outcome
    state: CodeState
    attempts_left: int


def attempt(
    state: CodeState, code: str, now: datetime, *, pepper: bytes, registration_id: str
) -> Attempt:
    """Check a submitted code against the stored state at time now."""
    # Pure: the caller must save the returned state with a conditional update (e.g. WHERE
    # failed_attempts = the value read), or two parallel guesses could share one attempt.
    _require_aware(now, state.issued_at, state.expires_at)
    left = max(MAX_CODE_ATTEMPTS - state.failed_attempts, 0)
    # Locked is checked before expiry so a locked code keeps saying "locked" whatever the clock.
    if state.locked:
        return Attempt(Outcome.LOCKED, state, 0)
    # An expired code is not a guess: it does not use up an attempt.
    if now >= state.expires_at:
        return Attempt(Outcome.EXPIRED, state, left)
    # Surrounding whitespace comes from copy-paste out of an SMS; anything else malformed is
    # still a guess, or a client could probe without spending attempts.
    submitted = code.strip()
    if _CODE.fullmatch(submitted):
        expected = hash_code(submitted, pepper=pepper, registration_id=registration_id)
        if hmac.compare_digest(expected, state.code_hash):
            return Attempt(Outcome.VERIFIED, state, left)
    failed = state.failed_attempts + 1
    if failed >= MAX_CODE_ATTEMPTS:
        return Attempt(Outcome.LOCKED, replace(state, failed_attempts=failed, locked=True), 0)
    left = MAX_CODE_ATTEMPTS - failed
    return Attempt(Outcome.WRONG, replace(state, failed_attempts=failed), left)


def resend_wait(last_sent_at: datetime, now: datetime) -> int:
    """Whole seconds still to wait before another code may be sent (0 when allowed)."""
    _require_aware(last_sent_at, now)
    remaining = RESEND_COOLDOWN - (now - last_sent_at)
    # A send stamped in the future (clock skew between nodes) never blocks longer than the
    # cooldown itself.
    remaining = min(remaining, RESEND_COOLDOWN)
    if remaining <= timedelta(0):
        return 0
    # Integer ceil over microseconds: float seconds could round 60.0 up to 61.
    micros = remaining // timedelta(microseconds=1)
    return -(-micros // 1_000_000)
