"""Verification codes, shared by registrations and contact changes: issue one, and turn a
failed attempt into the refusal the member sees (which keeps the counted attempt)."""

from __future__ import annotations

from datetime import datetime

from pydantic import SecretStr

from common.errors import DomainError, Locked, WrongCode
from services.membership.domain import otp


def issue(now: datetime, pepper: SecretStr, subject_id: str) -> tuple[str, otp.CodeState]:
    """A fresh code and its stored state (a keyed hash, bound to what it verifies)."""
    code = otp.generate_code()
    return code, otp.issue(now, otp.hash_code(code, pepper=pepper.get_secret_value().encode(),
                                              registration_id=subject_id))


def attempt(state: otp.CodeState, code: str, now: datetime, pepper: SecretStr,
            subject_id: str) -> otp.Attempt:
    return otp.attempt(state, code, now, pepper=pepper.get_secret_value().encode(),
                       registration_id=subject_id)


def refusal(outcome: otp.Outcome, attempts_left: int) -> DomainError:
    """The answer to a failed attempt; `commit=True`: the counted attempt must stand."""
    if outcome is otp.Outcome.WRONG:
        return WrongCode("code_wrong", f"Wrong code. {attempts_left} attempts left.",
                         f"Kode salah. Sisa {attempts_left} percobaan.", field="code",
                         commit=True, attempts_left=attempts_left)
    if outcome is otp.Outcome.EXPIRED:
        # 400 like a wrong code: the member's next step is the same (ask for a new one).
        return WrongCode(
            "code_expired", "This code has expired; ask for a new one.",
            "Kode sudah kedaluwarsa; minta kode baru.", field="code", commit=True)
    return Locked("code_locked", "Too many wrong codes; ask for a new code.",
                  "Terlalu banyak kode salah; minta kode baru.", commit=True, attempts_left=0)
