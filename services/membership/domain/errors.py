"""The one error type the membership rules raise."""

from __future__ import annotations

from common.errors import RuleViolated


class RuleViolation(RuleViolated):
    """A member-facing rule was broken: a stable code plus reasons in English and Indonesian.

    A RuleViolated domain error, so handlers let it through and the API answers 422 naming
    its field without a translation step of its own.
    """

    def __init__(self, field: str | None, rule: str, reason_en: str, reason_id: str) -> None:
        super().__init__(rule, reason_en, reason_id, field=field)
        # All four go to Exception.args so the error survives pickling (worker pools, retries).
        self.args = (field, rule, reason_en, reason_id)
        self.field = field
        self.rule = rule
        self.reason_en = reason_en
        self.reason_id = reason_id

    def __str__(self) -> str:
        return self.reason_en
