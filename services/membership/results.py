"""What a command answers when the answer itself must commit with the state change.

Handlers return a Result rather than raising when the outcome must be stored (a wrong code
counts against the attempts, a reused refresh token revokes its family), so the stored
Idempotency-Key answer and the state change are one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from common.problems import Problem, problem_body
from common.runtime import Runtime
from services.membership.domain import otp
from services.membership.domain.errors import RuleViolation


@dataclass(frozen=True)
class Result:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


def violation(v: RuleViolation, status: int = 422) -> Problem:
    """A domain rule's refusal as a problem naming its field."""
    return Problem(status, v.rule, v.reason_en, detail_id=v.reason_id, field=v.field)


def pepper(rt: Runtime) -> bytes:
    return rt.settings.code_pepper.get_secret_value().encode()


def code_problem(outcome: otp.Outcome, attempts_left: int) -> tuple[int, dict[str, Any]]:
    if outcome is otp.Outcome.WRONG:
        body = problem_body(
            400,
            "code_wrong",
            f"Wrong code. {attempts_left} attempts left.",
            detail_id=f"Kode salah. Sisa {attempts_left} percobaan.",
        )
        body["errors"] = [{"field": "code", "reason": "wrong code", "code": "code_wrong"}]
        body["attempts_left"] = attempts_left
        return 400, body
    if outcome is otp.Outcome.EXPIRED:
        body = problem_body(
            400,
            "code_expired",
            "This code has expired; ask for a new one.",
            detail_id="Kode sudah kedaluwarsa; minta kode baru.",
        )
        body["errors"] = [{"field": "code", "reason": "expired", "code": "code_expired"}]
        return 400, body
    body = problem_body(
        423,
        "code_locked",
        "Too many wrong codes; ask for a new code.",
        detail_id="Terlalu banyak kode salah; minta kode baru.",
    )
    body["attempts_left"] = 0
    return 423, body
