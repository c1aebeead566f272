"""Verification codes, shared by registrations and contact changes: issue one, and turn a
failed attempt into the refusal the member sees (which keeps the counted attempt)."""

from __future__ import annotations

import hashlib
import hmac
import uuid
from datetime import datetime

import asyncpg
from pydantic import SecretStr

from common.errors import DomainError, Locked, TooMany, WrongCode
from services.membership.domain import otp
from services.membership.domain.budgets import LONGEST_CODE_WINDOW, code_wait
from services.membership.store import budgets


def issue(now: datetime, pepper: SecretStr, subject_id: str) -> tuple[str, otp.CodeState]:
    """A fresh code and its stored state (a keyed hash, bound to what it verifies)."""
    code = otp.generate_code()
    return code, otp.issue(now, otp.hash_code(code, pepper=pepper.get_secret_value().encode(),
                                              registration_id=subject_id))


def _keyed(pepper: SecretStr, value: str) -> str:
    return hmac.new(pepper.get_secret_value().encode(), value.encode(),
                    hashlib.sha256).hexdigest()


async def charge(conn: asyncpg.Connection, *, now: datetime, pepper: SecretStr,
                 member_id: uuid.UUID, channel: str, destination: str) -> None:
    """Count one code against the person's and the destination's budget (codes cost money),
    or refuse naming what is over it. Counted under a lock per person and per destination in
    the transaction that issues the code, so parallel requests cannot all slip under it."""
    member_key = _keyed(pepper, f"member:{member_id}")
    dest_key = _keyed(pepper, f"destination:{destination}")
    await budgets.lock_code_budget(conn, member_key, dest_key)
    since = now - LONGEST_CODE_WINDOW
    dest_field = "email" if channel == "email" else "phone"
    for column, key, field in (("member_hash", member_key, "nik"),
                               ("dest_hash", dest_key, dest_field)):
        if wait := code_wait(await budgets.codes_issued(conn, column, key, since), now):
            raise TooMany(
                "code_budget_exceeded",
                f"Too many codes were sent lately; a new one can be sent in {wait} s.",
                f"Terlalu banyak kode terkirim; kode baru bisa dikirim dalam {wait} detik.",
                field=field, retry_after=wait)
    await budgets.record_code(conn, member_key, dest_key, now)


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
